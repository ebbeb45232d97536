//! Queries of the product catalogue, subscriptions and idempotency keys.

use accord_domain::{Cloud, SubscriptionId, TenantId};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;

use super::{col, flag, get, join, ms, opt_time, split, time, SqlTx};
use crate::{
    CommerceReads, CommerceWrites, IdempotencyRecord, ProductRecord, StoreError, StoreResult,
    SubscriptionRecord, SubscriptionRow,
};

fn count(r: &AnyRow, name: &str) -> StoreResult<u32> {
    let v: i64 = get(r, name)?;
    u32::try_from(v).map_err(|_| StoreError::Corrupt(format!("column {name}: {v}")))
}

fn product_row(r: &AnyRow) -> StoreResult<ProductRecord> {
    Ok(ProductRecord {
        sku: get(r, "sku")?,
        name: get(r, "name")?,
        billing: col(r, "billing")?,
        max_quantity: count(r, "max_quantity")?,
        clouds: split("cloud", &get::<String>(r, "clouds")?)?,
        retired: flag(r, "retired")?,
        created_at: time(get(r, "created_at")?)?,
        updated_at: time(get(r, "updated_at")?)?,
    })
}

const SUBSCRIPTION_SELECT: &str =
    "SELECT s.tenant_id, s.subscription_id, s.partner_id, s.sku, s.quantity, s.status, \
     s.created_by, s.created_at, s.updated_at, s.cancelled_at, \
     t.name AS partner_name, p.name AS product_name, p.billing \
     FROM subscriptions s JOIN tenants t ON t.tenant_id = s.partner_id \
     JOIN products p ON p.sku = s.sku";

fn subscription_row(r: &AnyRow) -> StoreResult<SubscriptionRow> {
    Ok(SubscriptionRow {
        sub: SubscriptionRecord {
            tenant_id: col(r, "tenant_id")?,
            id: col(r, "subscription_id")?,
            partner_id: col(r, "partner_id")?,
            sku: get(r, "sku")?,
            quantity: count(r, "quantity")?,
            status: col(r, "status")?,
            created_by: col(r, "created_by")?,
            created_at: time(get(r, "created_at")?)?,
            updated_at: time(get(r, "updated_at")?)?,
            cancelled_at: opt_time(get(r, "cancelled_at")?)?,
        },
        partner_name: get(r, "partner_name")?,
        product_name: get(r, "product_name")?,
        billing: col(r, "billing")?,
    })
}

fn idempotency_row(r: &AnyRow) -> StoreResult<IdempotencyRecord> {
    Ok(IdempotencyRecord {
        tenant_id: col(r, "tenant_id")?,
        key: get(r, "idem_key")?,
        fingerprint: get(r, "fingerprint")?,
        resource_id: get(r, "resource_id")?,
        created_at: time(get(r, "created_at")?)?,
    })
}

#[async_trait]
impl CommerceReads for SqlTx {
    async fn product(&mut self, sku: &str) -> StoreResult<Option<ProductRecord>> {
        sqlx::query("SELECT * FROM products WHERE sku = $1")
            .bind(sku)
            .fetch_optional(&mut *self.tx)
            .await?
            .as_ref()
            .map(product_row)
            .transpose()
    }

    async fn list_products(
        &mut self,
        cloud: Option<Cloud>,
        after: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<ProductRecord>> {
        // The catalogue is small (hundreds of rows): filter the clouds here rather than
        // match a list column in SQL.
        let rows = sqlx::query("SELECT * FROM products WHERE sku > $1 ORDER BY sku")
            .bind(after.unwrap_or_default())
            .fetch_all(&mut *self.tx)
            .await?;
        let mut out = Vec::new();
        for r in &rows {
            let p = product_row(r)?;
            if cloud.is_none_or(|c| !p.retired && p.clouds.contains(&c)) {
                out.push(p);
                if out.len() >= limit as usize {
                    break;
                }
            }
        }
        Ok(out)
    }

    async fn subscription(
        &mut self,
        customer: TenantId,
        id: SubscriptionId,
    ) -> StoreResult<Option<SubscriptionRow>> {
        sqlx::query(&format!(
            "{SUBSCRIPTION_SELECT} WHERE s.tenant_id = $1 AND s.subscription_id = $2"
        ))
        .bind(customer.to_string())
        .bind(id.to_string())
        .fetch_optional(&mut *self.tx)
        .await?
        .as_ref()
        .map(subscription_row)
        .transpose()
    }

    async fn list_subscriptions(
        &mut self,
        customer: TenantId,
        partner: Option<TenantId>,
        before: Option<SubscriptionId>,
        limit: u32,
    ) -> StoreResult<Vec<SubscriptionRow>> {
        let before = before.map(|b| b.to_string()).unwrap_or_default();
        let partner = partner.map(|p| p.to_string()).unwrap_or_default();
        let rows = sqlx::query(&format!(
            "{SUBSCRIPTION_SELECT} WHERE s.tenant_id = $1 \
             AND ($2 = '' OR s.partner_id = $3) AND ($4 = '' OR s.subscription_id < $5) \
             ORDER BY s.subscription_id DESC LIMIT $6"
        ))
        .bind(customer.to_string())
        .bind(partner.clone())
        .bind(partner)
        .bind(before.clone())
        .bind(before)
        .bind(i64::from(limit))
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(subscription_row).collect()
    }

    async fn active_subscriptions(
        &mut self,
        customer: TenantId,
        partner: TenantId,
        limit: u32,
    ) -> StoreResult<Vec<SubscriptionRow>> {
        let rows = sqlx::query(&format!(
            "{SUBSCRIPTION_SELECT} WHERE s.tenant_id = $1 AND s.partner_id = $2 \
             AND s.status = 'active' ORDER BY s.subscription_id LIMIT $3"
        ))
        .bind(customer.to_string())
        .bind(partner.to_string())
        .bind(i64::from(limit))
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(subscription_row).collect()
    }
}

#[async_trait]
impl CommerceWrites for SqlTx {
    async fn upsert_product(&mut self, p: &ProductRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO products (sku, name, billing, max_quantity, clouds, retired, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (sku) DO UPDATE SET name = excluded.name, billing = excluded.billing, \
               max_quantity = excluded.max_quantity, clouds = excluded.clouds, \
               retired = excluded.retired, updated_at = excluded.updated_at",
        )
        .bind(&p.sku)
        .bind(&p.name)
        .bind(p.billing.as_str())
        .bind(i64::from(p.max_quantity))
        .bind(join(&p.clouds))
        .bind(i64::from(p.retired))
        .bind(ms(p.created_at))
        .bind(ms(p.updated_at))
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    async fn insert_subscription(&mut self, s: &SubscriptionRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO subscriptions (tenant_id, subscription_id, partner_id, sku, quantity, \
               status, created_by, created_at, updated_at, cancelled_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(s.tenant_id.to_string())
        .bind(s.id.to_string())
        .bind(s.partner_id.to_string())
        .bind(&s.sku)
        .bind(i64::from(s.quantity))
        .bind(s.status.as_str())
        .bind(s.created_by.to_string())
        .bind(ms(s.created_at))
        .bind(ms(s.updated_at))
        .bind(s.cancelled_at.map(ms))
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    async fn update_subscription(&mut self, s: &SubscriptionRecord) -> StoreResult<bool> {
        let n = sqlx::query(
            "UPDATE subscriptions SET quantity = $1, status = $2, updated_at = $3, cancelled_at = $4 \
             WHERE tenant_id = $5 AND subscription_id = $6",
        )
        .bind(i64::from(s.quantity))
        .bind(s.status.as_str())
        .bind(ms(s.updated_at))
        .bind(s.cancelled_at.map(ms))
        .bind(s.tenant_id.to_string())
        .bind(s.id.to_string())
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    async fn claim_idempotency_key(
        &mut self,
        rec: &IdempotencyRecord,
        fresh_after: DateTime<Utc>,
    ) -> StoreResult<Option<IdempotencyRecord>> {
        // Forget a stale use of the key, then take it; a concurrent first use makes the
        // insert wait for its commit and then do nothing, and the select sees its row.
        sqlx::query(
            "DELETE FROM idempotency_keys WHERE tenant_id = $1 AND idem_key = $2 AND created_at <= $3",
        )
        .bind(rec.tenant_id.to_string())
        .bind(&rec.key)
        .bind(ms(fresh_after))
        .execute(&mut *self.tx)
        .await?;
        let inserted = sqlx::query(
            "INSERT INTO idempotency_keys (tenant_id, idem_key, fingerprint, resource_id, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id, idem_key) DO NOTHING",
        )
        .bind(rec.tenant_id.to_string())
        .bind(&rec.key)
        .bind(&rec.fingerprint)
        .bind(&rec.resource_id)
        .bind(ms(rec.created_at))
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        if inserted == 1 {
            return Ok(None);
        }
        sqlx::query("SELECT * FROM idempotency_keys WHERE tenant_id = $1 AND idem_key = $2")
            .bind(rec.tenant_id.to_string())
            .bind(&rec.key)
            .fetch_optional(&mut *self.tx)
            .await?
            .as_ref()
            .map(idempotency_row)
            .transpose()
    }
}
