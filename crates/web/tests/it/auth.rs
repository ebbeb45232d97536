//! Tokens and sessions: hashed at rest, revocation effective on the next request.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn api_calls_need_a_valid_bearer_token() {
    let app = TestApp::new().await;
    let r = app.call(Method::GET, "/api/v1/customers", None, None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.code(), "authentication_required");
    assert_eq!(r.header("www-authenticate"), "Bearer");
    for bad in [
        "garbage",
        "accord_pat_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "accord_pat_",
    ] {
        let r = app.get("/api/v1/customers", bad).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{bad}");
        assert_eq!(r.code(), "invalid_token");
    }
    let t = app.token(PARTNER_KR).await;
    assert!(t.starts_with("accord_pat_"));
    let me = app.get("/api/v1/me", &t).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.json()["email"], PARTNER_KR);
    assert_eq!(me.json()["roles"], json!(["partner_admin", "admin_agent"]));
}

#[tokio::test]
async fn tokens_are_stored_hashed_and_can_expire() {
    let app = TestApp::new().await;
    let t = app
        .accord
        .local_operator()
        .create_api_token(PARTNER_KR, "short", Some(1))
        .await
        .unwrap();
    let raw = app
        .count(&format!(
            "SELECT COUNT(*) FROM api_tokens WHERE token_hash = '{t}'"
        ))
        .await;
    assert_eq!(raw, 0, "never stored in the clear");
    assert_eq!(app.get("/api/v1/me", &t).await.status, StatusCode::OK);
    app.clock.advance(chrono::Duration::days(1));
    assert_eq!(app.get("/api/v1/me", &t).await.code(), "invalid_token");
}

#[tokio::test]
async fn passwords_are_checked_and_stored_with_argon2id() {
    let app = TestApp::new().await;
    assert!(app
        .accord
        .sign_in_with_password(PARTNER_KR, "accord-demo", "test")
        .await
        .is_ok());
    for (email, pw) in [
        (PARTNER_KR, "wrong-password"),
        ("nobody@nowhere.example", "accord-demo"),
        ("not an email", "x"),
        (PARTNER_KR, ""),
    ] {
        let e = app
            .accord
            .sign_in_with_password(email, pw, "test")
            .await
            .unwrap_err();
        assert_eq!(e.code(), "invalid_credentials", "{email}");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE password_hash NOT LIKE '$argon2id$%'")
            .await,
        0
    );
}

#[tokio::test]
async fn a_user_lists_and_revokes_its_own_tokens_only() {
    let app = TestApp::new().await;
    let mine = app.token(PARTNER_KR).await;
    let other = app.token(PARTNER_US).await;
    let list = app.get("/api/v1/tokens", &mine).await;
    assert_eq!(list.status, StatusCode::OK);
    let tokens = list.json();
    assert_eq!(tokens.as_array().unwrap().len(), 1);
    assert!(
        !list.text().contains("accord_pat_"),
        "secrets are never listed"
    );
    let id = tokens[0]["id"].as_str().unwrap().to_string();
    // Someone else's token id is not found for me, and mine not for them.
    let their_id = app.get("/api/v1/tokens", &other).await.json()[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .call(
            Method::DELETE,
            &format!("/api/v1/tokens/{their_id}"),
            Some(&mine),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/api/v1/me", &other).await.status, StatusCode::OK);
    let r = app
        .call(
            Method::DELETE,
            &format!("/api/v1/tokens/{id}"),
            Some(&mine),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(app.get("/api/v1/me", &mine).await.code(), "invalid_token");
}

/// Operator tasks exist only on the operator desk: a signed-in operator gets it, anyone
/// else is refused with `operator_role_required`; the CLI's local operator is audited as
/// such.
#[tokio::test]
async fn only_operators_get_the_operator_desk() {
    let app = TestApp::new().await;
    let op = app
        .accord
        .sign_in_with_password("operator@accord-operations.example", "accord-demo", "test")
        .await
        .unwrap();
    assert!(app.accord.operator_desk(&op).is_ok());
    for email in [PARTNER_KR, CUSTOMER_KR_ADMIN] {
        let p = app
            .accord
            .sign_in_with_password(email, "accord-demo", "test")
            .await
            .unwrap();
        let refused = app.accord.operator_desk(&p).err().unwrap();
        assert_eq!(refused.code(), "operator_role_required", "{email}");
    }
    app.accord
        .operator_desk(&op)
        .unwrap()
        .set_region("JP", "asia_pacific")
        .await
        .unwrap();
    assert_eq!(
        app.count("SELECT COUNT(*) FROM operator_events WHERE action = 'region.set' AND actor_kind = 'user'")
            .await,
        1
    );
    assert!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'tenant.created' AND actor_kind = 'local_operator'")
            .await
            >= 3,
        "the demo world was seeded by the local operator"
    );
}
