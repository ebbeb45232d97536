//! Guest accounts (the "Partner" type, SPEC F10): a customer's Global admin adds a
//! partner's named users to its directory with the directory roles it chooses, and
//! removes them; the partner reads which of its users are guests in a customer.

use accord_domain::{DirectoryRole, UserId};
use accord_service::Guest;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::common::{id_or_404, Json};
use super::extract::{ApiJson, ApiPath};
use super::ApiResult;
use crate::auth::ApiUser;
use crate::error::Problem;
use crate::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_guests, add_guest))
        .routes(routes!(remove_guest))
        .routes(routes!(guests_in_customer))
}

/// A partner's user in the customer's directory as a guest account.
#[derive(Debug, Serialize, ToSchema)]
pub struct GuestOut {
    /// The user's id (in the partner's organisation).
    pub user_id: Uuid,
    pub partner_id: Uuid,
    pub email: String,
    pub display_name: String,
    /// The directory roles it acts with in the customer (empty: none).
    pub roles: Vec<DirectoryRole>,
    /// Who added it or last changed its roles.
    pub added_by: String,
    pub added_at: DateTime<Utc>,
}

impl From<Guest> for GuestOut {
    fn from(g: Guest) -> Self {
        Self {
            user_id: g.user_id.0,
            partner_id: g.partner_id.0,
            email: g.email,
            display_name: g.display_name,
            roles: g.roles,
            added_by: g.added_by,
            added_at: g.added_at,
        }
    }
}

/// Guest accounts, by name (at most 200 per partner and customer, so not paged).
#[derive(Debug, Serialize, ToSchema)]
pub struct GuestList {
    pub items: Vec<GuestOut>,
}

impl GuestList {
    fn of(v: Vec<Guest>) -> Self {
        Self {
            items: v.into_iter().map(GuestOut::from).collect(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GuestIn {
    /// The address of one of the partner's users.
    #[schema(
        min_length = 3,
        max_length = 254,
        pattern = "^ *[^\\s@\\x00-\\x1f\\x7f-\\x9f]+@[^\\s@.\\x00-\\x1f\\x7f-\\x9f]+(\\.[^\\s@.\\x00-\\x1f\\x7f-\\x9f]+)+ *$"
    )]
    pub email: String,
    /// Directory roles it acts with; any but `global_admin` (422); `user` or none: no
    /// admin role.
    #[serde(default)]
    #[schema(max_items = 8, value_type = Vec<GuestRole>)]
    pub roles: Vec<DirectoryRole>,
}

/// A directory role a guest account may hold: any but `global_admin`.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)] // describes the wire; the body is read as `DirectoryRole`
pub enum GuestRole {
    BillingAdmin,
    UserAdmin,
    HelpdeskAdmin,
    LicenseAdmin,
    BillingReader,
    GlobalReader,
    User,
}

/// The partner's users who are guest accounts in your organisation (Global admin).
#[utoipa::path(get, path = "/api/v1/partners/{partner_id}/guests", tag = "directory",
    security(("bearer" = [])),
    params(("partner_id" = Uuid, Path, description = "Partner organisation id")),
    responses((status = 200, body = GuestList), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn list_guests(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(partner): ApiPath<String>,
) -> ApiResult<Json<GuestList>> {
    let desk = s.accord.global_admin_desk(&p)?;
    let v = desk.guests(id_or_404(&partner, "partner")?).await?;
    Ok(Json(GuestList::of(v)))
}

/// Adds one of the partner's users as a guest account with the roles given (201), or
/// replaces the roles of its guest account (200). Global admin; the relationship must
/// include the Partner type (409 `guests_need_partner_type`); an address that is not an
/// enabled user of that partner with a partner role is 404 `partner_user_not_found`.
#[utoipa::path(post, path = "/api/v1/partners/{partner_id}/guests", tag = "directory",
    security(("bearer" = [])),
    params(("partner_id" = Uuid, Path, description = "Partner organisation id")),
    request_body = GuestIn,
    responses((status = 201, body = GuestOut, description = "Added"), (status = 200, body = GuestOut, description = "Roles replaced"),
              (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
              (status = 422, body = Problem)))]
async fn add_guest(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(partner): ApiPath<String>,
    ApiJson(input): ApiJson<GuestIn>,
) -> ApiResult<(StatusCode, Json<GuestOut>)> {
    let desk = s.accord.global_admin_desk(&p)?;
    let (g, new) = desk
        .add_guest(id_or_404(&partner, "partner")?, &input.email, &input.roles)
        .await?;
    let status = if new {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(g.into())))
}

/// Removes a guest account (Global admin); its user loses the roles on the next request.
#[utoipa::path(delete, path = "/api/v1/partners/{partner_id}/guests/{user_id}", tag = "directory",
    security(("bearer" = [])),
    params(("partner_id" = Uuid, Path, description = "Partner organisation id"), ("user_id" = Uuid, Path, description = "The guest's user id")),
    responses((status = 204, description = "Removed"), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn remove_guest(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath((partner, user)): ApiPath<(String, String)>,
) -> ApiResult<StatusCode> {
    let desk = s.accord.global_admin_desk(&p)?;
    desk.remove_guest(
        id_or_404(&partner, "partner")?,
        id_or_404::<UserId>(&user, "guest account")?,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Which of your users are guest accounts in the customer, with their roles (partner).
#[utoipa::path(get, path = "/api/v1/customers/{customer_id}/guests", tag = "directory",
    security(("bearer" = [])),
    params(("customer_id" = Uuid, Path, description = "Customer organisation id")),
    responses((status = 200, body = GuestList), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn guests_in_customer(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(customer): ApiPath<String>,
) -> ApiResult<Json<GuestList>> {
    let v = s
        .accord
        .partner_desk(&p)?
        .guests_in(id_or_404(&customer, "customer")?)
        .await?;
    Ok(Json(GuestList::of(v)))
}
