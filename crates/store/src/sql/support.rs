//! Queries of service requests and their comments.

use accord_domain::{ServiceRequestId, ServiceRequestStatus, TenantId};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;

use super::{col, get, ms, time, SqlTx};
use crate::{
    CommentRecord, ServiceRequestFilter, ServiceRequestRecord, ServiceRequestRow, StoreResult,
    SupportReads, SupportWrites,
};

const SELECT: &str = "SELECT r.tenant_id, r.service_request_id, r.partner_id, r.title, \
     r.description, r.severity, r.status, r.opened_by, r.opened_by_name, r.created_at, \
     r.updated_at, p.name AS partner_name, c.name AS customer_name \
     FROM service_requests r JOIN tenants p ON p.tenant_id = r.partner_id \
     JOIN tenants c ON c.tenant_id = r.tenant_id";

fn request_row(r: &AnyRow) -> StoreResult<ServiceRequestRow> {
    Ok(ServiceRequestRow {
        req: ServiceRequestRecord {
            tenant_id: col(r, "tenant_id")?,
            id: col(r, "service_request_id")?,
            partner_id: col(r, "partner_id")?,
            title: get(r, "title")?,
            description: get(r, "description")?,
            severity: col(r, "severity")?,
            status: col(r, "status")?,
            opened_by: col(r, "opened_by")?,
            opened_by_name: get(r, "opened_by_name")?,
            created_at: time(get(r, "created_at")?)?,
            updated_at: time(get(r, "updated_at")?)?,
        },
        partner_name: get(r, "partner_name")?,
        customer_name: get(r, "customer_name")?,
    })
}

fn comment_row(r: &AnyRow) -> StoreResult<CommentRecord> {
    Ok(CommentRecord {
        tenant_id: col(r, "tenant_id")?,
        request_id: col(r, "service_request_id")?,
        id: col(r, "comment_id")?,
        author_kind: get(r, "author_kind")?,
        author_name: get(r, "author_name")?,
        body: get(r, "body")?,
        created_at: time(get(r, "created_at")?)?,
    })
}

#[async_trait]
impl SupportReads for SqlTx {
    async fn service_request(
        &mut self,
        customer: TenantId,
        id: ServiceRequestId,
    ) -> StoreResult<Option<ServiceRequestRow>> {
        sqlx::query(&format!(
            "{SELECT} WHERE r.tenant_id = $1 AND r.service_request_id = $2"
        ))
        .bind(customer.to_string())
        .bind(id.to_string())
        .fetch_optional(&mut *self.tx)
        .await?
        .as_ref()
        .map(request_row)
        .transpose()
    }

    async fn list_service_requests(
        &mut self,
        filter: ServiceRequestFilter,
        before: Option<ServiceRequestId>,
        limit: u32,
    ) -> StoreResult<Vec<ServiceRequestRow>> {
        let before = before.map(|b| b.to_string()).unwrap_or_default();
        let (cond, a, b) = match filter {
            ServiceRequestFilter::Customer(c) => {
                ("r.tenant_id = $1 AND $2 = $2", c.to_string(), String::new())
            }
            ServiceRequestFilter::PartnerCustomer { partner, customer } => (
                "r.partner_id = $1 AND r.tenant_id = $2",
                partner.to_string(),
                customer.to_string(),
            ),
            ServiceRequestFilter::Queue(status) => (
                "($1 = '' OR r.status = $2)",
                status.map(|s| s.as_str().to_string()).unwrap_or_default(),
                status.map(|s| s.as_str().to_string()).unwrap_or_default(),
            ),
        };
        let rows = sqlx::query(&format!(
            "{SELECT} WHERE {cond} AND ($3 = '' OR r.service_request_id < $4) \
             ORDER BY r.service_request_id DESC LIMIT $5"
        ))
        .bind(a)
        .bind(b)
        .bind(before.clone())
        .bind(before)
        .bind(i64::from(limit))
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(request_row).collect()
    }

    async fn comments(
        &mut self,
        customer: TenantId,
        id: ServiceRequestId,
        limit: u32,
    ) -> StoreResult<Vec<CommentRecord>> {
        let rows = sqlx::query(
            "SELECT * FROM service_request_comments WHERE tenant_id = $1 AND service_request_id = $2 \
             ORDER BY comment_id LIMIT $3",
        )
        .bind(customer.to_string())
        .bind(id.to_string())
        .bind(i64::from(limit))
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(comment_row).collect()
    }
}

#[async_trait]
impl SupportWrites for SqlTx {
    async fn insert_service_request(&mut self, r: &ServiceRequestRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO service_requests (tenant_id, service_request_id, partner_id, title, \
               description, severity, status, opened_by, opened_by_name, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(r.tenant_id.to_string())
        .bind(r.id.to_string())
        .bind(r.partner_id.to_string())
        .bind(&r.title)
        .bind(&r.description)
        .bind(r.severity.as_str())
        .bind(r.status.as_str())
        .bind(r.opened_by.to_string())
        .bind(&r.opened_by_name)
        .bind(ms(r.created_at))
        .bind(ms(r.updated_at))
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    async fn set_service_request_status(
        &mut self,
        customer: TenantId,
        id: ServiceRequestId,
        from: ServiceRequestStatus,
        to: ServiceRequestStatus,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let n = sqlx::query(
            "UPDATE service_requests SET status = $1, updated_at = $2 \
             WHERE tenant_id = $3 AND service_request_id = $4 AND status = $5",
        )
        .bind(to.as_str())
        .bind(ms(at))
        .bind(customer.to_string())
        .bind(id.to_string())
        .bind(from.as_str())
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    async fn insert_comment(&mut self, c: &CommentRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO service_request_comments (tenant_id, service_request_id, comment_id, \
               author_kind, author_name, body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(c.tenant_id.to_string())
        .bind(c.request_id.to_string())
        .bind(c.id.to_string())
        .bind(&c.author_kind)
        .bind(&c.author_name)
        .bind(&c.body)
        .bind(ms(c.created_at))
        .execute(&mut *self.tx)
        .await?;
        sqlx::query(
            "UPDATE service_requests SET updated_at = $1 WHERE tenant_id = $2 AND service_request_id = $3",
        )
        .bind(ms(c.created_at))
        .bind(c.tenant_id.to_string())
        .bind(c.request_id.to_string())
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }
}
