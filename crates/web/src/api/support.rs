//! Service requests (SPEC F9): partners open them for customers, customers read them,
//! the provider's operators work the queue.

use accord_domain::{ServiceRequestStatus, Severity};
use accord_service::{Comment, NewServiceRequest, ServiceRequest};
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::common::{id_or_404, page_type, Json, PageQuery};
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::ApiResult;
use crate::auth::ApiUser;
use crate::error::Problem;
use crate::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_for_customer, open))
        .routes(routes!(get_for_customer))
        .routes(routes!(comment))
        .routes(routes!(list_own))
        .routes(routes!(get_own))
        .routes(routes!(queue))
        .routes(routes!(get_queued, update))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommentOut {
    pub id: Uuid,
    /// `partner` or `operator`.
    pub author_kind: String,
    pub author_name: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// A service request with its comments (lists leave the comments out).
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceRequestOut {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub customer_name: String,
    /// The partner that opened it.
    pub partner_id: Uuid,
    pub partner_name: String,
    pub title: String,
    pub description: String,
    pub severity: Severity,
    pub status: ServiceRequestStatus,
    /// Who opened it, by name.
    pub opened_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub comments: Vec<CommentOut>,
}

impl From<ServiceRequest> for ServiceRequestOut {
    fn from(r: ServiceRequest) -> Self {
        Self {
            id: r.id.0,
            customer_id: r.customer_id.0,
            customer_name: r.customer_name,
            partner_id: r.partner_id.0,
            partner_name: r.partner_name,
            title: r.title,
            description: r.description,
            severity: r.severity,
            status: r.status,
            opened_by: r.opened_by,
            created_at: r.created_at,
            updated_at: r.updated_at,
            comments: r
                .comments
                .into_iter()
                .map(|c: Comment| CommentOut {
                    id: c.id,
                    author_kind: c.author_kind,
                    author_name: c.author_name,
                    body: c.body,
                    created_at: c.created_at,
                })
                .collect(),
        }
    }
}

page_type!(ServiceRequestPage, ServiceRequestOut);

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewServiceRequestIn {
    /// Not blank; no control characters.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x1f\\x7f-\\x9f][^\\x00-\\x1f\\x7f-\\x9f]*$"
    )]
    pub title: String,
    /// Not blank; line breaks and tabs allowed, no other control characters.
    #[schema(
        min_length = 1,
        max_length = 4000,
        pattern = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x1f\\x7f-\\x9f][^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$"
    )]
    pub description: String,
    pub severity: Severity,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentIn {
    /// Not blank; line breaks and tabs allowed, no other control characters.
    #[schema(
        min_length = 1,
        max_length = 4000,
        pattern = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x1f\\x7f-\\x9f][^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$"
    )]
    pub body: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateIn {
    /// Move the request through the queue.
    pub status: Option<ServiceRequestStatus>,
    /// Say why, or answer the partner (blank: no comment).
    #[schema(
        max_length = 4000,
        pattern = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$"
    )]
    pub comment: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// The `next_cursor` of the previous page.
    #[param(max_length = 1024)]
    pub cursor: Option<String>,
    /// Page size.
    #[param(minimum = 1, maximum = 200, default = 50)]
    pub limit: Option<u32>,
    /// Keep the requests in this status.
    pub status: Option<ServiceRequestStatus>,
}

/// Opens a service request with the provider for the customer (partner admin, admin agent
/// or helpdesk agent), also after the customer removed the partner's admin roles, as long
/// as the relationship exists.
#[utoipa::path(post, path = "/api/v1/customers/{customer_id}/service-requests", tag = "service requests",
    security(("bearer" = [])), params(("customer_id" = Uuid, Path, description = "Customer organisation id")),
    request_body = NewServiceRequestIn,
    responses((status = 201, body = ServiceRequestOut), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn open(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(customer): ApiPath<String>,
    ApiJson(input): ApiJson<NewServiceRequestIn>,
) -> ApiResult<(StatusCode, Json<ServiceRequestOut>)> {
    let r = s
        .accord
        .partner_desk(&p)?
        .open_service_request(
            id_or_404(&customer, "customer")?,
            &NewServiceRequest {
                title: input.title,
                description: input.description,
                severity: input.severity,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(ServiceRequestOut::from(r))))
}

/// The partner's service requests for the customer, newest first.
#[utoipa::path(get, path = "/api/v1/customers/{customer_id}/service-requests", tag = "service requests",
    security(("bearer" = [])), params(("customer_id" = Uuid, Path, description = "Customer organisation id"), PageQuery),
    responses((status = 200, body = ServiceRequestPage), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn list_for_customer(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(customer): ApiPath<String>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<ServiceRequestPage>> {
    let page = s
        .accord
        .partner_desk(&p)?
        .service_requests(id_or_404(&customer, "customer")?, &q.page())
        .await?;
    Ok(Json(ServiceRequestPage::of(page, ServiceRequestOut::from)))
}

/// One of the partner's service requests for the customer, with its comments.
#[utoipa::path(get, path = "/api/v1/customers/{customer_id}/service-requests/{id}", tag = "service requests",
    security(("bearer" = [])),
    params(("customer_id" = Uuid, Path, description = "Customer organisation id"), ("id" = Uuid, Path, description = "Service request id")),
    responses((status = 200, body = ServiceRequestOut), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn get_for_customer(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath((customer, id)): ApiPath<(String, String)>,
) -> ApiResult<Json<ServiceRequestOut>> {
    let r = s
        .accord
        .partner_desk(&p)?
        .service_request(
            id_or_404(&customer, "customer")?,
            id_or_404(&id, "service_request")?,
        )
        .await?;
    Ok(Json(ServiceRequestOut::from(r)))
}

/// Adds the partner's comment to one of its service requests.
#[utoipa::path(post, path = "/api/v1/customers/{customer_id}/service-requests/{id}/comments", tag = "service requests",
    security(("bearer" = [])),
    params(("customer_id" = Uuid, Path, description = "Customer organisation id"), ("id" = Uuid, Path, description = "Service request id")),
    request_body = CommentIn,
    responses((status = 201, body = ServiceRequestOut), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn comment(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath((customer, id)): ApiPath<(String, String)>,
    ApiJson(input): ApiJson<CommentIn>,
) -> ApiResult<(StatusCode, Json<ServiceRequestOut>)> {
    let r = s
        .accord
        .partner_desk(&p)?
        .comment_service_request(
            id_or_404(&customer, "customer")?,
            id_or_404(&id, "service_request")?,
            &input.body,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(ServiceRequestOut::from(r))))
}

/// The organisation's service requests, opened by any of its partners, newest first.
#[utoipa::path(get, path = "/api/v1/service-requests", tag = "service requests",
    security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = ServiceRequestPage)))]
async fn list_own(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<ServiceRequestPage>> {
    let page = s
        .accord
        .customer_desk(&p)
        .service_requests(&q.page())
        .await?;
    Ok(Json(ServiceRequestPage::of(page, ServiceRequestOut::from)))
}

/// One of the organisation's service requests, with its comments.
#[utoipa::path(get, path = "/api/v1/service-requests/{id}", tag = "service requests",
    security(("bearer" = [])), params(("id" = Uuid, Path, description = "Service request id")),
    responses((status = 200, body = ServiceRequestOut), (status = 404, body = Problem)))]
async fn get_own(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<ServiceRequestOut>> {
    let r = s
        .accord
        .customer_desk(&p)
        .service_request(id_or_404(&id, "service_request")?)
        .await?;
    Ok(Json(ServiceRequestOut::from(r)))
}

/// The provider's queue (operators), newest first; `status` keeps one status.
#[utoipa::path(get, path = "/api/v1/operator/service-requests", tag = "service requests",
    security(("bearer" = [])), params(QueueQuery),
    responses((status = 200, body = ServiceRequestPage), (status = 403, body = Problem)))]
async fn queue(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<QueueQuery>,
) -> ApiResult<Json<ServiceRequestPage>> {
    let page = PageQuery {
        cursor: q.cursor,
        limit: q.limit,
    };
    let items = s
        .accord
        .operator_desk(&p)?
        .service_request_queue(q.status, &page.page())
        .await?;
    Ok(Json(ServiceRequestPage::of(items, ServiceRequestOut::from)))
}

/// One service request of the queue, with its comments (operators).
#[utoipa::path(get, path = "/api/v1/operator/service-requests/{customer_id}/{id}", tag = "service requests",
    security(("bearer" = [])),
    params(("customer_id" = Uuid, Path, description = "Customer organisation id"), ("id" = Uuid, Path, description = "Service request id")),
    responses((status = 200, body = ServiceRequestOut), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn get_queued(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath((customer, id)): ApiPath<(String, String)>,
) -> ApiResult<Json<ServiceRequestOut>> {
    let r = s
        .accord
        .operator_desk(&p)?
        .service_request(
            id_or_404(&customer, "customer")?,
            id_or_404(&id, "service_request")?,
        )
        .await?;
    Ok(Json(ServiceRequestOut::from(r)))
}

/// Moves a service request through the queue and/or comments on it (operators). Moves:
/// new → in progress or resolved; in progress → resolved; resolved → in progress (reopen);
/// anything but closed → closed (`service_request_status_change` otherwise).
#[utoipa::path(patch, path = "/api/v1/operator/service-requests/{customer_id}/{id}", tag = "service requests",
    security(("bearer" = [])),
    params(("customer_id" = Uuid, Path, description = "Customer organisation id"), ("id" = Uuid, Path, description = "Service request id")),
    request_body = UpdateIn,
    responses((status = 200, body = ServiceRequestOut), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem)))]
async fn update(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath((customer, id)): ApiPath<(String, String)>,
    ApiJson(input): ApiJson<UpdateIn>,
) -> ApiResult<Json<ServiceRequestOut>> {
    let r = s
        .accord
        .operator_desk(&p)?
        .update_service_request(
            id_or_404(&customer, "customer")?,
            id_or_404(&id, "service_request")?,
            input.status,
            input.comment.as_deref(),
        )
        .await?;
    Ok(Json(ServiceRequestOut::from(r)))
}
