//! Relationships from either side: a partner's customers and a customer's partners
//! (SPEC F5, F6).

use super::common::Json;
use accord_domain::{DirectoryRole, GrantStatus, PartnerType};
use accord_service::{account, CustomerAccount, PartnerDetail, RelationshipSummary};
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::common::{page_type, PageQuery};
use super::extract::{ApiPath, ApiQuery};
use super::ApiResult;
use crate::api::id_or_404;
use crate::auth::ApiUser;
use crate::error::Problem;
use crate::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_customers))
        .routes(routes!(get_customer, end_relationship))
        .routes(routes!(list_partners))
        .routes(routes!(get_partner, delete_partner))
        .routes(routes!(set_support_contact))
        .routes(routes!(remove_admin_roles))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CustomerQuery {
    /// The `next_cursor` of the previous page.
    #[param(max_length = 1024)]
    pub cursor: Option<String>,
    /// Page size.
    #[param(minimum = 1, maximum = 200, default = 50)]
    pub limit: Option<u32>,
    /// Keep customers whose name contains this text (case-insensitive, any script).
    #[param(max_length = 200)]
    pub q: Option<String>,
}

/// A relationship in a list: the other party (a customer on the partner's side, a partner
/// on the customer's side), the partner types in force and the admin grant now.
#[derive(Debug, Serialize, ToSchema)]
pub struct RelationshipOut {
    /// The other party's organisation id.
    pub id: Uuid,
    pub name: String,
    pub types: Vec<PartnerType>,
    pub has_admin_privileges: bool,
    /// The roles in force: those the customer approved.
    pub admin_roles: Vec<DirectoryRole>,
    /// The roles the partner asked for; more than `admin_roles` after a partial approval.
    pub requested_roles: Vec<DirectoryRole>,
    /// Roles the partner asked to add, awaiting the customer's consent.
    pub pending_roles: Vec<DirectoryRole>,
    /// The grant renews itself by 180 days when it ends.
    pub auto_extend: bool,
    /// `active`, `expiring` (its last 30 days), `expired` or `terminated`; absent when
    /// admin privileges were never granted.
    pub admin_status: Option<GrantStatus>,
    /// When the grant in force ends (after any auto-extension); absent without an end.
    pub admin_ends_at: Option<DateTime<Utc>>,
    /// When the grant stopped: removed by the customer, or expired.
    pub admin_ended_at: Option<DateTime<Utc>>,
    pub since: DateTime<Utc>,
}

impl From<RelationshipSummary> for RelationshipOut {
    fn from(r: RelationshipSummary) -> Self {
        Self {
            id: r.counterpart_id.0,
            name: r.name,
            types: r.types,
            has_admin_privileges: r.has_admin_privileges,
            admin_roles: r.admin_roles,
            requested_roles: r.requested_roles,
            pending_roles: r.pending_roles,
            auto_extend: r.auto_extend,
            admin_status: r.admin_status,
            admin_ends_at: r.admin_ends_at,
            admin_ended_at: r.admin_ended_at,
            since: r.since,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PartnerDetailOut {
    #[serde(flatten)]
    pub partner: RelationshipOut,
    pub domain: String,
    pub country: String,
    pub cloud: accord_domain::Cloud,
    /// Whether the customer can delete this relationship itself.
    pub can_delete: bool,
    /// The partner's user to contact for support, if the partner named one.
    pub support_contact: Option<SupportContactOut>,
}

impl From<PartnerDetail> for PartnerDetailOut {
    fn from(d: PartnerDetail) -> Self {
        Self {
            partner: RelationshipOut::from(d.item),
            support_contact: d.support_contact.map(SupportContactOut::from),
            domain: d.domain,
            country: d.country,
            cloud: d.cloud,
            can_delete: d.can_delete,
        }
    }
}

page_type!(CustomerPage, RelationshipOut);
page_type!(PartnerPage, RelationshipOut);

/// A customer organisation's account.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerAccountOut {
    pub id: Uuid,
    pub name: String,
    pub domain: String,
    pub country: String,
    pub cloud: accord_domain::Cloud,
    pub created_at: DateTime<Utc>,
    /// The current customer agreement's version, if one is published.
    pub agreement_version: Option<i64>,
    /// When the customer accepted that version (`null`: not yet).
    pub agreement_accepted_at: Option<DateTime<Utc>>,
    /// Who accepted it.
    pub agreement_accepted_by: Option<String>,
}

impl From<CustomerAccount> for CustomerAccountOut {
    fn from(a: CustomerAccount) -> Self {
        let (accepted_at, accepted_by) = a.agreement_accepted.unzip();
        Self {
            id: a.id.0,
            name: a.name,
            domain: a.domain,
            country: a.country.to_string(),
            cloud: a.cloud,
            created_at: a.created_at,
            agreement_version: a.agreement_version,
            agreement_accepted_at: accepted_at,
            agreement_accepted_by: accepted_by,
        }
    }
}

/// The partner's customers by name (`q` filters by name).
#[utoipa::path(get, path = "/api/v1/customers", tag = "relationships",
    security(("bearer" = [])), params(CustomerQuery),
    responses((status = 200, body = CustomerPage), (status = 403, body = Problem)))]
async fn list_customers(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<CustomerQuery>,
) -> ApiResult<Response> {
    let page = PageQuery {
        cursor: q.cursor,
        limit: q.limit,
    };
    // The page is rendered once and kept with the partner's customer index until one of
    // its relationships changes (or a grant on it changes status).
    let body = s
        .accord
        .partner_desk(&p)?
        .list_customers_rendered(q.q.as_deref(), &page.page(), "api", |page| {
            serde_json::to_vec(&CustomerPage::of(page, RelationshipOut::from))
                .map_err(|e| format!("cannot serialize the customer page: {e}"))
        })
        .await?;
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body.as_slice().to_vec(),
    )
        .into_response())
}

/// A customer's account: for a partner, one of its customers (404 for any other
/// organisation); for a customer's own user, its own organisation's id.
#[utoipa::path(get, path = "/api/v1/customers/{customer_id}", tag = "relationships",
    security(("bearer" = [])), params(("customer_id" = Uuid, Path, description = "Customer organisation id")),
    responses((status = 200, body = CustomerAccountOut), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn get_customer(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(customer_id): ApiPath<String>,
) -> ApiResult<Json<CustomerAccountOut>> {
    let id = super::common::id_or_404(&customer_id, "customer")?;
    // One operation, two capabilities: the customer's own scope or a partner's scope of
    // one of its customers (docs/ARCHITECTURE.md, "Capabilities").
    let a = account::account(&s.accord.customer_scope(&p, id).await?).await?;
    Ok(Json(CustomerAccountOut::from(a)))
}

/// The organisation's partners by name, with their types and admin privileges.
#[utoipa::path(get, path = "/api/v1/partners", tag = "relationships",
    security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = PartnerPage)))]
async fn list_partners(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<PartnerPage>> {
    let page = s.accord.customer_desk(&p).list_partners(&q.page()).await?;
    Ok(Json(PartnerPage::of(page, RelationshipOut::from)))
}

/// One partner of the organisation.
#[utoipa::path(get, path = "/api/v1/partners/{id}", tag = "relationships",
    security(("bearer" = [])), params(("id" = Uuid, Path, description = "Partner organisation id")),
    responses((status = 200, body = PartnerDetailOut), (status = 404, body = Problem)))]
async fn get_partner(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<PartnerDetailOut>> {
    let d = s
        .accord
        .customer_desk(&p)
        .partner_detail(id_or_404(&id, "partner")?)
        .await?;
    Ok(Json(PartnerDetailOut::from(d)))
}

/// Removes the partner's delegated admin roles at once (Global admin only); the
/// relationship stays.
#[utoipa::path(post, path = "/api/v1/partners/{id}/remove-admin-roles", tag = "relationships",
    security(("bearer" = [])), params(("id" = Uuid, Path, description = "Partner organisation id")),
    responses((status = 200, body = RelationshipOut), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem)))]
async fn remove_admin_roles(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<RelationshipOut>> {
    let desk = s.accord.global_admin_desk(&p)?;
    Ok(Json(RelationshipOut::from(
        desk.remove_admin_roles(id_or_404(&id, "partner")?).await?,
    )))
}

/// "Delete partner": ends the relationship and any admin roles at once (Global admin
/// only). Allowed only when the partner is a delegated admin or admin and nothing else;
/// for every other partner type the partner ends it (409
/// `partner_type_requires_partner_action`).
#[utoipa::path(delete, path = "/api/v1/partners/{id}", tag = "relationships",
    security(("bearer" = [])), params(("id" = Uuid, Path, description = "Partner organisation id")),
    responses((status = 204, description = "The relationship has ended"), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn delete_partner(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<axum::http::StatusCode> {
    let desk = s.accord.global_admin_desk(&p)?;
    desk.delete_partner(id_or_404(&id, "partner")?).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SupportContactIn {
    /// One of the partner's users.
    pub user_id: Uuid,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SupportContactOut {
    pub user_id: Uuid,
    pub name: String,
    pub email: String,
}

impl From<accord_service::SupportContact> for SupportContactOut {
    fn from(c: accord_service::SupportContact) -> Self {
        Self {
            user_id: c.user_id.0,
            name: c.name,
            email: c.email,
        }
    }
}

/// Names one of the partner's users as the customer's support contact (partner admin or
/// admin agent); the customer sees it with the partner. Naming another replaces it.
#[utoipa::path(put, path = "/api/v1/customers/{customer_id}/support-contact", tag = "relationships",
    security(("bearer" = [])), params(("customer_id" = Uuid, Path, description = "Customer organisation id")),
    request_body = SupportContactIn,
    responses((status = 200, body = SupportContactOut), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn set_support_contact(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(customer_id): ApiPath<String>,
    super::extract::ApiJson(input): super::extract::ApiJson<SupportContactIn>,
) -> ApiResult<Json<SupportContactOut>> {
    let id = super::common::id_or_404(&customer_id, "customer")?;
    let c = s
        .accord
        .partner_desk(&p)?
        .set_support_contact(id, accord_domain::UserId(input.user_id))
        .await?;
    Ok(Json(SupportContactOut::from(c)))
}

/// Ends the relationship with a customer (partner admin; SPEC F7), with any admin roles.
/// Refused while the partner has active subscriptions it provisioned for the customer
/// (409 `active_subscriptions_exist`, listing them in `subscription_ids`). A later
/// accepted request starts a new relationship; the history stays.
#[utoipa::path(delete, path = "/api/v1/customers/{customer_id}", tag = "relationships",
    security(("bearer" = [])), params(("customer_id" = Uuid, Path, description = "Customer organisation id")),
    responses((status = 204, description = "The relationship has ended"), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn end_relationship(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(customer_id): ApiPath<String>,
) -> ApiResult<axum::http::StatusCode> {
    let id = super::common::id_or_404(&customer_id, "customer")?;
    s.accord.partner_desk(&p)?.end_relationship(id).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
