//! Guest accounts (the "Partner" type, issue 9): the customer's Global admin adds a
//! partner's named users to its directory with roles it chooses; they act with exactly
//! those roles from the next request, and lose them when removed or when the
//! relationship ends.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::*;

/// Contoso KR works with Hanbit as Partner (and reseller); returns (Contoso KR's token,
/// its id, Hanbit's id as Contoso KR sees it, Hanbit's Global admin token).
async fn partner_type(app: &TestApp) -> (String, String, String, String) {
    use accord_domain::PartnerType::*;
    app.accord
        .local_operator()
        .set_offered_types(
            "contoso-kr.example",
            &[Reseller, Partner, DelegatedAdmin, Admin],
        )
        .await
        .unwrap();
    let kr = app.token(PARTNER_KR).await;
    let hanbit = app.token(CUSTOMER_KR_ADMIN).await;
    let (_, token) = app
        .request(
            &kr,
            json!({"types": ["partner"], "include_admin_privileges": false}),
        )
        .await;
    let r = app.accept(&hanbit, &token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let kr_id = app.get("/api/v1/me", &kr).await.json()["tenant_id"]
        .as_str()
        .unwrap()
        .to_string();
    let customer = app.get("/api/v1/me", &hanbit).await.json()["tenant_id"]
        .as_str()
        .unwrap()
        .to_string();
    (kr, kr_id, customer, hanbit)
}

#[tokio::test]
async fn a_guest_acts_with_exactly_the_roles_the_global_admin_gives_it() {
    let app = TestApp::new().await;
    let (kr, kr_id, customer, hanbit) = partner_type(&app).await;
    let joon = app.token(PARTNER_KR_HELPDESK).await;
    let users = format!("/api/v1/customers/{customer}/users");
    let guests = format!("/api/v1/partners/{kr_id}/guests");

    // A Partner relationship grants nothing by itself.
    assert_eq!(app.get(&users, &joon).await.code(), "capability_required");

    let r = app
        .post(
            &guests,
            &hanbit,
            json!({"email": PARTNER_KR_HELPDESK, "roles": ["helpdesk_admin"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let g = r.json();
    assert_eq!(g["roles"], json!(["helpdesk_admin"]));
    assert_eq!(g["email"], PARTNER_KR_HELPDESK);
    assert_eq!(g["added_by"], "Lee Seojun");
    let joon_id = g["user_id"].as_str().unwrap().to_string();

    // Helpdesk admin: reads users and resets a user's password, creates nobody.
    let list = app.get(&format!("{users}?q=user@"), &joon).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text());
    let target = items(&list.json())[0]["id"].as_str().unwrap().to_string();
    let reset = app
        .post(
            &format!("{users}/{target}/reset-password"),
            &joon,
            json!({}),
        )
        .await;
    assert_eq!(reset.status, StatusCode::OK, "{}", reset.text());
    let new_user = json!({"email": "guest-made@hanbit.example", "display_name": "Made By Guest"});
    assert_eq!(
        app.post(&users, &joon, new_user.clone()).await.code(),
        "capability_required"
    );
    // The customer sees who did it, of which partner, with which role.
    let activity = app
        .get(
            "/api/v1/partner-activity?action=directory_user.password_reset",
            &hanbit,
        )
        .await
        .json();
    let a = &items(&activity)[0];
    assert_eq!(a["agent_email"], PARTNER_KR_HELPDESK);
    assert_eq!(a["partner_name"], "Contoso Partners Korea");
    assert_eq!(a["roles_used"], json!(["helpdesk_admin"]));

    // Adding again replaces the roles (200), on the next request.
    let r = app
        .post(
            &guests,
            &hanbit,
            json!({"email": PARTNER_KR_HELPDESK, "roles": ["user_admin"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let made = app.post(&users, &joon, new_user).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text());

    // Both sides read the list.
    let listed = app.get(&guests, &hanbit).await.json();
    assert_eq!(items(&listed).len(), 1);
    assert_eq!(items(&listed)[0]["roles"], json!(["user_admin"]));
    let theirs = app
        .get(&format!("/api/v1/customers/{customer}/guests"), &kr)
        .await
        .json();
    assert_eq!(items(&theirs)[0]["user_id"], joon_id.as_str());

    // Removed: refused on the next request.
    let gone = app
        .call(
            axum::http::Method::DELETE,
            &format!("{guests}/{joon_id}"),
            Some(&hanbit),
            None,
        )
        .await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT, "{}", gone.text());
    assert_eq!(app.get(&users, &joon).await.code(), "capability_required");
    let again = app
        .call(
            axum::http::Method::DELETE,
            &format!("{guests}/{joon_id}"),
            Some(&hanbit),
            None,
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);

    // The relationship ending takes the guests with it.
    let r = app
        .post(
            &guests,
            &hanbit,
            json!({"email": PARTNER_KR_HELPDESK, "roles": ["global_reader"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(app.get(&users, &joon).await.status, StatusCode::OK);
    let ended = app
        .call(
            axum::http::Method::DELETE,
            &format!("/api/v1/customers/{customer}"),
            Some(&kr),
            None,
        )
        .await;
    assert_eq!(ended.status, StatusCode::NO_CONTENT, "{}", ended.text());
    assert_eq!(app.get(&users, &joon).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM guest_accounts").await,
        0,
        "no guest outlives the relationship"
    );
}

#[tokio::test]
async fn guest_accounts_refuse_what_they_cannot_be() {
    let app = TestApp::new().await;
    let (_kr, kr_id, _customer, hanbit) = partner_type(&app).await;
    let guests = format!("/api/v1/partners/{kr_id}/guests");
    let add = |email: &str, roles: serde_json::Value| json!({"email": email, "roles": roles});

    let r = app
        .post(
            &guests,
            &hanbit,
            add(PARTNER_KR_HELPDESK, json!(["global_admin"])),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("cannot be Global admin"));
    // Not a user of that partner who works in its portal: a user of the customer, nobody,
    // another partner's admin, or a user of that partner without a partner role.
    app.user("contoso-kr.example", "norole@contoso-kr.example", &["user"])
        .await;
    for email in [
        CUSTOMER_KR_USER,
        "nobody@contoso-kr.example",
        PARTNER_US,
        "norole@contoso-kr.example",
    ] {
        let r = app.post(&guests, &hanbit, add(email, json!([]))).await;
        assert_eq!(r.code(), "partner_user_not_found", "{email}: {}", r.text());
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
    // Only a Global admin.
    let user = app.token(CUSTOMER_KR_USER).await;
    assert_eq!(
        app.post(&guests, &user, add(PARTNER_KR_HELPDESK, json!([])))
            .await
            .code(),
        "not_global_admin"
    );
    assert_eq!(app.get(&guests, &user).await.code(), "not_global_admin");
    // A partner that is not of the Partner type, and one with no relationship at all.
    let woori = app.second_kr_partner().await;
    let woori_id = app.get("/api/v1/me", &woori).await.json()["tenant_id"]
        .as_str()
        .unwrap()
        .to_string();
    let woori_guests = format!("/api/v1/partners/{woori_id}/guests");
    let r = app
        .post(
            &woori_guests,
            &hanbit,
            add("admin@woori-partners.example", json!([])),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::NOT_FOUND,
        "no relationship: {}",
        r.text()
    );
    let (_, token) = app
        .request(&woori, json!({"include_admin_privileges": true}))
        .await;
    assert_eq!(app.accept(&hanbit, &token).await.status, StatusCode::OK);
    let r = app
        .post(
            &woori_guests,
            &hanbit,
            add("admin@woori-partners.example", json!([])),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert_eq!(r.code(), "guests_need_partner_type");
    assert_eq!(
        app.get("/api/v1/customers/not-an-id/guests", &woori)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Nothing was written by any refusal.
    assert_eq!(app.count("SELECT COUNT(*) FROM guest_accounts").await, 0);
}

#[tokio::test]
async fn the_global_admin_manages_guests_in_the_admin_center_in_both_languages() {
    let app = TestApp::new().await;
    let (_kr, kr_id, customer, _hanbit) = partner_type(&app).await;
    let mut b = Browser::new(&app);
    let here = format!("/admin/billing/partners/{kr_id}");
    let r = b.sign_in(CUSTOMER_KR_ADMIN, &here).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let html = b.get(&here).await.text();
    assert!(html.contains("Guest accounts"), "{html}");
    assert!(html.contains("No guest accounts yet."));
    assert!(
        !html.contains(r#"id="guest-role_global_admin""#),
        "Global admin is not offered"
    );
    let csrf = csrf_of(&html);

    // A wrong address: the form again, with the address kept and the reason beside it.
    let bad = b
        .post(
            &format!("{here}/guests"),
            &[("csrf", &csrf), ("email", "nobody@contoso-kr.example")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::NOT_FOUND);
    let t = bad.text();
    assert!(
        t.contains("No user of Contoso Partners Korea with a partner role has this e-mail address"),
        "{t}"
    );
    assert!(t.contains(r#"value="nobody@contoso-kr.example""#));
    assert!(t.contains(r#"aria-invalid="true""#));

    let ok = b
        .post(
            &format!("{here}/guests"),
            &[
                ("csrf", &csrf),
                ("email", PARTNER_KR_HELPDESK),
                ("role_helpdesk_admin", "on"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text());
    let html = b.get(&location(&ok)).await.text();
    assert!(html.contains("The guest account was added."));
    assert!(html.contains(PARTNER_KR_HELPDESK) && html.contains("Helpdesk admin"));

    // The partner sees it on its customer page.
    let mut p = Browser::new(&app);
    p.sign_in(PARTNER_KR, "/partner/customers").await;
    let page = p
        .get(&format!("/partner/customers/{customer}"))
        .await
        .text();
    assert!(
        page.contains("Guest accounts") && page.contains(PARTNER_KR_HELPDESK),
        "{page}"
    );

    // Korean.
    b.cookies.push(("accord_lang".into(), "ko".into()));
    let html = b.get(&here).await.text();
    assert!(
        html.contains("게스트 계정") && html.contains("기술 지원 관리자"),
        "{html}"
    );
    let user_id = app
        .get(
            &format!("/api/v1/partners/{kr_id}/guests"),
            &app.token(CUSTOMER_KR_ADMIN).await,
        )
        .await
        .json()["items"][0]["user_id"]
        .as_str()
        .unwrap()
        .to_string();
    let removed = b
        .post(
            &format!("{here}/guests/{user_id}/remove"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    let html = b.get(&location(&removed)).await.text();
    assert!(html.contains("게스트 계정을 제거했습니다."), "{html}");
    assert!(html.contains("게스트 계정 제거됨"), "the history names it");
}
