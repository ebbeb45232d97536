//! What the other partner types keep for a customer (SPEC F10): the devices an OEM PC
//! partner registered, and the line-of-business apps a partner keeps with their versions.

use accord_domain::{AppId, AppVersionId, AppVersionStatus, DeviceId, TenantId};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::StoreResult;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceRecord {
    /// The customer.
    pub tenant_id: TenantId,
    pub id: DeviceId,
    /// The partner that registered it.
    pub partner_id: TenantId,
    /// The file it came in (one id per upload).
    pub upload_id: uuid::Uuid,
    pub serial_number: String,
    pub product_id: Option<String>,
    pub hardware_hash: String,
    /// Hex SHA-256 of the hardware hash: the uniqueness key.
    pub hardware_hash_sha256: String,
    pub uploaded_by_name: String,
    pub created_at: DateTime<Utc>,
}

/// A device with the partner's name (read back only).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceRow {
    pub device: DeviceRecord,
    pub partner_name: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppRecord {
    /// The customer.
    pub tenant_id: TenantId,
    pub id: AppId,
    /// The partner that keeps it.
    pub partner_id: TenantId,
    pub name: String,
    pub description: String,
    pub created_by_name: String,
    pub retired_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppVersionRecord {
    pub tenant_id: TenantId,
    pub app_id: AppId,
    pub id: AppVersionId,
    pub version: String,
    pub package_url: String,
    pub status: AppVersionStatus,
    /// The customer's reason for a rejection (may be empty).
    pub note: String,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    /// Who approved or rejected it (empty until then).
    pub decided_by_name: String,
}

/// An app with its names and versions, newest version first (read back only).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppRow {
    pub app: AppRecord,
    pub partner_name: String,
    pub customer_name: String,
    pub versions: Vec<AppVersionRecord>,
}

#[async_trait]
pub trait OemReads: Send {
    /// A customer's devices, newest first, before `before`; only `partner`'s when given.
    async fn list_devices(
        &mut self,
        customer: TenantId,
        partner: Option<TenantId>,
        before: Option<DeviceId>,
        limit: u32,
    ) -> StoreResult<Vec<DeviceRow>>;
    /// Of the given serial numbers and hardware-hash digests, those the customer already
    /// has, as `(serial_number, hardware_hash_sha256)` of the devices that hold them.
    async fn registered_devices(
        &mut self,
        customer: TenantId,
        serials: &[String],
        digests: &[String],
    ) -> StoreResult<Vec<(String, String)>>;
    async fn app(&mut self, customer: TenantId, id: AppId) -> StoreResult<Option<AppRow>>;
    /// A customer's apps, newest first, before `before`; only `partner`'s when given.
    async fn list_apps(
        &mut self,
        customer: TenantId,
        partner: Option<TenantId>,
        before: Option<AppId>,
        limit: u32,
    ) -> StoreResult<Vec<AppRow>>;
}

#[async_trait]
pub trait OemWrites: OemReads {
    async fn insert_devices(&mut self, devices: &[DeviceRecord]) -> StoreResult<()>;
    async fn insert_app(&mut self, a: &AppRecord) -> StoreResult<()>;
    /// Adds a version and marks the app updated.
    async fn insert_app_version(&mut self, v: &AppVersionRecord) -> StoreResult<()>;
    /// Moves a version from `from` to `to` (recording the decision when `decided_by` is
    /// given); false when it was no longer in `from`.
    #[allow(clippy::too_many_arguments)]
    async fn set_app_version_status(
        &mut self,
        customer: TenantId,
        app: AppId,
        version: AppVersionId,
        from: AppVersionStatus,
        to: AppVersionStatus,
        at: DateTime<Utc>,
        decision: Option<(&str, &str)>,
    ) -> StoreResult<bool>;
    /// Retires an app; false when it was already retired.
    async fn retire_app(
        &mut self,
        customer: TenantId,
        app: AppId,
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;
}
