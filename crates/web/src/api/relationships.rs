//! Relationships from either side: a partner's customers and a customer's partners
//! (SPEC F5, F6).

use accord_domain::{DirectoryRole, DomainError, GrantStatus, PartnerType, TenantId};
use accord_service::{PartnerDetail, RelationshipSummary};
use axum::extract::State;
use axum::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::common::{page_type, PageQuery};
use super::extract::{ApiPath, ApiQuery};
use super::ApiResult;
use crate::auth::ApiUser;
use crate::error::Problem;
use crate::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_customers))
        .routes(routes!(list_partners))
        .routes(routes!(get_partner))
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
    pub admin_roles: Vec<DirectoryRole>,
    pub admin_status: Option<GrantStatus>,
    pub admin_ends_at: Option<DateTime<Utc>>,
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
            admin_status: r.admin_status,
            admin_ends_at: r.admin_ends_at,
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
}

impl From<PartnerDetail> for PartnerDetailOut {
    fn from(d: PartnerDetail) -> Self {
        Self {
            partner: RelationshipOut::from(d.item),
            domain: d.domain,
            country: d.country,
            cloud: d.cloud,
            can_delete: d.can_delete,
        }
    }
}

page_type!(CustomerPage, RelationshipOut);
page_type!(PartnerPage, RelationshipOut);

fn partner_id(id: &str) -> Result<TenantId, DomainError> {
    id.parse()
        .map_err(|_| DomainError::NotFound { what: "partner" })
}

/// The partner's customers by name (`q` filters by name).
#[utoipa::path(get, path = "/api/v1/customers", tag = "relationships",
    security(("bearer" = [])), params(CustomerQuery),
    responses((status = 200, body = CustomerPage), (status = 403, body = Problem)))]
async fn list_customers(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<CustomerQuery>,
) -> ApiResult<Json<CustomerPage>> {
    let page = PageQuery {
        cursor: q.cursor,
        limit: q.limit,
    };
    let page = s
        .accord
        .partner_desk(&p)?
        .list_customers(q.q.as_deref(), &page.page())
        .await?;
    Ok(Json(CustomerPage::of(page, RelationshipOut::from)))
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
        .partner_detail(partner_id(&id)?)
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
        desk.remove_admin_roles(partner_id(&id)?).await?,
    )))
}
