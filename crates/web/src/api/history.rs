//! The audit trail: every lifecycle event, as each organisation may see it (SPEC §3).

use accord_domain::TenantId;
use accord_service::AuditEvent;
use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::common::{page_type, Json, PageQuery};
use super::extract::ApiQuery;
use super::ApiResult;
use crate::auth::ApiUser;
use crate::error::Problem;
use crate::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_events))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventQuery {
    /// The `next_cursor` of the previous page.
    #[param(max_length = 1024)]
    pub cursor: Option<String>,
    /// Page size.
    #[param(minimum = 1, maximum = 200, default = 50)]
    pub limit: Option<u32>,
    /// Keep the events of the relationship with this organisation (a customer on the
    /// partner's side, a partner on the customer's).
    pub counterpart_id: Option<Uuid>,
}

/// One event of the trail.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEventOut {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    /// What happened, such as `relationship.created` or `subscription.cancelled`.
    pub action: String,
    /// `user`, `local_operator` (the operator's command line) or `system`.
    pub actor_kind: String,
    /// The user who acted: "Name (e-mail)".
    pub actor: Option<String>,
    /// The organisation of the user who acted.
    pub actor_organisation: Option<String>,
    /// The other organisation of the event, if any.
    pub counterpart_id: Option<Uuid>,
    pub counterpart_name: Option<String>,
    pub subject_type: String,
    pub subject_id: String,
    /// The id of the HTTP request or CLI command that made the change.
    pub request_id: Option<String>,
    /// What changed, by action.
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}

impl From<AuditEvent> for AuditEventOut {
    fn from(e: AuditEvent) -> Self {
        Self {
            id: e.id,
            at: e.at,
            action: e.action,
            actor_kind: e.actor_kind,
            actor: e.actor,
            actor_organisation: e.actor_organisation,
            counterpart_id: e.counterpart_id.map(|t| t.0),
            counterpart_name: e.counterpart_name,
            subject_type: e.subject_type,
            subject_id: e.subject_id,
            request_id: e.request_id,
            details: e.details,
        }
    }
}

page_type!(AuditEventPage, AuditEventOut);

/// The organisation's history, newest first: Global admins and partner admins read all of
/// it; any partner user reads the history of one relationship (`counterpart_id`).
#[utoipa::path(get, path = "/api/v1/audit-events", tag = "history",
    security(("bearer" = [])), params(EventQuery),
    responses((status = 200, body = AuditEventPage), (status = 403, body = Problem)))]
async fn list_events(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<EventQuery>,
) -> ApiResult<Json<AuditEventPage>> {
    let page = PageQuery {
        cursor: q.cursor,
        limit: q.limit,
    };
    let counterpart = q.counterpart_id.map(TenantId);
    let events = s.accord.audit_events(&p, counterpart, &page.page()).await?;
    Ok(Json(AuditEventPage::of(events, AuditEventOut::from)))
}
