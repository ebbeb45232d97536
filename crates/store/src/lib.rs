//! Accord's storage: the [`Store`] and [`Tx`] traits the service layer programs against,
//! the records they exchange, and [`SqlStore`], their implementation on SQL databases
//! (SQLite by default; the same queries are written to run on PostgreSQL).
//!
//! The store persists and retrieves; it never decides policy. Every write happens inside a
//! [`Tx`] that the service commits once per use case, so a state change, its audit events
//! and its outbox rows land together or not at all.

mod records;
mod sql;

use async_trait::async_trait;

pub use records::*;
pub use sql::{SqlStore, StoreOptions};

/// A storage failure. Constraint violations that a use case expects (a duplicate domain,
/// say) are reported as [`StoreError::Conflict`] so the service can turn them into rule
/// errors; everything else is an internal error.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("unique constraint violated: {0}")]
    Conflict(String),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("invalid database settings: {0}")]
    Config(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration error: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A database that hands out transactions.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// A transaction for a use case that writes. Commit it with [`Tx::commit`]; dropping it
    /// rolls back.
    async fn write(&self) -> StoreResult<Box<dyn Tx>>;
    /// A transaction that only reads (a consistent snapshot).
    async fn read(&self) -> StoreResult<Box<dyn Tx>>;
    /// Which backend this is, for logs and health output.
    fn backend(&self) -> &'static str;
}

/// One transaction. Methods take typed ids; lists use keyset pagination.
#[async_trait]
pub trait Tx: Send {
    async fn commit(self: Box<Self>) -> StoreResult<()>;

    // Tenants and users
    async fn insert_tenant(&mut self, t: &TenantRecord) -> StoreResult<()>;
    async fn has_tenants(&mut self) -> StoreResult<bool>;
    async fn tenant(&mut self, id: TenantId) -> StoreResult<Option<TenantRecord>>;
    async fn tenant_by_domain(&mut self, domain: &str) -> StoreResult<Option<TenantRecord>>;
    async fn insert_user(&mut self, u: &UserRecord) -> StoreResult<()>;
    async fn user(&mut self, tenant: TenantId, id: UserId) -> StoreResult<Option<UserRecord>>;
    async fn user_by_email(&mut self, email: &str) -> StoreResult<Option<UserRecord>>;

    // Sessions and personal access tokens (stored by hash)
    async fn insert_session(&mut self, s: &SessionRecord) -> StoreResult<()>;
    async fn session(
        &mut self,
        tenant: TenantId,
        token_hash: &str,
    ) -> StoreResult<Option<SessionRecord>>;
    async fn delete_session(&mut self, tenant: TenantId, token_hash: &str) -> StoreResult<bool>;
    async fn insert_api_token(&mut self, t: &ApiTokenRecord) -> StoreResult<()>;
    async fn api_token(
        &mut self,
        tenant: TenantId,
        token_hash: &str,
    ) -> StoreResult<Option<ApiTokenRecord>>;
    async fn list_api_tokens(
        &mut self,
        tenant: TenantId,
        user: UserId,
    ) -> StoreResult<Vec<ApiTokenRecord>>;
    /// Deletes one token of a user, or all of them when `id` is `None`; returns how many.
    async fn delete_api_tokens(
        &mut self,
        tenant: TenantId,
        user: UserId,
        id: Option<uuid::Uuid>,
    ) -> StoreResult<u64>;
    /// Ends every session of a user; returns how many.
    async fn delete_user_sessions(&mut self, tenant: TenantId, user: UserId) -> StoreResult<u64>;
    async fn set_user_disabled(
        &mut self,
        tenant: TenantId,
        user: UserId,
        disabled: bool,
    ) -> StoreResult<bool>;

    // Regions and agreements
    async fn region_of(&mut self, country: &str) -> StoreResult<Option<String>>;
    async fn set_region(&mut self, country: &str, region: &str) -> StoreResult<()>;
    async fn list_regions(&mut self) -> StoreResult<Vec<(String, String)>>;
    /// Publishes the next version and returns it.
    async fn insert_agreement(
        &mut self,
        title: &str,
        body: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<AgreementRecord>;
    async fn current_agreement(&mut self) -> StoreResult<Option<AgreementRecord>>;
    async fn agreement(&mut self, version: i64) -> StoreResult<Option<AgreementRecord>>;
    async fn acceptance(
        &mut self,
        tenant: TenantId,
        version: i64,
    ) -> StoreResult<Option<AcceptanceRecord>>;
    /// Records an acceptance unless the tenant already accepted that version (returns
    /// whether this call recorded it).
    async fn insert_acceptance(&mut self, a: &AcceptanceRecord) -> StoreResult<bool>;

    // Relationship requests
    async fn insert_request(&mut self, r: &RequestRecord) -> StoreResult<()>;
    async fn request(
        &mut self,
        partner: TenantId,
        id: RequestId,
    ) -> StoreResult<Option<RequestRecord>>;
    /// The request whose link token hashes to `token_hash`, among `partner`'s requests
    /// (the link's token names its partner, so the lookup stays within one tenant).
    async fn request_by_token_hash(
        &mut self,
        partner: TenantId,
        token_hash: &str,
    ) -> StoreResult<Option<RequestRecord>>;
    /// Newest first; `after` is the (created_at, id) of the last row of the previous page.
    async fn list_requests(
        &mut self,
        partner: TenantId,
        after: Option<(DateTime<Utc>, RequestId)>,
        limit: u32,
    ) -> StoreResult<Vec<RequestRecord>>;
    /// Moves a request out of `pending` if and only if it is still pending and not
    /// expired at `resolution.at`: the single-use guarantee. Returns whether this call
    /// made the change.
    async fn resolve_request(
        &mut self,
        partner: TenantId,
        id: RequestId,
        resolution: &RequestResolution,
    ) -> StoreResult<bool>;

    // Relationships
    async fn relationship(
        &mut self,
        customer: TenantId,
        partner: TenantId,
    ) -> StoreResult<Option<RelationshipRecord>>;
    /// The relationship, locked until the transaction ends (for read-modify-write).
    async fn relationship_for_update(
        &mut self,
        customer: TenantId,
        partner: TenantId,
    ) -> StoreResult<Option<RelationshipRecord>>;
    /// Locks the (customer, partner) pair even when it has no relationship yet, by
    /// inserting `placeholder` as an ended, empty row if none exists (then returns `None`);
    /// otherwise returns the existing row, locked. The caller then upserts the real state.
    async fn claim_relationship(
        &mut self,
        placeholder: &RelationshipRecord,
    ) -> StoreResult<Option<RelationshipRecord>>;
    /// Inserts the relationship or, when the pair exists, replaces its state.
    async fn upsert_relationship(&mut self, r: &RelationshipRecord) -> StoreResult<()>;
    /// A partner's customers ordered by name; `query` filters names case-insensitively.
    async fn list_customers(
        &mut self,
        partner: TenantId,
        query: Option<&str>,
        after: Option<(String, TenantId)>,
        limit: u32,
    ) -> StoreResult<Vec<RelationshipRecord>>;
    /// A customer's partners ordered by name.
    async fn list_partners(
        &mut self,
        customer: TenantId,
        after: Option<(String, TenantId)>,
        limit: u32,
    ) -> StoreResult<Vec<RelationshipRecord>>;

    // Audit
    async fn insert_audit(&mut self, e: &AuditRecord) -> StoreResult<()>;
    async fn list_audit(&mut self, tenant: TenantId, limit: u32) -> StoreResult<Vec<AuditRecord>>;
    /// Records a provider-wide operator change (no tenant owns it). `tenant_id` and the
    /// actor fields of the record are ignored.
    async fn insert_operator_event(&mut self, e: &AuditRecord) -> StoreResult<()>;
}

use accord_domain::{RequestId, TenantId, UserId};
use chrono::{DateTime, Utc};
