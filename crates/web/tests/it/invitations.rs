//! SPEC F3: the customer's Global admin accepts the agreement and authorises the partner,
//! with every rule of issue 2.

use accord_store::Store;
use axum::http::StatusCode;
use chrono::Duration;
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn a_global_admin_views_accepts_and_both_sides_see_the_relationship() {
    let app = TestApp::new().await;
    let p = app.token(PARTNER_KR).await;
    let c = app.token(CUSTOMER_KR_ADMIN).await;
    let (id, token) = app
        .request(&p, json!({"include_admin_privileges": true}))
        .await;

    let view = app.get(&format!("/api/v1/invitations/{token}"), &c).await;
    assert_eq!(view.status, StatusCode::OK, "{}", view.text());
    let v = view.json();
    assert_eq!(v["partner_name"], "Contoso Partners Korea");
    assert_eq!(v["types"], json!(["reseller", "delegated_admin"]));
    assert_eq!(v["admin_roles"], json!(["global_admin"]));
    assert_eq!(v["agreement"]["version"], 1);
    assert_eq!(v["agreement_already_accepted"], false);
    assert_eq!(v["can_accept"], true);
    assert!(v["blocker"].is_null());

    let acc = app.accept(&c, &token).await;
    assert_eq!(acc.status, StatusCode::OK, "{}", acc.text());
    let a = acc.json();
    assert_eq!(a["partner_name"], "Contoso Partners Korea");
    assert_eq!(a["types"], json!(["reseller", "delegated_admin"]));
    assert_eq!(a["admin_roles"], json!(["global_admin"]));
    assert!(a["admin_ends_at"].is_null());
    assert_eq!(a["agreement_version_accepted"], 1);
    assert_eq!(a["updated_existing"], false);

    let customers = app.get("/api/v1/customers", &p).await.json();
    assert_eq!(names(&customers), vec!["Hanbit Retail"]);
    assert_eq!(items(&customers)[0]["has_admin_privileges"], true);

    let partners = app.get("/api/v1/partners", &c).await.json();
    let it = &items(&partners)[0];
    assert_eq!(it["name"], "Contoso Partners Korea");
    assert_eq!(it["types"], json!(["reseller", "delegated_admin"]));
    assert_eq!(it["has_admin_privileges"], true);

    let detail = app
        .get(
            &format!("/api/v1/partners/{}", it["id"].as_str().unwrap()),
            &c,
        )
        .await;
    assert_eq!(detail.status, StatusCode::OK);
    assert_eq!(detail.json()["domain"], "contoso-kr.example");

    let reqs = app.get("/api/v1/relationship-requests", &p).await.json();
    assert_eq!(items(&reqs)[0]["id"], id.as_str());
    assert_eq!(items(&reqs)[0]["status"], "accepted");
    assert_eq!(
        items(&reqs)[0]["customer_id"],
        a_customer_id(&app, CUSTOMER_KR_ADMIN).await
    );
}

async fn a_customer_id(app: &TestApp, email: &str) -> serde_json::Value {
    let t = app.token(email).await;
    app.get("/api/v1/me", &t).await.json()["tenant_id"].clone()
}

#[tokio::test]
async fn accepting_records_the_agreement_acceptance_once_per_version() {
    let app = TestApp::new().await;
    let kr = app.token(PARTNER_KR).await;
    let c = app.token(CUSTOMER_KR_ADMIN).await;
    let (_, t1) = app
        .request(&kr, json!({"include_admin_privileges": false}))
        .await;
    assert_eq!(app.accept(&c, &t1).await.status, StatusCode::OK);

    let customer_id: accord_domain::TenantId = a_customer_id(&app, CUSTOMER_KR_ADMIN)
        .await
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let mut tx = app.store.read().await.unwrap();
    let rec = tx
        .acceptance(customer_id, 1)
        .await
        .unwrap()
        .expect("acceptance recorded");
    drop(tx);
    assert_eq!(rec.user_email, CUSTOMER_KR_ADMIN);
    assert_eq!(rec.user_name, "Lee Seojun");
    assert_eq!(rec.accepted_at, app.accord.now());
    assert_eq!(rec.client_addr, "unknown", "no peer address in-process");

    // A second partner: version 1 is already accepted, nothing new is recorded.
    let (_, t2) = app
        .request(&kr, json!({"include_admin_privileges": true}))
        .await;
    let a2 = app.accept(&c, &t2).await.json();
    assert!(a2["agreement_version_accepted"].is_null());
    assert_eq!(
        app.count("SELECT COUNT(*) FROM agreement_acceptances")
            .await,
        1
    );

    // After the operator publishes version 2, the next acceptance records it.
    app.accord
        .local_operator()
        .publish_agreement("Customer Agreement", "Version two.")
        .await
        .unwrap();
    let (_, t3) = app
        .request(&kr, json!({"include_admin_privileges": true}))
        .await;
    let view = app
        .get(&format!("/api/v1/invitations/{t3}"), &c)
        .await
        .json();
    assert_eq!(view["agreement"]["version"], 2);
    assert_eq!(view["agreement_already_accepted"], false);
    let a3 = app.accept(&c, &t3).await.json();
    assert_eq!(a3["agreement_version_accepted"], 2);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM agreement_acceptances")
            .await,
        2
    );
}

#[tokio::test]
async fn the_agreement_box_must_be_ticked() {
    let app = TestApp::new().await;
    let p = app.token(PARTNER_KR).await;
    let c = app.token(CUSTOMER_KR_ADMIN).await;
    let (_, token) = app
        .request(&p, json!({"include_admin_privileges": true}))
        .await;
    let r = app
        .post(
            &format!("/api/v1/invitations/{token}/accept"),
            &c,
            json!({"accept_agreement": false}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.code(), "agreement_acceptance_required");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM agreement_acceptances")
            .await,
        0
    );
    assert_eq!(
        app.accept(&c, &token).await.status,
        StatusCode::OK,
        "the request is still usable"
    );
}

#[tokio::test]
async fn only_a_global_admin_accepts_and_nothing_changes_otherwise() {
    let app = TestApp::new().await;
    let p = app.token(PARTNER_KR).await;
    let user = app.token(CUSTOMER_KR_USER).await;
    let (_, token) = app
        .request(&p, json!({"include_admin_privileges": true}))
        .await;

    let view = app
        .get(&format!("/api/v1/invitations/{token}"), &user)
        .await
        .json();
    assert_eq!(view["can_accept"], false);

    let audit_before = app.count("SELECT COUNT(*) FROM audit_events").await;
    for action in ["accept", "decline"] {
        let r = app
            .post(
                &format!("/api/v1/invitations/{token}/{action}"),
                &user,
                json!({"accept_agreement": true}),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{action}");
        assert_eq!(r.code(), "not_global_admin");
        assert!(r.json()["detail"]
            .as_str()
            .unwrap()
            .contains("Global admin"));
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM relationships").await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM agreement_acceptances")
            .await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM relationship_requests WHERE status = 'pending'")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events").await,
        audit_before
    );

    let admin = app.token(CUSTOMER_KR_ADMIN).await;
    assert_eq!(app.accept(&admin, &token).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_request_is_single_use() {
    let app = TestApp::new().await;
    let p = app.token(PARTNER_KR).await;
    let c = app.token(CUSTOMER_KR_ADMIN).await;
    let (_, token) = app
        .request(&p, json!({"include_admin_privileges": true}))
        .await;
    assert_eq!(app.accept(&c, &token).await.status, StatusCode::OK);
    let again = app.accept(&c, &token).await;
    assert_eq!(again.status, StatusCode::GONE);
    assert_eq!(again.code(), "request_already_used");
    assert_eq!(again.header("content-type"), "application/problem+json");
    let j = again.json();
    assert_eq!(j["status"], 410);
    assert_eq!(j["type"], "urn:accord:problem:request_already_used");
    let decline = app
        .post(
            &format!("/api/v1/invitations/{token}/decline"),
            &c,
            json!({}),
        )
        .await;
    assert_eq!(decline.code(), "request_already_used");
}

#[tokio::test]
async fn a_request_expires_after_ninety_days_by_default() {
    let app = TestApp::new().await;
    let p = app.token(PARTNER_KR).await;
    let c = app.token(CUSTOMER_KR_ADMIN).await;
    let (_, early) = app
        .request(&p, json!({"include_admin_privileges": true}))
        .await;
    let (_, late) = app
        .request(&p, json!({"include_admin_privileges": true}))
        .await;
    app.clock.advance(Duration::days(90) - Duration::seconds(1));
    assert_eq!(app.accept(&c, &early).await.status, StatusCode::OK);
    app.clock.advance(Duration::seconds(1));
    let r = app.accept(&c, &late).await;
    assert_eq!(r.status, StatusCode::GONE);
    assert_eq!(r.code(), "request_expired");
    let list = app.get("/api/v1/relationship-requests", &p).await.json();
    assert!(items(&list).iter().any(|i| i["status"] == "expired"));
}

#[tokio::test]
async fn the_expiry_is_configurable() {
    let config = accord_service::ServiceConfig {
        request_ttl_days: 7,
        ..Default::default()
    };
    let app = TestApp::with_config(config).await;
    let p = app.token(PARTNER_KR).await;
    let c = app.token(CUSTOMER_KR_ADMIN).await;
    let (_, token) = app
        .request(&p, json!({"include_admin_privileges": true}))
        .await;
    app.clock.advance(Duration::days(7));
    assert_eq!(app.accept(&c, &token).await.code(), "request_expired");
}

#[tokio::test]
async fn declining_uses_up_the_request_and_creates_nothing() {
    let app = TestApp::new().await;
    let p = app.token(PARTNER_KR).await;
    let c = app.token(CUSTOMER_KR_ADMIN).await;
    let (_, token) = app
        .request(&p, json!({"include_admin_privileges": true}))
        .await;
    let r = app
        .post(
            &format!("/api/v1/invitations/{token}/decline"),
            &c,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    assert_eq!(app.accept(&c, &token).await.code(), "request_already_used");
    assert_eq!(app.count("SELECT COUNT(*) FROM relationships").await, 0);
    let reqs = app.get("/api/v1/relationship-requests", &p).await.json();
    assert_eq!(items(&reqs)[0]["status"], "declined");
}

#[tokio::test]
async fn customers_in_another_cloud_cannot_accept() {
    let app = TestApp::new().await;
    let gov = app.token(PARTNER_GOV).await;
    let public_us = app.token(CUSTOMER_US_ADMIN).await;
    let (_, token) = app
        .request(&gov, json!({"include_admin_privileges": true}))
        .await;
    let view = app
        .get(&format!("/api/v1/invitations/{token}"), &public_us)
        .await
        .json();
    assert_eq!(view["blocker"]["code"], "cloud_mismatch");
    assert_eq!(view["can_accept"], false);
    let r = app.accept(&public_us, &token).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.code(), "cloud_mismatch");
    // Nor can it burn the link by declining it.
    let d = app
        .post(
            &format!("/api/v1/invitations/{token}/decline"),
            &public_us,
            json!({}),
        )
        .await;
    assert_eq!(d.code(), "cloud_mismatch");
    // The usgov customer of the same country can.
    let gov_customer = app.token(CUSTOMER_GOV_ADMIN).await;
    assert_eq!(
        app.accept(&gov_customer, &token).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn customers_outside_the_partners_country_or_region_cannot_accept() {
    let app = TestApp::new().await;
    let kr = app.token(PARTNER_KR).await;
    let us_customer = app.token(CUSTOMER_US_ADMIN).await;
    let (_, token) = app
        .request(&kr, json!({"include_admin_privileges": true}))
        .await;
    let r = app.accept(&us_customer, &token).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.code(), "region_mismatch");
    let detail = r.json()["detail"].as_str().unwrap().to_string();
    assert!(
        detail.contains("South Korea (Asia Pacific)")
            && detail.contains("United States (North America)"),
        "countries and regions by name: {detail}"
    );
    // The same refusal for a Korean reader: the detail in Korean, the code unchanged.
    let req = axum::http::Request::builder()
        .method("POST")
        .uri(format!("/api/v1/invitations/{token}/accept"))
        .header("authorization", format!("Bearer {us_customer}"))
        .header("content-type", "application/json")
        .header("accept-language", "ko-KR,ko;q=0.9,en;q=0.5")
        .body(axum::body::Body::from(r#"{"accept_agreement": true}"#))
        .unwrap();
    let ko = app.send(req).await;
    assert_eq!(ko.code(), "region_mismatch");
    assert_eq!(ko.header("content-language"), "ko");
    let detail = ko.json()["detail"].as_str().unwrap().to_string();
    assert!(
        detail.contains("대한민국(아시아 태평양)") && detail.contains("미국(북미)"),
        "{detail}"
    );
    assert_eq!(ko.json()["title"], "허용되지 않음");
    assert_eq!(app.count("SELECT COUNT(*) FROM relationships").await, 0);

    // The operator edits the region table (audited): the same request now works.
    app.accord
        .local_operator()
        .set_region("US", "asia_pacific")
        .await
        .unwrap();
    assert_eq!(
        app.count("SELECT COUNT(*) FROM operator_events WHERE action = 'region.set'")
            .await,
        1
    );
    assert_eq!(
        app.accept(&us_customer, &token).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_customer_in_the_same_region_can_accept() {
    let app = TestApp::new().await;
    let jp = app
        .accord
        .local_operator()
        .create_tenant(&accord_service::NewTenant {
            name: "Sakura Foods".into(),
            domain: "sakura.example".into(),
            country: "JP".into(),
            cloud: accord_domain::Cloud::Public,
            is_partner: false,
        })
        .await
        .unwrap();
    app.accord
        .local_operator()
        .create_user(
            &jp.domain,
            &accord_service::NewUser {
                email: "admin@sakura.example".into(),
                display_name: Some("Sato".into()),
                password: "a long password".into(),
                roles: vec!["global_admin".parse().unwrap()],
            },
        )
        .await
        .unwrap();
    let kr = app.token(PARTNER_KR).await;
    let (_, token) = app
        .request(&kr, json!({"include_admin_privileges": true}))
        .await;
    let c = app.token("admin@sakura.example").await;
    assert_eq!(app.accept(&c, &token).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_new_request_restores_removed_admin_roles_on_the_same_relationship() {
    let app = TestApp::new().await;
    let p = app.token(PARTNER_KR).await;
    let c = app.token(CUSTOMER_KR_ADMIN).await;
    let (_, t1) = app
        .request(&p, json!({"include_admin_privileges": true}))
        .await;
    let first = app.accept(&c, &t1).await.json();
    let rel_id = first["relationship_id"].clone();
    let partner_id = first["partner_id"].as_str().unwrap().to_string();

    let removed = app
        .post(
            &format!("/api/v1/partners/{partner_id}/remove-admin-roles"),
            &c,
            json!({}),
        )
        .await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.text());
    assert_eq!(removed.json()["has_admin_privileges"], false);
    assert_eq!(
        removed.json()["types"],
        json!(["reseller"]),
        "a reseller stays a reseller"
    );
    let again = app
        .post(
            &format!("/api/v1/partners/{partner_id}/remove-admin-roles"),
            &c,
            json!({}),
        )
        .await;
    assert_eq!(again.code(), "no_admin_roles");
    let customers = app.get("/api/v1/customers", &p).await.json();
    assert_eq!(items(&customers)[0]["has_admin_privileges"], false);
    assert_eq!(items(&customers)[0]["admin_status"], "terminated");

    app.clock.advance(Duration::days(3));
    let (_, t2) = app
        .request(&p, json!({"include_admin_privileges": true}))
        .await;
    let restored = app.accept(&c, &t2).await.json();
    assert_eq!(restored["relationship_id"], rel_id, "same relationship");
    assert_eq!(restored["updated_existing"], true);
    assert_eq!(restored["admin_roles"], json!(["global_admin"]));
    assert_eq!(app.count("SELECT COUNT(*) FROM relationships").await, 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'admin_grant.restored'")
            .await,
        2,
        "one row for the partner, one for the customer"
    );
    let partners = app.get("/api/v1/partners", &c).await.json();
    assert_eq!(items(&partners)[0]["has_admin_privileges"], true);
}

#[tokio::test]
async fn a_reseller_without_admin_gains_them_with_a_later_request() {
    let app = TestApp::new().await;
    let p = app.token(PARTNER_KR).await;
    let c = app.token(CUSTOMER_KR_ADMIN).await;
    let (_, t1) = app
        .request(&p, json!({"include_admin_privileges": false}))
        .await;
    let a1 = app.accept(&c, &t1).await.json();
    assert_eq!(a1["types"], json!(["reseller"]));
    let partners = app.get("/api/v1/partners", &c).await.json();
    assert_eq!(items(&partners)[0]["has_admin_privileges"], false);
    let (_, t2) = app
        .request(&p, json!({"include_admin_privileges": true}))
        .await;
    let a2 = app.accept(&c, &t2).await.json();
    assert_eq!(a2["relationship_id"], a1["relationship_id"]);
    assert_eq!(a2["types"], json!(["reseller", "delegated_admin"]));
}

#[tokio::test]
async fn concurrent_accepts_of_one_request_yield_exactly_one_relationship() {
    let app = TestApp::new().await;
    let p = app.token(PARTNER_KR).await;
    let c = app.token(CUSTOMER_KR_ADMIN).await;
    let (_, token) = app
        .request(&p, json!({"include_admin_privileges": true}))
        .await;
    let app = std::sync::Arc::new(app);
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let (app, c, token) = (app.clone(), c.clone(), token.clone());
        tasks.push(tokio::spawn(async move { app.accept(&c, &token).await }));
    }
    let mut ok = 0;
    let mut gone = 0;
    for t in tasks {
        let r = t.await.unwrap();
        match r.status {
            StatusCode::OK => ok += 1,
            StatusCode::GONE => {
                assert_eq!(r.code(), "request_already_used");
                gone += 1
            }
            s => panic!("unexpected {s}: {}", r.text()),
        }
    }
    assert_eq!((ok, gone), (1, 15));
    assert_eq!(app.count("SELECT COUNT(*) FROM relationships").await, 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM agreement_acceptances")
            .await,
        1
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_events WHERE action = 'relationship_request.accepted'"
        )
        .await,
        2
    );
}

#[tokio::test]
async fn every_state_change_is_audited_for_both_sides() {
    let app = TestApp::new().await;
    let p = app.token(PARTNER_KR).await;
    let c = app.token(CUSTOMER_KR_ADMIN).await;
    let (_, token) = app
        .request(&p, json!({"include_admin_privileges": true}))
        .await;
    app.accept(&c, &token).await;
    let me_p = app.get("/api/v1/me", &p).await.json();
    let me_c = app.get("/api/v1/me", &c).await.json();
    let (pt, ct) = (
        me_p["tenant_id"].as_str().unwrap(),
        me_c["tenant_id"].as_str().unwrap(),
    );
    let actions = |t: &str| {
        format!("SELECT COUNT(*) FROM audit_events WHERE tenant_id = '{t}' AND action IN ('relationship_request.accepted', 'relationship.created', 'admin_grant.granted')")
    };
    assert_eq!(app.count(&actions(pt)).await, 3);
    assert_eq!(app.count(&actions(ct)).await, 3);
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM audit_events WHERE tenant_id = '{pt}' AND action = 'relationship_request.created'")).await,
        1
    );
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM audit_events WHERE tenant_id = '{ct}' AND action = 'agreement.accepted'")).await,
        1
    );
}

#[tokio::test]
async fn a_partner_cannot_accept_its_own_request() {
    let app = TestApp::new().await;
    // A partner organisation that is also a customer: its Global admin opens its own link.
    app.user(
        "contoso-kr.example",
        "ga@contoso-kr.example",
        &["global_admin", "partner_admin"],
    )
    .await;
    let t = app.token("ga@contoso-kr.example").await;
    let (_, token) = app
        .request(&t, json!({"include_admin_privileges": true}))
        .await;
    let r = app.accept(&t, &token).await;
    assert_eq!(r.code(), "self_relationship");
}

#[tokio::test]
async fn unknown_or_malformed_invitation_tokens_are_not_found() {
    let app = TestApp::new().await;
    let c = app.token(CUSTOMER_KR_ADMIN).await;
    for t in [
        "nope",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        &"x".repeat(5000),
    ] {
        let r = app.get(&format!("/api/v1/invitations/{t}"), &c).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{t}");
        assert_eq!(r.code(), "not_found");
    }
    // Control characters are refused before any lookup.
    let r = app.get("/api/v1/invitations/%00%01", &c).await;
    assert_eq!(
        (r.status, r.code().as_str()),
        (StatusCode::BAD_REQUEST, "invalid_text")
    );
}

#[tokio::test]
async fn lists_page_through_customers_by_name_and_search() {
    let app = TestApp::new().await;
    let p = app.token(PARTNER_KR).await;
    let mut expected = Vec::new();
    for (i, name) in [
        "Delta Co",
        "alpha Ltd",
        "Charlie Inc",
        "Bravo GmbH",
        "Echo Corp",
    ]
    .iter()
    .enumerate()
    {
        let domain = format!("c{i}.example");
        app.accord
            .local_operator()
            .create_tenant(&accord_service::NewTenant {
                name: (*name).into(),
                domain: domain.clone(),
                country: "KR".into(),
                cloud: accord_domain::Cloud::Public,
                is_partner: false,
            })
            .await
            .unwrap();
        let email = format!("ga@{domain}");
        app.accord
            .local_operator()
            .create_user(
                &domain,
                &accord_service::NewUser {
                    email: email.clone(),
                    display_name: None,
                    password: "a long password".into(),
                    roles: vec!["global_admin".parse().unwrap()],
                },
            )
            .await
            .unwrap();
        let (_, token) = app
            .request(&p, json!({"include_admin_privileges": true}))
            .await;
        let ct = app.token(&email).await;
        assert_eq!(app.accept(&ct, &token).await.status, StatusCode::OK);
        expected.push((*name).to_string());
    }
    expected.sort();
    let mut seen = Vec::new();
    let mut uri = "/api/v1/customers?limit=2".to_string();
    loop {
        let page = app.get(&uri, &p).await.json();
        assert!(items(&page).len() <= 2);
        seen.extend(names(&page));
        match page["next_cursor"].as_str() {
            Some(c) => uri = format!("/api/v1/customers?limit=2&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen, expected);
    let found = app.get("/api/v1/customers?q=ALPHA", &p).await.json();
    assert_eq!(names(&found), vec!["alpha Ltd"]);
    let none = app.get("/api/v1/customers?q=%25", &p).await.json();
    assert!(
        items(&none).is_empty(),
        "LIKE wildcards in the query are literal"
    );
    let bad = app.get("/api/v1/customers?cursor=!!!", &p).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.code(), "invalid_cursor");
    // The other partner sees none of them, and a customer sees only its own partner.
    let us = app.token(PARTNER_US).await;
    assert!(items(&app.get("/api/v1/customers", &us).await.json()).is_empty());
}

#[tokio::test]
async fn a_customer_cannot_see_a_partner_it_has_no_relationship_with() {
    let app = TestApp::new().await;
    let c = app.token(CUSTOMER_KR_ADMIN).await;
    let us = app.token(PARTNER_US).await;
    let us_id = app.get("/api/v1/me", &us).await.json()["tenant_id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app.get(&format!("/api/v1/partners/{us_id}"), &c).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app
        .post(
            &format!("/api/v1/partners/{us_id}/remove-admin-roles"),
            &c,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

/// One operation, two capabilities: a customer's account is read by its own users (with
/// its own id) and by its partners, through the same service function; anyone else gets
/// 404 or 403 and learns nothing.
#[tokio::test]
async fn a_customer_account_is_read_by_its_users_and_its_partners_only() {
    let app = TestApp::new().await;
    let kr = app.token(PARTNER_KR).await;
    let us = app.token(PARTNER_US).await;
    let ga = app.token(CUSTOMER_KR_ADMIN).await;
    let user = app.token(CUSTOMER_KR_USER).await;
    let id = a_customer_id(&app, CUSTOMER_KR_ADMIN).await;
    let id = id.as_str().unwrap();
    let path = format!("/api/v1/customers/{id}");

    // Before any relationship: the partner sees nothing; the customer sees itself.
    assert_eq!(app.get(&path, &kr).await.status, StatusCode::NOT_FOUND);
    let own = app.get(&path, &user).await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.text());
    assert_eq!(own.json()["name"], "Hanbit Retail");
    assert_eq!(own.json()["agreement_accepted_at"], serde_json::Value::Null);

    let (_, t) = app
        .request(&kr, json!({"include_admin_privileges": true}))
        .await;
    assert_eq!(app.accept(&ga, &t).await.status, StatusCode::OK);
    let seen = app.get(&path, &kr).await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.text());
    let j = seen.json();
    assert_eq!(
        (j["name"].as_str(), j["country"].as_str()),
        (Some("Hanbit Retail"), Some("KR"))
    );
    assert_eq!(j["agreement_version"], 1);
    assert_eq!(j["agreement_accepted_by"], "Lee Seojun");
    assert_eq!(
        app.get(&path, &us).await.status,
        StatusCode::NOT_FOUND,
        "not its customer"
    );

    // A customer's user naming another organisation is not a partner of anyone.
    let other = a_customer_id(&app, CUSTOMER_US_ADMIN).await;
    let r = app
        .get(
            &format!("/api/v1/customers/{}", other.as_str().unwrap()),
            &user,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}
