//! Portal sessions and personal access tokens, stored by the SHA-256 of the secret.

use accord_domain::{TenantId, UserId};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::StoreResult;

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

#[async_trait]
pub trait CredentialReads: Send {
    async fn session(
        &mut self,
        tenant: TenantId,
        token_hash: &str,
    ) -> StoreResult<Option<SessionRecord>>;
    async fn api_token(
        &mut self,
        tenant: TenantId,
        token_hash: &str,
    ) -> StoreResult<Option<ApiTokenRecord>>;
    async fn list_api_tokens(
        &mut self,
        tenant: TenantId,
        user: UserId,
    ) -> StoreResult<Vec<ApiTokenRecord>>;
}

#[async_trait]
pub trait CredentialWrites: CredentialReads {
    async fn insert_session(&mut self, s: &SessionRecord) -> StoreResult<()>;
    async fn delete_session(&mut self, tenant: TenantId, token_hash: &str) -> StoreResult<bool>;
    /// Ends every session of a user; returns how many.
    async fn delete_user_sessions(&mut self, tenant: TenantId, user: UserId) -> StoreResult<u64>;
    async fn insert_api_token(&mut self, t: &ApiTokenRecord) -> StoreResult<()>;
    /// Deletes one token of a user, or all of them when `id` is `None`; returns the
    /// deleted tokens.
    async fn delete_api_tokens(
        &mut self,
        tenant: TenantId,
        user: UserId,
        id: Option<uuid::Uuid>,
    ) -> StoreResult<Vec<ApiTokenRecord>>;
}
