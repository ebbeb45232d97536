//! F9 service requests: opened by a partner for a customer (also without admin roles),
//! read by the customer, worked by the provider's operators; another partner sees none.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::support::*;

const OPERATOR: &str = "operator@accord-operations.example";

#[tokio::test]
async fn partners_open_operators_work_customers_read() {
    let app = TestApp::new().await;
    let kr = app.token(PARTNER_KR).await;
    let hanbit = app.token(CUSTOMER_KR_ADMIN).await;
    let (_, token) = app
        .request(&kr, json!({"include_admin_privileges": true}))
        .await;
    assert_eq!(app.accept(&hanbit, &token).await.status, StatusCode::OK);
    let customer = app.get("/api/v1/customers", &kr).await.json()["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let partner = app.get("/api/v1/partners", &hanbit).await.json()["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();

    // Without admin roles: the partner is still responsible for support.
    let r = app
        .post(
            &format!("/api/v1/partners/{partner}/remove-admin-roles"),
            &hanbit,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let url = format!("/api/v1/customers/{customer}/service-requests");
    for (body, field) in [
        (
            json!({"title": " ", "description": "x", "severity": "high"}),
            "title",
        ),
        (
            json!({"title": "t", "description": "", "severity": "high"}),
            "description",
        ),
        (
            json!({"title": "t".repeat(201), "description": "x", "severity": "high"}),
            "title",
        ),
    ] {
        let r = app.post(&url, &kr, body).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert_eq!(r.json()["field"], field);
    }
    let r = app
        .post(
            &url,
            &kr,
            json!({"title": "t", "description": "d", "severity": "urgent"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .post(
            &url,
            &kr,
            json!({"title": "Mail stopped", "description": "No mail since 9:00.", "severity": "critical"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let sr = r.json();
    assert_eq!(sr["status"], "new");
    assert_eq!(sr["opened_by"], "Kim Minji");
    let id = sr["id"].as_str().unwrap().to_string();
    // The helpdesk opens them too; a sales agent does not.
    let helpdesk = app.token(PARTNER_KR_HELPDESK).await;
    let r = app
        .post(
            &url,
            &helpdesk,
            json!({"title": "Password", "description": "Locked out.", "severity": "low"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    app.user(
        "contoso-kr.example",
        "sales@contoso-kr.example",
        &["sales_agent"],
    )
    .await;
    let sales = app.token("sales@contoso-kr.example").await;
    let r = app
        .post(
            &url,
            &sales,
            json!({"title": "x", "description": "y", "severity": "low"}),
        )
        .await;
    assert_eq!(r.code(), "partner_role_required");

    // The customer reads its cases.
    let mine = app.get("/api/v1/service-requests", &hanbit).await.json();
    assert_eq!(items(&mine).len(), 2);
    assert_eq!(mine["items"][1]["title"], "Mail stopped");
    assert_eq!(mine["items"][1]["partner_name"], "Contoso Partners Korea");

    // Another partner of the customer sees none of them.
    let other = app.second_kr_partner().await;
    let (_, token) = app
        .request(
            &other,
            json!({"types": ["reseller"], "include_admin_privileges": false}),
        )
        .await;
    assert_eq!(app.accept(&hanbit, &token).await.status, StatusCode::OK);
    assert!(items(&app.get(&url, &other).await.json()).is_empty());
    assert_eq!(
        app.get(&format!("{url}/{id}"), &other).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.post(
            &format!("{url}/{id}/comments"),
            &other,
            json!({"body": "hi"})
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );

    // Operators work the queue; nobody else may.
    assert_eq!(
        app.get("/api/v1/operator/service-requests", &kr)
            .await
            .code(),
        "operator_role_required"
    );
    let op = app.token(OPERATOR).await;
    let queue = app
        .get("/api/v1/operator/service-requests?status=new", &op)
        .await
        .json();
    assert_eq!(items(&queue).len(), 2);
    let one = format!("/api/v1/operator/service-requests/{customer}/{id}");
    let patch = |body: serde_json::Value| {
        let op = op.clone();
        let one = one.clone();
        let app = &app;
        async move { app.call(Method::PATCH, &one, Some(&op), Some(body)).await }
    };
    let r =
        patch(json!({"status": "in_progress", "comment": "Looking at the mail servers."})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["status"], "in_progress");
    assert_eq!(r.json()["comments"][0]["author_name"], "Olivia Operator");
    let r = patch(json!({"status": "new"})).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.code(), "service_request_status_change");
    assert!(r.json()["detail"]
        .as_str()
        .unwrap()
        .contains("\"In progress\" cannot become \"New\""));
    let r = app
        .post(
            &format!("{url}/{id}/comments"),
            &kr,
            json!({"body": "Thanks; urgent please."}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.json()["comments"][1]["author_kind"], "partner");
    assert_eq!(
        patch(json!({"status": "resolved"})).await.status,
        StatusCode::OK
    );
    assert_eq!(
        patch(json!({"status": "closed"})).await.status,
        StatusCode::OK
    );
    assert_eq!(
        patch(json!({"status": "in_progress"})).await.code(),
        "service_request_status_change"
    );
    let seen = app
        .get(&format!("/api/v1/service-requests/{id}"), &hanbit)
        .await
        .json();
    assert_eq!(seen["status"], "closed");
    assert_eq!(seen["comments"].as_array().unwrap().len(), 2);
    assert_eq!(
        app.get(
            &format!("/api/v1/service-requests/{id}"),
            &app.token(CUSTOMER_US_ADMIN).await
        )
        .await
        .status,
        StatusCode::NOT_FOUND,
        "another organisation's case"
    );
    let events = app
        .get(
            &format!("/api/v1/audit-events?counterpart_id={partner}"),
            &hanbit,
        )
        .await
        .json();
    assert!(items(&events)
        .iter()
        .any(|e| e["action"] == "service_request.status_changed"));
    assert!(items(&events)
        .iter()
        .any(|e| e["action"] == "service_request.opened"));

    // Once the relationship ends, the partner no longer reaches the customer's cases;
    // the customer still reads them.
    let r = app
        .call(
            Method::DELETE,
            &format!("/api/v1/customers/{customer}"),
            Some(&kr),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    assert_eq!(app.get(&url, &kr).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        items(&app.get("/api/v1/service-requests", &hanbit).await.json()).len(),
        2
    );
}

/// The portals: the partner opens a request from the customer's page and comments on
/// it; the customer reads it under Billing › Service requests, with the operator's answer.
#[tokio::test]
async fn the_portals_open_and_read_service_requests() {
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
    let customer = app.get("/api/v1/customers", &kr).await.json()["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let base = format!("/partner/customers/{customer}");

    let mut p = Browser::new(&app);
    p.sign_in(PARTNER_KR, "/partner").await;
    let html = p.get(&base).await.text();
    assert!(html.contains("No service requests yet.") && html.contains("Open a service request"));
    let form = p.get(&format!("{base}/service-requests/new")).await.text();
    assert!(form.contains("New service request for Hanbit Retail"));
    let csrf = csrf_of(&form);
    let r = p
        .post(
            &format!("{base}/service-requests"),
            &[
                ("csrf", &csrf),
                ("title", "  "),
                ("description", "Mail is down."),
                ("severity", "high"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains(r#"id="title-error""#) && r.text().contains("Mail is down."));
    let r = p
        .post(
            &format!("{base}/service-requests"),
            &[
                ("csrf", &csrf),
                ("title", "Mail stopped"),
                ("description", "No mail since 9:00.\nUrgent."),
                ("severity", "critical"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let detail = location(&r);
    let html = p.get(&detail).await.text();
    assert!(html.contains("The service request was opened.") && html.contains("Critical"));
    let r = p
        .post(
            &format!("{}/comments", detail.split('?').next().unwrap()),
            &[("csrf", &csrf), ("body", "Any news?")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(p.get(&base).await.text().contains("Mail stopped"));

    // The operator answers (command line or API); the customer reads it all.
    let id: accord_domain::ServiceRequestId = detail
        .split("/service-requests/")
        .nth(1)
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    app.accord
        .local_operator()
        .update_service_request(
            customer.parse().unwrap(),
            id,
            Some(accord_domain::ServiceRequestStatus::InProgress),
            Some("We are on it."),
        )
        .await
        .unwrap();
    let mut c = Browser::new(&app);
    c.sign_in(CUSTOMER_KR_ADMIN, "/admin").await;
    let list = c.get("/admin/support").await.text();
    assert!(list.contains("Mail stopped") && list.contains("In progress"));
    let html = c.get(&format!("/admin/support/{id}")).await.text();
    assert!(html.contains("Any news?") && html.contains("We are on it."));
    assert!(
        html.contains("Operator, the provider&#39;s support"),
        "{html}"
    );
    assert!(!html.contains("Add comment"), "the customer reads only");
    c.get("/lang/ko?next=/admin/support").await;
    assert!(c.get("/admin/support").await.text().contains("진행 중"));
}
