//! The customer's directory (issue 9): users, password resets and licences, for the
//! customer's own admins (with its own id) and for partner agents within the roles granted
//! and assigned; the partner's access assignments and role changes; the customer's
//! consent to added roles and its record of partner activity.

use accord_domain::DirectoryRole;
use accord_service::{
    AccessAssignment, AccessOverview, ActivityFilter, DelegatedAction, Directory, DirectoryUser,
    License, NewDirectoryUser, Principal, UserChanges, WithPassword,
};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::common::{id_or_404, page_type, Json};
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::relationships::RelationshipOut;
use super::ApiResult;
use crate::auth::ApiUser;
use crate::error::Problem;
use crate::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_users, create_user))
        .routes(routes!(get_user, update_user, delete_user))
        .routes(routes!(reset_password))
        .routes(routes!(list_licenses))
        .routes(routes!(assign_license))
        .routes(routes!(remove_license))
        .routes(routes!(list_access, assign_access))
        .routes(routes!(remove_access))
        .routes(routes!(change_roles))
        .routes(routes!(approve_roles))
        .routes(routes!(decline_roles))
        .routes(routes!(partner_activity))
        .routes(routes!(partner_activity_csv))
        .routes(routes!(partner_activity_agents))
}

/// A user of the customer's directory.
#[derive(Debug, Serialize, ToSchema)]
pub struct DirectoryUserOut {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub roles: Vec<DirectoryRole>,
    pub disabled: bool,
    /// The password was set by an admin; the user chooses a new one at the next sign-in.
    pub password_temporary: bool,
    pub created_at: DateTime<Utc>,
    /// Subscriptions the user holds a seat of (in a list: empty; read the user).
    pub licenses: Vec<Uuid>,
}

impl From<DirectoryUser> for DirectoryUserOut {
    fn from(u: DirectoryUser) -> Self {
        Self {
            id: u.id.0,
            email: u.email,
            display_name: u.display_name,
            roles: u.roles,
            disabled: u.disabled,
            password_temporary: u.password_temporary,
            created_at: u.created_at,
            licenses: u.licenses.into_iter().map(|s| s.0).collect(),
        }
    }
}

page_type!(DirectoryUserPage, DirectoryUserOut);

/// A user with its temporary password, shown this once: hand it over; the user chooses a
/// new one at the next sign-in.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserWithPasswordOut {
    pub user: DirectoryUserOut,
    pub temporary_password: String,
}

impl From<WithPassword> for UserWithPasswordOut {
    fn from(w: WithPassword) -> Self {
        Self {
            user: w.user.into(),
            temporary_password: w.temporary_password,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserIn {
    /// Unique across the service.
    #[schema(
        min_length = 3,
        max_length = 254,
        pattern = "^ *[^\\s@\\x00-\\x1f\\x7f-\\x9f]+@[^\\s@.\\x00-\\x1f\\x7f-\\x9f]+(\\.[^\\s@.\\x00-\\x1f\\x7f-\\x9f]+)+ *$"
    )]
    pub email: String,
    /// Not blank; no control characters.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x1f\\x7f-\\x9f][^\\x00-\\x1f\\x7f-\\x9f]*$"
    )]
    pub display_name: String,
    /// Directory roles (`user` when empty). Admin roles need `roles_assign` (Global
    /// admin).
    #[serde(default)]
    #[schema(max_items = 8)]
    pub roles: Vec<DirectoryRole>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserChangesIn {
    #[serde(default)]
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x1f\\x7f-\\x9f][^\\x00-\\x1f\\x7f-\\x9f]*$"
    )]
    pub display_name: Option<String>,
    /// Replaces the user's roles (`user` when empty).
    #[serde(default)]
    #[schema(max_items = 8)]
    pub roles: Option<Vec<DirectoryRole>>,
    #[serde(default)]
    pub disabled: Option<bool>,
}

/// A subscription's seats and how many are assigned.
#[derive(Debug, Serialize, ToSchema)]
pub struct LicenseOut {
    pub subscription_id: Uuid,
    pub sku: String,
    pub product_name: String,
    /// The partner that provisioned the subscription.
    pub partner_name: String,
    pub seats: u32,
    pub assigned: u32,
    pub available: u32,
}

impl From<License> for LicenseOut {
    fn from(l: License) -> Self {
        Self {
            available: l.available(),
            subscription_id: l.subscription_id.0,
            sku: l.sku,
            product_name: l.product_name,
            partner_name: l.partner_name,
            seats: l.seats,
            assigned: l.assigned,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LicenseList {
    pub items: Vec<LicenseOut>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LicenseIn {
    /// One of the customer's active subscriptions.
    pub subscription_id: Uuid,
}

/// One agent's roles for one customer.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccessAssignmentOut {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub agent_id: Uuid,
    pub agent_name: String,
    pub agent_email: String,
    pub roles: Vec<DirectoryRole>,
    /// Assigned roles the grant does not hold now: they give nothing until granted again.
    pub inactive_roles: Vec<DirectoryRole>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

impl From<AccessAssignment> for AccessAssignmentOut {
    fn from(a: AccessAssignment) -> Self {
        Self {
            id: a.id,
            customer_id: a.customer_id.0,
            agent_id: a.agent_id.0,
            agent_name: a.agent_name,
            agent_email: a.agent_email,
            roles: a.roles,
            inactive_roles: a.inactive_roles,
            created_by: a.created_by,
            created_at: a.created_at,
        }
    }
}

/// The partner's grant in a customer and who holds which of its roles.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccessOut {
    pub relationship: RelationshipOut,
    pub items: Vec<AccessAssignmentOut>,
    /// Roles are granted but no agent holds any of them: nobody can use the grant.
    pub unassigned: bool,
}

impl From<AccessOverview> for AccessOut {
    fn from(o: AccessOverview) -> Self {
        Self {
            relationship: o.relationship.into(),
            items: o.assignments.into_iter().map(Into::into).collect(),
            unassigned: o.unassigned,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccessIn {
    /// A user of the partner holding partner admin, admin agent or helpdesk agent.
    pub agent_id: Uuid,
    /// Roles the customer granted and that are in force; replaces what the agent held.
    #[schema(min_items = 1, max_items = 8)]
    pub roles: Vec<DirectoryRole>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RolesIn {
    /// The roles wanted: those no longer wanted leave at once; new ones wait for the
    /// customer's consent.
    #[schema(min_items = 1, max_items = 8)]
    pub roles: Vec<DirectoryRole>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApproveRolesIn {
    /// The added roles approved (at least one, each asked); omitted: all of them.
    #[serde(default)]
    #[schema(max_items = 8)]
    pub approved_roles: Option<Vec<DirectoryRole>>,
}

/// One action of a partner's agent in the organisation's directory.
#[derive(Debug, Serialize, ToSchema)]
pub struct DelegatedActionOut {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub partner_id: Uuid,
    pub partner_name: String,
    pub agent_id: Uuid,
    pub agent_name: String,
    pub agent_email: String,
    /// `directory_user.created`, `directory_user.updated`, `directory_user.deleted`,
    /// `directory_user.password_reset`, `license.assigned`, `license.removed`.
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    pub target_label: String,
    pub roles_used: Vec<DirectoryRole>,
    /// `succeeded`, `denied` (no granted and assigned role allowed it) or `failed` (a rule
    /// refused it; `error_code` says which).
    pub outcome: String,
    pub error_code: Option<String>,
    pub request_id: Option<String>,
}

impl From<DelegatedAction> for DelegatedActionOut {
    fn from(a: DelegatedAction) -> Self {
        Self {
            id: a.id,
            at: a.at,
            partner_id: a.partner_id.0,
            partner_name: a.partner_name,
            agent_id: a.agent_id.0,
            agent_name: a.agent_name,
            agent_email: a.agent_email,
            action: a.action,
            target_type: a.target_type,
            target_id: a.target_id,
            target_label: a.target_label,
            roles_used: a.roles_used,
            outcome: a.outcome,
            error_code: a.error_code,
            request_id: a.request_id,
        }
    }
}

page_type!(DelegatedActionPage, DelegatedActionOut);

/// An agent who has acted in your directory, under the names of its latest action.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityAgentOut {
    pub agent_id: Uuid,
    pub agent_name: String,
    pub agent_email: String,
    pub partner_id: Uuid,
    pub partner_name: String,
    /// When it last acted (any outcome).
    pub last_at: DateTime<Utc>,
}

/// The agents who have acted in your directory, by name (at most 1,000).
#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityAgentList {
    pub items: Vec<ActivityAgentOut>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    /// The `next_cursor` of the previous page.
    #[param(max_length = 1024)]
    pub cursor: Option<String>,
    #[param(minimum = 1, maximum = 200, default = 50)]
    pub limit: Option<u32>,
    /// Keep users whose name or e-mail address contains this text.
    #[param(max_length = 200)]
    pub q: Option<String>,
}

/// A delegated action, as `GET /api/v1/partner-activity` filters by it.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
pub enum ActivityAction {
    #[serde(rename = "directory_user.created")]
    UserCreated,
    #[serde(rename = "directory_user.updated")]
    UserUpdated,
    #[serde(rename = "directory_user.deleted")]
    UserDeleted,
    #[serde(rename = "directory_user.password_reset")]
    PasswordReset,
    #[serde(rename = "license.assigned")]
    LicenseAssigned,
    #[serde(rename = "license.removed")]
    LicenseRemoved,
}

impl ActivityAction {
    fn as_str(self) -> &'static str {
        match self {
            Self::UserCreated => "directory_user.created",
            Self::UserUpdated => "directory_user.updated",
            Self::UserDeleted => "directory_user.deleted",
            Self::PasswordReset => "directory_user.password_reset",
            Self::LicenseAssigned => "license.assigned",
            Self::LicenseRemoved => "license.removed",
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActivityQuery {
    /// The `next_cursor` of the previous page.
    #[param(max_length = 1024)]
    pub cursor: Option<String>,
    #[param(minimum = 1, maximum = 200, default = 50)]
    pub limit: Option<u32>,
    /// Only this partner's agents.
    pub partner_id: Option<Uuid>,
    /// Only this agent.
    pub agent_id: Option<Uuid>,
    /// Only this action.
    #[param(inline)]
    pub action: Option<ActivityAction>,
    /// From this instant (RFC 3339), inclusive.
    pub from: Option<DateTime<Utc>>,
    /// Before this instant (RFC 3339).
    pub until: Option<DateTime<Utc>>,
}

/// Which delegated actions: every filter is optional.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActivityFilterQuery {
    /// Only this partner's agents.
    pub partner_id: Option<Uuid>,
    /// Only this agent.
    pub agent_id: Option<Uuid>,
    /// Only this action.
    #[param(inline)]
    pub action: Option<ActivityAction>,
    /// From this instant (RFC 3339), inclusive.
    pub from: Option<DateTime<Utc>>,
    /// Before this instant (RFC 3339).
    pub until: Option<DateTime<Utc>>,
}

impl ActivityFilterQuery {
    fn filter(&self) -> ActivityFilter {
        ActivityFilter {
            partner: self.partner_id.map(accord_domain::TenantId),
            agent: self.agent_id.map(accord_domain::UserId),
            action: self.action.map(|a| a.as_str().to_string()),
            from: self.from,
            until: self.until,
        }
    }
}

impl ActivityQuery {
    fn filter(&self) -> ActivityFilter {
        ActivityFilterQuery {
            partner_id: self.partner_id,
            agent_id: self.agent_id,
            action: self.action,
            from: self.from,
            until: self.until,
        }
        .filter()
    }

    fn page(&self) -> accord_service::PageRequest {
        accord_service::PageRequest {
            cursor: self.cursor.clone(),
            limit: self.limit,
        }
    }
}

/// The directory's users by name. Needs `users_read`.
#[utoipa::path(get, path = "/api/v1/customers/{customer_id}/users", tag = "directory",
    security(("bearer" = [])),
    params(("customer_id" = Uuid, Path, description = "Customer organisation id (your own for your directory)"), UserQuery),
    responses((status = 200, body = DirectoryUserPage), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn list_users(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(customer): ApiPath<String>,
    ApiQuery(q): ApiQuery<UserQuery>,
) -> ApiResult<Json<DirectoryUserPage>> {
    let dir = directory_at(&s, &p, &customer)?;
    let page = dir
        .users(
            q.q.as_deref(),
            &accord_service::PageRequest {
                cursor: q.cursor,
                limit: q.limit,
            },
        )
        .await?;
    Ok(Json(DirectoryUserPage::of(page, DirectoryUserOut::from)))
}

/// Creates a user with a temporary password, answered once. Needs `users_write`, and
/// `roles_assign` for admin roles; an address in use anywhere is 409 `email_taken`.
#[utoipa::path(post, path = "/api/v1/customers/{customer_id}/users", tag = "directory",
    security(("bearer" = [])),
    params(("customer_id" = Uuid, Path, description = "Customer organisation id (your own for your directory)")),
    request_body = NewUserIn,
    responses((status = 201, body = UserWithPasswordOut), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn create_user(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(customer): ApiPath<String>,
    ApiJson(input): ApiJson<NewUserIn>,
) -> ApiResult<(StatusCode, Json<UserWithPasswordOut>)> {
    let dir = directory_at(&s, &p, &customer)?;
    let out = dir
        .create_user(&NewDirectoryUser {
            email: input.email,
            display_name: input.display_name,
            roles: input.roles,
        })
        .await?;
    Ok((StatusCode::CREATED, Json(out.into())))
}

/// The directory of the organisation a path names, as the caller reaches it.
fn directory_at<'a>(
    s: &'a AppState,
    p: &'a Principal,
    customer: &str,
) -> accord_service::Result<Directory<'a>> {
    s.accord.directory(p, id_or_404(customer, "customer")?)
}

/// One user with its licences. Needs `users_read`.
#[utoipa::path(get, path = "/api/v1/customers/{customer_id}/users/{user_id}", tag = "directory",
    security(("bearer" = [])),
    params(("customer_id" = Uuid, Path, description = "Customer organisation id (your own for your directory)"), ("user_id" = Uuid, Path, description = "User id")),
    responses((status = 200, body = DirectoryUserOut), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn get_user(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath((customer, user)): ApiPath<(String, String)>,
) -> ApiResult<Json<DirectoryUserOut>> {
    let dir = directory_at(&s, &p, &customer)?;
    let u = dir.user(id_or_404(&user, "user")?).await?;
    Ok(Json(u.into()))
}

/// Changes a user's name, roles or enabled state. Needs `users_write`; changing an
/// admin's roles or state, or giving an admin role, needs `roles_assign`. Your own Global
/// admin role and account cannot be removed or disabled here (`own_account`), nor the last
/// Global admin (`last_global_admin`). Disabling ends the user's sessions.
#[utoipa::path(patch, path = "/api/v1/customers/{customer_id}/users/{user_id}", tag = "directory",
    security(("bearer" = [])),
    params(("customer_id" = Uuid, Path, description = "Customer organisation id (your own for your directory)"), ("user_id" = Uuid, Path, description = "User id")),
    request_body = UserChangesIn,
    responses((status = 200, body = DirectoryUserOut), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn update_user(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath((customer, user)): ApiPath<(String, String)>,
    ApiJson(input): ApiJson<UserChangesIn>,
) -> ApiResult<Json<DirectoryUserOut>> {
    let dir = directory_at(&s, &p, &customer)?;
    let u = dir
        .update_user(
            id_or_404(&user, "user")?,
            &UserChanges {
                display_name: input.display_name,
                roles: input.roles,
                disabled: input.disabled,
            },
        )
        .await?;
    Ok(Json(u.into()))
}

/// Deletes a user with its sessions, tokens and licences. Needs `users_write` (and
/// `roles_assign` for an admin).
#[utoipa::path(delete, path = "/api/v1/customers/{customer_id}/users/{user_id}", tag = "directory",
    security(("bearer" = [])),
    params(("customer_id" = Uuid, Path, description = "Customer organisation id (your own for your directory)"), ("user_id" = Uuid, Path, description = "User id")),
    responses((status = 204, description = "Deleted"), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem)))]
async fn delete_user(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath((customer, user)): ApiPath<(String, String)>,
) -> ApiResult<StatusCode> {
    let dir = directory_at(&s, &p, &customer)?;
    dir.delete_user(id_or_404(&user, "user")?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Resets the user's password to a temporary one, answered this once; the user's sessions
/// end and it chooses a new password at the next sign-in. Needs `passwords_reset_users`,
/// or `passwords_reset_admins` for an admin.
#[utoipa::path(post, path = "/api/v1/customers/{customer_id}/users/{user_id}/reset-password", tag = "directory",
    security(("bearer" = [])),
    params(("customer_id" = Uuid, Path, description = "Customer organisation id (your own for your directory)"), ("user_id" = Uuid, Path, description = "User id")),
    responses((status = 200, body = UserWithPasswordOut), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem)))]
async fn reset_password(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath((customer, user)): ApiPath<(String, String)>,
) -> ApiResult<Json<UserWithPasswordOut>> {
    let dir = directory_at(&s, &p, &customer)?;
    let out = dir.reset_password(id_or_404(&user, "user")?).await?;
    Ok(Json(out.into()))
}

/// The customer's active subscriptions as licences: seats, assigned, available. Needs
/// `licenses_read`.
#[utoipa::path(get, path = "/api/v1/customers/{customer_id}/licenses", tag = "directory",
    security(("bearer" = [])),
    params(("customer_id" = Uuid, Path, description = "Customer organisation id (your own for your directory)")),
    responses((status = 200, body = LicenseList), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn list_licenses(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(customer): ApiPath<String>,
) -> ApiResult<Json<LicenseList>> {
    let dir = directory_at(&s, &p, &customer)?;
    let items = dir.licenses().await?.into_iter().map(Into::into).collect();
    Ok(Json(LicenseList { items }))
}

/// Gives the user a seat of a subscription (answered unchanged if it holds one). Needs
/// `licenses_assign`; all seats taken is 409 `seats_exhausted`.
#[utoipa::path(post, path = "/api/v1/customers/{customer_id}/users/{user_id}/licenses", tag = "directory",
    security(("bearer" = [])),
    params(("customer_id" = Uuid, Path, description = "Customer organisation id (your own for your directory)"), ("user_id" = Uuid, Path, description = "User id")),
    request_body = LicenseIn,
    responses((status = 200, body = DirectoryUserOut), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem)))]
async fn assign_license(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath((customer, user)): ApiPath<(String, String)>,
    ApiJson(input): ApiJson<LicenseIn>,
) -> ApiResult<Json<DirectoryUserOut>> {
    let dir = directory_at(&s, &p, &customer)?;
    let u = dir
        .assign_license(
            id_or_404(&user, "user")?,
            accord_domain::SubscriptionId(input.subscription_id),
        )
        .await?;
    Ok(Json(u.into()))
}

/// Takes the user's seat of a subscription back. Needs `licenses_assign`.
#[utoipa::path(delete, path = "/api/v1/customers/{customer_id}/users/{user_id}/licenses/{subscription_id}", tag = "directory",
    security(("bearer" = [])),
    params(("customer_id" = Uuid, Path, description = "Customer organisation id (your own for your directory)"), ("user_id" = Uuid, Path, description = "User id"),
           ("subscription_id" = Uuid, Path, description = "Subscription id")),
    responses((status = 200, body = DirectoryUserOut), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn remove_license(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath((customer, user, sub)): ApiPath<(String, String, String)>,
) -> ApiResult<Json<DirectoryUserOut>> {
    let dir = directory_at(&s, &p, &customer)?;
    let u = dir
        .remove_license(id_or_404(&user, "user")?, id_or_404(&sub, "license")?)
        .await?;
    Ok(Json(u.into()))
}

/// The partner's grant in the customer and its agents' assignments, flagged `unassigned`
/// when roles are granted but nobody holds one.
#[utoipa::path(get, path = "/api/v1/customers/{customer_id}/access-assignments", tag = "directory",
    security(("bearer" = [])),
    params(("customer_id" = Uuid, Path, description = "Customer organisation id")),
    responses((status = 200, body = AccessOut), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn list_access(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(customer): ApiPath<String>,
) -> ApiResult<Json<AccessOut>> {
    let o = s
        .accord
        .partner_desk(&p)?
        .access(id_or_404(&customer, "customer")?)
        .await?;
    Ok(Json(o.into()))
}

/// Gives an agent granted roles for the customer, replacing what it held (partner admin).
/// Roles not granted, or an agent who is not one, are 422.
#[utoipa::path(post, path = "/api/v1/customers/{customer_id}/access-assignments", tag = "directory",
    security(("bearer" = [])),
    params(("customer_id" = Uuid, Path, description = "Customer organisation id")),
    request_body = AccessIn,
    responses((status = 200, body = AccessAssignmentOut), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 422, body = Problem)))]
async fn assign_access(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(customer): ApiPath<String>,
    ApiJson(input): ApiJson<AccessIn>,
) -> ApiResult<Json<AccessAssignmentOut>> {
    let a = s
        .accord
        .partner_desk(&p)?
        .assign_access(
            id_or_404(&customer, "customer")?,
            accord_domain::UserId(input.agent_id),
            &input.roles,
        )
        .await?;
    Ok(Json(a.into()))
}

/// Takes an assignment away (partner admin); the agent loses the access at once.
#[utoipa::path(delete, path = "/api/v1/customers/{customer_id}/access-assignments/{id}", tag = "directory",
    security(("bearer" = [])),
    params(("customer_id" = Uuid, Path, description = "Customer organisation id"), ("id" = Uuid, Path, description = "Assignment id")),
    responses((status = 204, description = "Removed"), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn remove_access(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath((customer, id)): ApiPath<(String, String)>,
) -> ApiResult<StatusCode> {
    s.accord
        .partner_desk(&p)?
        .remove_access(
            id_or_404(&customer, "customer")?,
            id_or_404(&id, "access_assignment")?,
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Asks to change the roles of the grant in force (partner admin): roles left out leave
/// at once, new ones wait for the customer's consent (`pending_roles`). No grant in force
/// is 409 `no_admin_roles`.
#[utoipa::path(post, path = "/api/v1/customers/{customer_id}/admin-roles", tag = "directory",
    security(("bearer" = [])),
    params(("customer_id" = Uuid, Path, description = "Customer organisation id")),
    request_body = RolesIn,
    responses((status = 200, body = RelationshipOut), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn change_roles(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(customer): ApiPath<String>,
    ApiJson(input): ApiJson<RolesIn>,
) -> ApiResult<Json<RelationshipOut>> {
    let r = s
        .accord
        .partner_desk(&p)?
        .ask_role_change(id_or_404(&customer, "customer")?, &input.roles)
        .await?;
    Ok(Json(r.into()))
}

/// Consents to roles the partner asked to add, all or a subset (Global admin); the rest
/// are declined. Nothing waiting is 409 `no_pending_roles`.
#[utoipa::path(post, path = "/api/v1/partners/{partner_id}/admin-roles/approve", tag = "directory",
    security(("bearer" = [])),
    params(("partner_id" = Uuid, Path, description = "Partner organisation id")),
    request_body = ApproveRolesIn,
    responses((status = 200, body = RelationshipOut), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn approve_roles(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(partner): ApiPath<String>,
    ApiJson(input): ApiJson<ApproveRolesIn>,
) -> ApiResult<Json<RelationshipOut>> {
    let r = s
        .accord
        .global_admin_desk(&p)?
        .approve_roles(
            id_or_404(&partner, "partner")?,
            input.approved_roles.as_deref(),
        )
        .await?;
    Ok(Json(r.into()))
}

/// Declines every role the partner asked to add (Global admin).
#[utoipa::path(post, path = "/api/v1/partners/{partner_id}/admin-roles/decline", tag = "directory",
    security(("bearer" = [])),
    params(("partner_id" = Uuid, Path, description = "Partner organisation id")),
    responses((status = 200, body = RelationshipOut), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem)))]
async fn decline_roles(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(partner): ApiPath<String>,
) -> ApiResult<Json<RelationshipOut>> {
    let r = s
        .accord
        .global_admin_desk(&p)?
        .decline_roles(id_or_404(&partner, "partner")?)
        .await?;
    Ok(Json(r.into()))
}

/// What partners' agents did in your directory, newest first: who, of which partner,
/// what, to whom, with which roles, how it ended, in which request. Needs `audit_read`.
#[utoipa::path(get, path = "/api/v1/partner-activity", tag = "directory",
    security(("bearer" = [])), params(ActivityQuery),
    responses((status = 200, body = DelegatedActionPage), (status = 403, body = Problem)))]
async fn partner_activity(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<ActivityQuery>,
) -> ApiResult<Json<DelegatedActionPage>> {
    let dir = s.accord.directory(&p, p.tenant.id)?;
    let page = dir.partner_activity(&q.filter(), &q.page()).await?;
    Ok(Json(DelegatedActionPage::of(
        page,
        DelegatedActionOut::from,
    )))
}

/// Every agent of a partner who has acted in your directory (whatever the outcome), by
/// name: the values `agent_id` filters Partner activity by. Needs `audit_read`.
#[utoipa::path(get, path = "/api/v1/partner-activity/agents", tag = "directory",
    security(("bearer" = [])),
    responses((status = 200, body = ActivityAgentList), (status = 403, body = Problem)))]
async fn partner_activity_agents(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
) -> ApiResult<Json<ActivityAgentList>> {
    let dir = s.accord.directory(&p, p.tenant.id)?;
    let items = dir
        .activity_agents()
        .await?
        .into_iter()
        .map(|a| ActivityAgentOut {
            agent_id: a.agent_id.0,
            agent_name: a.agent_name,
            agent_email: a.agent_email,
            partner_id: a.partner_id.0,
            partner_name: a.partner_name,
            last_at: a.last_at,
        })
        .collect();
    Ok(Json(ActivityAgentList { items }))
}

/// The same as CSV (UTF-8 with a header row), up to 10,000 rows of the filter.
#[utoipa::path(get, path = "/api/v1/partner-activity/export", tag = "directory",
    security(("bearer" = [])), params(ActivityFilterQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = Problem)))]
async fn partner_activity_csv(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<ActivityFilterQuery>,
) -> ApiResult<Response> {
    let dir = s.accord.directory(&p, p.tenant.id)?;
    let csv = activity_csv(&dir, &q.filter()).await?;
    Ok(csv_attachment(csv))
}

/// Partner activity as a downloaded CSV file.
pub fn csv_attachment(csv: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"partner-activity.csv\"",
            ),
        ],
        csv,
    )
        .into_response()
}

/// The partner activity of a filter as CSV, newest first, at most 10,000 rows.
pub async fn activity_csv(
    dir: &accord_service::Directory<'_>,
    filter: &ActivityFilter,
) -> Result<String, accord_service::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "at",
        "partner",
        "agent",
        "agent_email",
        "action",
        "target",
        "roles_used",
        "outcome",
        "error_code",
        "request_id",
    ];
    let _ = w.write_record(header);
    let mut cursor = None;
    let mut rows = 0;
    loop {
        let page = dir
            .partner_activity(
                filter,
                &accord_service::PageRequest {
                    cursor: cursor.take(),
                    limit: Some(200),
                },
            )
            .await?;
        for a in page.items {
            let roles: Vec<&str> = a.roles_used.iter().map(|r| r.as_str()).collect();
            let _ = w.write_record([
                a.at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                cell(&a.partner_name),
                cell(&a.agent_name),
                cell(&a.agent_email),
                a.action,
                cell(&a.target_label),
                roles.join(" "),
                a.outcome,
                a.error_code.unwrap_or_default(),
                a.request_id.unwrap_or_default(),
            ]);
            rows += 1;
        }
        match page.next_cursor {
            Some(c) if rows < 10_000 => cursor = Some(c),
            _ => break,
        }
    }
    let bytes = w.into_inner().unwrap_or_default();
    Ok(String::from_utf8(bytes).unwrap_or_default())
}

/// A text cell that a spreadsheet will not run as a formula.
fn cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}
