//! Queries of the audit trail and operator events.

use accord_domain::TenantId;
use async_trait::async_trait;
use sqlx::any::AnyRow;

use super::{col, get, ms, opt_col, time, SqlTx};
use crate::{AuditReads, AuditRecord, AuditWrites, StoreError, StoreResult};

fn audit_row(r: &AnyRow, operator: bool) -> StoreResult<AuditRecord> {
    Ok(AuditRecord {
        tenant_id: if operator {
            TenantId(uuid::Uuid::nil())
        } else {
            col(r, "tenant_id")?
        },
        id: col(r, "event_id")?,
        at: time(get(r, "at")?)?,
        actor_kind: get(r, "actor_kind")?,
        actor_tenant_id: opt_col(r, "actor_tenant_id")?,
        actor_user_id: opt_col(r, "actor_user_id")?,
        acting_for: if operator {
            None
        } else {
            opt_col(r, "acting_for")?
        },
        counterpart_id: if operator {
            None
        } else {
            opt_col(r, "counterpart_id")?
        },
        request_id: get(r, "request_id")?,
        action: get(r, "action")?,
        subject_type: get(r, "subject_type")?,
        subject_id: get(r, "subject_id")?,
        details: serde_json::from_str(&get::<String>(r, "details")?)
            .map_err(|e| StoreError::Corrupt(format!("audit details: {e}")))?,
    })
}

#[async_trait]
impl AuditReads for SqlTx {
    async fn list_audit(&mut self, tenant: TenantId, limit: u32) -> StoreResult<Vec<AuditRecord>> {
        let rows = sqlx::query(
            "SELECT * FROM audit_events WHERE tenant_id = $1 ORDER BY at DESC, event_id DESC LIMIT $2",
        )
        .bind(tenant.to_string())
        .bind(i64::from(limit))
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(|r| audit_row(r, false)).collect()
    }

    async fn latest_audit(
        &mut self,
        tenant: TenantId,
        action: &str,
        subject_id: &str,
    ) -> StoreResult<Option<AuditRecord>> {
        sqlx::query(
            "SELECT * FROM audit_events WHERE tenant_id = $1 AND action = $2 AND subject_id = $3 \
             ORDER BY at DESC, event_id DESC LIMIT 1",
        )
        .bind(tenant.to_string())
        .bind(action)
        .bind(subject_id)
        .fetch_optional(&mut *self.tx)
        .await?
        .as_ref()
        .map(|r| audit_row(r, false))
        .transpose()
    }

    async fn audit_page(
        &mut self,
        tenant: TenantId,
        counterpart: Option<TenantId>,
        before: Option<uuid::Uuid>,
        limit: u32,
    ) -> StoreResult<Vec<AuditRecord>> {
        // Event ids are time-ordered (UUIDv7), so they order the trail and serve as the
        // cursor ('' for the first page).
        let before = before.map(|b| b.to_string()).unwrap_or_default();
        let rows = match counterpart {
            Some(c) => {
                sqlx::query(
                    "SELECT * FROM audit_events WHERE tenant_id = $1 AND counterpart_id = $2 \
                     AND ($3 = '' OR event_id < $4) ORDER BY event_id DESC LIMIT $5",
                )
                .bind(tenant.to_string())
                .bind(c.to_string())
                .bind(before.clone())
                .bind(before)
                .bind(i64::from(limit))
                .fetch_all(&mut *self.tx)
                .await?
            }
            None => sqlx::query(
                "SELECT * FROM audit_events WHERE tenant_id = $1 AND ($2 = '' OR event_id < $3) \
                     ORDER BY event_id DESC LIMIT $4",
            )
            .bind(tenant.to_string())
            .bind(before.clone())
            .bind(before)
            .bind(i64::from(limit))
            .fetch_all(&mut *self.tx)
            .await?,
        };
        rows.iter().map(|r| audit_row(r, false)).collect()
    }

    async fn list_operator_events(&mut self, limit: u32) -> StoreResult<Vec<AuditRecord>> {
        let rows =
            sqlx::query("SELECT * FROM operator_events ORDER BY at DESC, event_id DESC LIMIT $1")
                .bind(i64::from(limit))
                .fetch_all(&mut *self.tx)
                .await?;
        rows.iter().map(|r| audit_row(r, true)).collect()
    }
}

#[async_trait]
impl AuditWrites for SqlTx {
    async fn insert_audit(&mut self, e: &AuditRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO audit_events \
             (tenant_id, event_id, at, actor_kind, actor_tenant_id, actor_user_id, acting_for, \
              request_id, action, subject_type, subject_id, details, counterpart_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(e.tenant_id.to_string())
        .bind(e.id.to_string())
        .bind(ms(e.at))
        .bind(&e.actor_kind)
        .bind(e.actor_tenant_id.map(|t| t.to_string()))
        .bind(e.actor_user_id.map(|u| u.to_string()))
        .bind(e.acting_for.map(|t| t.to_string()))
        .bind(e.request_id.clone())
        .bind(&e.action)
        .bind(&e.subject_type)
        .bind(&e.subject_id)
        .bind(e.details.to_string())
        .bind(e.counterpart_id.map(|t| t.to_string()))
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    async fn insert_operator_event(&mut self, e: &AuditRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO operator_events \
             (event_id, at, actor_kind, actor_tenant_id, actor_user_id, request_id, action, \
              subject_type, subject_id, details) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(e.id.to_string())
        .bind(ms(e.at))
        .bind(&e.actor_kind)
        .bind(e.actor_tenant_id.map(|t| t.to_string()))
        .bind(e.actor_user_id.map(|u| u.to_string()))
        .bind(e.request_id.clone())
        .bind(&e.action)
        .bind(&e.subject_type)
        .bind(&e.subject_id)
        .bind(e.details.to_string())
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }
}
