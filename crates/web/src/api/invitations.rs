//! The customer's side of an invitation (SPEC F3).

use super::common::Json;
use accord_domain::{DirectoryRole, PartnerType, RequestStatus};
use accord_service::{AcceptOutcome, InvitationView};
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::agreements::AgreementOut;
use super::extract::{ApiJson, ApiPath};
use super::ApiResult;
use crate::auth::{ApiUser, ClientAddr};
use crate::error::Problem;
use crate::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_invitation))
        .routes(routes!(accept_invitation))
        .routes(routes!(decline_invitation))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BlockerOut {
    pub code: String,
    pub detail: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationOut {
    pub partner_id: Uuid,
    pub partner_name: String,
    pub partner_country: String,
    pub status: RequestStatus,
    pub types: Vec<PartnerType>,
    pub include_admin_privileges: bool,
    pub admin_roles: Vec<DirectoryRole>,
    pub duration_days: Option<u32>,
    /// What is asked, in words.
    pub summary: String,
    pub expires_at: DateTime<Utc>,
    pub agreement: Option<AgreementOut>,
    pub agreement_already_accepted: bool,
    /// Whether the caller may accept now (Global admin and no blocking rule).
    pub can_accept: bool,
    /// A rule that would refuse acceptance now.
    pub blocker: Option<BlockerOut>,
}

impl From<InvitationView> for InvitationOut {
    fn from(v: InvitationView) -> Self {
        let blocker = v.blocker.as_ref().map(|e| BlockerOut {
            code: e.code().into(),
            detail: crate::i18n::error(e),
        });
        Self {
            partner_id: v.partner_id.0,
            partner_name: v.partner_name,
            partner_country: v.partner_country,
            status: v.status,
            types: v.types,
            include_admin_privileges: v.ask.includes_admin(),
            admin_roles: v.ask.roles(),
            duration_days: v.ask.duration_days(),
            summary: accord_i18n::ask(crate::i18n::current(), &v.ask),
            expires_at: v.expires_at,
            agreement: v.agreement.map(AgreementOut::from),
            agreement_already_accepted: v.agreement_already_accepted,
            can_accept: v.viewer_is_global_admin && blocker.is_none(),
            blocker,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptIn {
    /// Must be `true`: "I have read and accept the customer agreement".
    pub accept_agreement: bool,
    /// Approves only these of the admin roles asked (at least one; each must have been
    /// asked). Omitted: all of them.
    #[serde(default)]
    #[schema(max_items = 8)]
    pub approved_roles: Option<Vec<DirectoryRole>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AcceptOut {
    pub relationship_id: Uuid,
    pub partner_id: Uuid,
    pub partner_name: String,
    pub types: Vec<PartnerType>,
    /// The roles in force: those approved.
    pub admin_roles: Vec<DirectoryRole>,
    /// The roles the partner asked for; more than `admin_roles` after a partial approval.
    pub requested_roles: Vec<DirectoryRole>,
    pub admin_ends_at: Option<DateTime<Utc>>,
    /// The agreement version accepted with this call, if it was not accepted before.
    pub agreement_version_accepted: Option<i64>,
    /// Whether an existing relationship was updated rather than created.
    pub updated_existing: bool,
}

impl From<AcceptOutcome> for AcceptOut {
    fn from(o: AcceptOutcome) -> Self {
        Self {
            relationship_id: o.relationship_id.0,
            partner_id: o.partner_id.0,
            partner_name: o.partner_name,
            types: o.types,
            admin_roles: o.admin_roles,
            requested_roles: o.requested_roles,
            admin_ends_at: o.admin_ends_at,
            agreement_version_accepted: o.agreement_accepted,
            updated_existing: o.updated_existing,
        }
    }
}

/// What an invitation asks for, as seen by a signed-in user of the customer organisation.
#[utoipa::path(get, path = "/api/v1/invitations/{token}", tag = "invitations",
    security(("bearer" = [])), params(("token" = String, Path, description = "The token from the link", max_length = 200)),
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
    security(("bearer" = [])), params(("token" = String, Path, description = "The token from the link", max_length = 200)),
    request_body = AcceptIn,
    responses((status = 200, body = AcceptOut), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 410, body = Problem)))]
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
        .accept_invitation(
            &token,
            input.accept_agreement,
            input.approved_roles.as_deref(),
            &addr,
        )
        .await?;
    Ok(Json(AcceptOut::from(out)))
}

/// Declines an invitation (Global admin only); the link is used up.
#[utoipa::path(post, path = "/api/v1/invitations/{token}/decline", tag = "invitations",
    security(("bearer" = [])), params(("token" = String, Path, description = "The token from the link", max_length = 200)),
    responses((status = 204, description = "Declined"), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 410, body = Problem)))]
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
