//! Deny by default: every operation in the API's route table (the generated OpenAPI
//! document) refuses an anonymous caller unless it is declared public here, and every
//! operation that declares no security in the document is in this list.

use axum::http::{Method, StatusCode};

use crate::support::*;

/// Operations anyone may call, with why.
const PUBLIC: &[(&str, &str)] = &[
    ("GET", "/api/v1/agreements/current"), // the agreement customers are asked to accept
    ("GET", "/api/v1/openapi.json"),       // the API description (not in the document itself)
    ("GET", "/api/v1/directory/partners"), // the partner directory is for visitors
    ("GET", "/api/v1/directory/partners/{partner_id}"), // a published profile
    ("POST", "/api/v1/leads"),             // "Contact selected providers" needs no account
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
    ("GET", "/api/v1/products"),
    ("GET", "/api/v1/subscriptions"),
    ("GET", "/api/v1/audit-events"),
    ("GET", "/api/v1/service-requests"),
    ("GET", "/api/v1/devices"),
    ("GET", "/api/v1/apps"),
    ("GET", "/api/v1/leads"),
    ("GET", "/api/v1/partner-profile"),
    ("PUT", "/api/v1/partner-profile"),
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
        ("POST", p) if p.ends_with("/subscriptions") => {
            Some(serde_json::json!({"sku": "BIZ-BASIC", "quantity": 1}))
        }
        ("POST", p) if p.ends_with("/service-requests") => {
            Some(serde_json::json!({"title": "t", "description": "d", "severity": "low"}))
        }
        ("POST", p) if p.ends_with("/comments") => Some(serde_json::json!({"body": "b"})),
        ("POST", p) if p.ends_with("/apps") => Some(serde_json::json!({
            "name": "n", "description": "", "version": "1", "package_url": "https://a.example/p"
        })),
        ("POST", p) if p.ends_with("/versions") => Some(serde_json::json!({
            "version": "1", "package_url": "https://a.example/p"
        })),
        ("POST", p) if p.ends_with("/access-assignments") => Some(serde_json::json!({
            "agent_id": "0199a0b0-0000-7000-8000-000000000000", "roles": ["helpdesk_admin"]
        })),
        ("POST", p) if p.ends_with("/users") => Some(serde_json::json!({
            "email": "nobody@nowhere.example", "display_name": "N", "roles": []
        })),
        ("POST", p) if p.ends_with("/licenses") => Some(serde_json::json!({
            "subscription_id": "0199a0b0-0000-7000-8000-000000000000"
        })),
        ("POST", p) if p.ends_with("/admin-roles") => {
            Some(serde_json::json!({"roles": ["helpdesk_admin"]}))
        }
        ("POST", p) if p.ends_with("/guests") => Some(serde_json::json!({
            "email": "nobody@nowhere.example", "roles": []
        })),
        ("POST", _) => Some(serde_json::json!({})),
        ("PATCH", p) if p.contains("/operator/") => Some(serde_json::json!({"status": "closed"})),
        ("PATCH", p) if p.contains("/users/") => Some(serde_json::json!({"display_name": "N"})),
        ("PATCH", p) if p.contains("/leads/") => Some(serde_json::json!({"status": "closed"})),
        ("PATCH", _) => Some(serde_json::json!({"quantity": 1})),
        ("PUT", p) if p.ends_with("/support-contact") => {
            Some(serde_json::json!({"user_id": "0199a0b0-0000-7000-8000-000000000000"}))
        }
        _ => None,
    }
}

fn concrete(path: &str) -> String {
    // The same placeholders in both tables: an id nobody has, a token of nobody's.
    path.replace("{id}", "0199a0b0-0000-7000-8000-000000000000")
        .replace("{customer_id}", "0199a0b0-0000-7000-8000-000000000000")
        .replace("{app_id}", "0199a0b0-0000-7000-8000-000000000000")
        .replace("{aid}", "0199a0b0-0000-7000-8000-000000000000")
        .replace("{user_id}", "0199a0b0-0000-7000-8000-000000000000")
        .replace("{uid}", "0199a0b0-0000-7000-8000-000000000000")
        .replace("{sid}", "0199a0b0-0000-7000-8000-000000000000")
        .replace("{subscription_id}", "0199a0b0-0000-7000-8000-000000000000")
        .replace("{partner_id}", "0199a0b0-0000-7000-8000-000000000000")
        .replace("{lead_id}", "0199a0b0-0000-7000-8000-000000000000")
        .replace("{customer}", "0199a0b0-0000-7000-8000-000000000000")
        .replace("{cloud}", "public")
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
            // Public: answered, whatever the answer (a placeholder id is 404, an empty
            // body 422), but never "sign in first".
            assert!(
                r.status != StatusCode::UNAUTHORIZED && !r.status.is_server_error(),
                "{method} {path}: {}",
                r.status
            );
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
            let r = if method == "POST" && path.ends_with("/devices") {
                app.send(
                    axum::http::Request::builder()
                        .method(m)
                        .uri(concrete(&path))
                        .header("authorization", format!("Bearer {token}"))
                        .header("content-type", "text/csv")
                        .body(axum::body::Body::from(
                            "serial number,hardware hash\nA1,QUJDREVGR0hJSktMTU5PUFFS\n",
                        ))
                        .unwrap(),
                )
                .await
            } else {
                app.call(m, &concrete(&path), Some(&token), body_for(&method, &path))
                    .await
            };
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

/// Deny by default in the portals too: every route is registered with a policy
/// (`accord_web::ui::routes()`), and each behaves as declared for a stranger, a customer's
/// user and a partner's user.
#[tokio::test]
async fn every_portal_route_keeps_its_policy() {
    use accord_web::ui::Policy;

    let app = TestApp::new().await;
    let routes = accord_web::ui::routes();
    assert!(
        routes.len() >= 20,
        "the walk sees the whole table: {routes:?}"
    );
    let signin_redirect =
        |r: &Resp| r.status == StatusCode::SEE_OTHER && r.header("location").starts_with("/signin");

    let mut customer = Browser::new(&app);
    customer.sign_in(CUSTOMER_KR_USER, "/").await;
    let customer_csrf = csrf_of(&customer.get("/admin/billing/partners").await.text());
    let mut partner = Browser::new(&app);
    partner.sign_in(PARTNER_US, "/").await;
    let partner_csrf = csrf_of(&partner.get("/partner/customers").await.text());
    let mut operator = Browser::new(&app);
    operator
        .sign_in("operator@accord-operations.example", "/")
        .await;
    let operator_csrf = csrf_of(&operator.get("/operator").await.text());

    for route in &routes {
        let path = concrete(route.path);
        let label = format!("{} {} ({:?})", route.method, route.path, route.policy);
        let mut stranger = Browser::new(&app);
        let anon = if route.method == Method::GET {
            stranger.get(&path).await
        } else {
            stranger.post(&path, &[("csrf", "forged")]).await
        };
        assert!(!anon.status.is_server_error(), "{label}: {}", anon.status);
        match route.policy {
            Policy::Public => assert!(!signin_redirect(&anon), "{label} is public"),
            Policy::SignedIn | Policy::PartnerUser | Policy::Operator => {
                assert!(
                    signin_redirect(&anon),
                    "{label}: strangers sign in first: {}",
                    anon.status
                )
            }
        }

        if route.path == "/signout" {
            continue; // ends the walk's sessions; its own tests cover it
        }
        let as_customer = if route.method == Method::GET {
            customer.get(&path).await
        } else {
            customer.post(&path, &[("csrf", &customer_csrf)]).await
        };
        assert!(
            !as_customer.status.is_server_error(),
            "{label}: {}",
            as_customer.status
        );
        if route.policy == Policy::PartnerUser {
            assert_eq!(as_customer.status, StatusCode::FORBIDDEN, "{label}");
            assert!(as_customer.text().contains("not_a_partner"), "{label}");
        } else if route.policy == Policy::Operator {
            assert_eq!(as_customer.status, StatusCode::FORBIDDEN, "{label}");
            assert!(
                as_customer.text().contains("operator_role_required"),
                "{label}"
            );
            let as_partner = if route.method == Method::GET {
                partner.get(&path).await
            } else {
                partner.post(&path, &[("csrf", &partner_csrf)]).await
            };
            assert_eq!(as_partner.status, StatusCode::FORBIDDEN, "{label}");
            let as_operator = if route.method == Method::GET {
                operator.get(&path).await
            } else {
                operator.post(&path, &[("csrf", &operator_csrf)]).await
            };
            assert!(
                as_operator.status.is_success()
                    || as_operator.status == StatusCode::SEE_OTHER
                    || as_operator.status == StatusCode::NOT_FOUND
                    || as_operator.status == StatusCode::UNPROCESSABLE_ENTITY,
                "{label}: an operator may use it: {} {}",
                as_operator.status,
                as_operator.text()
            );
        } else {
            assert!(
                !signin_redirect(&as_customer),
                "{label}: a signed-in user stays signed in"
            );
        }

        if route.policy == Policy::PartnerUser {
            let as_partner = if route.method == Method::GET {
                partner.get(&path).await
            } else {
                partner.post(&path, &[("csrf", &partner_csrf)]).await
            };
            assert!(
                as_partner.status.is_success()
                    || as_partner.status == StatusCode::SEE_OTHER
                    || as_partner.status == StatusCode::CREATED
                    || as_partner.status == StatusCode::NOT_FOUND
                    // Let in, and told what the empty form lacks.
                    || as_partner.status == StatusCode::UNPROCESSABLE_ENTITY,
                "{label}: a partner user may use it: {}",
                as_partner.status
            );
        }
    }
}
