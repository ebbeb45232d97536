//! The operator console (`/operator`, operator role only): the provider's tenants and what
//! each partner may offer, the customer agreement, each cloud's customer portal, the
//! country → region table, the product catalogue and the service-request queue. Every
//! change goes through the operator's desk, which audits it with the operator's name.

use accord_domain::{
    Billing, Cloud, DomainError, PartnerType, ServiceRequestId, ServiceRequestStatus, TenantId,
};
use accord_service::{Error, OperatorDesk, PageRequest, ProductInput};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::routes::{Policy, Table};
use super::views::{self, Chrome, FormError, ProductOption};
use super::{check_csrf, page, require, Form, NoticeQuery, Path, Query, UiError, UiResult};
use crate::api::id_or_404;
use crate::api::mailto_encode;
use crate::auth::{MaybeSession, SessionUser};
use crate::error::status_of;
use crate::AppState;

pub(super) fn table() -> Table {
    use Policy::*;
    Table::default()
        .get("/operator", Operator, home)
        .get("/operator/tenants", Operator, tenants)
        .get("/operator/tenants/{id}", Operator, tenant)
        .post(
            "/operator/tenants/{id}/offered-types",
            Operator,
            set_offered_types,
        )
        .get("/operator/agreements", Operator, agreements)
        .post("/operator/agreements", Operator, publish)
        .get("/operator/clouds", Operator, clouds)
        .post("/operator/clouds/{cloud}", Operator, set_cloud)
        .get("/operator/regions", Operator, regions)
        .post("/operator/regions", Operator, set_region)
        .get("/operator/products", Operator, products)
        .post("/operator/products", Operator, put_product)
        .get("/operator/support", Operator, queue)
        .get("/operator/support/{customer}/{id}", Operator, request)
        .post(
            "/operator/support/{customer}/{id}",
            Operator,
            update_request,
        )
}

/// The signed-in operator and its desk, or the sign-in redirect / 403.
fn operator<'a>(
    s: &'a AppState,
    session: MaybeSession,
    here: &str,
) -> Result<(SessionUser, OperatorDesk<'a>), UiError> {
    let u = require(session, here)?;
    let desk = s.accord.operator_desk(&u.principal)?;
    Ok((u, desk))
}

/// The message a change's redirect names (`?notice=`), if it is one of ours.
fn notice(key: Option<&str>) -> Option<String> {
    const KNOWN: &[&str] = &[
        "types",
        "published",
        "cloud",
        "region",
        "product",
        "updated",
    ];
    key.filter(|k| KNOWN.contains(k))
        .map(|k| crate::i18n::t(&format!("op-notice-{k}")))
}

fn done(to: &str, what: &str) -> UiResult {
    let sep = if to.contains('?') { '&' } else { '?' };
    Ok(Redirect::to(&format!("{to}{sep}notice={what}")).into_response())
}

/// An operator event in the activity table.
pub struct ActivityRow {
    pub when: String,
    pub what: String,
    pub subject: String,
    pub by: String,
}

#[derive(Template)]
#[template(path = "operator_home.html")]
pub struct HomePage {
    pub chrome: Chrome,
    pub activity: Vec<ActivityRow>,
}

async fn home(State(s): State<AppState>, session: MaybeSession) -> UiResult {
    let (u, desk) = operator(&s, session, "/operator")?;
    let activity = desk
        .activity(50)
        .await?
        .into_iter()
        .map(|e| {
            let id = format!("op-event-{}", e.action.replace('.', "-"));
            ActivityRow {
                when: views::datetime(e.at),
                what: if accord_i18n::has(crate::i18n::current(), &id) {
                    crate::i18n::t(&id)
                } else {
                    e.action.clone()
                },
                subject: e.subject,
                by: e
                    .operator
                    .unwrap_or_else(|| crate::i18n::t("history-operator")),
            }
        })
        .collect();
    Ok(page(
        StatusCode::OK,
        HomePage {
            chrome: Chrome::of(Some(&u)),
            activity,
        },
    ))
}

pub struct TenantRow {
    pub href: String,
    pub name: String,
    pub domain: String,
    pub kind: String,
    pub location: String,
}

#[derive(Template)]
#[template(path = "operator_tenants.html")]
pub struct TenantsPage {
    pub chrome: Chrome,
    pub q: String,
    pub kinds: Vec<ProductOption>,
    pub rows: Vec<TenantRow>,
    pub next_href: Option<String>,
}

#[derive(Deserialize)]
struct TenantsQuery {
    q: Option<String>,
    kind: Option<String>,
    cursor: Option<String>,
}

fn kind_label(is_partner: bool) -> String {
    crate::i18n::t(if is_partner {
        "op-kind-partner"
    } else {
        "op-kind-customer"
    })
}

fn location(country: &str, cloud: Cloud) -> String {
    format!(
        "{}, {}",
        views::name("country", country),
        views::name("cloud", cloud.as_str())
    )
}

async fn tenants(
    State(s): State<AppState>,
    session: MaybeSession,
    Query(q): Query<TenantsQuery>,
) -> UiResult {
    let (u, desk) = operator(&s, session, "/operator/tenants")?;
    let kind = q.kind.clone().unwrap_or_default();
    let partner = match kind.as_str() {
        "partner" => Some(true),
        "customer" => Some(false),
        _ => None,
    };
    let list = desk
        .tenants(
            q.q.as_deref(),
            partner,
            &PageRequest {
                cursor: q.cursor,
                limit: Some(50),
            },
        )
        .await?;
    let text = q.q.clone().unwrap_or_default();
    Ok(page(
        StatusCode::OK,
        TenantsPage {
            chrome: Chrome::of(Some(&u)),
            next_href: list.next_cursor.map(|c| {
                format!(
                    "/operator/tenants?q={}&kind={}&cursor={c}",
                    mailto_encode(&text),
                    mailto_encode(&kind)
                )
            }),
            kinds: [
                ("", "op-kind-all"),
                ("partner", "op-kind-partners"),
                ("customer", "op-kind-customers"),
            ]
            .iter()
            .map(|(v, key)| ProductOption {
                sku: (*v).into(),
                label: crate::i18n::t(key),
                selected: kind == *v,
            })
            .collect(),
            rows: list
                .items
                .into_iter()
                .map(|t| TenantRow {
                    href: format!("/operator/tenants/{}", t.id),
                    kind: kind_label(t.is_partner),
                    location: location(t.country.as_str(), t.cloud),
                    name: t.name,
                    domain: t.domain,
                })
                .collect(),
            q: text,
        },
    ))
}

pub struct TypeCheck {
    pub code: String,
    pub label: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "operator_tenant.html")]
pub struct TenantPage {
    pub chrome: Chrome,
    pub id: String,
    pub name: String,
    pub domain: String,
    pub kind: String,
    pub location: String,
    pub since: String,
    pub is_partner: bool,
    pub offered: String,
    pub types: Vec<TypeCheck>,
    pub notice: Option<String>,
    pub error: FormError,
}

async fn tenant_page(
    u: &SessionUser,
    desk: &OperatorDesk<'_>,
    id: TenantId,
    notice: Option<String>,
    error: Option<&DomainError>,
) -> UiResult {
    let t = desk.tenant(id).await?;
    let o = &t.organisation;
    Ok(page(
        error.map_or(StatusCode::OK, status_of),
        TenantPage {
            chrome: Chrome::of(Some(u)),
            id: o.id.to_string(),
            name: o.name.clone(),
            domain: o.domain.clone(),
            kind: kind_label(o.is_partner),
            location: location(o.country.as_str(), o.cloud),
            since: views::date(o.created_at),
            is_partner: o.is_partner,
            offered: if t.offered_types_set {
                views::types_text(&t.offered_types)
            } else {
                crate::i18n::ta(
                    "op-offered-default",
                    &[("types", &views::types_text(&t.offered_types))],
                )
            },
            types: PartnerType::ALL
                .iter()
                .map(|p| TypeCheck {
                    code: p.as_str().into(),
                    label: views::name("type", p.as_str()),
                    checked: t.offered_types.contains(p),
                })
                .collect(),
            notice,
            error: FormError::new(error, ""),
        },
    ))
}

async fn tenant(
    State(s): State<AppState>,
    session: MaybeSession,
    Path(id): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> UiResult {
    let (u, desk) = operator(
        &s,
        session,
        &format!("/operator/tenants/{}", mailto_encode(&id)),
    )?;
    tenant_page(
        &u,
        &desk,
        id_or_404(&id, "organisation")?,
        notice(q.notice.as_deref()),
        None,
    )
    .await
}

async fn set_offered_types(
    State(s): State<AppState>,
    session: MaybeSession,
    Path(id): Path<String>,
    Form(f): Form<Vec<(String, String)>>,
) -> UiResult {
    let (u, desk) = operator(&s, session, "/operator/tenants")?;
    check_csrf(&u, field(&f, "csrf"))?;
    let id = id_or_404(&id, "organisation")?;
    let t = desk.tenant(id).await?;
    let types: Vec<PartnerType> = f
        .iter()
        .filter(|(k, _)| k == "type")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    match desk.set_offered_types(&t.organisation.domain, &types).await {
        Ok(_) => done(&format!("/operator/tenants/{id}"), "types"),
        Err(Error::Rule(e)) if status_of(&e) == StatusCode::UNPROCESSABLE_ENTITY => {
            tenant_page(&u, &desk, id, None, Some(&e)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The value of a form field sent once (an empty string when absent).
fn field<'f>(f: &'f [(String, String)], name: &str) -> &'f str {
    f.iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

#[derive(Template)]
#[template(path = "operator_agreements.html")]
pub struct AgreementsPage {
    pub chrome: Chrome,
    pub current: String,
    pub notice: Option<String>,
    pub error: FormError,
    pub title: String,
    pub body: String,
}

#[derive(Deserialize, Default)]
struct AgreementFields {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    confirm: Option<String>,
}

async fn agreements_page(
    s: &AppState,
    u: &SessionUser,
    notice: Option<String>,
    f: AgreementFields,
    error: Option<&DomainError>,
) -> UiResult {
    let current = match s.accord.current_agreement().await? {
        Some(a) => crate::i18n::ta(
            "op-agreement-current",
            &[
                ("version", &a.version.to_string()),
                ("title", &a.title),
                ("date", &views::date(a.published_at)),
            ],
        ),
        None => crate::i18n::t("op-agreement-none"),
    };
    let field = match error {
        Some(DomainError::InvalidInput { field, .. }) if field == "title" => "title",
        Some(DomainError::InvalidInput { field, .. }) if field == "body" => "body",
        Some(DomainError::InvalidInput { field, .. }) if field == "confirm" => "confirm",
        _ => "",
    };
    Ok(page(
        error.map_or(StatusCode::OK, status_of),
        AgreementsPage {
            chrome: Chrome::of(Some(u)),
            current,
            notice,
            error: FormError::new(error, field),
            title: f.title,
            body: f.body,
        },
    ))
}

async fn agreements(
    State(s): State<AppState>,
    session: MaybeSession,
    Query(q): Query<NoticeQuery>,
) -> UiResult {
    let (u, _) = operator(&s, session, "/operator/agreements")?;
    agreements_page(
        &s,
        &u,
        notice(q.notice.as_deref()),
        AgreementFields::default(),
        None,
    )
    .await
}

async fn publish(
    State(s): State<AppState>,
    session: MaybeSession,
    Form(f): Form<AgreementFields>,
) -> UiResult {
    let (u, desk) = operator(&s, session, "/operator/agreements")?;
    check_csrf(&u, &f.csrf)?;
    let r = if f.confirm.is_none() {
        Err(Error::Rule(DomainError::invalid(
            "confirm",
            accord_domain::InvalidReason::Required,
        )))
    } else {
        desk.publish_agreement(&f.title, &f.body).await.map(|_| ())
    };
    match r {
        Ok(()) => done("/operator/agreements", "published"),
        Err(Error::Rule(e)) if status_of(&e) == StatusCode::UNPROCESSABLE_ENTITY => {
            agreements_page(&s, &u, None, f, Some(&e)).await
        }
        Err(e) => Err(e.into()),
    }
}

pub struct CloudRow {
    pub code: String,
    pub label: String,
    pub portal_name: String,
    pub base_url: String,
    pub source: String,
}

#[derive(Template)]
#[template(path = "operator_clouds.html")]
pub struct CloudsPage {
    pub chrome: Chrome,
    pub clouds: Vec<CloudRow>,
    pub public_url: String,
    pub notice: Option<String>,
    pub error: FormError,
    /// The cloud whose form the error belongs to.
    pub error_cloud: String,
}

async fn clouds_page(
    s: &AppState,
    u: &SessionUser,
    desk: &OperatorDesk<'_>,
    notice: Option<String>,
    error: Option<(&str, &DomainError)>,
) -> UiResult {
    let clouds = desk
        .clouds()
        .await?
        .into_iter()
        .map(|c| CloudRow {
            code: c.cloud.as_str().into(),
            label: views::name("cloud", c.cloud.as_str()),
            portal_name: c.portal_name,
            base_url: c.base_url,
            source: crate::i18n::t(if c.set_by_operator {
                "op-cloud-set"
            } else {
                "op-cloud-config"
            }),
        })
        .collect();
    Ok(page(
        error.map_or(StatusCode::OK, |(_, e)| status_of(e)),
        CloudsPage {
            chrome: Chrome::of(Some(u)),
            clouds,
            public_url: s.accord.config().public_url.clone(),
            notice,
            error: FormError::new(error.map(|(_, e)| e), ""),
            error_cloud: error.map(|(c, _)| c.to_string()).unwrap_or_default(),
        },
    ))
}

async fn clouds(
    State(s): State<AppState>,
    session: MaybeSession,
    Query(q): Query<NoticeQuery>,
) -> UiResult {
    let (u, desk) = operator(&s, session, "/operator/clouds")?;
    clouds_page(&s, &u, &desk, notice(q.notice.as_deref()), None).await
}

#[derive(Deserialize)]
struct CloudFields {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    portal_name: String,
    #[serde(default)]
    base_url: String,
}

async fn set_cloud(
    State(s): State<AppState>,
    session: MaybeSession,
    Path(cloud): Path<String>,
    Form(f): Form<CloudFields>,
) -> UiResult {
    let (u, desk) = operator(&s, session, "/operator/clouds")?;
    check_csrf(&u, &f.csrf)?;
    let cloud: Cloud = cloud
        .parse()
        .map_err(|_| UiError::Rule(DomainError::NotFound { what: "cloud" }))?;
    match desk
        .set_cloud_portal(cloud, &f.portal_name, &f.base_url)
        .await
    {
        Ok(_) => done("/operator/clouds", "cloud"),
        Err(Error::Rule(e)) if status_of(&e) == StatusCode::UNPROCESSABLE_ENTITY => {
            clouds_page(&s, &u, &desk, None, Some((cloud.as_str(), &e))).await
        }
        Err(e) => Err(e.into()),
    }
}

pub struct RegionRow {
    pub country: String,
    pub name: String,
    pub region: String,
}

#[derive(Template)]
#[template(path = "operator_regions.html")]
pub struct RegionsPage {
    pub chrome: Chrome,
    pub rows: Vec<RegionRow>,
    pub notice: Option<String>,
    pub error: FormError,
    pub country: String,
    pub region: String,
}

#[derive(Deserialize, Default)]
struct RegionFields {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    region: String,
}

async fn regions_page(
    u: &SessionUser,
    desk: &OperatorDesk<'_>,
    notice: Option<String>,
    f: RegionFields,
    error: Option<&DomainError>,
) -> UiResult {
    let field = match error {
        Some(DomainError::InvalidInput { field, .. }) if field == "region" => "region",
        Some(DomainError::InvalidInput { .. }) => "country",
        _ => "",
    };
    Ok(page(
        error.map_or(StatusCode::OK, status_of),
        RegionsPage {
            chrome: Chrome::of(Some(u)),
            rows: desk
                .regions()
                .await?
                .into_iter()
                .map(|(c, r)| RegionRow {
                    name: views::name("country", &c),
                    region: views::name("region", &r),
                    country: c,
                })
                .collect(),
            notice,
            error: FormError::new(error, field),
            country: f.country,
            region: f.region,
        },
    ))
}

async fn regions(
    State(s): State<AppState>,
    session: MaybeSession,
    Query(q): Query<NoticeQuery>,
) -> UiResult {
    let (u, desk) = operator(&s, session, "/operator/regions")?;
    regions_page(
        &u,
        &desk,
        notice(q.notice.as_deref()),
        RegionFields::default(),
        None,
    )
    .await
}

async fn set_region(
    State(s): State<AppState>,
    session: MaybeSession,
    Form(f): Form<RegionFields>,
) -> UiResult {
    let (u, desk) = operator(&s, session, "/operator/regions")?;
    check_csrf(&u, &f.csrf)?;
    match desk.set_region(&f.country, &f.region).await {
        Ok(()) => done("/operator/regions", "region"),
        Err(Error::Rule(e)) if status_of(&e) == StatusCode::UNPROCESSABLE_ENTITY => {
            regions_page(&u, &desk, None, f, Some(&e)).await
        }
        Err(e) => Err(e.into()),
    }
}

pub struct ProductRow {
    pub sku: String,
    pub name: String,
    pub billing: String,
    pub max: u32,
    pub clouds: String,
    pub status: String,
}

#[derive(Template)]
#[template(path = "operator_products.html")]
pub struct ProductsPage {
    pub chrome: Chrome,
    pub rows: Vec<ProductRow>,
    pub notice: Option<String>,
    pub error: FormError,
    pub sku: String,
    pub name: String,
    pub max: String,
    pub billings: Vec<ProductOption>,
    pub clouds: Vec<TypeCheck>,
    pub retired: bool,
}

#[derive(Deserialize)]
struct ProductsQuery {
    notice: Option<String>,
    edit: Option<String>,
}

/// The product form's values, as typed.
#[derive(Default)]
struct ProductForm {
    sku: String,
    name: String,
    billing: String,
    max: String,
    clouds: Vec<String>,
    retired: bool,
}

async fn products_page(
    u: &SessionUser,
    desk: &OperatorDesk<'_>,
    notice: Option<String>,
    f: ProductForm,
    error: Option<&DomainError>,
) -> UiResult {
    let field = match error {
        Some(DomainError::InvalidInput { field, .. }) => match field.as_str() {
            "sku" => "sku",
            "name" => "name",
            "max_quantity" | "quantity" => "max",
            "clouds" => "clouds",
            _ => "",
        },
        _ => "",
    };
    let rows = desk
        .products()
        .await?
        .into_iter()
        .map(|p| ProductRow {
            billing: views::name("billing", p.billing.as_str()),
            clouds: p
                .clouds
                .iter()
                .map(|c| views::name("cloud", c.as_str()))
                .collect::<Vec<_>>()
                .join(", "),
            status: crate::i18n::t(if p.retired {
                "op-product-retired"
            } else {
                "op-product-sold"
            }),
            sku: p.sku,
            name: p.name,
            max: p.max_quantity,
        })
        .collect();
    Ok(page(
        error.map_or(StatusCode::OK, status_of),
        ProductsPage {
            chrome: Chrome::of(Some(u)),
            rows,
            notice,
            error: FormError::new(error, field),
            billings: Billing::ALL
                .iter()
                .map(|b| ProductOption {
                    sku: b.as_str().into(),
                    label: views::name("billing", b.as_str()),
                    selected: f.billing == b.as_str(),
                })
                .collect(),
            clouds: Cloud::ALL
                .iter()
                .map(|c| TypeCheck {
                    code: c.as_str().into(),
                    label: views::name("cloud", c.as_str()),
                    checked: f.clouds.iter().any(|x| x == c.as_str()),
                })
                .collect(),
            sku: f.sku,
            name: f.name,
            max: f.max,
            retired: f.retired,
        },
    ))
}

async fn products(
    State(s): State<AppState>,
    session: MaybeSession,
    Query(q): Query<ProductsQuery>,
) -> UiResult {
    let (u, desk) = operator(&s, session, "/operator/products")?;
    let form = match q.edit.as_deref() {
        Some(sku) => desk
            .products()
            .await?
            .into_iter()
            .find(|p| p.sku == sku)
            .map(|p| ProductForm {
                sku: p.sku,
                name: p.name,
                billing: p.billing.as_str().into(),
                max: p.max_quantity.to_string(),
                clouds: p.clouds.iter().map(|c| c.as_str().to_string()).collect(),
                retired: p.retired,
            })
            .unwrap_or_default(),
        None => ProductForm {
            billing: Billing::PerSeat.as_str().into(),
            max: "300".into(),
            clouds: vec![Cloud::Public.as_str().into()],
            ..ProductForm::default()
        },
    };
    products_page(&u, &desk, notice(q.notice.as_deref()), form, None).await
}

async fn put_product(
    State(s): State<AppState>,
    session: MaybeSession,
    Form(f): Form<Vec<(String, String)>>,
) -> UiResult {
    let (u, desk) = operator(&s, session, "/operator/products")?;
    check_csrf(&u, field(&f, "csrf"))?;
    let form = ProductForm {
        sku: field(&f, "sku").into(),
        name: field(&f, "name").into(),
        billing: field(&f, "billing").into(),
        max: field(&f, "max").into(),
        clouds: f
            .iter()
            .filter(|(k, _)| k == "cloud")
            .map(|(_, v)| v.clone())
            .collect(),
        retired: !field(&f, "retired").is_empty(),
    };
    let input = (|| -> Result<ProductInput, DomainError> {
        Ok(ProductInput {
            sku: form.sku.clone(),
            name: form.name.clone(),
            billing: form.billing.parse()?,
            max_quantity: form.max.trim().parse().map_err(|_| {
                DomainError::invalid(
                    "max_quantity",
                    accord_domain::InvalidReason::Quantity {
                        max: accord_domain::MAX_SEATS,
                    },
                )
            })?,
            clouds: form
                .clouds
                .iter()
                .map(|c| c.parse())
                .collect::<Result<_, _>>()?,
            retired: form.retired,
        })
    })();
    let r = match input {
        Ok(i) => desk.put_product(&i).await.map(|_| ()),
        Err(e) => Err(Error::Rule(e)),
    };
    match r {
        Ok(()) => done("/operator/products", "product"),
        Err(Error::Rule(e)) if status_of(&e) == StatusCode::UNPROCESSABLE_ENTITY => {
            products_page(&u, &desk, None, form, Some(&e)).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "operator_queue.html")]
pub struct QueuePage {
    pub chrome: Chrome,
    pub statuses: Vec<ProductOption>,
    pub requests: Vec<views::SrRow>,
    pub next_href: Option<String>,
}

#[derive(Deserialize)]
struct QueueQuery {
    status: Option<String>,
    cursor: Option<String>,
}

async fn queue(
    State(s): State<AppState>,
    session: MaybeSession,
    Query(q): Query<QueueQuery>,
) -> UiResult {
    let (u, desk) = operator(&s, session, "/operator/support")?;
    let wanted = q.status.clone().unwrap_or_default();
    let status: Option<ServiceRequestStatus> = if wanted.is_empty() {
        None
    } else {
        Some(wanted.parse()?)
    };
    let list = desk
        .service_request_queue(
            status,
            &PageRequest {
                cursor: q.cursor,
                limit: Some(50),
            },
        )
        .await?;
    let mut statuses = vec![ProductOption {
        sku: String::new(),
        label: crate::i18n::t("op-kind-all"),
        selected: wanted.is_empty(),
    }];
    statuses.extend(ServiceRequestStatus::ALL.iter().map(|st| ProductOption {
        sku: st.as_str().into(),
        label: views::name("sr-status", st.as_str()),
        selected: wanted == st.as_str(),
    }));
    Ok(page(
        StatusCode::OK,
        QueuePage {
            chrome: Chrome::of(Some(&u)),
            statuses,
            requests: list
                .items
                .iter()
                .map(|r| {
                    views::SrRow::of(r, format!("/operator/support/{}/{}", r.customer_id, r.id))
                })
                .collect(),
            next_href: list
                .next_cursor
                .map(|c| format!("/operator/support?status={wanted}&cursor={c}")),
        },
    ))
}

fn request_ids(customer: &str, id: &str) -> Result<(TenantId, ServiceRequestId), UiError> {
    Ok((
        id_or_404(customer, "service_request")?,
        id_or_404(id, "service_request")?,
    ))
}

async fn request_page(
    u: &SessionUser,
    desk: &OperatorDesk<'_>,
    (customer, id): (TenantId, ServiceRequestId),
    notice: Option<String>,
    error: Option<&DomainError>,
) -> Result<Response, UiError> {
    let r = desk.service_request(customer, id).await?;
    let current = r.status;
    let mut view = views::ServiceRequestPage::of(
        Chrome::of(Some(u)),
        r,
        ("/operator/support".into(), crate::i18n::t("op-queue")),
        Some(format!("/operator/support/{customer}/{id}")),
    );
    view.statuses = ServiceRequestStatus::ALL
        .iter()
        .filter(|st| **st == current || current.may_become(**st))
        .map(|st| ProductOption {
            sku: st.as_str().into(),
            label: views::name("sr-status", st.as_str()),
            selected: *st == current,
        })
        .collect();
    view.notice = notice;
    let field = match error {
        Some(DomainError::InvalidInput { field, .. }) if field == "comment" => "comment",
        _ => "",
    };
    view.error = FormError::new(error, field);
    Ok(page(error.map_or(StatusCode::OK, status_of), view))
}

async fn request(
    State(s): State<AppState>,
    session: MaybeSession,
    Path((customer, id)): Path<(String, String)>,
    Query(q): Query<NoticeQuery>,
) -> UiResult {
    let (u, desk) = operator(&s, session, "/operator/support")?;
    request_page(
        &u,
        &desk,
        request_ids(&customer, &id)?,
        notice(q.notice.as_deref()),
        None,
    )
    .await
}

#[derive(Deserialize)]
struct UpdateFields {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    body: String,
}

async fn update_request(
    State(s): State<AppState>,
    session: MaybeSession,
    Path((customer, id)): Path<(String, String)>,
    Form(f): Form<UpdateFields>,
) -> UiResult {
    let (u, desk) = operator(&s, session, "/operator/support")?;
    check_csrf(&u, &f.csrf)?;
    let ids = request_ids(&customer, &id)?;
    // The form sends the status it shows; the queue ignores a status left as it was.
    let status: Option<ServiceRequestStatus> = if f.status.is_empty() {
        None
    } else {
        Some(f.status.parse()?)
    };
    match desk
        .update_service_request(ids.0, ids.1, status, Some(&f.body))
        .await
    {
        Ok(_) => done(&format!("/operator/support/{}/{}", ids.0, ids.1), "updated"),
        Err(Error::Rule(e))
            if matches!(
                status_of(&e),
                StatusCode::UNPROCESSABLE_ENTITY | StatusCode::CONFLICT
            ) =>
        {
            request_page(&u, &desk, ids, None, Some(&e)).await
        }
        Err(e) => Err(e.into()),
    }
}
