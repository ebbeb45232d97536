//! Service requests a partner opens with the provider for a customer, and their comments.

use accord_domain::{ServiceRequestId, ServiceRequestStatus, Severity, TenantId, UserId};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::StoreResult;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceRequestRecord {
    /// The customer.
    pub tenant_id: TenantId,
    pub id: ServiceRequestId,
    /// The partner that opened it.
    pub partner_id: TenantId,
    pub title: String,
    pub description: String,
    pub severity: Severity,
    pub status: ServiceRequestStatus,
    pub opened_by: UserId,
    pub opened_by_name: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A service request with the names a list shows (read back only).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceRequestRow {
    pub req: ServiceRequestRecord,
    pub partner_name: String,
    pub customer_name: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommentRecord {
    pub tenant_id: TenantId,
    pub request_id: ServiceRequestId,
    pub id: uuid::Uuid,
    /// `partner` or `operator`.
    pub author_kind: String,
    pub author_name: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// Which service requests a list reads.
#[derive(Clone, Copy, Debug)]
pub enum ServiceRequestFilter {
    /// A customer's (all its partners').
    Customer(TenantId),
    /// One partner's for one customer.
    PartnerCustomer {
        partner: TenantId,
        customer: TenantId,
    },
    /// The provider's queue, optionally in one status.
    Queue(Option<ServiceRequestStatus>),
}

#[async_trait]
pub trait SupportReads: Send {
    async fn service_request(
        &mut self,
        customer: TenantId,
        id: ServiceRequestId,
    ) -> StoreResult<Option<ServiceRequestRow>>;
    /// Newest first, before `before`.
    async fn list_service_requests(
        &mut self,
        filter: ServiceRequestFilter,
        before: Option<ServiceRequestId>,
        limit: u32,
    ) -> StoreResult<Vec<ServiceRequestRow>>;
    /// A request's comments, oldest first (at most `limit`).
    async fn comments(
        &mut self,
        customer: TenantId,
        id: ServiceRequestId,
        limit: u32,
    ) -> StoreResult<Vec<CommentRecord>>;
}

#[async_trait]
pub trait SupportWrites: SupportReads {
    async fn insert_service_request(&mut self, r: &ServiceRequestRecord) -> StoreResult<()>;
    /// Moves a request from `from` to `to`; false when it was no longer in `from`.
    async fn set_service_request_status(
        &mut self,
        customer: TenantId,
        id: ServiceRequestId,
        from: ServiceRequestStatus,
        to: ServiceRequestStatus,
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// Adds a comment and marks the request updated.
    async fn insert_comment(&mut self, c: &CommentRecord) -> StoreResult<()>;
}
