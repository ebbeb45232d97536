//! Devices and line-of-business apps in both portals (SPEC F10): the OEM PC partner
//! uploads a device file from the customer's page and sees each bad row named; the
//! partner keeps apps and submits versions; the customer lists devices and apps in the
//! Admin Center, and its Global admin approves or rejects a submitted version.

use accord_domain::{AppId, AppVersionStatus, DomainError, PartnerType, TenantId};
use accord_service::{App, Device, Error, NewApp, NewAppVersion, PageRequest};
use askama::Template;
use axum::extract::{FromRequest, Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;

use super::routes::{Policy, Table};
use super::views::{self, Chrome, FormError};
use super::{
    check_csrf, page, require, CsrfForm, CursorQuery, Form, NoticeQuery, Path, Query, UiError,
    UiResult,
};
use crate::api::id_or_404;
use crate::api::mailto_encode;
use crate::auth::{MaybeSession, SessionUser};
use crate::error::{row_problems, status_of};
use crate::AppState;

/// The largest upload form read: the device file's limit and room for the other fields.
const UPLOAD_LIMIT: usize = accord_domain::MAX_DEVICE_FILE_BYTES + 64 * 1024;

pub(super) fn table() -> Table {
    use Policy::*;
    Table::default()
        .get("/partner/customers/{id}/devices", PartnerUser, devices)
        .post_with_limit(
            "/partner/customers/{id}/devices",
            PartnerUser,
            UPLOAD_LIMIT,
            upload,
        )
        .get("/partner/customers/{id}/apps/new", PartnerUser, new_app)
        .post("/partner/customers/{id}/apps", PartnerUser, create_app)
        .get("/partner/customers/{id}/apps/{aid}", PartnerUser, app)
        .post(
            "/partner/customers/{id}/apps/{aid}/versions",
            PartnerUser,
            add_version,
        )
        .post(
            "/partner/customers/{id}/apps/{aid}/submit",
            PartnerUser,
            submit,
        )
        .get(
            "/partner/customers/{id}/apps/{aid}/retire",
            PartnerUser,
            retire_confirm,
        )
        .post(
            "/partner/customers/{id}/apps/{aid}/retire",
            PartnerUser,
            retire,
        )
        .get("/admin/devices", SignedIn, admin_devices)
        .get("/admin/apps", SignedIn, admin_apps)
        .get("/admin/apps/{id}", SignedIn, admin_app)
        .post("/admin/apps/{id}/approve", SignedIn, approve)
        .post("/admin/apps/{id}/reject", SignedIn, reject)
}

/// A device in a table.
pub struct DeviceRow {
    pub serial: String,
    pub product: String,
    pub hash: String,
    pub partner: String,
    pub by: String,
    pub when: String,
}

impl DeviceRow {
    fn of(d: &Device) -> Self {
        Self {
            serial: d.serial_number.clone(),
            product: d.product_id.clone().unwrap_or_else(|| "—".into()),
            hash: d.hardware_hash_sha256.chars().take(12).collect(),
            partner: d.partner_name.clone(),
            by: d.uploaded_by.clone(),
            when: views::date(d.created_at),
        }
    }
}

/// A refused row of a file.
pub struct RowErrorView {
    pub row: usize,
    pub field: String,
    pub detail: String,
}

/// An app in a table.
pub struct AppRow {
    pub href: String,
    pub name: String,
    pub current: String,
    pub status: String,
    pub partner: String,
    pub updated: String,
}

impl AppRow {
    fn of(a: &App, href: String) -> Self {
        Self {
            href,
            name: a.name.clone(),
            current: a
                .current()
                .map(|v| v.version.clone())
                .unwrap_or_else(|| "—".into()),
            status: views::name("app-status", a.status()),
            partner: a.partner_name.clone(),
            updated: views::date(a.updated_at),
        }
    }
}

/// What the partner's customer page shows of devices and apps: whether the Devices
/// section shows and its summary, the partner's apps, and whether this user may create
/// apps there.
pub(super) async fn customer_sections(
    desk: &accord_service::PartnerDesk<'_>,
    id: TenantId,
    types: &[PartnerType],
) -> Result<(bool, String, Vec<AppRow>, bool), Error> {
    let devices = desk
        .devices(
            id,
            &PageRequest {
                cursor: None,
                limit: Some(accord_service::MAX_LIMIT),
            },
        )
        .await?;
    let n = devices.items.len();
    let devices_text = match (n, devices.next_cursor.is_some()) {
        (0, _) => crate::i18n::t("devices-none"),
        (n, false) => crate::i18n::ta("devices-count", &[("count", &n.to_string())]),
        (n, true) => crate::i18n::ta("devices-count-more", &[("count", &n.to_string())]),
    };
    let apps = desk
        .apps(id, &all())
        .await?
        .items
        .iter()
        .map(|a| AppRow::of(a, format!("/partner/customers/{id}/apps/{}", a.id)))
        .collect();
    let maker = desk.may_make().is_ok();
    Ok((
        types.contains(&PartnerType::OemPc) || n > 0,
        devices_text,
        apps,
        maker && types.contains(&PartnerType::Lob),
    ))
}

/// A version in an app's table.
pub struct VersionRow {
    pub version: String,
    pub url: String,
    pub status: String,
    pub created: String,
    pub decision: String,
}

fn version_rows(a: &App) -> Vec<VersionRow> {
    a.versions
        .iter()
        .map(|v| VersionRow {
            version: v.version.clone(),
            url: v.package_url.clone(),
            status: views::name("app-status", v.status.as_str()),
            created: views::date(v.created_at),
            decision: match (&v.decided_by, v.decided_at) {
                (Some(by), Some(at)) if v.note.is_empty() => {
                    format!("{by}, {}", views::date(at))
                }
                (Some(by), Some(at)) => format!("{by}, {}: {}", views::date(at), v.note),
                _ => String::new(),
            },
        })
        .collect()
}

fn all() -> PageRequest {
    PageRequest {
        cursor: None,
        limit: Some(accord_service::MAX_LIMIT),
    }
}

#[derive(Template)]
#[template(path = "partner_devices.html")]
pub struct PartnerDevicesPage {
    pub chrome: Chrome,
    pub id: String,
    pub customer: String,
    pub notice: Option<String>,
    pub hint: Option<String>,
    pub error: FormError,
    pub row_errors: Vec<RowErrorView>,
    pub row_error_count: usize,
    pub devices: Vec<DeviceRow>,
    pub next: Option<String>,
    /// The first lines of a file in the expected shape.
    pub sample: &'static str,
}

/// A device file's first lines, as the export tool writes them.
const SAMPLE_CSV: &str = "Device Serial Number,Windows Product ID,Hardware Hash\n\
     PF3X9K2A,00330-80000-00000-AA123,T0FBQUFBQUFBQUFB…";

#[derive(Deserialize)]
struct ListQuery {
    cursor: Option<String>,
    notice: Option<String>,
    count: Option<u32>,
}

/// The partner's device page for a customer, with the upload form and what a refused
/// file got wrong.
async fn devices_page(
    s: &AppState,
    u: &SessionUser,
    id: TenantId,
    cursor: Option<String>,
    notice: Option<String>,
    error: Option<&DomainError>,
) -> UiResult {
    let desk = s.accord.partner_desk(&u.principal)?;
    let (a, r, _) = desk.customer_detail(id).await?;
    let list = desk
        .devices(
            id,
            &PageRequest {
                cursor,
                limit: Some(100),
            },
        )
        .await?;
    let hint = if let Err(Error::Rule(e)) = desk.may_make() {
        Some(crate::i18n::error(&e))
    } else if !r.types.contains(&PartnerType::OemPc) {
        Some(crate::i18n::t("devices-not-oem"))
    } else {
        None
    };
    let rows = error.and_then(row_problems).unwrap_or_default();
    let row_error_count = match error {
        Some(DomainError::DeviceRowsInvalid { count, .. }) => *count,
        _ => 0,
    };
    Ok(page(
        error.map_or(StatusCode::OK, status_of),
        PartnerDevicesPage {
            chrome: Chrome::of(Some(u)),
            id: id.to_string(),
            customer: a.name,
            notice,
            hint,
            error: FormError::new(error, ""),
            row_errors: rows
                .into_iter()
                .map(|p| RowErrorView {
                    row: p.row,
                    field: views::name("field", &p.field),
                    detail: p.detail,
                })
                .collect(),
            row_error_count,
            devices: list.items.iter().map(DeviceRow::of).collect(),
            next: list.next_cursor,
            sample: SAMPLE_CSV,
        },
    ))
}

async fn devices(
    State(s): State<AppState>,
    session: MaybeSession,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> UiResult {
    let u = require(
        session,
        &format!("/partner/customers/{}/devices", mailto_encode(&id)),
    )?;
    s.accord.partner_desk(&u.principal)?;
    let notice = match (q.notice.as_deref(), q.count) {
        (Some("uploaded"), Some(n)) => Some(crate::i18n::ta(
            "devices-uploaded",
            &[("count", &n.to_string())],
        )),
        _ => None,
    };
    devices_page(&s, &u, id_or_404(&id, "customer")?, q.cursor, notice, None).await
}

/// The multipart upload: the CSRF token and the file, read up to the route's limit.
async fn upload(
    State(s): State<AppState>,
    session: MaybeSession,
    Path(id): Path<String>,
    req: axum::extract::Request,
) -> UiResult {
    // Who asks is settled before the body is read: a stranger is sent to sign in.
    let u = require(session, "/partner/customers")?;
    let desk = s.accord.partner_desk(&u.principal)?;
    let customer = id_or_404(&id, "customer")?;
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        let reason = if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            accord_domain::InvalidReason::FileTooLarge {
                max_kib: accord_domain::MAX_DEVICE_FILE_BYTES / 1024,
            }
        } else {
            accord_domain::InvalidReason::Unreadable {
                detail: e.body_text(),
            }
        };
        UiError::Rule(DomainError::invalid("file", reason))
    };
    let mut form = Multipart::from_request(req, &s).await.map_err(|r| {
        UiError::Rule(DomainError::invalid(
            "file",
            accord_domain::InvalidReason::Unreadable {
                detail: r.body_text(),
            },
        ))
    })?;
    let mut csrf = String::new();
    let mut file = Vec::new();
    while let Some(field) = form.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some("csrf") => csrf = field.text().await.map_err(unreadable)?,
            Some("file") => file = field.bytes().await.map_err(unreadable)?.to_vec(),
            _ => {}
        }
    }
    check_csrf(&u, &csrf)?;
    match desk.upload_devices(customer, &file).await {
        Ok(up) => Ok(Redirect::to(&format!(
            "/partner/customers/{customer}/devices?notice=uploaded&count={}",
            up.count
        ))
        .into_response()),
        Err(Error::Rule(e)) if status_of(&e) == StatusCode::UNPROCESSABLE_ENTITY => {
            devices_page(&s, &u, customer, None, None, Some(&e)).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "partner_app_new.html")]
pub struct NewAppPage {
    pub chrome: Chrome,
    pub id: String,
    pub customer: String,
    pub error: FormError,
    pub name: String,
    pub description: String,
    pub version: String,
    pub package_url: String,
}

#[derive(Deserialize, Default)]
struct AppFields {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    package_url: String,
}

fn field_of(e: Option<&DomainError>) -> &'static str {
    match e {
        Some(DomainError::InvalidInput { field, .. }) => match field.as_str() {
            "name" => "name",
            "description" => "description",
            "version" => "version",
            "package_url" => "package_url",
            _ => "",
        },
        _ => "",
    }
}

async fn new_app_page(
    s: &AppState,
    u: &SessionUser,
    id: TenantId,
    f: AppFields,
    error: Option<&DomainError>,
) -> UiResult {
    let desk = s.accord.partner_desk(&u.principal)?;
    desk.may_make()?;
    let (a, _, _) = desk.customer_detail(id).await?;
    Ok(page(
        error.map_or(StatusCode::OK, status_of),
        NewAppPage {
            chrome: Chrome::of(Some(u)),
            id: id.to_string(),
            customer: a.name,
            error: FormError::new(error, field_of(error)),
            name: f.name,
            description: f.description,
            version: f.version,
            package_url: f.package_url,
        },
    ))
}

async fn new_app(
    State(s): State<AppState>,
    session: MaybeSession,
    Path(id): Path<String>,
) -> UiResult {
    let u = require(
        session,
        &format!("/partner/customers/{}/apps/new", mailto_encode(&id)),
    )?;
    s.accord.partner_desk(&u.principal)?;
    new_app_page(
        &s,
        &u,
        id_or_404(&id, "customer")?,
        AppFields::default(),
        None,
    )
    .await
}

async fn create_app(
    State(s): State<AppState>,
    session: MaybeSession,
    Path(id): Path<String>,
    Form(f): Form<AppFields>,
) -> UiResult {
    let u = require(session, "/partner/customers")?;
    s.accord.partner_desk(&u.principal)?;
    check_csrf(&u, &f.csrf)?;
    let customer = id_or_404(&id, "customer")?;
    let r = s
        .accord
        .partner_desk(&u.principal)?
        .create_app(
            customer,
            &NewApp {
                name: f.name.clone(),
                description: f.description.clone(),
                version: f.version.clone(),
                package_url: f.package_url.clone(),
            },
        )
        .await;
    match r {
        Ok(a) => Ok(Redirect::to(&format!(
            "/partner/customers/{customer}/apps/{}?notice=created",
            a.id
        ))
        .into_response()),
        Err(Error::Rule(e)) if status_of(&e) == StatusCode::UNPROCESSABLE_ENTITY => {
            new_app_page(&s, &u, customer, f, Some(&e)).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "partner_app.html")]
pub struct PartnerAppPage {
    pub chrome: Chrome,
    pub id: String,
    pub customer: String,
    pub app_id: String,
    pub name: String,
    pub description: String,
    pub status: String,
    pub current: String,
    pub notice: Option<String>,
    pub versions: Vec<VersionRow>,
    /// The draft that may be submitted, by label.
    pub submit: Option<String>,
    pub can_add_version: bool,
    pub can_retire: bool,
    pub error: FormError,
    pub version: String,
    pub package_url: String,
}

async fn app_page(
    s: &AppState,
    u: &SessionUser,
    id: TenantId,
    aid: AppId,
    notice: Option<String>,
    form: (Option<&DomainError>, AppFields),
) -> UiResult {
    let desk = s.accord.partner_desk(&u.principal)?;
    let (c, _, _) = desk.customer_detail(id).await?;
    let a = desk.app(id, aid).await?;
    let maker = desk.may_make().is_ok() && a.retired_at.is_none();
    let latest = a.latest();
    let (error, f) = form;
    Ok(page(
        error.map_or(StatusCode::OK, status_of),
        PartnerAppPage {
            chrome: Chrome::of(Some(u)),
            id: id.to_string(),
            customer: c.name,
            app_id: a.id.to_string(),
            status: views::name("app-status", a.status()),
            current: a
                .current()
                .map(|v| v.version.clone())
                .unwrap_or_else(|| crate::i18n::t("apps-none-approved")),
            notice,
            versions: version_rows(&a),
            submit: latest
                .filter(|v| maker && v.status == AppVersionStatus::Draft)
                .map(|v| v.version.clone()),
            can_add_version: maker && !a.versions.iter().any(|v| v.status.is_open()),
            can_retire: maker,
            error: FormError::new(error, field_of(error)),
            version: f.version,
            package_url: f.package_url,
            name: a.name,
            description: a.description,
        },
    ))
}

async fn app(
    State(s): State<AppState>,
    session: MaybeSession,
    Path((id, aid)): Path<(String, String)>,
    Query(q): Query<NoticeQuery>,
) -> UiResult {
    let u = require(
        session,
        &format!(
            "/partner/customers/{}/apps/{}",
            mailto_encode(&id),
            mailto_encode(&aid)
        ),
    )?;
    s.accord.partner_desk(&u.principal)?;
    let notice = match q.notice.as_deref() {
        Some("created") => Some(crate::i18n::t("apps-created")),
        Some("version") => Some(crate::i18n::t("apps-version-added")),
        Some("submitted") => Some(crate::i18n::t("apps-submitted")),
        Some("retired") => Some(crate::i18n::t("apps-retired")),
        _ => None,
    };
    app_page(
        &s,
        &u,
        id_or_404(&id, "customer")?,
        id_or_404(&aid, "app")?,
        notice,
        (None, AppFields::default()),
    )
    .await
}

async fn add_version(
    State(s): State<AppState>,
    session: MaybeSession,
    Path((id, aid)): Path<(String, String)>,
    Form(f): Form<AppFields>,
) -> UiResult {
    let u = require(session, "/partner/customers")?;
    s.accord.partner_desk(&u.principal)?;
    check_csrf(&u, &f.csrf)?;
    let (customer, app) = (id_or_404(&id, "customer")?, id_or_404(&aid, "app")?);
    let r = s
        .accord
        .partner_desk(&u.principal)?
        .add_app_version(
            customer,
            app,
            &NewAppVersion {
                version: f.version.clone(),
                package_url: f.package_url.clone(),
            },
        )
        .await;
    match r {
        Ok(_) => Ok(Redirect::to(&format!(
            "/partner/customers/{customer}/apps/{app}?notice=version"
        ))
        .into_response()),
        Err(Error::Rule(e)) if status_of(&e) == StatusCode::UNPROCESSABLE_ENTITY => {
            app_page(&s, &u, customer, app, None, (Some(&e), f)).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn submit(
    State(s): State<AppState>,
    session: MaybeSession,
    Path((id, aid)): Path<(String, String)>,
    Form(f): Form<CsrfForm>,
) -> UiResult {
    let u = require(session, "/partner/customers")?;
    s.accord.partner_desk(&u.principal)?;
    check_csrf(&u, &f.csrf)?;
    let (customer, app) = (id_or_404(&id, "customer")?, id_or_404(&aid, "app")?);
    s.accord
        .partner_desk(&u.principal)?
        .submit_app(customer, app)
        .await?;
    Ok(Redirect::to(&format!(
        "/partner/customers/{customer}/apps/{app}?notice=submitted"
    ))
    .into_response())
}

async fn retire_confirm(
    State(s): State<AppState>,
    session: MaybeSession,
    Path((id, aid)): Path<(String, String)>,
) -> UiResult {
    let u = require(
        session,
        &format!(
            "/partner/customers/{}/apps/{}/retire",
            mailto_encode(&id),
            mailto_encode(&aid)
        ),
    )?;
    let desk = s.accord.partner_desk(&u.principal)?;
    desk.may_make()?;
    let (customer, app) = (id_or_404(&id, "customer")?, id_or_404(&aid, "app")?);
    let a = desk.app(customer, app).await?;
    Ok(page(
        StatusCode::OK,
        views::ConfirmPage::new(
            &u,
            crate::i18n::ta("confirm-retire-app-title", &[("app", &a.name)]),
            crate::i18n::ta(
                "confirm-retire-app-explain",
                &[("app", &a.name), ("customer", &a.customer_name)],
            ),
            format!("/partner/customers/{customer}/apps/{app}/retire"),
            crate::i18n::t("apps-retire"),
            format!("/partner/customers/{customer}/apps/{app}"),
        ),
    ))
}

async fn retire(
    State(s): State<AppState>,
    session: MaybeSession,
    Path((id, aid)): Path<(String, String)>,
    Form(f): Form<CsrfForm>,
) -> UiResult {
    let u = require(session, "/partner/customers")?;
    s.accord.partner_desk(&u.principal)?;
    check_csrf(&u, &f.csrf)?;
    let (customer, app) = (id_or_404(&id, "customer")?, id_or_404(&aid, "app")?);
    s.accord
        .partner_desk(&u.principal)?
        .retire_app(customer, app)
        .await?;
    Ok(Redirect::to(&format!(
        "/partner/customers/{customer}/apps/{app}?notice=retired"
    ))
    .into_response())
}

#[derive(Template)]
#[template(path = "admin_devices.html")]
pub struct AdminDevicesPage {
    pub chrome: Chrome,
    pub devices: Vec<DeviceRow>,
    pub next: Option<String>,
}

/// The organisation's devices, as its OEM PC partners registered them.
async fn admin_devices(
    State(s): State<AppState>,
    session: MaybeSession,
    Query(q): Query<CursorQuery>,
) -> UiResult {
    let u = require(session, "/admin/devices")?;
    let list = s
        .accord
        .customer_desk(&u.principal)
        .devices(&PageRequest {
            cursor: q.cursor,
            limit: Some(100),
        })
        .await?;
    Ok(page(
        StatusCode::OK,
        AdminDevicesPage {
            chrome: Chrome::of(Some(&u)),
            devices: list.items.iter().map(DeviceRow::of).collect(),
            next: list.next_cursor,
        },
    ))
}

#[derive(Template)]
#[template(path = "admin_apps.html")]
pub struct AdminAppsPage {
    pub chrome: Chrome,
    pub apps: Vec<AppRow>,
    pub next: Option<String>,
}

/// The organisation's line-of-business apps.
async fn admin_apps(
    State(s): State<AppState>,
    session: MaybeSession,
    Query(q): Query<CursorQuery>,
) -> UiResult {
    let u = require(session, "/admin/apps")?;
    let list = s
        .accord
        .customer_desk(&u.principal)
        .apps(&PageRequest {
            cursor: q.cursor,
            limit: Some(50),
        })
        .await?;
    Ok(page(
        StatusCode::OK,
        AdminAppsPage {
            chrome: Chrome::of(Some(&u)),
            apps: list
                .items
                .iter()
                .map(|a| AppRow::of(a, format!("/admin/apps/{}", a.id)))
                .collect(),
            next: list.next_cursor,
        },
    ))
}

#[derive(Template)]
#[template(path = "admin_app.html")]
pub struct AdminAppPage {
    pub chrome: Chrome,
    pub app_id: String,
    pub name: String,
    pub description: String,
    pub partner: String,
    pub status: String,
    pub current: String,
    pub notice: Option<String>,
    pub versions: Vec<VersionRow>,
    /// The version awaiting this Global admin's decision.
    pub pending: Option<String>,
    /// Why only a Global admin decides, for other users when a version waits.
    pub pending_hint: Option<String>,
}

async fn admin_app(
    State(s): State<AppState>,
    session: MaybeSession,
    Path(id): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> UiResult {
    let u = require(session, &format!("/admin/apps/{}", mailto_encode(&id)))?;
    let a = s
        .accord
        .customer_desk(&u.principal)
        .app(id_or_404(&id, "app")?)
        .await?;
    let pending = a
        .latest()
        .filter(|v| v.status == AppVersionStatus::PendingApproval && a.retired_at.is_none())
        .map(|v| v.version.clone());
    let is_ga = s.accord.global_admin_desk(&u.principal).is_ok();
    let notice = match q.notice.as_deref() {
        Some("approved") => Some(crate::i18n::t("apps-approved")),
        Some("rejected") => Some(crate::i18n::t("apps-rejected")),
        _ => None,
    };
    Ok(page(
        StatusCode::OK,
        AdminAppPage {
            chrome: Chrome::of(Some(&u)),
            app_id: a.id.to_string(),
            status: views::name("app-status", a.status()),
            current: a
                .current()
                .map(|v| v.version.clone())
                .unwrap_or_else(|| crate::i18n::t("apps-none-approved")),
            notice,
            versions: version_rows(&a),
            pending_hint: (pending.is_some() && !is_ga)
                .then(|| crate::i18n::t("apps-decide-ga-only")),
            pending: pending.filter(|_| is_ga),
            name: a.name,
            description: a.description,
            partner: a.partner_name,
        },
    ))
}

/// The Global admin's decision on a submitted version; approving sends no reason.
#[derive(Deserialize)]
struct DecisionFields {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
}

async fn decide(
    s: AppState,
    session: MaybeSession,
    id: &str,
    approve: bool,
    f: DecisionFields,
) -> UiResult {
    let u = require(session, "/admin/apps")?;
    check_csrf(&u, &f.csrf)?;
    let reason = (!approve).then_some(f.reason.as_str());
    let a = s
        .accord
        .global_admin_desk(&u.principal)?
        .decide_app(id_or_404(id, "app")?, approve, reason)
        .await?;
    let notice = if approve { "approved" } else { "rejected" };
    Ok(Redirect::to(&format!("/admin/apps/{}?notice={notice}", a.id)).into_response())
}

async fn approve(
    State(s): State<AppState>,
    session: MaybeSession,
    Path(id): Path<String>,
    Form(f): Form<DecisionFields>,
) -> UiResult {
    decide(s, session, &id, true, f).await
}

async fn reject(
    State(s): State<AppState>,
    session: MaybeSession,
    Path(id): Path<String>,
    Form(f): Form<DecisionFields>,
) -> UiResult {
    decide(s, session, &id, false, f).await
}
