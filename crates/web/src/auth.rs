//! Authentication at the edge: bearer tokens for the API, session cookies and CSRF tokens
//! for the portals, and the client address for agreement acceptances.

use std::net::SocketAddr;

use accord_domain::DomainError;
use accord_service::Principal;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header;
use axum::http::request::Parts;

use crate::error::ApiError;
use crate::AppState;

/// The portal's cookies. Over https they carry the `__Host-` prefix, which browsers only
/// accept from this exact host with `Secure` and `Path=/`, so a sibling subdomain cannot
/// plant them (the prefix needs `Secure`, so plain-http deployments use the bare names).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CookieName {
    Session,
    PreCsrf,
}

impl CookieName {
    pub fn name(self, secure: bool) -> &'static str {
        match (self, secure) {
            (CookieName::Session, false) => "accord_session",
            (CookieName::Session, true) => "__Host-accord_session",
            (CookieName::PreCsrf, false) => "accord_csrf",
            (CookieName::PreCsrf, true) => "__Host-accord_csrf",
        }
    }
}

/// The user behind `Authorization: Bearer <personal access token>`.
pub struct ApiUser(pub std::sync::Arc<Principal>);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let value = parts
            .headers
            .get(header::AUTHORIZATION)
            .ok_or(DomainError::AuthenticationRequired)?;
        let value = value.to_str().map_err(|_| DomainError::InvalidToken)?;
        let token = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
            .ok_or(DomainError::InvalidToken)?
            .trim();
        Ok(ApiUser(state.accord.authenticate_token(token).await?))
    }
}

/// The peer address, as recorded with agreement acceptances.
pub struct ClientAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip().to_string())
                .unwrap_or_else(|| "unknown".into()),
        ))
    }
}

/// Reads one cookie's value from the request.
pub fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value with the attributes every Accord cookie carries.
pub fn set_cookie(which: CookieName, value: &str, max_age_secs: i64, secure: bool) -> String {
    format!(
        "{}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{}",
        which.name(secure),
        if secure { "; Secure" } else { "" }
    )
}

/// A signed-in portal user.
#[derive(Clone, Debug)]
pub struct SessionUser {
    pub principal: std::sync::Arc<Principal>,
    pub csrf: String,
    pub token: String,
}

/// The portal session, if the request carries a valid one.
pub struct MaybeSession(pub Option<SessionUser>);

impl FromRequestParts<AppState> for MaybeSession {
    type Rejection = crate::ui::UiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(token) = cookie(parts, CookieName::Session.name(state.secure_cookies)) else {
            return Ok(MaybeSession(None));
        };
        let found = state.accord.session(token).await?;
        Ok(MaybeSession(found.map(|(principal, csrf)| SessionUser {
            principal,
            csrf,
            token: token.to_string(),
        })))
    }
}

/// The value of the pre-session CSRF cookie (for the sign-in and sign-up forms).
pub struct PreCsrf(pub Option<String>);

impl FromRequestParts<AppState> for PreCsrf {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(PreCsrf(
            cookie(parts, CookieName::PreCsrf.name(state.secure_cookies)).map(String::from),
        ))
    }
}

/// Compares two secrets without an early exit.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}
