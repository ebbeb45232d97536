//! Tenants (organisations) and their users, with the global e-mail → user sign-in directory.

use accord_domain::{Cloud, CountryCode, PartnerType, Role, TenantId, UserId};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::StoreResult;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TenantRecord {
    pub id: TenantId,
    pub name: String,
    pub domain: String,
    pub country: CountryCode,
    pub cloud: Cloud,
    pub is_partner: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, PartialEq, Eq)]
pub struct UserRecord {
    pub tenant_id: TenantId,
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub roles: Vec<Role>,
    pub disabled: bool,
    /// Set by an admin's password reset: the user chooses a new one at sign-in.
    pub password_temporary: bool,
    pub created_at: DateTime<Utc>,
}

impl std::fmt::Debug for UserRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserRecord")
            .field("tenant_id", &self.tenant_id)
            .field("id", &self.id)
            .field("email", &self.email)
            .field("password_hash", &"***")
            .field("roles", &self.roles)
            .finish_non_exhaustive()
    }
}

#[async_trait]
pub trait TenantReads: Send {
    async fn has_tenants(&mut self) -> StoreResult<bool>;
    async fn tenant(&mut self, id: TenantId) -> StoreResult<Option<TenantRecord>>;
    async fn tenant_by_domain(&mut self, domain: &str) -> StoreResult<Option<TenantRecord>>;
    /// Organisations by name (then id) after `after`, whose name or domain holds `query`
    /// (case-insensitive), only partners or only customers when `partner` says so.
    async fn search_tenants(
        &mut self,
        query: Option<&str>,
        partner: Option<bool>,
        after: Option<(String, TenantId)>,
        limit: u32,
    ) -> StoreResult<Vec<TenantRecord>>;
    async fn user(&mut self, tenant: TenantId, id: UserId) -> StoreResult<Option<UserRecord>>;
    async fn user_by_email(&mut self, email: &str) -> StoreResult<Option<UserRecord>>;
    /// A tenant's users by name (at most `limit`).
    async fn list_users(&mut self, tenant: TenantId, limit: u32) -> StoreResult<Vec<UserRecord>>;
    /// The partner types a partner may offer, as the operator set them (`None`: never
    /// set, the default applies).
    async fn offered_types(&mut self, partner: TenantId) -> StoreResult<Option<Vec<PartnerType>>>;
}

#[async_trait]
pub trait TenantWrites: TenantReads {
    /// Conflicts: [`crate::constraint::TENANT_DOMAIN`], [`crate::constraint::TENANT_ID`].
    async fn insert_tenant(&mut self, t: &TenantRecord) -> StoreResult<()>;
    /// Replaces the partner types a partner may offer.
    async fn set_offered_types(
        &mut self,
        partner: TenantId,
        types: &[PartnerType],
    ) -> StoreResult<()>;
    /// Inserts the user and its sign-in entry. Conflicts:
    /// [`crate::constraint::USER_EMAIL`], [`crate::constraint::USER_ID`].
    async fn insert_user(&mut self, u: &UserRecord) -> StoreResult<()>;
    /// Returns whether the user exists.
    async fn set_user_disabled(
        &mut self,
        tenant: TenantId,
        user: UserId,
        disabled: bool,
    ) -> StoreResult<bool>;
}
