//! The customer agreement.

use super::common::Json;
use accord_domain::DomainError;
use accord_service::Agreement;
use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::ApiJson;
use super::ApiResult;
use crate::auth::{ApiUser, ClientAddr};
use crate::error::Problem;
use crate::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(current_agreement))
        .routes(routes!(accept_current_agreement))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptAgreementIn {
    /// Must be `true`: "I have read and accept the customer agreement".
    pub accept_agreement: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AgreementAcceptanceOut {
    /// The version accepted.
    pub version: i64,
    pub accepted_at: DateTime<Utc>,
    /// Who accepted it: name (e-mail).
    pub accepted_by: String,
    /// `false` when the version had been accepted before (nothing changed).
    pub newly_accepted: bool,
}

/// Accepts the current customer agreement on its own, e.g. a new version the operator
/// published (Global admin only). Until the current version is accepted, purchases and
/// provisioning for the organisation are refused with `agreement_not_accepted`.
/// Accepting a version already accepted changes nothing.
#[utoipa::path(post, path = "/api/v1/agreements/current/accept", tag = "agreements",
    security(("bearer" = [])),
    request_body = AcceptAgreementIn,
    responses((status = 200, body = AgreementAcceptanceOut), (status = 403, body = Problem),
              (status = 409, body = Problem)))]
async fn accept_current_agreement(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ClientAddr(addr): ClientAddr,
    ApiJson(input): ApiJson<AcceptAgreementIn>,
) -> ApiResult<Json<AgreementAcceptanceOut>> {
    let a = s
        .accord
        .global_admin_desk(&p)?
        .accept_current_agreement(input.accept_agreement, &addr)
        .await?;
    Ok(Json(AgreementAcceptanceOut {
        version: a.version,
        accepted_at: a.accepted_at,
        accepted_by: a.accepted_by,
        newly_accepted: a.newly_accepted,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AgreementOut {
    pub version: i64,
    pub title: String,
    pub body: String,
    pub published_at: DateTime<Utc>,
}

impl From<Agreement> for AgreementOut {
    fn from(a: Agreement) -> Self {
        Self {
            version: a.version,
            title: a.title,
            body: a.body,
            published_at: a.published_at,
        }
    }
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
