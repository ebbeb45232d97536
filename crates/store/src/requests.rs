//! Relationship requests (invitations), keyed by the partner that made them.

use accord_domain::{AdminAsk, PartnerType, RequestId, RequestStatus, TenantId, UserId};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::StoreResult;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestRecord {
    /// The partner that created the request.
    pub tenant_id: TenantId,
    pub id: RequestId,
    pub token_hash: String,
    pub types: Vec<PartnerType>,
    pub ask: AdminAsk,
    pub customer_email: Option<String>,
    /// The stored status; see `accord_domain::effective_request_status` for expiry.
    pub status: RequestStatus,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub resolved_by_tenant: Option<TenantId>,
    pub resolved_by_user: Option<UserId>,
}

/// How a pending request is resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestResolution {
    pub status: RequestStatus,
    pub at: DateTime<Utc>,
    pub by_tenant: TenantId,
    pub by_user: UserId,
}

#[async_trait]
pub trait RequestReads: Send {
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
    /// The organisation created through this request's link, if one was.
    async fn signup_of_request(
        &mut self,
        partner: TenantId,
        id: RequestId,
    ) -> StoreResult<Option<TenantId>>;
}

#[async_trait]
pub trait RequestWrites: RequestReads {
    /// Conflicts: [`crate::constraint::REQUEST_ID`], [`crate::constraint::REQUEST_TOKEN`].
    async fn insert_request(&mut self, r: &RequestRecord) -> StoreResult<()>;
    /// Moves a request out of `pending` if and only if it is still pending and not
    /// expired at `resolution.at`: the single-use guarantee. Returns whether this call
    /// made the change.
    async fn resolve_request(
        &mut self,
        partner: TenantId,
        id: RequestId,
        resolution: &RequestResolution,
    ) -> StoreResult<bool>;
    /// Records that `customer` was created through the request's link. A link creates
    /// one organisation at most: a second call conflicts with
    /// [`crate::constraint::SIGNUP_REQUEST`].
    async fn record_signup(
        &mut self,
        partner: TenantId,
        id: RequestId,
        customer: TenantId,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
}
