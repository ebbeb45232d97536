//! The two error adapters: RFC 9457 problem details for the API, and error pages for the
//! portals. Rule errors show their code and message; internal errors are logged and shown
//! as a generic failure.

use accord_domain::{DomainError, ErrorKind};
use accord_service::Error;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

pub fn status_of(e: &DomainError) -> StatusCode {
    match (e, e.kind()) {
        (DomainError::InvalidCursor | DomainError::UnstorableText { .. }, _) => {
            StatusCode::BAD_REQUEST
        }
        (_, ErrorKind::Invalid) => StatusCode::UNPROCESSABLE_ENTITY,
        (_, ErrorKind::Unauthenticated) => StatusCode::UNAUTHORIZED,
        (_, ErrorKind::Forbidden) => StatusCode::FORBIDDEN,
        (_, ErrorKind::NotFound) => StatusCode::NOT_FOUND,
        (_, ErrorKind::Conflict) => StatusCode::CONFLICT,
        (_, ErrorKind::Gone) => StatusCode::GONE,
        (_, ErrorKind::Throttled) => StatusCode::TOO_MANY_REQUESTS,
    }
}

/// An RFC 9457 problem details document.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the problem type: `urn:accord:problem:{code}`.
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    /// What happened and what to do, for a person.
    pub detail: String,
    /// The stable machine code.
    pub code: String,
    /// The offending field, for validation errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The subscriptions in the way, for `active_subscriptions_exist`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subscription_ids: Option<Vec<uuid::Uuid>>,
    /// What is wrong with each row of a file, for `device_rows_invalid` (the first 100;
    /// `detail` counts them all).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<RowProblem>>,
}

/// One row of a refused file.
#[derive(Debug, Serialize, ToSchema)]
pub struct RowProblem {
    /// The row as a spreadsheet numbers it: the header is row 1.
    pub row: usize,
    /// `serial_number`, `product_id`, `hardware_hash`, or `row` for the row as a whole.
    pub field: String,
    /// The rule broken, stable: `required`, `duplicate-row`, `device-registered`…
    pub reason: String,
    /// What is wrong and what to do, for a person.
    pub detail: String,
}

/// The rows of a refused device file, worded in the reader's language.
pub fn row_problems(e: &DomainError) -> Option<Vec<RowProblem>> {
    let DomainError::DeviceRowsInvalid { rows, .. } = e else {
        return None;
    };
    let locale = crate::i18n::current();
    Some(
        rows.iter()
            .map(|r| RowProblem {
                row: r.row,
                field: r.field.clone(),
                reason: r.reason.id().to_string(),
                detail: accord_i18n::error_detail(
                    locale,
                    &DomainError::invalid(r.field.clone(), r.reason.clone()),
                ),
            })
            .collect(),
    )
}

/// An error answered by the API.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    title: String,
    detail: String,
    field: Option<String>,
    retry_after: Option<u64>,
    subscription_ids: Option<Vec<uuid::Uuid>>,
    errors: Option<Vec<RowProblem>>,
}

/// The `Retry-After` of a throttled rule error.
pub fn retry_after(e: &DomainError) -> Option<u64> {
    match e {
        DomainError::TooManyAttempts { retry_after_secs }
        | DomainError::TooManyLeads { retry_after_secs } => Some(*retry_after_secs),
        _ => None,
    }
}

impl ApiError {
    /// An error of the API's own (not a rule's): its detail is the message
    /// `error-<message>` with `args`, in the reader's language.
    pub fn new(
        status: StatusCode,
        code: &'static str,
        message: &str,
        args: &[(&str, &str)],
    ) -> Self {
        Self {
            status,
            code,
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            detail: crate::i18n::ta(&format!("error-{message}"), args),
            field: None,
            retry_after: None,
            subscription_ids: None,
            errors: None,
        }
    }

    pub fn set_title(&mut self, title: String) {
        self.title = title;
    }
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        let field = match &e {
            DomainError::InvalidInput { field, .. } | DomainError::UnstorableText { field } => {
                Some(field.clone())
            }
            _ => None,
        };
        Self {
            status: status_of(&e),
            code: e.code(),
            title: accord_i18n::error_title(crate::i18n::current(), &e),
            detail: accord_i18n::error_detail(crate::i18n::current(), &e),
            retry_after: retry_after(&e),
            field,
            subscription_ids: match &e {
                DomainError::ActiveSubscriptionsExist { ids, .. } => {
                    Some(ids.iter().map(|i| i.0).collect())
                }
                _ => None,
            },
            errors: row_problems(&e),
        }
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        match e {
            Error::Rule(r) => r.into(),
            Error::Internal(msg) => {
                tracing::error!(error = %msg, "internal error");
                Self::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal_error",
                    "internal_error",
                    &[],
                )
            }
        }
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_path",
            "invalid_path",
            &[("detail", &r.body_text())],
        )
    }
}

impl From<axum::extract::rejection::RawPathParamsRejection> for ApiError {
    fn from(r: axum::extract::rejection::RawPathParamsRejection) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_path",
            "invalid_path",
            &[("detail", &r.body_text())],
        )
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_query",
            "invalid_query",
            &[("detail", &r.body_text())],
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Problem {
            type_: format!("urn:accord:problem:{}", self.code),
            title: self.title,
            status: self.status.as_u16(),
            detail: self.detail,
            code: self.code.to_string(),
            field: self.field,
            subscription_ids: self.subscription_ids,
            errors: self.errors,
        };
        let json = serde_json::to_vec(&body).unwrap_or_default();
        let mut res = (self.status, json).into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(secs) = self.retry_after {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            res.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        res
    }
}
