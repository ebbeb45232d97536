//! The API's extractors: every rejection is a problem document with a stable code.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{header, StatusCode};
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// The largest request body the API reads (64 KiB); larger ones get 413
/// `payload_too_large`.
pub const MAX_BODY: usize = 64 * 1024;

/// The request's media type, lower case, without parameters.
fn media_type(req: &Request) -> Option<String> {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase())
}

/// 415 `unsupported_media_type`, worded by `message`.
fn unsupported(message: &str) -> ApiError {
    ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        message,
        &[],
    )
}

/// The body, at most `max` bytes (413 `payload_too_large` beyond; 400 `invalid_body` if
/// it cannot be read).
async fn read_body<S: Send + Sync>(req: Request, state: &S, max: usize) -> Result<Bytes, ApiError> {
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "payload_too_large",
            &[("max_kib", &(max / 1024).to_string())],
        )
    };
    let bytes = Bytes::from_request(req, state).await.map_err(|r| {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            ApiError::new(StatusCode::BAD_REQUEST, "invalid_body", "invalid_body", &[])
        }
    })?;
    if bytes.len() > max {
        return Err(too_large());
    }
    Ok(bytes)
}

/// A JSON object body. Anything else is refused before it reaches a handler: no or
/// another content type (415 `unsupported_media_type`), more than [`MAX_BODY`] (413
/// `payload_too_large`), text that is not JSON (400 `invalid_json`), JSON that is not an
/// object — an array would otherwise fill a struct by position — (400 `invalid_json`),
/// and an object of the wrong shape (422 `invalid_input`).
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let json = media_type(&req).is_some_and(|m| {
            m == "application/json" || (m.starts_with("application/") && m.ends_with("+json"))
        });
        if !json {
            return Err(unsupported("unsupported_media_type"));
        }
        let bytes = read_body(req, state, MAX_BODY).await?;
        let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_json",
                "invalid_json",
                &[("detail", &e.to_string())],
            )
        })?;
        if !value.is_object() {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_json",
                "not_an_object",
                &[],
            ));
        }
        if let Some(field) = unstorable_text(&value, "") {
            return Err(accord_domain::DomainError::UnstorableText { field }.into());
        }
        serde_json::from_value(value).map(ApiJson).map_err(|e| {
            let mut a = ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_input",
                "invalid_shape",
                &[("detail", &e.to_string())],
            );
            a.set_title(crate::i18n::t("problem-invalid"));
            a
        })
    }
}

/// A CSV file body (`Content-Type: text/csv`, or `text/plain`), up to `MAX` bytes; the
/// route raises the body limit to match. Anything else is refused as [`ApiJson`] refuses:
/// 415 `unsupported_media_type`, 413 `payload_too_large`.
pub struct CsvBody<const MAX: usize>(pub Bytes);

impl<S: Send + Sync, const MAX: usize> FromRequest<S> for CsvBody<MAX> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        if !media_type(&req).is_some_and(|m| m == "text/csv" || m == "text/plain") {
            return Err(unsupported("unsupported_media_type_csv"));
        }
        let bytes = read_body(req, state, MAX).await?;
        Ok(CsvBody(bytes))
    }
}

/// A query string whose rejections are problem details.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

/// A path parameter whose rejections are problem details. A segment holding a NUL byte or
/// another control character is refused with 400 `invalid_text` before it is used.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, ApiError> {
        let raw = axum::extract::RawPathParams::from_request_parts(parts, state).await?;
        for (name, value) in &raw {
            accord_domain::check_text(name, value, usize::MAX)?;
        }
        let axum::extract::Path(v) =
            axum::extract::Path::<T>::from_request_parts(parts, state).await?;
        Ok(ApiPath(v))
    }
}

/// The first string in a JSON value (keys included) that a backend cannot store, as a
/// field path.
pub fn unstorable_text(v: &serde_json::Value, at: &str) -> Option<String> {
    use serde_json::Value;
    let bad = |s: &str| {
        s.chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    };
    match v {
        Value::String(s) if bad(s) => Some(at.to_string()),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, x)| unstorable_text(x, &format!("{at}[{i}]"))),
        Value::Object(m) => m.iter().find_map(|(k, x)| {
            let path = if at.is_empty() {
                k.clone()
            } else {
                format!("{at}.{k}")
            };
            if bad(k) {
                Some(path)
            } else {
                unstorable_text(x, &path)
            }
        }),
        _ => None,
    }
}

/// Accepts a whole number written as an integer or as a float without a fraction
/// (`267` or `267.0`: JSON does not tell them apart), and nothing else.
pub fn whole_u32<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    use serde::de::Error;
    let v: Option<serde_json::Number> = serde::Deserialize::deserialize(d)?;
    let Some(n) = v else { return Ok(None) };
    if let Some(u) = n.as_u64() {
        return u32::try_from(u)
            .map(Some)
            .map_err(|_| D::Error::custom(format!("{n} is out of range")));
    }
    match n.as_f64() {
        Some(f) if f.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&f) =>
        {
            #[expect(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "checked whole and in range just above"
            )]
            Ok(Some(f as u32))
        }
        _ => Err(D::Error::custom(format!(
            "{n} is not a whole number in range"
        ))),
    }
}

/// [`whole_u32`] for a required number that may be negative or too large: the rule that
/// bounds it answers with its own message.
pub fn whole_i64<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    use serde::de::Error;
    let n: serde_json::Number = serde::Deserialize::deserialize(d)?;
    if let Some(i) = n.as_i64() {
        return Ok(i);
    }
    match n.as_f64() {
        Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 =>
        {
            #[expect(
                clippy::cast_possible_truncation,
                reason = "checked whole and well inside i64 just above"
            )]
            Ok(f as i64)
        }
        _ => Err(D::Error::custom(format!(
            "{n} is not a whole number in range"
        ))),
    }
}
