//! Delegated administration (issue 9): the customer's directory run by its own admins and
//! by partner agents with roles both granted and assigned; revocation on the next
//! request; partial approval and role changes; partner activity.

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::*;

pub const AGENT: &str = "agent@contoso-kr.example";

/// Contoso KR with a granular grant of `roles` for 90 days in Hanbit (approving
/// `approved` of them when given), and an admin agent. Returns (partner admin token,
/// agent token, Hanbit's id, Hanbit's Global admin token).
pub async fn delegated(
    app: &TestApp,
    roles: Value,
    approved: Option<Value>,
) -> (String, String, String, String) {
    let partner = app.token(PARTNER_KR).await;
    app.user("contoso-kr.example", AGENT, &["admin_agent"])
        .await;
    let agent = app.token(AGENT).await;
    let hanbit = app.token(CUSTOMER_KR_ADMIN).await;
    let (_, token) = app
        .request(
            &partner,
            json!({"include_admin_privileges": true, "admin_roles": roles, "duration_days": 90}),
        )
        .await;
    let mut body = json!({"accept_agreement": true});
    if let Some(a) = approved {
        body["approved_roles"] = a;
    }
    let r = app
        .post(
            &format!("/api/v1/invitations/{token}/accept"),
            &hanbit,
            body,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let me = app.get("/api/v1/me", &hanbit).await.json();
    let customer = me["tenant_id"].as_str().unwrap().to_string();
    (partner, agent, customer, hanbit)
}

pub async fn agent_id(app: &TestApp, token: &str) -> String {
    app.get("/api/v1/me", token).await.json()["user_id"]
        .as_str()
        .unwrap()
        .to_string()
}

pub async fn assign(
    app: &TestApp,
    partner: &str,
    customer: &str,
    agent: &str,
    roles: Value,
) -> Resp {
    app.post(
        &format!("/api/v1/customers/{customer}/access-assignments"),
        partner,
        json!({"agent_id": agent, "roles": roles}),
    )
    .await
}

async fn hanbit_user(app: &TestApp, customer: &str) -> String {
    let list = app
        .get(
            &format!("/api/v1/customers/{customer}/users?q=user@"),
            &app.token(CUSTOMER_KR_ADMIN).await,
        )
        .await
        .json();
    items(&list)[0]["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_customer_admin_runs_its_directory() {
    let app = TestApp::new().await;
    let ga = app.token(CUSTOMER_KR_ADMIN).await;
    let me = app.get("/api/v1/me", &ga).await.json();
    let own = me["tenant_id"].as_str().unwrap().to_string();
    let users = format!("/api/v1/customers/{own}/users");

    let r = app
        .post(&users, &ga, json!({"email": "Mina.Park@Hanbit.example", "display_name": "Mina Park", "roles": ["user_admin"]}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let created = r.json();
    let pw = created["temporary_password"].as_str().unwrap().to_string();
    assert_eq!(pw.len(), 19, "four groups of four");
    let mina = created["user"]["id"].as_str().unwrap().to_string();
    assert_eq!(created["user"]["email"], "mina.park@hanbit.example");
    assert_eq!(created["user"]["password_temporary"], true);
    // Shown once: reading the user never shows it.
    assert!(!app
        .get(&format!("{users}/{mina}"), &ga)
        .await
        .text()
        .contains(&pw));

    let again = app
        .post(
            &users,
            &ga,
            json!({"email": "mina.park@hanbit.example", "display_name": "M", "roles": []}),
        )
        .await;
    assert_eq!(
        (again.status, again.code()),
        (StatusCode::CONFLICT, "email_taken".into())
    );

    let list = app.get(&format!("{users}?limit=2"), &ga).await.json();
    assert_eq!(items(&list).len(), 2);
    assert!(list["next_cursor"].is_string());

    // A User admin manages users but not admins, nor admin roles.
    app.user("hanbit.example", "ua@hanbit.example", &["user_admin"])
        .await;
    let ua = app.token("ua@hanbit.example").await;
    let plain = app
        .post(
            &users,
            &ua,
            json!({"email": "jun@hanbit.example", "display_name": "Jun", "roles": ["user"]}),
        )
        .await;
    assert_eq!(plain.status, StatusCode::CREATED, "{}", plain.text());
    let jun = plain.json()["user"]["id"].as_str().unwrap().to_string();
    let admin = app
        .post(
            &users,
            &ua,
            json!({"email": "x@hanbit.example", "display_name": "X", "roles": ["global_admin"]}),
        )
        .await;
    assert_eq!(
        (admin.status, admin.code()),
        (StatusCode::FORBIDDEN, "capability_required".into())
    );
    let reset_admin = app
        .post(&format!("{users}/{mina}/reset-password"), &ua, json!({}))
        .await;
    assert_eq!(reset_admin.code(), "capability_required");
    let reset = app
        .post(&format!("{users}/{jun}/reset-password"), &ua, json!({}))
        .await;
    assert_eq!(reset.status, StatusCode::OK, "{}", reset.text());

    // A plain user reads nothing.
    let user = app.token(CUSTOMER_KR_USER).await;
    assert_eq!(app.get(&users, &user).await.code(), "capability_required");

    // Disable, rename, delete; the Global admin cannot remove itself.
    let patch = app
        .call(
            Method::PATCH,
            &format!("{users}/{jun}"),
            Some(&ga),
            Some(json!({"display_name": "Jun Seo", "disabled": true})),
        )
        .await;
    assert_eq!(patch.status, StatusCode::OK, "{}", patch.text());
    assert_eq!(patch.json()["disabled"], true);
    let ga_id = me["user_id"].as_str().unwrap();
    let demote = app
        .call(
            Method::PATCH,
            &format!("{users}/{ga_id}"),
            Some(&ga),
            Some(json!({"roles": ["user"]})),
        )
        .await;
    assert_eq!(demote.code(), "own_account");
    let del = app
        .call(Method::DELETE, &format!("{users}/{jun}"), Some(&ga), None)
        .await;
    assert_eq!(del.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get(&format!("{users}/{jun}"), &ga).await.status,
        StatusCode::NOT_FOUND
    );

    // Another customer's admin sees nothing of it: 403 not_a_partner.
    let litware = app.token(CUSTOMER_US_ADMIN).await;
    assert_eq!(app.get(&users, &litware).await.code(), "not_a_partner");
}

#[tokio::test]
async fn an_agent_acts_with_roles_granted_and_assigned_and_loses_them_on_the_next_request() {
    let app = TestApp::new().await;
    let (partner, agent, customer, hanbit) =
        delegated(&app, json!(["helpdesk_admin", "license_admin"]), None).await;
    let users = format!("/api/v1/customers/{customer}/users");
    let target = hanbit_user(&app, &customer).await;
    let reset = format!("{users}/{target}/reset-password");

    // Granted, but not assigned yet: refused, and the partner is told nobody holds it.
    assert_eq!(
        app.post(&reset, &agent, json!({})).await.code(),
        "capability_required"
    );
    let access = app
        .get(
            &format!("/api/v1/customers/{customer}/access-assignments"),
            &partner,
        )
        .await
        .json();
    assert_eq!(access["unassigned"], true);

    let agent_id = agent_id(&app, &agent).await;
    let not_granted = assign(&app, &partner, &customer, &agent_id, json!(["user_admin"])).await;
    assert_eq!(
        not_granted.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        not_granted.text()
    );
    let a = assign(
        &app,
        &partner,
        &customer,
        &agent_id,
        json!(["helpdesk_admin"]),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let assignment = a.json()["id"].as_str().unwrap().to_string();

    let r = app.post(&reset, &agent, json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.json()["temporary_password"].is_string());
    // Helpdesk admin does not create users, nor reset an admin's password.
    let create = app
        .post(
            &users,
            &agent,
            json!({"email": "new@hanbit.example", "display_name": "New", "roles": []}),
        )
        .await;
    assert_eq!(create.code(), "capability_required");
    let ga_id = agent_id_of(&app, &hanbit).await;
    assert_eq!(
        app.post(
            &format!("{users}/{ga_id}/reset-password"),
            &agent,
            json!({})
        )
        .await
        .code(),
        "capability_required"
    );

    // The customer sees who did what.
    let activity = app.get("/api/v1/partner-activity", &hanbit).await.json();
    let acts = items(&activity);
    assert_eq!(acts.len(), 4, "{activity}");
    let done = acts.iter().find(|a| a["outcome"] == "succeeded").unwrap();
    assert_eq!(done["action"], "directory_user.password_reset");
    assert_eq!(done["agent_email"], AGENT);
    assert_eq!(done["partner_name"], "Contoso Partners Korea");
    assert_eq!(done["roles_used"], json!(["helpdesk_admin"]));
    assert!(done["request_id"].is_string());
    assert!(acts
        .iter()
        .any(|a| a["outcome"] == "denied" && a["action"] == "directory_user.created"));
    // A refusal names its target as the customer knows it.
    assert_eq!(acts[0]["target_label"], "Lee Seojun (admin@hanbit.example)");
    let csv = app.get("/api/v1/partner-activity/export", &hanbit).await;
    assert!(csv.header("content-type").starts_with("text/csv"));
    assert_eq!(csv.text().lines().count(), 5, "{}", csv.text());
    assert!(csv.text().contains("Choi Yuna (user@hanbit.example)"));

    // A rule's failure after the role check passed names the roles used.
    let nobody = format!("{users}/{}/reset-password", uuid::Uuid::now_v7());
    assert_eq!(
        app.post(&nobody, &agent, json!({})).await.code(),
        "not_found"
    );
    let newest = &items(&app.get("/api/v1/partner-activity", &hanbit).await.json())[0];
    assert_eq!(
        (
            &newest["outcome"],
            &newest["error_code"],
            &newest["roles_used"]
        ),
        (
            &json!("failed"),
            &json!("not_found"),
            &json!(["helpdesk_admin"])
        ),
        "{newest}"
    );

    // The agents who acted are listed once each, and filter the activity.
    let agents = app
        .get("/api/v1/partner-activity/agents", &hanbit)
        .await
        .json();
    let listed = agents["items"].as_array().unwrap();
    let me = listed
        .iter()
        .find(|a| a["agent_email"] == AGENT)
        .unwrap_or_else(|| panic!("{agents}"));
    assert_eq!(me["partner_name"], "Contoso Partners Korea");
    let emails: Vec<_> = listed.iter().map(|a| &a["agent_email"]).collect();
    let mut unique = emails.clone();
    unique.dedup();
    assert_eq!(emails, unique, "each agent once");
    let agent_uuid = me["agent_id"].as_str().unwrap().to_string();
    let mine = app
        .get(
            &format!("/api/v1/partner-activity?agent_id={agent_uuid}"),
            &hanbit,
        )
        .await
        .json();
    let mine = items(&mine);
    assert!(!mine.is_empty() && mine.iter().all(|a| a["agent_email"] == AGENT));
    assert_eq!(
        app.get("/api/v1/partner-activity/agents", &agent)
            .await
            .status,
        StatusCode::FORBIDDEN,
        "reading the record needs audit_read"
    );
    // The Admin Center offers the same agents and filters by one.
    let mut b = Browser::new(&app);
    b.sign_in("admin@hanbit.example", "/admin/partner-activity")
        .await;
    let page = b
        .get(&format!("/admin/partner-activity?agent={agent_uuid}"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(
        html.contains(&format!(r#"<option value="{agent_uuid}" selected>"#)),
        "{html}"
    );
    assert_eq!(
        html.matches("<tr>").count() - 1,
        mine.len(),
        "one row per action of the agent (and the header row)"
    );

    // The assignment goes: the very next request is refused.
    let del = app
        .call(
            Method::DELETE,
            &format!("/api/v1/customers/{customer}/access-assignments/{assignment}"),
            Some(&partner),
            None,
        )
        .await;
    assert_eq!(del.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.post(&reset, &agent, json!({})).await.code(),
        "capability_required"
    );

    // Assigned again, then the customer removes the admin roles: refused at once.
    assert_eq!(
        assign(
            &app,
            &partner,
            &customer,
            &agent_id,
            json!(["helpdesk_admin"])
        )
        .await
        .status,
        StatusCode::OK
    );
    assert_eq!(
        app.post(&reset, &agent, json!({})).await.status,
        StatusCode::OK
    );
    let partner_id = agent_tenant(&app, &partner).await;
    let removed = app
        .post(
            &format!("/api/v1/partners/{partner_id}/remove-admin-roles"),
            &hanbit,
            json!({}),
        )
        .await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.text());
    assert_eq!(
        app.post(&reset, &agent, json!({})).await.code(),
        "capability_required"
    );

    // A partner with no relationship learns nothing: 404.
    let woori = app.second_kr_partner().await;
    assert_eq!(app.get(&users, &woori).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.post(&reset, &woori, json!({})).await.status,
        StatusCode::NOT_FOUND
    );
}

async fn agent_id_of(app: &TestApp, token: &str) -> String {
    agent_id(app, token).await
}

async fn agent_tenant(app: &TestApp, token: &str) -> String {
    app.get("/api/v1/me", token).await.json()["tenant_id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The grant as the partner's customers list and the customer's partners list show it.
async fn both(app: &TestApp, partner: &str, hanbit: &str) -> [Value; 2] {
    let c = app.get("/api/v1/customers", partner).await.json();
    let p = app.get("/api/v1/partners", hanbit).await.json();
    [items(&c)[0].clone(), items(&p)[0].clone()]
}

/// A portal page's text as the user sees it.
async fn portal_text(app: &TestApp, path: &str, email: &str) -> String {
    let mut b = Browser::new(app);
    b.sign_in(email, path).await;
    b.get(path).await.text()
}

#[tokio::test]
async fn grants_expire_by_themselves() {
    let app = TestApp::new().await;
    let (partner, agent, customer, hanbit) = delegated(&app, json!(["helpdesk_admin"]), None).await;
    let agent_id = agent_id(&app, &agent).await;
    // Both sides see the grant's status and end: the partner in its customers list, the
    // customer in its partners list, in the API and in the portals.
    for r in both(&app, &partner, &hanbit).await {
        assert_eq!(r["admin_status"], "active", "{r}");
        assert!(r["admin_ends_at"].is_string() && r["admin_ended_at"].is_null());
    }
    assert!(
        portal_text(&app, "/partner/customers", "admin@contoso-kr.example")
            .await
            .contains("Active · ")
    );
    app.clock.advance(chrono::Duration::days(70));
    for r in both(&app, &partner, &hanbit).await {
        assert_eq!(r["admin_status"], "expiring", "{r}");
    }
    assert!(
        portal_text(&app, "/admin/billing/partners", "admin@hanbit.example")
            .await
            .contains("Expiring · ")
    );
    app.clock.advance(chrono::Duration::days(-70));
    assert_eq!(
        assign(
            &app,
            &partner,
            &customer,
            &agent_id,
            json!(["helpdesk_admin"])
        )
        .await
        .status,
        StatusCode::OK
    );
    let users = format!("/api/v1/customers/{customer}/users");
    assert_eq!(app.get(&users, &agent).await.status, StatusCode::OK);
    app.clock.advance(chrono::Duration::days(91));
    assert_eq!(app.get(&users, &agent).await.code(), "capability_required");
    for r in both(&app, &partner, &hanbit).await {
        assert_eq!(r["admin_status"], "expired", "{r}");
        assert!(
            r["admin_ends_at"].is_null() && r["admin_ended_at"].is_string(),
            "{r}"
        );
    }
    assert!(
        portal_text(&app, "/admin/billing/partners", "admin@hanbit.example")
            .await
            .contains("Expired on ")
    );
}

#[tokio::test]
async fn a_customer_approves_a_subset_and_consents_to_added_roles_only() {
    let app = TestApp::new().await;
    let (partner, agent, customer, hanbit) = delegated(
        &app,
        json!(["user_admin", "helpdesk_admin", "license_admin"]),
        Some(json!(["helpdesk_admin"])),
    )
    .await;
    let rel = |v: &Value| v.clone();
    let partners = app.get("/api/v1/partners", &hanbit).await.json();
    let mine = rel(&items(&partners)[0]);
    assert_eq!(mine["admin_roles"], json!(["helpdesk_admin"]));
    assert_eq!(
        mine["requested_roles"],
        json!(["user_admin", "helpdesk_admin", "license_admin"])
    );

    let agent_id = agent_id(&app, &agent).await;
    let refused = assign(&app, &partner, &customer, &agent_id, json!(["user_admin"])).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The partner asks for user admin too; it waits for consent and gives nothing yet.
    let change = app
        .post(
            &format!("/api/v1/customers/{customer}/admin-roles"),
            &partner,
            json!({"roles": ["helpdesk_admin", "user_admin"]}),
        )
        .await;
    assert_eq!(change.status, StatusCode::OK, "{}", change.text());
    assert_eq!(change.json()["pending_roles"], json!(["user_admin"]));
    assert_eq!(
        assign(&app, &partner, &customer, &agent_id, json!(["user_admin"]))
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // The customer's partners list points at the roles awaiting its consent.
    let list = portal_text(&app, "/admin/billing/partners", "admin@hanbit.example").await;
    assert!(
        list.contains("Roles awaiting your consent: User admin"),
        "{list}"
    );

    let partner_id = agent_tenant(&app, &partner).await;
    let ok = app
        .post(
            &format!("/api/v1/partners/{partner_id}/admin-roles/approve"),
            &hanbit,
            json!({}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text());
    assert_eq!(
        ok.json()["admin_roles"],
        json!(["user_admin", "helpdesk_admin"])
    );
    assert_eq!(
        app.post(
            &format!("/api/v1/partners/{partner_id}/admin-roles/approve"),
            &hanbit,
            json!({})
        )
        .await
        .code(),
        "no_pending_roles"
    );
    assert_eq!(
        assign(&app, &partner, &customer, &agent_id, json!(["user_admin"]))
            .await
            .status,
        StatusCode::OK
    );
    let create = app
        .post(
            &format!("/api/v1/customers/{customer}/users"),
            &agent,
            json!({"email": "n@hanbit.example", "display_name": "N", "roles": []}),
        )
        .await;
    assert_eq!(create.status, StatusCode::CREATED, "{}", create.text());
}

#[tokio::test]
async fn licences_are_assigned_within_seats() {
    let app = TestApp::new().await;
    let ga = app.token(CUSTOMER_KR_ADMIN).await;
    let own = agent_tenant(&app, &ga).await;
    // Contoso (a reseller) sells Hanbit two seats.
    let partner = app.token(PARTNER_KR).await;
    let (_, token) = app
        .request(&partner, json!({"include_admin_privileges": false}))
        .await;
    assert_eq!(app.accept(&ga, &token).await.status, StatusCode::OK);
    let products = app.get("/api/v1/products", &partner).await.json();
    let sku = items(&products)
        .into_iter()
        .find(|p| p["billing"] == "per_seat")
        .unwrap()["sku"]
        .as_str()
        .unwrap()
        .to_string();
    let sub = app
        .post(
            &format!("/api/v1/customers/{own}/subscriptions"),
            &partner,
            json!({"sku": sku, "quantity": 2}),
        )
        .await;
    assert_eq!(sub.status, StatusCode::CREATED, "{}", sub.text());
    let sub = sub.json()["id"].as_str().unwrap().to_string();

    let users = format!("/api/v1/customers/{own}/users");
    let mut ids = Vec::new();
    for i in 0..3 {
        let r = app
            .post(&users, &ga, json!({"email": format!("seat{i}@hanbit.example"), "display_name": format!("Seat {i}"), "roles": []}))
            .await;
        ids.push(r.json()["user"]["id"].as_str().unwrap().to_string());
    }
    for id in &ids[..2] {
        let r = app
            .post(
                &format!("{users}/{id}/licenses"),
                &ga,
                json!({"subscription_id": sub}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    }
    let third = app
        .post(
            &format!("{users}/{}/licenses", ids[2]),
            &ga,
            json!({"subscription_id": sub}),
        )
        .await;
    assert_eq!(
        (third.status, third.code()),
        (StatusCode::CONFLICT, "seats_exhausted".into())
    );
    let lic = app
        .get(&format!("/api/v1/customers/{own}/licenses"), &ga)
        .await
        .json();
    let l = items(&lic)
        .into_iter()
        .find(|l| l["subscription_id"] == sub.as_str())
        .unwrap();
    assert_eq!(
        (
            l["seats"].as_u64(),
            l["assigned"].as_u64(),
            l["available"].as_u64()
        ),
        (Some(2), Some(2), Some(0))
    );
    let freed = app
        .call(
            Method::DELETE,
            &format!("{users}/{}/licenses/{sub}", ids[0]),
            Some(&ga),
            None,
        )
        .await;
    assert_eq!(freed.status, StatusCode::OK);
    assert_eq!(
        app.post(
            &format!("{users}/{}/licenses", ids[2]),
            &ga,
            json!({"subscription_id": sub})
        )
        .await
        .status,
        StatusCode::OK
    );

    // Both seats are held: the partner cannot take one away, and nothing changes.
    let patch = |q: u32| {
        let (app, partner, url) = (
            &app,
            &partner,
            format!("/api/v1/customers/{own}/subscriptions/{sub}"),
        );
        async move {
            app.call(
                Method::PATCH,
                &url,
                Some(partner),
                Some(json!({"quantity": q})),
            )
            .await
        }
    };
    let fewer = patch(1).await;
    assert_eq!(
        (fewer.status, fewer.code()),
        (StatusCode::CONFLICT, "seats_in_use".into()),
        "{}",
        fewer.text()
    );
    assert!(fewer.json()["detail"].as_str().unwrap().contains('2'));
    let lic = app
        .get(&format!("/api/v1/customers/{own}/licenses"), &ga)
        .await
        .json();
    let seats = items(&lic)
        .into_iter()
        .find(|l| l["subscription_id"] == sub.as_str())
        .unwrap()["seats"]
        .as_u64();
    assert_eq!(seats, Some(2), "refused whole");
    // Once a licence is removed, the seat can go.
    app.call(
        Method::DELETE,
        &format!("{users}/{}/licenses/{sub}", ids[1]),
        Some(&ga),
        None,
    )
    .await;
    assert_eq!(patch(1).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_temporary_password_must_be_replaced_before_the_user_is_signed_in() {
    let app = TestApp::new().await;
    let hanbit = app.token(CUSTOMER_KR_ADMIN).await;
    let me = app.get("/api/v1/me", &hanbit).await.json();
    let customer = me["tenant_id"].as_str().unwrap().to_string();
    let target = hanbit_user(&app, &customer).await;
    let users = format!("/api/v1/customers/{customer}/users");
    let r = app
        .post(
            &format!("{users}/{target}/reset-password"),
            &hanbit,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let temporary = r.json()["temporary_password"].as_str().unwrap().to_string();

    // The right temporary password opens the change form, not a session.
    let mut b = Browser::new(&app);
    let form = b.get("/signin?next=/admin/users").await.text();
    let csrf = csrf_of(&form);
    let page = b
        .post(
            "/signin",
            &[
                ("email", CUSTOMER_KR_USER),
                ("password", &temporary),
                ("csrf", &csrf),
                ("next", "/admin/users"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    let html = page.text();
    assert!(html.contains("Choose a new password"), "{html}");
    assert!(html.contains(r#"action="/signin/password""#));
    assert!(
        !b.cookie_header().contains("accord_session"),
        "no session yet"
    );
    let refused = app
        .accord
        .sign_in_with_password(CUSTOMER_KR_USER, &temporary, "test")
        .await
        .unwrap_err();
    assert_eq!(
        refused.to_string(),
        accord_domain::DomainError::PasswordChangeRequired.to_string()
    );
    // A wrong temporary password is an ordinary failed sign-in.
    let wrong = b
        .post(
            "/signin",
            &[
                ("email", CUSTOMER_KR_USER),
                ("password", "not the password"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);

    for (current, new, again, status, says) in [
        (
            "TEMP",
            "a new secret 1",
            "a new secret 2",
            StatusCode::UNPROCESSABLE_ENTITY,
            "not the same",
        ),
        (
            "TEMP",
            "short",
            "short",
            StatusCode::UNPROCESSABLE_ENTITY,
            "at least 10",
        ),
        (
            "wrong one!",
            "a new secret 1",
            "a new secret 1",
            StatusCode::UNAUTHORIZED,
            "not correct",
        ),
    ] {
        let current = if current == "TEMP" {
            &temporary
        } else {
            current
        };
        let r = change_password(&mut b, &csrf, current, new, again).await;
        assert_eq!(r.status, status, "{}", r.text());
        assert!(r.text().contains(says), "{}", r.text());
        assert!(r.text().contains("Choose a new password"), "the form again");
    }
    let same = b
        .post(
            "/signin/password",
            &[
                ("email", CUSTOMER_KR_USER),
                ("current_password", &temporary),
                ("new_password", &temporary),
                ("new_password_confirm", &temporary),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(same.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(same
        .text()
        .contains("different from the one you signed in with"));
    // Still nothing changed.
    assert!(app
        .accord
        .sign_in_with_password(CUSTOMER_KR_USER, &temporary, "test")
        .await
        .is_err());

    let ok = change_password(&mut b, &csrf, &temporary, "my own secret", "my own secret").await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text());
    assert_eq!(location(&ok), "/admin/users");
    assert!(b.cookie_header().contains("accord_session"), "signed in");
    app.accord
        .sign_in_with_password(CUSTOMER_KR_USER, "my own secret", "test")
        .await
        .expect("the new password signs in");
    assert!(app
        .accord
        .sign_in_with_password(CUSTOMER_KR_USER, &temporary, "test")
        .await
        .is_err());
    let user = app.get(&format!("{users}/{target}"), &hanbit).await.json();
    assert_eq!(user["password_temporary"], false);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'user.password_changed'")
            .await,
        1
    );
    // In Korean too.
    let mut ko = Browser::new(&app);
    ko.cookies.push(("accord_lang".into(), "ko".into()));
    let r = app
        .post(
            &format!("{users}/{target}/reset-password"),
            &hanbit,
            json!({}),
        )
        .await;
    let temporary = r.json()["temporary_password"].as_str().unwrap().to_string();
    let csrf = csrf_of(&ko.get("/signin").await.text());
    let page = ko
        .post(
            "/signin",
            &[
                ("email", CUSTOMER_KR_USER),
                ("password", &temporary),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert!(page.text().contains("새 암호 선택"), "{}", page.text());
}

async fn change_password(
    b: &mut Browser<'_>,
    csrf: &str,
    current: &str,
    new: &str,
    again: &str,
) -> Resp {
    b.post(
        "/signin/password",
        &[
            ("email", CUSTOMER_KR_USER),
            ("current_password", current),
            ("new_password", new),
            ("new_password_confirm", again),
            ("csrf", csrf),
            ("next", "/admin/users"),
        ],
    )
    .await
}

/// The organisation's history is for the roles that allow `audit_read` (ROLES.md): a
/// Global reader reads it and Partner activity; a plain user reads neither.
#[tokio::test]
async fn a_global_reader_reads_the_history_and_a_plain_user_does_not() {
    let app = TestApp::new().await;
    app.user(
        "hanbit.example",
        "reader@hanbit.example",
        &["global_reader"],
    )
    .await;
    let reader = app.token("reader@hanbit.example").await;
    for path in ["/api/v1/audit-events", "/api/v1/partner-activity"] {
        let r = app.get(path, &reader).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text());
    }
    let plain = app.token(CUSTOMER_KR_USER).await;
    for path in ["/api/v1/audit-events", "/api/v1/partner-activity"] {
        assert_eq!(
            app.get(path, &plain).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
}
