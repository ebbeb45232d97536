//! Queries of the country → region table.

use async_trait::async_trait;

use super::{get, write_err, SqlTx};
use crate::{RegionReads, RegionWrites, StoreResult};

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
}
