//! Customer agreement versions and each tenant's acceptances.

use accord_domain::{TenantId, UserId};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::StoreResult;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgreementRecord {
    pub version: i64,
    pub title: String,
    pub body: String,
    pub published_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AcceptanceRecord {
    pub tenant_id: TenantId,
    pub id: uuid::Uuid,
    pub version: i64,
    pub user_id: UserId,
    pub user_name: String,
    pub user_email: String,
    pub accepted_at: DateTime<Utc>,
    pub client_addr: String,
}

#[async_trait]
pub trait AgreementReads: Send {
    async fn current_agreement(&mut self) -> StoreResult<Option<AgreementRecord>>;
    async fn agreement(&mut self, version: i64) -> StoreResult<Option<AgreementRecord>>;
    /// Every version a tenant accepted, newest first.
    async fn acceptances_of(&mut self, tenant: TenantId) -> StoreResult<Vec<AcceptanceRecord>>;
    async fn acceptance(
        &mut self,
        tenant: TenantId,
        version: i64,
    ) -> StoreResult<Option<AcceptanceRecord>>;
}

#[async_trait]
pub trait AgreementWrites: AgreementReads {
    /// Publishes the next version and returns it.
    async fn insert_agreement(
        &mut self,
        title: &str,
        body: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<AgreementRecord>;
    /// Records an acceptance unless the tenant already accepted that version (returns
    /// whether this call recorded it).
    async fn insert_acceptance(&mut self, a: &AcceptanceRecord) -> StoreResult<bool>;
}
