//! Queries of the change feed and the outbox.

use accord_domain::TenantId;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;

use super::{col, get, ms, opt_time, time, Backend, SqlTx, CHANGES_CHANNEL};
use crate::{
    ChangeRecord, FeedReads, FeedWrites, NewChange, OutboxCounts, OutboxRecord, StoreError,
    StoreResult,
};

fn change_row(r: &AnyRow) -> StoreResult<ChangeRecord> {
    Ok(ChangeRecord {
        seq: get(r, "seq")?,
        at: time(get(r, "at")?)?,
        tenant_id: col(r, "tenant_id")?,
        kind: get(r, "kind")?,
        key: get(r, "key")?,
    })
}

fn outbox_row(r: &AnyRow) -> StoreResult<OutboxRecord> {
    Ok(OutboxRecord {
        tenant_id: col(r, "tenant_id")?,
        id: col(r, "message_id")?,
        kind: get(r, "kind")?,
        payload: serde_json::from_str(&get::<String>(r, "payload")?)
            .map_err(|e| StoreError::Corrupt(format!("outbox payload: {e}")))?,
        created_at: time(get(r, "created_at")?)?,
        delivered_at: opt_time(get(r, "delivered_at")?)?,
        attempts: u32::try_from(get::<i64>(r, "attempts")?)
            .map_err(|_| StoreError::Corrupt("outbox attempts".into()))?,
        last_error: get(r, "last_error")?,
        failed_at: opt_time(get(r, "failed_at")?)?,
    })
}

#[async_trait]
impl FeedReads for SqlTx {
    async fn changes_after(&mut self, after: i64, limit: u32) -> StoreResult<Vec<ChangeRecord>> {
        let rows = sqlx::query(
            "SELECT seq, at, tenant_id, kind, key FROM change_feed WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(change_row).collect()
    }

    async fn feed_bounds(&mut self) -> StoreResult<(i64, Option<i64>)> {
        let head: i64 = sqlx::query_scalar("SELECT seq FROM change_feed_head WHERE id = 1")
            .fetch_one(&mut *self.tx)
            .await?;
        let oldest: Option<i64> = sqlx::query_scalar("SELECT MIN(seq) FROM change_feed")
            .fetch_one(&mut *self.tx)
            .await?;
        Ok((head, oldest))
    }

    async fn pending_outbox(
        &mut self,
        tenant: TenantId,
        limit: u32,
    ) -> StoreResult<Vec<OutboxRecord>> {
        let rows = sqlx::query(
            "SELECT * FROM outbox WHERE tenant_id = $1 AND delivered_at IS NULL \
             ORDER BY created_at, message_id LIMIT $2",
        )
        .bind(tenant.to_string())
        .bind(i64::from(limit))
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(outbox_row).collect()
    }

    async fn outbox_counts(&mut self) -> StoreResult<OutboxCounts> {
        let waiting: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL AND failed_at IS NULL",
        )
        .fetch_one(&mut *self.tx)
        .await?;
        let failed: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE failed_at IS NOT NULL")
                .fetch_one(&mut *self.tx)
                .await?;
        Ok(OutboxCounts {
            waiting: u64::try_from(waiting).unwrap_or_default(),
            failed: u64::try_from(failed).unwrap_or_default(),
        })
    }

    async fn failed_outbox(&mut self, limit: u32) -> StoreResult<Vec<OutboxRecord>> {
        let rows = sqlx::query(
            "SELECT * FROM outbox WHERE failed_at IS NOT NULL \
             ORDER BY failed_at DESC, message_id LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(outbox_row).collect()
    }
}

#[async_trait]
impl FeedWrites for SqlTx {
    async fn append_changes(
        &mut self,
        at: DateTime<Utc>,
        changes: &[NewChange],
    ) -> StoreResult<i64> {
        let n = i64::try_from(changes.len())
            .map_err(|_| StoreError::Unstorable("too many changes in one commit".into()))?;
        // The row lock on the head is held until this transaction ends: numbers are
        // handed out in commit order.
        let last: i64 = sqlx::query_scalar(
            "UPDATE change_feed_head SET seq = seq + $1 WHERE id = 1 RETURNING seq",
        )
        .bind(n)
        .fetch_one(&mut *self.tx)
        .await?;
        for (i, c) in (0_i64..).zip(changes) {
            sqlx::query(
                "INSERT INTO change_feed (seq, at, tenant_id, kind, key) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(last - n + 1 + i)
            .bind(ms(at))
            .bind(c.tenant_id.to_string())
            .bind(&c.kind)
            .bind(&c.key)
            .execute(&mut *self.tx)
            .await?;
        }
        if self.backend == Backend::Postgres && n > 0 {
            // Delivered when (and only if) the transaction commits.
            sqlx::query(&format!("NOTIFY {CHANGES_CHANNEL}"))
                .execute(&mut *self.tx)
                .await?;
        }
        Ok(last)
    }

    async fn prune_changes(&mut self, before: DateTime<Utc>) -> StoreResult<u64> {
        let r = sqlx::query(
            "DELETE FROM change_feed WHERE at < $1 \
             AND seq < (SELECT seq FROM change_feed_head WHERE id = 1)",
        )
        .bind(ms(before))
        .execute(&mut *self.tx)
        .await?;
        Ok(r.rows_affected())
    }

    async fn insert_outbox(&mut self, m: &OutboxRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO outbox (tenant_id, message_id, kind, payload, created_at, delivered_at, \
             next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $5)",
        )
        .bind(m.tenant_id.to_string())
        .bind(m.id.to_string())
        .bind(&m.kind)
        .bind(m.payload.to_string())
        .bind(ms(m.created_at))
        .bind(m.delivered_at.map(ms))
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    async fn claim_outbox(
        &mut self,
        kind: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<OutboxRecord>> {
        let due = sqlx::query(
            "SELECT * FROM outbox WHERE delivered_at IS NULL AND failed_at IS NULL \
             AND next_attempt_at <= $1 AND kind = $2 ORDER BY next_attempt_at, message_id LIMIT $3",
        )
        .bind(ms(now))
        .bind(kind)
        .bind(i64::from(limit))
        .fetch_all(&mut *self.tx)
        .await?;
        let mut claimed = Vec::with_capacity(due.len());
        for row in &due {
            let mut m = outbox_row(row)?;
            let was: i64 = get(row, "next_attempt_at")?;
            // Compare-and-set: a concurrent sender that claimed it first moved the time.
            let r = sqlx::query(
                "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $1 \
                 WHERE tenant_id = $2 AND message_id = $3 AND next_attempt_at = $4 \
                 AND delivered_at IS NULL AND failed_at IS NULL",
            )
            .bind(ms(lease_until))
            .bind(m.tenant_id.to_string())
            .bind(m.id.to_string())
            .bind(was)
            .execute(&mut *self.tx)
            .await?;
            if r.rows_affected() == 1 {
                m.attempts += 1;
                claimed.push(m);
            }
        }
        Ok(claimed)
    }

    async fn outbox_delivered(
        &mut self,
        tenant: TenantId,
        id: uuid::Uuid,
        at: DateTime<Utc>,
        kept: &serde_json::Value,
    ) -> StoreResult<()> {
        sqlx::query(
            "UPDATE outbox SET delivered_at = $1, last_error = NULL, payload = $4 \
             WHERE tenant_id = $2 AND message_id = $3",
        )
        .bind(ms(at))
        .bind(tenant.to_string())
        .bind(id.to_string())
        .bind(kept.to_string())
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    async fn outbox_retry(
        &mut self,
        tenant: TenantId,
        id: uuid::Uuid,
        retry_at: DateTime<Utc>,
        error: &str,
    ) -> StoreResult<()> {
        sqlx::query(
            "UPDATE outbox SET next_attempt_at = $1, last_error = $2 \
             WHERE tenant_id = $3 AND message_id = $4 AND delivered_at IS NULL",
        )
        .bind(ms(retry_at))
        .bind(error)
        .bind(tenant.to_string())
        .bind(id.to_string())
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    async fn outbox_failed(
        &mut self,
        tenant: TenantId,
        id: uuid::Uuid,
        at: DateTime<Utc>,
        error: &str,
        kept: &serde_json::Value,
    ) -> StoreResult<()> {
        sqlx::query(
            "UPDATE outbox SET failed_at = $1, last_error = $2, payload = $5 \
             WHERE tenant_id = $3 AND message_id = $4 AND delivered_at IS NULL",
        )
        .bind(ms(at))
        .bind(error)
        .bind(tenant.to_string())
        .bind(id.to_string())
        .bind(kept.to_string())
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }
}
