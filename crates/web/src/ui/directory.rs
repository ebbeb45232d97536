//! The customer's directory in both portals (issue 9): the Admin Center's Users, Licences
//! and Partner activity for the customer's own admins, and the same Users and Licences
//! pages under a customer in Partner Center for its agents, written once over a [`Place`];
//! the partner's access assignments and role changes; the customer's consent to added
//! roles.
//!
//! A temporary password (a new user, a reset) is shown on the page that answers the form,
//! never stored in clear and never put in an address, so it cannot come back; the answer
//! is marked `no-store`. That is the one form here that does not answer with a redirect.

use accord_domain::{Capability, DirectoryRole, DomainError, SubscriptionId, TenantId, UserId};
use accord_service::{
    ActivityFilter, Directory, DirectoryUser, NewDirectoryUser, PageRequest, UserChanges,
    WithPassword, DELEGATED_ACTIONS,
};
use askama::Template;
use axum::extract::{FromRequestParts, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use std::collections::HashMap;

use super::routes::{Policy, Table};
use super::views::{self, Chrome, ConfirmPage, FormError};
use super::{
    check_csrf, page, require, ticked_roles, CsrfForm, Form, Path, Query, UiError, UiResult,
};
use crate::api::id_or_404;
use crate::auth::{MaybeSession, SessionUser};
use crate::error::status_of;
use crate::AppState;

pub(super) fn table() -> Table {
    use Policy::*;
    Table::default()
        .get("/admin/users", SignedIn, users)
        .post("/admin/users", SignedIn, create)
        .get("/admin/users/{uid}", SignedIn, user)
        .post("/admin/users/{uid}", SignedIn, update)
        .post("/admin/users/{uid}/reset-password", SignedIn, reset)
        .get("/admin/users/{uid}/delete", SignedIn, delete_confirm)
        .post("/admin/users/{uid}/delete", SignedIn, delete)
        .post("/admin/users/{uid}/licenses", SignedIn, assign)
        .post(
            "/admin/users/{uid}/licenses/{sid}/remove",
            SignedIn,
            unassign,
        )
        .get("/admin/licenses", SignedIn, licenses)
        .get("/admin/partner-activity", SignedIn, activity)
        .get("/admin/partner-activity.csv", SignedIn, activity_csv)
        .post(
            "/admin/billing/partners/{id}/admin-roles/approve",
            SignedIn,
            approve_roles,
        )
        .post(
            "/admin/billing/partners/{id}/admin-roles/decline",
            SignedIn,
            decline_roles,
        )
        .get("/partner/customers/{id}/users", PartnerUser, users)
        .post("/partner/customers/{id}/users", PartnerUser, create)
        .get("/partner/customers/{id}/users/{uid}", PartnerUser, user)
        .post("/partner/customers/{id}/users/{uid}", PartnerUser, update)
        .post(
            "/partner/customers/{id}/users/{uid}/reset-password",
            PartnerUser,
            reset,
        )
        .get(
            "/partner/customers/{id}/users/{uid}/delete",
            PartnerUser,
            delete_confirm,
        )
        .post(
            "/partner/customers/{id}/users/{uid}/delete",
            PartnerUser,
            delete,
        )
        .post(
            "/partner/customers/{id}/users/{uid}/licenses",
            PartnerUser,
            assign,
        )
        .post(
            "/partner/customers/{id}/users/{uid}/licenses/{sid}/remove",
            PartnerUser,
            unassign,
        )
        .get("/partner/customers/{id}/licenses", PartnerUser, licenses)
        .get("/partner/customers/{id}/access", PartnerUser, access)
        .post("/partner/customers/{id}/access", PartnerUser, assign_access)
        .post(
            "/partner/customers/{id}/access/{aid}/remove",
            PartnerUser,
            remove_access,
        )
        .post(
            "/partner/customers/{id}/admin-roles",
            PartnerUser,
            change_roles,
        )
}

/// A directory page's caller and place, settled before any body is read: the signed-in
/// user, and the organisation the address names (`{id}`: one of a partner's customers,
/// 404 unless it serves it; none: the user's own), with the path's other ids.
struct At {
    u: SessionUser,
    place: Place,
    params: HashMap<String, String>,
}

impl FromRequestParts<AppState> for At {
    type Rejection = UiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        s: &AppState,
    ) -> Result<Self, UiError> {
        let session = MaybeSession::from_request_parts(parts, s).await?;
        let path = parts.uri.path();
        // After signing in, come back to the page (a form's address is not one).
        let here = if parts.method == axum::http::Method::GET {
            path.to_string()
        } else if path.starts_with("/partner") {
            "/partner/customers".to_string()
        } else {
            "/admin/users".to_string()
        };
        let u = require(session, &here)?;
        let Path(params) = Path::<HashMap<String, String>>::from_request_parts(parts, s).await?;
        let place = match params.get("id") {
            Some(id) => customer_place(s, &u, id).await?,
            None => own(&u),
        };
        Ok(At { u, place, params })
    }
}

impl At {
    /// The user the address names (`{uid}`).
    fn uid(&self) -> UiResult<UserId> {
        Ok(id_or_404(
            self.params.get("uid").map_or("", String::as_str),
            "user",
        )?)
    }
}

/// Where a directory page is: the caller's own organisation (Admin Center) or one of a
/// partner's customers (Partner Center).
struct Place {
    customer: TenantId,
    /// The customer's name, in Partner Center.
    partner_view: Option<String>,
}

impl Place {
    fn base(&self) -> String {
        match self.partner_view {
            None => "/admin".into(),
            Some(_) => format!("/partner/customers/{}", self.customer),
        }
    }

    fn users(&self) -> String {
        format!("{}/users", self.base())
    }

    fn user(&self, id: UserId) -> String {
        format!("{}/users/{id}", self.base())
    }

    /// The breadcrumbs up to the Users list.
    fn crumbs(&self) -> Vec<Crumb> {
        match &self.partner_view {
            None => vec![Crumb::new(
                "/admin/billing/accounts",
                crate::i18n::t("nav-admin-center"),
            )],
            Some(name) => vec![
                Crumb::new("/partner/customers", crate::i18n::t("customers-title")),
                Crumb::new(
                    &format!("/partner/customers/{}", self.customer),
                    name.clone(),
                ),
            ],
        }
    }

    fn title(&self, id: &str) -> String {
        match &self.partner_view {
            None => crate::i18n::t(id),
            Some(name) => format!("{} · {name}", crate::i18n::t(id)),
        }
    }
}

pub struct Crumb {
    pub href: String,
    pub label: String,
}

impl Crumb {
    fn new(href: &str, label: String) -> Self {
        Self {
            href: href.to_string(),
            label,
        }
    }
}

/// The caller's own organisation.
fn own(u: &SessionUser) -> Place {
    Place {
        customer: u.principal.tenant.id,
        partner_view: None,
    }
}

/// One of the partner's customers; 404 for a customer it does not serve.
async fn customer_place(s: &AppState, u: &SessionUser, id: &str) -> UiResult<Place> {
    let desk = s.accord.partner_desk(&u.principal)?;
    let customer: TenantId = id_or_404(id, "customer")?;
    let (account, _, _) = desk.customer_detail(customer).await?;
    Ok(Place {
        customer,
        partner_view: Some(account.name),
    })
}

/// A checkbox of a directory role.
pub struct RoleBox {
    pub value: &'static str,
    pub label: String,
    pub checked: bool,
}

pub(super) fn role_boxes(offer: &[DirectoryRole], checked: &[DirectoryRole]) -> Vec<RoleBox> {
    offer
        .iter()
        .map(|r| RoleBox {
            value: r.as_str(),
            label: views::name("role", r.as_str()),
            checked: checked.contains(r),
        })
        .collect()
}

/// A choice in a select.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub struct UserRow {
    pub href: String,
    pub name: String,
    pub email: String,
    pub roles: String,
    pub status: String,
}

fn status_text(u: &DirectoryUser) -> String {
    if u.disabled {
        crate::i18n::t("dir-status-disabled")
    } else if u.password_temporary {
        crate::i18n::t("dir-status-temporary")
    } else {
        crate::i18n::t("dir-status-enabled")
    }
}

#[derive(Template)]
#[template(path = "directory_users.html")]
pub struct UsersPage {
    pub chrome: Chrome,
    pub crumbs: Vec<Crumb>,
    pub title: String,
    pub base: String,
    pub notice: Option<String>,
    pub delegated: bool,
    pub q: String,
    pub users: Vec<UserRow>,
    pub next: Option<String>,
    pub can_write: bool,
    pub roles: Vec<RoleBox>,
    pub email: String,
    pub display_name: String,
    pub error: FormError,
}

#[derive(Deserialize)]
struct UsersQuery {
    q: Option<String>,
    cursor: Option<String>,
    notice: Option<String>,
}

fn notice_text(n: Option<&str>) -> Option<String> {
    match n {
        Some(
            k @ ("saved" | "deleted" | "license-assigned" | "license-removed" | "access-set"
            | "access-removed" | "roles-asked"),
        ) => Some(crate::i18n::t(&format!("dir-notice-{k}"))),
        _ => None,
    }
}

/// Roles a caller may give: every role with `roles_assign`, else only `user`.
async fn offered_roles(dir: &Directory<'_>) -> UiResult<Vec<DirectoryRole>> {
    Ok(if dir.allows(Capability::RolesAssign).await? {
        DirectoryRole::ALL.to_vec()
    } else {
        vec![DirectoryRole::User]
    })
}

async fn users_page(
    s: &AppState,
    u: &SessionUser,
    place: Place,
    q: UsersQuery,
    form: Option<(&NewUserForm, &DomainError)>,
) -> UiResult {
    let dir = s.accord.directory(&u.principal, place.customer)?;
    let list = dir
        .users(
            q.q.as_deref(),
            &PageRequest {
                cursor: q.cursor.clone(),
                limit: Some(50),
            },
        )
        .await?;
    let can_write = dir.allows(Capability::UsersWrite).await?;
    let offer = if can_write {
        offered_roles(&dir).await?
    } else {
        Vec::new()
    };
    let (email, name, checked, error) = match form {
        Some((f, e)) => (
            f.email.clone(),
            f.display_name.clone(),
            ticked_roles(&f.boxes),
            Some(e),
        ),
        None => (
            String::new(),
            String::new(),
            vec![DirectoryRole::User],
            None,
        ),
    };
    let field = match error {
        Some(DomainError::InvalidInput { field, .. }) if field == "email" => "email",
        Some(DomainError::InvalidInput { field, .. }) if field == "display_name" => "display_name",
        Some(DomainError::EmailTaken { .. }) => "email",
        _ => "",
    };
    let status = error.map_or(StatusCode::OK, status_of);
    Ok(page(
        status,
        UsersPage {
            chrome: Chrome::of(Some(u)),
            crumbs: place.crumbs(),
            title: place.title("dir-users-title"),
            base: place.base(),
            notice: notice_text(q.notice.as_deref()),
            delegated: dir.is_delegated(),
            q: q.q.unwrap_or_default(),
            users: list
                .items
                .iter()
                .map(|d| UserRow {
                    href: place.user(d.id),
                    name: d.display_name.clone(),
                    email: d.email.clone(),
                    roles: views::roles_text(&d.roles),
                    status: status_text(d),
                })
                .collect(),
            next: list.next_cursor,
            can_write,
            roles: role_boxes(&offer, &checked),
            email,
            display_name: name,
            error: FormError::new(error, field),
        },
    ))
}

#[derive(Deserialize)]
struct NewUserForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    display_name: String,
    #[serde(flatten)]
    boxes: HashMap<String, String>,
}

/// The answer that shows a temporary password, once.
#[derive(Template)]
#[template(path = "directory_password.html")]
pub struct PasswordPage {
    pub chrome: Chrome,
    pub crumbs: Vec<Crumb>,
    pub title: String,
    pub explain: String,
    pub name: String,
    pub email: String,
    pub password: String,
    pub back: String,
}

fn password_page(u: &SessionUser, place: &Place, w: WithPassword, title_id: &str) -> Response {
    let mut res = page(
        StatusCode::OK,
        PasswordPage {
            chrome: Chrome::of(Some(u)),
            crumbs: place.crumbs(),
            title: crate::i18n::t(title_id),
            explain: crate::i18n::t("dir-password-explain"),
            name: w.user.display_name.clone(),
            email: w.user.email.clone(),
            password: w.temporary_password,
            back: place.user(w.user.id),
        },
    );
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

async fn create_user(s: &AppState, u: &SessionUser, place: Place, f: NewUserForm) -> UiResult {
    check_csrf(u, &f.csrf)?;
    let dir = s.accord.directory(&u.principal, place.customer)?;
    let result = dir
        .create_user(&NewDirectoryUser {
            email: f.email.clone(),
            display_name: f.display_name.clone(),
            roles: ticked_roles(&f.boxes),
        })
        .await;
    match result {
        Ok(w) => Ok(password_page(u, &place, w, "dir-created-title")),
        Err(accord_service::Error::Rule(e)) => {
            let q = UsersQuery {
                q: None,
                cursor: None,
                notice: None,
            };
            users_page(s, u, place, q, Some((&f, &e))).await
        }
        Err(e) => Err(e.into()),
    }
}

pub struct LicenseRow {
    pub product: String,
    pub remove: String,
}

#[derive(Template)]
#[template(path = "directory_user.html")]
pub struct UserPage {
    pub chrome: Chrome,
    pub crumbs: Vec<Crumb>,
    pub users_href: String,
    pub users_label: String,
    pub href: String,
    pub name: String,
    pub email: String,
    pub roles_text: String,
    pub status: String,
    pub created: String,
    pub notice: Option<String>,
    pub error: FormError,
    pub can_write: bool,
    pub roles: Vec<RoleBox>,
    pub disabled: bool,
    pub can_reset: bool,
    pub can_licenses: bool,
    pub licenses: Vec<LicenseRow>,
    pub assignable: Vec<Choice>,
}

async fn user_page(
    s: &AppState,
    u: &SessionUser,
    place: Place,
    id: UserId,
    notice: Option<String>,
    error: Option<&DomainError>,
) -> UiResult {
    let dir = s.accord.directory(&u.principal, place.customer)?;
    let user = dir.user(id).await?;
    let can_write = dir.allows(Capability::UsersWrite).await?;
    let mut offer = if can_write {
        offered_roles(&dir).await?
    } else {
        Vec::new()
    };
    // A User admin may rename a user but not change an admin's roles.
    if user.is_admin() && !offer.contains(&DirectoryRole::GlobalAdmin) {
        offer.clear();
    }
    let admin_target = user.is_admin();
    let can_reset = dir
        .allows(if admin_target {
            Capability::PasswordsResetAdmins
        } else {
            Capability::PasswordsResetUsers
        })
        .await?;
    let can_licenses = dir.allows(Capability::LicensesAssign).await?;
    let all = if dir.allows(Capability::LicensesRead).await? {
        dir.licenses().await?
    } else {
        Vec::new()
    };
    let href = place.user(id);
    let licenses = all
        .iter()
        .filter(|l| user.licenses.contains(&l.subscription_id))
        .map(|l| LicenseRow {
            product: l.product_name.clone(),
            remove: format!("{href}/licenses/{}/remove", l.subscription_id),
        })
        .collect();
    let assignable = all
        .iter()
        .filter(|l| !user.licenses.contains(&l.subscription_id) && l.available() > 0)
        .map(|l| Choice {
            value: l.subscription_id.to_string(),
            label: crate::i18n::ta(
                "dir-license-choice",
                &[
                    ("product", &l.product_name),
                    ("available", &l.available().to_string()),
                    ("seats", &l.seats.to_string()),
                ],
            ),
            selected: false,
        })
        .collect();
    let field = match error {
        Some(DomainError::InvalidInput { field, .. }) if field == "display_name" => "display_name",
        _ => "",
    };
    Ok(page(
        error.map_or(StatusCode::OK, status_of),
        UserPage {
            chrome: Chrome::of(Some(u)),
            users_href: place.users(),
            users_label: crate::i18n::t("dir-users-title"),
            crumbs: place.crumbs(),
            href,
            name: user.display_name.clone(),
            email: user.email.clone(),
            roles_text: views::roles_text(&user.roles),
            status: status_text(&user),
            created: views::date(user.created_at),
            notice,
            error: FormError::new(error, field),
            can_write,
            roles: role_boxes(&offer, &user.roles),
            disabled: user.disabled,
            can_reset,
            can_licenses,
            licenses,
            assignable,
        },
    ))
}

#[derive(Deserialize)]
struct UpdateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    display_name: String,
    disabled: Option<String>,
    /// Present when the form offered role boxes.
    choose_roles: Option<String>,
    #[serde(flatten)]
    boxes: HashMap<String, String>,
}

async fn update_user(
    s: &AppState,
    u: &SessionUser,
    place: Place,
    id: UserId,
    f: UpdateForm,
) -> UiResult {
    check_csrf(u, &f.csrf)?;
    let dir = s.accord.directory(&u.principal, place.customer)?;
    let changes = UserChanges {
        display_name: Some(f.display_name.clone()),
        roles: f.choose_roles.as_ref().map(|_| ticked_roles(&f.boxes)),
        disabled: Some(f.disabled.is_some()),
    };
    match dir.update_user(id, &changes).await {
        Ok(_) => Ok(Redirect::to(&format!("{}?notice=saved", place.user(id))).into_response()),
        Err(accord_service::Error::Rule(e)) => user_page(s, u, place, id, None, Some(&e)).await,
        Err(e) => Err(e.into()),
    }
}

/// Runs an action on the user page: a redirect with a notice when it worked, the page
/// with the error when a rule refused it.
async fn user_action<T>(
    s: &AppState,
    u: &SessionUser,
    place: Place,
    id: UserId,
    result: accord_service::Result<T>,
    notice: &str,
) -> UiResult {
    match result {
        Ok(_) => Ok(Redirect::to(&format!("{}?notice={notice}", place.user(id))).into_response()),
        Err(accord_service::Error::Rule(e)) => user_page(s, u, place, id, None, Some(&e)).await,
        Err(e) => Err(e.into()),
    }
}

async fn reset_password(
    s: &AppState,
    u: &SessionUser,
    place: Place,
    id: UserId,
    csrf: &str,
) -> UiResult {
    check_csrf(u, csrf)?;
    let dir = s.accord.directory(&u.principal, place.customer)?;
    match dir.reset_password(id).await {
        Ok(w) => Ok(password_page(u, &place, w, "dir-reset-title")),
        Err(accord_service::Error::Rule(e)) => user_page(s, u, place, id, None, Some(&e)).await,
        Err(e) => Err(e.into()),
    }
}

async fn confirm_delete(s: &AppState, u: &SessionUser, place: Place, id: UserId) -> UiResult {
    let dir = s.accord.directory(&u.principal, place.customer)?;
    let user = dir.user(id).await?;
    let href = place.user(id);
    Ok(page(
        StatusCode::OK,
        ConfirmPage::new(
            u,
            crate::i18n::ta("dir-delete-title", &[("name", &user.display_name)]),
            crate::i18n::ta("dir-delete-explain", &[("email", &user.email)]),
            format!("{href}/delete"),
            crate::i18n::t("dir-delete"),
            href,
        ),
    ))
}

async fn delete_user(
    s: &AppState,
    u: &SessionUser,
    place: Place,
    id: UserId,
    csrf: &str,
) -> UiResult {
    check_csrf(u, csrf)?;
    let dir = s.accord.directory(&u.principal, place.customer)?;
    match dir.delete_user(id).await {
        Ok(()) => Ok(Redirect::to(&format!("{}?notice=deleted", place.users())).into_response()),
        Err(accord_service::Error::Rule(e)) => user_page(s, u, place, id, None, Some(&e)).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct LicenseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    subscription_id: String,
}

async fn assign_license(
    s: &AppState,
    u: &SessionUser,
    place: Place,
    id: UserId,
    f: LicenseForm,
) -> UiResult {
    check_csrf(u, &f.csrf)?;
    let sub: SubscriptionId = id_or_404(&f.subscription_id, "subscription")?;
    let dir = s.accord.directory(&u.principal, place.customer)?;
    let r = dir.assign_license(id, sub).await;
    user_action(s, u, place, id, r, "license-assigned").await
}

async fn remove_license(
    s: &AppState,
    u: &SessionUser,
    place: Place,
    id: UserId,
    sid: &str,
    csrf: &str,
) -> UiResult {
    check_csrf(u, csrf)?;
    let sub: SubscriptionId = id_or_404(sid, "license")?;
    let dir = s.accord.directory(&u.principal, place.customer)?;
    let r = dir.remove_license(id, sub).await;
    user_action(s, u, place, id, r, "license-removed").await
}

pub struct SeatRow {
    pub product: String,
    pub partner: String,
    pub seats: u32,
    pub assigned: u32,
    pub available: u32,
}

#[derive(Template)]
#[template(path = "directory_licenses.html")]
pub struct LicensesPage {
    pub chrome: Chrome,
    pub crumbs: Vec<Crumb>,
    pub title: String,
    pub users: String,
    pub rows: Vec<SeatRow>,
}

async fn licenses_page(s: &AppState, u: &SessionUser, place: Place) -> UiResult {
    let dir = s.accord.directory(&u.principal, place.customer)?;
    let rows = dir
        .licenses()
        .await?
        .into_iter()
        .map(|l| SeatRow {
            available: l.available(),
            product: l.product_name,
            partner: l.partner_name,
            seats: l.seats,
            assigned: l.assigned,
        })
        .collect();
    Ok(page(
        StatusCode::OK,
        LicensesPage {
            chrome: Chrome::of(Some(u)),
            crumbs: place.crumbs(),
            title: place.title("dir-licenses-title"),
            users: place.users(),
            rows,
        },
    ))
}

// ---- the handlers: one per operation, for both portals ---------------------------------

async fn users(State(s): State<AppState>, at: At, Query(q): Query<UsersQuery>) -> UiResult {
    users_page(&s, &at.u, at.place, q, None).await
}

async fn create(State(s): State<AppState>, at: At, Form(f): Form<NewUserForm>) -> UiResult {
    create_user(&s, &at.u, at.place, f).await
}

async fn user(State(s): State<AppState>, at: At, Query(q): Query<UsersQuery>) -> UiResult {
    let id = at.uid()?;
    let notice = notice_text(q.notice.as_deref());
    user_page(&s, &at.u, at.place, id, notice, None).await
}

async fn update(State(s): State<AppState>, at: At, Form(f): Form<UpdateForm>) -> UiResult {
    let id = at.uid()?;
    update_user(&s, &at.u, at.place, id, f).await
}

async fn reset(State(s): State<AppState>, at: At, Form(f): Form<CsrfForm>) -> UiResult {
    let id = at.uid()?;
    reset_password(&s, &at.u, at.place, id, &f.csrf).await
}

async fn delete_confirm(State(s): State<AppState>, at: At) -> UiResult {
    let id = at.uid()?;
    confirm_delete(&s, &at.u, at.place, id).await
}

async fn delete(State(s): State<AppState>, at: At, Form(f): Form<CsrfForm>) -> UiResult {
    let id = at.uid()?;
    delete_user(&s, &at.u, at.place, id, &f.csrf).await
}

async fn assign(State(s): State<AppState>, at: At, Form(f): Form<LicenseForm>) -> UiResult {
    let id = at.uid()?;
    assign_license(&s, &at.u, at.place, id, f).await
}

async fn unassign(State(s): State<AppState>, at: At, Form(f): Form<CsrfForm>) -> UiResult {
    let id = at.uid()?;
    let sid = at.params.get("sid").cloned().unwrap_or_default();
    remove_license(&s, &at.u, at.place, id, &sid, &f.csrf).await
}

async fn licenses(State(s): State<AppState>, at: At) -> UiResult {
    licenses_page(&s, &at.u, at.place).await
}

// ---- partner activity -------------------------------------------------------------------

pub struct ActivityRow {
    pub at: String,
    pub partner: String,
    pub agent: String,
    pub action: String,
    pub target: String,
    pub roles: String,
    pub outcome: String,
    pub request_id: String,
}

#[derive(Template)]
#[template(path = "admin_partner_activity.html")]
pub struct ActivityPage {
    pub chrome: Chrome,
    pub partners: Vec<Choice>,
    pub agents: Vec<Choice>,
    pub actions: Vec<Choice>,
    pub from: String,
    pub until: String,
    pub rows: Vec<ActivityRow>,
    pub next: Option<String>,
    pub csv: String,
    pub query: String,
}

#[derive(Deserialize, Default)]
struct ActivityForm {
    partner: Option<String>,
    agent: Option<String>,
    action: Option<String>,
    /// Dates (YYYY-MM-DD), in UTC.
    from: Option<String>,
    until: Option<String>,
    cursor: Option<String>,
}

impl ActivityForm {
    fn filter(&self) -> UiResult<ActivityFilter> {
        let day = |field: &str,
                   v: &Option<String>,
                   plus: i64|
         -> UiResult<Option<chrono::DateTime<chrono::Utc>>> {
            match v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                None => Ok(None),
                Some(v) => chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
                    .ok()
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
                    .map(|t| Some(t.and_utc() + chrono::Duration::days(plus)))
                    .ok_or_else(|| {
                        DomainError::invalid(
                            field,
                            accord_domain::InvalidReason::Unreadable {
                                detail: "YYYY-MM-DD".into(),
                            },
                        )
                        .into()
                    }),
            }
        };
        // An id chosen in a list; "any" is empty.
        fn chosen<T: std::str::FromStr>(
            v: &Option<String>,
            what: &'static str,
        ) -> UiResult<Option<T>> {
            match v.as_deref().filter(|v| !v.is_empty()) {
                None => Ok(None),
                Some(v) => Ok(Some(id_or_404(v, what)?)),
            }
        }
        let partner = chosen(&self.partner, "partner")?;
        let agent = chosen(&self.agent, "user")?;
        let action = self
            .action
            .clone()
            .filter(|a| DELEGATED_ACTIONS.contains(&a.as_str()));
        Ok(ActivityFilter {
            partner,
            agent,
            action,
            from: day("from", &self.from, 0)?,
            // "until" names the last day shown, so the filter ends the day after.
            until: day("until", &self.until, 1)?,
        })
    }

    fn query(&self) -> String {
        let enc = crate::api::mailto_encode;
        let pairs = [
            ("partner", &self.partner),
            ("agent", &self.agent),
            ("action", &self.action),
            ("from", &self.from),
            ("until", &self.until),
        ];
        pairs
            .iter()
            .filter_map(|(k, v)| {
                v.as_ref()
                    .filter(|v| !v.is_empty())
                    .map(|v| format!("{k}={}", enc(v)))
            })
            .collect::<Vec<_>>()
            .join("&")
    }
}

async fn activity(
    State(s): State<AppState>,
    session: MaybeSession,
    Query(f): Query<ActivityForm>,
) -> UiResult {
    let u = require(session, "/admin/partner-activity")?;
    let dir = s.accord.directory(&u.principal, u.principal.tenant.id)?;
    let filter = f.filter()?;
    let page_of = dir
        .partner_activity(
            &filter,
            &PageRequest {
                cursor: f.cursor.clone(),
                limit: Some(50),
            },
        )
        .await?;
    let partners = s
        .accord
        .customer_desk(&u.principal)
        .list_partners(&PageRequest {
            cursor: None,
            limit: Some(accord_service::MAX_LIMIT),
        })
        .await?
        .items
        .into_iter()
        .map(|p| Choice {
            selected: filter.partner == Some(p.counterpart_id),
            value: p.counterpart_id.to_string(),
            label: p.name,
        })
        .collect();
    let agents = dir
        .activity_agents()
        .await?
        .into_iter()
        .map(|a| Choice {
            selected: filter.agent == Some(a.agent_id),
            value: a.agent_id.to_string(),
            label: format!("{} ({}) · {}", a.agent_name, a.agent_email, a.partner_name),
        })
        .collect();
    let actions = DELEGATED_ACTIONS
        .iter()
        .map(|a| Choice {
            value: (*a).to_string(),
            label: views::name("activity", a),
            selected: filter.action.as_deref() == Some(*a),
        })
        .collect();
    let query = f.query();
    let rows = page_of
        .items
        .into_iter()
        .map(|a| ActivityRow {
            at: views::datetime(a.at),
            partner: a.partner_name,
            agent: format!("{} ({})", a.agent_name, a.agent_email),
            action: views::name("activity", &a.action),
            target: a.target_label,
            roles: views::roles_text(&a.roles_used),
            outcome: match a.error_code {
                Some(code) => format!("{} ({})", views::name("outcome", &a.outcome), code),
                None => views::name("outcome", &a.outcome),
            },
            request_id: a.request_id.unwrap_or_default(),
        })
        .collect();
    Ok(page(
        StatusCode::OK,
        ActivityPage {
            chrome: Chrome::of(Some(&u)),
            partners,
            agents,
            actions,
            from: f.from.clone().unwrap_or_default(),
            until: f.until.clone().unwrap_or_default(),
            rows,
            next: page_of.next_cursor,
            csv: format!("/admin/partner-activity.csv?{query}"),
            query,
        },
    ))
}

async fn activity_csv(
    State(s): State<AppState>,
    session: MaybeSession,
    Query(f): Query<ActivityForm>,
) -> UiResult {
    let u = require(session, "/admin/partner-activity")?;
    let dir = s.accord.directory(&u.principal, u.principal.tenant.id)?;
    let csv = crate::api::activity_csv(&dir, &f.filter()?).await?;
    Ok(crate::api::csv_attachment(csv))
}

// ---- access assignments and role changes (Partner Center) ------------------------------

pub struct AssignmentRow {
    pub agent: String,
    pub roles: String,
    pub inactive: String,
    pub remove: String,
}

#[derive(Template)]
#[template(path = "partner_access.html")]
pub struct AccessPage {
    pub chrome: Chrome,
    pub id: String,
    pub customer: String,
    pub notice: Option<String>,
    pub error: FormError,
    pub granted: String,
    pub requested: String,
    pub pending: String,
    pub ends: String,
    pub in_force: bool,
    pub unassigned: bool,
    pub rows: Vec<AssignmentRow>,
    pub can_staff: bool,
    pub agents: Vec<Choice>,
    pub grant_roles: Vec<RoleBox>,
    pub change_roles: Vec<RoleBox>,
}

async fn access_page(
    s: &AppState,
    u: &SessionUser,
    id: TenantId,
    notice: Option<String>,
    error: Option<&DomainError>,
) -> UiResult {
    let desk = s.accord.partner_desk(&u.principal)?;
    let o = desk.access(id).await?;
    let r = &o.relationship;
    let in_force = r.has_admin_privileges;
    let can_staff = u.principal.has_role(accord_domain::Role::Partner(
        accord_domain::PartnerRole::PartnerAdmin,
    ));
    let agents = if can_staff {
        desk.assignable_agents()
            .await?
            .into_iter()
            .map(|c| Choice {
                value: c.user_id.to_string(),
                label: format!("{} ({})", c.name, c.email),
                selected: false,
            })
            .collect()
    } else {
        Vec::new()
    };
    let admin_roles: Vec<DirectoryRole> = DirectoryRole::ALL
        .iter()
        .copied()
        .filter(|r| r.is_admin())
        .collect();
    let wanted: Vec<DirectoryRole> = r
        .admin_roles
        .iter()
        .chain(&r.pending_roles)
        .copied()
        .collect();
    let field = match error {
        Some(DomainError::InvalidInput { field, .. }) if field == "agent_id" => "agent_id",
        _ => "",
    };
    Ok(page(
        error.map_or(StatusCode::OK, status_of),
        AccessPage {
            chrome: Chrome::of(Some(u)),
            id: id.to_string(),
            customer: r.name.clone(),
            notice,
            error: FormError::new(error, field),
            granted: views::roles_text(&r.admin_roles),
            requested: views::requested_text(r),
            pending: views::pending_text(r),
            ends: views::grant_text(r),
            in_force,
            unassigned: o.unassigned,
            rows: o
                .assignments
                .iter()
                .map(|a| AssignmentRow {
                    agent: format!("{} ({})", a.agent_name, a.agent_email),
                    roles: views::roles_text(&a.roles),
                    inactive: views::roles_text(&a.inactive_roles),
                    remove: format!("/partner/customers/{id}/access/{}/remove", a.id),
                })
                .collect(),
            can_staff,
            agents,
            grant_roles: role_boxes(&r.admin_roles, &[]),
            change_roles: role_boxes(&admin_roles, &wanted),
        },
    ))
}

#[derive(Deserialize)]
struct NoticeOnly {
    notice: Option<String>,
}

async fn access(
    State(s): State<AppState>,
    session: MaybeSession,
    Path(id): Path<String>,
    Query(q): Query<NoticeOnly>,
) -> UiResult {
    let u = require(session, "/partner/customers")?;
    s.accord.partner_desk(&u.principal)?;
    let id = id_or_404(&id, "customer")?;
    access_page(&s, &u, id, notice_text(q.notice.as_deref()), None).await
}

#[derive(Deserialize)]
struct AssignForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    agent_id: String,
    #[serde(flatten)]
    boxes: HashMap<String, String>,
}

async fn access_result<T>(
    s: &AppState,
    u: &SessionUser,
    id: TenantId,
    r: accord_service::Result<T>,
    notice: &str,
) -> UiResult {
    match r {
        Ok(_) => Ok(
            Redirect::to(&format!("/partner/customers/{id}/access?notice={notice}"))
                .into_response(),
        ),
        Err(accord_service::Error::Rule(e)) => access_page(s, u, id, None, Some(&e)).await,
        Err(e) => Err(e.into()),
    }
}

async fn assign_access(
    State(s): State<AppState>,
    session: MaybeSession,
    Path(id): Path<String>,
    Form(f): Form<AssignForm>,
) -> UiResult {
    let u = require(session, "/partner/customers")?;
    let desk = s.accord.partner_desk(&u.principal)?;
    check_csrf(&u, &f.csrf)?;
    let id = id_or_404(&id, "customer")?;
    let r = match f.agent_id.parse::<UserId>() {
        Ok(agent) => desk.assign_access(id, agent, &ticked_roles(&f.boxes)).await,
        Err(_) => {
            Err(DomainError::invalid("agent_id", accord_domain::InvalidReason::NotAnAgent).into())
        }
    };
    access_result(&s, &u, id, r, "access-set").await
}

async fn remove_access(
    State(s): State<AppState>,
    session: MaybeSession,
    Path((id, aid)): Path<(String, String)>,
    Form(f): Form<CsrfForm>,
) -> UiResult {
    let u = require(session, "/partner/customers")?;
    let desk = s.accord.partner_desk(&u.principal)?;
    check_csrf(&u, &f.csrf)?;
    let id = id_or_404(&id, "customer")?;
    let aid = id_or_404(&aid, "access_assignment")?;
    let r = desk.remove_access(id, aid).await;
    access_result(&s, &u, id, r, "access-removed").await
}

/// A form of role checkboxes (`role_<name>`): the partner's ask for new roles, and the
/// customer's consent to some of them.
#[derive(Deserialize)]
struct RolesForm {
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    boxes: HashMap<String, String>,
}

async fn change_roles(
    State(s): State<AppState>,
    session: MaybeSession,
    Path(id): Path<String>,
    Form(f): Form<RolesForm>,
) -> UiResult {
    let u = require(session, "/partner/customers")?;
    let desk = s.accord.partner_desk(&u.principal)?;
    check_csrf(&u, &f.csrf)?;
    let id = id_or_404(&id, "customer")?;
    let r = desk.ask_role_change(id, &ticked_roles(&f.boxes)).await;
    access_result(&s, &u, id, r, "roles-asked").await
}

// ---- the customer's consent to added roles (Admin Center) ------------------------------

async fn approve_roles(
    State(s): State<AppState>,
    session: MaybeSession,
    Path(id): Path<String>,
    Form(f): Form<RolesForm>,
) -> UiResult {
    let u = require(session, "/admin/billing/partners")?;
    check_csrf(&u, &f.csrf)?;
    let partner: TenantId = id_or_404(&id, "partner")?;
    let roles = ticked_roles(&f.boxes);
    s.accord
        .global_admin_desk(&u.principal)?
        .approve_roles(partner, Some(&roles))
        .await?;
    Ok(Redirect::to(&format!(
        "/admin/billing/partners/{partner}?notice=roles-approved"
    ))
    .into_response())
}

async fn decline_roles(
    State(s): State<AppState>,
    session: MaybeSession,
    Path(id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> UiResult {
    let u = require(session, "/admin/billing/partners")?;
    check_csrf(&u, &f.csrf)?;
    let partner: TenantId = id_or_404(&id, "partner")?;
    s.accord
        .global_admin_desk(&u.principal)?
        .decline_roles(partner)
        .await?;
    Ok(Redirect::to(&format!(
        "/admin/billing/partners/{partner}?notice=roles-declined"
    ))
    .into_response())
}
