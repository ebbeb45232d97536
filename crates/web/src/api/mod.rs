//! The JSON API under `/api/v1`. Each handler authenticates with a bearer token, asks the
//! service for the capability it needs, and maps results to the DTOs below. The OpenAPI
//! document is generated from these handlers and types.

mod dto;

use std::sync::OnceLock;

use accord_domain::{AdminAsk, DomainError, RequestId, TenantId};
use accord_service::{NewRequest, PageRequest};
use axum::extract::{FromRequest, FromRequestParts, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

pub use dto::*;

use crate::auth::{ApiUser, ClientAddr};
use crate::error::{ApiError, Problem};
use crate::AppState;

/// A JSON body whose rejections are problem details.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

/// A query string whose rejections are problem details.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

/// A path parameter whose rejections are problem details.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

type ApiResult<T> = Result<T, ApiError>;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi_json))
        .route("/me", get(me))
        .route("/tokens", get(list_tokens))
        .route("/tokens/{id}", axum::routing::delete(revoke_token))
        .route("/agreements/current", get(current_agreement))
        .route(
            "/relationship-requests",
            post(create_request).get(list_requests),
        )
        .route("/relationship-requests/{id}/revoke", post(revoke_request))
        .route("/invitations/{token}", get(get_invitation))
        .route("/invitations/{token}/accept", post(accept_invitation))
        .route("/invitations/{token}/decline", post(decline_invitation))
        .route("/customers", get(list_customers))
        .route("/partners", get(list_partners))
        .route("/partners/{id}", get(get_partner))
        .route(
            "/partners/{id}/remove-admin-roles",
            post(remove_admin_roles),
        )
        .fallback(not_found)
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Accord API",
        version = "1",
        description = "Partner relationships and delegated administration. Errors are RFC 9457 problem details with a stable `code`; lists use cursor pagination (`?cursor=&limit=`, answer `{items, next_cursor}`)."
    ),
    paths(
        me, list_tokens, revoke_token, current_agreement, create_request, list_requests, revoke_request, get_invitation,
        accept_invitation, decline_invitation, list_customers, list_partners, get_partner,
        remove_admin_roles
    ),
    components(schemas(Problem)),
    modifiers(&BearerAuth),
    tags(
        (name = "relationship requests", description = "The partner's invitations (SPEC F2)"),
        (name = "invitations", description = "The customer's side of an invitation (SPEC F3)"),
        (name = "relationships", description = "Customers of a partner and partners of a customer (SPEC F5, F6)"),
        (name = "agreements", description = "The customer agreement"),
        (name = "account", description = "The caller")
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The OpenAPI document, as served and as committed in `docs/openapi.json`.
pub fn openapi_document() -> &'static str {
    static DOC: OnceLock<String> = OnceLock::new();
    DOC.get_or_init(|| ApiDoc::openapi().to_pretty_json().unwrap_or_default())
}

async fn openapi_json() -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        openapi_document(),
    )
        .into_response()
}

async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "no_such_endpoint",
        "There is no such endpoint; see /api/v1/openapi.json.",
    )
}

fn page_request(cursor: &Option<String>, limit: Option<u32>) -> PageRequest {
    PageRequest {
        cursor: cursor.clone(),
        limit,
    }
}

/// Who the token belongs to.
#[utoipa::path(get, path = "/api/v1/me", tag = "account", security(("bearer" = [])),
    responses((status = 200, body = MeOut), (status = 401, body = Problem)))]
async fn me(ApiUser(p): ApiUser) -> Json<MeOut> {
    Json(MeOut::from(&*p))
}

/// The caller's personal access tokens (ids, names and dates; never the secrets).
#[utoipa::path(get, path = "/api/v1/tokens", tag = "account", security(("bearer" = [])),
    responses((status = 200, body = Vec<TokenOut>), (status = 401, body = Problem)))]
async fn list_tokens(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
) -> ApiResult<Json<Vec<TokenOut>>> {
    let tokens = s.accord.own_api_tokens(&p).await?;
    Ok(Json(tokens.into_iter().map(TokenOut::from).collect()))
}

/// Revokes one of the caller's tokens (the one in use included); effective at once on
/// every node.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "account", security(("bearer" = [])),
    params(("id" = String, Path, description = "Token id")),
    responses((status = 204), (status = 401, body = Problem), (status = 404, body = Problem)))]
async fn revoke_token(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<StatusCode> {
    let id: uuid::Uuid = id.parse().map_err(|_| DomainError::NotFound {
        what: "access token",
    })?;
    s.accord.revoke_own_api_token(&p, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The current customer agreement.
#[utoipa::path(get, path = "/api/v1/agreements/current", tag = "agreements",
    responses((status = 200, body = AgreementOut), (status = 404, body = Problem)))]
async fn current_agreement(State(s): State<AppState>) -> ApiResult<Json<AgreementOut>> {
    let a = s
        .accord
        .current_agreement()
        .await?
        .ok_or(DomainError::NotFound {
            what: "customer agreement",
        })?;
    Ok(Json(AgreementOut::from(a)))
}

/// Requests a reseller relationship (SPEC F2). The answer carries the custom link (whose
/// last path segment is the single-use token, shown only here) and the draft e-mail.
#[utoipa::path(post, path = "/api/v1/relationship-requests", tag = "relationship requests",
    security(("bearer" = [])), request_body = NewRequestIn,
    responses((status = 201, body = RequestCreatedOut), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn create_request(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(input): ApiJson<NewRequestIn>,
) -> ApiResult<(StatusCode, Json<RequestCreatedOut>)> {
    let desk = s.accord.partner_desk(&p)?;
    let ask = input.ask()?;
    let created = desk
        .create_request(NewRequest {
            ask,
            customer_email: input.customer_email,
        })
        .await?;
    Ok((StatusCode::CREATED, Json(RequestCreatedOut::from(created))))
}

/// The partner's relationship requests, newest first.
#[utoipa::path(get, path = "/api/v1/relationship-requests", tag = "relationship requests",
    security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = RequestPage), (status = 400, body = Problem), (status = 403, body = Problem)))]
async fn list_requests(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<RequestPage>> {
    let page = s
        .accord
        .partner_desk(&p)?
        .list_requests(&page_request(&q.cursor, q.limit))
        .await?;
    Ok(Json(RequestPage {
        items: page.items.into_iter().map(RequestOut::from).collect(),
        next_cursor: page.next_cursor,
    }))
}

/// Revokes a pending request; its link stops working at once.
#[utoipa::path(post, path = "/api/v1/relationship-requests/{id}/revoke", tag = "relationship requests",
    security(("bearer" = [])), params(("id" = String, Path, description = "Request id")),
    responses((status = 200, body = RequestOut), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn revoke_request(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<RequestOut>> {
    let desk = s.accord.partner_desk(&p)?;
    let id: RequestId = id.parse().map_err(|_| DomainError::NotFound {
        what: "relationship request",
    })?;
    Ok(Json(RequestOut::from(desk.revoke_request(id).await?)))
}

/// What an invitation asks for, as seen by a signed-in user of the customer organisation.
#[utoipa::path(get, path = "/api/v1/invitations/{token}", tag = "invitations",
    security(("bearer" = [])), params(("token" = String, Path, description = "The token from the link")),
    responses((status = 200, body = InvitationOut), (status = 404, body = Problem)))]
async fn get_invitation(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(token): ApiPath<String>,
) -> ApiResult<Json<InvitationOut>> {
    let v = s.accord.customer_desk(&p).view_invitation(&token).await?;
    Ok(Json(InvitationOut::from(v)))
}

/// Accepts the customer agreement and authorises the partner (Global admin only).
#[utoipa::path(post, path = "/api/v1/invitations/{token}/accept", tag = "invitations",
    security(("bearer" = [])), params(("token" = String, Path, description = "The token from the link")),
    request_body = AcceptIn,
    responses((status = 200, body = AcceptOut), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 410, body = Problem), (status = 422, body = Problem)))]
async fn accept_invitation(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ClientAddr(addr): ClientAddr,
    ApiPath(token): ApiPath<String>,
    ApiJson(input): ApiJson<AcceptIn>,
) -> ApiResult<Json<AcceptOut>> {
    let out = s
        .accord
        .global_admin_desk(&p)?
        .accept_invitation(&token, input.accept_agreement, &addr)
        .await?;
    Ok(Json(AcceptOut::from(out)))
}

/// Declines an invitation (Global admin only); the link is used up.
#[utoipa::path(post, path = "/api/v1/invitations/{token}/decline", tag = "invitations",
    security(("bearer" = [])), params(("token" = String, Path, description = "The token from the link")),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 410, body = Problem)))]
async fn decline_invitation(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(token): ApiPath<String>,
) -> ApiResult<StatusCode> {
    s.accord
        .global_admin_desk(&p)?
        .decline_invitation(&token)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The partner's customers by name (`q` filters by name).
#[utoipa::path(get, path = "/api/v1/customers", tag = "relationships",
    security(("bearer" = [])), params(CustomerQuery),
    responses((status = 200, body = CustomerPage), (status = 400, body = Problem), (status = 403, body = Problem)))]
async fn list_customers(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<CustomerQuery>,
) -> ApiResult<Json<CustomerPage>> {
    let page = s
        .accord
        .partner_desk(&p)?
        .list_customers(q.q.as_deref(), &page_request(&q.cursor, q.limit))
        .await?;
    Ok(Json(CustomerPage {
        items: page.items.into_iter().map(RelationshipOut::from).collect(),
        next_cursor: page.next_cursor,
    }))
}

/// The organisation's partners by name, with their types and admin privileges.
#[utoipa::path(get, path = "/api/v1/partners", tag = "relationships",
    security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = PartnerPage), (status = 400, body = Problem)))]
async fn list_partners(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<PartnerPage>> {
    let page = s
        .accord
        .customer_desk(&p)
        .list_partners(&page_request(&q.cursor, q.limit))
        .await?;
    Ok(Json(PartnerPage {
        items: page.items.into_iter().map(RelationshipOut::from).collect(),
        next_cursor: page.next_cursor,
    }))
}

/// One partner of the organisation.
#[utoipa::path(get, path = "/api/v1/partners/{id}", tag = "relationships",
    security(("bearer" = [])), params(("id" = String, Path, description = "Partner organisation id")),
    responses((status = 200, body = PartnerDetailOut), (status = 404, body = Problem)))]
async fn get_partner(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<PartnerDetailOut>> {
    let id: TenantId = id
        .parse()
        .map_err(|_| DomainError::NotFound { what: "partner" })?;
    let d = s.accord.customer_desk(&p).partner_detail(id).await?;
    Ok(Json(PartnerDetailOut::from(d)))
}

/// Removes the partner's delegated admin roles at once (Global admin only); the
/// relationship stays.
#[utoipa::path(post, path = "/api/v1/partners/{id}/remove-admin-roles", tag = "relationships",
    security(("bearer" = [])), params(("id" = String, Path, description = "Partner organisation id")),
    responses((status = 200, body = RelationshipOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn remove_admin_roles(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<RelationshipOut>> {
    let desk = s.accord.global_admin_desk(&p)?;
    let id: TenantId = id
        .parse()
        .map_err(|_| DomainError::NotFound { what: "partner" })?;
    Ok(Json(RelationshipOut::from(
        desk.remove_admin_roles(id).await?,
    )))
}

impl NewRequestIn {
    fn ask(&self) -> Result<AdminAsk, DomainError> {
        match (self.include_admin_privileges, &self.admin_roles) {
            (false, None) => Ok(AdminAsk::None),
            (false, Some(_)) => Err(DomainError::invalid(
                "admin_roles",
                "admin_roles needs include_admin_privileges: true.",
            )),
            (true, None) => {
                if self.duration_days.is_some() || self.auto_extend.is_some() {
                    Err(DomainError::invalid(
                        "duration_days",
                        "duration_days and auto_extend apply to granular roles; give admin_roles too.",
                    ))
                } else {
                    Ok(AdminAsk::Legacy)
                }
            }
            (true, Some(roles)) => Ok(AdminAsk::Granular {
                roles: roles.clone(),
                duration_days: self.duration_days.ok_or_else(|| {
                    DomainError::invalid(
                        "duration_days",
                        "Give duration_days (1 to 730) with admin_roles.",
                    )
                })?,
                auto_extend: self.auto_extend.unwrap_or(false),
            }),
        }
    }
}
