/// What kind of failure a [`DomainError`] is, independent of any transport. The web layer
/// maps kinds to HTTP statuses; the CLI to exit messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The input is malformed or breaks a validation rule (HTTP 400/422).
    Invalid,
    /// The caller is not signed in or the credentials are wrong (401).
    Unauthenticated,
    /// The caller is known but may not do this (403).
    Forbidden,
    /// The object does not exist or is not visible to the caller (404).
    NotFound,
    /// The object exists but its state forbids the operation (409).
    Conflict,
    /// The object was used up, revoked or expired for good (410).
    Gone,
    /// Too many attempts; try again later (429 with `Retry-After`).
    Throttled,
}

/// Every rule violation Accord reports. Each variant has a stable machine code (never
/// renamed once released) and a message that tells a person what happened and what to do.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error("{field}: {reason}")]
    InvalidInput {
        field: String,
        reason: crate::InvalidReason,
    },
    #[error("The pagination cursor is not valid; start again from the first page.")]
    InvalidCursor,
    #[error("Sign in to continue.")]
    AuthenticationRequired,
    #[error("The e-mail address or password is not correct.")]
    InvalidCredentials,
    #[error("The access token is not valid, has expired or was revoked.")]
    InvalidToken,
    #[error("The form has expired or did not come from this site; reload the page and try again.")]
    CsrfFailed,
    #[error("Only a Global admin of your organisation can accept or decline a partner's request. Ask a Global admin to open the link.")]
    NotGlobalAdmin,
    #[error("This action is for partner organisations; your organisation is not a partner.")]
    NotAPartner,
    #[error("Your partner role does not allow this: {needed}.")]
    PartnerRoleRequired { needed: String },
    #[error("This invitation has already been used. Ask the partner for a new one if you still need it.")]
    RequestAlreadyUsed,
    #[error("This invitation has expired. Ask the partner to send a new one.")]
    RequestExpired,
    #[error("The partner has revoked this invitation. Ask the partner for a new one if you still need it.")]
    RequestRevoked,
    #[error("Only pending requests can be revoked; this one is {status}.")]
    RequestNotPending { status: String },
    #[error("Partners in the {cloud} cloud must include delegated admin privileges in a relationship request.")]
    AdminOptionRequiredInCloud { cloud: String },
    #[error("This invitation is for an organisation in the {partner_cloud} cloud, and your organisation is in the {customer_cloud} cloud. Partners can only work with customers in their own cloud.")]
    CloudMismatch {
        partner_cloud: String,
        customer_cloud: String,
    },
    #[error("Partners work with customers in their own country or region. This partner is in {partner_country} ({partner_region}); your organisation is in {customer_country} ({customer_region}).")]
    RegionMismatch {
        partner_country: String,
        partner_region: String,
        customer_country: String,
        customer_region: String,
    },
    #[error("An organisation cannot accept its own relationship request.")]
    SelfRelationship,
    #[error("Tick \"I have read and accept the customer agreement\" to accept.")]
    AgreementAcceptanceRequired,
    #[error("No customer agreement has been published yet; the operator must publish one before customers can accept requests.")]
    NoCurrentAgreement,
    #[error("The domain {domain} is already registered to another organisation.")]
    DomainTaken { domain: String },
    #[error("The e-mail address {email} is already in use.")]
    EmailTaken { email: String },
    #[error("This partner holds no admin roles in your organisation.")]
    NoAdminRoles,
    #[error("No {what} with that id exists or it is not visible to you.")]
    NotFound { what: &'static str },
    #[error(
        "The {field} contains a NUL byte or another control character; remove it and try again."
    )]
    UnstorableText { field: String },
    #[error("This is for the provider's operators; your account does not hold the operator role.")]
    OperatorRoleRequired,
    #[error("We could not create an organisation with these details. If you or your organisation already has an account, sign in with it and open the invitation link again; otherwise ask your organisation's Global admin to accept the invitation.")]
    SignupNotPossible,
    #[error("An organisation has already been created with this invitation link. Sign in with that organisation's account to continue, or ask the partner for a new link.")]
    InvitationSignupUsed,
    #[error("This confirmation link does not work: it was already used, it is more than 24 hours old, or it was copied incompletely. Open the invitation link and sign up again.")]
    SignupLinkInvalid,
    #[error("Only a partner that is a delegated admin or admin and nothing else can be deleted by you. Contact {partner} to end this relationship; you can remove its admin roles yourself.")]
    PartnerTypeRequiresPartnerAction { partner: String },
    #[error("Your organisation may not offer the partner type {partner_type}; the provider's operator sets which types each partner offers.")]
    PartnerTypeNotOffered { partner_type: String },
    #[error("Your organisation has not accepted version {version} of the customer agreement. A Global admin accepts it in the Admin Center under Agreement; until then nothing can be bought or provisioned for it.")]
    AgreementNotAccepted { version: i64 },
    #[error("Only a partner of type {partner_type} can do this for the customer; ask the customer for a relationship request of that type.")]
    PartnerTypeRequired { partner_type: String },
    #[error("You still have {count} active subscriptions for this customer: {subscriptions}. Cancel them before you end the relationship.")]
    ActiveSubscriptionsExist {
        count: usize,
        subscriptions: String,
        ids: Vec<crate::SubscriptionId>,
    },
    #[error("This Idempotency-Key was already used for a different request. Use a new key for a new request.")]
    IdempotencyKeyReused,
    #[error("This subscription is cancelled; it can no longer be changed.")]
    SubscriptionNotActive,
    #[error("{partner} provisioned this subscription; only it, or a partner holding Global admin or Billing admin roles for the customer, can change it.")]
    SubscriptionReadOnly { partner: String },
    #[error("A service request that is {from} cannot become {to}.")]
    ServiceRequestStatusChange { from: String, to: String },
    #[error("{count} rows of the file are not valid, so no device was added; fix them and upload the whole file again.")]
    DeviceRowsInvalid {
        count: usize,
        /// The first [`crate::MAX_ROW_ERRORS`] of them.
        rows: Vec<crate::RowError>,
    },
    #[error("An app version that is {from} cannot become {to}.")]
    AppStatusChange { from: String, to: String },
    #[error("Your roles in this organisation do not allow this ({capability}). A customer's admin needs a directory role that allows it; a partner's agent needs such a role granted by the customer and assigned by the partner admin.")]
    CapabilityRequired { capability: String },
    #[error("All {seats} licences of {product} are assigned. Remove a licence from someone else, or ask your partner for more seats.")]
    SeatsExhausted { product: String, seats: u32 },
    #[error("{in_use} licences of {product} are assigned to users, more than the {seats} seats asked for. Remove licences first, or keep at least {in_use} seats.")]
    SeatsInUse {
        product: String,
        seats: u32,
        in_use: u64,
    },
    #[error("This would leave the organisation without an enabled Global admin. Make another user Global admin first.")]
    LastGlobalAdmin,
    #[error("You cannot disable, delete or reset the password of your own account here, or remove your own Global admin role.")]
    OwnAccount,
    #[error("No role change is waiting for your consent from this partner.")]
    NoPendingRoles,
    #[error("Your password was set by an administrator and must be changed before you continue. Choose a new password.")]
    PasswordChangeRequired,
    #[error("{partner} does not work with your organisation as the Partner type, which is what guest accounts come with. Ask {partner} for a relationship request of type Partner.")]
    GuestsNeedPartnerType { partner: String },
    #[error("No user of {partner} with a partner role has this e-mail address. Ask {partner} for the address of the person you want to add.")]
    PartnerUserNotFound { partner: String },
    #[error("Too many unsuccessful attempts. Wait {}, then try again.", human_wait(*retry_after_secs))]
    TooManyAttempts { retry_after_secs: u64 },
    #[error("You have sent several requests to partners in a short time. Wait {}, then send this one again.", human_wait(*retry_after_secs))]
    TooManyLeads { retry_after_secs: u64 },
}

/// "45 seconds", "about 15 minutes": a wait as a person reads it.
fn human_wait(secs: u64) -> String {
    match secs {
        0..=1 => "a second".into(),
        2..=89 => format!("{secs} seconds"),
        _ => format!("about {} minutes", secs.div_ceil(60)),
    }
}

impl DomainError {
    /// The stable machine code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidInput { .. } => "invalid_input",
            Self::InvalidCursor => "invalid_cursor",
            Self::AuthenticationRequired => "authentication_required",
            Self::InvalidCredentials => "invalid_credentials",
            Self::InvalidToken => "invalid_token",
            Self::CsrfFailed => "csrf_failed",
            Self::NotGlobalAdmin => "not_global_admin",
            Self::NotAPartner => "not_a_partner",
            Self::PartnerRoleRequired { .. } => "partner_role_required",
            Self::RequestAlreadyUsed => "request_already_used",
            Self::RequestExpired => "request_expired",
            Self::RequestRevoked => "request_revoked",
            Self::RequestNotPending { .. } => "request_not_pending",
            Self::AdminOptionRequiredInCloud { .. } => "admin_option_required_in_cloud",
            Self::CloudMismatch { .. } => "cloud_mismatch",
            Self::RegionMismatch { .. } => "region_mismatch",
            Self::SelfRelationship => "self_relationship",
            Self::AgreementAcceptanceRequired => "agreement_acceptance_required",
            Self::NoCurrentAgreement => "no_current_agreement",
            Self::DomainTaken { .. } => "domain_taken",
            Self::EmailTaken { .. } => "email_taken",
            Self::NoAdminRoles => "no_admin_roles",
            Self::NotFound { .. } => "not_found",
            Self::UnstorableText { .. } => "invalid_text",
            Self::OperatorRoleRequired => "operator_role_required",
            Self::SignupNotPossible => "signup_not_possible",
            Self::InvitationSignupUsed => "invitation_signup_used",
            Self::SignupLinkInvalid => "signup_link_invalid",
            Self::AgreementNotAccepted { .. } => "agreement_not_accepted",
            Self::PartnerTypeNotOffered { .. } => "partner_type_not_offered",
            Self::PartnerTypeRequiresPartnerAction { .. } => "partner_type_requires_partner_action",
            Self::TooManyAttempts { .. } => "too_many_attempts",
            Self::TooManyLeads { .. } => "too_many_leads",
            Self::PartnerTypeRequired { .. } => "partner_type_required",
            Self::ActiveSubscriptionsExist { .. } => "active_subscriptions_exist",
            Self::IdempotencyKeyReused => "idempotency_key_reused",
            Self::SubscriptionNotActive => "subscription_not_active",
            Self::SubscriptionReadOnly { .. } => "subscription_read_only",
            Self::ServiceRequestStatusChange { .. } => "service_request_status_change",
            Self::DeviceRowsInvalid { .. } => "device_rows_invalid",
            Self::AppStatusChange { .. } => "app_status_change",
            Self::CapabilityRequired { .. } => "capability_required",
            Self::SeatsExhausted { .. } => "seats_exhausted",
            Self::SeatsInUse { .. } => "seats_in_use",
            Self::LastGlobalAdmin => "last_global_admin",
            Self::OwnAccount => "own_account",
            Self::NoPendingRoles => "no_pending_roles",
            Self::PasswordChangeRequired => "password_change_required",
            Self::GuestsNeedPartnerType { .. } => "guests_need_partner_type",
            Self::PartnerUserNotFound { .. } => "partner_user_not_found",
        }
    }

    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::InvalidInput { .. }
            | Self::DeviceRowsInvalid { .. }
            | Self::InvalidCursor
            | Self::AgreementAcceptanceRequired
            | Self::UnstorableText { .. }
            | Self::AdminOptionRequiredInCloud { .. }
            | Self::IdempotencyKeyReused => ErrorKind::Invalid,
            Self::AuthenticationRequired | Self::InvalidCredentials | Self::InvalidToken => {
                ErrorKind::Unauthenticated
            }
            Self::CsrfFailed
            | Self::NotGlobalAdmin
            | Self::NotAPartner
            | Self::PartnerRoleRequired { .. }
            | Self::CloudMismatch { .. }
            | Self::RegionMismatch { .. }
            | Self::SelfRelationship
            | Self::OperatorRoleRequired
            | Self::PartnerTypeNotOffered { .. }
            | Self::PartnerTypeRequired { .. }
            | Self::SubscriptionReadOnly { .. }
            | Self::CapabilityRequired { .. }
            | Self::PasswordChangeRequired => ErrorKind::Forbidden,
            Self::NotFound { .. } | Self::PartnerUserNotFound { .. } => ErrorKind::NotFound,
            Self::RequestNotPending { .. }
            | Self::NoAdminRoles
            | Self::NoCurrentAgreement
            | Self::DomainTaken { .. }
            | Self::EmailTaken { .. }
            | Self::SignupNotPossible
            | Self::InvitationSignupUsed
            | Self::AgreementNotAccepted { .. }
            | Self::PartnerTypeRequiresPartnerAction { .. }
            | Self::ActiveSubscriptionsExist { .. }
            | Self::SubscriptionNotActive
            | Self::ServiceRequestStatusChange { .. }
            | Self::AppStatusChange { .. }
            | Self::SeatsExhausted { .. }
            | Self::SeatsInUse { .. }
            | Self::LastGlobalAdmin
            | Self::OwnAccount
            | Self::NoPendingRoles
            | Self::GuestsNeedPartnerType { .. } => ErrorKind::Conflict,
            Self::RequestAlreadyUsed
            | Self::RequestExpired
            | Self::RequestRevoked
            | Self::SignupLinkInvalid => ErrorKind::Gone,
            Self::TooManyAttempts { .. } | Self::TooManyLeads { .. } => ErrorKind::Throttled,
        }
    }

    /// A short title for the error class, used as the problem-details `title`.
    pub fn title(&self) -> &'static str {
        match self.kind() {
            ErrorKind::Invalid => "Invalid request",
            ErrorKind::Unauthenticated => "Authentication required",
            ErrorKind::Forbidden => "Not allowed",
            ErrorKind::NotFound => "Not found",
            ErrorKind::Conflict => "Conflict",
            ErrorKind::Gone => "No longer available",
            ErrorKind::Throttled => "Too many attempts",
        }
    }

    /// The refusal of a device file for its rows' errors (all counted, the first
    /// [`crate::MAX_ROW_ERRORS`] kept).
    pub fn rows_invalid(mut rows: Vec<crate::RowError>) -> Self {
        let count = rows.len();
        rows.truncate(crate::MAX_ROW_ERRORS);
        Self::DeviceRowsInvalid { count, rows }
    }

    pub fn invalid(field: impl Into<String>, reason: crate::InvalidReason) -> Self {
        Self::InvalidInput {
            field: field.into(),
            reason,
        }
    }

    /// The values its message uses, by name (codes such as clouds and statuses are named
    /// by the web layer in the reader's language).
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            Self::InvalidInput { field, reason } => {
                let mut a = reason.args();
                a.push(("field", field.clone()));
                a
            }
            Self::PartnerRoleRequired { needed } => vec![("needed", needed.clone())],
            Self::RequestNotPending { status } => vec![("status", status.clone())],
            Self::AdminOptionRequiredInCloud { cloud } => vec![("cloud", cloud.clone())],
            Self::CloudMismatch {
                partner_cloud,
                customer_cloud,
            } => vec![
                ("partner_cloud", partner_cloud.clone()),
                ("customer_cloud", customer_cloud.clone()),
            ],
            Self::RegionMismatch {
                partner_country,
                partner_region,
                customer_country,
                customer_region,
            } => vec![
                ("partner_country", partner_country.clone()),
                ("partner_region", partner_region.clone()),
                ("customer_country", customer_country.clone()),
                ("customer_region", customer_region.clone()),
            ],
            Self::DomainTaken { domain } => vec![("domain", domain.clone())],
            Self::AgreementNotAccepted { version } => vec![("version", version.to_string())],
            Self::PartnerTypeRequiresPartnerAction { partner } => {
                vec![("partner", partner.clone())]
            }
            Self::PartnerTypeNotOffered { partner_type }
            | Self::PartnerTypeRequired { partner_type } => {
                vec![("partner_type", partner_type.clone())]
            }
            Self::EmailTaken { email } => vec![("email", email.clone())],
            Self::ActiveSubscriptionsExist {
                count,
                subscriptions,
                ..
            } => vec![
                ("count", count.to_string()),
                ("subscriptions", subscriptions.clone()),
            ],
            Self::SubscriptionReadOnly { partner }
            | Self::GuestsNeedPartnerType { partner }
            | Self::PartnerUserNotFound { partner } => vec![("partner", partner.clone())],
            Self::ServiceRequestStatusChange { from, to } => {
                vec![("from", from.clone()), ("to", to.clone())]
            }
            Self::AppStatusChange { from, to } => {
                vec![("app_from", from.clone()), ("app_to", to.clone())]
            }
            Self::DeviceRowsInvalid { count, .. } => vec![("count", count.to_string())],
            Self::CapabilityRequired { capability } => vec![("capability", capability.clone())],
            Self::SeatsExhausted { product, seats } => {
                vec![("product", product.clone()), ("seats", seats.to_string())]
            }
            Self::SeatsInUse {
                product,
                seats,
                in_use,
            } => vec![
                ("product", product.clone()),
                ("seats", seats.to_string()),
                ("in_use", in_use.to_string()),
            ],
            Self::NotFound { what } => vec![("what", what.to_string())],
            Self::UnstorableText { field } => vec![("field", field.clone())],
            Self::TooManyAttempts { retry_after_secs }
            | Self::TooManyLeads { retry_after_secs } => {
                let s = *retry_after_secs;
                let minutes = if s < 90 { 0 } else { s.div_ceil(60) };
                vec![
                    ("seconds", s.max(1).to_string()),
                    ("minutes", minutes.to_string()),
                ]
            }
            _ => Vec::new(),
        }
    }

    /// The message id of its wording: `error-<code>`, or `invalid-<reason>` for input.
    pub fn message_id(&self) -> String {
        match self {
            Self::InvalidInput { reason, .. } => format!("invalid-{}", reason.id()),
            _ => format!("error-{}", self.code()),
        }
    }

    fn samples_but_input() -> Vec<DomainError> {
        vec![
            DomainError::InvalidCursor,
            DomainError::AuthenticationRequired,
            DomainError::InvalidCredentials,
            DomainError::InvalidToken,
            DomainError::CsrfFailed,
            DomainError::NotGlobalAdmin,
            DomainError::NotAPartner,
            DomainError::PartnerRoleRequired { needed: "x".into() },
            DomainError::RequestAlreadyUsed,
            DomainError::RequestExpired,
            DomainError::RequestRevoked,
            DomainError::RequestNotPending { status: "x".into() },
            DomainError::AdminOptionRequiredInCloud {
                cloud: "usgov".into(),
            },
            DomainError::CloudMismatch {
                partner_cloud: "a".into(),
                customer_cloud: "b".into(),
            },
            DomainError::RegionMismatch {
                partner_country: "KR".into(),
                partner_region: "a".into(),
                customer_country: "US".into(),
                customer_region: "b".into(),
            },
            DomainError::SelfRelationship,
            DomainError::AgreementAcceptanceRequired,
            DomainError::NoCurrentAgreement,
            DomainError::DomainTaken { domain: "d".into() },
            DomainError::EmailTaken { email: "e".into() },
            DomainError::NoAdminRoles,
            DomainError::NotFound { what: "thing" },
            DomainError::UnstorableText { field: "q".into() },
            DomainError::OperatorRoleRequired,
            DomainError::SignupNotPossible,
            DomainError::InvitationSignupUsed,
            DomainError::SignupLinkInvalid,
            DomainError::AgreementNotAccepted { version: 2 },
            DomainError::PartnerTypeNotOffered {
                partner_type: "mpsa".into(),
            },
            DomainError::PartnerTypeRequiresPartnerAction {
                partner: "Contoso".into(),
            },
            DomainError::TooManyAttempts {
                retry_after_secs: 1,
            },
            DomainError::TooManyLeads {
                retry_after_secs: 600,
            },
            DomainError::PartnerTypeRequired {
                partner_type: "reseller".into(),
            },
            DomainError::ActiveSubscriptionsExist {
                count: 2,
                subscriptions: "M365-BP × 10, TEAMS-ESS × 5".into(),
                ids: Vec::new(),
            },
            DomainError::IdempotencyKeyReused,
            DomainError::SubscriptionNotActive,
            DomainError::SubscriptionReadOnly {
                partner: "Contoso".into(),
            },
            DomainError::ServiceRequestStatusChange {
                from: "closed".into(),
                to: "new".into(),
            },
            DomainError::rows_invalid(vec![crate::RowError::new(
                3,
                "serial_number",
                crate::InvalidReason::Required,
            )]),
            DomainError::AppStatusChange {
                from: "approved".into(),
                to: "pending_approval".into(),
            },
            DomainError::CapabilityRequired {
                capability: "users_write".into(),
            },
            DomainError::SeatsExhausted {
                product: "Microsoft 365 Business Premium".into(),
                seats: 10,
            },
            DomainError::SeatsInUse {
                product: "Microsoft 365 Business Premium".into(),
                seats: 5,
                in_use: 7,
            },
            DomainError::LastGlobalAdmin,
            DomainError::OwnAccount,
            DomainError::NoPendingRoles,
            DomainError::PasswordChangeRequired,
            DomainError::GuestsNeedPartnerType {
                partner: "Contoso KR".into(),
            },
            DomainError::PartnerUserNotFound {
                partner: "Contoso KR".into(),
            },
        ]
    }

    /// One of each, for tests that check every error is worded in every language.
    pub fn samples() -> Vec<DomainError> {
        let mut all: Vec<DomainError> = crate::InvalidReason::samples()
            .into_iter()
            .map(|r| DomainError::invalid("name", r))
            .collect();
        all.extend(Self::samples_but_input());
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_snake_case_and_unique() {
        let all = DomainError::samples();
        let mut distinct = DomainError::samples_but_input();
        distinct.push(DomainError::invalid("x", crate::InvalidReason::Required));
        let mut codes: Vec<_> = distinct.iter().map(DomainError::code).collect();
        for c in &codes {
            assert!(
                c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_'),
                "{c}"
            );
        }
        let n = codes.len();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), n, "duplicate error code");
        for e in &all {
            assert!(!e.to_string().is_empty());
        }
        let wait = |s| {
            DomainError::TooManyAttempts {
                retry_after_secs: s,
            }
            .to_string()
        };
        assert!(wait(898).contains("about 15 minutes"), "{}", wait(898));
        assert!(wait(45).contains("45 seconds"));
    }
}
