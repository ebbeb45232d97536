//! Why an input was refused: one variant per rule, with the values a message needs. The
//! web layer words each one per language (`invalid-<id>` messages); `Display` is the
//! English wording for logs and the command line.

use std::fmt;

/// The reason of a [`crate::DomainError::InvalidInput`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InvalidReason {
    /// A required text is empty.
    Required,
    /// A text is longer than `max` characters.
    TooLong {
        max: usize,
    },
    /// A name contains control characters.
    ControlCharacters,
    /// A value is not one of a fixed set.
    NotOneOf {
        value: String,
        expected: String,
    },
    /// A country that is not a two-letter code.
    Country,
    Email,
    Domain,
    PasswordTooShort {
        min: usize,
    },
    PasswordTooLong {
        max: usize,
    },
    /// A granular request without roles.
    NoAdminRoles,
    /// `user` asked for as an admin role.
    NotAnAdminRole,
    /// A grant duration out of range.
    Duration {
        max: u32,
    },
    /// Auto-extend asked for with Global admin.
    AutoExtendGlobalAdmin,
    /// A user created without any role.
    UserWithoutRole,
    /// A role that the organisation's kind cannot hold.
    RoleNotForOrganisation {
        role: String,
        organisation: String,
    },
    /// A token lifetime out of range.
    TokenDays {
        max: u32,
    },
    AgreementEmpty,
    Region,
    /// A page size out of range.
    Limit {
        max: u32,
    },
    /// A portal form over the size limit.
    FormTooLarge,
    /// A portal form, path or query that cannot be read.
    Unreadable {
        detail: String,
    },
    /// `duration_days`/`auto_extend` without `admin_roles`.
    DurationNeedsRoles,
    /// `admin_roles` without `include_admin_privileges`.
    RolesNeedAdminPrivileges,
    /// `admin_roles` without `duration_days`.
    DurationRequired,
    /// An empty `customer_email`.
    CustomerEmailBlank,
    /// A request without any partner type.
    NoTypes,
    /// `delegated_admin` or `admin` asked for without admin privileges.
    TypesNeedAdminPrivileges,
    /// A seat count out of range.
    Quantity {
        max: u32,
    },
    /// A per-subscription product bought more than once in one subscription.
    QuantityOne,
    /// A product code of the wrong shape.
    Sku,
    /// An `Idempotency-Key` of the wrong shape.
    IdempotencyKey,
    /// A product that is not sold (or not in the caller's cloud).
    ProductNotAvailable {
        sku: String,
    },
    /// A product offered in no cloud.
    NoClouds,
    /// An uploaded file over the size limit.
    FileTooLarge {
        max_kib: usize,
    },
    /// A device file that is not CSV text.
    CsvUnreadable {
        detail: String,
    },
    /// A device file whose header lacks required columns.
    CsvHeader {
        missing: String,
    },
    /// A device file without any device row.
    CsvNoRows,
    /// A device file with more rows than one upload takes.
    CsvTooManyRows {
        max: usize,
    },
    /// A row with more or fewer cells than the header.
    ColumnCount {
        expected: usize,
        found: usize,
    },
    SerialNumber {
        max: usize,
    },
    ProductId {
        max: usize,
    },
    HardwareHash {
        max: usize,
    },
    /// A device that an earlier row of the same file already names.
    DuplicateRow {
        first_row: usize,
    },
    /// A device already in the customer's device list.
    DeviceRegistered,
    AppVersion {
        max: usize,
    },
    PackageUrl {
        max: usize,
    },
    /// A version label the app already has.
    AppVersionTaken {
        version: String,
    },
    /// A portal base URL of the wrong shape.
    BaseUrl {
        max: usize,
    },
    /// A role approved that the partner did not ask for.
    NotAsked,
    /// A role assigned to an agent that the customer has not granted the partner.
    RoleNotGranted {
        role: String,
    },
    /// An access assignment for someone who is not one of the partner's agents.
    NotAnAgent,
    /// A new password the same as the one it replaces.
    PasswordUnchanged,
    /// A new password and its confirmation that differ.
    PasswordsDiffer,
    /// `global_admin` for a guest account.
    GuestGlobalAdmin,
    /// More guest accounts of one partner than a customer may hold.
    TooManyGuests {
        max: usize,
    },
    /// A list with more items than allowed.
    TooManyItems {
        max: usize,
    },
    /// A published profile needs this list filled, so that the directory's filters find it.
    NeededToPublish,
    /// A phone number with characters other than digits, spaces and `+-().`.
    Phone,
    /// A lead sent to no partner.
    NoPartnersSelected,
    /// A list that names one value twice.
    DuplicateItems,
}

impl InvalidReason {
    /// The message id suffix: `invalid-<id>`.
    pub fn id(&self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::TooLong { .. } => "too-long",
            Self::ControlCharacters => "control-characters",
            Self::NotOneOf { .. } => "not-one-of",
            Self::Country => "country",
            Self::Email => "email",
            Self::Domain => "domain",
            Self::PasswordTooShort { .. } => "password-too-short",
            Self::PasswordTooLong { .. } => "password-too-long",
            Self::NoAdminRoles => "no-admin-roles",
            Self::NotAnAdminRole => "not-an-admin-role",
            Self::Duration { .. } => "duration",
            Self::AutoExtendGlobalAdmin => "auto-extend-global-admin",
            Self::UserWithoutRole => "user-without-role",
            Self::RoleNotForOrganisation { .. } => "role-not-for-organisation",
            Self::TokenDays { .. } => "token-days",
            Self::AgreementEmpty => "agreement-empty",
            Self::Region => "region",
            Self::Limit { .. } => "limit",
            Self::FormTooLarge => "form-too-large",
            Self::Unreadable { .. } => "unreadable",
            Self::DurationNeedsRoles => "duration-needs-roles",
            Self::RolesNeedAdminPrivileges => "roles-need-admin-privileges",
            Self::DurationRequired => "duration-required",
            Self::CustomerEmailBlank => "customer-email-blank",
            Self::NoTypes => "no-types",
            Self::TypesNeedAdminPrivileges => "types-need-admin-privileges",
            Self::Quantity { .. } => "quantity",
            Self::QuantityOne => "quantity-one",
            Self::Sku => "sku",
            Self::IdempotencyKey => "idempotency-key",
            Self::ProductNotAvailable { .. } => "product-not-available",
            Self::NoClouds => "no-clouds",
            Self::FileTooLarge { .. } => "file-too-large",
            Self::CsvUnreadable { .. } => "csv-unreadable",
            Self::CsvHeader { .. } => "csv-header",
            Self::CsvNoRows => "csv-no-rows",
            Self::CsvTooManyRows { .. } => "csv-too-many-rows",
            Self::ColumnCount { .. } => "column-count",
            Self::SerialNumber { .. } => "serial-number",
            Self::ProductId { .. } => "product-id",
            Self::HardwareHash { .. } => "hardware-hash",
            Self::DuplicateRow { .. } => "duplicate-row",
            Self::DeviceRegistered => "device-registered",
            Self::AppVersion { .. } => "app-version",
            Self::PackageUrl { .. } => "package-url",
            Self::AppVersionTaken { .. } => "app-version-taken",
            Self::BaseUrl { .. } => "base-url",
            Self::NotAsked => "not-asked",
            Self::RoleNotGranted { .. } => "role-not-granted",
            Self::NotAnAgent => "not-an-agent",
            Self::PasswordUnchanged => "password-unchanged",
            Self::PasswordsDiffer => "passwords-differ",
            Self::GuestGlobalAdmin => "guest-global-admin",
            Self::TooManyGuests { .. } => "too-many-guests",
            Self::TooManyItems { .. } => "too-many-items",
            Self::NeededToPublish => "needed-to-publish",
            Self::Phone => "phone",
            Self::NoPartnersSelected => "no-partners-selected",
            Self::DuplicateItems => "duplicate-items",
        }
    }

    /// The values its message uses.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            Self::TooLong { max } | Self::PasswordTooLong { max } => {
                vec![("max", max.to_string())]
            }
            Self::PasswordTooShort { min } => vec![("min", min.to_string())],
            Self::NotOneOf { value, expected } => {
                vec![("value", value.clone()), ("expected", expected.clone())]
            }
            Self::Duration { max }
            | Self::TokenDays { max }
            | Self::Limit { max }
            | Self::Quantity { max } => {
                vec![("max", max.to_string())]
            }
            Self::RoleNotForOrganisation { role, organisation } => vec![
                ("role", role.clone()),
                ("organisation", organisation.clone()),
            ],
            Self::Unreadable { detail } => vec![("detail", detail.clone())],
            Self::ProductNotAvailable { sku } => vec![("sku", sku.clone())],
            Self::FileTooLarge { max_kib } => vec![("max_kib", max_kib.to_string())],
            Self::CsvUnreadable { detail } => vec![("detail", detail.clone())],
            Self::CsvHeader { missing } => vec![("missing", missing.clone())],
            Self::CsvTooManyRows { max }
            | Self::TooManyGuests { max }
            | Self::TooManyItems { max }
            | Self::SerialNumber { max }
            | Self::ProductId { max }
            | Self::HardwareHash { max }
            | Self::AppVersion { max }
            | Self::PackageUrl { max }
            | Self::BaseUrl { max } => vec![("max", max.to_string())],
            Self::ColumnCount { expected, found } => vec![
                ("expected", expected.to_string()),
                ("found", found.to_string()),
            ],
            Self::DuplicateRow { first_row } => vec![("first_row", first_row.to_string())],
            Self::AppVersionTaken { version } => vec![("version", version.clone())],
            Self::RoleNotGranted { role } => vec![("role", role.clone())],
            _ => Vec::new(),
        }
    }

    /// One of each, for tests that check every reason is worded in every language.
    pub fn samples() -> Vec<InvalidReason> {
        vec![
            Self::Required,
            Self::TooLong { max: 200 },
            Self::ControlCharacters,
            Self::NotOneOf {
                value: "mars".into(),
                expected: "public, usgov".into(),
            },
            Self::Country,
            Self::Email,
            Self::Domain,
            Self::PasswordTooShort { min: 10 },
            Self::PasswordTooLong { max: 256 },
            Self::NoAdminRoles,
            Self::NotAnAdminRole,
            Self::NotAsked,
            Self::RoleNotGranted {
                role: "user_admin".into(),
            },
            Self::NotAnAgent,
            Self::PasswordUnchanged,
            Self::PasswordsDiffer,
            Self::GuestGlobalAdmin,
            Self::TooManyGuests { max: 200 },
            Self::TooManyItems { max: 20 },
            Self::NeededToPublish,
            Self::Phone,
            Self::NoPartnersSelected,
            Self::DuplicateItems,
            Self::Duration { max: 730 },
            Self::AutoExtendGlobalAdmin,
            Self::UserWithoutRole,
            Self::RoleNotForOrganisation {
                role: "operator".into(),
                organisation: "Contoso".into(),
            },
            Self::TokenDays { max: 3650 },
            Self::AgreementEmpty,
            Self::Region,
            Self::Limit { max: 200 },
            Self::FormTooLarge,
            Self::Unreadable { detail: "x".into() },
            Self::DurationNeedsRoles,
            Self::RolesNeedAdminPrivileges,
            Self::DurationRequired,
            Self::CustomerEmailBlank,
            Self::NoTypes,
            Self::TypesNeedAdminPrivileges,
            Self::Quantity { max: 300 },
            Self::QuantityOne,
            Self::Sku,
            Self::IdempotencyKey,
            Self::ProductNotAvailable {
                sku: "M365-BP".into(),
            },
            Self::NoClouds,
            Self::FileTooLarge { max_kib: 4096 },
            Self::CsvUnreadable { detail: "x".into() },
            Self::CsvHeader {
                missing: "hardware_hash".into(),
            },
            Self::CsvNoRows,
            Self::CsvTooManyRows { max: 500 },
            Self::ColumnCount {
                expected: 3,
                found: 2,
            },
            Self::SerialNumber { max: 64 },
            Self::ProductId { max: 64 },
            Self::HardwareHash { max: 8192 },
            Self::DuplicateRow { first_row: 2 },
            Self::DeviceRegistered,
            Self::AppVersion { max: 50 },
            Self::PackageUrl { max: 2000 },
            Self::AppVersionTaken {
                version: "1.0".into(),
            },
            Self::BaseUrl { max: 500 },
        ]
    }
}

impl fmt::Display for InvalidReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Required => write!(f, "This is required."),
            Self::TooLong { max } => write!(f, "This is longer than {max} characters."),
            Self::ControlCharacters => write!(f, "This contains control characters."),
            Self::NotOneOf { value, expected } => {
                write!(f, "\"{value}\" is not valid; expected one of: {expected}")
            }
            Self::Country => write!(f, "Choose a country (a two-letter ISO 3166-1 code such as KR or US)."),
            Self::Email => write!(f, "Enter an e-mail address such as name@example.com."),
            Self::Domain => write!(f, "Enter a domain name such as contoso.example (letters, digits, hyphens and dots)."),
            Self::PasswordTooShort { min } => write!(f, "The password must have at least {min} characters."),
            Self::PasswordTooLong { max } => write!(f, "The password must have at most {max} characters."),
            Self::NoAdminRoles => write!(f, "Choose at least one directory role to request."),
            Self::NotAnAdminRole => write!(f, "\"user\" is not an admin role; choose admin roles only."),
            Self::NotAsked => write!(f, "Approve only roles the partner asked for."),
            Self::RoleNotGranted { role } => write!(f, "The customer has not granted your organisation the role {role}; assign only granted roles."),
            Self::NotAnAgent => write!(f, "Choose a user of your organisation with a partner role other than sales agent."),
            Self::PasswordUnchanged => write!(f, "Choose a password different from the one you signed in with."),
            Self::PasswordsDiffer => write!(f, "The two new passwords are not the same; type the same password twice."),
            Self::TooManyGuests { max } => write!(f, "A partner can have at most {max} guest accounts in your organisation; remove one first."),
            Self::TooManyItems { max } => write!(f, "At most {max} items are allowed here."),
            Self::NeededToPublish => write!(f, "Choose at least one before publishing, so that visitors filtering the directory can find you."),
            Self::Phone => write!(f, "A phone number may hold only digits, spaces and + - ( ) ."),
            Self::NoPartnersSelected => write!(f, "Select at least one partner to contact."),
            Self::DuplicateItems => write!(f, "A value is named twice; name each once."),
            Self::GuestGlobalAdmin => write!(f, "A guest account cannot be Global admin. If the partner needs it, it asks for admin roles and you approve them."),
            Self::Duration { max } => write!(f, "The duration must be between 1 and {max} days."),
            Self::AutoExtendGlobalAdmin => write!(f, "Auto-extend is not available for grants that include Global admin."),
            Self::UserWithoutRole => write!(f, "Give the user at least one role."),
            Self::RoleNotForOrganisation { role, organisation } => write!(f, "The role {role} cannot be given in {organisation}: partner roles are for partner organisations, the operator role for the provider's own."),
            Self::TokenDays { max } => write!(f, "A token lives from 1 to {max} days; leave it out for a token without end."),
            Self::AgreementEmpty => write!(f, "The agreement text is empty."),
            Self::Region => write!(f, "A region is a short name in lower case, digits and underscores, such as asia_pacific."),
            Self::Limit { max } => write!(f, "The limit must be between 1 and {max}."),
            Self::FormTooLarge => write!(f, "The form is larger than 64 KiB. Shorten the text and try again."),
            Self::Unreadable { detail } => write!(f, "This could not be read ({detail}). Reload the page and try again."),
            Self::DurationNeedsRoles => write!(f, "duration_days and auto_extend apply to granular roles; give admin_roles too."),
            Self::RolesNeedAdminPrivileges => write!(f, "admin_roles needs include_admin_privileges: true."),
            Self::DurationRequired => write!(f, "Give duration_days (1 to 730) with admin_roles."),
            Self::CustomerEmailBlank => write!(f, "Leave customer_email out, or give an e-mail address such as name@example.com."),
            Self::NoTypes => write!(f, "Choose at least one partner type."),
            Self::TypesNeedAdminPrivileges => write!(f, "The delegated admin and admin types include admin privileges; set include_admin_privileges to true."),
            Self::Quantity { max } => write!(f, "The quantity must be a whole number from 1 to {max}."),
            Self::QuantityOne => write!(f, "This product is sold per subscription; the quantity is 1."),
            Self::Sku => write!(f, "A product code has 1 to 40 letters, digits, hyphens, underscores or dots, such as M365-BP."),
            Self::IdempotencyKey => write!(f, "An Idempotency-Key has 1 to 255 visible ASCII characters without spaces; a UUID works well."),
            Self::ProductNotAvailable { sku } => write!(f, "The product {sku} is not sold in this cloud; GET /api/v1/products lists what can be bought."),
            Self::NoClouds => write!(f, "Choose at least one cloud the product is sold in."),
            Self::FileTooLarge { max_kib } => write!(f, "The file is larger than {max_kib} KiB; split it into smaller files."),
            Self::CsvUnreadable { detail } => write!(f, "The file could not be read as CSV ({detail}). Save it as CSV in UTF-8 and upload it again."),
            Self::CsvHeader { missing } => write!(f, "The first row must name the columns; these are missing: {missing}. Use the header Device Serial Number,Windows Product ID,Hardware Hash."),
            Self::CsvNoRows => write!(f, "The file has a header but no device rows."),
            Self::CsvTooManyRows { max } => write!(f, "One file registers at most {max} devices; split the file."),
            Self::ColumnCount { expected, found } => write!(f, "This row has {found} cells; the header has {expected}."),
            Self::SerialNumber { max } => write!(f, "A serial number has 1 to {max} letters, digits, hyphens, underscores, dots or slashes."),
            Self::ProductId { max } => write!(f, "A product id has up to {max} letters, digits and hyphens, or is left empty."),
            Self::HardwareHash { max } => write!(f, "A hardware hash is the base64 text the device reports, at most {max} characters."),
            Self::DuplicateRow { first_row } => write!(f, "Row {first_row} already names this device."),
            Self::DeviceRegistered => write!(f, "This device is already in the customer's device list."),
            Self::AppVersion { max } => write!(f, "A version has 1 to {max} letters, digits, dots, hyphens, plus signs or underscores, such as 1.4.2."),
            Self::PackageUrl { max } => write!(f, "The package URL must be an https address of at most {max} characters, without a user name or password."),
            Self::AppVersionTaken { version } => write!(f, "This app already has a version {version}; give the new version another label."),
            Self::BaseUrl { max } => write!(f, "The base URL must be an http or https address of at most {max} characters, without a user name, query or fragment, or empty for this deployment's public URL."),
        }
    }
}
