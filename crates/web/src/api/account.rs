//! The caller: `/me` and the caller's own access tokens.

use super::common::Json;
use accord_domain::DomainError;
use accord_service::{AccessToken, Principal};
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::extract::ApiPath;
use super::ApiResult;
use crate::auth::ApiUser;
use crate::error::Problem;
use crate::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(me))
        .routes(routes!(list_tokens))
        .routes(routes!(revoke_token))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeOut {
    pub user_id: Uuid,
    pub email: String,
    pub name: String,
    pub roles: Vec<String>,
    pub tenant_id: Uuid,
    pub tenant_name: String,
    pub is_partner: bool,
    pub cloud: accord_domain::Cloud,
    pub country: String,
}

impl From<&Principal> for MeOut {
    fn from(p: &Principal) -> Self {
        Self {
            user_id: p.user_id.0,
            email: p.email.clone(),
            name: p.display_name.clone(),
            roles: p.roles.iter().map(|r| r.as_str().to_string()).collect(),
            tenant_id: p.tenant.id.0,
            tenant_name: p.tenant.name.clone(),
            is_partner: p.tenant.is_partner,
            cloud: p.tenant.cloud,
            country: p.tenant.country.to_string(),
        }
    }
}

/// A personal access token, without its secret.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenOut {
    pub id: Uuid,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
}

impl From<AccessToken> for TokenOut {
    fn from(t: AccessToken) -> Self {
        Self {
            id: t.id,
            name: t.name,
            created_at: t.created_at,
            expires_at: t.expires_at,
        }
    }
}

/// Who the token belongs to.
#[utoipa::path(get, path = "/api/v1/me", tag = "account", security(("bearer" = [])),
    responses((status = 200, body = MeOut)))]
async fn me(ApiUser(p): ApiUser) -> Json<MeOut> {
    Json(MeOut::from(&*p))
}

/// The caller's personal access tokens (ids, names and dates; never the secrets).
#[utoipa::path(get, path = "/api/v1/tokens", tag = "account", security(("bearer" = [])),
    responses((status = 200, body = Vec<TokenOut>)))]
async fn list_tokens(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
) -> ApiResult<Json<Vec<TokenOut>>> {
    let tokens = s.accord.own_api_tokens(&p).await?;
    Ok(Json(tokens.into_iter().map(TokenOut::from).collect()))
}

/// Revokes one of the caller's tokens (the one in use included): refused by this node
/// from the next request and by every other node within one second.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "account", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Token id")),
    responses((status = 204, description = "Revoked"), (status = 404, body = Problem)))]
async fn revoke_token(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<StatusCode> {
    let id: Uuid = id.parse().map_err(|_| DomainError::NotFound {
        what: "access token",
    })?;
    s.accord.revoke_own_api_token(&p, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
