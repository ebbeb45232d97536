//! Relationships: one row per (customer, partner) pair, keyed by the customer.

use std::collections::BTreeSet;

use accord_domain::{
    AdminGrant, PartnerType, RelationshipId, RelationshipStatus, TenantId, UserId,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::StoreResult;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RelationshipRecord {
    /// The customer.
    pub tenant_id: TenantId,
    pub partner_id: TenantId,
    pub id: RelationshipId,
    pub partner_name: String,
    pub customer_name: String,
    pub types: BTreeSet<PartnerType>,
    pub grant: Option<AdminGrant>,
    pub status: RelationshipStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[async_trait]
pub trait RelationshipReads: Send {
    async fn relationship(
        &mut self,
        customer: TenantId,
        partner: TenantId,
    ) -> StoreResult<Option<RelationshipRecord>>;
    /// A partner's active customers ordered by name; `query` keeps names containing it,
    /// case-insensitively in any script (names are compared in their lower-case form).
    async fn list_customers(
        &mut self,
        partner: TenantId,
        query: Option<&str>,
        after: Option<(String, TenantId)>,
        limit: u32,
    ) -> StoreResult<Vec<RelationshipRecord>>;
    /// The partner's user named as the customer's support contact, if any.
    async fn support_contact(
        &mut self,
        customer: TenantId,
        partner: TenantId,
    ) -> StoreResult<Option<UserId>>;
    /// A customer's active partners ordered by name.
    async fn list_partners(
        &mut self,
        customer: TenantId,
        after: Option<(String, TenantId)>,
        limit: u32,
    ) -> StoreResult<Vec<RelationshipRecord>>;
}

#[async_trait]
pub trait RelationshipWrites: RelationshipReads {
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
    /// Names (or replaces) the partner's user who is the customer's support contact.
    async fn set_support_contact(
        &mut self,
        customer: TenantId,
        partner: TenantId,
        user: UserId,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
}
