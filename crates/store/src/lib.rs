//! Accord's storage: per-aggregate read and write traits, combined into [`ReadTx`] (a
//! transaction whose type offers no write) and [`WriteTx`] (one that can write and commit),
//! the records they exchange, and [`SqlStore`], their implementation on SQL databases
//! (SQLite by default; PostgreSQL with the same queries and its own migration set).
//!
//! The store persists and retrieves; it never decides policy. Every write happens inside a
//! [`WriteTx`] that the service commits once per use case, so a state change, its audit
//! events, its outbox rows and its change-feed rows land together or not at all. A unique
//! violation is reported as [`StoreError::Conflict`] naming the constraint (see
//! [`constraint`]), and a stored value that cannot be read back is [`StoreError::Corrupt`],
//! never a default.

mod agreements;
mod audit;
mod commerce;
mod credentials;
mod directory;
mod feed;
mod listings;
mod oem;
mod regions;
mod relationships;
mod requests;
mod signups;
mod sql;
mod support;
mod tenants;

use async_trait::async_trait;

pub use agreements::*;
pub use audit::*;
pub use commerce::*;
pub use credentials::*;
pub use directory::*;
pub use feed::*;
pub use listings::*;
pub use oem::*;
pub use regions::*;
pub use relationships::*;
pub use requests::*;
pub use signups::*;
pub use sql::{fold, redact_url, SqlStore, StoreOptions};
pub use support::*;
pub use tenants::*;

/// Every aggregate's traits, for `use accord_store::prelude::*`.
pub mod prelude {
    pub use crate::{
        AgreementReads, AgreementWrites, AuditReads, AuditWrites, CommerceReads, CommerceWrites,
        CredentialReads, CredentialWrites, DirectoryReads, DirectoryWrites, FeedReads, FeedWrites,
        ListingReads, ListingWrites, OemReads, OemWrites, ReadTx, RegionReads, RegionWrites,
        RelationshipReads, RelationshipWrites, RequestReads, RequestWrites, SignupReads,
        SignupWrites, Store, SupportReads, SupportWrites, TenantReads, TenantWrites, WriteTx,
    };
}

/// The names of the uniqueness rules a use case may break, as [`StoreError::Conflict`]
/// reports them on every backend (PostgreSQL's constraint names; SQLite's column lists are
/// mapped to them).
pub mod constraint {
    /// Two organisations with one domain.
    pub const TENANT_DOMAIN: &str = "tenants_domain_key";
    /// Two users with one e-mail address (unique across tenants).
    pub const USER_EMAIL: &str = "user_logins_pkey";
    /// Organisation ids.
    pub const TENANT_ID: &str = "tenants_pkey";
    /// User ids within a tenant.
    pub const USER_ID: &str = "users_pkey";
    /// Session tokens.
    pub const SESSION_TOKEN: &str = "sessions_pkey";
    /// Access tokens.
    pub const API_TOKEN: &str = "api_tokens_pkey";
    /// Access token ids within a tenant.
    pub const API_TOKEN_ID: &str = "api_tokens_by_id";
    /// Agreement versions.
    pub const AGREEMENT_VERSION: &str = "agreements_pkey";
    /// A second acceptance of one version by one tenant.
    pub const ACCEPTANCE_VERSION: &str = "agreement_acceptances_tenant_id_version_key";
    /// Request ids within a partner.
    pub const REQUEST_ID: &str = "relationship_requests_pkey";
    /// Invitation link tokens within a partner.
    pub const REQUEST_TOKEN: &str = "relationship_requests_tenant_id_token_hash_key";
    /// Organisations created from one invitation link.
    pub const SIGNUP_REQUEST: &str = "invitation_signups_pkey";
    /// Subscription ids within a customer.
    pub const SUBSCRIPTION_ID: &str = "subscriptions_pkey";
    /// A serial number a customer already has.
    pub const DEVICE_SERIAL: &str = "devices_serial";
    /// A hardware hash a customer already has.
    pub const DEVICE_HASH: &str = "devices_hash";
    /// A version label an app already has.
    pub const APP_VERSION_LABEL: &str = "lob_app_versions_label";
    /// Change-feed sequence numbers.
    pub const CHANGE_SEQ: &str = "change_feed_pkey";
}

/// A storage failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A uniqueness rule was broken; the name is one of [`constraint`]'s.
    #[error("unique constraint violated: {0}")]
    Conflict(String),
    /// A stored value cannot be read back (a NULL where a value is required, an unknown
    /// enum value, a time out of range).
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// A value the backend cannot store (a NUL byte in text on PostgreSQL, say). The
    /// service validates input before it gets here; this is the last line.
    #[error("value cannot be stored: {0}")]
    Unstorable(String),
    #[error("invalid database settings: {0}")]
    Config(String),
    #[error("database error: {0}")]
    Database(sqlx::Error),
    #[error("migration error: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl From<sqlx::Error> for StoreError {
    /// Unique violations become named conflicts and text the backend cannot store becomes
    /// [`StoreError::Unstorable`], wherever a query fails.
    fn from(e: sqlx::Error) -> Self {
        sql::write_err(e)
    }
}

impl StoreError {
    /// The constraint a conflict names, if this is one.
    pub fn constraint(&self) -> Option<&str> {
        match self {
            StoreError::Conflict(c) => Some(c),
            _ => None,
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A database that hands out transactions.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// A transaction for a use case that writes. Commit it with [`WriteTx::commit`];
    /// dropping it rolls back.
    async fn write(&self) -> StoreResult<Box<dyn WriteTx>>;
    /// A transaction that only reads (a consistent snapshot); its type offers no write,
    /// and the backend refuses writes on it as well.
    async fn read(&self) -> StoreResult<Box<dyn ReadTx>>;
    /// Which backend this is, for logs and health output.
    fn backend(&self) -> &'static str;
    /// Waits until the change feed may have grown (a notification on PostgreSQL) or
    /// `timeout` passes, whichever comes first. Followers poll after it returns.
    async fn wait_for_changes(&self, timeout: std::time::Duration);
}

/// Every aggregate's reads.
pub trait ReadTx:
    TenantReads
    + CredentialReads
    + RegionReads
    + AgreementReads
    + RequestReads
    + RelationshipReads
    + AuditReads
    + CommerceReads
    + FeedReads
    + SignupReads
    + SupportReads
    + OemReads
    + DirectoryReads
    + ListingReads
    + Send
{
}

impl<T> ReadTx for T where
    T: TenantReads
        + CredentialReads
        + RegionReads
        + AgreementReads
        + RequestReads
        + RelationshipReads
        + AuditReads
        + CommerceReads
        + FeedReads
        + SignupReads
        + SupportReads
        + OemReads
        + DirectoryReads
        + ListingReads
        + Send
{
}

/// Every aggregate's reads and writes, and the one commit.
#[async_trait]
pub trait WriteTx:
    ReadTx
    + TenantWrites
    + CredentialWrites
    + RegionWrites
    + AgreementWrites
    + RequestWrites
    + RelationshipWrites
    + AuditWrites
    + CommerceWrites
    + FeedWrites
    + SignupWrites
    + SupportWrites
    + OemWrites
    + DirectoryWrites
    + ListingWrites
{
    async fn commit(self: Box<Self>) -> StoreResult<()>;
}
