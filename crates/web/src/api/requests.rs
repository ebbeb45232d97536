//! The partner's relationship requests (SPEC F2).

use super::common::Json;
use accord_domain::{
    AdminAsk, DirectoryRole, DomainError, InvalidReason, PartnerType, RequestId, RequestStatus,
};
use accord_service::{NewRequest, RequestCreated, RequestItem};
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::common::{mailto, page_type, PageQuery};
use super::extract::{whole_u32, ApiJson, ApiPath, ApiQuery};
use super::ApiResult;
use crate::auth::ApiUser;
use crate::error::Problem;
use crate::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_request, list_requests))
        .routes(routes!(revoke_request))
}

/// A language Accord writes in.
#[derive(Clone, Copy, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum EmailLanguage {
    En,
    Ko,
}

impl From<EmailLanguage> for accord_domain::Locale {
    fn from(l: EmailLanguage) -> Self {
        match l {
            EmailLanguage::En => accord_domain::Locale::En,
            EmailLanguage::Ko => accord_domain::Locale::Ko,
        }
    }
}

/// A new relationship request. Without `admin_roles`, `include_admin_privileges: true`
/// asks for the legacy full grant (Global admin, no end date); with `admin_roles` and
/// `duration_days` it asks for a granular, time-bound grant.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRequestIn {
    /// Include delegated admin privileges. `false` is refused for partners in the `usgov`
    /// and `germany` clouds. `true` adds `delegated_admin` to `types` (the seed's
    /// "Reseller & delegated admin").
    pub include_admin_privileges: bool,
    /// The partner types asked for (default `["reseller"]`), among those the operator lets
    /// this partner offer (else 403 `partner_type_not_offered`). `delegated_admin` and
    /// `admin` need `include_admin_privileges: true`; `admin` without `admin_roles` asks
    /// for Helpdesk admin for 730 days, renewed.
    #[serde(default)]
    pub types: Option<Vec<PartnerType>>,
    /// Whom the draft e-mail is addressed to.
    #[serde(default)]
    pub customer_email: Option<String>,
    /// The language of the draft e-mail; by default the request's (`Accept-Language`).
    #[serde(default)]
    pub email_language: Option<EmailLanguage>,
    /// Granular, time-bound grant: the directory roles asked for.
    #[serde(default)]
    pub admin_roles: Option<Vec<DirectoryRole>>,
    /// Granular grant duration, 1 to 730 days.
    #[serde(default, deserialize_with = "whole_u32")]
    #[schema(value_type = Option<u32>)]
    pub duration_days: Option<u32>,
    /// Renew the granular grant by 180 days at its end (not with `global_admin`).
    #[serde(default)]
    pub auto_extend: Option<bool>,
    /// The lead this request answers (from `GET /api/v1/leads`): the lead is marked
    /// `contacted` and linked to the request, and to the customer once it accepts.
    #[serde(default)]
    pub lead_id: Option<Uuid>,
}

impl NewRequestIn {
    fn types(&self) -> Result<Vec<PartnerType>, DomainError> {
        let types = self
            .types
            .clone()
            .unwrap_or_else(|| vec![PartnerType::Reseller]);
        let admin_type = types
            .iter()
            .any(|t| matches!(t, PartnerType::DelegatedAdmin | PartnerType::Admin));
        if admin_type && !self.include_admin_privileges {
            return Err(DomainError::invalid(
                "types",
                InvalidReason::TypesNeedAdminPrivileges,
            ));
        }
        Ok(types)
    }

    fn ask(&self) -> Result<AdminAsk, DomainError> {
        // The admin type alone asks for its own, helpdesk-level grant.
        let admin_only = self.types.as_ref().is_some_and(|t| {
            t.contains(&PartnerType::Admin) && !t.contains(&PartnerType::DelegatedAdmin)
        });
        let granular_only =
            || DomainError::invalid("duration_days", InvalidReason::DurationNeedsRoles);
        match (self.include_admin_privileges, &self.admin_roles) {
            (false, Some(_)) => Err(DomainError::invalid(
                "admin_roles",
                InvalidReason::RolesNeedAdminPrivileges,
            )),
            (_, None) if self.duration_days.is_some() || self.auto_extend.is_some() => {
                Err(granular_only())
            }
            (false, None) => Ok(AdminAsk::None),
            (true, None) if admin_only => Ok(AdminAsk::None),
            (true, None) => Ok(AdminAsk::Legacy),
            (true, Some(roles)) => Ok(AdminAsk::Granular {
                roles: roles.clone(),
                duration_days: self.duration_days.ok_or_else(|| {
                    DomainError::invalid("duration_days", InvalidReason::DurationRequired)
                })?,
                auto_extend: self.auto_extend.unwrap_or(false),
            }),
        }
    }

    fn customer_email(&self) -> Result<Option<String>, DomainError> {
        match &self.customer_email {
            Some(e) if e.trim().is_empty() => Err(DomainError::invalid(
                "customer_email",
                InvalidReason::CustomerEmailBlank,
            )),
            other => Ok(other.clone()),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EmailOut {
    pub subject: String,
    pub body: String,
    /// A `mailto:` link that opens the draft in the default e-mail application.
    pub mailto: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RequestOut {
    pub id: Uuid,
    pub status: RequestStatus,
    pub types: Vec<PartnerType>,
    pub include_admin_privileges: bool,
    pub admin_roles: Vec<DirectoryRole>,
    /// Granular grants only.
    pub duration_days: Option<u32>,
    pub auto_extend: bool,
    pub customer_email: Option<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// The customer that accepted or declined.
    pub customer_id: Option<Uuid>,
}

impl From<RequestItem> for RequestOut {
    fn from(r: RequestItem) -> Self {
        Self {
            id: r.id.0,
            status: r.status,
            types: r.types,
            include_admin_privileges: r.ask.includes_admin(),
            admin_roles: r.ask.roles(),
            duration_days: r.ask.duration_days(),
            auto_extend: matches!(
                r.ask,
                AdminAsk::Granular {
                    auto_extend: true,
                    ..
                }
            ),
            customer_email: r.customer_email,
            created_at: r.created_at,
            expires_at: r.expires_at,
            resolved_at: r.resolved_at,
            customer_id: r.customer_id.map(|c| c.0),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RequestCreatedOut {
    #[serde(flatten)]
    pub request: RequestOut,
    /// The custom link for the customer; its last path segment is the token.
    pub link: String,
    pub email: EmailOut,
}

impl From<RequestCreated> for RequestCreatedOut {
    fn from(c: RequestCreated) -> Self {
        Self {
            email: EmailOut {
                mailto: mailto(c.email.to.as_deref(), &c.email.subject, &c.email.body),
                subject: c.email.subject,
                body: c.email.body,
            },
            link: c.link,
            request: RequestOut::from(c.request),
        }
    }
}

page_type!(RequestPage, RequestOut);

/// Requests a reseller relationship (SPEC F2). The answer carries the custom link (whose
/// last path segment is the single-use token, shown only here) and the draft e-mail.
#[utoipa::path(post, path = "/api/v1/relationship-requests", tag = "relationship requests",
    security(("bearer" = [])), request_body = NewRequestIn,
    responses((status = 201, body = RequestCreatedOut), (status = 403, body = Problem),
              (status = 404, body = Problem, description = "`lead_id` names no lead of this partner")))]
async fn create_request(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(input): ApiJson<NewRequestIn>,
) -> ApiResult<(StatusCode, Json<RequestCreatedOut>)> {
    let desk = s.accord.partner_desk(&p)?;
    let ask = input.ask()?;
    let created = desk
        .create_request(NewRequest {
            types: input.types()?,
            ask,
            customer_email: input.customer_email()?,
            email_locale: input
                .email_language
                .map(Into::into)
                .unwrap_or_else(crate::i18n::current),
            lead_id: input.lead_id,
        })
        .await?;
    Ok((StatusCode::CREATED, Json(RequestCreatedOut::from(created))))
}

/// The partner's relationship requests, newest first.
#[utoipa::path(get, path = "/api/v1/relationship-requests", tag = "relationship requests",
    security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = RequestPage), (status = 403, body = Problem)))]
async fn list_requests(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<RequestPage>> {
    let page = s.accord.partner_desk(&p)?.list_requests(&q.page()).await?;
    Ok(Json(RequestPage::of(page, RequestOut::from)))
}

/// Revokes a pending request; its link stops working at once.
#[utoipa::path(post, path = "/api/v1/relationship-requests/{id}/revoke", tag = "relationship requests",
    security(("bearer" = [])), params(("id" = Uuid, Path, description = "Request id")),
    responses((status = 200, body = RequestOut), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem)))]
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
