//! The partner directory in the portals (SPEC F1): the public search at `/partners`, a
//! partner's public page, "Contact selected providers" and its confirmation; and in
//! Partner Center the profile editor and the Leads inbox, whose "Reply with a
//! relationship request" opens the request form prefilled from the lead.

use accord_domain::{
    Cloud, CountryCode, DomainError, Industry, Language, LeadInput, LeadStatus, OrgSize,
    PartnerProfile, PartnerType, Service, TenantId,
};
use accord_service::search::{DirectoryPage, FacetCount};
use accord_service::{Error, LeadRecord, ListedProfile, PageRequest};
use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};

use super::routes::{Policy, Table};
use super::views::{self, Chrome, FormError};
use super::{check_csrf, page, pre_csrf, require, Form, Path, UiResult};
use crate::api::{directory_query, id_or_404};
use crate::auth::{same_secret, ClientAddr, MaybeSession, PreCsrf};
use crate::error::status_of;
use crate::AppState;

pub(super) fn table() -> Table {
    use Policy::*;
    Table::default()
        .get("/partners", Public, search)
        .get("/partners/contact", Public, contact_form)
        .post("/partners/contact", Public, contact)
        .get("/partners/contact/sent", Public, sent)
        .get("/partners/{id}", Public, profile_page)
        .get("/partner/profile", PartnerUser, edit_profile)
        .post("/partner/profile", PartnerUser, save_profile)
        .get("/partner/leads", PartnerUser, leads)
        .get("/partner/leads/{id}", PartnerUser, lead)
        .post("/partner/leads/{id}/status", PartnerUser, lead_status)
}

fn locale() -> accord_domain::Locale {
    crate::i18n::current()
}

fn size_name(code: &str) -> String {
    match code.parse::<OrgSize>() {
        Ok(o) => views::name("size", o.slug()),
        Err(_) => code.to_string(),
    }
}

fn names(kind: &str, codes: &[String]) -> String {
    codes
        .iter()
        .map(|c| match kind {
            "size" => size_name(c),
            "country" => accord_i18n::country(locale(), c),
            _ => views::name(kind, c),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// One value of a filter, with its count.
pub struct FacetBox {
    pub value: String,
    pub label: String,
    pub count: u64,
    pub checked: bool,
}

/// One filter: its query key, legend and values.
pub struct FacetGroup {
    pub key: &'static str,
    pub legend: String,
    pub boxes: Vec<FacetBox>,
}

pub struct HitRow {
    pub id: String,
    pub name: String,
    pub place: String,
    pub summary: String,
    pub services: String,
    pub sizes: String,
    pub languages: String,
}

pub struct CloudOption {
    pub code: &'static str,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "directory_search.html")]
pub struct SearchPage {
    pub chrome: Chrome,
    pub q: String,
    pub clouds: Vec<CloudOption>,
    pub groups: Vec<FacetGroup>,
    pub hits: Vec<HitRow>,
    pub total: String,
    pub relaxed: bool,
    pub next_href: Option<String>,
    pub error: Option<String>,
}

fn group(
    key: &'static str,
    legend: &str,
    counts: Vec<FacetCount>,
    chosen: &[String],
    label: impl Fn(&str) -> String,
) -> FacetGroup {
    let mut boxes: Vec<FacetBox> = counts
        .into_iter()
        .map(|f| FacetBox {
            checked: chosen.iter().any(|c| c.eq_ignore_ascii_case(&f.value)),
            label: label(&f.value),
            value: f.value,
            count: f.count,
        })
        .collect();
    // A chosen value with no result stays visible, so that it can be unticked.
    for c in chosen {
        if !boxes.iter().any(|b| b.value.eq_ignore_ascii_case(c)) {
            boxes.push(FacetBox {
                value: c.clone(),
                label: label(c),
                count: 0,
                checked: true,
            });
        }
    }
    FacetGroup {
        key,
        legend: crate::i18n::t(legend),
        boxes,
    }
}

fn strs<T: ToString>(v: &[T]) -> Vec<String> {
    v.iter().map(ToString::to_string).collect()
}

fn search_page(
    q: &accord_service::search::DirectoryQuery,
    raw: &str,
    result: Result<DirectoryPage, String>,
) -> SearchPage {
    let l = locale();
    let clouds = Cloud::ALL
        .iter()
        .map(|c| CloudOption {
            code: c.as_str(),
            label: views::name("cloud", c.as_str()),
            selected: *c == q.cloud,
        })
        .collect();
    let (page, error) = match result {
        Ok(p) => (Some(p), None),
        Err(e) => (None, Some(e)),
    };
    let mut groups = Vec::new();
    let mut hits = Vec::new();
    let mut total = String::new();
    let mut relaxed = false;
    let mut next_href = None;
    if let Some(p) = page {
        let f = p.facets;
        groups = vec![
            group(
                "country",
                "dir-country",
                f.country,
                &strs(&q.countries),
                |c| accord_i18n::country(l, c),
            ),
            group("city", "dir-city", f.city, &q.cities, |c| c.to_string()),
            group(
                "org_size",
                "dir-size",
                f.org_size,
                &strs(&q.org_sizes),
                size_name,
            ),
            group(
                "service",
                "dir-services",
                f.service,
                &strs(&q.services),
                |c| views::name("service", c),
            ),
            group(
                "industry",
                "dir-industries",
                f.industry,
                &strs(&q.industries),
                |c| views::name("industry", c),
            ),
            group("type", "dir-types", f.types, &strs(&q.types), |c| {
                views::name("type", c)
            }),
            group(
                "language",
                "dir-languages",
                f.language,
                &strs(&q.languages),
                |c| views::name("language", c),
            ),
        ];
        hits = p
            .hits
            .into_iter()
            .map(|h| HitRow {
                id: h.partner_id.to_string(),
                place: format!("{}, {}", h.city, accord_i18n::country(l, &h.country)),
                name: h.name,
                summary: h.summary,
                services: names("service", &h.services),
                sizes: names("size", &h.org_sizes),
                languages: names("language", &h.languages),
            })
            .collect();
        total = crate::i18n::ta("dir-total", &[("count", &p.total.to_string())]);
        relaxed = p.relaxed;
        next_href = p.next_offset.map(|o| {
            let mut kept: Vec<(String, String)> = url::form_urlencoded::parse(raw.as_bytes())
                .filter(|(k, _)| k != "cursor")
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            kept.push(("cursor".into(), crate::api::directory_cursor(o)));
            let qs: String = url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(kept)
                .finish();
            format!("/partners?{qs}")
        });
    }
    SearchPage {
        chrome: Chrome::anonymous(),
        q: q.text.clone(),
        clouds,
        groups,
        hits,
        total,
        relaxed,
        next_href,
        error,
    }
}

async fn search(State(s): State<AppState>, RawQuery(raw): RawQuery) -> UiResult {
    let raw = raw.unwrap_or_default();
    let q = match directory_query(Some(&raw)) {
        Ok(q) => q,
        Err(e) => {
            let fallback = accord_service::search::DirectoryQuery::new(Cloud::Public);
            let text = accord_i18n::error_detail(locale(), &e);
            return Ok(page(status_of(&e), search_page(&fallback, "", Err(text))));
        }
    };
    let result = s.accord.search_partners(&q).await?;
    Ok(page(StatusCode::OK, search_page(&q, &raw, Ok(result))))
}

#[derive(Template)]
#[template(path = "directory_profile.html")]
pub struct ProfilePage {
    pub chrome: Chrome,
    pub id: String,
    pub name: String,
    pub description: String,
    pub place: String,
    pub cloud: String,
    pub sizes: String,
    pub services: String,
    pub industries: String,
    pub types: String,
    pub languages: String,
    pub keywords: String,
}

async fn profile_page(State(s): State<AppState>, Path(id): Path<String>) -> UiResult {
    let l: ListedProfile = s.accord.listed_partner(id_or_404(&id, "partner")?).await?;
    let p = l.profile;
    Ok(page(
        StatusCode::OK,
        ProfilePage {
            chrome: Chrome::anonymous(),
            id: l.partner_id.to_string(),
            place: format!(
                "{}, {}",
                p.city,
                accord_i18n::country(locale(), p.country.as_str())
            ),
            cloud: views::name("cloud", l.cloud.as_str()),
            sizes: names("size", &strs(&p.org_sizes)),
            services: names("service", &strs(&p.services)),
            industries: names("industry", &strs(&p.industries)),
            types: accord_i18n::types(locale(), &p.types),
            languages: names("language", &strs(&p.languages)),
            keywords: p.keywords.join(", "),
            name: p.name,
            description: p.description,
        },
    ))
}

/// A selected partner on the contact form.
pub struct Chosen {
    pub id: String,
    pub name: String,
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "directory_contact.html")]
pub struct ContactPage {
    pub chrome: Chrome,
    pub csrf: String,
    pub partners: Vec<Chosen>,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub organisation: String,
    pub sizes: Vec<Choice>,
    pub countries: Vec<Choice>,
    pub message: String,
    pub error: FormError,
}

fn size_choices(chosen: &str) -> Vec<Choice> {
    OrgSize::ALL
        .iter()
        .map(|o| Choice {
            value: o.as_str().into(),
            label: views::name("size", o.slug()),
            selected: o.as_str() == chosen,
        })
        .collect()
}

fn country_choices(chosen: &str) -> Vec<Choice> {
    let mut v: Vec<Choice> = accord_i18n::country_codes()
        .into_iter()
        .map(|c| Choice {
            label: accord_i18n::country(locale(), &c),
            selected: c.eq_ignore_ascii_case(chosen),
            value: c,
        })
        .collect();
    v.sort_by(|a, b| a.label.cmp(&b.label));
    v
}

/// The published partners among `ids` (unknown and unlisted ones are left out).
async fn chosen(s: &AppState, ids: &[String]) -> Result<Vec<Chosen>, Error> {
    let mut out: Vec<Chosen> = Vec::new();
    for id in ids.iter().take(accord_domain::lead_limits::PARTNERS) {
        let Ok(t) = id.parse::<TenantId>() else {
            continue;
        };
        if out.iter().any(|c| c.id == t.to_string()) {
            continue;
        }
        match s.accord.listed_partner(t).await {
            Ok(l) => out.push(Chosen {
                id: l.partner_id.to_string(),
                name: l.profile.name,
            }),
            Err(Error::Rule(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

fn values_of(raw: &str, key: &str) -> Vec<String> {
    url::form_urlencoded::parse(raw.as_bytes())
        .filter(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
        .collect()
}

async fn contact_form(
    State(s): State<AppState>,
    pre: PreCsrf,
    RawQuery(raw): RawQuery,
) -> UiResult {
    let ids = values_of(raw.as_deref().unwrap_or_default(), "partner");
    let partners = chosen(&s, &ids).await?;
    let (csrf, headers) = pre_csrf(pre.0, s.secure_cookies);
    let viewer = crate::auth::viewer();
    let error = if partners.is_empty() {
        Some(DomainError::invalid(
            "partner_ids",
            accord_domain::InvalidReason::NoPartnersSelected,
        ))
    } else {
        None
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let mut res = page(
        status,
        ContactPage {
            chrome: Chrome::anonymous(),
            csrf,
            partners,
            name: viewer
                .as_ref()
                .map(|u| u.principal.display_name.clone())
                .unwrap_or_default(),
            email: viewer
                .as_ref()
                .map(|u| u.principal.email.clone())
                .unwrap_or_default(),
            phone: String::new(),
            organisation: viewer
                .as_ref()
                .map(|u| u.principal.tenant.name.clone())
                .unwrap_or_default(),
            sizes: size_choices(""),
            countries: country_choices(
                viewer
                    .as_ref()
                    .map(|u| u.principal.tenant.country.as_str())
                    .unwrap_or(""),
            ),
            message: String::new(),
            error: FormError::new(error.as_ref(), "partner_ids"),
        },
    );
    res.headers_mut().extend(headers);
    Ok(res)
}

fn field<'a>(pairs: &'a [(String, String)], key: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

async fn contact(
    State(s): State<AppState>,
    pre: PreCsrf,
    ClientAddr(client): ClientAddr,
    Form(pairs): Form<Vec<(String, String)>>,
) -> UiResult {
    let Some(expected) = pre.0 else {
        return Err(DomainError::CsrfFailed.into());
    };
    if !same_secret(&expected, field(&pairs, "csrf")) {
        return Err(DomainError::CsrfFailed.into());
    }
    let ids: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "partner")
        .map(|(_, v)| v.clone())
        .collect();
    let sent_href = {
        let qs: String = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(ids.iter().map(|i| ("partner", i.as_str())))
            .finish();
        format!("/partners/contact/sent?{qs}")
    };
    // The honeypot: a field people never see. Whoever fills it gets the confirmation,
    // and nothing is sent.
    if !field(&pairs, "website").is_empty() {
        tracing::info!(client = %client, "lead form honeypot filled; nothing sent");
        return Ok(Redirect::to(&sent_href).into_response());
    }
    let partners = chosen(&s, &ids).await?;
    let size = field(&pairs, "org_size").to_string();
    let country = field(&pairs, "country").to_string();
    let input = (|| -> Result<(Vec<TenantId>, LeadInput), DomainError> {
        let org_size = size.parse::<OrgSize>()?;
        let country = CountryCode::parse(&country)?;
        let ids = ids
            .iter()
            .filter_map(|i| i.parse::<TenantId>().ok())
            .collect::<Vec<_>>();
        Ok((
            ids,
            LeadInput {
                name: field(&pairs, "name").into(),
                email: field(&pairs, "email").into(),
                phone: field(&pairs, "phone").into(),
                organisation: field(&pairs, "organisation").into(),
                org_size,
                country,
                message: field(&pairs, "message").into(),
            },
        ))
    })();
    let result = match input {
        Ok((ids, lead)) => s
            .accord
            .submit_lead(&ids, lead, locale(), &client)
            .await
            .map(|_| ()),
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&sent_href).into_response()),
        Err(Error::Rule(e)) => {
            let at = match &e {
                DomainError::InvalidInput { field, .. } => form_field(field),
                _ => "",
            };
            Ok(page(
                status_of(&e),
                ContactPage {
                    chrome: Chrome::anonymous(),
                    csrf: expected,
                    partners,
                    name: field(&pairs, "name").into(),
                    email: field(&pairs, "email").into(),
                    phone: field(&pairs, "phone").into(),
                    organisation: field(&pairs, "organisation").into(),
                    sizes: size_choices(&size),
                    countries: country_choices(&country),
                    message: field(&pairs, "message").into(),
                    error: FormError::new(Some(&e), at),
                },
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// The contact form's field an error points at ("" for the form as a whole).
fn form_field(field: &str) -> &'static str {
    match field {
        "email" => "email",
        "phone" => "phone",
        "organisation" => "organisation",
        "org_size" => "org_size",
        "country" => "country",
        "message" => "message",
        "name" => "name",
        "partner_ids" => "partner_ids",
        _ => "",
    }
}

#[derive(Template)]
#[template(path = "directory_sent.html")]
pub struct SentPage {
    pub chrome: Chrome,
    pub partners: Vec<Chosen>,
}

async fn sent(State(s): State<AppState>, RawQuery(raw): RawQuery) -> UiResult {
    let ids = values_of(raw.as_deref().unwrap_or_default(), "partner");
    Ok(page(
        StatusCode::OK,
        SentPage {
            chrome: Chrome::anonymous(),
            partners: chosen(&s, &ids).await?,
        },
    ))
}

pub struct CheckBox {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

fn boxes<T: Copy + PartialEq + ToString>(
    all: &[T],
    chosen: &[T],
    label: impl Fn(T) -> String,
) -> Vec<CheckBox> {
    all.iter()
        .map(|v| CheckBox {
            value: v.to_string(),
            label: label(*v),
            checked: chosen.contains(v),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "partner_profile.html")]
pub struct EditProfilePage {
    pub chrome: Chrome,
    pub notice: Option<String>,
    pub may_edit: bool,
    pub name: String,
    pub description: String,
    pub countries: Vec<Choice>,
    pub city: String,
    pub sizes: Vec<CheckBox>,
    pub services: Vec<CheckBox>,
    pub keywords: String,
    pub industries: Vec<CheckBox>,
    pub types: Vec<CheckBox>,
    pub contact_email: String,
    pub languages: Vec<CheckBox>,
    pub published: bool,
    pub partner_id: String,
    pub error: FormError,
}

fn edit_page(
    u: &crate::auth::SessionUser,
    p: &PartnerProfile,
    keywords: String,
    offered: &[PartnerType],
    may_edit: bool,
    notice: Option<String>,
    error: Option<&DomainError>,
) -> EditProfilePage {
    let at = match error {
        Some(DomainError::InvalidInput { field, .. }) => match field.as_str() {
            "name" => "name",
            "city" => "city",
            "keywords" => "keywords",
            "contact_email" | "email" => "contact_email",
            "org_sizes" => "org_sizes",
            "services" => "services",
            "languages" => "languages",
            "description" => "description",
            "country" => "country",
            _ => "",
        },
        _ => "",
    };
    EditProfilePage {
        chrome: Chrome::of(Some(u)),
        notice,
        may_edit,
        name: p.name.clone(),
        description: p.description.clone(),
        countries: country_choices(p.country.as_str()),
        city: p.city.clone(),
        sizes: boxes(OrgSize::ALL, &p.org_sizes, |o| {
            views::name("size", o.slug())
        }),
        services: boxes(Service::ALL, &p.services, |s| {
            views::name("service", s.as_str())
        }),
        keywords,
        industries: boxes(Industry::ALL, &p.industries, |i| {
            views::name("industry", i.as_str())
        }),
        types: boxes(offered, &p.types, |t| views::name("type", t.as_str())),
        contact_email: p.contact_email.clone(),
        languages: boxes(Language::ALL, &p.languages, |l| {
            views::name("language", l.as_str())
        }),
        published: p.published,
        partner_id: u.principal.tenant.id.to_string(),
        error: FormError::new(error, at),
    }
}

async fn edit_profile(State(s): State<AppState>, session: MaybeSession) -> UiResult {
    let u = require(session, "/partner/profile")?;
    let desk = s.accord.partner_desk(&u.principal)?;
    let v = desk.profile().await?;
    let kw = v.profile.keywords.join(", ");
    let may = desk.may_edit_profile().is_ok();
    Ok(page(
        StatusCode::OK,
        edit_page(&u, &v.profile, kw, &v.offered, may, None, None),
    ))
}

fn picked<T: std::str::FromStr>(pairs: &[(String, String)], key: &str) -> Vec<T> {
    pairs
        .iter()
        .filter(|(k, _)| k == key)
        .filter_map(|(_, v)| v.parse().ok())
        .collect()
}

async fn save_profile(
    State(s): State<AppState>,
    session: MaybeSession,
    Form(pairs): Form<Vec<(String, String)>>,
) -> UiResult {
    let u = require(session, "/partner/profile")?;
    check_csrf(&u, field(&pairs, "csrf"))?;
    let desk = s.accord.partner_desk(&u.principal)?;
    desk.may_edit_profile()?;
    let keywords_text = field(&pairs, "keywords").to_string();
    let country = field(&pairs, "country");
    let profile = PartnerProfile {
        name: field(&pairs, "name").into(),
        description: field(&pairs, "description").into(),
        country: CountryCode::parse(country).unwrap_or_else(|_| u.principal.tenant.country.clone()),
        city: field(&pairs, "city").into(),
        org_sizes: picked(&pairs, "org_size"),
        services: picked(&pairs, "service"),
        keywords: keywords_text
            .split([',', '\n'])
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .map(str::to_string)
            .collect(),
        industries: picked(&pairs, "industry"),
        types: picked(&pairs, "type"),
        contact_email: field(&pairs, "contact_email").into(),
        languages: picked(&pairs, "language"),
        published: !field(&pairs, "published").is_empty(),
    };
    match desk.save_profile(profile.clone()).await {
        Ok(v) => {
            let notice = crate::i18n::t(if v.profile.published {
                "profile-saved-published"
            } else {
                "profile-saved-draft"
            });
            let kw = v.profile.keywords.join(", ");
            Ok(page(
                StatusCode::OK,
                edit_page(&u, &v.profile, kw, &v.offered, true, Some(notice), None),
            ))
        }
        Err(Error::Rule(e)) => {
            let offered = desk.offered_types().await?;
            Ok(page(
                status_of(&e),
                edit_page(&u, &profile, keywords_text, &offered, true, None, Some(&e)),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub struct LeadRow {
    pub id: String,
    pub received: String,
    pub organisation: String,
    pub name: String,
    pub email: String,
    pub size: String,
    pub country: String,
    pub status: String,
}

pub struct StatusTab {
    pub href: String,
    pub label: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "partner_leads.html")]
pub struct LeadsPage {
    pub chrome: Chrome,
    pub tabs: Vec<StatusTab>,
    pub rows: Vec<LeadRow>,
    pub next_href: Option<String>,
}

fn lead_row(l: LeadRecord) -> LeadRow {
    LeadRow {
        id: l.id.to_string(),
        received: accord_i18n::datetime(locale(), l.created_at),
        organisation: l.organisation,
        name: l.name,
        email: l.email,
        size: views::name("size", l.org_size.slug()),
        country: accord_i18n::country(locale(), l.country.as_str()),
        status: views::name("lead", l.status.as_str()),
    }
}

#[derive(serde::Deserialize)]
struct LeadsQuery {
    status: Option<String>,
    cursor: Option<String>,
}

async fn leads(
    State(s): State<AppState>,
    session: MaybeSession,
    super::Query(q): super::Query<LeadsQuery>,
) -> UiResult {
    let u = require(session, "/partner/leads")?;
    let desk = s.accord.partner_desk(&u.principal)?;
    let status: Option<LeadStatus> = match q.status.as_deref().filter(|s| !s.is_empty()) {
        Some(v) => Some(v.parse()?),
        None => None,
    };
    let counts = desk.lead_counts().await?;
    let all: u64 = counts.iter().map(|(_, n)| n).sum();
    let mut tabs = vec![StatusTab {
        href: "/partner/leads".into(),
        label: crate::i18n::ta("leads-all", &[("count", &all.to_string())]),
        current: status.is_none(),
    }];
    for st in LeadStatus::ALL {
        let n = counts.iter().find(|(s, _)| s == st).map_or(0, |(_, n)| *n);
        tabs.push(StatusTab {
            href: format!("/partner/leads?status={}", st.as_str()),
            label: format!("{} ({n})", views::name("lead", st.as_str())),
            current: status == Some(*st),
        });
    }
    let page_req = PageRequest {
        cursor: q.cursor.clone(),
        limit: Some(50),
    };
    let p = desk.leads(status, &page_req).await?;
    let next_href = p.next_cursor.map(|c| {
        let st = status.map(|s| s.as_str()).unwrap_or("");
        format!("/partner/leads?status={st}&cursor={c}")
    });
    Ok(page(
        StatusCode::OK,
        LeadsPage {
            chrome: Chrome::of(Some(&u)),
            tabs,
            rows: p.items.into_iter().map(lead_row).collect(),
            next_href,
        },
    ))
}

#[derive(Template)]
#[template(path = "partner_lead.html")]
pub struct LeadPage {
    pub chrome: Chrome,
    pub notice: Option<String>,
    pub row: LeadRow,
    pub phone: String,
    pub message: String,
    pub language: String,
    pub status_code: String,
    pub request_id: Option<String>,
    pub customer_id: Option<String>,
    pub can_request: bool,
}

async fn lead_page(
    s: &AppState,
    u: &crate::auth::SessionUser,
    id: uuid::Uuid,
    notice: Option<String>,
) -> UiResult {
    let desk = s.accord.partner_desk(&u.principal)?;
    let l = desk.lead(id).await?;
    Ok(page(
        StatusCode::OK,
        LeadPage {
            chrome: Chrome::of(Some(u)),
            notice,
            phone: l.phone.clone(),
            message: l.message.clone(),
            language: crate::i18n::t(&format!("lang-{}", l.locale.as_str())),
            status_code: l.status.as_str().into(),
            request_id: l.request_id.map(|r| r.to_string()),
            customer_id: l.customer_id.map(|c| c.to_string()),
            can_request: desk.may_request().is_ok(),
            row: lead_row(l),
        },
    ))
}

async fn lead(
    State(s): State<AppState>,
    session: MaybeSession,
    Path(id): Path<String>,
) -> UiResult {
    let u = require(session, &format!("/partner/leads/{id}"))?;
    lead_page(&s, &u, id_or_404(&id, "lead")?, None).await
}

#[derive(serde::Deserialize)]
struct StatusForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    status: String,
}

async fn lead_status(
    State(s): State<AppState>,
    session: MaybeSession,
    Path(id): Path<String>,
    Form(f): Form<StatusForm>,
) -> UiResult {
    let u = require(session, "/partner/leads")?;
    check_csrf(&u, &f.csrf)?;
    let desk = s.accord.partner_desk(&u.principal)?;
    desk.may_handle_leads()?;
    let id: uuid::Uuid = id_or_404(&id, "lead")?;
    let status: LeadStatus = f.status.parse()?;
    desk.set_lead_status(id, status).await?;
    let notice = crate::i18n::ta(
        "lead-status-changed",
        &[("status", &views::name("lead", status.as_str()))],
    );
    lead_page(&s, &u, id, Some(notice)).await
}

/// The lead a new request answers, for the request form: its id, address and language.
pub(super) async fn lead_for_request(
    s: &AppState,
    u: &crate::auth::SessionUser,
    id: &str,
) -> Result<LeadRecord, Error> {
    let id: uuid::Uuid = id_or_404(id, "lead")?;
    s.accord.partner_desk(&u.principal)?.lead(id).await
}
