//! The JSON API under `/api/v1`: one module per resource, each holding its handlers and
//! wire types. Routes and the OpenAPI document come from one declaration (utoipa-axum's
//! `routes!`), so a handler cannot be served without being described or described without
//! being served; [`contract`] then states what every operation answers on failure.

mod account;
mod agreements;
mod common;
mod contract;
mod directory;
mod extract;
mod guests;
mod history;
mod invitations;
mod listings;
mod oem;
mod relationships;
mod requests;
mod subscriptions;
mod support;

use std::sync::OnceLock;

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::Router;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

pub use common::{id_or_404, mailto, mailto_encode};
pub use directory::{activity_csv, csv_attachment};
pub use extract::MAX_BODY;
pub use listings::{cursor_of as directory_cursor, directory_query, DIRECTORY_LIMIT};

use crate::error::{ApiError, Problem};
use crate::AppState;

type ApiResult<T> = Result<T, ApiError>;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Accord API",
        version = "1",
        description = "Partner relationships and delegated administration. Errors are RFC 9457 problem details (`application/problem+json`) with a stable `code`; lists use cursor pagination (`?cursor=&limit=`, answer `{items, next_cursor}`)."
    ),
    components(schemas(Problem)),
    modifiers(&BearerAuth),
    tags(
        (name = "relationship requests", description = "The partner's invitations (SPEC F2)"),
        (name = "invitations", description = "The customer's side of an invitation (SPEC F3)"),
        (name = "relationships", description = "Customers of a partner and partners of a customer (SPEC F5, F6)"),
        (name = "subscriptions", description = "The catalogue and what partners buy for customers (SPEC F5, F7)"),
        (name = "devices and apps", description = "Devices OEM PC partners register and line-of-business apps partners keep for customers (SPEC F10)"),
        (name = "service requests", description = "Support cases partners open with the provider for customers (SPEC F9)"),
        (name = "directory", description = "The customer's directory run by its admins and by partner agents within granted, assigned roles; access assignments; partner activity (SPEC F5, F11)"),
        (name = "partner directory", description = "Partners' public profiles, the directory visitors search, and the leads they send (SPEC F1)"),
        (name = "history", description = "The audit trail of an organisation and its relationships"),
        (name = "agreements", description = "The customer agreement"),
        (name = "account", description = "The caller")
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Every API route with its description.
fn table() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(account::routes())
        .merge(agreements::routes())
        .merge(requests::routes())
        .merge(invitations::routes())
        .merge(relationships::routes())
        .merge(subscriptions::routes())
        .merge(support::routes())
        .merge(oem::routes())
        .merge(directory::routes())
        .merge(guests::routes())
        .merge(listings::routes())
        .merge(history::routes())
}

/// The API's routes (absolute paths under `/api/v1`), answering problem documents for
/// unknown endpoints and wrong methods.
pub fn router() -> Router<AppState> {
    let (router, _) = table().split_for_parts();
    router
        .route("/api/v1/openapi.json", get(openapi_json))
        .route("/api/v1", any(not_found))
        .route("/api/v1/", any(not_found))
        .route("/api/v1/{*rest}", any(not_found))
        .layer(axum::middleware::from_fn(|req, next| {
            crate::headers::method_not_allowed(req, next, method_not_allowed)
        }))
}

/// The OpenAPI document, as served and as committed in `docs/openapi.json`.
pub fn openapi_document() -> &'static str {
    static DOC: OnceLock<String> = OnceLock::new();
    DOC.get_or_init(|| {
        let (_, doc) = table().split_for_parts();
        contract::complete(doc)
    })
}

async fn openapi_json() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        openapi_document(),
    )
        .into_response()
}

async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "no_such_endpoint",
        "no_such_endpoint",
        &[],
    )
}

/// A known path with a method it does not serve: a problem document.
fn method_not_allowed(allow: Option<&str>) -> Response {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "method_not_allowed",
        &[("allow", allow.unwrap_or("-"))],
    )
    .into_response()
}
