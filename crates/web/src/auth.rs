//! Authentication at the edge: bearer tokens for the API, session cookies and CSRF tokens
//! for the portals, and the client address for agreement acceptances.

use std::net::{IpAddr, SocketAddr};

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

/// The client's address, as recorded with agreement acceptances and used to throttle
/// sign-ins: the peer, or, when the peer is a trusted proxy, the last address in
/// `X-Forwarded-For` that is not itself a trusted proxy.
pub struct ClientAddr(pub String);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        let forwarded: Vec<&str> = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        Ok(ClientAddr(
            client_address(peer, &forwarded, &state.trusted_proxies)
                .map(|ip| ip.to_string())
                .unwrap_or_else(|| "unknown".into()),
        ))
    }
}

/// Which address a request came from, believing `X-Forwarded-For` only as far as the
/// chain of trusted proxies reaches.
pub fn client_address(
    peer: Option<IpAddr>,
    forwarded: &[&str],
    trusted: &[ipnet::IpNet],
) -> Option<IpAddr> {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|n| n.contains(ip));
    // An IPv4 peer of a dual-stack listener arrives as ::ffff:a.b.c.d.
    let mut client = peer?.to_canonical();
    if !is_trusted(&client) {
        return Some(client);
    }
    let hops: Vec<&str> = forwarded
        .iter()
        .flat_map(|h| h.split(','))
        .map(str::trim)
        .collect();
    for hop in hops.iter().rev() {
        let Some(ip) = parse_hop(hop) else {
            // A hop we cannot read: trust nothing to its left.
            return Some(client);
        };
        client = ip;
        if !is_trusted(&ip) {
            break;
        }
    }
    Some(client)
}

/// One `X-Forwarded-For` hop: `192.0.2.7`, `192.0.2.7:5678`, `2001:db8::1` or
/// `[2001:db8::1]:443`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let ip = if let Some(rest) = hop.strip_prefix('[') {
        rest.split(']').next()?.parse().ok()?
    } else if let Ok(ip) = hop.parse::<IpAddr>() {
        ip
    } else {
        let (host, port) = hop.rsplit_once(':')?;
        port.parse::<u16>().ok()?;
        host.parse().ok()?
    };
    Some(IpAddr::to_canonical(&ip))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let trusted: Vec<ipnet::IpNet> =
            vec!["10.0.0.0/8".parse().unwrap_or_else(|_| unreachable!())];
        let ip = |s: &str| s.parse::<IpAddr>().ok();
        // A stranger cannot claim another address.
        assert_eq!(
            client_address(ip("203.0.113.9"), &["1.2.3.4"], &trusted),
            ip("203.0.113.9")
        );
        // Through the proxy: the last untrusted hop, not what the client wrote first.
        assert_eq!(
            client_address(
                ip("10.0.0.2"),
                &["6.6.6.6, 198.51.100.7, 10.0.0.5"],
                &trusted
            ),
            ip("198.51.100.7")
        );
        assert_eq!(
            client_address(ip("10.0.0.2"), &[], &trusted),
            ip("10.0.0.2")
        );
        assert_eq!(
            client_address(ip("10.0.0.2"), &["garbage"], &trusted),
            ip("10.0.0.2")
        );
        assert_eq!(client_address(None, &["1.2.3.4"], &trusted), None);
        // A dual-stack listener's IPv4 peer, and hops with ports.
        assert_eq!(
            client_address(ip("::ffff:10.0.0.2"), &["198.51.100.7:5678"], &trusted),
            ip("198.51.100.7")
        );
        assert_eq!(
            client_address(ip("10.0.0.2"), &["[2001:db8::7]:443"], &trusted),
            ip("2001:db8::7")
        );
    }
}

/// Reads one cookie's value from the request.
pub fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    cookie_in(&parts.headers, name)
}

/// A cookie's value from request headers.
pub fn cookie_in<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
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
#[derive(Clone)]
pub struct SessionUser {
    pub principal: std::sync::Arc<Principal>,
    pub csrf: String,
    pub token: String,
}

impl std::fmt::Debug for SessionUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionUser")
            .field("principal", &self.principal)
            .field("csrf", &"***")
            .field("token", &"***")
            .finish()
    }
}

/// The portal session, if the request carries a valid one.
pub struct MaybeSession(pub Option<SessionUser>);

/// The session as the portal's session layer found it.
#[derive(Clone)]
struct Resolved(Option<SessionUser>);

tokio::task_local! {
    /// Who is signed in, for the header of pages rendered without a handler's help (error
    /// pages, the fallback).
    static VIEWER: Option<SessionUser>;
}

/// The signed-in user of the portal request being served, if any.
pub fn viewer() -> Option<SessionUser> {
    VIEWER.try_with(Clone::clone).ok().flatten()
}

/// Resolves the portal session once, so that every page (error pages included) shows
/// the signed-in state.
pub async fn session_layer(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let (mut parts, body) = req.into_parts();
    let found = match MaybeSession::from_request_parts(&mut parts, &state).await {
        Ok(MaybeSession(u)) => u,
        Err(_) => None,
    };
    parts.extensions.insert(Resolved(found.clone()));
    let req = axum::extract::Request::from_parts(parts, body);
    VIEWER.scope(found, next.run(req)).await
}

impl FromRequestParts<AppState> for MaybeSession {
    type Rejection = crate::ui::UiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        // Resolved once per request by the portal's session layer.
        if let Some(Resolved(u)) = parts.extensions.get::<Resolved>() {
            return Ok(MaybeSession(u.clone()));
        }
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
