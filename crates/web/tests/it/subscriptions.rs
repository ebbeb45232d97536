//! Catalogue and subscriptions (SPEC F5, F7, F10 MPSA), the partner ending a relationship,
//! and the history both sides read.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use serde_json::{json, Value};

use crate::support::*;

/// A POST or PATCH with an optional `Idempotency-Key`.
async fn send_keyed(
    app: &TestApp,
    method: Method,
    uri: &str,
    token: &str,
    key: Option<&str>,
    body: Value,
) -> Resp {
    let mut b = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(k) = key {
        b = b.header("idempotency-key", k);
    }
    app.send(b.body(Body::from(body.to_string())).unwrap())
        .await
}

async fn id_of(app: &TestApp, token: &str, list: &str) -> String {
    app.get(list, token).await.json()["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn buy(app: &TestApp, token: &str, customer: &str, sku: &str, quantity: i64) -> Resp {
    app.post(
        &format!("/api/v1/customers/{customer}/subscriptions"),
        token,
        json!({"sku": sku, "quantity": quantity}),
    )
    .await
}

async fn actions(app: &TestApp, token: &str, counterpart: &str) -> Vec<String> {
    let r = app
        .get(
            &format!("/api/v1/audit-events?counterpart_id={counterpart}&limit=200"),
            token,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    items(&r.json())
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_reseller_buys_changes_and_cancels_then_ends_the_relationship() {
    let app = TestApp::new().await;
    let kr = app.token(PARTNER_KR).await;
    let hanbit = app.token(CUSTOMER_KR_ADMIN).await;
    let (_, token) = app
        .request(
            &kr,
            json!({"types": ["reseller"], "include_admin_privileges": false}),
        )
        .await;
    assert_eq!(app.accept(&hanbit, &token).await.status, StatusCode::OK);
    let customer = id_of(&app, &kr, "/api/v1/customers").await;
    let partner = id_of(&app, &hanbit, "/api/v1/partners").await;

    // The catalogue of the caller's cloud.
    let products = app.get("/api/v1/products", &kr).await.json();
    let skus: Vec<String> = items(&products)
        .iter()
        .map(|p| p["sku"].as_str().unwrap().to_string())
        .collect();
    assert!(skus.contains(&"BIZ-PREMIUM".to_string()));
    assert!(!skus.contains(&"GOV-G3".to_string()), "{skus:?}");

    // Bought once, whatever the retries.
    let url = format!("/api/v1/customers/{customer}/subscriptions");
    let body = json!({"sku": "biz-premium", "quantity": 10});
    let first = send_keyed(&app, Method::POST, &url, &kr, Some("k-1"), body.clone()).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    let sub = first.json();
    assert_eq!(sub["sku"], "BIZ-PREMIUM");
    assert_eq!(sub["partner_name"], "Contoso Partners Korea");
    assert_eq!(sub["can_manage"], true);
    let again = send_keyed(&app, Method::POST, &url, &kr, Some("k-1"), body).await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(again.header("idempotent-replayed"), "true");
    assert_eq!(again.json()["id"], sub["id"]);
    assert_eq!(app.count("SELECT COUNT(*) FROM subscriptions").await, 1);
    let other = send_keyed(
        &app,
        Method::POST,
        &url,
        &kr,
        Some("k-1"),
        json!({"sku": "BIZ-PREMIUM", "quantity": 11}),
    )
    .await;
    assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(other.code(), "idempotency_key_reused");
    let bad_key = send_keyed(
        &app,
        Method::POST,
        &url,
        &kr,
        Some("two words"),
        json!({"sku": "BIZ-PREMIUM", "quantity": 1}),
    )
    .await;
    assert_eq!(bad_key.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_key.json()["field"], "Idempotency-Key");

    // The product's rules.
    for (sku, q, field) in [
        ("BIZ-PREMIUM", 301, "quantity"),
        ("BIZ-PREMIUM", 0, "quantity"),
        ("SEC-CENTER", 2, "quantity"),
        ("GOV-G3", 1, "sku"),
        ("NO-SUCH", 1, "sku"),
        ("bad sku!", 1, "sku"),
    ] {
        let r = buy(&app, &kr, &customer, sku, q).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{sku} {q}");
        assert_eq!(r.json()["field"], field, "{sku} {q}: {}", r.text());
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM subscriptions").await, 1);

    // More seats, seen by the customer with the partner that provisioned them.
    let id = sub["id"].as_str().unwrap();
    let one = format!("{url}/{id}");
    let r = send_keyed(
        &app,
        Method::PATCH,
        &one,
        &kr,
        None,
        json!({"quantity": 20}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["quantity"], 20);
    let mine = app.get("/api/v1/subscriptions", &hanbit).await.json();
    assert_eq!(items(&mine).len(), 1);
    assert_eq!(mine["items"][0]["partner_name"], "Contoso Partners Korea");
    assert_eq!(mine["items"][0]["quantity"], 20);
    assert_eq!(mine["items"][0]["can_manage"], false);
    // A customer's user cannot buy for itself through the partner route.
    assert_eq!(
        buy(&app, &hanbit, &customer, "BIZ-BASIC", 1).await.code(),
        "not_a_partner"
    );

    // F7: not while it has active subscriptions, which the refusal lists.
    let customer_url = format!("/api/v1/customers/{customer}");
    let r = app
        .call(Method::DELETE, &customer_url, Some(&kr), None)
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.code(), "active_subscriptions_exist");
    assert_eq!(r.json()["subscription_ids"], json!([id]));
    assert!(r.json()["detail"]
        .as_str()
        .unwrap()
        .contains("BIZ-PREMIUM × 20"));

    let r = app.post(&format!("{one}/cancel"), &kr, json!({})).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["status"], "cancelled");
    let r = send_keyed(&app, Method::PATCH, &one, &kr, None, json!({"quantity": 5})).await;
    assert_eq!(r.code(), "subscription_not_active");
    assert_eq!(
        app.post(&format!("{one}/cancel"), &kr, json!({}))
            .await
            .status,
        StatusCode::OK
    );

    // Only a partner admin ends it.
    app.user(
        "contoso-kr.example",
        "sales@contoso-kr.example",
        &["sales_agent"],
    )
    .await;
    let sales = app.token("sales@contoso-kr.example").await;
    let r = app
        .call(Method::DELETE, &customer_url, Some(&sales), None)
        .await;
    assert_eq!(r.code(), "partner_role_required");
    let r = app
        .call(Method::DELETE, &customer_url, Some(&kr), None)
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    assert_eq!(
        app.get(&customer_url, &kr).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(items(&app.get("/api/v1/partners", &hanbit).await.json()).is_empty());
    assert_eq!(
        app.get(&url, &kr).await.status,
        StatusCode::NOT_FOUND,
        "no relationship, no subscriptions"
    );

    // Both sides read the same history of the relationship.
    let theirs = actions(&app, &hanbit, &partner).await;
    let ours = actions(&app, &kr, &customer).await;
    for a in [
        "relationship.ended",
        "subscription.cancelled",
        "subscription.quantity_changed",
        "subscription.created",
        "relationship.created",
    ] {
        assert!(theirs.contains(&a.to_string()), "{a}: {theirs:?}");
        assert!(ours.contains(&a.to_string()), "{a}: {ours:?}");
    }
    assert_eq!(theirs[0], "relationship.ended");
    let events = app
        .get(
            &format!("/api/v1/audit-events?counterpart_id={partner}&limit=1"),
            &hanbit,
        )
        .await
        .json();
    assert_eq!(
        events["items"][0]["actor"],
        "Kim Minji (admin@contoso-kr.example)"
    );
    assert_eq!(
        events["items"][0]["actor_organisation"],
        "Contoso Partners Korea"
    );
    assert_eq!(
        events["items"][0]["counterpart_name"],
        "Contoso Partners Korea"
    );
    let next = events["next_cursor"].as_str().unwrap();
    let page2 = app
        .get(
            &format!("/api/v1/audit-events?counterpart_id={partner}&limit=1&cursor={next}"),
            &hanbit,
        )
        .await
        .json();
    assert_eq!(page2["items"][0]["action"], "subscription.cancelled");
    // An ordinary user of the customer does not read the trail.
    let user = app.token(CUSTOMER_KR_USER).await;
    assert_eq!(
        app.get("/api/v1/audit-events", &user).await.code(),
        "not_global_admin"
    );

    // A later request starts a new relationship; the old history stays.
    let (_, token) = app
        .request(
            &kr,
            json!({"types": ["reseller"], "include_admin_privileges": false}),
        )
        .await;
    assert_eq!(app.accept(&hanbit, &token).await.status, StatusCode::OK);
    let events = app
        .get(
            &format!("/api/v1/audit-events?counterpart_id={partner}&limit=200"),
            &hanbit,
        )
        .await
        .json();
    let created: Vec<String> = items(&events)
        .iter()
        .filter(|e| e["action"] == "relationship.created")
        .map(|e| e["subject_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(created.len(), 2);
    assert_ne!(
        created[0], created[1],
        "a new relationship, not the old one revived"
    );
    // Its subscriptions list shows the cancelled one of the old relationship.
    assert_eq!(items(&app.get(&url, &kr).await.json()).len(), 1);
}

#[tokio::test]
async fn buying_needs_a_reseller_a_buyer_role_and_the_current_agreement() {
    let app = TestApp::new().await;
    let kr = app.token(PARTNER_KR).await;
    let hanbit = app.token(CUSTOMER_KR_ADMIN).await;
    let (_, token) = app
        .request(
            &kr,
            json!({"types": ["delegated_admin"], "include_admin_privileges": true}),
        )
        .await;
    assert_eq!(app.accept(&hanbit, &token).await.status, StatusCode::OK);
    let customer = id_of(&app, &kr, "/api/v1/customers").await;
    let r = buy(&app, &kr, &customer, "BIZ-BASIC", 1).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.code(), "partner_type_required");
    assert!(r.json()["detail"].as_str().unwrap().contains("Reseller"));

    let (_, token) = app
        .request(
            &kr,
            json!({"types": ["reseller"], "include_admin_privileges": false}),
        )
        .await;
    assert_eq!(app.accept(&hanbit, &token).await.status, StatusCode::OK);
    let helpdesk = app.token(PARTNER_KR_HELPDESK).await;
    assert_eq!(
        buy(&app, &helpdesk, &customer, "BIZ-BASIC", 1).await.code(),
        "partner_role_required"
    );

    // F4: a new agreement version stops purchases until the customer accepts it.
    app.accord
        .local_operator()
        .publish_agreement("Customer Agreement", "Version 2")
        .await
        .unwrap();
    let r = buy(&app, &kr, &customer, "BIZ-BASIC", 1).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.code(), "agreement_not_accepted");
    assert!(r.json()["detail"].as_str().unwrap().contains("version 2"));
    let r = app
        .post(
            "/api/v1/agreements/current/accept",
            &hanbit,
            json!({"accept_agreement": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(
        buy(&app, &kr, &customer, "BIZ-BASIC", 1).await.status,
        StatusCode::CREATED
    );
}

/// Several partners of one customer: each sees only what it provisioned, unless its admin
/// roles manage billing (all) or it is an MPSA partner (the other MPSA partners'
/// purchases, read only).
#[tokio::test]
async fn each_partner_sees_only_the_subscriptions_it_may() {
    let app = TestApp::new().await;
    let kr = app.token(PARTNER_KR).await;
    let other = app.second_kr_partner().await;
    let hanbit = app.token(CUSTOMER_KR_ADMIN).await;
    for t in [&kr, &other] {
        let (_, token) = app
            .request(
                t,
                json!({"types": ["reseller"], "include_admin_privileges": false}),
            )
            .await;
        assert_eq!(app.accept(&hanbit, &token).await.status, StatusCode::OK);
    }
    let customer = id_of(&app, &kr, "/api/v1/customers").await;
    let ours = buy(&app, &kr, &customer, "BIZ-BASIC", 3).await.json();
    let theirs = buy(&app, &other, &customer, "BIZ-PREMIUM", 4).await.json();
    let url = format!("/api/v1/customers/{customer}/subscriptions");
    let seen = |t: &str| {
        let t = t.to_string();
        let app = &app;
        let url = url.clone();
        async move {
            items(&app.get(&url, &t).await.json())
                .iter()
                .map(|s| s["sku"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(seen(&kr).await, vec!["BIZ-BASIC"]);
    assert_eq!(seen(&other).await, vec!["BIZ-PREMIUM"]);
    let their_url = format!("{url}/{}", theirs["id"].as_str().unwrap());
    assert_eq!(app.get(&their_url, &kr).await.status, StatusCode::NOT_FOUND);
    let r = send_keyed(
        &app,
        Method::PATCH,
        &their_url,
        &kr,
        None,
        json!({"quantity": 1}),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.post(&format!("{their_url}/cancel"), &kr, json!({}))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // The customer sees both.
    assert_eq!(
        items(&app.get("/api/v1/subscriptions", &hanbit).await.json()).len(),
        2
    );

    // MPSA partners see each other's purchases, read only.
    for domain in ["contoso-kr.example", "woori-partners.example"] {
        app.accord
            .local_operator()
            .set_offered_types(
                domain,
                &[
                    accord_domain::PartnerType::Reseller,
                    accord_domain::PartnerType::DelegatedAdmin,
                    accord_domain::PartnerType::Mpsa,
                ],
            )
            .await
            .unwrap();
    }
    for t in [&kr, &other] {
        let (_, token) = app
            .request(
                t,
                json!({"types": ["mpsa"], "include_admin_privileges": false}),
            )
            .await;
        assert_eq!(app.accept(&hanbit, &token).await.status, StatusCode::OK);
    }
    assert_eq!(seen(&kr).await, vec!["BIZ-PREMIUM", "BIZ-BASIC"]);
    let got = app.get(&their_url, &kr).await.json();
    assert_eq!(got["can_manage"], false);
    let r = send_keyed(
        &app,
        Method::PATCH,
        &their_url,
        &kr,
        None,
        json!({"quantity": 1}),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.code(), "subscription_read_only");

    // A partner granted Global admin manages every subscription of the customer through
    // the users it assigns the role to, and only through them.
    let (_, token) = app
        .request(&kr, json!({"include_admin_privileges": true}))
        .await;
    assert_eq!(app.accept(&hanbit, &token).await.status, StatusCode::OK);
    let r = send_keyed(
        &app,
        Method::PATCH,
        &their_url,
        &kr,
        None,
        json!({"quantity": 2}),
    )
    .await;
    assert_eq!(r.code(), "subscription_read_only", "granted, not assigned");
    let me = crate::directory::agent_id(&app, &kr).await;
    let a = crate::directory::assign(&app, &kr, &customer, &me, json!(["global_admin"])).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let r = send_keyed(
        &app,
        Method::PATCH,
        &their_url,
        &kr,
        None,
        json!({"quantity": 2}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    // The other partner still sees only its own and the MPSA purchases, and cannot end
    // the relationship while its subscription is active; its own history names the change.
    let r = app
        .call(
            Method::DELETE,
            &format!("/api/v1/customers/{customer}"),
            Some(&other),
            None,
        )
        .await;
    assert_eq!(r.code(), "active_subscriptions_exist");
    let _ = ours;
}

/// The value of the hidden input `name` in a page.
fn hidden(html: &str, name: &str) -> String {
    let marker = format!(r#"name="{name}" value=""#);
    let i = html.find(&marker).expect("the field") + marker.len();
    html[i..].split('"').next().unwrap().to_string()
}

/// The portals: the partner buys from the customer's page (a double submission buys
/// once), changes seats, cancels with a confirmation and ends the relationship; the
/// customer sees the subscription and the history.
#[tokio::test]
async fn the_portals_buy_change_cancel_and_end() {
    let app = TestApp::new().await;
    let kr = app.token(PARTNER_KR).await;
    let hanbit = app.token(CUSTOMER_KR_ADMIN).await;
    let (_, token) = app
        .request(
            &kr,
            json!({"types": ["reseller"], "include_admin_privileges": false}),
        )
        .await;
    assert_eq!(app.accept(&hanbit, &token).await.status, StatusCode::OK);
    let customer = id_of(&app, &kr, "/api/v1/customers").await;
    let page_url = format!("/partner/customers/{customer}");

    let mut p = Browser::new(&app);
    p.sign_in(PARTNER_KR, "/partner").await;
    let html = p.get(&page_url).await.text();
    assert!(html.contains("Buy a subscription") && html.contains("Business Premium (BIZ-PREMIUM)"));
    assert!(
        html.contains("Relationship started"),
        "history shows the start"
    );
    let csrf = csrf_of(&html);
    let key = hidden(&html, "key");
    let form = [
        ("csrf", csrf.as_str()),
        ("key", key.as_str()),
        ("sku", "BIZ-PREMIUM"),
        ("quantity", "12"),
    ];
    let buy_url = format!("{page_url}/subscriptions");
    for _ in 0..2 {
        let r = p.post(&buy_url, &form).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        assert!(location(&r).contains("notice=bought"));
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM subscriptions").await, 1);
    // A refused purchase shows the form again with the error by its field.
    let r = p
        .post(
            &buy_url,
            &[
                ("csrf", &csrf),
                ("key", "other"),
                ("sku", "BIZ-PREMIUM"),
                ("quantity", "301"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(html.contains(r#"id="quantity-error""#) && html.contains("from 1 to 300"));
    assert!(html.contains(r#"value="301""#), "what was typed stays");

    let html = p.get(&format!("{page_url}?notice=bought")).await.text();
    assert!(html.contains("The subscription was bought."));
    assert!(html.contains("Subscription bought: BIZ-PREMIUM × 12"));
    let sid = app
        .get(&buy_url.replace("/partner/", "/api/v1/"), &kr)
        .await
        .json()["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = p
        .post(
            &format!("{buy_url}/{sid}/quantity"),
            &[("csrf", &csrf), ("quantity", "15")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let confirm = p.get(&format!("{buy_url}/{sid}/cancel")).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(confirm
        .text()
        .contains("Business Premium (BIZ-PREMIUM) × 15 ends now"));

    // The customer sees it, with its partner, and the relationship's history.
    let mut c = Browser::new(&app);
    c.sign_in(CUSTOMER_KR_ADMIN, "/admin").await;
    let html = c.get("/admin/billing/subscriptions").await.text();
    assert!(
        html.contains("Business Premium (BIZ-PREMIUM)") && html.contains("Contoso Partners Korea")
    );
    let partner = id_of(&app, &hanbit, "/api/v1/partners").await;
    let html = c
        .get(&format!("/admin/billing/partners/{partner}"))
        .await
        .text();
    assert!(
        html.contains("Seats changed: BIZ-PREMIUM, 12 → 15"),
        "{html}"
    );
    assert!(html.contains("Kim Minji (admin@contoso-kr.example), Contoso Partners Korea"));

    // Ending is refused while the subscription is active, then allowed.
    let end_url = format!("{page_url}/end");
    assert_eq!(p.get(&end_url).await.status, StatusCode::OK);
    let r = p.post(&end_url, &[("csrf", &csrf)]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text().contains("BIZ-PREMIUM × 15"));
    let r = p
        .post(&format!("{buy_url}/{sid}/cancel"), &[("csrf", &csrf)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = p.post(&end_url, &[("csrf", &csrf)]).await;
    assert_eq!(location(&r), "/partner/customers?notice=ended");
    assert!(p
        .get("/partner/customers?notice=ended")
        .await
        .text()
        .contains("The relationship has ended."));
    assert_eq!(p.get(&page_url).await.status, StatusCode::NOT_FOUND);

    // In Korean too.
    let html = c.get("/lang/ko?next=/admin/billing/subscriptions").await;
    let _ = html;
    let html = c.get("/admin/billing/subscriptions").await.text();
    assert!(
        html.contains("취소됨") && html.contains("프로비저닝한 파트너"),
        "{html}"
    );
}
