//! Accord's HTTP edge: the JSON API under `/api/v1` (OpenAPI 3.1, RFC 9457 problem
//! details, bearer tokens) and the server-rendered portals (Partner Center `/partner`,
//! Admin Center `/admin`) with sessions and CSRF tokens.
//!
//! This crate never touches SQL and never decides policy: handlers authenticate, call the
//! service's capability desks, and translate results and errors for their audience.

pub mod api;
mod auth;
mod error;
mod headers;
pub mod i18n;
pub mod ui;

use accord_service::Accord;
use axum::routing::get;
use axum::Router;

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    pub accord: Accord,
    /// Whether cookies get the `Secure` attribute (the public URL is https).
    pub secure_cookies: bool,
    /// Peers whose `X-Forwarded-For` names the client (reverse proxies, load balancers);
    /// from anyone else the header is ignored.
    pub trusted_proxies: std::sync::Arc<[ipnet::IpNet]>,
}

impl AppState {
    pub fn new(accord: Accord) -> Self {
        let secure_cookies = accord.config().public_url.starts_with("https://");
        Self {
            accord,
            secure_cookies,
            trusted_proxies: std::sync::Arc::from(Vec::new()),
        }
    }

    pub fn with_trusted_proxies(mut self, proxies: Vec<ipnet::IpNet>) -> Self {
        self.trusted_proxies = proxies.into();
        self
    }
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    let default_locale = state.accord.config().default_locale;
    Router::new()
        .merge(api::router())
        .merge(ui::router().layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::session_layer,
        )))
        .route("/healthz", get(healthz))
        .layer(axum::extract::DefaultBodyLimit::max(api::MAX_BODY))
        .layer(axum::middleware::from_fn(headers::security_headers))
        .layer(axum::middleware::from_fn(headers::request_id))
        .layer(axum::middleware::from_fn_with_state(
            default_locale,
            i18n::layer,
        ))
        .with_state(state)
}

async fn healthz(
    axum::extract::State(s): axum::extract::State<AppState>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match s.accord.ready().await {
        Ok(()) => (axum::http::StatusCode::OK, "ok\n").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "database unavailable\n",
            )
                .into_response()
        }
    }
}
