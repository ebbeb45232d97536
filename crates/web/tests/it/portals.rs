//! The portals through plain form posts: sessions, CSRF, security headers, and the
//! invitation pages' privacy rules.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn every_page_carries_the_security_headers() {
    let app = TestApp::new().await;
    let mut b = Browser::new(&app);
    for uri in [
        "/",
        "/signin",
        "/agreement",
        "/nope",
        "/api/v1/openapi.json",
        "/healthz",
    ] {
        let r = b.get(uri).await;
        let csp = r.header("content-security-policy");
        assert!(csp.contains("frame-ancestors 'none'"), "{uri}");
        assert!(csp.contains("default-src 'none'"), "{uri}");
        assert_eq!(r.header("x-content-type-options"), "nosniff", "{uri}");
    }
}

#[tokio::test]
async fn sign_in_sets_a_safe_session_cookie_and_sign_out_revokes_it() {
    let app = TestApp::new().await;
    let mut b = Browser::new(&app);
    let r = b.sign_in(PARTNER_KR, "").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/partner/customers");
    let set = r.header("set-cookie");
    assert!(set.starts_with("accord_session="));
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax"),
        "{set}"
    );
    let stolen = b.cookies.clone();

    let page = b.get("/partner/customers").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.header("cache-control"), "no-store");
    let csrf = csrf_of(&page.text());
    let out = b.post("/signout", &[("csrf", &csrf)]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);

    // The old cookie no longer works, even replayed.
    let mut thief = Browser::new(&app);
    thief.cookies = stolen;
    let r = thief.get("/partner/customers").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(location(&r).starts_with("/signin?next="));
}

#[tokio::test]
async fn wrong_password_and_foreign_redirects_are_refused() {
    let app = TestApp::new().await;
    let mut b = Browser::new(&app);
    let page = b.get("/signin").await;
    let csrf = csrf_of(&page.text());
    let r = b
        .post(
            "/signin",
            &[
                ("email", PARTNER_KR),
                ("password", "nope nope nope"),
                ("csrf", &csrf),
                ("next", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.text().contains("not correct"));
    let r = b.sign_in(PARTNER_KR, "//evil.example/x").await;
    assert_eq!(location(&r), "/partner/customers", "no open redirect");
}

#[tokio::test]
async fn forms_without_a_valid_csrf_token_are_refused() {
    let app = TestApp::new().await;
    let mut b = Browser::new(&app);
    // Sign-in without the pre-session cookie.
    let r = b
        .post(
            "/signin",
            &[
                ("email", PARTNER_KR),
                ("password", "accord-demo"),
                ("csrf", "x"),
                ("next", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.text().contains("csrf_failed"));
    b.sign_in(PARTNER_KR, "").await;
    let r = b
        .post(
            "/partner/requests",
            &[("csrf", "forged"), ("include_admin", "on")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM relationship_requests")
            .await,
        0
    );
}

#[tokio::test]
async fn the_whole_flow_through_the_portals() {
    let app = TestApp::new().await;
    let mut partner = Browser::new(&app);
    partner.sign_in(PARTNER_KR, "").await;
    let form = partner.get("/partner/requests/new").await;
    assert!(form.text().contains("Include delegated admin privileges"));
    assert!(form.text().contains("checked"));
    let csrf = csrf_of(&form.text());
    let draft = partner
        .post(
            "/partner/requests",
            &[
                ("csrf", &csrf),
                ("type_reseller", "on"),
                ("include_admin", "on"),
                ("customer_email", ""),
            ],
        )
        .await;
    // Redirect after the write: reloading the draft shows the same link and creates
    // nothing more.
    assert_eq!(draft.status, StatusCode::SEE_OTHER, "{}", draft.text());
    let draft_path = location(&draft);
    assert!(draft_path.starts_with("/partner/requests/") && draft_path.contains("/draft?token="));
    let html = partner.get(&draft_path).await.text();
    let again = partner.get(&draft_path).await.text();
    assert_eq!(
        html.replace(&csrf_of(&html), ""),
        again.replace(&csrf_of(&again), "")
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM relationship_requests")
            .await,
        1,
        "a reload repeats no write"
    );
    assert!(html.contains("Open in e-mail app") && html.contains("href=\"mailto:"));
    assert!(html.contains("Copy to clipboard") && html.contains("Copy link"));
    // Without the right token there is no draft, even for the same partner.
    let forged = draft_path.split("token=").next().unwrap().to_string() + "token=x";
    assert_eq!(partner.get(&forged).await.status, StatusCode::NOT_FOUND);
    let i = html.find("/admin/invitations/").unwrap();
    let link_path: String = html[i..]
        .chars()
        .take_while(|c| *c != '"' && *c != '<' && !c.is_whitespace())
        .collect();
    let list = partner.get("/partner/requests").await;
    assert!(list.text().contains("Pending") && list.text().contains("Revoke"));

    // Opening the link signs nobody in and leaks nothing.
    let mut customer = Browser::new(&app);
    let open = customer.get(&link_path).await;
    assert_eq!(open.status, StatusCode::OK);
    assert_eq!(open.header("referrer-policy"), "no-referrer");
    assert_eq!(open.header("cache-control"), "no-store");
    assert!(
        open.header("set-cookie").is_empty(),
        "opening a link sets no cookie"
    );
    assert!(open.text().contains("Contoso Partners Korea"));
    assert!(
        !open.text().contains("Global admin in your directory"),
        "details only after sign-in"
    );

    let r = customer.sign_in(CUSTOMER_KR_ADMIN, &link_path).await;
    assert_eq!(location(&r), link_path);
    let consent = customer.get(&link_path).await;
    let t = consent.text();
    assert!(
        t.contains("Accept agreement &amp; authorise partner")
            || t.contains("Accept agreement &#38; authorise partner"),
        "{t}"
    );
    assert!(t.contains("I have read and accept the customer agreement"));
    assert!(t.contains("Global admin in your directory, with no end date"));
    let csrf = csrf_of(&t);

    let refused = customer
        .post(&format!("{link_path}/accept"), &[("csrf", &csrf)])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().contains("role=\"alert\""));
    let ok = customer
        .post(
            &format!("{link_path}/accept"),
            &[("csrf", &csrf), ("accept_agreement", "on")],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text());
    assert!(location(&ok).starts_with("/admin/billing/partners"));
    let partners = customer.get(&location(&ok)).await.text();
    assert!(
        partners.contains("Partner relationships") && partners.contains("Contoso Partners Korea")
    );
    assert!(partners.contains("Reseller &#38; delegated admin"));

    let customers = partner.get("/partner/customers").await.text();
    assert!(customers.contains("Hanbit Retail"));
    let used = customer.get(&link_path).await.text();
    assert!(used.contains("already been used"));
}

#[tokio::test]
async fn an_ordinary_user_is_told_only_a_global_admin_can_accept() {
    let app = TestApp::new().await;
    let p = app.token(PARTNER_KR).await;
    let (_, token) = app
        .request(&p, json!({"include_admin_privileges": true}))
        .await;
    let mut user = Browser::new(&app);
    let path = format!("/admin/invitations/{token}");
    user.sign_in(CUSTOMER_KR_USER, &path).await;
    let page = user.get(&path).await.text();
    assert!(page.contains("Only a Global admin"));
    let csrf = csrf_of(&page);
    let r = user
        .post(
            &format!("{path}/accept"),
            &[("csrf", &csrf), ("accept_agreement", "on")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("SELECT COUNT(*) FROM relationships").await, 0);
}

#[tokio::test]
async fn a_customer_without_an_organisation_creates_one_from_the_link() {
    let app = TestApp::new().await;
    let gov = app.token(PARTNER_GOV).await;
    let (_, token) = app
        .request(&gov, json!({"include_admin_privileges": true}))
        .await;
    let path = format!("/admin/invitations/{token}");
    let mut b = Browser::new(&app);
    let form = b.get(&format!("{path}/signup")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text().contains("US Government cloud"));
    let csrf = csrf_of(&form.text());
    let fields = |domain: &'static str, email: &'static str, password: &'static str| {
        vec![
            ("name", "Fresh Agency"),
            ("domain", domain),
            ("country", "us"),
            ("admin_name", "Fran Fresh"),
            ("admin_email", email),
            ("password", password),
        ]
    };
    const FRAN: &str = "fran@fresh-agency.example";
    let mut bad = fields("fresh-agency.example", FRAN, "short");
    bad.push(("csrf", &csrf));
    let r = b.post(&format!("{path}/signup"), &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("at least 10 characters"));
    assert!(
        app.deliver_mail().await.is_empty(),
        "a refused form sends nothing"
    );

    // A registered domain, a registered e-mail address and new details get one and the
    // same answer; only the mailbox learns which it was.
    let mut answers = Vec::new();
    for (domain, email) in [
        ("hanbit.example", FRAN),
        ("fresh-agency.example", CUSTOMER_KR_ADMIN),
        ("fresh-agency.example", FRAN),
    ] {
        let mut f = fields(domain, email, "a long password");
        f.push(("csrf", &csrf));
        let r = b.post(&format!("{path}/signup"), &f).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let page = b.get(&location(&r)).await.text();
        assert!(page.contains("Check your inbox") && page.contains(email));
        assert!(
            page.contains("sign in"),
            "the next step for an account holder"
        );
        answers.push(
            page.replace(email, "EMAIL")
                .replace(&email.replace('@', "%2540"), "EMAIL"),
        );
    }
    assert_eq!(answers[0], answers[1], "domain taken = address taken");
    assert_eq!(answers[1], answers[2], "address taken = new details");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM tenants WHERE domain = 'fresh-agency.example'")
            .await,
        0,
        "nothing is created before the address is confirmed"
    );

    let mail = app.deliver_mail().await;
    assert_eq!(mail.len(), 3);
    let find = |to: &str, subject: &str| {
        mail.iter()
            .find(|m| m.to == [to.to_string()] && m.subject().contains(subject))
            .unwrap_or_else(|| panic!("a mail to {to} about {subject}: {mail:#?}"))
    };
    let taken = find(FRAN, "Your organisation was not created");
    assert!(taken.body().contains("hanbit.example"));
    assert!(taken.link("http").is_none(), "no link to act on");
    let exists = find(CUSTOMER_KR_ADMIN, "You already have an account");
    assert!(exists.body().contains("Northwind"));
    assert_eq!(
        exists.link("http").as_deref(),
        Some("http://127.0.0.1:8080/signin")
    );
    assert!(!exists.body().contains(&token), "the link is not forwarded");
    let confirm = find(FRAN, "Confirm your e-mail address to create Fresh Agency");
    assert_eq!(
        confirm.from, "no-reply@accord.test",
        "sent from the configured sender"
    );
    let link = confirm
        .link("http://127.0.0.1:8080/admin/invitations/")
        .expect("a confirmation link");
    let confirm_path = link.trim_start_matches("http://127.0.0.1:8080").to_string();
    assert!(confirm_path.starts_with(&format!("{path}/confirm/")));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE payload LIKE '%/confirm/%'")
            .await,
        0,
        "a delivered message keeps no link"
    );

    // The link shows what will be created; only the button creates it.
    let mut inbox = Browser::new(&app);
    let page = inbox.get(&confirm_path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    let text = page.text();
    assert!(text.contains("Fresh Agency") && text.contains(FRAN) && text.contains("US Government"));
    let csrf = csrf_of(&text);
    let r = inbox.post(&confirm_path, &[("csrf", &csrf)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(location(&r), path);
    let consent = inbox.get(&path).await.text();
    let csrf = csrf_of(&consent);
    let ok = inbox
        .post(
            &format!("{path}/accept"),
            &[("csrf", &csrf), ("accept_agreement", "on")],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text());
    let me = app
        .accord
        .sign_in_with_password(FRAN, "a long password", "test")
        .await
        .unwrap();
    assert_eq!(
        me.tenant.cloud,
        accord_domain::Cloud::Usgov,
        "the cloud is the link's"
    );
    assert!(me.has_role("global_admin".parse().unwrap()));

    // The confirmation link works once; the invitation link is used up.
    let mut again = Browser::new(&app);
    let page = again.get(&confirm_path).await;
    assert_eq!(page.status, StatusCode::GONE);
    assert!(page.text().contains("sign up again"));
    let form = again.get(&format!("{path}/signup")).await;
    assert_eq!(form.status, StatusCode::GONE);
}

fn new_org(n: &str, locale: accord_domain::Locale) -> accord_service::NewOrganisation {
    accord_service::NewOrganisation {
        name: format!("Agency {n}"),
        domain: format!("agency-{n}.example"),
        country: "US".into(),
        admin_name: "Admin".into(),
        admin_email: format!("admin@agency-{n}.example"),
        admin_password: "a long password".into(),
        locale,
    }
}

fn confirm_code(m: &accord_test_support::smtp::ReceivedMail) -> (String, String) {
    let link = m
        .link("http://127.0.0.1:8080/admin/invitations/")
        .expect("link");
    let mut parts = link.rsplit('/');
    let code = parts.next().unwrap().to_string();
    parts.next();
    (parts.next().unwrap().to_string(), code)
}

#[tokio::test]
async fn a_pending_link_creates_one_organisation_at_most() {
    let app = TestApp::new().await;
    let gov = app.token(PARTNER_GOV).await;
    let (_, token) = app
        .request(&gov, json!({"include_admin_privileges": true}))
        .await;
    use accord_domain::Locale;
    for n in ["one", "two"] {
        app.accord
            .sign_up_from_invitation(&token, &new_org(n, Locale::En), "test")
            .await
            .unwrap();
    }
    let mail = app.deliver_mail().await;
    assert_eq!(mail.len(), 2);
    let (t1, c1) = confirm_code(&mail[0]);
    let (t2, c2) = confirm_code(&mail[1]);
    assert_eq!((t1.as_str(), t2.as_str()), (token.as_str(), token.as_str()));
    app.accord.confirm_sign_up(&token, &c1).await.unwrap();
    let second = app.accord.confirm_sign_up(&token, &c2).await.unwrap_err();
    assert_eq!(second.code(), "invitation_signup_used");
    let again = app
        .accord
        .sign_up_from_invitation(&token, &new_org("three", Locale::En), "test")
        .await
        .unwrap_err();
    assert_eq!(again.code(), "invitation_signup_used");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM tenants WHERE domain LIKE 'agency-%'")
            .await,
        1
    );
}

#[tokio::test]
async fn a_confirmation_link_expires_and_belongs_to_its_invitation() {
    let app = TestApp::new().await;
    let gov = app.token(PARTNER_GOV).await;
    let (_, token) = app
        .request(&gov, json!({"include_admin_privileges": true}))
        .await;
    let (_, other) = app
        .request(&gov, json!({"include_admin_privileges": true}))
        .await;
    app.accord
        .sign_up_from_invitation(&token, &new_org("late", accord_domain::Locale::Ko), "test")
        .await
        .unwrap();
    let mail = app.deliver_mail().await;
    assert_eq!(mail.len(), 1);
    // The browser's language decides the e-mail's.
    assert!(
        mail[0].subject().contains("조직을 만들려면"),
        "{}",
        mail[0].subject()
    );
    assert!(mail[0].body().contains("전역 관리자"));
    let (_, code) = confirm_code(&mail[0]);
    let wrong = app.accord.confirm_sign_up(&other, &code).await.unwrap_err();
    assert_eq!(wrong.code(), "signup_link_invalid");
    app.clock.advance(chrono::Duration::hours(24));
    let late = app.accord.confirm_sign_up(&token, &code).await.unwrap_err();
    assert_eq!(late.code(), "signup_link_invalid");
    let mut b = Browser::new(&app);
    let page = b
        .get(&format!("/admin/invitations/{token}/confirm/{code}"))
        .await;
    assert_eq!(page.status, StatusCode::GONE);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM tenants WHERE domain = 'agency-late.example'")
            .await,
        0
    );
}

#[tokio::test]
async fn a_partner_revokes_from_the_pending_list() {
    let app = TestApp::new().await;
    let mut b = Browser::new(&app);
    b.sign_in(PARTNER_KR, "").await;
    let csrf = csrf_of(&b.get("/partner/requests/new").await.text());
    b.post(
        "/partner/requests",
        &[("csrf", &csrf), ("type_reseller", "on")],
    )
    .await;
    let list = b.get("/partner/requests").await.text();
    assert!(
        list.contains("Reseller, no admin privileges"),
        "unticked box means no admin privileges"
    );
    let end = list.find("/revoke\"").unwrap() + "/revoke".len();
    let start = list[..end].rfind('"').unwrap() + 1;
    let action = list[start..end].to_string();
    let r = b.post(&action, &[("csrf", &csrf)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let list = b.get(&location(&r)).await.text();
    assert!(list.contains("Revoked") && list.contains("no longer works"));
}

#[tokio::test]
async fn a_global_admin_removes_admin_roles_from_the_partner_page() {
    let app = TestApp::new().await;
    let p = app.token(PARTNER_KR).await;
    let c = app.token(CUSTOMER_KR_ADMIN).await;
    let (_, token) = app
        .request(&p, json!({"include_admin_privileges": true}))
        .await;
    let partner_id = app.accept(&c, &token).await.json()["partner_id"]
        .as_str()
        .unwrap()
        .to_string();
    let mut b = Browser::new(&app);
    b.sign_in(CUSTOMER_KR_ADMIN, "").await;
    let detail = b
        .get(&format!("/admin/billing/partners/{partner_id}"))
        .await
        .text();
    assert!(detail.contains("Remove admin roles"));
    let csrf = csrf_of(&detail);
    let r = b
        .post(
            &format!("/admin/billing/partners/{partner_id}/remove-admin-roles"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let after = b.get(&location(&r)).await.text();
    assert!(after.contains("admin roles were removed"));
    assert!(!after.contains(">Remove admin roles<"));
    assert!(after.contains("contact Contoso Partners Korea"));
}

#[tokio::test]
async fn over_https_cookies_are_secure_and_host_prefixed() {
    let app = TestApp::with_config(accord_service::ServiceConfig {
        public_url: "https://accord.example".into(),
        ..Default::default()
    })
    .await;
    let mut b = Browser::new(&app);
    let form = b.get("/signin").await;
    let pre = form.header("set-cookie");
    assert!(
        pre.starts_with("__Host-accord_csrf=") && pre.contains("; Secure"),
        "{pre}"
    );
    let r = b.sign_in(PARTNER_KR, "").await;
    let set = r.header("set-cookie");
    assert!(
        set.starts_with("__Host-accord_session=")
            && set.contains("; Secure")
            && set.contains("Path=/"),
        "{set}"
    );
    assert_eq!(b.get("/partner/customers").await.status, StatusCode::OK);
    // A bare-named cookie planted by someone else is not a session.
    let mut planted = Browser::new(&app);
    let token = b
        .cookies
        .iter()
        .find(|(k, _)| k.starts_with("__Host-"))
        .map(|(_, v)| v.clone())
        .unwrap();
    planted.cookies.push(("accord_session".into(), token));
    assert_eq!(
        planted.get("/partner/customers").await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn malformed_portal_requests_get_an_error_page_with_a_code() {
    let app = TestApp::new().await;
    let mut b = Browser::new(&app);
    b.sign_in(PARTNER_KR, "").await;
    // A JSON body where a form is expected, and a form that is not valid UTF-8.
    for (ct, body) in [
        ("application/json", "{\"csrf\": 1}"),
        ("application/x-www-form-urlencoded", "csrf=%FF%FE"),
    ] {
        let req = Request::builder()
            .method(Method::POST)
            .uri("/partner/requests")
            .header(header::COOKIE, b.cookie_header())
            .header(header::CONTENT_TYPE, ct)
            .body(Body::from(body))
            .unwrap();
        let r = app.send(req).await;
        assert!(r.status.is_client_error(), "{ct}: {}", r.status);
        assert!(r.header("content-type").starts_with("text/html"), "{ct}");
        assert!(
            r.text().contains("<code>invalid_input</code>") || r.text().contains("csrf_failed"),
            "{}",
            r.text()
        );
    }
    let r = b.get("/partner/customers?cursor=%ZZ").await;
    assert!(r.status.is_client_error(), "{}", r.status);
    assert!(r.text().contains("<code>invalid_"), "{}", r.text());
    assert_eq!(
        app.count("SELECT COUNT(*) FROM relationship_requests")
            .await,
        0
    );
}

#[tokio::test]
async fn portal_pages_refuse_text_a_backend_cannot_store_and_wrong_methods() {
    let app = TestApp::new().await;
    let mut b = Browser::new(&app);
    b.sign_in(PARTNER_KR, "").await;
    let r = b.get("/partner/customers?q=a%00b").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("invalid_text"));
    let r = b
        .get("/partner/customers?cursor=YQBiCjAxOTlhMGIwLTAwMDAtNzAwMC04MDAwLTAwMDAwMDAwMDAwMA")
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("invalid_cursor"));
    let csrf = csrf_of(&b.get("/partner/requests/new").await.text());
    let r = b
        .post(
            "/partner/requests",
            &[("csrf", &csrf), ("customer_email", "a\u{0}b@x.example")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("invalid_text"));
    let r = b.post("/partner/customers", &[]).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(r.text().contains("method_not_allowed"));
    assert_eq!(r.header("allow"), "GET,HEAD");
}

/// Sign-in is throttled per account and address: the sixth wrong password from one
/// address answers 429 with Retry-After and a message a person can act on, even with
/// the right password; another address still signs in. (Which address a request comes
/// from, X-Forwarded-For included, is tested in `accord_web::auth`.)
#[tokio::test]
async fn repeated_wrong_passwords_are_throttled() {
    let app = TestApp::new().await;
    let mut b = Browser::new(&app);
    let form = b.get("/signin").await;
    let csrf = csrf_of(&form.text());
    for _ in 0..5 {
        let r = sign_in_attempt(&mut b, &csrf, "wrong password!").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let r = sign_in_attempt(&mut b, &csrf, "accord-demo").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.text());
    let wait: u64 = r.header("retry-after").parse().unwrap();
    assert!((1..=900).contains(&wait), "{wait}");
    assert!(r.text().contains("Too many unsuccessful attempts"));

    // The in-process router sees no peer address; the service keys by the address the
    // edge found. Another address is not held back, and the window passes.
    let other = app
        .accord
        .sign_in_with_password(PARTNER_KR, "accord-demo", "192.0.2.44")
        .await;
    assert!(other.is_ok());
    app.clock.advance(chrono::Duration::minutes(16));
    let r = sign_in_attempt(&mut b, &csrf, "accord-demo").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "the window slid");
}

async fn sign_in_attempt(b: &mut Browser<'_>, csrf: &str, password: &str) -> Resp {
    b.post(
        "/signin",
        &[
            ("email", PARTNER_KR),
            ("password", password),
            ("csrf", csrf),
            ("next", ""),
        ],
    )
    .await
}

#[tokio::test]
async fn a_helpdesk_agent_is_refused_before_the_form_not_after_next() {
    let app = TestApp::new().await;
    let mut b = Browser::new(&app);
    b.sign_in(PARTNER_KR_HELPDESK, "").await;
    let r = b.get("/partner/requests/new").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        r.text().contains("Partner admin, Admin agent, Sales agent"),
        "{}",
        r.text()
    );
    assert!(!r.text().contains("name=\"include_admin\""));
    // Only what the role allows is offered.
    let list = b.get("/partner/customers").await.text();
    assert!(
        !list.contains("href=\"/partner/requests/new\""),
        "no request button for this role"
    );
}

/// Every irreversible action asks first, on a page that works without script and says
/// what will happen; every write answers with a redirect.
#[tokio::test]
async fn irreversible_actions_ask_first_and_every_write_redirects() {
    let app = TestApp::new().await;
    let kr = app.token(PARTNER_KR).await;

    // Revoke.
    let (id, _) = app
        .request(&kr, json!({"include_admin_privileges": true}))
        .await;
    let mut partner = Browser::new(&app);
    partner.sign_in(PARTNER_KR, "").await;
    let list = partner.get("/partner/requests").await.text();
    let ask = format!("/partner/requests/{id}/revoke");
    assert!(
        list.contains(&format!("href=\"{ask}\"")),
        "the list links to the question"
    );
    assert!(
        !list.contains("method=\"post\" action=\"/partner/requests/"),
        "no one-click revoke"
    );
    let page = partner.get(&ask).await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.text();
    assert!(text.contains("Revoke this request?") && text.contains("cannot be undone"));
    assert!(
        text.contains(&format!("action=\"{ask}\"")) && text.contains("href=\"/partner/requests\"")
    );
    let r = partner.post(&ask, &[("csrf", &csrf_of(&text))]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/partner/requests?notice=revoked");

    // Decline ("Cancel" no longer declines on one click).
    let (_, token) = app
        .request(&kr, json!({"include_admin_privileges": true}))
        .await;
    let path = format!("/admin/invitations/{token}");
    let mut customer = Browser::new(&app);
    customer.sign_in(CUSTOMER_KR_ADMIN, &path).await;
    let consent = customer.get(&path).await.text();
    assert!(consent.contains(&format!("href=\"{path}/decline\"")) && consent.contains("Decline…"));
    assert!(
        !consent.contains("formaction"),
        "no decline button inside the accept form"
    );
    let ask = customer.get(&format!("{path}/decline")).await.text();
    assert!(ask.contains("Decline the invitation from Contoso Partners Korea?"));
    assert!(ask.contains("go back instead") && ask.contains(&format!("href=\"{path}\"")));
    let r = customer
        .post(&format!("{path}/decline"), &[("csrf", &csrf_of(&ask))])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("{path}/declined"));
    let done = customer.get(&location(&r)).await;
    assert_eq!(done.status, StatusCode::OK);
    assert!(done
        .text()
        .contains("You declined the invitation from Contoso Partners Korea"));
    assert_eq!(
        customer.get(&format!("{path}/decline")).await.status,
        StatusCode::GONE,
        "nothing left to decline"
    );

    // Remove admin roles.
    let (_, token) = app
        .request(&kr, json!({"include_admin_privileges": true}))
        .await;
    let hanbit = app.token(CUSTOMER_KR_ADMIN).await;
    assert_eq!(app.accept(&hanbit, &token).await.status, StatusCode::OK);
    let partners = customer.get("/admin/billing/partners").await.text();
    let i = partners.find("/admin/billing/partners/").unwrap();
    let detail: String = partners[i..].chars().take_while(|c| *c != '"').collect();
    let page = customer.get(&detail).await.text();
    let ask = format!("{detail}/remove-admin-roles");
    assert!(
        page.contains(&format!("href=\"{ask}\"")) && !page.contains(&format!("action=\"{ask}\""))
    );
    let q = customer.get(&ask).await.text();
    assert!(
        q.contains("Remove Contoso Partners Korea&#39;s admin roles?")
            || q.contains("Remove Contoso Partners Korea's admin roles?"),
        "{q}"
    );
    let r = customer.post(&ask, &[("csrf", &csrf_of(&q))]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let after = customer.get(&location(&r)).await.text();
    assert!(after.contains("admin roles were removed"));

    // An ordinary user is refused the question, not only the action.
    let mut user = Browser::new(&app);
    user.sign_in(CUSTOMER_KR_USER, &ask).await;
    assert_eq!(user.get(&ask).await.status, StatusCode::FORBIDDEN);
}

/// The shell: where you are, who you are (on error pages too), and the seed's Billing ›
/// Billing accounts › Partner relationships as real navigation.
#[tokio::test]
async fn the_shell_shows_where_and_who_you_are_on_every_page() {
    let app = TestApp::new().await;
    let mut b = Browser::new(&app);
    b.sign_in(CUSTOMER_KR_ADMIN, "").await;
    let missing = b.get("/admin/billing/partners/not-an-id").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let t = missing.text();
    assert!(
        t.contains("Hanbit Retail") && t.contains(">Sign out<"),
        "{t}"
    );
    assert!(
        !t.contains(">Sign in<"),
        "a signed-in user is not offered to sign in"
    );
    let nowhere = b.get("/admin/nowhere").await.text();
    assert!(nowhere.contains(">Sign out<"), "the fallback page too");

    let partners = b.get("/admin/billing/partners").await.text();
    assert!(partners.contains(r#"<a href="/admin/billing/partners" aria-current="page" class="current">Admin Center</a>"#), "{partners}");
    assert!(partners.contains(r#"<a href="/admin/billing/accounts">Billing accounts</a>"#));
    let r = b.get("/admin/billing").await;
    assert_eq!(location(&r), "/admin/billing/accounts");
    let accounts = b.get("/admin/billing/accounts").await.text();
    assert!(accounts.contains("hanbit.example") && accounts.contains("South Korea, Public cloud"));
    assert!(accounts.contains(r#"<a href="/admin/billing/partners">Hanbit Retail</a>"#));

    let mut p = Browser::new(&app);
    p.sign_in(PARTNER_KR, "").await;
    let customers = p.get("/partner/customers").await.text();
    assert!(customers.contains(
        r#"<a href="/partner/customers" aria-current="page" class="current">Partner Center</a>"#
    ));
}

/// What each side should see: the partner opens a customer and sees who accepted a
/// request; the customer sees who removed admin roles and which agreement versions it
/// accepted; the anonymous link says what is asked.
#[tokio::test]
async fn each_side_sees_who_did_what() {
    let app = TestApp::new().await;
    let kr = app.token(PARTNER_KR).await;
    let (_, token) = app
        .request(&kr, json!({"include_admin_privileges": true}))
        .await;

    let mut anon = Browser::new(&app);
    let preview = anon
        .get(&format!("/admin/invitations/{token}"))
        .await
        .text();
    assert!(
        preview.contains("The request: Reseller &#38; delegated admin."),
        "{preview}"
    );
    assert!(preview.contains("It asks for delegated admin privileges"));

    let hanbit = app.token(CUSTOMER_KR_ADMIN).await;
    assert_eq!(app.accept(&hanbit, &token).await.status, StatusCode::OK);

    let mut p = Browser::new(&app);
    p.sign_in(PARTNER_KR, "").await;
    let requests = p.get("/partner/requests").await.text();
    assert!(requests.contains("Accepted by Hanbit Retail"), "{requests}");
    let list = p.get("/partner/customers").await.text();
    let i = list
        .find("href=\"/partner/customers/")
        .expect("a customer link")
        + 6;
    let href: String = list[i..].chars().take_while(|c| *c != '"').collect();
    let page = p.get(&href).await;
    assert_eq!(page.status, StatusCode::OK);
    let t = page.text();
    assert!(
        t.contains("Hanbit Retail")
            && t.contains("hanbit.example")
            && t.contains("South Korea, Public cloud")
    );
    assert!(t.contains("Reseller &#38; delegated admin") && t.contains("Global admin"));
    assert!(t.contains("Version 1 accepted on"), "{t}");
    let mut other = Browser::new(&app);
    other.sign_in(PARTNER_US, "").await;
    assert_eq!(
        other.get(&href).await.status,
        StatusCode::NOT_FOUND,
        "not someone else's customer"
    );

    let mut c = Browser::new(&app);
    c.sign_in(CUSTOMER_KR_ADMIN, "").await;
    let agreement = c.get("/admin/agreement").await.text();
    assert!(
        agreement.contains("Customer Agreement") && agreement.contains("admin@hanbit.example"),
        "{agreement}"
    );
    let partners = c.get("/admin/billing/partners").await.text();
    let i = partners.find("/admin/billing/partners/").unwrap();
    let detail: String = partners[i..].chars().take_while(|c| *c != '"').collect();
    let ask = c.get(&format!("{detail}/remove-admin-roles")).await.text();
    c.post(
        &format!("{detail}/remove-admin-roles"),
        &[("csrf", &csrf_of(&ask))],
    )
    .await;
    let after = c.get(&detail).await.text();
    assert!(
        after.contains("Removed on") && after.contains("(admin@hanbit.example)"),
        "{after}"
    );
}

#[tokio::test]
async fn request_form_errors_sit_next_to_their_field() {
    let app = TestApp::new().await;
    let mut b = Browser::new(&app);
    b.sign_in(PARTNER_KR, "").await;
    let csrf = csrf_of(&b.get("/partner/requests/new").await.text());
    let r = b
        .post(
            "/partner/requests",
            &[
                ("csrf", &csrf),
                ("type_reseller", "on"),
                ("include_admin", "on"),
                ("customer_email", "not-an-address"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let t = r.text();
    assert!(
        t.contains(r#"<p id="customer_email-error" class="field-error">"#),
        "{t}"
    );
    assert!(t.contains(
        r#"value="not-an-address" aria-invalid="true" aria-describedby="customer_email-error""#
    ));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM relationship_requests")
            .await,
        0
    );

    let mut gov = Browser::new(&app);
    gov.sign_in(PARTNER_GOV, "").await;
    let csrf = csrf_of(&gov.get("/partner/requests/new").await.text());
    let r = gov
        .post(
            "/partner/requests",
            &[("csrf", &csrf), ("type_reseller", "on")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let t = r.text();
    assert!(
        t.contains(r#"<p id="include_admin-error" class="field-error">"#)
            && t.contains(r#"aria-invalid="true""#)
            && t.contains("US Government cloud"),
        "{t}"
    );
}

/// F4: a new version is accepted on its own, in the Admin Center and through the API,
/// by a Global admin only.
#[tokio::test]
async fn a_new_agreement_version_is_accepted_on_its_own() {
    let app = TestApp::new().await;
    let kr = app.token(PARTNER_KR).await;
    let hanbit = app.token(CUSTOMER_KR_ADMIN).await;
    let (_, token) = app
        .request(&kr, json!({"include_admin_privileges": true}))
        .await;
    assert_eq!(app.accept(&hanbit, &token).await.status, StatusCode::OK);
    app.accord
        .local_operator()
        .publish_agreement("Customer Agreement", "Version two.")
        .await
        .unwrap();

    // Portal: the Global admin is asked; an ordinary user is told whom to ask.
    let mut user = Browser::new(&app);
    user.sign_in(CUSTOMER_KR_USER, "").await;
    let page = user.get("/admin/agreement").await.text();
    assert!(page.contains("Version 2 of the customer agreement was published"));
    assert!(
        page.contains("Ask a Global admin") && !page.contains("action=\"/admin/agreement/accept\"")
    );
    let mut ga = Browser::new(&app);
    ga.sign_in(CUSTOMER_KR_ADMIN, "").await;
    let partners = ga.get("/admin/billing/partners").await.text();
    assert!(
        partners.contains(r#"<a href="/admin/agreement">Accept agreement</a>"#),
        "{partners}"
    );
    let page = ga.get("/admin/agreement").await.text();
    let csrf = csrf_of(&page);
    let refused = ga.post("/admin/agreement/accept", &[("csrf", &csrf)]).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the box must be ticked"
    );
    let r = ga
        .post(
            "/admin/agreement/accept",
            &[("csrf", &csrf), ("accept_agreement", "on")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let after = ga.get(&location(&r)).await.text();
    assert!(after.contains("You accepted the current customer agreement."));
    assert!(
        !after.contains("was published on"),
        "nothing left to accept"
    );
    assert!(
        after.contains(">2<") && after.contains(">1<"),
        "both versions listed"
    );

    // API: idempotent for a Global admin, refused to others.
    let again = app
        .post(
            "/api/v1/agreements/current/accept",
            &hanbit,
            json!({"accept_agreement": true}),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text());
    assert_eq!(again.json()["version"], 2);
    assert_eq!(again.json()["newly_accepted"], false);
    let user_token = app.token(CUSTOMER_KR_USER).await;
    let r = app
        .post(
            "/api/v1/agreements/current/accept",
            &user_token,
            json!({"accept_agreement": true}),
        )
        .await;
    assert_eq!(r.code(), "not_global_admin");
    let r = app
        .post(
            "/api/v1/agreements/current/accept",
            &kr,
            json!({"accept_agreement": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let litware = app.token(CUSTOMER_US_ADMIN).await;
    let r = app
        .post(
            "/api/v1/agreements/current/accept",
            &litware,
            json!({"accept_agreement": false}),
        )
        .await;
    assert_eq!(r.code(), "agreement_acceptance_required");
    let r = app
        .post(
            "/api/v1/agreements/current/accept",
            &litware,
            json!({"accept_agreement": true}),
        )
        .await;
    assert_eq!(r.json()["newly_accepted"], true);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'agreement.accepted' AND details LIKE '%agreement_only%'")
            .await,
        2
    );
}

/// F6 "Delete partner": offered and allowed only when the partner is a delegated admin
/// or admin and nothing else; otherwise the page and the API say to contact the partner.
#[tokio::test]
async fn delete_partner_is_offered_only_for_delegated_admins_and_admins() {
    let app = TestApp::new().await;
    let kr = app.token(PARTNER_KR).await;
    let hanbit = app.token(CUSTOMER_KR_ADMIN).await;

    // A reseller & delegated admin: the customer cannot delete it.
    let (_, token) = app
        .request(&kr, json!({"include_admin_privileges": true}))
        .await;
    assert_eq!(app.accept(&hanbit, &token).await.status, StatusCode::OK);
    let partners = app.get("/api/v1/partners", &hanbit).await.json();
    let id = partners["items"][0]["id"].as_str().unwrap().to_string();
    let r = app
        .call(
            Method::DELETE,
            &format!("/api/v1/partners/{id}"),
            Some(&hanbit),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.code(), "partner_type_requires_partner_action");
    assert!(r.json()["detail"]
        .as_str()
        .unwrap()
        .contains("Contact Contoso Partners Korea"));
    let mut c = Browser::new(&app);
    c.sign_in(CUSTOMER_KR_ADMIN, "").await;
    let detail = format!("/admin/billing/partners/{id}");
    let page = c.get(&detail).await.text();
    assert!(!page.contains("Delete partner") && page.contains("contact Contoso Partners Korea"));
    assert_eq!(
        c.get(&format!("{detail}/delete")).await.status,
        StatusCode::CONFLICT
    );

    // Only delegated admin: allowed, with a confirmation, for a Global admin only.
    app.accord
        .local_operator()
        .set_offered_types(
            "contoso-kr.example",
            &[
                accord_domain::PartnerType::Reseller,
                accord_domain::PartnerType::DelegatedAdmin,
            ],
        )
        .await
        .unwrap();
    let (_, us) = app
        .request(
            &app.token(PARTNER_US).await,
            json!({"include_admin_privileges": true, "types": ["delegated_admin"]}),
        )
        .await;
    let litware = app.token(CUSTOMER_US_ADMIN).await;
    assert_eq!(app.accept(&litware, &us).await.status, StatusCode::OK);
    let partners = app.get("/api/v1/partners", &litware).await.json();
    assert_eq!(partners["items"][0]["types"], json!(["delegated_admin"]));
    let fabrikam = partners["items"][0]["id"].as_str().unwrap().to_string();
    let user = app.token("user@litware.example").await;
    let r = app
        .call(
            Method::DELETE,
            &format!("/api/v1/partners/{fabrikam}"),
            Some(&user),
            None,
        )
        .await;
    assert_eq!(r.code(), "not_global_admin");
    let mut l = Browser::new(&app);
    l.sign_in(CUSTOMER_US_ADMIN, "").await;
    let detail = format!("/admin/billing/partners/{fabrikam}");
    let page = l.get(&detail).await.text();
    assert!(
        page.contains(&format!("href=\"{detail}/delete\"")) && page.contains("Delete partner…")
    );
    let ask = l.get(&format!("{detail}/delete")).await.text();
    assert!(
        ask.contains("Delete Fabrikam Solutions as your partner?")
            && ask.contains("every admin role")
    );
    let r = l
        .post(&format!("{detail}/delete"), &[("csrf", &csrf_of(&ask))])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let list = l.get(&location(&r)).await.text();
    assert!(list.contains("Fabrikam Solutions is no longer your partner."));
    assert!(
        !list.contains(&format!("href=\"{detail}\"")),
        "gone from the list"
    );
    let partners = app.get("/api/v1/partners", &litware).await.json();
    assert_eq!(partners["items"], json!([]));
    let fab = app.token(PARTNER_US).await;
    let customers = app.get("/api/v1/customers", &fab).await.json();
    assert_eq!(
        customers["items"],
        json!([]),
        "the partner's view follows at once"
    );
    let again = app
        .call(
            Method::DELETE,
            &format!("/api/v1/partners/{fabrikam}"),
            Some(&litware),
            None,
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'relationship.ended'")
            .await,
        2,
        "in both trails"
    );
}

/// Pages reached after a redirect show only what they look up, never text from their own
/// address.
#[tokio::test]
async fn notices_show_no_text_from_the_address() {
    let app = TestApp::new().await;
    let gov = app.token(PARTNER_GOV).await;
    let (_, token) = app
        .request(&gov, json!({"include_admin_privileges": true}))
        .await;
    let mut b = Browser::new(&app);
    let page = b
        .get(&format!(
            "/admin/invitations/{token}/signup/sent?to=Call%20us%20at%20555-0100"
        ))
        .await
        .text();
    assert!(
        !page.contains("Call us") && page.contains("We sent an e-mail about your organisation")
    );
    let mut c = Browser::new(&app);
    c.sign_in(CUSTOMER_KR_ADMIN, "").await;
    let list = c
        .get("/admin/billing/partners?deleted=Your%20bank%20called")
        .await
        .text();
    assert!(!list.contains("Your bank called"));
    let other = c
        .get(&format!(
            "/admin/billing/partners?deleted={}",
            accord_domain::TenantId::new()
        ))
        .await;
    assert_eq!(other.status, StatusCode::OK);
    assert!(
        !other.text().contains("is no longer your partner"),
        "not someone else's partner"
    );
}

/// F8: a partner names one of its users as a customer's support contact; the customer
/// sees it with the partner. Only for the partner's own users and its own customers.
#[tokio::test]
async fn a_partner_names_a_support_contact_the_customer_sees() {
    let app = TestApp::new().await;
    let kr = app.token(PARTNER_KR).await;
    let hanbit = app.token(CUSTOMER_KR_ADMIN).await;
    let (_, token) = app
        .request(&kr, json!({"include_admin_privileges": true}))
        .await;
    assert_eq!(app.accept(&hanbit, &token).await.status, StatusCode::OK);
    let customer_id = app.get("/api/v1/me", &hanbit).await.json()["tenant_id"]
        .as_str()
        .unwrap()
        .to_string();
    let helpdesk = app
        .get("/api/v1/me", &app.token(PARTNER_KR_HELPDESK).await)
        .await
        .json()["user_id"]
        .as_str()
        .unwrap()
        .to_string();

    // Portal: the partner admin picks the helpdesk agent.
    let mut p = Browser::new(&app);
    p.sign_in(PARTNER_KR, "").await;
    let page = p
        .get(&format!("/partner/customers/{customer_id}"))
        .await
        .text();
    assert!(page.contains("None named yet") && page.contains(&format!("value=\"{helpdesk}\"")));
    let r = p
        .post(
            &format!("/partner/customers/{customer_id}/support-contact"),
            &[("csrf", &csrf_of(&page)), ("user_id", &helpdesk)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let after = p.get(&location(&r)).await.text();
    assert!(
        after.contains("The support contact was saved")
            && after.contains("helpdesk@contoso-kr.example")
    );

    // The customer sees it, in the portal and the API.
    let partners = app.get("/api/v1/partners", &hanbit).await.json();
    let pid = partners["items"][0]["id"].as_str().unwrap().to_string();
    let d = app
        .get(&format!("/api/v1/partners/{pid}"), &hanbit)
        .await
        .json();
    assert_eq!(d["support_contact"]["email"], "helpdesk@contoso-kr.example");
    let mut c = Browser::new(&app);
    c.sign_in(CUSTOMER_KR_ADMIN, "").await;
    assert!(c
        .get(&format!("/admin/billing/partners/{pid}"))
        .await
        .text()
        .contains("helpdesk@contoso-kr.example"));

    // API: the helpdesk agent may not name one; nobody names another tenant's user, or
    // for another partner's customer.
    let hd = app.token(PARTNER_KR_HELPDESK).await;
    let url = format!("/api/v1/customers/{customer_id}/support-contact");
    let r = app
        .call(
            Method::PUT,
            &url,
            Some(&hd),
            Some(json!({"user_id": helpdesk})),
        )
        .await;
    assert_eq!(r.code(), "partner_role_required");
    let foreign_user = app.get("/api/v1/me", &hanbit).await.json()["user_id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .call(
            Method::PUT,
            &url,
            Some(&kr),
            Some(json!({"user_id": foreign_user})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let us = app.token(PARTNER_US).await;
    let r = app
        .call(
            Method::PUT,
            &url,
            Some(&us),
            Some(json!({"user_id": helpdesk})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "not its customer");
    let r = app
        .call(
            Method::PUT,
            &url,
            Some(&kr),
            Some(json!({"user_id": helpdesk})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["email"], "helpdesk@contoso-kr.example");
}
