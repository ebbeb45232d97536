//! Admin Center: invitations (SPEC F3) and Billing → Billing accounts → Partner
//! relationships (F6).

use accord_domain::{DomainError, RequestStatus, TenantId};
use accord_service::{Error, NewOrganisation, PageRequest, SIGNUP_LINK_HOURS};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;

use super::routes::{Policy, Table};
use super::views::{
    self, BillingAccountsPage, Chrome, ConfirmPage, DeclinedPage, InvitationAnonPage,
    InvitationPage, PartnerPage, PartnerRow, PartnersPage, SignUpConfirmPage, SignUpFields,
    SignUpPage, SignUpSentPage,
};
use super::{
    check_csrf, page, pre_csrf, require, rule_page, signed_in_redirect, CsrfForm, CursorQuery,
    Form, NoticeQuery, Path, Query, UiError, UiResult,
};
use crate::api::mailto_encode;
use crate::auth::{same_secret, ClientAddr, MaybeSession, PreCsrf, SessionUser};
use crate::error::status_of;
use crate::AppState;

pub(super) fn table() -> Table {
    use Policy::*;
    Table::default()
        .get("/admin", SignedIn, home)
        // The link from the e-mail: a preview for anyone, the consent page once signed in.
        .get("/admin/invitations/{token}", Public, invitation)
        .get("/admin/invitations/{token}/signup", Public, signup_form)
        .post("/admin/invitations/{token}/signup", Public, signup)
        .get(
            "/admin/invitations/{token}/signup/sent",
            Public,
            signup_sent,
        )
        // The link e-mailed by a sign-up: shows what will be created; the button creates it.
        .get(
            "/admin/invitations/{token}/confirm/{code}",
            Public,
            confirm_form,
        )
        .post("/admin/invitations/{token}/confirm/{code}", Public, confirm)
        .post("/admin/invitations/{token}/accept", SignedIn, accept)
        .get(
            "/admin/invitations/{token}/decline",
            SignedIn,
            decline_confirm,
        )
        .post("/admin/invitations/{token}/decline", SignedIn, decline)
        .get("/admin/invitations/{token}/declined", SignedIn, declined)
        .get("/admin/billing", SignedIn, billing)
        .get("/admin/billing/subscriptions", SignedIn, subscriptions)
        .get("/admin/support", SignedIn, service_requests)
        .get("/admin/support/{id}", SignedIn, service_request)
        .get("/admin/agreement", SignedIn, agreements)
        .post("/admin/agreement/accept", SignedIn, accept_agreement)
        .get("/admin/billing/accounts", SignedIn, billing_accounts)
        .get("/admin/billing/partners", SignedIn, partners)
        .get("/admin/billing/partners/{id}", SignedIn, partner)
        .post("/admin/billing/partners/{id}/guests", SignedIn, add_guest)
        .post(
            "/admin/billing/partners/{id}/guests/{user}/remove",
            SignedIn,
            remove_guest,
        )
        .get(
            "/admin/billing/partners/{id}/delete",
            SignedIn,
            delete_partner_confirm,
        )
        .post(
            "/admin/billing/partners/{id}/delete",
            SignedIn,
            delete_partner,
        )
        .get(
            "/admin/billing/partners/{id}/remove-admin-roles",
            SignedIn,
            remove_admin_roles_confirm,
        )
        .post(
            "/admin/billing/partners/{id}/remove-admin-roles",
            SignedIn,
            remove_admin_roles,
        )
}

/// The versions of the customer agreement the organisation accepted (when and by whom),
/// and the current version to accept when it has not been (SPEC F4).
async fn agreements(
    State(s): State<AppState>,
    session: MaybeSession,
    Query(q): Query<NoticeQuery>,
) -> UiResult {
    let u = require(session, "/admin/agreement")?;
    let notice =
        (q.notice.as_deref() == Some("accepted")).then(|| crate::i18n::t("agreements-accepted"));
    Ok(page(
        StatusCode::OK,
        agreements_page(&s, &u, notice, None).await?,
    ))
}

async fn agreements_page(
    s: &AppState,
    u: &SessionUser,
    notice: Option<String>,
    error: Option<String>,
) -> UiResult<views::AgreementsPage> {
    let desk = s.accord.customer_desk(&u.principal);
    let rows = desk
        .agreement_history()
        .await?
        .into_iter()
        .map(|a| views::AgreementRow {
            version: a.version,
            title: a.title,
            accepted: views::datetime(a.accepted_at),
            by: format!("{} ({})", a.user_name, a.user_email),
        })
        .collect();
    let (current, accepted) = desk.agreement_status().await?;
    let pending = current
        .filter(|_| !accepted)
        .map(|a| (a.version, a.title, views::date(a.published_at)));
    Ok(views::AgreementsPage {
        chrome: Chrome::of(Some(u)),
        rows,
        pending,
        is_global_admin: u.principal.has_role(accord_domain::Role::Directory(
            accord_domain::DirectoryRole::GlobalAdmin,
        )),
        notice,
        error,
    })
}

/// "Accept agreement": the current version on its own, then back to the list.
async fn accept_agreement(
    State(s): State<AppState>,
    session: MaybeSession,
    ClientAddr(client): ClientAddr,
    Form(f): Form<AcceptForm>,
) -> UiResult {
    let u = require(session, "/admin/agreement")?;
    check_csrf(&u, &f.csrf)?;
    let result = match s.accord.global_admin_desk(&u.principal) {
        Ok(desk) => {
            desk.accept_current_agreement(f.accept_agreement.is_some(), &client)
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(Redirect::to("/admin/agreement?notice=accepted").into_response()),
        Err(Error::Rule(e)) => Ok(page(
            status_of(&e),
            agreements_page(&s, &u, None, Some(crate::i18n::error(&e))).await?,
        )),
        Err(e) => Err(e.into()),
    }
}

async fn billing(session: MaybeSession) -> UiResult {
    require(session, "/admin/billing")?;
    Ok(Redirect::to("/admin/billing/accounts").into_response())
}

/// Billing › Billing accounts: the organisation's account, whose tab lists its partners.
async fn billing_accounts(session: MaybeSession) -> UiResult {
    let u = require(session, "/admin/billing/accounts")?;
    let t = &u.principal.tenant;
    let location = format!(
        "{}, {}",
        views::name("country", t.country.as_str()),
        views::name("cloud", t.cloud.as_str())
    );
    Ok(page(
        StatusCode::OK,
        BillingAccountsPage {
            chrome: Chrome::of(Some(&u)),
            domain: t.domain.clone(),
            location,
        },
    ))
}

async fn home(session: MaybeSession) -> UiResult {
    require(session, "/admin")?;
    Ok(Redirect::to("/admin/billing/partners").into_response())
}

/// A partner id in an address that is not one: the same answer as an unknown partner.
fn not_a_partner_id() -> UiError {
    UiError::Rule(DomainError::NotFound { what: "partner" })
}

fn invitation_path(token: &str) -> String {
    format!("/admin/invitations/{}", mailto_encode(token))
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

async fn consent_page(
    s: &AppState,
    u: &SessionUser,
    token: &str,
    error: Option<String>,
) -> UiResult<InvitationPage> {
    let v = s
        .accord
        .customer_desk(&u.principal)
        .view_invitation(token)
        .await?;
    let agreement = v.agreement.as_ref();
    Ok(InvitationPage {
        chrome: Chrome::of(Some(u)),
        token: token.to_string(),
        types: views::types_text(&v.types),
        type_lines: v
            .types
            .iter()
            .map(|t| views::TypeOption::of(*t, true))
            .collect(),
        ask: capitalise(&accord_i18n::ask(crate::i18n::current(), &v.ask)),
        includes_admin: v.ask.includes_admin(),
        // A customer may approve a subset of the roles of a granular ask.
        approve_roles: match &v.ask {
            accord_domain::AdminAsk::Granular { roles, .. } if roles.len() > 1 => {
                super::directory::role_boxes(roles, roles)
            }
            _ => Vec::new(),
        },
        expires: views::datetime(v.expires_at),
        agreement_title: agreement.map(|a| a.title.clone()).unwrap_or_default(),
        agreement_version: agreement.map(|a| a.version).unwrap_or_default(),
        agreement_already_accepted: v.agreement_already_accepted,
        blocker: v.blocker.as_ref().map(crate::i18n::error),
        not_global_admin: !v.viewer_is_global_admin,
        partner_name: v.partner_name,
        partner_country: views::name("country", &v.partner_country),
        error,
    })
}

/// The link from the e-mail. Opening it never signs anyone in and never changes anything.
async fn invitation(
    State(s): State<AppState>,
    session: MaybeSession,
    Path(token): Path<String>,
) -> UiResult {
    let here = invitation_path(&token);
    let Some(u) = session.0 else {
        let preview = s.accord.invitation_preview(&token).await?;
        let message = match accord_domain::check_request_usable(preview.status) {
            Ok(()) => String::new(),
            Err(e) => crate::i18n::error(&e),
        };
        return Ok(page(
            StatusCode::OK,
            InvitationAnonPage {
                chrome: Chrome::anonymous_at(&here),
                asks: crate::i18n::ta(
                    "anon-asks",
                    &[("types", &views::types_text(&preview.types))],
                ),
                asks_admin: preview.asks_admin,
                partner_name: preview.partner_name,
                usable: preview.status == RequestStatus::Pending,
                message,
                signin_href: format!("/signin?next={}", mailto_encode(&here)),
                signup_href: format!("{here}/signup"),
            },
        ));
    };
    Ok(page(
        StatusCode::OK,
        consent_page(&s, &u, &token, None).await?,
    ))
}

#[derive(Deserialize)]
struct AcceptForm {
    #[serde(default)]
    csrf: String,
    accept_agreement: Option<String>,
    /// Present when the page offered a choice of roles: then the ticked `role_<name>`
    /// boxes are the roles approved.
    choose_roles: Option<String>,
    #[serde(flatten)]
    boxes: std::collections::HashMap<String, String>,
}

impl AcceptForm {
    fn approved_roles(&self) -> Option<Vec<accord_domain::DirectoryRole>> {
        self.choose_roles
            .as_ref()
            .map(|_| super::ticked_roles(&self.boxes))
    }
}

async fn accept(
    State(s): State<AppState>,
    session: MaybeSession,
    ClientAddr(addr): ClientAddr,
    Path(token): Path<String>,
    Form(f): Form<AcceptForm>,
) -> UiResult {
    let u = require(session, &invitation_path(&token))?;
    check_csrf(&u, &f.csrf)?;
    let result = match s.accord.global_admin_desk(&u.principal) {
        Ok(desk) => {
            let approved = f.approved_roles();
            desk.accept_invitation(
                &token,
                f.accept_agreement.is_some(),
                approved.as_deref(),
                &addr,
            )
            .await
        }
        Err(e) => Err(e),
    };
    match result {
        // The notice names the partner from the customer's own relationships, never from
        // the URL, so a crafted link cannot put words on this page.
        Ok(out) => Ok(Redirect::to(&format!(
            "/admin/billing/partners?accepted={}",
            out.partner_id
        ))
        .into_response()),
        Err(Error::Rule(e)) => {
            let status = status_of(&e);
            Ok(page(
                status,
                consent_page(&s, &u, &token, Some(crate::i18n::error(&e))).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

async fn decline_confirm(
    State(s): State<AppState>,
    session: MaybeSession,
    Path(token): Path<String>,
) -> UiResult {
    let here = format!("{}/decline", invitation_path(&token));
    let u = require(session, &here)?;
    let preview = s.accord.invitation_preview(&token).await?;
    accord_domain::check_request_usable(preview.status)?;
    s.accord.global_admin_desk(&u.principal)?;
    let partner = preview.partner_name;
    Ok(page(
        StatusCode::OK,
        ConfirmPage::new(
            &u,
            crate::i18n::ta("confirm-decline-title", &[("partner", &partner)]),
            crate::i18n::ta("confirm-decline-explain", &[("partner", &partner)]),
            here,
            crate::i18n::t("confirm-decline"),
            invitation_path(&token),
        ),
    ))
}

/// After declining: says so while the request is declined; otherwise back to the link.
async fn declined(
    State(s): State<AppState>,
    session: MaybeSession,
    Path(token): Path<String>,
) -> UiResult {
    let u = require(session, &invitation_path(&token))?;
    let preview = s.accord.invitation_preview(&token).await?;
    if preview.status != RequestStatus::Declined {
        return Ok(Redirect::to(&invitation_path(&token)).into_response());
    }
    Ok(page(
        StatusCode::OK,
        DeclinedPage {
            chrome: Chrome::of(Some(&u)),
            partner_name: preview.partner_name,
        },
    ))
}

async fn delete_partner_confirm(
    State(s): State<AppState>,
    session: MaybeSession,
    Path(id): Path<String>,
) -> UiResult {
    let here = format!("/admin/billing/partners/{}/delete", mailto_encode(&id));
    let u = require(session, &here)?;
    s.accord.global_admin_desk(&u.principal)?;
    let pid: TenantId = id.parse().map_err(|_| not_a_partner_id())?;
    let d = s
        .accord
        .customer_desk(&u.principal)
        .partner_detail(pid)
        .await?;
    if !d.can_delete {
        return Err(DomainError::PartnerTypeRequiresPartnerAction {
            partner: d.item.name,
        }
        .into());
    }
    let partner = d.item.name;
    Ok(page(
        StatusCode::OK,
        ConfirmPage::new(
            &u,
            crate::i18n::ta("confirm-delete-title", &[("partner", &partner)]),
            crate::i18n::ta("confirm-delete-explain", &[("partner", &partner)]),
            here,
            crate::i18n::t("confirm-delete"),
            format!("/admin/billing/partners/{}", mailto_encode(&id)),
        ),
    ))
}

async fn delete_partner(
    State(s): State<AppState>,
    session: MaybeSession,
    Path(id): Path<String>,
    Form(f): Form<AcceptForm>,
) -> UiResult {
    let u = require(session, "/admin/billing/partners")?;
    check_csrf(&u, &f.csrf)?;
    let pid: TenantId = id.parse().map_err(|_| not_a_partner_id())?;
    s.accord
        .global_admin_desk(&u.principal)?
        .delete_partner(pid)
        .await?;
    Ok(Redirect::to(&format!("/admin/billing/partners?deleted={pid}")).into_response())
}

async fn remove_admin_roles_confirm(
    State(s): State<AppState>,
    session: MaybeSession,
    Path(id): Path<String>,
) -> UiResult {
    let here = format!(
        "/admin/billing/partners/{}/remove-admin-roles",
        mailto_encode(&id)
    );
    let u = require(session, &here)?;
    s.accord.global_admin_desk(&u.principal)?;
    let pid: TenantId = id.parse().map_err(|_| not_a_partner_id())?;
    let d = s
        .accord
        .customer_desk(&u.principal)
        .partner_detail(pid)
        .await?;
    let partner = d.item.name;
    Ok(page(
        StatusCode::OK,
        ConfirmPage::new(
            &u,
            crate::i18n::ta("confirm-remove-title", &[("partner", &partner)]),
            crate::i18n::ta("confirm-remove-explain", &[("partner", &partner)]),
            here,
            crate::i18n::t("partner-remove"),
            format!("/admin/billing/partners/{}", mailto_encode(&id)),
        ),
    ))
}

async fn decline(
    State(s): State<AppState>,
    session: MaybeSession,
    Path(token): Path<String>,
    Form(f): Form<AcceptForm>,
) -> UiResult {
    let u = require(session, &invitation_path(&token))?;
    check_csrf(&u, &f.csrf)?;
    let result = match s.accord.global_admin_desk(&u.principal) {
        Ok(desk) => desk.decline_invitation(&token).await,
        Err(e) => Err(e),
    };
    match result {
        // Redirect after the write: a reload declines nothing twice.
        Ok(()) => {
            Ok(Redirect::to(&format!("{}/declined", invitation_path(&token))).into_response())
        }
        Err(Error::Rule(e)) => Ok(page(
            status_of(&e),
            consent_page(&s, &u, &token, Some(crate::i18n::error(&e))).await?,
        )),
        Err(e) => Err(e.into()),
    }
}

async fn signup_form(
    State(s): State<AppState>,
    session: MaybeSession,
    pre: PreCsrf,
    Path(token): Path<String>,
) -> UiResult {
    if session.0.is_some() {
        return Ok(Redirect::to(&invitation_path(&token)).into_response());
    }
    let preview = s.accord.invitation_preview(&token).await?;
    accord_domain::check_request_usable(preview.status)?;
    let (csrf, headers) = pre_csrf(pre.0, s.secure_cookies);
    let mut res = page(
        StatusCode::OK,
        SignUpPage::new(token, &preview, csrf, SignUpFields::default(), None),
    );
    res.headers_mut().extend(headers);
    Ok(res)
}

#[derive(Deserialize)]
struct SentQuery {
    #[serde(default)]
    to: String,
}

/// The answer to every sign-up, after the redirect (a reload sends nothing again).
async fn signup_sent(
    State(s): State<AppState>,
    Path(token): Path<String>,
    Query(q): Query<SentQuery>,
) -> UiResult {
    let preview = s.accord.invitation_preview(&token).await?;
    // Only an address is shown back: the page's address carries no other text to show.
    let email = accord_domain::normalise_email(&q.to).unwrap_or_default();
    Ok(page(
        StatusCode::OK,
        SignUpSentPage {
            chrome: Chrome::anonymous(),
            token: mailto_encode(&token),
            partner_name: preview.partner_name,
            email,
            hours: SIGNUP_LINK_HOURS,
        },
    ))
}

#[derive(Deserialize)]
struct SignUpForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    domain: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    admin_name: String,
    #[serde(default)]
    admin_email: String,
    #[serde(default)]
    password: String,
}

async fn signup(
    State(s): State<AppState>,
    pre: PreCsrf,
    ClientAddr(client): ClientAddr,
    Path(token): Path<String>,
    Form(f): Form<SignUpForm>,
) -> UiResult {
    let expected = pre.0.ok_or(DomainError::CsrfFailed)?;
    if !same_secret(&expected, &f.csrf) {
        return Err(DomainError::CsrfFailed.into());
    }
    let org = NewOrganisation {
        name: f.name.clone(),
        domain: f.domain.clone(),
        country: f.country.clone(),
        admin_name: f.admin_name.clone(),
        admin_email: f.admin_email.clone(),
        admin_password: f.password,
        // The e-mail in the language of the page the person is reading.
        locale: crate::i18n::current(),
    };
    match s
        .accord
        .sign_up_from_invitation(&token, &org, &client)
        .await
    {
        // The same answer whether or not the address or the domain is registered, after
        // a redirect so that a reload sends nothing again.
        Ok(receipt) => Ok(Redirect::to(&format!(
            "{}/signup/sent?to={}",
            invitation_path(&token),
            mailto_encode(&receipt.email)
        ))
        .into_response()),
        Err(Error::Rule(e)) => {
            let preview = s.accord.invitation_preview(&token).await?;
            let fields = SignUpFields {
                name: f.name,
                domain: f.domain,
                country: f.country,
                admin_name: f.admin_name,
                admin_email: f.admin_email,
            };
            Ok(rule_page(
                &e,
                SignUpPage::new(token, &preview, expected, fields, Some(&e)),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

fn confirm_path(token: &str, code: &str) -> String {
    format!("{}/confirm/{}", invitation_path(token), mailto_encode(code))
}

async fn confirm_form(
    State(s): State<AppState>,
    pre: PreCsrf,
    Path((token, code)): Path<(String, String)>,
) -> UiResult {
    let p = s.accord.pending_signup(&token, &code).await?;
    let (csrf, headers) = pre_csrf(pre.0, s.secure_cookies);
    let mut res = page(
        StatusCode::OK,
        SignUpConfirmPage {
            chrome: Chrome::anonymous(),
            action: confirm_path(&token, &code),
            csrf,
            partner_name: p.partner_name,
            cloud: views::name("cloud", p.cloud.as_str()),
            org_name: p.org_name,
            domain: p.domain,
            country: views::name("country", &p.country),
            admin_name: p.admin_name,
            admin_email: p.admin_email,
            expires: views::datetime(p.expires_at),
        },
    );
    res.headers_mut().extend(headers);
    Ok(res)
}

async fn confirm(
    State(s): State<AppState>,
    pre: PreCsrf,
    Path((token, code)): Path<(String, String)>,
    Form(f): Form<CsrfForm>,
) -> UiResult {
    let expected = pre.0.ok_or(DomainError::CsrfFailed)?;
    if !same_secret(&expected, &f.csrf) {
        return Err(DomainError::CsrfFailed.into());
    }
    let p = s.accord.confirm_sign_up(&token, &code).await?;
    signed_in_redirect(&s, &p, &invitation_path(&token)).await
}

async fn remove_admin_roles(
    State(s): State<AppState>,
    session: MaybeSession,
    Path(id): Path<String>,
    Form(f): Form<AcceptForm>,
) -> UiResult {
    let u = require(session, "/admin/billing/partners")?;
    check_csrf(&u, &f.csrf)?;
    let id: TenantId = id.parse().map_err(|_| not_a_partner_id())?;
    s.accord
        .global_admin_desk(&u.principal)?
        .remove_admin_roles(id)
        .await?;
    Ok(Redirect::to(&format!("/admin/billing/partners/{id}?notice=removed")).into_response())
}

#[derive(Deserialize)]
struct DetailQuery {
    notice: Option<String>,
}

#[derive(Deserialize)]
struct PartnersQuery {
    cursor: Option<String>,
    accepted: Option<String>,
    /// The id of a partner just deleted, for the notice (its name is looked up: the
    /// address carries no text to show).
    deleted: Option<String>,
}

async fn partners(
    State(s): State<AppState>,
    session: MaybeSession,
    Query(q): Query<PartnersQuery>,
) -> UiResult {
    let u = require(session, "/admin/billing/partners")?;
    let desk = s.accord.customer_desk(&u.principal);
    let page_ = desk
        .list_partners(&PageRequest {
            cursor: q.cursor,
            limit: Some(50),
        })
        .await?;
    let (agreement, accepted) = desk.agreement_status().await?;
    let notice = match q.accepted.as_deref().map(str::parse::<TenantId>) {
        Some(Ok(id)) => match desk.partner_detail(id).await {
            Ok(d) => Some(crate::i18n::ta(
                "partner-accepted",
                &[("partner", &d.item.name)],
            )),
            Err(Error::Rule(_)) => None,
            Err(e) => return Err(e.into()),
        },
        _ => match q.deleted.as_deref().map(str::parse::<TenantId>) {
            Some(Ok(id)) => match desk.partner_name(id).await {
                Ok(name) => Some(crate::i18n::ta("partners-deleted", &[("partner", &name)])),
                Err(Error::Rule(_)) => None,
                Err(e) => return Err(e.into()),
            },
            _ => None,
        },
    };
    let rows = page_
        .items
        .into_iter()
        .map(|p| PartnerRow {
            id: p.counterpart_id.to_string(),
            types: views::types_text(&p.types),
            roles: views::roles_text(&p.admin_roles),
            ends: views::grant_text(&p),
            pending: views::pending_text(&p),
            name: p.name,
        })
        .collect::<Vec<_>>();
    Ok(page(
        StatusCode::OK,
        PartnersPage {
            chrome: Chrome::of(Some(&u)),
            agreement_missing: agreement.is_some() && !accepted && !rows.is_empty(),
            rows,
            next_href: page_
                .next_cursor
                .map(|c| format!("/admin/billing/partners?cursor={}", mailto_encode(&c))),
            notice,
        },
    ))
}

async fn partner(
    State(s): State<AppState>,
    session: MaybeSession,
    Path(id): Path<String>,
    Query(q): Query<DetailQuery>,
) -> UiResult {
    let u = require(session, "/admin/billing/partners")?;
    let id: TenantId = id.parse().map_err(|_| not_a_partner_id())?;
    let notice = match q.notice.as_deref() {
        Some("removed") => Some(crate::i18n::t("partner-roles-removed")),
        Some("roles-approved") => Some(crate::i18n::t("partner-roles-approved")),
        Some("roles-declined") => Some(crate::i18n::t("partner-roles-declined")),
        Some("guest-added") => Some(crate::i18n::t("partner-guest-added")),
        Some("guest-changed") => Some(crate::i18n::t("partner-guest-changed")),
        Some("guest-removed") => Some(crate::i18n::t("partner-guest-removed")),
        _ => None,
    };
    let p = partner_page(&s, &u, id, notice, GuestForm::default()).await?;
    Ok(page(StatusCode::OK, p))
}

/// What the guest form held, and why it was refused, when it is shown again.
#[derive(Default)]
struct GuestForm {
    email: String,
    error: Option<DomainError>,
}

/// A partner's detail page (Billing › Partner relationships › the partner).
async fn partner_page(
    s: &AppState,
    u: &SessionUser,
    id: TenantId,
    notice: Option<String>,
    guest_form: GuestForm,
) -> UiResult<PartnerPage> {
    let d = s
        .accord
        .customer_desk(&u.principal)
        .partner_detail(id)
        .await?;
    let is_global_admin = u.principal.has_role(accord_domain::Role::Directory(
        accord_domain::DirectoryRole::GlobalAdmin,
    ));
    let history = if is_global_admin {
        s.accord
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
            .collect()
    } else {
        Vec::new()
    };
    let show_guests = d.item.types.contains(&accord_domain::PartnerType::Partner);
    let guests = match s.accord.global_admin_desk(&u.principal) {
        Ok(desk) if show_guests => desk
            .guests(id)
            .await?
            .iter()
            .map(views::GuestRow::of)
            .collect(),
        _ => Vec::new(),
    };
    let guest_field = match &guest_form.error {
        Some(DomainError::InvalidInput { field, .. }) if field == "roles" => "roles",
        Some(DomainError::InvalidInput { .. }) | Some(DomainError::PartnerUserNotFound { .. }) => {
            "email"
        }
        _ => "",
    };
    Ok(PartnerPage {
        history,
        chrome: Chrome::of(Some(u)),
        contact: d
            .support_contact
            .as_ref()
            .map(|c| format!("{} ({})", c.name, c.email)),
        domain: d.domain,
        country: views::name("country", &d.country),
        cloud: views::name("cloud", d.cloud.as_str()),
        types: views::types_text(&d.item.types),
        roles: views::roles_text(&d.item.admin_roles),
        ends: match &d.roles_removed {
            Some((at, by)) if by.is_empty() => {
                crate::i18n::ta("removed-on", &[("date", &views::date(*at))])
            }
            Some((at, by)) => {
                crate::i18n::ta("removed-on-by", &[("date", &views::date(*at)), ("by", by)])
            }
            None => views::grant_text(&d.item),
        },
        since: views::date(d.item.since),
        can_delete: d.can_delete,
        id: d.item.counterpart_id.to_string(),
        has_admin: d.item.has_admin_privileges,
        is_global_admin,
        notice,
        requested: views::requested_text(&d.item),
        pending: super::directory::role_boxes(&d.item.pending_roles, &d.item.pending_roles),
        name: d.item.name,
        show_guests,
        guests,
        guest_roles: super::directory::role_boxes(accord_service::GUEST_ROLES, &[]),
        guest_email: guest_form.email,
        guest_error: views::FormError::new(guest_form.error.as_ref(), guest_field),
    })
}

#[derive(Deserialize)]
struct GuestFields {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(flatten)]
    boxes: std::collections::HashMap<String, String>,
}

/// Adds a guest account (or replaces its roles); a refusal shows the page again with the
/// form as it was sent.
async fn add_guest(
    State(s): State<AppState>,
    session: MaybeSession,
    Path(id): Path<String>,
    Form(f): Form<GuestFields>,
) -> UiResult {
    let u = require(session, "/admin/billing/partners")?;
    check_csrf(&u, &f.csrf)?;
    let partner: TenantId = id.parse().map_err(|_| not_a_partner_id())?;
    let roles = super::ticked_roles(&f.boxes);
    let result = match s.accord.global_admin_desk(&u.principal) {
        Ok(desk) => desk.add_guest(partner, &f.email, &roles).await,
        Err(e) => Err(e),
    };
    match result {
        Ok((_, new)) => {
            let notice = if new { "guest-added" } else { "guest-changed" };
            Ok(Redirect::to(&format!(
                "/admin/billing/partners/{partner}?notice={notice}#guests"
            ))
            .into_response())
        }
        // A refusal of what was typed: the form again, with the reason beside it.
        Err(Error::Rule(
            e @ (DomainError::InvalidInput { .. }
            | DomainError::UnstorableText { .. }
            | DomainError::PartnerUserNotFound { .. }
            | DomainError::GuestsNeedPartnerType { .. }),
        )) => {
            let status = status_of(&e);
            let p = partner_page(
                &s,
                &u,
                partner,
                None,
                GuestForm {
                    email: f.email,
                    error: Some(e),
                },
            )
            .await?;
            Ok(page(status, p))
        }
        Err(e) => Err(e.into()),
    }
}

async fn remove_guest(
    State(s): State<AppState>,
    session: MaybeSession,
    Path((id, user)): Path<(String, String)>,
    Form(f): Form<CsrfForm>,
) -> UiResult {
    let u = require(session, "/admin/billing/partners")?;
    check_csrf(&u, &f.csrf)?;
    let partner: TenantId = id.parse().map_err(|_| not_a_partner_id())?;
    let user = crate::api::id_or_404(&user, "guest account")?;
    s.accord
        .global_admin_desk(&u.principal)?
        .remove_guest(partner, user)
        .await?;
    Ok(Redirect::to(&format!(
        "/admin/billing/partners/{partner}?notice=guest-removed#guests"
    ))
    .into_response())
}

/// Billing › Subscriptions: what the organisation's partners bought for it.
async fn subscriptions(
    State(s): State<AppState>,
    session: MaybeSession,
    Query(q): Query<CursorQuery>,
) -> UiResult {
    let u = require(session, "/admin/billing/subscriptions")?;
    let page_ = s
        .accord
        .customer_desk(&u.principal)
        .subscriptions(&PageRequest {
            cursor: q.cursor,
            limit: Some(50),
        })
        .await?;
    Ok(page(
        StatusCode::OK,
        views::AdminSubscriptionsPage {
            chrome: Chrome::of(Some(&u)),
            subscriptions: page_
                .items
                .iter()
                .map(|sub| views::SubRow::of(sub, sub.quantity))
                .collect(),
            next: page_.next_cursor,
        },
    ))
}

/// The organisation's service requests, opened by its partners.
async fn service_requests(
    State(s): State<AppState>,
    session: MaybeSession,
    Query(q): Query<CursorQuery>,
) -> UiResult {
    let u = require(session, "/admin/support")?;
    let page_ = s
        .accord
        .customer_desk(&u.principal)
        .service_requests(&PageRequest {
            cursor: q.cursor,
            limit: Some(50),
        })
        .await?;
    Ok(page(
        StatusCode::OK,
        views::AdminServiceRequestsPage {
            chrome: Chrome::of(Some(&u)),
            requests: page_
                .items
                .iter()
                .map(|r| views::SrRow::of(r, format!("/admin/support/{}", r.id)))
                .collect(),
            next: page_.next_cursor,
        },
    ))
}

/// One service request with its comments, read only.
async fn service_request(
    State(s): State<AppState>,
    session: MaybeSession,
    Path(id): Path<String>,
) -> UiResult {
    let u = require(session, "/admin/support")?;
    let id: accord_domain::ServiceRequestId = id.parse().map_err(|_| {
        UiError::Rule(accord_domain::DomainError::NotFound {
            what: "service_request",
        })
    })?;
    let r = s
        .accord
        .customer_desk(&u.principal)
        .service_request(id)
        .await?;
    Ok(page(
        StatusCode::OK,
        views::ServiceRequestPage::of(
            Chrome::of(Some(&u)),
            r,
            ("/admin/support".into(), crate::i18n::t("sr-title")),
            None,
        ),
    ))
}
