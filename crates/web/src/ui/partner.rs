//! Partner Center: Customers, relationship requests and the draft e-mail (SPEC F2, F5).

use accord_domain::{AdminAsk, Cloud, DomainError, PartnerType, RequestId, RequestStatus};
use accord_service::{Error, NewRequest, PageRequest};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::routes::{Policy, Table};
use super::views::{
    self, Chrome, ConfirmPage, CustomerPage, CustomerRow, CustomersPage, DraftPage, NewRequestPage,
    RequestRow, RequestsPage, TypeOption,
};
use super::{check_csrf, page, require, Form, Path, Query, UiError, UiResult};
use crate::api::id_or_404;
use crate::api::{mailto, mailto_encode};
use crate::auth::MaybeSession;
use crate::error::status_of;
use crate::AppState;

pub(super) fn table() -> Table {
    use Policy::*;
    Table::default()
        .get("/partner", PartnerUser, home)
        .get("/partner/customers", PartnerUser, customers)
        .get("/partner/customers/{id}", PartnerUser, customer)
        .post(
            "/partner/customers/{id}/support-contact",
            PartnerUser,
            set_contact,
        )
        .post("/partner/customers/{id}/subscriptions", PartnerUser, buy)
        .post(
            "/partner/customers/{id}/subscriptions/{sid}/quantity",
            PartnerUser,
            change_quantity,
        )
        .get(
            "/partner/customers/{id}/subscriptions/{sid}/cancel",
            PartnerUser,
            cancel_confirm,
        )
        .post(
            "/partner/customers/{id}/subscriptions/{sid}/cancel",
            PartnerUser,
            cancel,
        )
        .get("/partner/customers/{id}/end", PartnerUser, end_confirm)
        .get(
            "/partner/customers/{id}/service-requests/new",
            PartnerUser,
            new_service_request,
        )
        .post(
            "/partner/customers/{id}/service-requests",
            PartnerUser,
            open_service_request,
        )
        .get(
            "/partner/customers/{id}/service-requests/{sid}",
            PartnerUser,
            service_request,
        )
        .post(
            "/partner/customers/{id}/service-requests/{sid}/comments",
            PartnerUser,
            comment_service_request,
        )
        .post("/partner/customers/{id}/end", PartnerUser, end)
        .get("/partner/requests", PartnerUser, requests)
        .post("/partner/requests", PartnerUser, create)
        .get("/partner/requests/new", PartnerUser, new_request)
        .get("/partner/requests/{id}/draft", PartnerUser, draft)
        .get("/partner/requests/{id}/revoke", PartnerUser, revoke_confirm)
        .post("/partner/requests/{id}/revoke", PartnerUser, revoke)
}

async fn home(State(s): State<AppState>, session: MaybeSession) -> UiResult {
    let u = require(session, "/partner")?;
    s.accord.partner_desk(&u.principal)?;
    Ok(Redirect::to("/partner/customers").into_response())
}

#[derive(Deserialize)]
struct ListQuery {
    q: Option<String>,
    cursor: Option<String>,
    notice: Option<String>,
}

async fn customers(
    State(s): State<AppState>,
    session: MaybeSession,
    Query(q): Query<ListQuery>,
) -> UiResult {
    let u = require(session, "/partner/customers")?;
    let desk = s.accord.partner_desk(&u.principal)?;
    let query = q.q.clone().unwrap_or_default();
    let page_ = desk
        .list_customers(
            Some(&query),
            &PageRequest {
                cursor: q.cursor,
                limit: Some(50),
            },
        )
        .await?;
    let rows = page_
        .items
        .into_iter()
        .map(|c| CustomerRow {
            id: c.counterpart_id.to_string(),
            types: views::types_text(&c.types),
            roles: views::roles_text(&c.admin_roles),
            ends: views::grant_text(&c),
            since: views::date(c.since),
            name: c.name,
        })
        .collect();
    Ok(page(
        StatusCode::OK,
        CustomersPage {
            chrome: Chrome::of(Some(&u)),
            can_request: s.accord.partner_desk(&u.principal)?.may_request().is_ok(),
            notice: (q.notice.as_deref() == Some("ended"))
                .then(|| crate::i18n::t("customers-ended")),
            next_href: page_.next_cursor.map(|c| {
                format!(
                    "/partner/customers?q={}&cursor={}",
                    mailto_encode(&query),
                    mailto_encode(&c)
                )
            }),
            q: query,
            rows,
        },
    ))
}

async fn requests(
    State(s): State<AppState>,
    session: MaybeSession,
    Query(q): Query<ListQuery>,
) -> UiResult {
    let u = require(session, "/partner/requests")?;
    let desk = s.accord.partner_desk(&u.principal)?;
    let page_ = desk
        .list_requests(&PageRequest {
            cursor: q.cursor,
            limit: Some(50),
        })
        .await?;
    let rows = page_
        .items
        .into_iter()
        .map(|r| RequestRow {
            id: r.id.to_string(),
            status: match &r.customer_name {
                Some(c) => crate::i18n::ta(
                    "status-by",
                    &[
                        ("status", &views::name("status", r.status.as_str())),
                        ("customer", c),
                    ],
                ),
                None => views::name("status", r.status.as_str()),
            },
            pending: r.status == RequestStatus::Pending,
            asked: accord_service_describe(&r.ask),
            email: r.customer_email.unwrap_or_default(),
            created: views::datetime(r.created_at),
            expires: views::datetime(r.expires_at),
        })
        .collect();
    let notice = match q.notice.as_deref() {
        Some("revoked") => Some(crate::i18n::t("requests-revoked")),
        _ => None,
    };
    Ok(page(
        StatusCode::OK,
        RequestsPage {
            chrome: Chrome::of(Some(&u)),
            can_request: s.accord.partner_desk(&u.principal)?.may_request().is_ok(),
            rows,
            next_href: page_
                .next_cursor
                .map(|c| format!("/partner/requests?cursor={}", mailto_encode(&c))),
            notice,
        },
    ))
}

#[derive(Deserialize)]
struct CustomerQuery {
    notice: Option<String>,
}

async fn customer(
    State(s): State<AppState>,
    session: MaybeSession,
    Path(id): Path<String>,
    Query(q): Query<CustomerQuery>,
) -> UiResult {
    let u = require(session, "/partner/customers")?;
    s.accord.partner_desk(&u.principal)?;
    let id = id_or_404(&id, "customer")?;
    let notice = match q.notice.as_deref() {
        Some("contact") => Some(crate::i18n::t("support-contact-saved")),
        Some("bought") => Some(crate::i18n::t("subs-bought")),
        Some("changed") => Some(crate::i18n::t("subs-changed")),
        Some("cancelled") => Some(crate::i18n::t("subs-cancelled")),
        _ => None,
    };
    customer_page(&s, &u, id, notice, BuyForm::default()).await
}

/// What the buy form shows again after a refusal.
#[derive(Default)]
struct BuyForm<'e> {
    error: Option<&'e DomainError>,
    sku: String,
    quantity: String,
}

/// The customer's page: account, relationship, support contact, subscriptions (with the
/// buy form), history and, for partner admins, "End relationship".
async fn customer_page(
    s: &AppState,
    u: &crate::auth::SessionUser,
    id: accord_domain::TenantId,
    notice: Option<String>,
    form: BuyForm<'_>,
) -> UiResult {
    let desk = s.accord.partner_desk(&u.principal)?;
    let (a, r, contact) = desk.customer_detail(id).await?;
    let candidates = if desk.may_name_support_contact().is_ok() {
        desk.support_candidates()
            .await?
            .into_iter()
            .map(|c| views::UserOption {
                selected: contact.as_ref().is_some_and(|x| x.user_id == c.user_id),
                id: c.user_id.to_string(),
                label: format!("{} ({})", c.name, c.email),
            })
            .collect()
    } else {
        Vec::new()
    };
    let agreement = match (a.agreement_version, &a.agreement_accepted) {
        (Some(v), Some((at, by))) => crate::i18n::ta(
            "customer-agreement-accepted",
            &[
                ("version", &v.to_string()),
                ("date", &views::date(*at)),
                ("by", by),
            ],
        ),
        _ => crate::i18n::t("customer-agreement-none"),
    };
    let catalogue = s
        .accord
        .products_for(
            &u.principal,
            &PageRequest {
                cursor: None,
                limit: Some(accord_service::MAX_LIMIT),
            },
        )
        .await?
        .items;
    let max_of = |sku: &str| {
        catalogue
            .iter()
            .find(|p| p.sku == sku)
            .map_or(accord_domain::MAX_SEATS, |p| p.max_quantity)
    };
    let subscriptions = desk
        .subscriptions(
            id,
            &PageRequest {
                cursor: None,
                limit: Some(accord_service::MAX_LIMIT),
            },
        )
        .await?
        .items
        .iter()
        .map(|sub| views::SubRow::of(sub, max_of(&sub.sku)))
        .collect();
    let buy_hint = if let Err(Error::Rule(e)) = desk.may_buy() {
        Some(crate::i18n::error(&e))
    } else if !r.types.contains(&PartnerType::Reseller) {
        Some(crate::i18n::t("subs-not-reseller"))
    } else if catalogue.is_empty() {
        Some(crate::i18n::t("subs-no-products"))
    } else {
        None
    };
    let products = catalogue
        .iter()
        .map(|p| views::ProductOption {
            selected: p.sku == form.sku,
            label: crate::i18n::ta(
                "subs-product-option",
                &[
                    ("name", &p.name),
                    ("sku", &p.sku),
                    ("billing", &views::name("billing", p.billing.as_str())),
                    ("max", &p.max_quantity.to_string()),
                ],
            ),
            sku: p.sku.clone(),
        })
        .collect();
    let history = s
        .accord
        .audit_events(
            &u.principal,
            Some(id),
            &PageRequest {
                cursor: None,
                limit: Some(50),
            },
        )
        .await?
        .items
        .iter()
        .map(views::EventRow::of)
        .collect();
    let field = match form.error {
        Some(DomainError::InvalidInput { field, .. }) if field == "sku" => "sku",
        Some(DomainError::InvalidInput { field, .. }) if field == "quantity" => "quantity",
        _ => "",
    };
    let status = form.error.map_or(StatusCode::OK, status_of);
    let (show_devices, devices_text, apps, show_apps_form) =
        super::oem::customer_sections(&desk, id, &r.types).await?;
    let unassigned = desk.unassigned(id).await?;
    let guests = desk
        .guests_in(id)
        .await?
        .iter()
        .map(views::GuestRow::of)
        .collect();
    Ok(page(
        status,
        CustomerPage {
            chrome: Chrome::of(Some(u)),
            name: a.name,
            domain: a.domain,
            location: format!(
                "{}, {}",
                views::name("country", a.country.as_str()),
                views::name("cloud", a.cloud.as_str())
            ),
            types: views::types_text(&r.types),
            roles: views::roles_text(&r.admin_roles),
            ends: views::grant_text(&r),
            since: views::date(r.since),
            requested: views::requested_text(&r),
            pending: views::pending_text(&r),
            unassigned,
            guests,
            agreement,
            id: a.id.to_string(),
            contact: contact
                .map(|c| format!("{} ({})", c.name, c.email))
                .unwrap_or_else(|| crate::i18n::t("support-contact-none")),
            candidates,
            notice,
            subscriptions,
            products,
            buy_hint,
            buy_error: views::FormError::new(form.error, field),
            buy_key: uuid::Uuid::now_v7().to_string(),
            quantity: if form.quantity.is_empty() {
                "1".into()
            } else {
                form.quantity
            },
            history,
            can_end: desk.may_end_relationship().is_ok(),
            requests: desk
                .service_requests(
                    id,
                    &PageRequest {
                        cursor: None,
                        limit: Some(50),
                    },
                )
                .await?
                .items
                .iter()
                .map(|r| {
                    views::SrRow::of(
                        r,
                        format!("/partner/customers/{id}/service-requests/{}", r.id),
                    )
                })
                .collect(),
            can_open_request: desk.may_open_service_requests().is_ok(),
            show_devices,
            devices_text,
            can_make_apps: show_apps_form,
            show_apps: show_apps_form || !apps.is_empty(),
            apps,
        },
    ))
}

#[derive(Deserialize)]
struct BuyFields {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    key: String,
    #[serde(default)]
    sku: String,
    #[serde(default)]
    quantity: String,
}

/// The quantity typed in a form: a whole number, or a rule error naming the field.
fn typed_quantity(q: &str) -> Result<i64, DomainError> {
    q.trim().parse::<i64>().map_err(|_| {
        DomainError::invalid(
            "quantity",
            accord_domain::InvalidReason::Quantity {
                max: accord_domain::MAX_SEATS,
            },
        )
    })
}

/// Buys a subscription; the form's one-time key makes a double submission buy once.
async fn buy(
    State(s): State<AppState>,
    session: MaybeSession,
    Path(id): Path<String>,
    Form(f): Form<BuyFields>,
) -> UiResult {
    let u = require(session, "/partner/customers")?;
    check_csrf(&u, &f.csrf)?;
    let desk = s.accord.partner_desk(&u.principal)?;
    let cid = id_or_404(&id, "customer")?;
    let key = Some(f.key.as_str()).filter(|k| !k.is_empty());
    let result = match typed_quantity(&f.quantity) {
        Ok(quantity) => {
            desk.buy(
                cid,
                &accord_service::NewSubscription {
                    sku: f.sku.clone(),
                    quantity,
                },
                key,
            )
            .await
        }
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!(
            "/partner/customers/{cid}?notice=bought#subscriptions"
        ))
        .into_response()),
        Err(Error::Rule(e)) => {
            customer_page(
                &s,
                &u,
                cid,
                None,
                BuyForm {
                    error: Some(&e),
                    sku: f.sku,
                    quantity: f.quantity,
                },
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct QuantityFields {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    quantity: String,
}

/// Changes a subscription's seats, then back to the customer's page.
async fn change_quantity(
    State(s): State<AppState>,
    session: MaybeSession,
    Path((id, sid)): Path<(String, String)>,
    Form(f): Form<QuantityFields>,
) -> UiResult {
    let u = require(session, "/partner/customers")?;
    check_csrf(&u, &f.csrf)?;
    let desk = s.accord.partner_desk(&u.principal)?;
    let cid = id_or_404(&id, "customer")?;
    let sid = id_or_404(&sid, "subscription")?;
    let quantity = typed_quantity(&f.quantity)?;
    desk.change_quantity(cid, sid, quantity, None).await?;
    Ok(Redirect::to(&format!(
        "/partner/customers/{cid}?notice=changed#subscriptions"
    ))
    .into_response())
}

async fn cancel_confirm(
    State(s): State<AppState>,
    session: MaybeSession,
    Path((id, sid)): Path<(String, String)>,
) -> UiResult {
    let here = format!(
        "/partner/customers/{}/subscriptions/{}/cancel",
        mailto_encode(&id),
        mailto_encode(&sid)
    );
    let u = require(session, &here)?;
    let desk = s.accord.partner_desk(&u.principal)?;
    let cid = id_or_404(&id, "customer")?;
    desk.may_buy()?;
    let sub = desk
        .subscription(cid, id_or_404(&sid, "subscription")?)
        .await?;
    if !sub.can_manage {
        return Err(UiError::Rule(DomainError::SubscriptionReadOnly {
            partner: sub.partner_name,
        }));
    }
    Ok(page(
        StatusCode::OK,
        ConfirmPage::new(
            &u,
            crate::i18n::t("confirm-cancel-sub-title"),
            crate::i18n::ta(
                "confirm-cancel-sub-explain",
                &[
                    ("product", &format!("{} ({})", sub.product_name, sub.sku)),
                    ("quantity", &sub.quantity.to_string()),
                ],
            ),
            here,
            crate::i18n::t("confirm-cancel-sub"),
            format!("/partner/customers/{cid}#subscriptions"),
        ),
    ))
}

async fn cancel(
    State(s): State<AppState>,
    session: MaybeSession,
    Path((id, sid)): Path<(String, String)>,
    Form(f): Form<RevokeForm>,
) -> UiResult {
    let u = require(session, "/partner/customers")?;
    check_csrf(&u, &f.csrf)?;
    let desk = s.accord.partner_desk(&u.principal)?;
    let cid = id_or_404(&id, "customer")?;
    desk.cancel(cid, id_or_404(&sid, "subscription")?).await?;
    Ok(Redirect::to(&format!(
        "/partner/customers/{cid}?notice=cancelled#subscriptions"
    ))
    .into_response())
}

async fn end_confirm(
    State(s): State<AppState>,
    session: MaybeSession,
    Path(id): Path<String>,
) -> UiResult {
    let here = format!("/partner/customers/{}/end", mailto_encode(&id));
    let u = require(session, &here)?;
    let desk = s.accord.partner_desk(&u.principal)?;
    let cid = id_or_404(&id, "customer")?;
    desk.may_end_relationship()?;
    let (a, _, _) = desk.customer_detail(cid).await?;
    Ok(page(
        StatusCode::OK,
        ConfirmPage::new(
            &u,
            crate::i18n::ta("confirm-end-title", &[("customer", &a.name)]),
            crate::i18n::ta("confirm-end-explain", &[("customer", &a.name)]),
            here,
            crate::i18n::t("confirm-end"),
            format!("/partner/customers/{cid}"),
        ),
    ))
}

async fn end(
    State(s): State<AppState>,
    session: MaybeSession,
    Path(id): Path<String>,
    Form(f): Form<RevokeForm>,
) -> UiResult {
    let u = require(session, "/partner/customers")?;
    check_csrf(&u, &f.csrf)?;
    let desk = s.accord.partner_desk(&u.principal)?;
    let cid = id_or_404(&id, "customer")?;
    desk.end_relationship(cid).await?;
    Ok(Redirect::to("/partner/customers?notice=ended").into_response())
}

#[derive(Deserialize)]
struct ContactForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    user_id: String,
}

/// Names the customer's support contact, then back to the customer's page.
async fn set_contact(
    State(s): State<AppState>,
    session: MaybeSession,
    Path(id): Path<String>,
    Form(f): Form<ContactForm>,
) -> UiResult {
    let u = require(session, "/partner/customers")?;
    check_csrf(&u, &f.csrf)?;
    let desk = s.accord.partner_desk(&u.principal)?;
    let cid: accord_domain::TenantId = id
        .parse()
        .map_err(|_| UiError::Rule(DomainError::NotFound { what: "customer" }))?;
    let uid: accord_domain::UserId = f
        .user_id
        .parse()
        .map_err(|_| UiError::Rule(DomainError::NotFound { what: "user" }))?;
    desk.set_support_contact(cid, uid).await?;
    Ok(Redirect::to(&format!("/partner/customers/{cid}?notice=contact")).into_response())
}

fn accord_service_describe(ask: &AdminAsk) -> String {
    match ask {
        AdminAsk::None => crate::i18n::t("asked-none"),
        AdminAsk::Legacy => crate::i18n::t("asked-legacy"),
        AdminAsk::Granular {
            roles,
            duration_days,
            ..
        } => crate::i18n::ta(
            "asked-granular",
            &[
                ("roles", &views::roles_text(roles)),
                ("days", &duration_days.to_string()),
            ],
        ),
    }
}

/// The granular part of a request form as typed: roles ticked, days, auto-extend.
pub(super) struct Granular {
    roles: Vec<accord_domain::DirectoryRole>,
    days: String,
    auto_extend: bool,
}

impl Default for Granular {
    fn default() -> Self {
        Self {
            roles: Vec::new(),
            days: accord_domain::MAX_GRANT_DAYS.to_string(),
            auto_extend: false,
        }
    }
}

fn new_request_page(
    u: &crate::auth::SessionUser,
    offered: &[PartnerType],
    chosen: &[PartnerType],
    error: Option<&DomainError>,
    customer_email: String,
    granular: Granular,
    lead: LeadPrefill,
) -> NewRequestPage {
    let cloud = u.principal.tenant.cloud;
    // The field an error belongs to: the address, or the admin privileges option.
    let field = match error {
        Some(DomainError::InvalidInput { field, .. })
            if field == "email" || field == "customer_email" =>
        {
            "customer_email"
        }
        Some(DomainError::AdminOptionRequiredInCloud { .. }) => "include_admin",
        Some(DomainError::InvalidInput { field, .. })
            if field == "admin_roles" || field == "duration_days" || field == "auto_extend" =>
        {
            "admin_roles"
        }
        _ => "",
    };
    let admin_roles: Vec<accord_domain::DirectoryRole> = accord_domain::DirectoryRole::ALL
        .iter()
        .copied()
        .filter(|r| r.is_admin())
        .collect();
    NewRequestPage {
        roles: super::directory::role_boxes(&admin_roles, &granular.roles),
        duration_days: granular.days,
        auto_extend: granular.auto_extend,
        chrome: Chrome::of(Some(u)),
        types: offered
            .iter()
            .filter(|t| **t != PartnerType::DelegatedAdmin)
            .map(|t| TypeOption::of(*t, chosen.contains(t)))
            .collect(),
        offers_delegated_admin: offered.contains(&PartnerType::DelegatedAdmin),
        cloud: views::name("cloud", cloud.as_str()),
        admin_required: matches!(cloud, Cloud::Usgov | Cloud::Germany),
        error: views::FormError::new(error, field),
        customer_email,
        lead_id: lead.id,
        email_language: lead
            .language
            .unwrap_or_else(|| crate::i18n::current().as_str().to_string()),
        lead_note: lead.note,
    }
}

/// What the request form takes from the lead it answers.
#[derive(Default)]
struct LeadPrefill {
    id: String,
    language: Option<String>,
    note: Option<String>,
}

#[derive(Deserialize)]
struct NewRequestQuery {
    lead: Option<String>,
}

async fn new_request(
    State(s): State<AppState>,
    session: MaybeSession,
    Query(q): Query<NewRequestQuery>,
) -> UiResult {
    let u = require(session, "/partner/requests/new")?;
    // Refused before the form, not after "Next", for a role that cannot request.
    let desk = s.accord.partner_desk(&u.principal)?;
    desk.may_request()?;
    let offered = desk.offered_types().await?;
    // "Reply with a relationship request": addressed to the lead, in its language.
    let (email, lead) = match q.lead.as_deref().filter(|l| !l.is_empty()) {
        Some(id) => {
            let l = super::listings::lead_for_request(&s, &u, id).await?;
            (
                l.email.clone(),
                LeadPrefill {
                    id: l.id.to_string(),
                    language: Some(l.locale.as_str().to_string()),
                    note: Some(crate::i18n::ta(
                        "request-replying-to",
                        &[("organisation", &l.organisation)],
                    )),
                },
            )
        }
        None => (String::new(), LeadPrefill::default()),
    };
    Ok(page(
        StatusCode::OK,
        new_request_page(
            &u,
            &offered,
            &[PartnerType::Reseller],
            None,
            email,
            Granular::default(),
            lead,
        ),
    ))
}

#[derive(Deserialize)]
struct CreateForm {
    #[serde(default)]
    csrf: String,
    /// Present ("on") when the checkbox is ticked.
    include_admin: Option<String>,
    #[serde(default)]
    customer_email: String,
    /// `en` or `ko`: the language of the draft e-mail.
    #[serde(default)]
    email_language: Option<String>,
    /// The lead the request answers (empty: none).
    #[serde(default)]
    lead: String,
    // One box per partner type besides delegated admin (`include_admin`).
    type_reseller: Option<String>,
    type_partner: Option<String>,
    type_admin: Option<String>,
    type_mpsa: Option<String>,
    type_oem_pc: Option<String>,
    type_lob: Option<String>,
    /// Granular grant: days (1–730) and auto-extend; the roles are `role_<name>` boxes.
    #[serde(default)]
    duration_days: String,
    auto_extend: Option<String>,
    #[serde(flatten)]
    boxes: std::collections::HashMap<String, String>,
}

impl CreateForm {
    fn types(&self) -> Vec<PartnerType> {
        use PartnerType::*;
        [
            (Reseller, &self.type_reseller),
            (DelegatedAdmin, &self.include_admin),
            (Partner, &self.type_partner),
            (Admin, &self.type_admin),
            (Mpsa, &self.type_mpsa),
            (OemPc, &self.type_oem_pc),
            (Lob, &self.type_lob),
        ]
        .into_iter()
        .filter(|(_, v)| v.is_some())
        .map(|(t, _)| t)
        .collect()
    }
}

async fn create(
    State(s): State<AppState>,
    session: MaybeSession,
    Form(f): Form<CreateForm>,
) -> UiResult {
    let u = require(session, "/partner/requests/new")?;
    check_csrf(&u, &f.csrf)?;
    let desk = s.accord.partner_desk(&u.principal)?;
    let types = f.types();
    // Delegated admin asks for the full grant unless roles are ticked (a granular,
    // time-bound grant); the admin type alone for its own.
    let roles = super::ticked_roles(&f.boxes);
    let granular = Granular {
        roles: roles.clone(),
        days: f.duration_days.trim().to_string(),
        auto_extend: f.auto_extend.is_some(),
    };
    let ask = if !roles.is_empty() {
        // Days that are not a number are refused by the rule for the range (0 is out).
        AdminAsk::Granular {
            roles,
            duration_days: granular.days.parse().unwrap_or(0),
            auto_extend: granular.auto_extend,
        }
    } else if f.include_admin.is_some() {
        AdminAsk::Legacy
    } else {
        AdminAsk::None
    };
    let typed_email = f.customer_email.clone();
    let lead_id = match f.lead.trim() {
        "" => None,
        id => Some(id_or_404::<uuid::Uuid>(id, "lead")?),
    };
    let created = match desk
        .create_request(NewRequest {
            types: types.clone(),
            ask,
            customer_email: Some(f.customer_email),
            email_locale: f
                .email_language
                .as_deref()
                .and_then(|l| l.parse().ok())
                .unwrap_or_else(crate::i18n::current),
            lead_id,
        })
        .await
    {
        Ok(c) => c,
        Err(Error::Rule(e)) => {
            return Ok(page(
                status_of(&e),
                new_request_page(
                    &u,
                    &desk.offered_types().await?,
                    &types,
                    Some(&e),
                    typed_email,
                    granular,
                    LeadPrefill {
                        id: f.lead.trim().to_string(),
                        language: f.email_language.clone(),
                        note: None,
                    },
                ),
            ))
        }
        Err(e) => return Err(e.into()),
    };
    // Redirect after the write, so a reload shows the same draft and creates nothing.
    // The token travels in the address (never stored in clear; pages send no referrer).
    let token = created
        .link
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string();
    let lang = f.email_language.as_deref().unwrap_or_default();
    Ok(Redirect::to(&format!(
        "/partner/requests/{}/draft?token={}&lang={}",
        created.request.id,
        mailto_encode(&token),
        mailto_encode(lang)
    ))
    .into_response())
}

#[derive(Deserialize)]
struct DraftQuery {
    #[serde(default)]
    token: String,
    lang: Option<String>,
}

async fn draft(
    State(s): State<AppState>,
    session: MaybeSession,
    Path(id): Path<String>,
    Query(q): Query<DraftQuery>,
) -> UiResult {
    let u = require(session, "/partner/requests")?;
    let desk = s.accord.partner_desk(&u.principal)?;
    let id: RequestId = id.parse().map_err(|_| {
        UiError::Rule(DomainError::NotFound {
            what: "relationship request",
        })
    })?;
    let locale = q
        .lang
        .as_deref()
        .and_then(|l| l.parse().ok())
        .unwrap_or_else(crate::i18n::current);
    let created = desk.request_draft(id, &q.token, locale).await?;
    Ok(page(
        StatusCode::OK,
        DraftPage {
            chrome: Chrome::of(Some(&u)),
            mailto: mailto(
                created.email.to.as_deref(),
                &created.email.subject,
                &created.email.body,
            ),
            to: created.email.to.unwrap_or_default(),
            link: created.link,
            subject: created.email.subject,
            body: created.email.body,
            expires: views::datetime(created.request.expires_at),
        },
    ))
}

#[derive(Deserialize)]
struct RevokeForm {
    #[serde(default)]
    csrf: String,
}

async fn revoke_confirm(
    State(s): State<AppState>,
    session: MaybeSession,
    Path(id): Path<String>,
) -> UiResult {
    let here = format!("/partner/requests/{}/revoke", mailto_encode(&id));
    let u = require(session, &here)?;
    s.accord.partner_desk(&u.principal)?.may_request()?;
    Ok(page(
        StatusCode::OK,
        ConfirmPage::new(
            &u,
            crate::i18n::t("confirm-revoke-title"),
            crate::i18n::t("confirm-revoke-explain"),
            here,
            crate::i18n::t("confirm-revoke"),
            "/partner/requests".into(),
        ),
    ))
}

async fn revoke(
    State(s): State<AppState>,
    session: MaybeSession,
    Path(id): Path<String>,
    Form(f): Form<RevokeForm>,
) -> UiResult<Response> {
    let u = require(session, "/partner/requests")?;
    check_csrf(&u, &f.csrf)?;
    let id: RequestId = id.parse().map_err(|_| DomainError::NotFound {
        what: "relationship request",
    })?;
    s.accord
        .partner_desk(&u.principal)?
        .revoke_request(id)
        .await?;
    Ok(Redirect::to("/partner/requests?notice=revoked").into_response())
}

#[derive(Deserialize, Default)]
struct SrFields {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    severity: String,
}

fn sr_form(
    u: &crate::auth::SessionUser,
    cid: accord_domain::TenantId,
    customer: String,
    f: SrFields,
    error: Option<&DomainError>,
) -> views::ServiceRequestNewPage {
    let field = match error {
        Some(DomainError::InvalidInput { field, .. }) if field == "title" => "title",
        Some(DomainError::InvalidInput { field, .. }) if field == "description" => "description",
        _ => "",
    };
    let chosen = if f.severity.is_empty() {
        "moderate".to_string()
    } else {
        f.severity.clone()
    };
    views::ServiceRequestNewPage {
        chrome: Chrome::of(Some(u)),
        heading: crate::i18n::ta("sr-new-title", &[("customer", &customer)]),
        customer,
        back_href: format!("/partner/customers/{cid}"),
        action: format!("/partner/customers/{cid}/service-requests"),
        error: views::FormError::new(error, field),
        title: f.title,
        description: f.description,
        severities: accord_domain::Severity::ALL
            .iter()
            .map(|s| views::ProductOption {
                sku: s.as_str().into(),
                label: views::name("severity", s.as_str()),
                selected: s.as_str() == chosen,
            })
            .collect(),
    }
}

async fn new_service_request(
    State(s): State<AppState>,
    session: MaybeSession,
    Path(id): Path<String>,
) -> UiResult {
    let here = format!(
        "/partner/customers/{}/service-requests/new",
        mailto_encode(&id)
    );
    let u = require(session, &here)?;
    let desk = s.accord.partner_desk(&u.principal)?;
    let cid = id_or_404(&id, "customer")?;
    desk.may_open_service_requests()?;
    let (a, _, _) = desk.customer_detail(cid).await?;
    Ok(page(
        StatusCode::OK,
        sr_form(&u, cid, a.name, SrFields::default(), None),
    ))
}

async fn open_service_request(
    State(s): State<AppState>,
    session: MaybeSession,
    Path(id): Path<String>,
    Form(f): Form<SrFields>,
) -> UiResult {
    let u = require(session, "/partner/customers")?;
    check_csrf(&u, &f.csrf)?;
    let desk = s.accord.partner_desk(&u.principal)?;
    let cid = id_or_404(&id, "customer")?;
    let severity = f.severity.trim().parse::<accord_domain::Severity>();
    let result = match severity {
        Ok(severity) => {
            desk.open_service_request(
                cid,
                &accord_service::NewServiceRequest {
                    title: f.title.clone(),
                    description: f.description.clone(),
                    severity,
                },
            )
            .await
        }
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(r) => Ok(Redirect::to(&format!(
            "/partner/customers/{cid}/service-requests/{}?notice=opened",
            r.id
        ))
        .into_response()),
        Err(Error::Rule(e)) => {
            let (a, _, _) = desk.customer_detail(cid).await?;
            Ok(page(status_of(&e), sr_form(&u, cid, a.name, f, Some(&e))))
        }
        Err(e) => Err(e.into()),
    }
}

async fn service_request(
    State(s): State<AppState>,
    session: MaybeSession,
    Path((id, sid)): Path<(String, String)>,
    Query(q): Query<CustomerQuery>,
) -> UiResult {
    let here = format!(
        "/partner/customers/{}/service-requests/{}",
        mailto_encode(&id),
        mailto_encode(&sid)
    );
    let u = require(session, &here)?;
    let desk = s.accord.partner_desk(&u.principal)?;
    let cid = id_or_404(&id, "customer")?;
    let mut view = partner_sr_page(&u, &desk, cid, id_or_404(&sid, "service_request")?).await?;
    view.notice = match q.notice.as_deref() {
        Some("opened") => Some(crate::i18n::t("sr-opened")),
        Some("commented") => Some(crate::i18n::t("sr-commented")),
        _ => None,
    };
    Ok(page(StatusCode::OK, view))
}

/// One of the partner's service requests, with the comment form for those who may comment.
async fn partner_sr_page(
    u: &crate::auth::SessionUser,
    desk: &accord_service::PartnerDesk<'_>,
    cid: accord_domain::TenantId,
    rid: accord_domain::ServiceRequestId,
) -> Result<views::ServiceRequestPage, UiError> {
    let r = desk.service_request(cid, rid).await?;
    let customer = r.customer_name.clone();
    Ok(views::ServiceRequestPage::of(
        Chrome::of(Some(u)),
        r,
        (format!("/partner/customers/{cid}#requests"), customer),
        desk.may_open_service_requests()
            .is_ok()
            .then(|| format!("/partner/customers/{cid}/service-requests/{rid}/comments")),
    ))
}

#[derive(Deserialize)]
struct CommentFields {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    body: String,
}

async fn comment_service_request(
    State(s): State<AppState>,
    session: MaybeSession,
    Path((id, sid)): Path<(String, String)>,
    Form(f): Form<CommentFields>,
) -> UiResult {
    let u = require(session, "/partner/customers")?;
    check_csrf(&u, &f.csrf)?;
    let desk = s.accord.partner_desk(&u.principal)?;
    let cid = id_or_404(&id, "customer")?;
    let rid = id_or_404(&sid, "service_request")?;
    match desk.comment_service_request(cid, rid, &f.body).await {
        Ok(_) => Ok(Redirect::to(&format!(
            "/partner/customers/{cid}/service-requests/{rid}?notice=commented#comments"
        ))
        .into_response()),
        Err(Error::Rule(e)) => {
            let mut view = partner_sr_page(&u, &desk, cid, rid).await?;
            let field = match &e {
                DomainError::InvalidInput { field, .. } if field == "comment" => "comment",
                _ => "",
            };
            view.error = views::FormError::new(Some(&e), field);
            Ok(page(status_of(&e), view))
        }
        Err(e) => Err(e.into()),
    }
}
