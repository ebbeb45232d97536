//! The partner directory (SPEC F1): a partner's public profile, the public search over
//! published profiles, and leads (visitors' "Contact selected providers" requests and the
//! partner's inbox).

use accord_domain::{
    Cloud, CountryCode, DomainError, Industry, InvalidReason, Language, LeadInput, LeadStatus,
    OrgSize, PartnerProfile, PartnerType, Service, TenantId,
};
use accord_service::search::{DirectoryPage, DirectoryQuery, FacetCount};
use accord_service::LeadRecord;
use accord_service::ProfileView;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::common::{id_or_404, page_type, Json, PageQuery};
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::requests::EmailLanguage;
use super::ApiResult;
use crate::auth::{ApiUser, ClientAddr};
use crate::error::Problem;
use crate::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_profile, put_profile))
        .routes(routes!(search_partners))
        .routes(routes!(public_profile))
        .routes(routes!(send_lead, list_leads))
        .routes(routes!(get_lead, update_lead))
}

/// Most results per page of the directory.
pub const DIRECTORY_MAX_LIMIT: usize = 50;
/// The default page size of the directory.
pub const DIRECTORY_LIMIT: usize = 20;
/// How deep the directory pages (refine the search to see beyond).
pub const MAX_OFFSET: usize = 1000;

/// A partner's public profile as its editor sends it. Text may be Korean, English or both.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileIn {
    /// The name shown in the directory. Not blank.
    #[schema(
        min_length = 1,
        max_length = 120,
        pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x1f\\x7f-\\x9f][^\\x00-\\x1f\\x7f-\\x9f]*$"
    )]
    pub name: String,
    /// What the partner does (line breaks kept).
    #[serde(default)]
    #[schema(
        max_length = 4000,
        pattern = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$"
    )]
    pub description: String,
    /// ISO 3166-1 alpha-2.
    #[schema(pattern = "^ *[A-Za-z]{2} *$")]
    pub country: String,
    /// Not blank.
    #[schema(
        min_length = 1,
        max_length = 80,
        pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x1f\\x7f-\\x9f][^\\x00-\\x1f\\x7f-\\x9f]*$"
    )]
    pub city: String,
    /// Organisation sizes served. A published profile needs at least one.
    #[serde(default)]
    #[schema(max_items = 5)]
    pub org_sizes: Vec<OrgSize>,
    /// Services offered. A published profile needs at least one.
    #[serde(default)]
    #[schema(max_items = 14)]
    pub services: Vec<Service>,
    /// Free keywords (each not blank, at most 40 characters; one named twice counts once).
    #[serde(default)]
    #[schema(max_items = 20)]
    pub keywords: Vec<String>,
    #[serde(default)]
    #[schema(max_items = 12)]
    pub industries: Vec<Industry>,
    /// Relationship types offered: among those the operator lets this partner offer
    /// (else 403 `partner_type_not_offered`).
    #[serde(default)]
    #[schema(max_items = 7)]
    pub relationship_types: Vec<PartnerType>,
    /// Where leads are announced.
    #[schema(
        min_length = 3,
        max_length = 254,
        pattern = "^ *[^\\s@\\x00-\\x1f\\x7f-\\x9f]+@[^\\s@.\\x00-\\x1f\\x7f-\\x9f]+(\\.[^\\s@.\\x00-\\x1f\\x7f-\\x9f]+)+ *$"
    )]
    pub contact_email: String,
    /// Languages the partner's staff speak. A published profile needs at least one.
    #[serde(default)]
    #[schema(max_items = 16)]
    pub languages: Vec<Language>,
    /// Listed in the directory.
    #[serde(default)]
    pub published: bool,
}

impl ProfileIn {
    fn into_profile(self) -> Result<PartnerProfile, DomainError> {
        // The lists' bounds as the schema states them (a value named twice counts twice).
        for (field, len, max) in [
            ("org_sizes", self.org_sizes.len(), 5),
            ("services", self.services.len(), 14),
            ("industries", self.industries.len(), 12),
            ("relationship_types", self.relationship_types.len(), 7),
            ("languages", self.languages.len(), 16),
            ("keywords", self.keywords.len(), 20),
        ] {
            if len > max {
                return Err(DomainError::invalid(
                    field,
                    InvalidReason::TooManyItems { max },
                ));
            }
        }
        Ok(PartnerProfile {
            name: self.name,
            description: self.description,
            country: CountryCode::parse(&self.country)?,
            city: self.city,
            org_sizes: self.org_sizes,
            services: self.services,
            keywords: self.keywords,
            industries: self.industries,
            types: self.relationship_types,
            contact_email: self.contact_email,
            languages: self.languages,
            published: self.published,
        })
    }
}

/// A partner's profile as its editor sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileOut {
    pub name: String,
    pub description: String,
    pub country: String,
    pub city: String,
    pub org_sizes: Vec<OrgSize>,
    pub services: Vec<Service>,
    pub keywords: Vec<String>,
    pub industries: Vec<Industry>,
    pub relationship_types: Vec<PartnerType>,
    pub contact_email: String,
    pub languages: Vec<Language>,
    pub published: bool,
    /// The relationship types this partner may offer.
    pub offered_types: Vec<PartnerType>,
    /// When it was last saved; `null` for a draft prefilled from the organisation.
    pub updated_at: Option<DateTime<Utc>>,
}

impl From<ProfileView> for ProfileOut {
    fn from(v: ProfileView) -> Self {
        let p = v.profile;
        Self {
            name: p.name,
            description: p.description,
            country: p.country.to_string(),
            city: p.city,
            org_sizes: p.org_sizes,
            services: p.services,
            keywords: p.keywords,
            industries: p.industries,
            relationship_types: p.types,
            contact_email: p.contact_email,
            languages: p.languages,
            published: p.published,
            offered_types: v.offered,
            updated_at: v.updated_at,
        }
    }
}

/// The caller's organisation's public profile (a draft prefilled from the organisation
/// until it is first saved). Any partner user.
#[utoipa::path(get, path = "/api/v1/partner-profile", tag = "partner directory",
    security(("bearer" = [])),
    responses((status = 200, body = ProfileOut), (status = 403, body = Problem)))]
async fn get_profile(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
) -> ApiResult<Json<ProfileOut>> {
    Ok(Json(s.accord.partner_desk(&p)?.profile().await?.into()))
}

/// Replaces the profile whole (partner admins). Publishing lists it in the directory,
/// unpublishing removes it, within a second on every node.
#[utoipa::path(put, path = "/api/v1/partner-profile", tag = "partner directory",
    security(("bearer" = [])), request_body = ProfileIn,
    responses((status = 200, body = ProfileOut), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn put_profile(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(input): ApiJson<ProfileIn>,
) -> ApiResult<Json<ProfileOut>> {
    let desk = s.accord.partner_desk(&p)?;
    desk.may_edit_profile()?;
    let saved = desk.save_profile(input.into_profile()?).await?;
    Ok(Json(saved.into()))
}

/// The directory's query string. Filters may repeat (`service=security&service=ai`):
/// values of one filter are alternatives, different filters all apply.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // describes the wire; the query is read by `directory_query`
pub struct DirectoryParams {
    /// Words to find in names, descriptions, keywords, services and cities: every word
    /// must match (typos and the start of the last word too); Korean matches any part
    /// of a word. When no partner matches every word, partners matching any are shown
    /// (`relaxed`).
    #[param(
        max_length = 200,
        pattern = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$"
    )]
    q: Option<String>,
    /// The visitor's cloud (default `public`): only its partners are listed.
    cloud: Option<Cloud>,
    /// ISO 3166-1 alpha-2 codes.
    #[param(max_items = 20)]
    country: Option<Vec<String>>,
    #[param(max_items = 20)]
    city: Option<Vec<String>>,
    #[param(max_items = 5)]
    org_size: Option<Vec<OrgSize>>,
    /// Relationship types offered.
    #[param(max_items = 7)]
    r#type: Option<Vec<PartnerType>>,
    #[param(max_items = 14)]
    service: Option<Vec<Service>>,
    #[param(max_items = 12)]
    industry: Option<Vec<Industry>>,
    #[param(max_items = 16)]
    language: Option<Vec<Language>>,
    /// The `next_cursor` of the previous page.
    #[param(max_length = 1024)]
    cursor: Option<String>,
    #[param(minimum = 1, maximum = 50, default = 20)]
    limit: Option<u32>,
}

/// The opaque cursor of the directory page starting at `offset`.
pub fn cursor_of(offset: usize) -> String {
    URL_SAFE_NO_PAD.encode(format!("o\n{offset}"))
}

fn offset_of(cursor: &str) -> Result<usize, DomainError> {
    if cursor.is_empty() {
        return Ok(0);
    }
    let raw = URL_SAFE_NO_PAD
        .decode(cursor.as_bytes())
        .map_err(|_| DomainError::InvalidCursor)?;
    let s = String::from_utf8(raw).map_err(|_| DomainError::InvalidCursor)?;
    s.strip_prefix("o\n")
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|n| *n <= MAX_OFFSET)
        .ok_or(DomainError::InvalidCursor)
}

fn parse_list<T: std::str::FromStr<Err = DomainError>>(
    out: &mut Vec<T>,
    value: &str,
    max: usize,
    field: &str,
) -> Result<(), DomainError> {
    if out.len() >= max {
        return Err(DomainError::invalid(
            field,
            InvalidReason::TooManyItems { max },
        ));
    }
    let v = value.parse::<T>()?;
    out.push(v);
    Ok(())
}

/// Reads the directory's query string (shared by the API and the `/partners` page):
/// repeated keys are alternatives; unknown keys are ignored; empty values mean "any".
pub fn directory_query(raw: Option<&str>) -> Result<DirectoryQuery, DomainError> {
    let mut q = DirectoryQuery::new(Cloud::Public);
    q.limit = DIRECTORY_LIMIT;
    for (k, v) in url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        accord_domain::check_text(&k, &v, 10_000)?;
        let v = v.trim();
        if v.is_empty() {
            continue;
        }
        match k.as_ref() {
            "q" => {
                accord_domain::check_text("q", v, 200)?;
                q.text = v.to_string();
            }
            "cloud" => q.cloud = v.parse()?,
            "country" => parse_list(&mut q.countries, v, 20, "country")?,
            "city" => {
                if q.cities.len() >= 20 {
                    return Err(DomainError::invalid(
                        "city",
                        InvalidReason::TooManyItems { max: 20 },
                    ));
                }
                accord_domain::check_text("city", v, 80)?;
                q.cities.push(v.to_string());
            }
            "org_size" => parse_list(&mut q.org_sizes, v, 5, "org_size")?,
            "type" => parse_list(&mut q.types, v, 7, "type")?,
            "service" => parse_list(&mut q.services, v, 14, "service")?,
            "industry" => parse_list(&mut q.industries, v, 12, "industry")?,
            "language" => parse_list(&mut q.languages, v, 16, "language")?,
            "cursor" => q.offset = offset_of(v)?,
            "limit" => {
                q.limit = v
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=DIRECTORY_MAX_LIMIT).contains(n))
                    .ok_or_else(|| {
                        DomainError::invalid(
                            "limit",
                            InvalidReason::Limit {
                                max: DIRECTORY_MAX_LIMIT as u32,
                            },
                        )
                    })?
            }
            _ => {}
        }
    }
    Ok(q)
}

/// One partner in the directory's results.
#[derive(Debug, Serialize, ToSchema)]
pub struct PartnerHitOut {
    pub partner_id: Uuid,
    pub name: String,
    pub city: String,
    pub country: String,
    /// The start of its description.
    pub summary: String,
    pub org_sizes: Vec<String>,
    pub services: Vec<String>,
    pub relationship_types: Vec<String>,
    pub industries: Vec<String>,
    pub languages: Vec<String>,
}

/// How many results have one value of a filter.
#[derive(Debug, Serialize, ToSchema)]
pub struct FacetOut {
    pub value: String,
    pub count: u64,
}

fn facets(v: Vec<FacetCount>) -> Vec<FacetOut> {
    v.into_iter()
        .map(|f| FacetOut {
            value: f.value,
            count: f.count,
        })
        .collect()
}

/// Counts per value of each filter, over the results of the query and filters given
/// (most frequent first; the 20 most frequent cities).
#[derive(Debug, Serialize, ToSchema)]
pub struct FacetsOut {
    pub country: Vec<FacetOut>,
    pub city: Vec<FacetOut>,
    pub org_size: Vec<FacetOut>,
    #[serde(rename = "type")]
    pub types: Vec<FacetOut>,
    pub service: Vec<FacetOut>,
    pub industry: Vec<FacetOut>,
    pub language: Vec<FacetOut>,
}

/// One page of the directory.
#[derive(Debug, Serialize, ToSchema)]
pub struct DirectoryPageOut {
    pub items: Vec<PartnerHitOut>,
    /// How many partners match.
    pub total: u64,
    pub facets: FacetsOut,
    /// No partner matched every word: these match some of them.
    pub relaxed: bool,
    /// Pass as `cursor` to get the next page; `null` on the last page (at most 1,000
    /// results are paged through: refine the search to see others).
    pub next_cursor: Option<String>,
}

impl From<DirectoryPage> for DirectoryPageOut {
    fn from(p: DirectoryPage) -> Self {
        Self {
            items: p
                .hits
                .into_iter()
                .map(|h| PartnerHitOut {
                    partner_id: h.partner_id,
                    name: h.name,
                    city: h.city,
                    country: h.country,
                    summary: h.summary,
                    org_sizes: h.org_sizes,
                    services: h.services,
                    relationship_types: h.types,
                    industries: h.industries,
                    languages: h.languages,
                })
                .collect(),
            total: p.total,
            facets: FacetsOut {
                country: facets(p.facets.country),
                city: facets(p.facets.city),
                org_size: facets(p.facets.org_size),
                types: facets(p.facets.types),
                service: facets(p.facets.service),
                industry: facets(p.facets.industry),
                language: facets(p.facets.language),
            },
            relaxed: p.relaxed,
            next_cursor: p.next_offset.map(cursor_of),
        }
    }
}

/// Searches the published profiles of partners in one cloud (no sign-in): ranked by
/// relevance, with facet counts beside each filter.
#[utoipa::path(get, path = "/api/v1/directory/partners", tag = "partner directory",
    params(DirectoryParams),
    responses((status = 200, body = DirectoryPageOut)))]
async fn search_partners(
    State(s): State<AppState>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<DirectoryPageOut>> {
    let q = directory_query(raw.as_deref())?;
    Ok(Json(s.accord.search_partners(&q).await?.into()))
}

/// A partner's published profile, as visitors see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicProfileOut {
    pub partner_id: Uuid,
    pub cloud: Cloud,
    pub name: String,
    pub description: String,
    pub country: String,
    pub city: String,
    pub org_sizes: Vec<OrgSize>,
    pub services: Vec<Service>,
    pub keywords: Vec<String>,
    pub industries: Vec<Industry>,
    pub relationship_types: Vec<PartnerType>,
    pub languages: Vec<Language>,
}

/// One published profile (no sign-in); 404 when the partner has none or unpublished it.
#[utoipa::path(get, path = "/api/v1/directory/partners/{partner_id}", tag = "partner directory",
    params(("partner_id" = Uuid, Path, description = "Partner organisation id")),
    responses((status = 200, body = PublicProfileOut), (status = 404, body = Problem)))]
async fn public_profile(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<PublicProfileOut>> {
    let l = s.accord.listed_partner(id_or_404(&id, "partner")?).await?;
    let p = l.profile;
    Ok(Json(PublicProfileOut {
        partner_id: l.partner_id.0,
        cloud: l.cloud,
        name: p.name,
        description: p.description,
        country: p.country.to_string(),
        city: p.city,
        org_sizes: p.org_sizes,
        services: p.services,
        keywords: p.keywords,
        industries: p.industries,
        relationship_types: p.types,
        languages: p.languages,
    }))
}

/// "Contact selected providers": what the visitor tells the partners.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeadIn {
    /// The partners to contact (published profiles; 1 to 10, each once).
    #[schema(min_items = 1, max_items = 10)]
    pub partner_ids: Vec<Uuid>,
    /// Not blank.
    #[schema(
        min_length = 1,
        max_length = 120,
        pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x1f\\x7f-\\x9f][^\\x00-\\x1f\\x7f-\\x9f]*$"
    )]
    pub name: String,
    #[schema(
        min_length = 3,
        max_length = 254,
        pattern = "^ *[^\\s@\\x00-\\x1f\\x7f-\\x9f]+@[^\\s@.\\x00-\\x1f\\x7f-\\x9f]+(\\.[^\\s@.\\x00-\\x1f\\x7f-\\x9f]+)+ *$"
    )]
    pub email: String,
    /// Digits, spaces and `+-().`, with at least one digit; may be left out.
    #[serde(default)]
    #[schema(max_length = 32, pattern = "^ *$|^[0-9 +().-]*[0-9][0-9 +().-]*$")]
    pub phone: String,
    /// Not blank.
    #[schema(
        min_length = 1,
        max_length = 160,
        pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x1f\\x7f-\\x9f][^\\x00-\\x1f\\x7f-\\x9f]*$"
    )]
    pub organisation: String,
    pub org_size: OrgSize,
    /// ISO 3166-1 alpha-2.
    #[schema(pattern = "^ *[A-Za-z]{2} *$")]
    pub country: String,
    /// The business need. Not blank.
    #[schema(
        min_length = 1,
        max_length = 4000,
        pattern = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f][^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$"
    )]
    pub message: String,
    /// The language to answer in; by default the request's (`Accept-Language`).
    #[serde(default)]
    pub language: Option<EmailLanguage>,
}

/// One lead sent.
#[derive(Debug, Serialize, ToSchema)]
pub struct LeadSentOut {
    pub lead_id: Uuid,
    pub partner_id: Uuid,
}

/// The leads sent, one per partner.
#[derive(Debug, Serialize, ToSchema)]
pub struct LeadsSentOut {
    pub items: Vec<LeadSentOut>,
}

/// Sends a lead to each partner named (no sign-in). At most 10 submissions per client
/// address and 5 per e-mail address an hour (429 `too_many_leads` with `Retry-After`);
/// every partner must have a published profile (404).
#[utoipa::path(post, path = "/api/v1/leads", tag = "partner directory",
    request_body = LeadIn,
    responses((status = 201, body = LeadsSentOut), (status = 404, body = Problem),
              (status = 422, body = Problem), (status = 429, body = Problem)))]
async fn send_lead(
    State(s): State<AppState>,
    ClientAddr(client): ClientAddr,
    ApiJson(input): ApiJson<LeadIn>,
) -> ApiResult<(StatusCode, Json<LeadsSentOut>)> {
    let partners: Vec<TenantId> = input.partner_ids.iter().map(|id| TenantId(*id)).collect();
    let lead = LeadInput {
        name: input.name,
        email: input.email,
        phone: input.phone,
        organisation: input.organisation,
        org_size: input.org_size,
        country: CountryCode::parse(&input.country)?,
        message: input.message,
    };
    let locale = input
        .language
        .map(Into::into)
        .unwrap_or_else(crate::i18n::current);
    let sent = s
        .accord
        .submit_lead(&partners, lead, locale, &client)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(LeadsSentOut {
            items: sent
                .into_iter()
                .map(|l| LeadSentOut {
                    lead_id: l.id,
                    partner_id: l.partner_id.0,
                })
                .collect(),
        }),
    ))
}

/// A lead in the partner's inbox.
#[derive(Debug, Serialize, ToSchema)]
pub struct LeadOut {
    pub lead_id: Uuid,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub organisation: String,
    pub org_size: OrgSize,
    pub country: String,
    pub message: String,
    /// The language the visitor wrote in (`en`, `ko`).
    pub language: String,
    pub status: LeadStatus,
    /// The relationship request sent in reply.
    pub request_id: Option<Uuid>,
    /// The customer organisation that accepted that request.
    pub customer_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<LeadRecord> for LeadOut {
    fn from(l: LeadRecord) -> Self {
        Self {
            lead_id: l.id,
            name: l.name,
            email: l.email,
            phone: l.phone,
            organisation: l.organisation,
            org_size: l.org_size,
            country: l.country.to_string(),
            message: l.message,
            language: l.locale.as_str().to_string(),
            status: l.status,
            request_id: l.request_id.map(|r| r.0),
            customer_id: l.customer_id.map(|c| c.0),
            created_at: l.created_at,
            updated_at: l.updated_at,
        }
    }
}

page_type!(LeadPage, LeadOut);

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LeadQuery {
    /// Only leads with this status.
    pub status: Option<LeadStatus>,
    /// The `next_cursor` of the previous page.
    #[param(max_length = 1024)]
    pub cursor: Option<String>,
    #[param(minimum = 1, maximum = 200, default = 50)]
    pub limit: Option<u32>,
}

/// The partner's leads, newest first (partner admins, admin agents and sales agents).
#[utoipa::path(get, path = "/api/v1/leads", tag = "partner directory",
    security(("bearer" = [])), params(LeadQuery),
    responses((status = 200, body = LeadPage), (status = 403, body = Problem)))]
async fn list_leads(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<LeadQuery>,
) -> ApiResult<Json<LeadPage>> {
    let page = PageQuery {
        cursor: q.cursor,
        limit: q.limit,
    }
    .page();
    let leads = s.accord.partner_desk(&p)?.leads(q.status, &page).await?;
    Ok(Json(LeadPage::of(leads, LeadOut::from)))
}

/// One of the partner's leads.
#[utoipa::path(get, path = "/api/v1/leads/{lead_id}", tag = "partner directory",
    security(("bearer" = [])), params(("lead_id" = Uuid, Path, description = "Lead id")),
    responses((status = 200, body = LeadOut), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn get_lead(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<LeadOut>> {
    let desk = s.accord.partner_desk(&p)?;
    Ok(Json(desk.lead(id_or_404(&id, "lead")?).await?.into()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeadChangeIn {
    pub status: LeadStatus,
}

/// Moves a lead to another status (`contacted`, `closed`, or back to `new`). Replying
/// with a relationship request (`lead_id` on `POST /api/v1/relationship-requests`) marks
/// it `contacted` by itself.
#[utoipa::path(patch, path = "/api/v1/leads/{lead_id}", tag = "partner directory",
    security(("bearer" = [])), params(("lead_id" = Uuid, Path, description = "Lead id")),
    request_body = LeadChangeIn,
    responses((status = 200, body = LeadOut), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn update_lead(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(input): ApiJson<LeadChangeIn>,
) -> ApiResult<Json<LeadOut>> {
    let desk = s.accord.partner_desk(&p)?;
    let lead = desk
        .set_lead_status(id_or_404(&id, "lead")?, input.status)
        .await?;
    Ok(Json(lead.into()))
}
