use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::DomainError;

/// Declares a closed string enum with a stable wire name per variant.
macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($variant:ident => $wire:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable wire name (`snake_case`).
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }

            /// A human label in English.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = DomainError;
            fn from_str(s: &str) -> Result<Self, DomainError> {
                match s {
                    $($wire => Ok($name::$variant),)+
                    _ => Err(DomainError::invalid(
                        $what,
                        crate::InvalidReason::NotOneOf {
                            value: s.chars().take(40).collect::<String>(),
                            expected: [$($wire),+].join(", "),
                        },
                    )),
                }
            }
        }
    };
}

pub(crate) use wire_enum;

wire_enum!(
    /// The sovereign cloud a tenant lives in. Partners only work with customers of their cloud.
    Cloud, "cloud" {
        Public => "public", "Public cloud";
        Usgov => "usgov", "US Government cloud";
        Germany => "germany", "Germany cloud";
        China => "china", "China cloud";
    }
);

wire_enum!(
    /// Roles in a customer's directory.
    DirectoryRole, "directory role" {
        GlobalAdmin => "global_admin", "Global admin";
        BillingAdmin => "billing_admin", "Billing admin";
        UserAdmin => "user_admin", "User admin";
        HelpdeskAdmin => "helpdesk_admin", "Helpdesk admin";
        LicenseAdmin => "license_admin", "License admin";
        BillingReader => "billing_reader", "Billing reader";
        GlobalReader => "global_reader", "Global reader";
        User => "user", "User";
    }
);

wire_enum!(
    /// Roles of a partner organisation's own staff.
    PartnerRole, "partner role" {
        PartnerAdmin => "partner_admin", "Partner admin";
        AdminAgent => "admin_agent", "Admin agent";
        HelpdeskAgent => "helpdesk_agent", "Helpdesk agent";
        SalesAgent => "sales_agent", "Sales agent";
    }
);

wire_enum!(
    /// The kinds of relationship a partner can hold with a customer (the seed's table).
    /// `delegated_admin` is in force while the relationship's admin grant is active.
    PartnerType, "partner type" {
        Reseller => "reseller", "Reseller";
        DelegatedAdmin => "delegated_admin", "Delegated admin";
        Partner => "partner", "Partner";
        Admin => "admin", "Admin";
        Mpsa => "mpsa", "MPSA partner";
        OemPc => "oem_pc", "OEM PC partner";
        Lob => "lob", "LOB partner";
    }
);

wire_enum!(
    /// Where a relationship request stands. `expired` is derived from the expiry time
    /// while the stored status is still `pending`.
    RequestStatus, "request status" {
        Pending => "pending", "Pending";
        Accepted => "accepted", "Accepted";
        Declined => "declined", "Declined";
        Revoked => "revoked", "Revoked";
        Expired => "expired", "Expired";
    }
);

wire_enum!(
    /// The lifecycle of a delegated admin grant (SPEC F11).
    GrantStatus, "grant status" {
        ApprovalPending => "approval_pending", "Approval pending";
        Active => "active", "Active";
        Expiring => "expiring", "Expiring";
        Expired => "expired", "Expired";
        Terminated => "terminated", "Terminated";
    }
);

wire_enum!(
    /// Whether a relationship is in force.
    RelationshipStatus, "relationship status" {
        Active => "active", "Active";
        Ended => "ended", "Ended";
    }
);

wire_enum!(
    /// How a product is charged: per seat (the quantity is a number of licences) or per
    /// subscription (the quantity is always one).
    Billing, "billing" {
        PerSeat => "per_seat", "Per seat";
        PerSubscription => "per_subscription", "Per subscription";
    }
);

wire_enum!(
    /// Whether a subscription is in force.
    SubscriptionStatus, "subscription status" {
        Active => "active", "Active";
        Cancelled => "cancelled", "Cancelled";
    }
);

wire_enum!(
    /// How urgent a service request is.
    Severity, "severity" {
        Critical => "critical", "Critical";
        High => "high", "High";
        Moderate => "moderate", "Moderate";
        Low => "low", "Low";
    }
);

wire_enum!(
    /// Where a service request stands in the provider's queue.
    ServiceRequestStatus, "service request status" {
        New => "new", "New";
        InProgress => "in_progress", "In progress";
        Resolved => "resolved", "Resolved";
        Closed => "closed", "Closed";
    }
);

wire_enum!(
    /// Where a version of a line-of-business app stands.
    AppVersionStatus, "app version status" {
        Draft => "draft", "Draft";
        PendingApproval => "pending_approval", "Pending approval";
        Approved => "approved", "Approved";
        Rejected => "rejected", "Rejected";
        Withdrawn => "withdrawn", "Withdrawn";
    }
);

impl ServiceRequestStatus {
    /// The moves an operator may make: forward through the queue, a resolved request
    /// reopened, and closing from anywhere; a closed request stays closed.
    pub fn may_become(self, to: ServiceRequestStatus) -> bool {
        use ServiceRequestStatus::*;
        matches!(
            (self, to),
            (New, InProgress)
                | (New, Resolved)
                | (InProgress, Resolved)
                | (Resolved, InProgress)
                | (New | InProgress | Resolved, Closed)
        )
    }
}

/// Any role a user can hold: directory roles in customer tenants, partner roles in partner
/// tenants, and the provider's operator role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Directory(DirectoryRole),
    Partner(PartnerRole),
    Operator,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Directory(r) => r.as_str(),
            Role::Partner(r) => r.as_str(),
            Role::Operator => "operator",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Directory(r) => r.label(),
            Role::Partner(r) => r.label(),
            Role::Operator => "Operator",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, DomainError> {
        if s == "operator" {
            return Ok(Role::Operator);
        }
        if let Ok(r) = s.parse::<DirectoryRole>() {
            return Ok(Role::Directory(r));
        }
        if let Ok(r) = s.parse::<PartnerRole>() {
            return Ok(Role::Partner(r));
        }
        let mut all: Vec<&str> = DirectoryRole::ALL.iter().map(|r| r.as_str()).collect();
        all.extend(PartnerRole::ALL.iter().map(|r| r.as_str()));
        all.push("operator");
        Err(DomainError::invalid(
            "role",
            crate::InvalidReason::NotOneOf {
                value: s.chars().take(40).collect::<String>(),
                expected: all.join(", "),
            },
        ))
    }
}

/// An ISO 3166-1 alpha-2 country code, upper case.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CountryCode(String);

impl CountryCode {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let t = s.trim();
        if t.len() == 2 && t.chars().all(|c| c.is_ascii_alphabetic()) {
            Ok(Self(t.to_ascii_uppercase()))
        } else {
            Err(DomainError::invalid(
                "country",
                crate::InvalidReason::Country,
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for CountryCode {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, DomainError> {
        Self::parse(s)
    }
}

impl TryFrom<String> for CountryCode {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, DomainError> {
        Self::parse(&s)
    }
}

impl From<CountryCode> for String {
    fn from(c: CountryCode) -> String {
        c.0
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A normalised (trimmed, lower-case) e-mail address with a plausible shape.
pub fn normalise_email(s: &str) -> Result<String, DomainError> {
    let e = s.trim().to_lowercase();
    let bad = || DomainError::invalid("email", crate::InvalidReason::Email);
    // Characters, as the API's schema counts them.
    if e.chars().count() > 254 || e.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad());
    }
    let (local, domain) = e.split_once('@').ok_or_else(bad)?;
    if local.is_empty() || domain.contains('@') || !domain.contains('.') {
        return Err(bad());
    }
    if domain.starts_with('.') || domain.ends_with('.') || domain.contains("..") {
        return Err(bad());
    }
    Ok(e)
}

/// A normalised DNS domain name for a tenant (lower case, letters, digits, hyphens, dots).
pub fn normalise_domain(s: &str) -> Result<String, DomainError> {
    let d = s.trim().trim_end_matches('.').to_lowercase();
    let ok = !d.is_empty()
        && d.len() <= 253
        && d.contains('.')
        && d.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        });
    if ok {
        Ok(d)
    } else {
        Err(DomainError::invalid("domain", crate::InvalidReason::Domain))
    }
}

/// A required, trimmed, bounded display text (organisation or person name).
pub fn normalise_name(field: &str, s: &str, max: usize) -> Result<String, DomainError> {
    let t = s.trim();
    if t.is_empty() {
        return Err(DomainError::invalid(field, crate::InvalidReason::Required));
    }
    if t.chars().count() > max {
        return Err(DomainError::invalid(
            field,
            crate::InvalidReason::TooLong { max },
        ));
    }
    if t.chars().any(char::is_control) {
        return Err(DomainError::invalid(
            field,
            crate::InvalidReason::ControlCharacters,
        ));
    }
    Ok(t.to_string())
}

/// Free text that every backend can store: no NUL byte or other control character but
/// tab and line breaks, at most `max` characters. Search text, cursors and bodies pass
/// here before they reach a query.
pub fn check_text(field: &str, s: &str, max: usize) -> Result<(), DomainError> {
    if s.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(DomainError::UnstorableText {
            field: field.to_string(),
        });
    }
    if s.chars().count() > max {
        return Err(DomainError::invalid(
            field,
            crate::InvalidReason::TooLong { max },
        ));
    }
    Ok(())
}

/// The password policy for local accounts.
pub fn check_password(p: &str) -> Result<(), DomainError> {
    let n = p.chars().count();
    if n < 10 {
        return Err(DomainError::invalid(
            "password",
            crate::InvalidReason::PasswordTooShort { min: 10 },
        ));
    }
    if n > 256 {
        return Err(DomainError::invalid(
            "password",
            crate::InvalidReason::PasswordTooLong { max: 256 },
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_round_trip_through_wire_names() {
        for c in Cloud::ALL {
            assert_eq!(c.as_str().parse::<Cloud>().ok(), Some(*c));
        }
        for r in DirectoryRole::ALL {
            assert_eq!(r.as_str().parse::<Role>().ok(), Some(Role::Directory(*r)));
        }
        for r in PartnerRole::ALL {
            assert_eq!(r.as_str().parse::<Role>().ok(), Some(Role::Partner(*r)));
        }
        assert!("Public".parse::<Cloud>().is_err());
        assert_eq!(
            "nope".parse::<Role>().map_err(|e| e.code()),
            Err("invalid_input")
        );
    }

    #[test]
    fn country_codes() {
        assert_eq!(CountryCode::parse(" kr ").map(|c| c.0), Ok("KR".into()));
        assert!(CountryCode::parse("KOR").is_err());
        assert!(CountryCode::parse("K1").is_err());
        assert!(CountryCode::parse("").is_err());
    }

    #[test]
    fn emails_and_domains() {
        assert_eq!(
            normalise_email(" A@B.Example ").ok(),
            Some("a@b.example".into())
        );
        for bad in [
            "", "a", "a@b", "@b.c", "a@b..c", "a b@c.d", "a@@b.c", "a@.b.c",
        ] {
            assert!(normalise_email(bad).is_err(), "{bad}");
        }
        assert_eq!(
            normalise_domain("Contoso.Example.").ok(),
            Some("contoso.example".into())
        );
        for bad in ["", "contoso", "-a.b", "a_b.c", "a..b", "a.b-"] {
            assert!(normalise_domain(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn names_and_passwords() {
        assert!(normalise_name("name", "  ", 10).is_err());
        assert!(normalise_name("name", "abcdefghijk", 10).is_err());
        assert!(normalise_name("name", "a\u{0}b", 10).is_err());
        assert_eq!(normalise_name("name", " Ok ", 10).ok(), Some("Ok".into()));
        assert!(check_password("short").is_err());
        assert!(check_password("long enough!").is_ok());
    }
}
