//! The other partner types' work (SPEC F10): an OEM PC partner's device uploads, and the
//! line-of-business apps a partner keeps and the customer approves.

use accord_domain::{AppVersionStatus, MAX_DEVICE_FILE_BYTES};
use accord_service::{App, Device, DeviceUpload, NewApp, NewAppVersion};
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::common::{id_or_404, page_type, Json, PageQuery};
use super::extract::{ApiJson, ApiPath, ApiQuery, CsvBody};
use super::ApiResult;
use crate::auth::ApiUser;
use crate::error::Problem;
use crate::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    let upload = OpenApiRouter::new()
        .routes(routes!(upload_devices, list_devices_for_customer))
        // A file of 500 devices with 4 KB hardware hashes is about 2 MB.
        .layer(DefaultBodyLimit::max(MAX_DEVICE_FILE_BYTES));
    OpenApiRouter::new()
        .merge(upload)
        .routes(routes!(list_own_devices))
        .routes(routes!(list_apps_for_customer, create_app))
        .routes(routes!(get_app_for_customer))
        .routes(routes!(add_version))
        .routes(routes!(submit))
        .routes(routes!(retire))
        .routes(routes!(list_own_apps))
        .routes(routes!(get_own_app))
        .routes(routes!(approve))
        .routes(routes!(reject))
}

/// A registered device.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeviceOut {
    pub id: Uuid,
    pub customer_id: Uuid,
    /// The OEM PC partner that registered it.
    pub partner_id: Uuid,
    pub partner_name: String,
    /// Upper case.
    pub serial_number: String,
    pub product_id: Option<String>,
    /// Hex SHA-256 of the hardware hash.
    pub hardware_hash_sha256: String,
    /// The upload it came in.
    pub upload_id: Uuid,
    pub uploaded_by: String,
    pub created_at: DateTime<Utc>,
}

impl From<Device> for DeviceOut {
    fn from(d: Device) -> Self {
        Self {
            id: d.id.0,
            customer_id: d.customer_id.0,
            partner_id: d.partner_id.0,
            partner_name: d.partner_name,
            serial_number: d.serial_number,
            product_id: d.product_id,
            hardware_hash_sha256: d.hardware_hash_sha256,
            upload_id: d.upload_id,
            uploaded_by: d.uploaded_by,
            created_at: d.created_at,
        }
    }
}

page_type!(DevicePage, DeviceOut);

/// What an accepted file added.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeviceUploadOut {
    pub upload_id: Uuid,
    /// How many devices were registered (every row of the file).
    pub count: usize,
}

impl From<DeviceUpload> for DeviceUploadOut {
    fn from(u: DeviceUpload) -> Self {
        Self {
            upload_id: u.upload_id,
            count: u.count,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AppVersionOut {
    pub id: Uuid,
    pub version: String,
    pub package_url: String,
    pub status: AppVersionStatus,
    /// The customer's reason, when it rejected the version (else empty).
    pub note: String,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    /// Who approved or rejected it.
    pub decided_by: Option<String>,
}

/// A line-of-business app with its versions, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppOut {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub customer_name: String,
    /// The partner that keeps it.
    pub partner_id: Uuid,
    pub partner_name: String,
    pub name: String,
    pub description: String,
    /// `retired`, or the newest version's status.
    pub status: String,
    /// The newest approved version: the one in use.
    pub current_version: Option<String>,
    pub created_by: String,
    pub retired_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub versions: Vec<AppVersionOut>,
}

impl From<App> for AppOut {
    fn from(a: App) -> Self {
        Self {
            status: a.status().to_string(),
            current_version: a.current().map(|v| v.version.clone()),
            id: a.id.0,
            customer_id: a.customer_id.0,
            customer_name: a.customer_name,
            partner_id: a.partner_id.0,
            partner_name: a.partner_name,
            name: a.name,
            description: a.description,
            created_by: a.created_by,
            retired_at: a.retired_at,
            created_at: a.created_at,
            updated_at: a.updated_at,
            versions: a
                .versions
                .into_iter()
                .map(|v| AppVersionOut {
                    id: v.id.0,
                    version: v.version,
                    package_url: v.package_url,
                    status: v.status,
                    note: v.note,
                    created_at: v.created_at,
                    decided_at: v.decided_at,
                    decided_by: v.decided_by,
                })
                .collect(),
        }
    }
}

page_type!(AppPage, AppOut);

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAppIn {
    /// Not blank; no control characters.
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x1f\\x7f-\\x9f][^\\x00-\\x1f\\x7f-\\x9f]*$"
    )]
    pub name: String,
    /// Line breaks and tabs allowed, no other control characters.
    #[schema(
        max_length = 2000,
        pattern = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$"
    )]
    pub description: String,
    /// The first version's label, such as `1.0.0`.
    #[schema(min_length = 1, max_length = 50, pattern = "^ *[A-Za-z0-9.+_-]+ *$")]
    pub version: String,
    /// An `https` address without user name or password.
    #[schema(
        min_length = 9,
        max_length = 2000,
        pattern = "^ *https://[^\\x00-\\x20\\x7f-\\x9f@/]+[^\\x00-\\x20\\x7f-\\x9f]* *$"
    )]
    pub package_url: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAppVersionIn {
    #[schema(min_length = 1, max_length = 50, pattern = "^ *[A-Za-z0-9.+_-]+ *$")]
    pub version: String,
    #[schema(
        min_length = 9,
        max_length = 2000,
        pattern = "^ *https://[^\\x00-\\x20\\x7f-\\x9f@/]+[^\\x00-\\x20\\x7f-\\x9f]* *$"
    )]
    pub package_url: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectIn {
    /// Why, for the partner (optional).
    #[schema(
        max_length = 500,
        pattern = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$"
    )]
    pub reason: Option<String>,
}

/// Registers the devices of a CSV file for the customer (OEM PC partners: partner admin
/// or admin agent). The header names the columns — `Device Serial Number`, `Windows
/// Product ID` (optional), `Hardware Hash`; other columns are ignored — and each further
/// row is one device, 1 to 500. Every row is checked; a device repeated in the file or
/// already registered for the customer is refused; one bad row refuses the whole file
/// with `device_rows_invalid` and `errors` naming each row (the header is row 1).
#[utoipa::path(post, path = "/api/v1/customers/{customer_id}/devices", tag = "devices and apps",
    security(("bearer" = [])), params(("customer_id" = Uuid, Path, description = "Customer organisation id")),
    request_body(content = String, content_type = "text/csv", description = "The device file, UTF-8 CSV with a header row."),
    responses((status = 201, body = DeviceUploadOut), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 413, body = Problem, description = "The file is larger than 4096 KiB (`payload_too_large`)."),
              (status = 415, body = Problem, description = "No `Content-Type: text/csv` (`unsupported_media_type`)."),
              (status = 422, body = Problem, description = "A file-level problem (`invalid_input` on `file`), or rows that are not valid (`device_rows_invalid` with `errors`).")))]
async fn upload_devices(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(customer): ApiPath<String>,
    CsvBody(file): CsvBody<MAX_DEVICE_FILE_BYTES>,
) -> ApiResult<(StatusCode, Json<DeviceUploadOut>)> {
    let u = s
        .accord
        .partner_desk(&p)?
        .upload_devices(id_or_404(&customer, "customer")?, &file)
        .await?;
    Ok((StatusCode::CREATED, Json(DeviceUploadOut::from(u))))
}

/// The devices the partner registered for the customer, newest first.
#[utoipa::path(get, path = "/api/v1/customers/{customer_id}/devices", tag = "devices and apps",
    security(("bearer" = [])), params(("customer_id" = Uuid, Path, description = "Customer organisation id"), PageQuery),
    responses((status = 200, body = DevicePage), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn list_devices_for_customer(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(customer): ApiPath<String>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<DevicePage>> {
    let page = s
        .accord
        .partner_desk(&p)?
        .devices(id_or_404(&customer, "customer")?, &q.page())
        .await?;
    Ok(Json(DevicePage::of(page, DeviceOut::from)))
}

/// The organisation's devices, registered by any of its OEM PC partners, newest first.
#[utoipa::path(get, path = "/api/v1/devices", tag = "devices and apps",
    security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = DevicePage)))]
async fn list_own_devices(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<DevicePage>> {
    let page = s.accord.customer_desk(&p).devices(&q.page()).await?;
    Ok(Json(DevicePage::of(page, DeviceOut::from)))
}

/// Creates a line-of-business app for the customer with its first version, as a draft
/// (partners of the `lob` type: partner admin or admin agent).
#[utoipa::path(post, path = "/api/v1/customers/{customer_id}/apps", tag = "devices and apps",
    security(("bearer" = [])), params(("customer_id" = Uuid, Path, description = "Customer organisation id")),
    request_body = NewAppIn,
    responses((status = 201, body = AppOut), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn create_app(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(customer): ApiPath<String>,
    ApiJson(input): ApiJson<NewAppIn>,
) -> ApiResult<(StatusCode, Json<AppOut>)> {
    let a = s
        .accord
        .partner_desk(&p)?
        .create_app(
            id_or_404(&customer, "customer")?,
            &NewApp {
                name: input.name,
                description: input.description,
                version: input.version,
                package_url: input.package_url,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(AppOut::from(a))))
}

/// The apps the partner keeps for the customer, newest first.
#[utoipa::path(get, path = "/api/v1/customers/{customer_id}/apps", tag = "devices and apps",
    security(("bearer" = [])), params(("customer_id" = Uuid, Path, description = "Customer organisation id"), PageQuery),
    responses((status = 200, body = AppPage), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn list_apps_for_customer(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(customer): ApiPath<String>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<AppPage>> {
    let page = s
        .accord
        .partner_desk(&p)?
        .apps(id_or_404(&customer, "customer")?, &q.page())
        .await?;
    Ok(Json(AppPage::of(page, AppOut::from)))
}

/// One of the partner's apps for the customer.
#[utoipa::path(get, path = "/api/v1/customers/{customer_id}/apps/{app_id}", tag = "devices and apps",
    security(("bearer" = [])),
    params(("customer_id" = Uuid, Path, description = "Customer organisation id"), ("app_id" = Uuid, Path, description = "App id")),
    responses((status = 200, body = AppOut), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn get_app_for_customer(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath((customer, app)): ApiPath<(String, String)>,
) -> ApiResult<Json<AppOut>> {
    let a = s
        .accord
        .partner_desk(&p)?
        .app(id_or_404(&customer, "customer")?, id_or_404(&app, "app")?)
        .await?;
    Ok(Json(AppOut::from(a)))
}

/// Adds a version to an app, as a draft; refused while another version is a draft or
/// pending approval, and for a retired app (`app_status_change`).
#[utoipa::path(post, path = "/api/v1/customers/{customer_id}/apps/{app_id}/versions", tag = "devices and apps",
    security(("bearer" = [])),
    params(("customer_id" = Uuid, Path, description = "Customer organisation id"), ("app_id" = Uuid, Path, description = "App id")),
    request_body = NewAppVersionIn,
    responses((status = 201, body = AppOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn add_version(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath((customer, app)): ApiPath<(String, String)>,
    ApiJson(input): ApiJson<NewAppVersionIn>,
) -> ApiResult<(StatusCode, Json<AppOut>)> {
    let a = s
        .accord
        .partner_desk(&p)?
        .add_app_version(
            id_or_404(&customer, "customer")?,
            id_or_404(&app, "app")?,
            &NewAppVersion {
                version: input.version,
                package_url: input.package_url,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(AppOut::from(a))))
}

/// Submits the app's draft version for the customer's approval.
#[utoipa::path(post, path = "/api/v1/customers/{customer_id}/apps/{app_id}/submit", tag = "devices and apps",
    security(("bearer" = [])),
    params(("customer_id" = Uuid, Path, description = "Customer organisation id"), ("app_id" = Uuid, Path, description = "App id")),
    responses((status = 200, body = AppOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn submit(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath((customer, app)): ApiPath<(String, String)>,
) -> ApiResult<Json<AppOut>> {
    let a = s
        .accord
        .partner_desk(&p)?
        .submit_app(id_or_404(&customer, "customer")?, id_or_404(&app, "app")?)
        .await?;
    Ok(Json(AppOut::from(a)))
}

/// Retires an app: it takes no new versions, and a version still in the works is
/// withdrawn.
#[utoipa::path(post, path = "/api/v1/customers/{customer_id}/apps/{app_id}/retire", tag = "devices and apps",
    security(("bearer" = [])),
    params(("customer_id" = Uuid, Path, description = "Customer organisation id"), ("app_id" = Uuid, Path, description = "App id")),
    responses((status = 200, body = AppOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn retire(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath((customer, app)): ApiPath<(String, String)>,
) -> ApiResult<Json<AppOut>> {
    let a = s
        .accord
        .partner_desk(&p)?
        .retire_app(id_or_404(&customer, "customer")?, id_or_404(&app, "app")?)
        .await?;
    Ok(Json(AppOut::from(a)))
}

/// The organisation's line-of-business apps, kept by any of its partners, newest first.
#[utoipa::path(get, path = "/api/v1/apps", tag = "devices and apps",
    security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = AppPage)))]
async fn list_own_apps(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<AppPage>> {
    let page = s.accord.customer_desk(&p).apps(&q.page()).await?;
    Ok(Json(AppPage::of(page, AppOut::from)))
}

/// One of the organisation's apps.
#[utoipa::path(get, path = "/api/v1/apps/{app_id}", tag = "devices and apps",
    security(("bearer" = [])), params(("app_id" = Uuid, Path, description = "App id")),
    responses((status = 200, body = AppOut), (status = 404, body = Problem)))]
async fn get_own_app(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(app): ApiPath<String>,
) -> ApiResult<Json<AppOut>> {
    let a = s
        .accord
        .customer_desk(&p)
        .app(id_or_404(&app, "app")?)
        .await?;
    Ok(Json(AppOut::from(a)))
}

/// Approves the version a partner submitted (Global admin).
#[utoipa::path(post, path = "/api/v1/apps/{app_id}/approve", tag = "devices and apps",
    security(("bearer" = [])), params(("app_id" = Uuid, Path, description = "App id")),
    responses((status = 200, body = AppOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn approve(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(app): ApiPath<String>,
) -> ApiResult<Json<AppOut>> {
    let a = s
        .accord
        .global_admin_desk(&p)?
        .decide_app(id_or_404(&app, "app")?, true, None)
        .await?;
    Ok(Json(AppOut::from(a)))
}

/// Rejects the version a partner submitted, with an optional reason (Global admin).
#[utoipa::path(post, path = "/api/v1/apps/{app_id}/reject", tag = "devices and apps",
    security(("bearer" = [])), params(("app_id" = Uuid, Path, description = "App id")),
    request_body = RejectIn,
    responses((status = 200, body = AppOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn reject(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(app): ApiPath<String>,
    ApiJson(input): ApiJson<RejectIn>,
) -> ApiResult<Json<AppOut>> {
    let a = s
        .accord
        .global_admin_desk(&p)?
        .decide_app(id_or_404(&app, "app")?, false, input.reason.as_deref())
        .await?;
    Ok(Json(AppOut::from(a)))
}
