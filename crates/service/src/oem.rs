//! The other partner types' work for a customer (SPEC F10).
//!
//! - **OEM PC**: the partner uploads a CSV file of device identities into the customer's
//!   device list; every row is checked, a device the file repeats or the customer already
//!   has is refused, and one bad row refuses the whole file (all or nothing).
//! - **Line-of-business apps**: the partner creates app entries, adds versions, submits a
//!   version for approval and retires the app; the customer's Global admin approves or
//!   rejects the submitted version.
//!
//! A partner sees only what it registered or keeps (another partner's device or app is a
//! 404); the customer sees everything, with the partner that holds it.

use accord_domain::{
    app_status_change, check_app_version, check_package_url, check_text, normalise_name,
    parse_device_csv, require_partner_type, AppId, AppVersionId, AppVersionStatus, DeviceId,
    DomainError, InvalidReason, PartnerRole, PartnerType, RowError, TenantId, MAX_APP_DESCRIPTION,
    MAX_APP_NAME, MAX_DECISION_NOTE,
};
use accord_store::{
    constraint, AppRecord, AppRow, AppVersionRecord, DeviceRecord, DeviceRow, ReadTx, StoreError,
};
use chrono::{DateTime, Utc};

use crate::invitations::{CustomerDesk, GlobalAdminDesk};
use crate::pages::{encode_cursor, page_from, Page, PageRequest};
use crate::partner::PartnerDesk;
use crate::secrets::sha256_hex;
use crate::work::{Actor, Audit, Work};
use crate::Result;

/// Partner roles that register devices and keep apps for customers.
const MAKERS: &[PartnerRole] = &[PartnerRole::PartnerAdmin, PartnerRole::AdminAgent];

/// A registered device as its readers see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Device {
    pub id: DeviceId,
    pub customer_id: TenantId,
    pub partner_id: TenantId,
    pub partner_name: String,
    pub serial_number: String,
    pub product_id: Option<String>,
    /// Hex SHA-256 of the hardware hash (the hash itself is up to 8 KB).
    pub hardware_hash_sha256: String,
    pub upload_id: uuid::Uuid,
    pub uploaded_by: String,
    pub created_at: DateTime<Utc>,
}

fn device(r: DeviceRow) -> Device {
    let d = r.device;
    Device {
        id: d.id,
        customer_id: d.tenant_id,
        partner_id: d.partner_id,
        partner_name: r.partner_name,
        serial_number: d.serial_number,
        product_id: d.product_id,
        hardware_hash_sha256: d.hardware_hash_sha256,
        upload_id: d.upload_id,
        uploaded_by: d.uploaded_by_name,
        created_at: d.created_at,
    }
}

/// What one accepted file added.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceUpload {
    pub upload_id: uuid::Uuid,
    pub count: usize,
}

/// A version of an app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppVersion {
    pub id: AppVersionId,
    pub version: String,
    pub package_url: String,
    pub status: AppVersionStatus,
    /// The customer's reason, when it rejected the version.
    pub note: String,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by: Option<String>,
}

/// A line-of-business app as its readers see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct App {
    pub id: AppId,
    pub customer_id: TenantId,
    pub customer_name: String,
    pub partner_id: TenantId,
    pub partner_name: String,
    pub name: String,
    pub description: String,
    pub created_by: String,
    pub retired_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Newest first.
    pub versions: Vec<AppVersion>,
}

impl App {
    /// The newest version (every app has one).
    pub fn latest(&self) -> Option<&AppVersion> {
        self.versions.first()
    }

    /// The approved version in use: the newest approved one.
    pub fn current(&self) -> Option<&AppVersion> {
        self.versions
            .iter()
            .find(|v| v.status == AppVersionStatus::Approved)
    }

    /// "retired", or the newest version's status: what a list shows.
    pub fn status(&self) -> &'static str {
        match (self.retired_at, self.latest()) {
            (Some(_), _) => "retired",
            (None, Some(v)) => v.status.as_str(),
            (None, None) => "draft",
        }
    }
}

fn app(r: AppRow) -> App {
    App {
        id: r.app.id,
        customer_id: r.app.tenant_id,
        customer_name: r.customer_name,
        partner_id: r.app.partner_id,
        partner_name: r.partner_name,
        name: r.app.name,
        description: r.app.description,
        created_by: r.app.created_by_name,
        retired_at: r.app.retired_at,
        created_at: r.app.created_at,
        updated_at: r.app.updated_at,
        versions: r
            .versions
            .into_iter()
            .map(|v| AppVersion {
                id: v.id,
                version: v.version,
                package_url: v.package_url,
                status: v.status,
                note: v.note,
                created_at: v.created_at,
                decided_at: v.decided_at,
                decided_by: (!v.decided_by_name.is_empty()).then_some(v.decided_by_name),
            })
            .collect(),
    }
}

/// What a partner enters for a new app: the entry and its first version.
#[derive(Clone, Debug)]
pub struct NewApp {
    pub name: String,
    pub description: String,
    pub version: String,
    pub package_url: String,
}

/// A new version of an app.
#[derive(Clone, Debug)]
pub struct NewAppVersion {
    pub version: String,
    pub package_url: String,
}

fn app_not_found() -> DomainError {
    DomainError::NotFound { what: "app" }
}

async fn device_page(
    tx: &mut dyn ReadTx,
    customer: TenantId,
    partner: Option<TenantId>,
    page: &PageRequest,
) -> Result<Page<Device>> {
    let limit = page.limit()?;
    let before = page.id_cursor()?;
    let rows = tx
        .list_devices(customer, partner, before, limit + 1)
        .await?;
    Ok(page_from(
        rows,
        limit,
        |r| encode_cursor("d", &r.device.id.to_string()),
        device,
    ))
}

async fn app_page(
    tx: &mut dyn ReadTx,
    customer: TenantId,
    partner: Option<TenantId>,
    page: &PageRequest,
) -> Result<Page<App>> {
    let limit = page.limit()?;
    let before = page.id_cursor()?;
    let rows = tx.list_apps(customer, partner, before, limit + 1).await?;
    Ok(page_from(
        rows,
        limit,
        |r| encode_cursor("a", &r.app.id.to_string()),
        app,
    ))
}

fn check_description(s: &str) -> Result<String> {
    let t = s.trim();
    check_text("description", t, MAX_APP_DESCRIPTION)?;
    Ok(t.to_string())
}

impl PartnerDesk<'_> {
    /// Whether this user may register devices and keep apps (the forms show only then).
    pub fn may_make(&self) -> Result<()> {
        self.require_partner_roles(MAKERS)
    }

    /// The relationship must be active (404 otherwise) and of `needed` type
    /// (`partner_type_required` otherwise).
    async fn require_type(
        &self,
        tx: &mut dyn ReadTx,
        customer: TenantId,
        needed: PartnerType,
    ) -> Result<()> {
        let rel =
            crate::account::active_relationship(tx, customer, self.principal.tenant.id).await?;
        let types = crate::account::state_of(&rel).effective_types(self.accord.now());
        Ok(require_partner_type(&types, needed)?)
    }

    /// Registers the devices of a CSV file for a customer, all or none.
    pub async fn upload_devices(&self, customer: TenantId, file: &[u8]) -> Result<DeviceUpload> {
        self.may_make()?;
        // Who asks is settled first (a stranger learns nothing from its file's problems);
        // then the file is read and checked before the write transaction begins, so a
        // 4 MB file never holds the write lock while it is parsed.
        {
            let mut tx = self.accord.store().read().await?;
            self.require_type(tx.as_mut(), customer, PartnerType::OemPc)
                .await?;
        }
        let parsed = parse_device_csv(file)?;
        let digests: Vec<String> = parsed
            .iter()
            .map(|d| sha256_hex(&d.hardware_hash))
            .collect();
        let serials: Vec<String> = parsed.iter().map(|d| d.serial_number.clone()).collect();
        let p = self.principal;
        let mut w = Work::begin(self.accord, Actor::of(p)).await?;
        w.acting_for(customer);
        self.require_type(w.tx(), customer, PartnerType::OemPc)
            .await?;
        let known = w
            .tx()
            .registered_devices(customer, &serials, &digests)
            .await?;
        if !known.is_empty() {
            let mut errors = Vec::new();
            for (d, digest) in parsed.iter().zip(&digests) {
                if known.iter().any(|(s, _)| *s == d.serial_number) {
                    errors.push(RowError::new(
                        d.row,
                        "serial_number",
                        InvalidReason::DeviceRegistered,
                    ));
                } else if known.iter().any(|(_, h)| h == digest) {
                    errors.push(RowError::new(
                        d.row,
                        "hardware_hash",
                        InvalidReason::DeviceRegistered,
                    ));
                }
            }
            return Err(DomainError::rows_invalid(errors).into());
        }
        let now = w.now;
        let upload_id = uuid::Uuid::now_v7();
        let records: Vec<DeviceRecord> = parsed
            .into_iter()
            .zip(digests)
            .map(|(d, digest)| DeviceRecord {
                tenant_id: customer,
                id: DeviceId::new(),
                partner_id: p.tenant.id,
                upload_id,
                serial_number: d.serial_number,
                product_id: d.product_id,
                hardware_hash: d.hardware_hash,
                hardware_hash_sha256: digest,
                uploaded_by_name: p.display_name.clone(),
                created_at: now,
            })
            .collect();
        w.tx().insert_devices(&records).await.map_err(|e| match e {
            // Another upload took one of these devices between the check and the insert.
            StoreError::Conflict(c)
                if c == constraint::DEVICE_SERIAL || c == constraint::DEVICE_HASH =>
            {
                DomainError::invalid("file", InvalidReason::DeviceRegistered).into()
            }
            e => crate::Error::from(e),
        })?;
        let count = records.len();
        w.audit(
            Audit::new("devices.registered", "device_upload", upload_id)
                .details(serde_json::json!({"count": count})),
            &[p.tenant.id, customer],
        );
        w.commit().await?;
        Ok(DeviceUpload { upload_id, count })
    }

    /// The devices this partner registered for a customer, newest first.
    pub async fn devices(&self, customer: TenantId, page: &PageRequest) -> Result<Page<Device>> {
        let mut tx = self.accord.store().read().await?;
        crate::account::active_relationship(tx.as_mut(), customer, self.principal.tenant.id)
            .await?;
        device_page(tx.as_mut(), customer, Some(self.principal.tenant.id), page).await
    }

    /// One of this partner's apps for a customer (404 for another partner's).
    async fn own_app(&self, tx: &mut dyn ReadTx, customer: TenantId, id: AppId) -> Result<App> {
        tx.app(customer, id)
            .await?
            .filter(|a| a.app.partner_id == self.principal.tenant.id)
            .map(app)
            .ok_or_else(|| app_not_found().into())
    }

    /// The apps this partner keeps for a customer, newest first.
    pub async fn apps(&self, customer: TenantId, page: &PageRequest) -> Result<Page<App>> {
        let mut tx = self.accord.store().read().await?;
        crate::account::active_relationship(tx.as_mut(), customer, self.principal.tenant.id)
            .await?;
        app_page(tx.as_mut(), customer, Some(self.principal.tenant.id), page).await
    }

    pub async fn app(&self, customer: TenantId, id: AppId) -> Result<App> {
        let mut tx = self.accord.store().read().await?;
        crate::account::active_relationship(tx.as_mut(), customer, self.principal.tenant.id)
            .await?;
        self.own_app(tx.as_mut(), customer, id).await
    }

    /// Begins a change to an app: roles, relationship of the `lob` type, the app this
    /// partner's and not retired.
    async fn app_work(&self, customer: TenantId, id: AppId, to: &str) -> Result<(Work, App)> {
        self.may_make()?;
        let mut w = Work::begin(self.accord, Actor::of(self.principal)).await?;
        w.acting_for(customer);
        self.require_type(w.tx(), customer, PartnerType::Lob)
            .await?;
        let a = self.own_app(w.tx(), customer, id).await?;
        if a.retired_at.is_some() {
            return Err(app_status_change("retired", to).into());
        }
        Ok((w, a))
    }

    /// Reads an app back after a committed change.
    async fn reread(&self, customer: TenantId, id: AppId) -> Result<App> {
        let mut tx = self.accord.store().read().await?;
        self.own_app(tx.as_mut(), customer, id).await
    }

    fn version_record(
        customer: TenantId,
        app: AppId,
        input: &NewAppVersion,
        now: DateTime<Utc>,
    ) -> Result<AppVersionRecord> {
        Ok(AppVersionRecord {
            tenant_id: customer,
            app_id: app,
            id: AppVersionId::new(),
            version: check_app_version(&input.version)?,
            package_url: check_package_url(&input.package_url)?,
            status: AppVersionStatus::Draft,
            note: String::new(),
            created_at: now,
            decided_at: None,
            decided_by_name: String::new(),
        })
    }

    /// Creates an app entry with its first version, as a draft.
    pub async fn create_app(&self, customer: TenantId, input: &NewApp) -> Result<App> {
        self.may_make()?;
        let name = normalise_name("name", &input.name, MAX_APP_NAME)?;
        let description = check_description(&input.description)?;
        let p = self.principal;
        let mut w = Work::begin(self.accord, Actor::of(p)).await?;
        w.acting_for(customer);
        self.require_type(w.tx(), customer, PartnerType::Lob)
            .await?;
        let now = w.now;
        let rec = AppRecord {
            tenant_id: customer,
            id: AppId::new(),
            partner_id: p.tenant.id,
            name,
            description,
            created_by_name: p.display_name.clone(),
            retired_at: None,
            created_at: now,
            updated_at: now,
        };
        let version = Self::version_record(
            customer,
            rec.id,
            &NewAppVersion {
                version: input.version.clone(),
                package_url: input.package_url.clone(),
            },
            now,
        )?;
        w.tx().insert_app(&rec).await?;
        w.tx().insert_app_version(&version).await?;
        w.audit(
            Audit::new("app.created", "app", rec.id)
                .details(serde_json::json!({"name": rec.name, "version": version.version})),
            &[p.tenant.id, customer],
        );
        w.commit().await?;
        self.reread(customer, rec.id).await
    }

    /// Adds a version (a draft) to an app whose versions are all decided.
    pub async fn add_app_version(
        &self,
        customer: TenantId,
        id: AppId,
        input: &NewAppVersion,
    ) -> Result<App> {
        let (mut w, a) = self.app_work(customer, id, "draft").await?;
        if let Some(open) = a.versions.iter().find(|v| v.status.is_open()) {
            return Err(app_status_change(open.status.as_str(), "draft").into());
        }
        let v = Self::version_record(customer, id, input, w.now)?;
        w.tx().insert_app_version(&v).await.map_err(|e| match e {
            StoreError::Conflict(c) if c == constraint::APP_VERSION_LABEL => DomainError::invalid(
                "version",
                InvalidReason::AppVersionTaken {
                    version: v.version.clone(),
                },
            )
            .into(),
            e => crate::Error::from(e),
        })?;
        w.audit(
            Audit::new("app.version_added", "app", id)
                .details(serde_json::json!({"name": a.name, "version": v.version})),
            &[self.principal.tenant.id, customer],
        );
        w.commit().await?;
        self.reread(customer, id).await
    }

    /// Submits the app's draft version for the customer's approval.
    pub async fn submit_app(&self, customer: TenantId, id: AppId) -> Result<App> {
        let to = AppVersionStatus::PendingApproval;
        let (mut w, a) = self.app_work(customer, id, to.as_str()).await?;
        let Some(v) = a.latest().filter(|v| v.status.may_become(to)) else {
            let from = a.latest().map_or("draft", |v| v.status.as_str());
            return Err(app_status_change(from, to.as_str()).into());
        };
        let now = w.now;
        let moved = w
            .tx()
            .set_app_version_status(customer, id, v.id, v.status, to, now, None)
            .await?;
        if !moved {
            return Err(app_status_change(v.status.as_str(), to.as_str()).into());
        }
        w.audit(
            Audit::new("app.submitted", "app", id)
                .details(serde_json::json!({"name": a.name, "version": v.version})),
            &[self.principal.tenant.id, customer],
        );
        w.commit().await?;
        self.reread(customer, id).await
    }

    /// Retires an app: it takes no new version, and a version still in the works is
    /// withdrawn.
    pub async fn retire_app(&self, customer: TenantId, id: AppId) -> Result<App> {
        let (mut w, a) = self.app_work(customer, id, "retired").await?;
        let now = w.now;
        if !w.tx().retire_app(customer, id, now).await? {
            return Err(app_status_change("retired", "retired").into());
        }
        for v in a.versions.iter().filter(|v| v.status.is_open()) {
            w.tx()
                .set_app_version_status(
                    customer,
                    id,
                    v.id,
                    v.status,
                    AppVersionStatus::Withdrawn,
                    now,
                    None,
                )
                .await?;
        }
        w.audit(
            Audit::new("app.retired", "app", id).details(serde_json::json!({"name": a.name})),
            &[self.principal.tenant.id, customer],
        );
        w.commit().await?;
        self.reread(customer, id).await
    }
}

impl CustomerDesk<'_> {
    /// Every device the organisation's partners registered, newest first.
    pub async fn devices(&self, page: &PageRequest) -> Result<Page<Device>> {
        let mut tx = self.accord.store().read().await?;
        device_page(tx.as_mut(), self.principal.tenant.id, None, page).await
    }

    /// Every line-of-business app the organisation's partners keep, newest first.
    pub async fn apps(&self, page: &PageRequest) -> Result<Page<App>> {
        let mut tx = self.accord.store().read().await?;
        app_page(tx.as_mut(), self.principal.tenant.id, None, page).await
    }

    pub async fn app(&self, id: AppId) -> Result<App> {
        let mut tx = self.accord.store().read().await?;
        tx.app(self.principal.tenant.id, id)
            .await?
            .map(app)
            .ok_or_else(|| app_not_found().into())
    }
}

impl GlobalAdminDesk<'_> {
    /// Approves or rejects the version a partner submitted (with an optional reason).
    pub async fn decide_app(&self, id: AppId, approve: bool, note: Option<&str>) -> Result<App> {
        let to = if approve {
            AppVersionStatus::Approved
        } else {
            AppVersionStatus::Rejected
        };
        let note = note.map(str::trim).unwrap_or_default();
        check_text("note", note, MAX_DECISION_NOTE)?;
        let p = self.principal;
        let customer = p.tenant.id;
        let mut w = Work::begin(self.accord, Actor::of(p)).await?;
        let a = w
            .tx()
            .app(customer, id)
            .await?
            .map(app)
            .ok_or_else(app_not_found)?;
        if a.retired_at.is_some() {
            return Err(app_status_change("retired", to.as_str()).into());
        }
        let Some(v) = a.latest().filter(|v| v.status.may_become(to)) else {
            let from = a.latest().map_or("draft", |v| v.status.as_str());
            return Err(app_status_change(from, to.as_str()).into());
        };
        let now = w.now;
        let moved = w
            .tx()
            .set_app_version_status(
                customer,
                id,
                v.id,
                v.status,
                to,
                now,
                Some((&p.display_name, note)),
            )
            .await?;
        if !moved {
            return Err(app_status_change(v.status.as_str(), to.as_str()).into());
        }
        w.audit(
            Audit::new(
                if approve {
                    "app.approved"
                } else {
                    "app.rejected"
                },
                "app",
                id,
            )
            .details(serde_json::json!({"name": a.name, "version": v.version, "note": note})),
            &[customer, a.partner_id],
        );
        w.commit().await?;
        let mut tx = self.accord.store().read().await?;
        tx.app(customer, id)
            .await?
            .map(app)
            .ok_or_else(|| app_not_found().into())
    }
}
