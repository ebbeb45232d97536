//! Queries of devices and line-of-business apps.

use std::collections::HashMap;

use accord_domain::{AppId, AppVersionId, AppVersionStatus, DeviceId, TenantId};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;

use super::{col, get, ms, opt_time, time, write_err, SqlTx};
use crate::{
    AppRecord, AppRow, AppVersionRecord, DeviceRecord, DeviceRow, OemReads, OemWrites, StoreResult,
};

/// How many values one `IN (…)` list binds.
const CHUNK: usize = 200;

fn device_row(r: &AnyRow) -> StoreResult<DeviceRow> {
    let product: String = get(r, "product_id")?;
    Ok(DeviceRow {
        device: DeviceRecord {
            tenant_id: col(r, "tenant_id")?,
            id: col(r, "device_id")?,
            partner_id: col(r, "partner_id")?,
            upload_id: col(r, "upload_id")?,
            serial_number: get(r, "serial_number")?,
            product_id: (!product.is_empty()).then_some(product),
            hardware_hash: get(r, "hardware_hash")?,
            hardware_hash_sha256: get(r, "hardware_hash_sha256")?,
            uploaded_by_name: get(r, "uploaded_by_name")?,
            created_at: time(get(r, "created_at")?)?,
        },
        partner_name: get(r, "partner_name")?,
    })
}

fn app_record(r: &AnyRow) -> StoreResult<AppRecord> {
    Ok(AppRecord {
        tenant_id: col(r, "tenant_id")?,
        id: col(r, "app_id")?,
        partner_id: col(r, "partner_id")?,
        name: get(r, "name")?,
        description: get(r, "description")?,
        created_by_name: get(r, "created_by_name")?,
        retired_at: opt_time(get(r, "retired_at")?)?,
        created_at: time(get(r, "created_at")?)?,
        updated_at: time(get(r, "updated_at")?)?,
    })
}

fn version_record(r: &AnyRow) -> StoreResult<AppVersionRecord> {
    Ok(AppVersionRecord {
        tenant_id: col(r, "tenant_id")?,
        app_id: col(r, "app_id")?,
        id: col(r, "version_id")?,
        version: get(r, "version")?,
        package_url: get(r, "package_url")?,
        status: col(r, "status")?,
        note: get(r, "note")?,
        created_at: time(get(r, "created_at")?)?,
        decided_at: opt_time(get(r, "decided_at")?)?,
        decided_by_name: get(r, "decided_by_name")?,
    })
}

const SELECT_APP: &str = "SELECT a.*, p.name AS partner_name, c.name AS customer_name \
     FROM lob_apps a JOIN tenants p ON p.tenant_id = a.partner_id \
     JOIN tenants c ON c.tenant_id = a.tenant_id";

/// `$first, $first+1, …` for `n` values.
fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl SqlTx {
    /// Fills in the versions of `apps` (newest first), with one query per chunk.
    async fn with_versions(
        &mut self,
        customer: TenantId,
        rows: Vec<AnyRow>,
    ) -> StoreResult<Vec<AppRow>> {
        let mut apps = Vec::with_capacity(rows.len());
        for r in &rows {
            apps.push(AppRow {
                app: app_record(r)?,
                partner_name: get(r, "partner_name")?,
                customer_name: get(r, "customer_name")?,
                versions: Vec::new(),
            });
        }
        let mut versions: HashMap<AppId, Vec<AppVersionRecord>> = HashMap::new();
        for chunk in apps.chunks(CHUNK) {
            let sql = format!(
                "SELECT * FROM lob_app_versions WHERE tenant_id = $1 AND app_id IN ({}) \
                 ORDER BY version_id DESC",
                placeholders(2, chunk.len())
            );
            let mut q = sqlx::query(&sql).bind(customer.to_string());
            for a in chunk {
                q = q.bind(a.app.id.to_string());
            }
            for r in q.fetch_all(&mut *self.tx).await? {
                let v = version_record(&r)?;
                versions.entry(v.app_id).or_default().push(v);
            }
        }
        for a in &mut apps {
            a.versions = versions.remove(&a.app.id).unwrap_or_default();
        }
        Ok(apps)
    }
}

#[async_trait]
impl OemReads for SqlTx {
    async fn list_devices(
        &mut self,
        customer: TenantId,
        partner: Option<TenantId>,
        before: Option<DeviceId>,
        limit: u32,
    ) -> StoreResult<Vec<DeviceRow>> {
        let partner = partner.map(|p| p.to_string()).unwrap_or_default();
        let before = before.map(|b| b.to_string()).unwrap_or_default();
        let rows = sqlx::query(
            "SELECT d.*, p.name AS partner_name FROM devices d \
             JOIN tenants p ON p.tenant_id = d.partner_id \
             WHERE d.tenant_id = $1 AND ($2 = '' OR d.partner_id = $3) \
             AND ($4 = '' OR d.device_id < $5) ORDER BY d.device_id DESC LIMIT $6",
        )
        .bind(customer.to_string())
        .bind(partner.clone())
        .bind(partner)
        .bind(before.clone())
        .bind(before)
        .bind(i64::from(limit))
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(device_row).collect()
    }

    async fn registered_devices(
        &mut self,
        customer: TenantId,
        serials: &[String],
        digests: &[String],
    ) -> StoreResult<Vec<(String, String)>> {
        let mut found = Vec::new();
        for (column, values) in [
            ("serial_number", serials),
            ("hardware_hash_sha256", digests),
        ] {
            for chunk in values.chunks(CHUNK) {
                let sql = format!(
                    "SELECT serial_number, hardware_hash_sha256 FROM devices \
                     WHERE tenant_id = $1 AND {column} IN ({})",
                    placeholders(2, chunk.len())
                );
                let mut q = sqlx::query(&sql).bind(customer.to_string());
                for v in chunk {
                    q = q.bind(v.clone());
                }
                for r in q.fetch_all(&mut *self.tx).await? {
                    found.push((get(&r, "serial_number")?, get(&r, "hardware_hash_sha256")?));
                }
            }
        }
        found.sort();
        found.dedup();
        Ok(found)
    }

    async fn app(&mut self, customer: TenantId, id: AppId) -> StoreResult<Option<AppRow>> {
        let rows = sqlx::query(&format!(
            "{SELECT_APP} WHERE a.tenant_id = $1 AND a.app_id = $2"
        ))
        .bind(customer.to_string())
        .bind(id.to_string())
        .fetch_all(&mut *self.tx)
        .await?;
        Ok(self.with_versions(customer, rows).await?.into_iter().next())
    }

    async fn list_apps(
        &mut self,
        customer: TenantId,
        partner: Option<TenantId>,
        before: Option<AppId>,
        limit: u32,
    ) -> StoreResult<Vec<AppRow>> {
        let partner = partner.map(|p| p.to_string()).unwrap_or_default();
        let before = before.map(|b| b.to_string()).unwrap_or_default();
        let rows = sqlx::query(&format!(
            "{SELECT_APP} WHERE a.tenant_id = $1 AND ($2 = '' OR a.partner_id = $3) \
             AND ($4 = '' OR a.app_id < $5) ORDER BY a.app_id DESC LIMIT $6"
        ))
        .bind(customer.to_string())
        .bind(partner.clone())
        .bind(partner)
        .bind(before.clone())
        .bind(before)
        .bind(i64::from(limit))
        .fetch_all(&mut *self.tx)
        .await?;
        self.with_versions(customer, rows).await
    }
}

#[async_trait]
impl OemWrites for SqlTx {
    async fn insert_devices(&mut self, devices: &[DeviceRecord]) -> StoreResult<()> {
        for d in devices {
            sqlx::query(
                "INSERT INTO devices (tenant_id, device_id, partner_id, upload_id, serial_number, \
                   product_id, hardware_hash, hardware_hash_sha256, uploaded_by_name, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(d.tenant_id.to_string())
            .bind(d.id.to_string())
            .bind(d.partner_id.to_string())
            .bind(d.upload_id.to_string())
            .bind(&d.serial_number)
            .bind(d.product_id.clone().unwrap_or_default())
            .bind(&d.hardware_hash)
            .bind(&d.hardware_hash_sha256)
            .bind(&d.uploaded_by_name)
            .bind(ms(d.created_at))
            .execute(&mut *self.tx)
            .await
            .map_err(write_err)?;
        }
        Ok(())
    }

    async fn insert_app(&mut self, a: &AppRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO lob_apps (tenant_id, app_id, partner_id, name, description, \
               created_by_name, retired_at, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(a.tenant_id.to_string())
        .bind(a.id.to_string())
        .bind(a.partner_id.to_string())
        .bind(&a.name)
        .bind(&a.description)
        .bind(&a.created_by_name)
        .bind(a.retired_at.map(ms))
        .bind(ms(a.created_at))
        .bind(ms(a.updated_at))
        .execute(&mut *self.tx)
        .await
        .map_err(write_err)?;
        Ok(())
    }

    async fn insert_app_version(&mut self, v: &AppVersionRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO lob_app_versions (tenant_id, app_id, version_id, version, package_url, \
               status, note, created_at, decided_at, decided_by_name) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(v.tenant_id.to_string())
        .bind(v.app_id.to_string())
        .bind(v.id.to_string())
        .bind(&v.version)
        .bind(&v.package_url)
        .bind(v.status.as_str())
        .bind(&v.note)
        .bind(ms(v.created_at))
        .bind(v.decided_at.map(ms))
        .bind(&v.decided_by_name)
        .execute(&mut *self.tx)
        .await
        .map_err(write_err)?;
        touch(self, v.tenant_id, v.app_id, v.created_at).await
    }

    async fn set_app_version_status(
        &mut self,
        customer: TenantId,
        app: AppId,
        version: AppVersionId,
        from: AppVersionStatus,
        to: AppVersionStatus,
        at: DateTime<Utc>,
        decision: Option<(&str, &str)>,
    ) -> StoreResult<bool> {
        let (by, note) = decision.unwrap_or(("", ""));
        let n = sqlx::query(
            "UPDATE lob_app_versions SET status = $1, \
               decided_at = CASE WHEN $2 = '' THEN decided_at ELSE $3 END, \
               decided_by_name = CASE WHEN $4 = '' THEN decided_by_name ELSE $5 END, \
               note = CASE WHEN $6 = '' THEN note ELSE $7 END \
             WHERE tenant_id = $8 AND app_id = $9 AND version_id = $10 AND status = $11",
        )
        .bind(to.as_str())
        .bind(by.to_string())
        .bind(ms(at))
        .bind(by.to_string())
        .bind(by.to_string())
        .bind(note.to_string())
        .bind(note.to_string())
        .bind(customer.to_string())
        .bind(app.to_string())
        .bind(version.to_string())
        .bind(from.as_str())
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        if n == 1 {
            touch(self, customer, app, at).await?;
        }
        Ok(n == 1)
    }

    async fn retire_app(
        &mut self,
        customer: TenantId,
        app: AppId,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let n = sqlx::query(
            "UPDATE lob_apps SET retired_at = $1, updated_at = $2 \
             WHERE tenant_id = $3 AND app_id = $4 AND retired_at IS NULL",
        )
        .bind(ms(at))
        .bind(ms(at))
        .bind(customer.to_string())
        .bind(app.to_string())
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        Ok(n == 1)
    }
}

async fn touch(
    tx: &mut SqlTx,
    customer: TenantId,
    app: AppId,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query("UPDATE lob_apps SET updated_at = $1 WHERE tenant_id = $2 AND app_id = $3")
        .bind(ms(at))
        .bind(customer.to_string())
        .bind(app.to_string())
        .execute(&mut *tx.tx)
        .await?;
    Ok(())
}
