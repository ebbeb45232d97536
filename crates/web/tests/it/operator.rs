//! The operator console (`/operator`): clouds, the agreement, organisations and what a
//! partner may offer, regions, the catalogue and the service-request queue, each change
//! recorded with the operator's name.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::*;

const OPERATOR: &str = "operator@accord-operations.example";

#[tokio::test]
async fn the_console_changes_the_providers_settings_with_the_operators_name() {
    let app = TestApp::new().await;
    let mut op = Browser::new(&app);
    op.sign_in(OPERATOR, "/operator").await;
    let home = op.get("/operator").await;
    assert_eq!(home.status, StatusCode::OK);
    let csrf = csrf_of(&home.text());
    assert!(home.text().contains("Operator console"));

    // A cloud's portal: the links and name of invitation e-mails follow at once.
    let r = op
        .post(
            "/operator/clouds/public",
            &[
                ("csrf", &csrf),
                ("portal_name", "Hanbit Cloud Admin"),
                ("base_url", "ftp://nope"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("role=\"alert\""));
    let r = op
        .post(
            "/operator/clouds/public",
            &[
                ("csrf", &csrf),
                ("portal_name", "Hanbit Cloud Admin"),
                ("base_url", "https://admin.accord.example/"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let kr = app.token(PARTNER_KR).await;
    let created = app
        .post(
            "/api/v1/relationship-requests",
            &kr,
            json!({"include_admin_privileges": true}),
        )
        .await
        .json();
    assert!(created["link"]
        .as_str()
        .unwrap()
        .starts_with("https://admin.accord.example/admin/invitations/"));
    assert!(created["email"]["body"]
        .as_str()
        .unwrap()
        .contains("Hanbit Cloud Admin"));

    // What a partner may offer.
    let page = op
        .get("/operator/tenants?q=contoso&kind=partner")
        .await
        .text();
    assert!(page.contains("Contoso Partners Korea"));
    assert!(!page.contains("Hanbit Retail"));
    let i = page.find("/operator/tenants/").unwrap();
    let href: String = page[i..].chars().take_while(|c| *c != '"').collect();
    let r = op
        .post(
            &format!("{href}/offered-types"),
            &[("csrf", &csrf), ("type", "reseller"), ("type", "lob")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let r = app
        .post(
            "/api/v1/relationship-requests",
            &kr,
            json!({"types": ["lob"], "include_admin_privileges": false}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());

    // A new agreement version, only with the box ticked.
    let r = op
        .post(
            "/operator/agreements",
            &[
                ("csrf", &csrf),
                ("title", "Customer Agreement 2"),
                ("body", "Terms."),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = op
        .post(
            "/operator/agreements",
            &[
                ("csrf", &csrf),
                ("title", "Customer Agreement 2"),
                ("body", "Terms."),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(op
        .get("/operator/agreements")
        .await
        .text()
        .contains("version 2"));

    // A region and a product.
    let r = op
        .post(
            "/operator/regions",
            &[
                ("csrf", &csrf),
                ("country", "JP"),
                ("region", "asia_pacific"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = op
        .post(
            "/operator/products",
            &[
                ("csrf", &csrf),
                ("sku", "kiosk-std"),
                ("name", "Kiosk Standard"),
                ("billing", "per_seat"),
                ("max", "50"),
                ("cloud", "public"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let products = app.get("/api/v1/products?limit=200", &kr).await.json();
    assert!(items(&products).iter().any(|p| p["sku"] == "KIOSK-STD"));

    // Every change above is in the activity, with the operator's name.
    let page = op.get("/operator").await.text();
    for what in [
        "Cloud portal set",
        "Partner types set",
        "Agreement version published",
        "Region set",
        "Product saved",
    ] {
        assert!(page.contains(what), "{what} missing");
    }
    assert!(page.contains("Olivia Operator"));

    // The queue: a partner's request, moved on with a comment.
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
    let sr = app
        .post(
            &format!("/api/v1/customers/{customer}/service-requests"),
            &kr,
            json!({"title": "Mail stopped", "description": "Since 9:00.", "severity": "high"}),
        )
        .await
        .json();
    let page = op.get("/operator/support?status=new").await.text();
    assert!(page.contains("Mail stopped"));
    let url = format!(
        "/operator/support/{customer}/{}",
        sr["id"].as_str().unwrap()
    );
    let r = op
        .post(
            &url,
            &[
                ("csrf", &csrf),
                ("status", "in_progress"),
                ("body", "Looking."),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let got = app
        .get(
            &format!(
                "/api/v1/customers/{customer}/service-requests/{}",
                sr["id"].as_str().unwrap()
            ),
            &kr,
        )
        .await
        .json();
    assert_eq!(got["status"], "in_progress");
    assert_eq!(got["comments"][0]["author_name"], "Olivia Operator");
    // A move the queue does not allow is refused on the page.
    let r = op
        .post(&url, &[("csrf", &csrf), ("status", "new"), ("body", "")])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text().contains("role=\"alert\""), "the refusal is shown");

    // In Korean too.
    op.get("/lang/ko").await;
    assert!(op
        .get("/operator/clouds")
        .await
        .text()
        .contains("운영자 콘솔"));
}
