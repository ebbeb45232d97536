//! The rules of buying: product codes, quantities, idempotency keys, who may buy for a
//! customer and who may see or change which subscription (SPEC F5, F7, F10).

use crate::{Billing, DomainError, InvalidReason, PartnerType};

/// The most seats a product may allow in one subscription.
pub const MAX_SEATS: u32 = 100_000;

/// The longest `Idempotency-Key` kept.
pub const MAX_IDEMPOTENCY_KEY: usize = 255;

/// How long an `Idempotency-Key` answers a retry with the first outcome.
pub const IDEMPOTENCY_HOURS: i64 = 24;

/// A product code as the catalogue keeps it: trimmed, upper case, 1–40 of `A–Z 0–9 - _ .`.
pub fn normalise_sku(s: &str) -> Result<String, DomainError> {
    let t = s.trim().to_ascii_uppercase();
    let ok = !t.is_empty()
        && t.len() <= 40
        && t.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(t)
    } else {
        Err(DomainError::invalid("sku", InvalidReason::Sku))
    }
}

/// A quantity the product allows: one for a per-subscription product, 1 to `max` seats
/// for a per-seat one.
pub fn check_quantity(billing: Billing, max: u32, quantity: i64) -> Result<u32, DomainError> {
    match billing {
        Billing::PerSubscription if quantity != 1 => {
            Err(DomainError::invalid("quantity", InvalidReason::QuantityOne))
        }
        _ if quantity < 1 || quantity > i64::from(max) => Err(DomainError::invalid(
            "quantity",
            InvalidReason::Quantity { max },
        )),
        _ => Ok(quantity as u32),
    }
}

/// An `Idempotency-Key`: 1–255 visible ASCII characters (a UUID, say).
pub fn check_idempotency_key(k: &str) -> Result<(), DomainError> {
    if k.is_empty()
        || k.len() > MAX_IDEMPOTENCY_KEY
        || !k.bytes().all(|b| (0x21..=0x7e).contains(&b))
    {
        return Err(DomainError::invalid(
            "Idempotency-Key",
            InvalidReason::IdempotencyKey,
        ));
    }
    Ok(())
}

/// The work of one partner type (buying, devices, apps) needs a relationship of that
/// type: `partner_type_required` otherwise.
pub fn require_partner_type(
    effective_types: &[PartnerType],
    needed: PartnerType,
) -> Result<(), DomainError> {
    if effective_types.contains(&needed) {
        Ok(())
    } else {
        Err(DomainError::PartnerTypeRequired {
            partner_type: needed.as_str().into(),
        })
    }
}

/// Only a reseller buys for a customer.
pub fn check_may_buy(effective_types: &[PartnerType]) -> Result<(), DomainError> {
    require_partner_type(effective_types, PartnerType::Reseller)
}

/// What a partner may do with one subscription of its customer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubscriptionAccess {
    /// Change its quantity and cancel it.
    Manage,
    /// See it only (another MPSA partner's purchase).
    Read,
    /// Not even know it exists.
    None,
}

/// Who sees what (SPEC F5, F10): the partner that provisioned a subscription manages it;
/// a partner whose admin roles manage subscriptions manages all of the customer's; an
/// MPSA partner sees (read only) what the customer's other MPSA partners bought; any
/// other partner does not see it.
pub fn subscription_access(
    provisioned_by_viewer: bool,
    viewer_manages_all: bool,
    viewer_is_mpsa: bool,
    provisioner_is_mpsa: bool,
) -> SubscriptionAccess {
    if provisioned_by_viewer || viewer_manages_all {
        SubscriptionAccess::Manage
    } else if viewer_is_mpsa && provisioner_is_mpsa {
        SubscriptionAccess::Read
    } else {
        SubscriptionAccess::None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skus_are_normalised_and_bounded() {
        assert_eq!(normalise_sku(" m365-bp ").unwrap_or_default(), "M365-BP");
        for bad in ["", "a b", "x".repeat(41).as_str(), "ü", "a/b"] {
            assert_eq!(
                normalise_sku(bad).map_err(|e| e.code()),
                Err("invalid_input"),
                "{bad}"
            );
        }
    }

    #[test]
    fn quantities_follow_the_billing() {
        assert_eq!(check_quantity(Billing::PerSeat, 300, 300), Ok(300));
        assert!(check_quantity(Billing::PerSeat, 300, 301).is_err());
        assert!(check_quantity(Billing::PerSeat, 300, 0).is_err());
        assert!(check_quantity(Billing::PerSeat, 300, -1).is_err());
        assert_eq!(check_quantity(Billing::PerSubscription, 1, 1), Ok(1));
        assert_eq!(
            check_quantity(Billing::PerSubscription, 1, 2),
            Err(DomainError::invalid("quantity", InvalidReason::QuantityOne))
        );
    }

    #[test]
    fn idempotency_keys_are_visible_ascii() {
        assert!(check_idempotency_key("0199a0b0-0000-7000-8000-000000000000").is_ok());
        for bad in ["", "a b", "ключ", &"k".repeat(256)] {
            assert!(check_idempotency_key(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn only_resellers_buy_and_access_follows_the_seeds() {
        assert!(check_may_buy(&[PartnerType::Reseller, PartnerType::DelegatedAdmin]).is_ok());
        assert_eq!(
            check_may_buy(&[PartnerType::DelegatedAdmin]).map_err(|e| e.code()),
            Err("partner_type_required")
        );
        use SubscriptionAccess::*;
        assert_eq!(subscription_access(true, false, false, false), Manage);
        assert_eq!(subscription_access(false, true, false, false), Manage);
        assert_eq!(subscription_access(false, false, true, true), Read);
        assert_eq!(subscription_access(false, false, true, false), None);
        assert_eq!(subscription_access(false, false, false, true), None);
    }
}
