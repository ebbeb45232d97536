//! The customer agreement.

use super::common::Json;
use accord_domain::DomainError;
use accord_service::Agreement;
use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ApiResult;
use crate::error::Problem;
use crate::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(current_agreement))
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
