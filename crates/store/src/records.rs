use std::collections::BTreeSet;

use accord_domain::{
    AdminAsk, AdminGrant, Cloud, CountryCode, PartnerType, RelationshipId, RelationshipStatus,
    RequestId, RequestStatus, Role, TenantId, UserId,
};
use chrono::{DateTime, Utc};

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

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRecord {
    pub token_hash: String,
    pub tenant_id: TenantId,
    pub user_id: UserId,
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiTokenRecord {
    pub token_hash: String,
    pub tenant_id: TenantId,
    pub id: uuid::Uuid,
    pub user_id: UserId,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
}

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

#[derive(Clone, Debug, PartialEq)]
pub struct AuditRecord {
    /// The tenant whose trail this row belongs to.
    pub tenant_id: TenantId,
    pub id: uuid::Uuid,
    pub at: DateTime<Utc>,
    pub actor_tenant_id: Option<TenantId>,
    pub actor_user_id: Option<UserId>,
    pub action: String,
    pub subject_type: String,
    pub subject_id: String,
    pub details: serde_json::Value,
}
