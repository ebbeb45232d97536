//! The product catalogue, customers' subscriptions, and the `Idempotency-Key`s that make
//! buying safe to retry.

use accord_domain::{Billing, Cloud, SubscriptionId, SubscriptionStatus, TenantId, UserId};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::StoreResult;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductRecord {
    pub sku: String,
    pub name: String,
    pub billing: Billing,
    /// The most seats one subscription may have (1 for per-subscription products).
    pub max_quantity: u32,
    pub clouds: Vec<Cloud>,
    /// No longer sold; existing subscriptions keep it.
    pub retired: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubscriptionRecord {
    /// The customer.
    pub tenant_id: TenantId,
    pub id: SubscriptionId,
    /// The partner that provisioned it.
    pub partner_id: TenantId,
    pub sku: String,
    pub quantity: u32,
    pub status: SubscriptionStatus,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub cancelled_at: Option<DateTime<Utc>>,
}

/// A subscription with the names a list shows (read back only).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubscriptionRow {
    pub sub: SubscriptionRecord,
    pub partner_name: String,
    pub product_name: String,
    pub billing: Billing,
}

/// The first outcome of an `Idempotency-Key`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdempotencyRecord {
    /// The caller's organisation.
    pub tenant_id: TenantId,
    pub key: String,
    pub fingerprint: String,
    pub resource_id: String,
    pub created_at: DateTime<Utc>,
}

#[async_trait]
pub trait CommerceReads: Send {
    async fn product(&mut self, sku: &str) -> StoreResult<Option<ProductRecord>>;
    /// Products by code after `after`; `cloud` keeps those sold there (and not retired).
    async fn list_products(
        &mut self,
        cloud: Option<Cloud>,
        after: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<ProductRecord>>;
    async fn subscription(
        &mut self,
        customer: TenantId,
        id: SubscriptionId,
    ) -> StoreResult<Option<SubscriptionRow>>;
    /// A customer's subscriptions, newest first, before `before`; `partner` keeps those it
    /// provisioned.
    async fn list_subscriptions(
        &mut self,
        customer: TenantId,
        partner: Option<TenantId>,
        before: Option<SubscriptionId>,
        limit: u32,
    ) -> StoreResult<Vec<SubscriptionRow>>;
    /// The active subscriptions a partner provisioned for a customer (at most `limit`).
    async fn active_subscriptions(
        &mut self,
        customer: TenantId,
        partner: TenantId,
        limit: u32,
    ) -> StoreResult<Vec<SubscriptionRow>>;
}

#[async_trait]
pub trait CommerceWrites: CommerceReads {
    /// Adds a product or replaces its name, billing, seats, clouds and retirement.
    async fn upsert_product(&mut self, p: &ProductRecord) -> StoreResult<()>;
    async fn insert_subscription(&mut self, s: &SubscriptionRecord) -> StoreResult<()>;
    /// Saves quantity, status and times; returns whether the subscription exists.
    async fn update_subscription(&mut self, s: &SubscriptionRecord) -> StoreResult<bool>;
    /// Takes `rec.key` for its organisation, or returns the outcome that took it first
    /// (waiting for a concurrent first use to commit). A key older than `fresh_after` is
    /// forgotten and taken anew.
    async fn claim_idempotency_key(
        &mut self,
        rec: &IdempotencyRecord,
        fresh_after: DateTime<Utc>,
    ) -> StoreResult<Option<IdempotencyRecord>>;
}
