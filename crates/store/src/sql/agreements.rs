//! Queries of agreement versions and acceptances.

use accord_domain::TenantId;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;

use super::{col, get, ms, time, write_err, SqlTx};
use crate::{AcceptanceRecord, AgreementReads, AgreementRecord, AgreementWrites, StoreResult};

fn agreement_row(r: &AnyRow) -> StoreResult<AgreementRecord> {
    Ok(AgreementRecord {
        version: get(r, "version")?,
        title: get(r, "title")?,
        body: get(r, "body")?,
        published_at: time(get(r, "published_at")?)?,
    })
}

fn acceptance_row(r: &AnyRow) -> StoreResult<AcceptanceRecord> {
    Ok(AcceptanceRecord {
        tenant_id: col(r, "tenant_id")?,
        id: col(r, "acceptance_id")?,
        version: get(r, "version")?,
        user_id: col(r, "user_id")?,
        user_name: get(r, "user_name")?,
        user_email: get(r, "user_email")?,
        accepted_at: time(get(r, "accepted_at")?)?,
        client_addr: get(r, "client_addr")?,
    })
}

#[async_trait]
impl AgreementReads for SqlTx {
    async fn current_agreement(&mut self) -> StoreResult<Option<AgreementRecord>> {
        sqlx::query("SELECT * FROM agreements ORDER BY version DESC LIMIT 1")
            .fetch_optional(&mut *self.tx)
            .await?
            .as_ref()
            .map(agreement_row)
            .transpose()
    }

    async fn agreement(&mut self, version: i64) -> StoreResult<Option<AgreementRecord>> {
        sqlx::query("SELECT * FROM agreements WHERE version = $1")
            .bind(version)
            .fetch_optional(&mut *self.tx)
            .await?
            .as_ref()
            .map(agreement_row)
            .transpose()
    }

    async fn acceptance(
        &mut self,
        tenant: TenantId,
        version: i64,
    ) -> StoreResult<Option<AcceptanceRecord>> {
        sqlx::query("SELECT * FROM agreement_acceptances WHERE tenant_id = $1 AND version = $2")
            .bind(tenant.to_string())
            .bind(version)
            .fetch_optional(&mut *self.tx)
            .await?
            .as_ref()
            .map(acceptance_row)
            .transpose()
    }

    async fn acceptances_of(&mut self, tenant: TenantId) -> StoreResult<Vec<AcceptanceRecord>> {
        let rows = sqlx::query(
            "SELECT * FROM agreement_acceptances WHERE tenant_id = $1 ORDER BY version DESC",
        )
        .bind(tenant.to_string())
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(acceptance_row).collect()
    }
}

#[async_trait]
impl AgreementWrites for SqlTx {
    async fn insert_agreement(
        &mut self,
        title: &str,
        body: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<AgreementRecord> {
        let row = sqlx::query(
            "INSERT INTO agreements (version, title, body, published_at) \
             SELECT COALESCE(MAX(version), 0) + 1, $1, $2, $3 FROM agreements \
             RETURNING version, title, body, published_at",
        )
        .bind(title)
        .bind(body)
        .bind(ms(at))
        .fetch_one(&mut *self.tx)
        .await
        .map_err(write_err)?;
        agreement_row(&row)
    }

    async fn insert_acceptance(&mut self, a: &AcceptanceRecord) -> StoreResult<bool> {
        let r = sqlx::query(
            "INSERT INTO agreement_acceptances \
             (tenant_id, acceptance_id, version, user_id, user_name, user_email, accepted_at, client_addr) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (tenant_id, version) DO NOTHING",
        )
        .bind(a.tenant_id.to_string())
        .bind(a.id.to_string())
        .bind(a.version)
        .bind(a.user_id.to_string())
        .bind(&a.user_name)
        .bind(&a.user_email)
        .bind(ms(a.accepted_at))
        .bind(&a.client_addr)
        .execute(&mut *self.tx)
        .await
        .map_err(write_err)?;
        Ok(r.rows_affected() == 1)
    }
}
