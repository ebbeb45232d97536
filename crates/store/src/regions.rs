//! The operator's reference tables: country → region, and each cloud's customer portal.

use accord_domain::Cloud;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::StoreResult;

/// The operator's setting of a cloud's customer portal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CloudPortalRecord {
    pub cloud: Cloud,
    pub portal_name: String,
    /// Empty: the deployment's public URL.
    pub base_url: String,
    pub updated_at: DateTime<Utc>,
}

#[async_trait]
pub trait RegionReads: Send {
    async fn region_of(&mut self, country: &str) -> StoreResult<Option<String>>;
    async fn list_regions(&mut self) -> StoreResult<Vec<(String, String)>>;
    /// The operator's portal settings, by cloud (clouds without one are absent).
    async fn cloud_portals(&mut self) -> StoreResult<Vec<CloudPortalRecord>>;
}

#[async_trait]
pub trait RegionWrites: RegionReads {
    async fn set_region(&mut self, country: &str, region: &str) -> StoreResult<()>;
    async fn set_cloud_portal(&mut self, p: &CloudPortalRecord) -> StoreResult<()>;
}
