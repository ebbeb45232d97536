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
    /// Delivery attempts started so far.
    pub attempts: u32,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// When delivery was given up.
    pub failed_at: Option<DateTime<Utc>>,
}

impl OutboxRecord {
    /// A new message, not yet attempted.
    pub fn new(
        tenant_id: TenantId,
        kind: &str,
        payload: serde_json::Value,
        at: DateTime<Utc>,
    ) -> Self {
        Self {
            tenant_id,
            id: uuid::Uuid::now_v7(),
            kind: kind.to_string(),
            payload,
            created_at: at,
            delivered_at: None,
            attempts: 0,
            last_error: None,
            failed_at: None,
        }
    }
}

/// How many outbox messages wait, and how many were given up, for health output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OutboxCounts {
    pub waiting: u64,
    pub failed: u64,
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
    /// Messages waiting for delivery and messages given up, across tenants.
    async fn outbox_counts(&mut self) -> StoreResult<OutboxCounts>;
    /// Messages given up, newest first, across tenants (for the operator).
    async fn failed_outbox(&mut self, limit: u32) -> StoreResult<Vec<OutboxRecord>>;
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
    /// A new message, due at once.
    async fn insert_outbox(&mut self, m: &OutboxRecord) -> StoreResult<()>;
    /// Takes up to `limit` messages of `kind` that are due at `now` (any tenant), counts
    /// an attempt on each and leases it until `lease_until`: another sender (another
    /// node) takes it only after the lease ends, so a sender that dies mid-delivery
    /// delays the message, never loses it.
    async fn claim_outbox(
        &mut self,
        kind: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<OutboxRecord>>;
    /// Marks a message delivered, keeping `kept` as its payload (the sender drops the
    /// secrets a message carried, such as links, once they are no longer needed).
    async fn outbox_delivered(
        &mut self,
        tenant: TenantId,
        id: uuid::Uuid,
        at: DateTime<Utc>,
        kept: &serde_json::Value,
    ) -> StoreResult<()>;
    /// Records a failed attempt; the message is due again at `retry_at`.
    async fn outbox_retry(
        &mut self,
        tenant: TenantId,
        id: uuid::Uuid,
        retry_at: DateTime<Utc>,
        error: &str,
    ) -> StoreResult<()>;
    /// Gives a message up, keeping `kept` as its payload.
    async fn outbox_failed(
        &mut self,
        tenant: TenantId,
        id: uuid::Uuid,
        at: DateTime<Utc>,
        error: &str,
        kept: &serde_json::Value,
    ) -> StoreResult<()>;
}
