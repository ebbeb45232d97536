//! Deny by default: every operation in the API's route table (the generated OpenAPI
//! document) refuses an anonymous caller unless it is declared public here, and every
//! operation that declares no security in the document is in this list.

use axum::http::{Method, StatusCode};

use crate::support::*;

/// Operations anyone may call, with why.
const PUBLIC: &[(&str, &str)] = &[
    ("GET", "/api/v1/agreements/current"), // the agreement customers are asked to accept
    ("GET", "/api/v1/openapi.json"),       // the API description (not in the document itself)
];

fn operations() -> Vec<(String, String, bool)> {
    let doc: serde_json::Value = serde_json::from_str(accord_web::api::openapi_document()).unwrap();
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let secured = op
                .get("security")
                .is_some_and(|s| !s.as_array().unwrap().is_empty());
            ops.push((method.to_uppercase(), path.clone(), secured));
        }
    }
    ops
}

/// Operations on the caller's own data, which any signed-in caller may use.
const OWN_DATA: &[(&str, &str)] = &[
    ("GET", "/api/v1/me"),
    ("GET", "/api/v1/tokens"),
    ("GET", "/api/v1/partners"),
];

/// A well-formed body for each operation that takes one.
fn body_for(method: &str, path: &str) -> Option<serde_json::Value> {
    match (method, path) {
        ("POST", p) if p.ends_with("/accept") => {
            Some(serde_json::json!({"accept_agreement": true}))
        }
        ("POST", "/api/v1/relationship-requests") => {
            Some(serde_json::json!({"include_admin_privileges": true}))
        }
        ("POST", _) => Some(serde_json::json!({})),
        _ => None,
    }
}

fn concrete(path: &str) -> String {
    path.replace("{id}", "0199a0b0-0000-7000-8000-000000000000")
        .replace(
            "{token}",
            "0199a0b0000070008000000000000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        )
}

#[tokio::test]
async fn every_operation_is_secured_or_declared_public() {
    let ops = operations();
    assert!(ops.len() >= 14, "the walk sees the whole table: {ops:?}");
    for (method, path, secured) in &ops {
        let public = PUBLIC.iter().any(|(m, p)| m == method && p == path);
        assert!(
            secured ^ public,
            "{method} {path}: secured={secured}, public={public}: declare one or the other"
        );
    }
}

#[tokio::test]
async fn anonymous_callers_are_refused_everywhere_but_the_public_operations() {
    let app = TestApp::new().await;
    for (method, path, _) in operations() {
        let public = PUBLIC.iter().any(|(m, p)| *m == method && *p == path);
        let m = Method::from_bytes(method.as_bytes()).unwrap();
        let r = app
            .call(m, &concrete(&path), None, body_for(&method, &path))
            .await;
        if public {
            assert!(r.status.is_success(), "{method} {path}: {}", r.status);
        } else {
            assert_eq!(
                r.status,
                StatusCode::UNAUTHORIZED,
                "{method} {path} must refuse anonymous callers"
            );
            assert_eq!(r.code(), "authentication_required", "{method} {path}");
        }
    }
}

#[tokio::test]
async fn callers_without_the_right_relationship_learn_nothing() {
    let app = TestApp::new().await;
    // A partner and a customer user that have no relationship with the objects named
    // (random ids, a token of nobody's): every operation refuses without telling more.
    for email in [PARTNER_US, CUSTOMER_KR_USER] {
        let token = app.token(email).await;
        let is_partner = email == PARTNER_US;
        for (method, path, secured) in operations() {
            let own = OWN_DATA.iter().any(|(m, p)| *m == method && *p == path)
                || (is_partner
                    && matches!(
                        path.as_str(),
                        "/api/v1/customers" | "/api/v1/relationship-requests"
                    ));
            if !secured || own {
                continue;
            }
            let m = Method::from_bytes(method.as_bytes()).unwrap();
            let r = app
                .call(m, &concrete(&path), Some(&token), body_for(&method, &path))
                .await;
            let allowed: &[StatusCode] = &[StatusCode::FORBIDDEN, StatusCode::NOT_FOUND];
            assert!(
                allowed.contains(&r.status),
                "{email}: {method} {path}: {} {}",
                r.status,
                r.text()
            );
        }
    }
}
