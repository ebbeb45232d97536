//! The partner directory's records: partners' public profiles and the leads visitors send
//! them.

use accord_domain::{
    Cloud, CountryCode, LeadStatus, Locale, OrgSize, PartnerProfile, RequestId, TenantId, UserId,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::StoreResult;

/// A partner's profile as stored, with who changed it last.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileRecord {
    pub partner_id: TenantId,
    pub profile: PartnerProfile,
    pub updated_at: DateTime<Utc>,
    pub updated_by: UserId,
}

/// A published profile with its partner's cloud, for the directory index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListedProfile {
    pub partner_id: TenantId,
    pub cloud: Cloud,
    pub profile: PartnerProfile,
}

/// One lead: what a visitor sent one partner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeadRecord {
    pub partner_id: TenantId,
    pub id: uuid::Uuid,
    /// Shared by the leads of one submission.
    pub batch_id: uuid::Uuid,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub organisation: String,
    pub org_size: OrgSize,
    pub country: CountryCode,
    pub message: String,
    /// The language the visitor used.
    pub locale: Locale,
    pub client_address: String,
    pub status: LeadStatus,
    /// The relationship request the partner replied with.
    pub request_id: Option<RequestId>,
    /// The customer, once it accepted that request.
    pub customer_id: Option<TenantId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Whose recent submissions to count.
#[derive(Clone, Copy, Debug)]
pub enum LeadSender<'a> {
    Address(&'a str),
    Email(&'a str),
}

#[async_trait]
pub trait ListingReads: Send {
    /// A partner's profile, published or not.
    async fn profile(&mut self, partner: TenantId) -> StoreResult<Option<ProfileRecord>>;
    /// Published profiles with their partner's cloud, by partner id after `after`.
    async fn published_profiles(
        &mut self,
        after: Option<TenantId>,
        limit: u32,
    ) -> StoreResult<Vec<ListedProfile>>;
    /// One published profile with its cloud (`None` when missing or unpublished).
    async fn listed_profile(&mut self, partner: TenantId) -> StoreResult<Option<ListedProfile>>;
    /// A partner's leads, newest first, optionally of one status, before `before`
    /// (time, id) for paging.
    async fn leads(
        &mut self,
        partner: TenantId,
        status: Option<LeadStatus>,
        before: Option<(DateTime<Utc>, uuid::Uuid)>,
        limit: u32,
    ) -> StoreResult<Vec<LeadRecord>>;
    async fn lead(&mut self, partner: TenantId, id: uuid::Uuid) -> StoreResult<Option<LeadRecord>>;
    /// How many of a partner's leads have each status.
    async fn lead_counts(&mut self, partner: TenantId) -> StoreResult<Vec<(LeadStatus, u64)>>;
    /// When each submission (batch) from a sender since `since` was made, oldest first.
    async fn lead_submissions_since(
        &mut self,
        sender: LeadSender<'_>,
        since: DateTime<Utc>,
    ) -> StoreResult<Vec<DateTime<Utc>>>;
}

#[async_trait]
pub trait ListingWrites: ListingReads {
    /// Creates or replaces a partner's profile.
    async fn upsert_profile(&mut self, p: &ProfileRecord) -> StoreResult<()>;
    async fn insert_lead(&mut self, l: &LeadRecord) -> StoreResult<()>;
    /// Sets a lead's status; returns whether it exists.
    async fn set_lead_status(
        &mut self,
        partner: TenantId,
        id: uuid::Uuid,
        status: LeadStatus,
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// Links a lead to the request the partner replied with and marks it contacted.
    async fn link_lead_request(
        &mut self,
        partner: TenantId,
        id: uuid::Uuid,
        request: RequestId,
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// Links the leads answered by `request` to the customer that accepted it.
    async fn link_lead_customer(
        &mut self,
        partner: TenantId,
        request: RequestId,
        customer: TenantId,
        at: DateTime<Utc>,
    ) -> StoreResult<u64>;
}
