//! Queries of relationship requests and the organisations created through their links.

use accord_domain::{AdminAsk, PartnerType, RequestId, RequestStatus, TenantId};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;

use super::{col, get, join, ms, opt_col, opt_time, split, time, SqlTx};
use crate::{
    RequestReads, RequestRecord, RequestResolution, RequestWrites, StoreError, StoreResult,
};

const REQUEST_COLS: &str =
    "tenant_id, request_id, token_hash, types, admin_ask, customer_email, status, \
     created_by, created_at, expires_at, resolved_at, resolved_by_tenant, resolved_by_user";

fn request_row(r: &AnyRow) -> StoreResult<RequestRecord> {
    let ask: AdminAsk = serde_json::from_str(&get::<String>(r, "admin_ask")?)
        .map_err(|e| StoreError::Corrupt(format!("admin_ask: {e}")))?;
    Ok(RequestRecord {
        tenant_id: col(r, "tenant_id")?,
        id: col(r, "request_id")?,
        token_hash: get(r, "token_hash")?,
        types: split::<PartnerType>("partner type", &get::<String>(r, "types")?)?,
        ask,
        customer_email: get(r, "customer_email")?,
        status: col::<RequestStatus>(r, "status")?,
        created_by: col(r, "created_by")?,
        created_at: time(get(r, "created_at")?)?,
        expires_at: time(get(r, "expires_at")?)?,
        resolved_at: opt_time(get(r, "resolved_at")?)?,
        resolved_by_tenant: opt_col(r, "resolved_by_tenant")?,
        resolved_by_user: opt_col(r, "resolved_by_user")?,
    })
}

#[async_trait]
impl RequestReads for SqlTx {
    async fn request(
        &mut self,
        partner: TenantId,
        id: RequestId,
    ) -> StoreResult<Option<RequestRecord>> {
        sqlx::query(&format!(
            "SELECT {REQUEST_COLS} FROM relationship_requests WHERE tenant_id = $1 AND request_id = $2"
        ))
        .bind(partner.to_string())
        .bind(id.to_string())
        .fetch_optional(&mut *self.tx)
        .await?
        .as_ref()
        .map(request_row)
        .transpose()
    }

    async fn request_by_token_hash(
        &mut self,
        partner: TenantId,
        token_hash: &str,
    ) -> StoreResult<Option<RequestRecord>> {
        sqlx::query(&format!(
            "SELECT {REQUEST_COLS} FROM relationship_requests WHERE tenant_id = $1 AND token_hash = $2"
        ))
        .bind(partner.to_string())
        .bind(token_hash)
        .fetch_optional(&mut *self.tx)
        .await?
        .as_ref()
        .map(request_row)
        .transpose()
    }

    async fn list_requests(
        &mut self,
        partner: TenantId,
        after: Option<(DateTime<Utc>, RequestId)>,
        limit: u32,
    ) -> StoreResult<Vec<RequestRecord>> {
        let rows = match after {
            None => {
                sqlx::query(&format!(
                    "SELECT {REQUEST_COLS} FROM relationship_requests WHERE tenant_id = $1 \
                     ORDER BY created_at DESC, request_id DESC LIMIT $2"
                ))
                .bind(partner.to_string())
                .bind(i64::from(limit))
                .fetch_all(&mut *self.tx)
                .await?
            }
            Some((at, id)) => {
                sqlx::query(&format!(
                    "SELECT {REQUEST_COLS} FROM relationship_requests WHERE tenant_id = $1 \
                     AND (created_at < $2 OR (created_at = $3 AND request_id < $4)) \
                     ORDER BY created_at DESC, request_id DESC LIMIT $5"
                ))
                .bind(partner.to_string())
                .bind(ms(at))
                .bind(ms(at))
                .bind(id.to_string())
                .bind(i64::from(limit))
                .fetch_all(&mut *self.tx)
                .await?
            }
        };
        rows.iter().map(request_row).collect()
    }

    async fn signup_of_request(
        &mut self,
        partner: TenantId,
        id: RequestId,
    ) -> StoreResult<Option<TenantId>> {
        let row = sqlx::query(
            "SELECT customer_id FROM invitation_signups WHERE tenant_id = $1 AND request_id = $2",
        )
        .bind(partner.to_string())
        .bind(id.to_string())
        .fetch_optional(&mut *self.tx)
        .await?;
        row.map(|r| col(&r, "customer_id")).transpose()
    }
}

#[async_trait]
impl RequestWrites for SqlTx {
    async fn insert_request(&mut self, r: &RequestRecord) -> StoreResult<()> {
        let ask = serde_json::to_string(&r.ask).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        sqlx::query(&format!(
            "INSERT INTO relationship_requests ({REQUEST_COLS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
        ))
        .bind(r.tenant_id.to_string())
        .bind(r.id.to_string())
        .bind(&r.token_hash)
        .bind(join(&r.types))
        .bind(ask)
        .bind(r.customer_email.clone())
        .bind(r.status.as_str())
        .bind(r.created_by.to_string())
        .bind(ms(r.created_at))
        .bind(ms(r.expires_at))
        .bind(r.resolved_at.map(ms))
        .bind(r.resolved_by_tenant.map(|t| t.to_string()))
        .bind(r.resolved_by_user.map(|u| u.to_string()))
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    async fn resolve_request(
        &mut self,
        partner: TenantId,
        id: RequestId,
        res: &RequestResolution,
    ) -> StoreResult<bool> {
        let r = sqlx::query(
            "UPDATE relationship_requests \
             SET status = $1, resolved_at = $2, resolved_by_tenant = $3, resolved_by_user = $4 \
             WHERE tenant_id = $5 AND request_id = $6 AND status = 'pending' AND expires_at > $7",
        )
        .bind(res.status.as_str())
        .bind(ms(res.at))
        .bind(res.by_tenant.to_string())
        .bind(res.by_user.to_string())
        .bind(partner.to_string())
        .bind(id.to_string())
        .bind(ms(res.at))
        .execute(&mut *self.tx)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    async fn record_signup(
        &mut self,
        partner: TenantId,
        id: RequestId,
        customer: TenantId,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO invitation_signups (tenant_id, request_id, customer_id, created_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(partner.to_string())
        .bind(id.to_string())
        .bind(customer.to_string())
        .bind(ms(at))
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }
}

// Keep the request status names in one place: `RequestStatus::as_str` writes them and
// `FromStr` reads them back; an unknown one is corrupt data.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip() {
        for s in [
            RequestStatus::Pending,
            RequestStatus::Accepted,
            RequestStatus::Declined,
            RequestStatus::Revoked,
        ] {
            assert_eq!(s.as_str().parse::<RequestStatus>().ok(), Some(s));
        }
    }
}
