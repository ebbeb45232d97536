//! Queries of the country → region table.

use async_trait::async_trait;

use super::{col, get, ms, time, write_err, SqlTx};
use crate::{CloudPortalRecord, RegionReads, RegionWrites, StoreResult};

#[async_trait]
impl RegionReads for SqlTx {
    async fn region_of(&mut self, country: &str) -> StoreResult<Option<String>> {
        Ok(
            sqlx::query_scalar::<_, String>("SELECT region FROM regions WHERE country = $1")
                .bind(country)
                .fetch_optional(&mut *self.tx)
                .await
                .map_err(write_err)?,
        )
    }

    async fn list_regions(&mut self) -> StoreResult<Vec<(String, String)>> {
        let rows = sqlx::query("SELECT country, region FROM regions ORDER BY country")
            .fetch_all(&mut *self.tx)
            .await?;
        rows.iter()
            .map(|r| Ok((get(r, "country")?, get(r, "region")?)))
            .collect()
    }

    async fn cloud_portals(&mut self) -> StoreResult<Vec<CloudPortalRecord>> {
        let rows = sqlx::query("SELECT * FROM cloud_portals ORDER BY cloud")
            .fetch_all(&mut *self.tx)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(CloudPortalRecord {
                    cloud: col(r, "cloud")?,
                    portal_name: get(r, "portal_name")?,
                    base_url: get(r, "base_url")?,
                    updated_at: time(get(r, "updated_at")?)?,
                })
            })
            .collect()
    }
}

#[async_trait]
impl RegionWrites for SqlTx {
    async fn set_region(&mut self, country: &str, region: &str) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO regions (country, region) VALUES ($1, $2) \
             ON CONFLICT (country) DO UPDATE SET region = excluded.region",
        )
        .bind(country)
        .bind(region)
        .execute(&mut *self.tx)
        .await
        .map_err(write_err)?;
        Ok(())
    }

    async fn set_cloud_portal(&mut self, p: &CloudPortalRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO cloud_portals (cloud, portal_name, base_url, updated_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (cloud) DO UPDATE SET \
             portal_name = excluded.portal_name, base_url = excluded.base_url, \
             updated_at = excluded.updated_at",
        )
        .bind(p.cloud.as_str())
        .bind(&p.portal_name)
        .bind(&p.base_url)
        .bind(ms(p.updated_at))
        .execute(&mut *self.tx)
        .await
        .map_err(write_err)?;
        Ok(())
    }
}
