//! Guest accounts (the seed's "Partner" type, SPEC F10): a customer's Global admin adds
//! named users of a partner it works with as that type to its directory, with the
//! directory roles it chooses, and removes them. A guest acts in the customer from the
//! partner's customer page with exactly those roles, like an agent with an assignment
//! but without a delegated-admin grant; its actions are recorded the same way, in the
//! customer's "Partner activity".
//!
//! Guest roles reach the grant index through `access.changed` for (partner, customer,
//! user), so adding, changing and removing one take effect on the next request here and
//! within the feed's bound on every node. The relationship ending removes them.

use accord_domain::{
    normalise_email, DirectoryRole, DomainError, InvalidReason, PartnerType, RelationshipStatus,
    TenantId, UserId,
};
use accord_store::{GuestRecord, RelationshipRecord};
use chrono::{DateTime, Utc};

use crate::invitations::GlobalAdminDesk;
use crate::partner::PartnerDesk;
use crate::work::{Actor, Audit, Change, Work};
use crate::Result;

/// Most guest accounts one partner may have in one customer (the list is not paged).
pub const MAX_GUESTS: usize = 200;

/// A partner's named user in a customer's directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Guest {
    pub user_id: UserId,
    pub partner_id: TenantId,
    pub email: String,
    pub display_name: String,
    pub roles: Vec<DirectoryRole>,
    pub added_by: String,
    pub added_at: DateTime<Utc>,
}

impl From<GuestRecord> for Guest {
    fn from(g: GuestRecord) -> Self {
        Self {
            user_id: g.user_id,
            partner_id: g.partner_id,
            email: g.email,
            display_name: g.display_name,
            roles: g.roles,
            added_by: g.added_by,
            added_at: g.added_at,
        }
    }
}

/// The roles a guest may hold: any directory role but Global admin (that comes only with
/// a delegated-admin grant the customer approves), and `user` stands for none.
pub fn guest_roles(roles: &[DirectoryRole]) -> Result<Vec<DirectoryRole>> {
    if roles.contains(&DirectoryRole::GlobalAdmin) {
        return Err(DomainError::invalid("roles", InvalidReason::GuestGlobalAdmin).into());
    }
    Ok(GUEST_ROLES
        .iter()
        .copied()
        .filter(|r| roles.contains(r))
        .collect())
}

/// The roles a guest may be given, in catalogue order (every admin role but Global admin).
pub const GUEST_ROLES: &[DirectoryRole] = &[
    DirectoryRole::BillingAdmin,
    DirectoryRole::UserAdmin,
    DirectoryRole::HelpdeskAdmin,
    DirectoryRole::LicenseAdmin,
    DirectoryRole::BillingReader,
    DirectoryRole::GlobalReader,
];

/// The active relationship with the partner, which must include the Partner type.
async fn partner_relationship(
    w: &mut Work,
    customer: TenantId,
    partner: TenantId,
) -> Result<RelationshipRecord> {
    let rel = w
        .tx()
        .relationship(customer, partner)
        .await?
        .filter(|r| r.status == RelationshipStatus::Active)
        .ok_or(DomainError::NotFound { what: "partner" })?;
    if !rel.types.contains(&PartnerType::Partner) {
        return Err(DomainError::GuestsNeedPartnerType {
            partner: rel.partner_name.clone(),
        }
        .into());
    }
    Ok(rel)
}

impl GlobalAdminDesk<'_> {
    /// The guest accounts of one partner's users in the caller's organisation; 404 for a
    /// partner without an active relationship.
    pub async fn guests(&self, partner: TenantId) -> Result<Vec<Guest>> {
        guests_of(self.accord, self.principal.tenant.id, partner, "partner").await
    }

    /// Adds the partner's user with `email` as a guest with `roles`, or changes the roles
    /// of its guest account. Answers the guest and whether it is new.
    pub async fn add_guest(
        &self,
        partner: TenantId,
        email: &str,
        roles: &[DirectoryRole],
    ) -> Result<(Guest, bool)> {
        let p = self.principal;
        let customer = p.tenant.id;
        let roles = guest_roles(roles)?;
        let email = normalise_email(email)?;
        let mut w = Work::begin(self.accord, Actor::of(p)).await?;
        let now = w.now;
        let rel = partner_relationship(&mut w, customer, partner).await?;
        let user = w
            .tx()
            .user_by_email(&email)
            .await?
            // One who works in the partner's portal: a guest acts from there.
            .filter(|u| {
                u.tenant_id == partner
                    && !u.disabled
                    && u.roles
                        .iter()
                        .any(|r| matches!(r, accord_domain::Role::Partner(_)))
            })
            .ok_or_else(|| DomainError::PartnerUserNotFound {
                partner: rel.partner_name.clone(),
            })?;
        let existing = w.tx().guest(customer, user.id).await?;
        let is_new = existing.is_none();
        if is_new && w.tx().guests_of(customer, partner).await?.len() >= MAX_GUESTS {
            return Err(DomainError::invalid(
                "email",
                InvalidReason::TooManyGuests { max: MAX_GUESTS },
            )
            .into());
        }
        let stored = w
            .tx()
            .upsert_guest(&GuestRecord {
                customer_id: customer,
                user_id: user.id,
                partner_id: partner,
                roles: roles.clone(),
                added_by: p.display_name.clone(),
                added_at: now,
                email: user.email.clone(),
                display_name: user.display_name.clone(),
            })
            .await?;
        w.changed(Change::AccessChanged {
            partner,
            customer,
            agent: user.id,
        });
        let action = if is_new {
            "guest.added"
        } else {
            "guest.roles_changed"
        };
        w.audit(
            Audit::new(action, "user", user.id).details(serde_json::json!({
                "email": user.email, "name": user.display_name, "roles": roles,
                "previous_roles": existing.map(|g| g.roles),
                "by_name": p.display_name, "by_email": p.email,
            })),
            &[partner, customer],
        );
        w.commit().await?;
        Ok((Guest::from(stored), is_new))
    }

    /// Removes a guest account; its user loses the roles on the next request.
    pub async fn remove_guest(&self, partner: TenantId, user: UserId) -> Result<()> {
        let p = self.principal;
        let customer = p.tenant.id;
        let mut w = Work::begin(self.accord, Actor::of(p)).await?;
        let by = serde_json::json!({"by_name": p.display_name, "by_email": p.email});
        if !remove_one(&mut w, partner, customer, user, by).await? {
            return Err(DomainError::NotFound {
                what: "guest account",
            }
            .into());
        }
        w.commit().await
    }
}

impl PartnerDesk<'_> {
    /// The partner's users who are guests in one of its customers, with their roles; 404
    /// unless the relationship is active.
    pub async fn guests_in(&self, customer: TenantId) -> Result<Vec<Guest>> {
        guests_of(self.accord, customer, self.principal.tenant.id, "customer").await
    }
}

/// A partner's guest accounts in a customer, for either side; 404 (naming `what`, the
/// other side) unless their relationship is active.
async fn guests_of(
    accord: &crate::Accord,
    customer: TenantId,
    partner: TenantId,
    what: &'static str,
) -> Result<Vec<Guest>> {
    let mut tx = accord.store().read().await?;
    tx.relationship(customer, partner)
        .await?
        .filter(|r| r.status == RelationshipStatus::Active)
        .ok_or(DomainError::NotFound { what })?;
    Ok(tx
        .guests_of(customer, partner)
        .await?
        .into_iter()
        .map(Guest::from)
        .collect())
}

/// Deletes one user's guest account in a customer, if that partner's user has one,
/// announcing and auditing it with `by` (who removed it); returns whether it existed.
pub(crate) async fn remove_one(
    w: &mut Work,
    partner: TenantId,
    customer: TenantId,
    user: UserId,
    by: serde_json::Value,
) -> Result<bool> {
    let Some(gone) = w
        .tx()
        .guest(customer, user)
        .await?
        .filter(|g| g.partner_id == partner)
    else {
        return Ok(false);
    };
    w.tx().delete_guest(customer, user).await?;
    w.changed(Change::AccessChanged {
        partner,
        customer,
        agent: user,
    });
    let mut details = serde_json::json!({
        "email": gone.email, "name": gone.display_name, "roles": gone.roles,
    });
    if let (Some(d), serde_json::Value::Object(by)) = (details.as_object_mut(), by) {
        d.extend(by);
    }
    w.audit(
        Audit::new("guest.removed", "user", user).details(details),
        &[partner, customer],
    );
    Ok(true)
}

/// Deletes a partner's guest accounts in a customer whose relationship ended.
pub(crate) async fn clear_guests(
    w: &mut Work,
    partner: TenantId,
    customer: TenantId,
) -> Result<()> {
    let gone = w.tx().delete_guests_of(customer, partner).await?;
    if gone.is_empty() {
        return Ok(());
    }
    for g in &gone {
        w.changed(Change::AccessChanged {
            partner,
            customer,
            agent: g.user_id,
        });
    }
    w.audit(
        Audit::new("guests.cleared", "relationship", customer.0)
            .details(serde_json::json!({"count": gone.len()})),
        &[partner, customer],
    );
    Ok(())
}
