//! The change feed (every commit's numbered change rows, which each node follows to keep
//! its caches and derived indexes current) and the outbox (messages to deliver after the
//! commit: e-mail, webhooks).

use accord_domain::TenantId;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::StoreResult;

/// One change, as appended by a unit of work.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewChange {
    /// The tenant concerned (nil for provider-wide reference data).
    pub tenant_id: TenantId,
    /// What changed, e.g. `session.ended`, `user.changed`.
    pub kind: String,
    /// Which object of that kind (a token hash, a user id…).
    pub key: String,
}

/// A change as read back, with its place in the feed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChangeRecord {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub tenant_id: TenantId,
    pub kind: String,
    pub key: String,
}

/// A message to deliver after the commit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxRecord {
    pub tenant_id: TenantId,
    pub id: uuid::Uuid,
    /// `email`, `webhook`…
    pub kind: String,
    pub payload: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
}

#[async_trait]
pub trait FeedReads: Send {
    /// Changes with `seq > after`, in order, at most `limit`.
    async fn changes_after(&mut self, after: i64, limit: u32) -> StoreResult<Vec<ChangeRecord>>;
    /// The number of the last change committed (0 when there is none), and the oldest
    /// one still kept (`None` when the feed is empty).
    async fn feed_bounds(&mut self) -> StoreResult<(i64, Option<i64>)>;
    /// A tenant's undelivered outbox messages, oldest first.
    async fn pending_outbox(
        &mut self,
        tenant: TenantId,
        limit: u32,
    ) -> StoreResult<Vec<OutboxRecord>>;
}

#[async_trait]
pub trait FeedWrites: FeedReads {
    /// Appends changes with the next sequence numbers and returns the last one. The
    /// numbers are taken under a row lock held until the transaction ends, so changes
    /// become visible in the order of their numbers: a follower reading `seq > n` never
    /// misses a change committed later with a smaller number.
    async fn append_changes(
        &mut self,
        at: DateTime<Utc>,
        changes: &[NewChange],
    ) -> StoreResult<i64>;
    /// Deletes changes older than `before`, keeping the newest one so the sequence stays
    /// known; returns how many.
    async fn prune_changes(&mut self, before: DateTime<Utc>) -> StoreResult<u64>;
    async fn insert_outbox(&mut self, m: &OutboxRecord) -> StoreResult<()>;
}
