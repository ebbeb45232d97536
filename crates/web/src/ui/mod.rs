//! The server-rendered portals: sign-in, Partner Center (`/partner`), Admin Center
//! (`/admin`) and the public agreement page. Plain HTML forms, every one with a CSRF
//! token; a little script only for copy-to-clipboard.

mod admin;
mod directory;
mod listings;
mod oem;
mod operator;
mod partner;
mod routes;
mod views;

use routes::Table;
pub use routes::{Policy, PortalRoute};

use accord_domain::{DomainError, InvalidReason};
use accord_service::{Error, Principal};
use askama::Template;
use axum::extract::rejection::{FormRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Router;
use serde::Deserialize;

use crate::auth::{
    same_secret, set_cookie, ClientAddr, CookieName, MaybeSession, PreCsrf, SessionUser,
};
use crate::error::status_of;
use crate::AppState;
pub use views::Chrome;
use views::{AgreementPage, ChangePasswordPage, ErrorPage, HomePage, SignInPage};

/// Every portal route with its policy.
fn table() -> Table {
    use Policy::*;
    Table::default()
        .get("/", Public, home)
        .get("/signin", Public, signin_form)
        .post("/signin", Public, signin)
        .post("/signin/password", Public, change_password)
        .post("/signout", SignedIn, signout)
        .get("/agreement", Public, agreement)
        .get("/lang/{locale}", Public, switch_language)
        .get("/static/app.css", Public, css)
        .get("/static/app.js", Public, js)
        .get("/favicon.ico", Public, || async { StatusCode::NO_CONTENT })
        .merge(partner::table())
        .merge(admin::table())
        .merge(oem::table())
        .merge(directory::table())
        .merge(listings::table())
        .merge(operator::table())
}

pub fn router() -> Router<AppState> {
    let (router, _) = table().build();
    router
        .fallback(not_found)
        .layer(axum::middleware::from_fn(|req, next| {
            crate::headers::method_not_allowed(req, next, method_not_allowed)
        }))
}

/// The portal's routes and their policies, for the policy test.
pub fn routes() -> Vec<PortalRoute> {
    table().build().1
}

/// A page asked for with a method it does not answer: the error page.
fn method_not_allowed(_allow: Option<&str>) -> Response {
    page(
        StatusCode::METHOD_NOT_ALLOWED,
        ErrorPage {
            chrome: Chrome::anonymous(),
            title: crate::i18n::t("error-page-not-allowed"),
            message: crate::i18n::t("error-page-not-allowed-text"),
            code: "method_not_allowed".into(),
        },
    )
}

/// A form body whose rejections are error pages with a stable code. A field holding a NUL
/// byte or another control character (line breaks and tabs aside) is refused with 400
/// `invalid_text` before the handler sees it.
pub struct Form<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for Form<T> {
    type Rejection = UiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, UiError> {
        let (parts, body) = req.into_parts();
        let bytes = axum::body::to_bytes(body, crate::api::MAX_BODY)
            .await
            .map_err(|_| DomainError::invalid("form", InvalidReason::FormTooLarge))?;
        for (name, value) in url::form_urlencoded::parse(&bytes) {
            accord_domain::check_text(&name, &value, 100_000)?;
        }
        let req = axum::extract::Request::from_parts(parts, axum::body::Body::from(bytes));
        let axum::Form(v) = axum::Form::<T>::from_request(req, state).await?;
        Ok(Form(v))
    }
}

/// A path parameter whose rejections are error pages.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(UiError))]
pub struct Path<T>(pub T);

/// A query string whose rejections are error pages.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(UiError))]
pub struct Query<T>(pub T);

impl From<FormRejection> for UiError {
    fn from(r: FormRejection) -> Self {
        UiError::Rule(DomainError::invalid(
            "form",
            InvalidReason::Unreadable {
                detail: r.body_text(),
            },
        ))
    }
}

impl From<PathRejection> for UiError {
    fn from(r: PathRejection) -> Self {
        UiError::Rule(DomainError::invalid(
            "path",
            InvalidReason::Unreadable {
                detail: r.body_text(),
            },
        ))
    }
}

impl From<QueryRejection> for UiError {
    fn from(r: QueryRejection) -> Self {
        UiError::Rule(DomainError::invalid(
            "query",
            InvalidReason::Unreadable {
                detail: r.body_text(),
            },
        ))
    }
}

/// An error shown as a page.
#[derive(Debug)]
pub enum UiError {
    /// Not signed in: go to the sign-in page, then come back.
    SignIn {
        next: String,
    },
    Rule(DomainError),
    Internal(String),
}

impl From<Error> for UiError {
    fn from(e: Error) -> Self {
        match e {
            Error::Rule(r) => UiError::Rule(r),
            Error::Internal(m) => UiError::Internal(m),
        }
    }
}

impl From<DomainError> for UiError {
    fn from(e: DomainError) -> Self {
        UiError::Rule(e)
    }
}

impl IntoResponse for UiError {
    fn into_response(self) -> Response {
        match self {
            UiError::SignIn { next } => Redirect::to(&format!(
                "/signin?next={}",
                crate::api::mailto_encode(&next)
            ))
            .into_response(),
            UiError::Rule(e) => rule_page(
                &e,
                ErrorPage {
                    chrome: Chrome::anonymous(),
                    title: accord_i18n::error_title(crate::i18n::current(), &e),
                    message: crate::i18n::error(&e),
                    code: e.code().to_string(),
                },
            ),
            UiError::Internal(m) => {
                tracing::error!(error = %m, "internal error");
                page(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ErrorPage {
                        chrome: Chrome::anonymous(),
                        title: crate::i18n::t("error-page-internal"),
                        message: crate::i18n::t("error-internal_error"),
                        code: "internal_error".into(),
                    },
                )
            }
        }
    }
}

pub type UiResult<T = Response> = Result<T, UiError>;

/// Renders a page for a refused request: the rule's status, and `Retry-After` when the
/// rule is a throttle.
pub fn rule_page(e: &DomainError, t: impl Template) -> Response {
    let mut res = page(status_of(e), t);
    if let Some(secs) = crate::error::retry_after(e) {
        res.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    res
}

/// Renders a template as an HTML response.
pub fn page(status: StatusCode, t: impl Template) -> Response {
    match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template rendering failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

/// The signed-in user, or a redirect to sign in and back to `here`.
pub fn require(session: MaybeSession, here: &str) -> UiResult<SessionUser> {
    session.0.ok_or_else(|| UiError::SignIn {
        next: here.to_string(),
    })
}

/// Checks a signed-in form's CSRF token.
pub fn check_csrf(user: &SessionUser, presented: &str) -> UiResult<()> {
    if same_secret(&user.csrf, presented) {
        Ok(())
    } else {
        Err(DomainError::CsrfFailed.into())
    }
}

/// A safe local redirect target: a path on this site, never another origin.
fn local_path(next: Option<&str>) -> Option<String> {
    let n = next?;
    (n.starts_with('/')
        && !n.starts_with("//")
        && !n.contains('\\')
        && !n.contains(char::is_control))
    .then(|| n.to_string())
}

fn home_of(p: &Principal) -> &'static str {
    if p.tenant.is_partner && p.has_partner_role() {
        "/partner/customers"
    } else {
        "/admin/billing/partners"
    }
}

/// Starts a portal session for `p` and redirects to `to` with the session cookie set.
pub async fn signed_in_redirect(s: &AppState, p: &Principal, to: &str) -> UiResult {
    let session = s.accord.create_session(p).await?;
    let mut res = Redirect::to(to).into_response();
    let ttl = i64::from(s.accord.config().session_ttl_hours) * 3600;
    if let Ok(v) = HeaderValue::from_str(&set_cookie(
        CookieName::Session,
        &session.token,
        ttl,
        s.secure_cookies,
    )) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(res)
}

/// The language switcher: remembers the choice for a year and goes back to the page.
async fn switch_language(
    State(s): State<AppState>,
    Path(locale): Path<String>,
    Query(q): Query<NextQuery>,
) -> UiResult {
    let l: accord_domain::Locale = match locale.as_str() {
        "en" | "ko" => locale
            .parse()
            .map_err(|()| DomainError::NotFound { what: "page" })?,
        _ => return Err(DomainError::NotFound { what: "page" }.into()),
    };
    let to = local_path(q.next.as_deref()).unwrap_or_else(|| "/".into());
    let mut res = Redirect::to(&to).into_response();
    let cookie = format!(
        "{}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly{}",
        crate::i18n::COOKIE,
        l.as_str(),
        if s.secure_cookies { "; Secure" } else { "" }
    );
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(res)
}

async fn home(session: MaybeSession) -> Response {
    page(
        StatusCode::OK,
        HomePage {
            chrome: Chrome::of(session.0.as_ref()),
        },
    )
}

async fn not_found(session: MaybeSession) -> Response {
    page(
        StatusCode::NOT_FOUND,
        ErrorPage {
            chrome: Chrome::of(session.0.as_ref()),
            title: crate::i18n::t("error-page-not-found"),
            message: crate::i18n::t("error-page-not-found-text"),
            code: "not_found".into(),
        },
    )
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

/// A fresh pre-session CSRF token, or the one the browser already has.
pub(crate) fn pre_csrf(existing: Option<String>, secure: bool) -> (String, HeaderMap) {
    let mut headers = HeaderMap::new();
    let token = match existing.filter(|t| t.len() == 43) {
        Some(t) => t,
        None => {
            let t = accord_service::new_token();
            if let Ok(v) =
                HeaderValue::from_str(&set_cookie(CookieName::PreCsrf, &t, 3600 * 12, secure))
            {
                headers.insert(header::SET_COOKIE, v);
            }
            t
        }
    };
    (token, headers)
}

async fn signin_form(
    State(s): State<AppState>,
    session: MaybeSession,
    pre: PreCsrf,
    Query(q): Query<NextQuery>,
) -> Response {
    let next = local_path(q.next.as_deref());
    if let Some(u) = &session.0 {
        return Redirect::to(&next.unwrap_or_else(|| home_of(&u.principal).into())).into_response();
    }
    let (csrf, headers) = pre_csrf(pre.0, s.secure_cookies);
    let mut res = page(
        StatusCode::OK,
        SignInPage {
            chrome: Chrome::anonymous(),
            csrf,
            next: next.unwrap_or_default(),
            email: String::new(),
            error: None,
        },
    );
    res.headers_mut().extend(headers);
    res
}

/// The directory roles ticked in a form (`role_<name>` checkboxes).
pub(crate) fn ticked_roles(
    boxes: &std::collections::HashMap<String, String>,
) -> Vec<accord_domain::DirectoryRole> {
    accord_domain::DirectoryRole::ALL
        .iter()
        .copied()
        .filter(|r| boxes.contains_key(&format!("role_{}", r.as_str())))
        .collect()
}

#[derive(Deserialize)]
struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    next: String,
}

async fn signin(
    State(s): State<AppState>,
    pre: PreCsrf,
    ClientAddr(client): ClientAddr,
    Form(f): Form<SignInForm>,
) -> UiResult {
    let Some(expected) = pre.0 else {
        return Err(DomainError::CsrfFailed.into());
    };
    if !same_secret(&expected, &f.csrf) {
        return Err(DomainError::CsrfFailed.into());
    }
    let next = local_path(Some(&f.next));
    match s
        .accord
        .sign_in_with_password(&f.email, &f.password, &client)
        .await
    {
        Ok(p) => {
            let to = next.unwrap_or_else(|| home_of(&p).into());
            signed_in_redirect(&s, &p, &to).await
        }
        // The password was right but an admin set it: choose a new one first.
        Err(Error::Rule(DomainError::PasswordChangeRequired)) => Ok(page(
            StatusCode::OK,
            ChangePasswordPage {
                chrome: Chrome::anonymous(),
                csrf: expected,
                next: next.unwrap_or_default(),
                email: f.email,
                error: None,
            },
        )),
        Err(Error::Rule(e)) => Ok(rule_page(
            &e,
            SignInPage {
                chrome: Chrome::anonymous(),
                csrf: expected,
                next: next.unwrap_or_default(),
                email: f.email,
                error: Some(crate::i18n::error(&e)),
            },
        )),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct ChangePasswordForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    new_password_confirm: String,
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    next: String,
}

/// The forced change of a temporary password: the current one again, a new one twice;
/// then signed in.
async fn change_password(
    State(s): State<AppState>,
    pre: PreCsrf,
    ClientAddr(client): ClientAddr,
    Form(f): Form<ChangePasswordForm>,
) -> UiResult {
    let Some(expected) = pre.0 else {
        return Err(DomainError::CsrfFailed.into());
    };
    if !same_secret(&expected, &f.csrf) {
        return Err(DomainError::CsrfFailed.into());
    }
    let next = local_path(Some(&f.next));
    let result = if f.new_password != f.new_password_confirm {
        Err(DomainError::invalid(
            "new_password_confirm",
            accord_domain::InvalidReason::PasswordsDiffer,
        )
        .into())
    } else {
        s.accord
            .change_password(&f.email, &f.current_password, &f.new_password, &client)
            .await
    };
    match result {
        Ok(p) => {
            let to = next.unwrap_or_else(|| home_of(&p).into());
            signed_in_redirect(&s, &p, &to).await
        }
        Err(Error::Rule(e)) => Ok(rule_page(
            &e,
            ChangePasswordPage {
                chrome: Chrome::anonymous(),
                csrf: expected,
                next: next.unwrap_or_default(),
                email: f.email,
                error: Some(crate::i18n::error(&e)),
            },
        )),
        Err(e) => Err(e.into()),
    }
}

/// A form that carries only its CSRF token (a button that acts).
#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// `?notice=` naming what the redirect that led here did.
#[derive(Deserialize)]
struct NoticeQuery {
    notice: Option<String>,
}

/// `?cursor=` of a paged list.
#[derive(Deserialize)]
struct CursorQuery {
    cursor: Option<String>,
}

async fn signout(
    State(s): State<AppState>,
    session: MaybeSession,
    Form(f): Form<CsrfForm>,
) -> UiResult {
    if let Some(u) = session.0 {
        check_csrf(&u, &f.csrf)?;
        s.accord.end_session(&u.token).await?;
    }
    let mut res = Redirect::to("/signin").into_response();
    if let Ok(v) = HeaderValue::from_str(&set_cookie(CookieName::Session, "", 0, s.secure_cookies))
    {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(res)
}

async fn agreement(State(s): State<AppState>, session: MaybeSession) -> UiResult {
    let a = s
        .accord
        .current_agreement()
        .await?
        .ok_or(DomainError::NotFound {
            what: "customer agreement",
        })?;
    Ok(page(
        StatusCode::OK,
        AgreementPage {
            chrome: Chrome::of(session.0.as_ref()),
            version: a.version,
            title: a.title,
            paragraphs: a.body.split("\n\n").map(str::to_string).collect(),
            published: views::date(a.published_at),
        },
    ))
}

async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/app.css"),
    )
        .into_response()
}

async fn js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/app.js"),
    )
        .into_response()
}
