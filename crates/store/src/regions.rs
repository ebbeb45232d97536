//! The operator's country → region table.

use async_trait::async_trait;

use crate::StoreResult;

#[async_trait]
pub trait RegionReads: Send {
    async fn region_of(&mut self, country: &str) -> StoreResult<Option<String>>;
    async fn list_regions(&mut self) -> StoreResult<Vec<(String, String)>>;
}

#[async_trait]
pub trait RegionWrites: RegionReads {
    async fn set_region(&mut self, country: &str, region: &str) -> StoreResult<()>;
}
