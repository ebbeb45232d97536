//! Queries of sign-ups waiting for e-mail confirmation.

use accord_domain::TenantId;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;

use super::{col, get, ms, time, SqlTx};
use crate::{PendingSignupRecord, SignupReads, SignupWrites, StoreResult};

fn signup_row(r: &AnyRow) -> StoreResult<PendingSignupRecord> {
    Ok(PendingSignupRecord {
        tenant_id: col(r, "tenant_id")?,
        code_hash: get(r, "code_hash")?,
        request_id: col(r, "request_id")?,
        org_name: get(r, "org_name")?,
        domain: get(r, "domain")?,
        country: get(r, "country")?,
        admin_name: get(r, "admin_name")?,
        admin_email: get(r, "admin_email")?,
        password_hash: get(r, "password_hash")?,
        created_at: time(get(r, "created_at")?)?,
        expires_at: time(get(r, "expires_at")?)?,
    })
}

#[async_trait]
impl SignupReads for SqlTx {
    async fn pending_signup(
        &mut self,
        partner: TenantId,
        code_hash: &str,
    ) -> StoreResult<Option<PendingSignupRecord>> {
        sqlx::query("SELECT * FROM pending_signups WHERE tenant_id = $1 AND code_hash = $2")
            .bind(partner.to_string())
            .bind(code_hash)
            .fetch_optional(&mut *self.tx)
            .await?
            .as_ref()
            .map(signup_row)
            .transpose()
    }
}

#[async_trait]
impl SignupWrites for SqlTx {
    async fn insert_pending_signup(&mut self, s: &PendingSignupRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO pending_signups (tenant_id, code_hash, request_id, org_name, domain, \
             country, admin_name, admin_email, password_hash, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(s.tenant_id.to_string())
        .bind(&s.code_hash)
        .bind(s.request_id.to_string())
        .bind(&s.org_name)
        .bind(&s.domain)
        .bind(&s.country)
        .bind(&s.admin_name)
        .bind(&s.admin_email)
        .bind(&s.password_hash)
        .bind(ms(s.created_at))
        .bind(ms(s.expires_at))
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    async fn delete_pending_signup(
        &mut self,
        partner: TenantId,
        code_hash: &str,
    ) -> StoreResult<bool> {
        let r = sqlx::query("DELETE FROM pending_signups WHERE tenant_id = $1 AND code_hash = $2")
            .bind(partner.to_string())
            .bind(code_hash)
            .execute(&mut *self.tx)
            .await?;
        Ok(r.rows_affected() == 1)
    }

    async fn prune_pending_signups(&mut self, before: DateTime<Utc>) -> StoreResult<u64> {
        let r = sqlx::query("DELETE FROM pending_signups WHERE expires_at < $1")
            .bind(ms(before))
            .execute(&mut *self.tx)
            .await?;
        Ok(r.rows_affected())
    }
}
