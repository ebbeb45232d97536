//! Queries of sessions and personal access tokens.

use accord_domain::{TenantId, UserId};
use async_trait::async_trait;
use sqlx::any::AnyRow;

use super::{col, get, ms, opt_time, time, write_err, SqlTx};
use crate::{ApiTokenRecord, CredentialReads, CredentialWrites, SessionRecord, StoreResult};

fn session_row(r: &AnyRow) -> StoreResult<SessionRecord> {
    Ok(SessionRecord {
        token_hash: get(r, "token_hash")?,
        tenant_id: col(r, "tenant_id")?,
        user_id: col(r, "user_id")?,
        csrf_token: get(r, "csrf_token")?,
        created_at: time(get(r, "created_at")?)?,
        expires_at: time(get(r, "expires_at")?)?,
    })
}

fn api_token_row(r: &AnyRow) -> StoreResult<ApiTokenRecord> {
    Ok(ApiTokenRecord {
        token_hash: get(r, "token_hash")?,
        tenant_id: col(r, "tenant_id")?,
        id: col(r, "token_id")?,
        user_id: col(r, "user_id")?,
        name: get(r, "name")?,
        created_at: time(get(r, "created_at")?)?,
        expires_at: opt_time(get(r, "expires_at")?)?,
    })
}

#[async_trait]
impl CredentialReads for SqlTx {
    async fn session(
        &mut self,
        tenant: TenantId,
        token_hash: &str,
    ) -> StoreResult<Option<SessionRecord>> {
        sqlx::query("SELECT * FROM sessions WHERE tenant_id = $1 AND token_hash = $2")
            .bind(tenant.to_string())
            .bind(token_hash)
            .fetch_optional(&mut *self.tx)
            .await?
            .as_ref()
            .map(session_row)
            .transpose()
    }

    async fn api_token(
        &mut self,
        tenant: TenantId,
        token_hash: &str,
    ) -> StoreResult<Option<ApiTokenRecord>> {
        sqlx::query("SELECT * FROM api_tokens WHERE tenant_id = $1 AND token_hash = $2")
            .bind(tenant.to_string())
            .bind(token_hash)
            .fetch_optional(&mut *self.tx)
            .await?
            .as_ref()
            .map(api_token_row)
            .transpose()
    }

    async fn list_api_tokens(
        &mut self,
        tenant: TenantId,
        user: UserId,
    ) -> StoreResult<Vec<ApiTokenRecord>> {
        let rows = sqlx::query(
            "SELECT * FROM api_tokens WHERE tenant_id = $1 AND user_id = $2 ORDER BY created_at, token_id",
        )
        .bind(tenant.to_string())
        .bind(user.to_string())
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(api_token_row).collect()
    }
}

#[async_trait]
impl CredentialWrites for SqlTx {
    async fn insert_session(&mut self, s: &SessionRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, tenant_id, user_id, csrf_token, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&s.token_hash)
        .bind(s.tenant_id.to_string())
        .bind(s.user_id.to_string())
        .bind(&s.csrf_token)
        .bind(ms(s.created_at))
        .bind(ms(s.expires_at))
        .execute(&mut *self.tx)
        .await
        .map_err(write_err)?;
        Ok(())
    }

    async fn delete_session(&mut self, tenant: TenantId, token_hash: &str) -> StoreResult<bool> {
        let r = sqlx::query("DELETE FROM sessions WHERE tenant_id = $1 AND token_hash = $2")
            .bind(tenant.to_string())
            .bind(token_hash)
            .execute(&mut *self.tx)
            .await?;
        Ok(r.rows_affected() > 0)
    }

    async fn delete_user_sessions(&mut self, tenant: TenantId, user: UserId) -> StoreResult<u64> {
        let r = sqlx::query("DELETE FROM sessions WHERE tenant_id = $1 AND user_id = $2")
            .bind(tenant.to_string())
            .bind(user.to_string())
            .execute(&mut *self.tx)
            .await?;
        Ok(r.rows_affected())
    }

    async fn insert_api_token(&mut self, t: &ApiTokenRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO api_tokens (token_hash, tenant_id, token_id, user_id, name, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&t.token_hash)
        .bind(t.tenant_id.to_string())
        .bind(t.id.to_string())
        .bind(t.user_id.to_string())
        .bind(&t.name)
        .bind(ms(t.created_at))
        .bind(t.expires_at.map(ms))
        .execute(&mut *self.tx)
        .await
        .map_err(write_err)?;
        Ok(())
    }

    async fn delete_api_tokens(
        &mut self,
        tenant: TenantId,
        user: UserId,
        id: Option<uuid::Uuid>,
    ) -> StoreResult<Vec<ApiTokenRecord>> {
        let rows = match id {
            Some(id) => sqlx::query(
                "DELETE FROM api_tokens WHERE tenant_id = $1 AND user_id = $2 AND token_id = $3 \
                     RETURNING *",
            )
            .bind(tenant.to_string())
            .bind(user.to_string())
            .bind(id.to_string())
            .fetch_all(&mut *self.tx)
            .await?,
            None => {
                sqlx::query(
                    "DELETE FROM api_tokens WHERE tenant_id = $1 AND user_id = $2 RETURNING *",
                )
                .bind(tenant.to_string())
                .bind(user.to_string())
                .fetch_all(&mut *self.tx)
                .await?
            }
        };
        rows.iter().map(api_token_row).collect()
    }
}
