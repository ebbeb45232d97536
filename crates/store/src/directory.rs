//! The customer's directory as delegated administration uses it (issue 9): users paged
//! and changed, licences (seats of per-seat subscriptions held by users), the partner's
//! access assignments (which agent holds which granted roles for a customer), the grants
//! in force for the grant index, and the customer's record of delegated actions.

use accord_domain::{DirectoryRole, SubscriptionId, TenantId, UserId};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::{RelationshipRecord, StoreResult, UserRecord};

/// A licence: one seat of a customer's subscription held by one of its users.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LicenseRecord {
    /// The customer.
    pub tenant_id: TenantId,
    pub subscription_id: SubscriptionId,
    pub user_id: UserId,
    pub assigned_at: DateTime<Utc>,
    /// Who assigned it (a name, as it was then).
    pub assigned_by: String,
}

/// What assigning a licence did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LicenseOutcome {
    Assigned,
    /// The user already held a seat of that subscription; nothing changed.
    AlreadyHeld,
    /// Every seat is taken; nothing changed.
    NoSeat,
}

/// Which of a partner's agents holds which granted roles for one customer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessAssignmentRecord {
    pub partner_id: TenantId,
    pub id: uuid::Uuid,
    pub customer_id: TenantId,
    pub agent_id: UserId,
    pub roles: Vec<DirectoryRole>,
    /// Who made it (a name, as it was then).
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

/// A partner's named user in a customer's directory as a guest account, with the directory
/// roles the customer's Global admin gave it. The name and address are the user's own
/// (read with it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GuestRecord {
    pub customer_id: TenantId,
    pub user_id: UserId,
    pub partner_id: TenantId,
    pub roles: Vec<DirectoryRole>,
    /// Who added it or last changed its roles (a name, as it was then).
    pub added_by: String,
    pub added_at: DateTime<Utc>,
    pub email: String,
    pub display_name: String,
}

/// One delegated action in a customer's record: who of which partner did what to what,
/// with which roles, and how it ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DelegatedActionRecord {
    /// The customer.
    pub tenant_id: TenantId,
    pub id: uuid::Uuid,
    pub at: DateTime<Utc>,
    pub partner_id: TenantId,
    pub partner_name: String,
    pub agent_id: UserId,
    pub agent_name: String,
    pub agent_email: String,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    pub target_label: String,
    pub roles_used: Vec<DirectoryRole>,
    /// `succeeded`, `denied` or `failed`.
    pub outcome: String,
    pub error_code: Option<String>,
    pub request_id: Option<String>,
}

/// An agent who has acted in a customer, under the names of its latest action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActivityAgentRecord {
    pub agent_id: UserId,
    pub agent_name: String,
    pub agent_email: String,
    pub partner_id: TenantId,
    pub partner_name: String,
    pub last_at: DateTime<Utc>,
}

/// Which delegated actions to list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ActivityFilter {
    pub partner: Option<TenantId>,
    pub agent: Option<UserId>,
    pub action: Option<String>,
    /// From this instant, inclusive.
    pub from: Option<DateTime<Utc>>,
    /// Before this instant.
    pub until: Option<DateTime<Utc>>,
}

#[async_trait]
pub trait DirectoryReads: Send {
    /// A tenant's users by name then id, after `after`; `query` keeps those whose name
    /// (ASCII case-insensitively) or e-mail address contains it.
    async fn page_users(
        &mut self,
        tenant: TenantId,
        query: Option<&str>,
        after: Option<(String, UserId)>,
        limit: u32,
    ) -> StoreResult<Vec<UserRecord>>;
    /// How many enabled users of the tenant hold Global admin.
    async fn count_global_admins(&mut self, tenant: TenantId) -> StoreResult<u64>;
    /// The licences of one user.
    async fn licenses_of_user(
        &mut self,
        tenant: TenantId,
        user: UserId,
    ) -> StoreResult<Vec<LicenseRecord>>;
    /// How many seats of each subscription of the tenant are held.
    async fn license_counts(&mut self, tenant: TenantId)
        -> StoreResult<Vec<(SubscriptionId, u64)>>;
    /// The partner's assignments for one customer, by agent.
    async fn access_assignments(
        &mut self,
        partner: TenantId,
        customer: TenantId,
    ) -> StoreResult<Vec<AccessAssignmentRecord>>;
    /// One agent's assignment for one customer.
    async fn agent_assignment(
        &mut self,
        partner: TenantId,
        customer: TenantId,
        agent: UserId,
    ) -> StoreResult<Option<AccessAssignmentRecord>>;
    /// Every assignment, by partner then id, after `after` (for building the grant index).
    async fn all_access_assignments(
        &mut self,
        after: Option<(TenantId, uuid::Uuid)>,
        limit: u32,
    ) -> StoreResult<Vec<AccessAssignmentRecord>>;
    /// A customer's guest accounts from one partner, by name.
    async fn guests_of(
        &mut self,
        customer: TenantId,
        partner: TenantId,
    ) -> StoreResult<Vec<GuestRecord>>;
    /// One guest account in a customer.
    async fn guest(&mut self, customer: TenantId, user: UserId)
        -> StoreResult<Option<GuestRecord>>;
    /// Every guest account, by customer then user, after `after` (for the grant index).
    async fn all_guests(
        &mut self,
        after: Option<(TenantId, UserId)>,
        limit: u32,
    ) -> StoreResult<Vec<GuestRecord>>;
    /// Active relationships holding a grant (in force or not), by customer then partner,
    /// after `after` (for building the grant index).
    async fn granted_relationships(
        &mut self,
        after: Option<(TenantId, TenantId)>,
        limit: u32,
    ) -> StoreResult<Vec<RelationshipRecord>>;
    /// A customer's delegated actions, newest first, before `before` (time and id).
    async fn delegated_actions(
        &mut self,
        tenant: TenantId,
        filter: &ActivityFilter,
        before: Option<(DateTime<Utc>, uuid::Uuid)>,
        limit: u32,
    ) -> StoreResult<Vec<DelegatedActionRecord>>;
    /// The agents who have acted in a customer (any outcome), by name then id, at most
    /// `limit`.
    async fn activity_agents(
        &mut self,
        tenant: TenantId,
        limit: u32,
    ) -> StoreResult<Vec<ActivityAgentRecord>>;
}

#[async_trait]
pub trait DirectoryWrites: DirectoryReads {
    /// Replaces the user's name, roles and disabled flag; returns whether it exists.
    async fn update_user(&mut self, u: &UserRecord, at: DateTime<Utc>) -> StoreResult<bool>;
    /// Replaces the user's password hash; `temporary` asks for a new one at sign-in.
    async fn set_password(
        &mut self,
        tenant: TenantId,
        user: UserId,
        hash: &str,
        temporary: bool,
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// Deletes the user with its sign-in entry, sessions, access tokens, licences, access
    /// assignments and guest accounts; returns whether it existed.
    async fn delete_user(&mut self, tenant: TenantId, user: UserId) -> StoreResult<bool>;
    /// Gives the user a seat of the subscription if one of its `seats` is free. The
    /// subscription is locked meanwhile, so two assignments cannot take the last seat.
    async fn assign_license(
        &mut self,
        l: &LicenseRecord,
        seats: u32,
    ) -> StoreResult<LicenseOutcome>;
    async fn remove_license(
        &mut self,
        tenant: TenantId,
        subscription: SubscriptionId,
        user: UserId,
    ) -> StoreResult<bool>;
    /// Inserts the assignment, or replaces the roles of the agent's existing one for the
    /// customer; returns the stored assignment.
    async fn upsert_access_assignment(
        &mut self,
        a: &AccessAssignmentRecord,
    ) -> StoreResult<AccessAssignmentRecord>;
    /// Deletes one assignment; returns it if it existed.
    async fn delete_access_assignment(
        &mut self,
        partner: TenantId,
        id: uuid::Uuid,
    ) -> StoreResult<Option<AccessAssignmentRecord>>;
    /// Deletes every assignment of the partner's agents for one customer (its grant ended,
    /// or a new one begins); returns what was deleted.
    async fn delete_access_assignments_of(
        &mut self,
        partner: TenantId,
        customer: TenantId,
    ) -> StoreResult<Vec<AccessAssignmentRecord>>;
    /// Records the action, and its agent among those who have acted in the customer.
    async fn insert_delegated_action(&mut self, a: &DelegatedActionRecord) -> StoreResult<()>;
    /// Adds the guest account, or replaces the roles of the existing one; returns it.
    async fn upsert_guest(&mut self, g: &GuestRecord) -> StoreResult<GuestRecord>;
    /// Deletes one guest account; returns it if it existed.
    async fn delete_guest(
        &mut self,
        customer: TenantId,
        user: UserId,
    ) -> StoreResult<Option<GuestRecord>>;
    /// Deletes a customer's guest accounts from one partner (the relationship ended);
    /// returns what was deleted.
    async fn delete_guests_of(
        &mut self,
        customer: TenantId,
        partner: TenantId,
    ) -> StoreResult<Vec<GuestRecord>>;
}
