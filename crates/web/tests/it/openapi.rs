//! The OpenAPI document is generated from the code; the committed copy must match it.

use axum::http::{Method, StatusCode};

use crate::support::*;

#[tokio::test]
async fn the_served_document_is_openapi_3_1_and_matches_docs_openapi_json() {
    let app = TestApp::new().await;
    let r = app
        .call(Method::GET, "/api/v1/openapi.json", None, None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let served = r.json();
    assert!(served["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/api/v1/relationship-requests",
        "/api/v1/relationship-requests/{id}/revoke",
        "/api/v1/invitations/{token}",
        "/api/v1/invitations/{token}/accept",
        "/api/v1/invitations/{token}/decline",
        "/api/v1/customers",
        "/api/v1/partners",
        "/api/v1/agreements/current",
    ] {
        assert!(served["paths"].get(path).is_some(), "{path} missing");
    }
    // Operation ids name handlers; two alike would make clients and test tools mix
    // operations up.
    let mut ids: Vec<&str> = served["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .map(|op| op["operationId"].as_str().unwrap())
        .collect();
    ids.sort_unstable();
    let before = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), before, "operation ids are unique");
    let generated = accord_web::api::openapi_document();
    let committed_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/openapi.json");
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(committed_path, format!("{generated}\n")).unwrap();
    }
    let committed = std::fs::read_to_string(committed_path).unwrap_or_default();
    let first_difference = committed
        .lines()
        .zip(generated.lines())
        .enumerate()
        .find(|(_, (a, b))| a != b)
        .map(|(n, (a, b))| format!("line {}: committed {a:?}, generated {b:?}", n + 1));
    assert!(
        committed.trim_end() == generated.trim_end(),
        "docs/openapi.json is out of date ({}): run `UPDATE_OPENAPI=1 cargo test -p accord-web openapi` and commit it",
        first_difference.unwrap_or_else(|| "lengths differ".into())
    );
}
