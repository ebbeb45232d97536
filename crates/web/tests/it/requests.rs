//! SPEC F2: partners request relationships, list and revoke them.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn a_partner_creates_a_request_with_link_and_draft_email() {
    let app = TestApp::new().await;
    let p = app.token(PARTNER_KR).await;
    let r = app
        .post(
            "/api/v1/relationship-requests",
            &p,
            json!({"include_admin_privileges": true, "customer_email": "Admin@Hanbit.example"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let j = r.json();
    assert_eq!(j["status"], "pending");
    assert_eq!(j["include_admin_privileges"], true);
    assert_eq!(j["admin_roles"], json!(["global_admin"]));
    assert_eq!(j["customer_email"], "admin@hanbit.example");
    let link = j["link"].as_str().unwrap();
    assert!(
        link.starts_with("http://127.0.0.1:8080/admin/invitations/"),
        "{link}"
    );
    let token = link.rsplit('/').next().unwrap();
    let (tenant, secret) = token.split_once('.').unwrap();
    assert_eq!(
        (tenant.len(), secret.len()),
        (32, 43),
        "tenant id, then a 256-bit secret"
    );
    assert!(j["email"]["body"].as_str().unwrap().contains(link));
    assert!(j["email"]["subject"]
        .as_str()
        .unwrap()
        .contains("Contoso Partners Korea"));
    let mailto = j["email"]["mailto"].as_str().unwrap();
    assert!(
        mailto.starts_with("mailto:admin%40hanbit.example?subject="),
        "{mailto}"
    );
    // 90 days by default.
    assert_eq!(j["expires_at"], "2026-05-30T09:00:00Z");

    // The token is stored only as its hash.
    let plain = app
        .count(&format!(
            "SELECT COUNT(*) FROM relationship_requests WHERE token_hash = '{token}'"
        ))
        .await;
    assert_eq!(plain, 0);

    let list = app.get("/api/v1/relationship-requests", &p).await;
    assert_eq!(list.status, StatusCode::OK);
    let items = items(&list.json());
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["status"], "pending");
    assert!(
        items[0].get("link").is_none(),
        "the link is shown only once"
    );
}

#[tokio::test]
async fn the_option_without_admin_privileges_is_refused_in_usgov_and_germany() {
    let app = TestApp::new().await;
    let gov = app.token(PARTNER_GOV).await;
    let r = app
        .post(
            "/api/v1/relationship-requests",
            &gov,
            json!({"include_admin_privileges": false}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.code(), "admin_option_required_in_cloud");
    let detail = r.json()["detail"].as_str().unwrap().to_string();
    assert!(
        detail.contains("US Government cloud"),
        "named, not coded: {detail}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM relationship_requests")
            .await,
        0
    );

    let de_token = app
        .org_user(
            "Berlin Partners",
            "berlin-partners.example",
            "DE",
            accord_domain::Cloud::Germany,
            true,
            "partner_admin",
        )
        .await;
    let r = app
        .post(
            "/api/v1/relationship-requests",
            &de_token,
            json!({"include_admin_privileges": false}),
        )
        .await;
    assert_eq!(r.code(), "admin_option_required_in_cloud");

    // With admin privileges it works, and the public cloud may leave them out.
    let (_, _) = app
        .request(&gov, json!({"include_admin_privileges": true}))
        .await;
    let kr = app.token(PARTNER_KR).await;
    let (_, _) = app
        .request(&kr, json!({"include_admin_privileges": false}))
        .await;
}

#[tokio::test]
async fn the_invitation_link_points_at_the_portal_of_the_partners_cloud() {
    let mut config = accord_service::ServiceConfig::default();
    config.clouds.insert(
        accord_domain::Cloud::Usgov,
        accord_service::CloudPortal {
            base_url: Some("https://admin.gov.example/".into()),
            portal_name: "Gov Office admin portal".into(),
        },
    );
    let app = TestApp::with_config(config).await;
    let gov = app.token(PARTNER_GOV).await;
    let r = app
        .post(
            "/api/v1/relationship-requests",
            &gov,
            json!({"include_admin_privileges": true}),
        )
        .await;
    let j = r.json();
    assert!(j["link"]
        .as_str()
        .unwrap()
        .starts_with("https://admin.gov.example/admin/invitations/"));
    assert!(j["email"]["body"]
        .as_str()
        .unwrap()
        .contains("Gov Office admin portal"));
}

#[tokio::test]
async fn granular_time_bound_grants_are_validated() {
    let app = TestApp::new().await;
    let p = app.token(PARTNER_KR).await;
    let ok = app
        .post(
            "/api/v1/relationship-requests",
            &p,
            json!({"include_admin_privileges": true, "admin_roles": ["user_admin", "helpdesk_admin"], "duration_days": 180, "auto_extend": true}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.text());
    assert_eq!(
        ok.json()["admin_roles"],
        json!(["user_admin", "helpdesk_admin"])
    );
    assert_eq!(ok.json()["duration_days"], 180);
    for (body, field) in [
        (
            json!({"include_admin_privileges": true, "admin_roles": ["user_admin"], "duration_days": 731}),
            "duration_days",
        ),
        (
            json!({"include_admin_privileges": true, "admin_roles": ["user_admin"]}),
            "duration_days",
        ),
        (
            json!({"include_admin_privileges": true, "admin_roles": [], "duration_days": 30}),
            "admin_roles",
        ),
        (
            json!({"include_admin_privileges": true, "admin_roles": ["global_admin"], "duration_days": 30, "auto_extend": true}),
            "auto_extend",
        ),
        (
            json!({"include_admin_privileges": false, "admin_roles": ["user_admin"], "duration_days": 30}),
            "admin_roles",
        ),
    ] {
        let r = app
            .post("/api/v1/relationship-requests", &p, body.clone())
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.text()
        );
        assert_eq!(r.code(), "invalid_input");
        assert_eq!(r.json()["field"], field, "{body}");
    }
    let bad_role = app
        .post(
            "/api/v1/relationship-requests",
            &p,
            json!({"include_admin_privileges": true, "admin_roles": ["root"], "duration_days": 3}),
        )
        .await;
    assert_eq!(bad_role.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn only_requesting_roles_may_create_and_customers_are_not_partners() {
    let app = TestApp::new().await;
    let helpdesk = app.token(PARTNER_KR_HELPDESK).await;
    let r = app
        .post(
            "/api/v1/relationship-requests",
            &helpdesk,
            json!({"include_admin_privileges": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.code(), "partner_role_required");
    // A helpdesk agent may still see the customer list.
    assert_eq!(
        app.get("/api/v1/customers", &helpdesk).await.status,
        StatusCode::OK
    );

    let customer = app.token(CUSTOMER_KR_ADMIN).await;
    for uri in ["/api/v1/customers", "/api/v1/relationship-requests"] {
        let r = app.get(uri, &customer).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{uri}");
        assert_eq!(r.code(), "not_a_partner");
    }
}

#[tokio::test]
async fn a_revoked_request_cannot_be_accepted() {
    let app = TestApp::new().await;
    let p = app.token(PARTNER_KR).await;
    let c = app.token(CUSTOMER_KR_ADMIN).await;
    let (id, token) = app
        .request(&p, json!({"include_admin_privileges": true}))
        .await;
    let r = app
        .post(
            &format!("/api/v1/relationship-requests/{id}/revoke"),
            &p,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["status"], "revoked");

    let again = app
        .post(
            &format!("/api/v1/relationship-requests/{id}/revoke"),
            &p,
            json!({}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.code(), "request_not_pending");

    let acc = app.accept(&c, &token).await;
    assert_eq!(acc.status, StatusCode::GONE);
    assert_eq!(acc.code(), "request_revoked");
    assert_eq!(app.count("SELECT COUNT(*) FROM relationships").await, 0);
}

#[tokio::test]
async fn another_partner_cannot_see_or_revoke_a_request() {
    let app = TestApp::new().await;
    let kr = app.token(PARTNER_KR).await;
    let us = app.token(PARTNER_US).await;
    let (id, _) = app
        .request(&kr, json!({"include_admin_privileges": true}))
        .await;
    let r = app
        .post(
            &format!("/api/v1/relationship-requests/{id}/revoke"),
            &us,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.code(), "not_found");
    assert!(items(&app.get("/api/v1/relationship-requests", &us).await.json()).is_empty());
    let still = app.get("/api/v1/relationship-requests", &kr).await.json();
    assert_eq!(items(&still)[0]["status"], "pending");
}

#[tokio::test]
async fn requests_page_newest_first_with_a_cursor() {
    let app = TestApp::new().await;
    let p = app.token(PARTNER_KR).await;
    let mut ids = Vec::new();
    for _ in 0..5 {
        ids.push(
            app.request(&p, json!({"include_admin_privileges": true}))
                .await
                .0,
        );
        app.clock.advance(chrono::Duration::seconds(1));
    }
    ids.reverse();
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let uri = match &cursor {
            Some(c) => format!("/api/v1/relationship-requests?limit=2&cursor={c}"),
            None => "/api/v1/relationship-requests?limit=2".into(),
        };
        let page = app.get(&uri, &p).await.json();
        seen.extend(
            items(&page)
                .iter()
                .map(|i| i["id"].as_str().unwrap().to_string()),
        );
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(seen, ids);
}

/// The eight partner types: asked for in a request, limited to what the operator lets a
/// partner offer, and added to the relationship on acceptance.
#[tokio::test]
async fn requests_carry_the_partner_types_the_operator_allows() {
    let app = TestApp::new().await;
    let kr = app.token(PARTNER_KR).await;
    let r = app
        .post(
            "/api/v1/relationship-requests",
            &kr,
            json!({"include_admin_privileges": true}),
        )
        .await;
    assert_eq!(
        r.json()["types"],
        json!(["reseller", "delegated_admin"]),
        "the shorthand is reseller + delegated admin"
    );
    let mpsa = json!({"include_admin_privileges": false, "types": ["mpsa", "oem_pc"]});
    let r = app
        .post("/api/v1/relationship-requests", &kr, mpsa.clone())
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.code(), "partner_type_not_offered");
    assert!(r.json()["detail"]
        .as_str()
        .unwrap()
        .contains("MPSA partner"));
    for (body, code) in [
        (
            json!({"include_admin_privileges": false, "types": []}),
            "invalid_input",
        ),
        (
            json!({"include_admin_privileges": false, "types": ["delegated_admin"]}),
            "invalid_input",
        ),
        (
            json!({"include_admin_privileges": false, "types": ["wizard"]}),
            "invalid_input",
        ),
    ] {
        let r = app.post("/api/v1/relationship-requests", &kr, body).await;
        assert_eq!(r.code(), code, "{}", r.text());
    }

    app.accord
        .local_operator()
        .set_offered_types(
            "contoso-kr.example",
            &"reseller,delegated_admin,partner,admin,mpsa,oem_pc,lob"
                .split(',')
                .map(|t| t.parse().unwrap())
                .collect::<Vec<_>>(),
        )
        .await
        .unwrap();
    let r = app.post("/api/v1/relationship-requests", &kr, mpsa).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let token = r.json()["link"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    let hanbit = app.token(CUSTOMER_KR_ADMIN).await;
    let view = app
        .get(&format!("/api/v1/invitations/{token}"), &hanbit)
        .await
        .json();
    assert_eq!(view["types"], json!(["mpsa", "oem_pc"]));
    assert_eq!(app.accept(&hanbit, &token).await.status, StatusCode::OK);
    let partners = app.get("/api/v1/partners", &hanbit).await.json();
    assert_eq!(partners["items"][0]["types"], json!(["mpsa", "oem_pc"]));
    assert_eq!(partners["items"][0]["admin_roles"], json!([]));

    // The admin type alone asks for its helpdesk-level grant.
    let r = app
        .post(
            "/api/v1/relationship-requests",
            &kr,
            json!({"include_admin_privileges": true, "types": ["admin"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["types"], json!(["admin"]));
    assert_eq!(r.json()["admin_roles"], json!(["helpdesk_admin"]));
    assert_eq!(r.json()["duration_days"], 730);
}
