//! The partner directory and leads (issue 10): profiles saved through the API are found by
//! the public search at once; leads are validated field by field, rate limited per client
//! address and e-mail address (429 with Retry-After), reach each selected partner's inbox
//! and nobody else's; a reply links the lead to the request and, once accepted, to the
//! customer; the portal flow works without script, honeypot included, in both languages.

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::support::*;

fn profile(name: &str, published: bool) -> Value {
    json!({
        "name": name,
        "description": "클라우드이전전문 파트너. Security and identity for retailers.",
        "country": "KR",
        "city": "Seoul",
        "org_sizes": ["1-9", "10-49"],
        "services": ["security", "identity"],
        "keywords": ["Entra", "Intune"],
        "industries": ["retail"],
        "relationship_types": ["reseller"],
        "contact_email": "sales@contoso-kr.example",
        "languages": ["ko", "en"],
        "published": published
    })
}

async fn put(app: &TestApp, token: &str, body: Value) -> Resp {
    app.call(
        axum::http::Method::PUT,
        "/api/v1/partner-profile",
        Some(token),
        Some(body),
    )
    .await
}

async fn search(app: &TestApp, qs: &str) -> Value {
    let r = app
        .call(
            axum::http::Method::GET,
            &format!("/api/v1/directory/partners?{qs}"),
            None,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{qs}: {}", r.text());
    r.json()
}

fn hit_names(v: &Value) -> Vec<String> {
    items(v)
        .iter()
        .map(|i| i["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_saved_profile_is_found_at_once_and_unpublishing_hides_it() {
    let app = TestApp::new().await;
    let kr = app.token(PARTNER_KR).await;
    // The draft is prefilled from the organisation until saved.
    let draft = app.get("/api/v1/partner-profile", &kr).await.json();
    assert_eq!(draft["name"], "Contoso Partners Korea");
    assert_eq!(
        draft["offered_types"],
        json!(["reseller", "delegated_admin"])
    );

    let r = put(&app, &kr, profile("Contoso Quokka Security", true)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["published"], true);

    // Exact, typo, prefix and Korean partial-word queries all find it.
    for q in [
        "quokka",
        "qokka",
        "quok",
        "%ED%81%B4%EB%9D%BC%EC%9A%B0%EB%93%9C",
    ] {
        let v = search(&app, &format!("q={q}")).await;
        assert!(
            hit_names(&v).contains(&"Contoso Quokka Security".to_string()),
            "{q}: {v}"
        );
    }
    // Filters, with facet counts beside them.
    let v = search(&app, "service=security&org_size=1-9&language=ko").await;
    assert!(hit_names(&v).contains(&"Contoso Quokka Security".to_string()));
    let services = v["facets"]["service"].as_array().unwrap();
    assert!(services
        .iter()
        .any(|f| f["value"] == "security" && f["count"].as_u64().unwrap() >= 1));
    assert_eq!(
        search(&app, "q=quokka&cloud=usgov").await["total"],
        0,
        "only the visitor's cloud"
    );
    // Its public page.
    let id = items(&search(&app, "q=quokka").await)[0]["partner_id"]
        .as_str()
        .unwrap()
        .to_string();
    let page = app
        .call(
            axum::http::Method::GET,
            &format!("/api/v1/directory/partners/{id}"),
            None,
            None,
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.json()["keywords"], json!(["Entra", "Intune"]));

    // Unpublished: gone from the search and the public page at once.
    assert_eq!(
        put(&app, &kr, profile("Contoso Quokka Security", false))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(search(&app, "q=quokka").await["total"], 0);
    let page = app
        .call(
            axum::http::Method::GET,
            &format!("/api/v1/directory/partners/{id}"),
            None,
            None,
        )
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn profiles_are_validated_and_only_partner_admins_change_them() {
    let app = TestApp::new().await;
    let kr = app.token(PARTNER_KR).await;
    let mut p = profile("X", true);
    p["languages"] = json!([]);
    let r = put(&app, &kr, p).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("languages"), "{}", r.text());
    let mut p = profile("X", false);
    p["relationship_types"] = json!(["mpsa"]);
    assert_eq!(put(&app, &kr, p).await.code(), "partner_type_not_offered");
    let mut p = profile("X", false);
    p["keywords"] = json!(vec!["k"; 21]);
    assert_eq!(
        put(&app, &kr, p).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let helpdesk = app.token(PARTNER_KR_HELPDESK).await;
    assert_eq!(
        put(&app, &helpdesk, profile("X", true)).await.code(),
        "partner_role_required"
    );
    let customer = app.token(CUSTOMER_KR_ADMIN).await;
    assert_eq!(
        app.get("/api/v1/partner-profile", &customer).await.code(),
        "not_a_partner"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM partner_profiles WHERE name = 'X'")
            .await,
        0,
        "nothing refused was written"
    );
}

fn lead(partners: &[&str], email: &str) -> Value {
    json!({
        "partner_ids": partners,
        "name": "이서준",
        "email": email,
        "phone": "+82 2-123-4567",
        "organisation": "Hanbit Retail",
        "org_size": "10-49",
        "country": "KR",
        "message": "매장 50곳의 보안 관리가 필요합니다.",
        "language": "ko"
    })
}

async fn send_lead(app: &TestApp, body: Value) -> Resp {
    app.call(axum::http::Method::POST, "/api/v1/leads", None, Some(body))
        .await
}

#[tokio::test]
async fn a_lead_reaches_each_selected_partner_and_a_reply_links_it_to_the_customer() {
    let app = TestApp::new().await;
    let contoso = app.token(PARTNER_KR).await;
    let adatum = app.token("admin@adatum-kr.example").await;
    let hits = items(&search(&app, "").await);
    let id_of = |name: &str| {
        hits.iter()
            .find(|h| h["name"] == name)
            .unwrap_or_else(|| panic!("{name} listed"))["partner_id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (c, a) = (id_of("Contoso Partners Korea"), id_of("Adatum Solutions"));
    let r = send_lead(&app, lead(&[&c, &a], "seojun@hanbit.example")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(items(&r.json()).len(), 2);

    // Each partner sees its own lead; another partner sees none; the contact address
    // is told by e-mail.
    let inbox = app.get("/api/v1/leads?status=new", &contoso).await.json();
    assert_eq!(items(&inbox).len(), 1);
    let l = &items(&inbox)[0];
    assert_eq!(
        (l["organisation"].as_str(), l["language"].as_str()),
        (Some("Hanbit Retail"), Some("ko"))
    );
    assert_eq!(
        items(&app.get("/api/v1/leads", &adatum).await.json()).len(),
        1
    );
    let us = app.token(PARTNER_US).await;
    assert!(items(&app.get("/api/v1/leads", &us).await.json()).is_empty());
    let lead_id = l["lead_id"].as_str().unwrap().to_string();
    assert_eq!(
        app.get(&format!("/api/v1/leads/{lead_id}"), &us)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let mail = app.deliver_mail().await;
    assert!(
        mail.iter()
            .any(|m| m.to.iter().any(|t| t == "admin@contoso-kr.example")
                && m.subject().contains("Hanbit Retail")),
        "{mail:?}"
    );

    // Reply with a relationship request: the lead is contacted and linked; once the
    // customer accepts, it is linked to the customer too.
    let r = app
        .post(
            "/api/v1/relationship-requests",
            &contoso,
            json!({"include_admin_privileges": true, "customer_email": "admin@hanbit.example", "lead_id": lead_id}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let request_id = r.json()["id"].as_str().unwrap().to_string();
    let token = r.json()["link"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    let got = app
        .get(&format!("/api/v1/leads/{lead_id}"), &contoso)
        .await
        .json();
    assert_eq!(got["status"], "contacted");
    assert_eq!(got["request_id"].as_str(), Some(request_id.as_str()));
    let hanbit = app.token(CUSTOMER_KR_ADMIN).await;
    assert_eq!(app.accept(&hanbit, &token).await.status, StatusCode::OK);
    let got = app
        .get(&format!("/api/v1/leads/{lead_id}"), &contoso)
        .await
        .json();
    let customer = app.get("/api/v1/me", &hanbit).await.json()["tenant_id"].clone();
    assert_eq!(got["customer_id"], customer);

    // Closed by hand; a lead of another partner cannot be used for a reply.
    let r = app
        .call(
            axum::http::Method::PATCH,
            &format!("/api/v1/leads/{lead_id}"),
            Some(&contoso),
            Some(json!({"status": "closed"})),
        )
        .await;
    assert_eq!(r.json()["status"], "closed");
    let adatum_lead = items(&app.get("/api/v1/leads", &adatum).await.json())[0]["lead_id"].clone();
    let r = app
        .post(
            "/api/v1/relationship-requests",
            &contoso,
            json!({"include_admin_privileges": true, "lead_id": adatum_lead}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());
}

#[tokio::test]
async fn leads_are_validated_and_rate_limited_per_address_and_e_mail() {
    let app = TestApp::new().await;
    let hits = items(&search(&app, "").await);
    let c = hits[0]["partner_id"].as_str().unwrap().to_string();
    for (change, field) in [
        (json!({"email": "not-an-address"}), "email"),
        (json!({"phone": "call me"}), "phone"),
        (json!({"message": "   "}), "message"),
        (json!({"name": "x".repeat(121)}), "name"),
        (json!({"partner_ids": []}), "partner_ids"),
        (json!({"country": "K1"}), "country"),
    ] {
        let mut body = lead(&[&c], "a@hanbit.example");
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let r = send_lead(&app, body).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {}",
            r.text()
        );
        assert!(r.text().contains(field), "{field}: {}", r.text());
    }
    let unknown = send_lead(
        &app,
        lead(
            &["0199a0b0-0000-7000-8000-000000000000"],
            "a@hanbit.example",
        ),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM leads").await,
        0,
        "nothing refused was written"
    );

    // Five submissions per e-mail address an hour, then 429 with Retry-After.
    for _ in 0..5 {
        assert_eq!(
            send_lead(&app, lead(&[&c], "same@hanbit.example"))
                .await
                .status,
            StatusCode::CREATED
        );
    }
    let r = send_lead(&app, lead(&[&c], "same@hanbit.example")).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.code(), "too_many_leads");
    let wait: u64 = r.header("retry-after").parse().unwrap();
    assert!((3000..=3600).contains(&wait), "{wait}");
    // Ten per client address, whatever the e-mail.
    for i in 0..5 {
        let r = send_lead(&app, lead(&[&c], &format!("other{i}@hanbit.example"))).await;
        assert_eq!(r.status, StatusCode::CREATED);
    }
    let r = send_lead(&app, lead(&[&c], "fresh@hanbit.example")).await;
    assert_eq!(r.code(), "too_many_leads");
    // An hour later the window has moved on.
    app.clock.advance(chrono::Duration::minutes(61));
    assert_eq!(
        send_lead(&app, lead(&[&c], "fresh@hanbit.example"))
            .await
            .status,
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn the_portal_flow_works_without_script_in_both_languages() {
    let app = TestApp::new().await;
    let mut visitor = Browser::new(&app);
    let page = visitor
        .get("/partners?q=%EB%B3%B4%EC%95%88&service=security")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(
        html.contains("Contoso Partners Korea"),
        "Korean partial word finds it"
    );
    assert!(html.contains("Contact selected providers"));
    let hits = items(&search(&app, "").await);
    let ids: Vec<String> = hits
        .iter()
        .map(|h| h["partner_id"].as_str().unwrap().to_string())
        .collect();
    let form = visitor
        .get(&format!(
            "/partners/contact?partner={}&partner={}",
            ids[0], ids[1]
        ))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    let csrf = csrf_of(&form.text());
    let base = vec![
        ("csrf", csrf.as_str()),
        ("partner", ids[0].as_str()),
        ("partner", ids[1].as_str()),
        ("name", "Lee"),
        ("email", "lee@hanbit.example"),
        ("phone", ""),
        ("organisation", "Hanbit"),
        ("org_size", "10-49"),
        ("country", "KR"),
        ("website", ""),
    ];
    // A blank message: the form again, with the reason and what was typed.
    let mut blank = base.clone();
    blank.push(("message", " "));
    let r = visitor.post("/partners/contact", &blank).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("lee@hanbit.example") && r.text().contains("message-error"));
    // The honeypot: the confirmation, and nothing sent.
    let mut bot = base.clone();
    bot.retain(|(k, _)| *k != "website");
    bot.push(("website", "http://spam.example"));
    bot.push(("message", "Buy now"));
    let r = visitor.post("/partners/contact", &bot).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("SELECT COUNT(*) FROM leads").await, 0);
    // A real one: one lead per partner, then the confirmation naming them.
    let mut real = base.clone();
    real.push(("message", "We need help."));
    let r = visitor.post("/partners/contact", &real).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(app.count("SELECT COUNT(*) FROM leads").await, 2);
    let sent = visitor.get(&location(&r)).await;
    assert!(
        sent.text().contains("Request sent"),
        "{} {}",
        sent.status,
        sent.text()
    );

    // The partner's inbox, in Korean, and the reply prefilled from the lead.
    let mut partner = Browser::new(&app);
    partner.sign_in(PARTNER_KR, "/").await;
    partner.get("/lang/ko?next=/partner/leads").await;
    let inbox = partner.get("/partner/leads").await;
    assert_eq!(inbox.status, StatusCode::OK);
    assert!(inbox.text().contains("리드") && inbox.text().contains("Hanbit"));
    let kr = app.token(PARTNER_KR).await;
    let lead_id = items(&app.get("/api/v1/leads", &kr).await.json())[0]["lead_id"]
        .as_str()
        .unwrap()
        .to_string();
    let detail = partner.get(&format!("/partner/leads/{lead_id}")).await;
    assert!(detail.text().contains("관계 요청으로 회신"));
    let form = partner
        .get(&format!("/partner/requests/new?lead={lead_id}"))
        .await;
    let html = form.text();
    assert!(
        html.contains("value=\"lee@hanbit.example\""),
        "prefilled address"
    );
    assert!(html.contains(&format!("name=\"lead\" value=\"{lead_id}\"")));
    assert!(
        html.contains("<option value=\"en\" lang=\"en\" selected"),
        "the lead's language"
    );
}
