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

/// Found by the contract fuzzer or a hostile client: each gets a 4xx problem with a
/// stable code and writes nothing, on every backend.
#[tokio::test]
async fn hostile_requests_get_stable_codes_and_write_nothing() {
    let app = TestApp::new().await;
    let p = app.token(PARTNER_KR).await;
    let c = app.token(CUSTOMER_KR_ADMIN).await;
    let (_, invitation) = app
        .request(&p, json!({"include_admin_privileges": true}))
        .await;
    let raw = |method: Method, uri: &str, token: &str, body: Vec<u8>| {
        Request::builder()
            .method(method)
            .uri(uri)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .unwrap()
    };

    // A JSON array where an object is required would fill the struct by position.
    let accept = format!("/api/v1/invitations/{invitation}/accept");
    for body in ["[true]", "true", "\"x\"", "null", "[{}]"] {
        let r = app.send(raw(Method::POST, &accept, &c, body.into())).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}: {}", r.text());
        assert_eq!(r.code(), "invalid_json", "{body}");
    }
    let r = app
        .send(raw(
            Method::POST,
            "/api/v1/relationship-requests",
            &p,
            b"[false]".to_vec(),
        ))
        .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::BAD_REQUEST, "invalid_json")
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM relationships").await,
        0,
        "[true] accepted nothing"
    );

    // Too large: 413 with its own code, before any parsing.
    let big = format!(
        r#"{{"include_admin_privileges": true, "customer_email": "{}@x.example"}}"#,
        "a".repeat(70_000)
    );
    let r = app
        .send(raw(
            Method::POST,
            "/api/v1/relationship-requests",
            &p,
            big.into_bytes(),
        ))
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.code(), "payload_too_large");

    // A wrong method: 405 with a problem body and Allow.
    let r = app.call(Method::DELETE, "/api/v1/me", Some(&p), None).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.code(), "method_not_allowed");
    assert_eq!(r.header("content-type"), "application/problem+json");
    assert!(r.header("allow").contains("GET"), "{:?}", r.headers);

    // NUL bytes and other control characters are refused with 400 before any query.
    for (uri, code) in [
        ("/api/v1/customers?q=a%00b", "invalid_text"),
        ("/api/v1/customers?q=%01", "invalid_text"),
        // base64 of "a\0b\n<uuid>": a forged cursor carrying a NUL byte
        (
            "/api/v1/customers?cursor=YQBiCjAxOTlhMGIwLTAwMDAtNzAwMC04MDAwLTAwMDAwMDAwMDAwMA",
            "invalid_cursor",
        ),
        (
            "/api/v1/partners?cursor=YQBiCjAxOTlhMGIwLTAwMDAtNzAwMC04MDAwLTAwMDAwMDAwMDAwMA",
            "invalid_cursor",
        ),
    ] {
        let token = if uri.contains("partners") { &c } else { &p };
        let r = app.get(uri, token).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}: {}", r.text());
        assert_eq!(r.code(), code, "{uri}");
    }
    let r = app
        .post(
            "/api/v1/relationship-requests",
            &p,
            json!({"include_admin_privileges": true, "customer_email": "a\u{0}b@x.example"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    assert_eq!(
        (r.code().as_str(), r.json()["field"].as_str()),
        ("invalid_text", Some("customer_email"))
    );
    for uri in ["/api/v1/partners/a%00b", "/api/v1/invitations/x%01y"] {
        let r = app.get(uri, &c).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (StatusCode::BAD_REQUEST, "invalid_text"),
            "{uri}"
        );
    }

    // Whole numbers may be written as floats; fractions and empty addresses may not.
    let granular = |d: serde_json::Value| json!({"include_admin_privileges": true, "admin_roles": ["user_admin"], "duration_days": d});
    assert_eq!(
        app.post("/api/v1/relationship-requests", &p, granular(json!(30.0)))
            .await
            .status,
        StatusCode::CREATED
    );
    for d in [json!(30.5), json!(-1), json!(1e12)] {
        let r = app
            .post("/api/v1/relationship-requests", &p, granular(d.clone()))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{d}");
    }
    let r = app
        .post(
            "/api/v1/relationship-requests",
            &p,
            json!({"include_admin_privileges": true, "customer_email": ""}),
        )
        .await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_input")
    );
    let r = app
        .post(
            "/api/v1/relationship-requests",
            &p,
            json!({"include_admin_privileges": false, "duration_days": 30}),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "fields that do not apply are refused"
    );
}

/// Every HTTP request gets an id, echoed in `X-Request-Id` and recorded with the audit
/// events it causes.
#[tokio::test]
async fn the_request_id_reaches_the_audit_trail() {
    let app = TestApp::new().await;
    let p = app.token(PARTNER_KR).await;
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/relationship-requests")
        .header(header::AUTHORIZATION, format!("Bearer {p}"))
        .header(header::CONTENT_TYPE, "application/json")
        .header("x-request-id", "trace-me-123")
        .body(Body::from(r#"{"include_admin_privileges": true}"#))
        .unwrap();
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.header("x-request-id"), "trace-me-123");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE request_id = 'trace-me-123' AND action = 'relationship_request.created' AND actor_kind = 'user'")
            .await,
        1
    );
    // A caller's id that is not a plain token is replaced, never echoed.
    let r = app.call(Method::GET, "/api/v1/me", Some(&p), None).await;
    assert_eq!(r.header("x-request-id").len(), 36, "a fresh UUIDv7");
}

/// Names are searched case-insensitively in any script, on every backend.
#[tokio::test]
async fn customer_search_is_case_insensitive_in_any_script() {
    let app = TestApp::new().await;
    let partner = app.token(PARTNER_KR).await;
    for (name, domain) in [
        ("Éclair Ödön Ltd", "eclair.example"),
        ("한빛 유통", "hanbit-yutong.example"),
        ("ΣΟΦΙΑ Trading", "sofia.example"),
    ] {
        let c = app
            .org_user(
                name,
                domain,
                "KR",
                accord_domain::Cloud::Public,
                false,
                "global_admin",
            )
            .await;
        let (_, inv) = app
            .request(&partner, json!({"include_admin_privileges": false}))
            .await;
        assert_eq!(app.accept(&c, &inv).await.status, StatusCode::OK);
    }
    for (q, expect) in [
        ("ÉCLAIR", "Éclair Ödön Ltd"),
        ("ödön", "Éclair Ödön Ltd"),
        ("ÖDÖN LTD", "Éclair Ödön Ltd"),
        ("유통", "한빛 유통"),
        ("σοφία", ""),
        ("σοφια", "ΣΟΦΙΑ Trading"),
    ] {
        let r = app
            .get(
                &format!("/api/v1/customers?q={}", accord_web::api::mailto_encode(q)),
                &partner,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{q}: {}", r.text());
        let found = names(&r.json());
        if expect.is_empty() {
            assert!(found.is_empty(), "{q}: {found:?}");
        } else {
            assert_eq!(found, vec![expect.to_string()], "{q}");
        }
    }
}

/// The customer list is kept rendered in memory; it must still tell the truth: a new
/// customer appears at once, and a grant that reaches its expiring window or its end
/// shows so without any write.
#[tokio::test]
async fn the_kept_customer_page_follows_changes_and_time() {
    let app = TestApp::new().await;
    let partner = app.token(PARTNER_KR).await;
    let first = app.get("/api/v1/customers", &partner).await;
    assert!(items(&first.json()).is_empty());
    let c = app.token(CUSTOMER_KR_ADMIN).await;
    let (_, inv) = app
        .request(
            &partner,
            json!({"include_admin_privileges": true, "admin_roles": ["user_admin"], "duration_days": 40}),
        )
        .await;
    assert_eq!(app.accept(&c, &inv).await.status, StatusCode::OK);
    assert_eq!(
        first_admin_status(&app, &partner).await.as_deref(),
        Some("active"),
        "the new customer at once"
    );
    assert_eq!(
        first_admin_status(&app, &partner).await.as_deref(),
        Some("active"),
        "kept"
    );
    app.clock.advance(chrono::Duration::days(11));
    assert_eq!(
        first_admin_status(&app, &partner).await.as_deref(),
        Some("expiring")
    );
    app.clock.advance(chrono::Duration::days(30));
    assert_eq!(
        first_admin_status(&app, &partner).await.as_deref(),
        Some("expired")
    );
}

async fn first_admin_status(app: &TestApp, partner: &str) -> Option<String> {
    let r = app.get("/api/v1/customers", partner).await.json();
    items(&r)
        .first()
        .map(|i| i["admin_status"].as_str().unwrap_or("none").to_string())
}

/// A change to one relationship patches the partner's list in memory: the customer's own
/// action shows on the partner's next page, and the other customers stay.
#[tokio::test]
async fn the_kept_customer_page_follows_a_customers_change() {
    let app = TestApp::new().await;
    let partner = app.token(PARTNER_KR).await;
    let ga = app.token(CUSTOMER_KR_ADMIN).await;
    let other = app
        .org_user(
            "Another Shop",
            "another-shop.example",
            "KR",
            accord_domain::Cloud::Public,
            false,
            "global_admin",
        )
        .await;
    for c in [&ga, &other] {
        let (_, inv) = app
            .request(&partner, json!({"include_admin_privileges": true}))
            .await;
        assert_eq!(app.accept(c, &inv).await.status, StatusCode::OK);
    }
    let page = app.get("/api/v1/customers", &partner).await.json();
    assert_eq!(names(&page), vec!["Another Shop", "Hanbit Retail"]);
    let partner_id = app.get("/api/v1/me", &partner).await.json()["tenant_id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .post(
            &format!("/api/v1/partners/{partner_id}/remove-admin-roles"),
            &ga,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let page = app.get("/api/v1/customers", &partner).await.json();
    let rows = items(&page);
    assert_eq!(names(&page), vec!["Another Shop", "Hanbit Retail"]);
    assert_eq!(rows[0]["has_admin_privileges"], true);
    assert_eq!(rows[1]["has_admin_privileges"], false);
    assert_eq!(rows[1]["admin_status"], "terminated");
}
