//! Malformed and hostile requests get a 4xx problem document, never a 5xx.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn malformed_bodies_get_clear_problems() {
    let app = TestApp::new().await;
    let p = app.token(PARTNER_KR).await;
    let send = |body: &'static str, ct: Option<&'static str>| {
        let mut b = Request::builder()
            .method(Method::POST)
            .uri("/api/v1/relationship-requests")
            .header(header::AUTHORIZATION, format!("Bearer {p}"));
        if let Some(ct) = ct {
            b = b.header(header::CONTENT_TYPE, ct);
        }
        b.body(Body::from(body)).unwrap()
    };
    let cases = [
        (
            send("{not json", Some("application/json")),
            StatusCode::BAD_REQUEST,
            "invalid_json",
        ),
        (
            send("{}", Some("application/json")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
        ),
        (
            send(
                r#"{"include_admin_privileges": "yes"}"#,
                Some("application/json"),
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
        ),
        (
            send(
                r#"{"include_admin_privileges": true, "surprise": 1}"#,
                Some("application/json"),
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
        ),
        (
            send(r#"{"include_admin_privileges": true}"#, None),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            send(r#"{"include_admin_privileges": true}"#, Some("text/plain")),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            send(
                r#"{"include_admin_privileges": true, "customer_email": "not-an-address"}"#,
                Some("application/json"),
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
        ),
    ];
    for (req, status, code) in cases {
        let r = app.send(req).await;
        assert_eq!(r.status, status, "{}", r.text());
        assert_eq!(r.code(), code);
        assert_eq!(r.header("content-type"), "application/problem+json");
        assert!(!r.json()["detail"].as_str().unwrap().is_empty());
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM relationship_requests")
            .await,
        0,
        "no partial writes"
    );
}

#[tokio::test]
async fn bad_queries_paths_and_routes_are_4xx() {
    let app = TestApp::new().await;
    let p = app.token(PARTNER_KR).await;
    for (uri, status, code) in [
        (
            "/api/v1/customers?limit=0",
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
        ),
        (
            "/api/v1/customers?limit=100000",
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
        ),
        (
            "/api/v1/customers?limit=abc",
            StatusCode::BAD_REQUEST,
            "invalid_query",
        ),
        (
            "/api/v1/customers?cursor=%FF%FE",
            StatusCode::BAD_REQUEST,
            "invalid_cursor",
        ),
        (
            "/api/v1/customers?cursor=bm9uZXdsaW5l",
            StatusCode::BAD_REQUEST,
            "invalid_cursor",
        ),
        (
            "/api/v1/relationship-requests?cursor=YWJjCmRlZg",
            StatusCode::BAD_REQUEST,
            "invalid_cursor",
        ),
        (
            "/api/v1/nothing-here",
            StatusCode::NOT_FOUND,
            "no_such_endpoint",
        ),
        (
            "/api/v1/partners/not-a-uuid",
            StatusCode::NOT_FOUND,
            "not_found",
        ),
    ] {
        let r = app.get(uri, &p).await;
        assert_eq!(r.status, status, "{uri}: {}", r.text());
        assert_eq!(r.code(), code, "{uri}");
    }
    let r = app
        .post(
            "/api/v1/relationship-requests/not-a-uuid/revoke",
            &p,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let q = app
        .get(&format!("/api/v1/customers?q={}", "a".repeat(201)), &p)
        .await;
    assert_eq!(q.code(), "invalid_input");
}
