//! The reader's language for this request: the `accord_lang` cookie (set by the switcher
//! on every page), else `Accept-Language`, else the operator's default. A middleware
//! resolves it once and keeps it in a task-local for the handlers, the templates and the
//! error adapters.

use accord_domain::Locale;
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;

/// The cookie that remembers the switcher's choice.
pub const COOKIE: &str = "accord_lang";

tokio::task_local! {
    static LOCALE: Locale;
    /// The path and query of the request, for the language switcher's way back.
    static HERE: String;
}

/// The path (and query) of the request being served.
pub fn here() -> String {
    HERE.try_with(Clone::clone).unwrap_or_else(|_| "/".into())
}

/// The language of the request being served (the default outside one).
pub fn current() -> Locale {
    LOCALE.try_with(|l| *l).unwrap_or_default()
}

/// Runs `f` with a language, for tests and background renders.
pub async fn with_locale<F: std::future::Future>(l: Locale, f: F) -> F::Output {
    LOCALE.scope(l, f).await
}

/// The language a request asks for.
pub fn resolve(headers: &axum::http::HeaderMap, default: Locale) -> Locale {
    let from_cookie =
        crate::auth::cookie_in(headers, COOKIE).and_then(|v| v.parse::<Locale>().ok());
    from_cookie
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Locale::from_accept_language)
        })
        .unwrap_or(default)
}

/// The middleware: resolves the language and serves the request in it, answering
/// `Content-Language` and `Vary: Accept-Language, Cookie`.
pub async fn layer(State(default): State<Locale>, req: Request, next: Next) -> Response {
    let l = resolve(req.headers(), default);
    let here = req
        .uri()
        .path_and_query()
        .map_or_else(|| "/".to_string(), |p| p.as_str().to_string());
    let mut res = LOCALE.scope(l, HERE.scope(here, next.run(req))).await;
    let h = res.headers_mut();
    if let Ok(v) = l.as_str().parse() {
        h.insert(header::CONTENT_LANGUAGE, v);
    }
    h.append(
        header::VARY,
        axum::http::HeaderValue::from_static("Accept-Language, Cookie"),
    );
    res
}

/// A message in the request's language.
pub fn t(id: &str) -> String {
    accord_i18n::text(current(), id)
}

/// A message with arguments in the request's language.
pub fn ta(id: &str, args: &[(&str, &str)]) -> String {
    accord_i18n::text_with(current(), id, args)
}

/// What a person reads about a rule error, in the request's language.
pub fn error(e: &accord_domain::DomainError) -> String {
    accord_i18n::error_detail(current(), e)
}
