//! The audit trail: one row per tenant concerned, and provider-wide operator events.

use accord_domain::{TenantId, UserId};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::StoreResult;

#[derive(Clone, Debug, PartialEq)]
pub struct AuditRecord {
    /// The tenant whose trail this row belongs to.
    pub tenant_id: TenantId,
    pub id: uuid::Uuid,
    pub at: DateTime<Utc>,
    /// `user` (a signed-in user), `local_operator` (the CLI on the server's machine) or
    /// `system` (no one: a scheduled task, a sign-up before its user exists).
    pub actor_kind: String,
    pub actor_tenant_id: Option<TenantId>,
    pub actor_user_id: Option<UserId>,
    /// The tenant the actor acted for (the customer, when a partner acts for one).
    pub acting_for: Option<TenantId>,
    /// The other organisation the event concerns (the customer in a partner's trail, the
    /// partner in a customer's), if one does.
    pub counterpart_id: Option<TenantId>,
    /// The id of the HTTP request or CLI invocation that made the change.
    pub request_id: Option<String>,
    pub action: String,
    pub subject_type: String,
    pub subject_id: String,
    pub details: serde_json::Value,
}

#[async_trait]
pub trait AuditReads: Send {
    /// A tenant's trail, newest first.
    async fn list_audit(&mut self, tenant: TenantId, limit: u32) -> StoreResult<Vec<AuditRecord>>;
    /// The newest event of `action` on `subject_id` in a tenant's trail.
    async fn latest_audit(
        &mut self,
        tenant: TenantId,
        action: &str,
        subject_id: &str,
    ) -> StoreResult<Option<AuditRecord>>;
    /// One page of a tenant's trail, newest first, older than `before` (an event id);
    /// `counterpart` keeps the events concerning that other organisation.
    async fn audit_page(
        &mut self,
        tenant: TenantId,
        counterpart: Option<TenantId>,
        before: Option<uuid::Uuid>,
        limit: u32,
    ) -> StoreResult<Vec<AuditRecord>>;
    /// Provider-wide operator events, newest first (`tenant_id` of each is nil).
    async fn list_operator_events(&mut self, limit: u32) -> StoreResult<Vec<AuditRecord>>;
}

#[async_trait]
pub trait AuditWrites: AuditReads {
    async fn insert_audit(&mut self, e: &AuditRecord) -> StoreResult<()>;
    /// Records a provider-wide operator change (no tenant owns it); `tenant_id` and
    /// `acting_for` are ignored.
    async fn insert_operator_event(&mut self, e: &AuditRecord) -> StoreResult<()>;
}
