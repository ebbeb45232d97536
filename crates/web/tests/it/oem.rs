//! The other partner types' work (SPEC F10): an OEM PC partner's device file, all or
//! nothing with row-numbered errors; line-of-business apps the partner keeps and the
//! customer approves; each partner sees only its own.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use serde_json::{json, Value};

use crate::support::*;

/// A base64 hardware hash unique to `n`.
pub fn hash(n: u32) -> String {
    use base64::Engine;
    let bytes: Vec<u8> = (0..48u32).map(|i| (n.wrapping_mul(31) ^ i) as u8).collect();
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

async fn upload(app: &TestApp, token: &str, customer: &str, csv: &str) -> Resp {
    app.send(
        Request::builder()
            .method(Method::POST)
            .uri(format!("/api/v1/customers/{customer}/devices"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "text/csv")
            .body(Body::from(csv.to_string()))
            .unwrap(),
    )
    .await
}

/// A partner (of `domain`, offering exactly `types`) with a relationship of `types` to
/// Hanbit; returns (partner token, customer
/// id as the partner sees it, Hanbit's token).
async fn related(
    app: &TestApp,
    domain: &str,
    partner: &str,
    types: Value,
) -> (String, String, String) {
    let offered: Vec<accord_domain::PartnerType> = types
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().parse().unwrap())
        .collect();
    app.accord
        .local_operator()
        .set_offered_types(domain, &offered)
        .await
        .unwrap();
    let hanbit = app.token(CUSTOMER_KR_ADMIN).await;
    let (_, token) = app
        .request(
            partner,
            json!({"types": types, "include_admin_privileges": false}),
        )
        .await;
    assert_eq!(app.accept(&hanbit, &token).await.status, StatusCode::OK);
    let customers = app.get("/api/v1/customers", partner).await.json();
    let id = items(&customers)
        .iter()
        .find(|c| c["name"] == "Hanbit Retail")
        .map(|c| c["id"].as_str().unwrap().to_string())
        .unwrap();
    (partner.to_string(), id, hanbit)
}

#[tokio::test]
async fn an_oem_partner_uploads_a_device_file_all_or_nothing() {
    let app = TestApp::new().await;
    let kr = app.token(PARTNER_KR).await;
    let (kr, customer, hanbit) = related(&app, "contoso-kr.example", &kr, json!(["oem_pc"])).await;

    // A bad row refuses the file; every bad row is named by its number.
    let bad = format!(
        "Device Serial Number,Windows Product ID,Hardware Hash\n\
         PF-001,00330-80000-00000-AA001,{}\n\
         PF-002,,not-a-hash\n\
         pf-001,,{}\n",
        hash(1),
        hash(3)
    );
    let r = upload(&app, &kr, &customer, &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(r.code(), "device_rows_invalid");
    let body = r.json();
    let rows: Vec<(i64, String, String)> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_i64().unwrap(),
                e["field"].as_str().unwrap().to_string(),
                e["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (3, "hardware_hash".into(), "hardware-hash".into()),
            (4, "serial_number".into(), "duplicate-row".into()),
        ]
    );
    assert!(body["detail"].as_str().unwrap().contains("2 rows"));
    assert!(body["errors"][1]["detail"]
        .as_str()
        .unwrap()
        .contains("Row 2"));
    assert_eq!(app.count("SELECT COUNT(*) FROM devices").await, 0);

    // The same file put right goes in whole.
    let good = format!(
        "Device Serial Number,Windows Product ID,Hardware Hash\n\
         PF-001,00330-80000-00000-AA001,{}\n\
         PF-002,,{}\n",
        hash(1),
        hash(2)
    );
    let r = upload(&app, &kr, &customer, &good).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["count"], 2);

    // Uploading a device again is refused, naming the row; nothing else goes in.
    let again = format!(
        "serial number,hardware hash\nPF-003,{}\npf-002,{}\n",
        hash(3),
        hash(9)
    );
    let r = upload(&app, &kr, &customer, &again).await;
    assert_eq!(r.code(), "device_rows_invalid");
    assert_eq!(r.json()["errors"][0]["row"], 3);
    assert_eq!(r.json()["errors"][0]["reason"], "device-registered");
    assert_eq!(app.count("SELECT COUNT(*) FROM devices").await, 2);

    // File-level problems.
    let r = upload(&app, &kr, &customer, "serial,product\nA,B\n").await;
    assert_eq!(r.code(), "invalid_input");
    assert_eq!(r.json()["field"], "file");
    let r = app
        .post(
            &format!("/api/v1/customers/{customer}/devices"),
            &kr,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);

    // Both sides list them; the customer sees the partner's name.
    let mine = app.get("/api/v1/devices", &hanbit).await.json();
    assert_eq!(items(&mine).len(), 2);
    assert_eq!(mine["items"][0]["partner_name"], "Contoso Partners Korea");
    let theirs = app
        .get(&format!("/api/v1/customers/{customer}/devices"), &kr)
        .await
        .json();
    assert_eq!(items(&theirs).len(), 2);
    assert_eq!(theirs["items"][1]["serial_number"], "PF-001");

    // A partner that is not an OEM PC partner cannot upload and sees none of them.
    let woori = app.second_kr_partner().await;
    let (woori, woori_customer, _) =
        related(&app, "woori-partners.example", &woori, json!(["reseller"])).await;
    assert_eq!(woori_customer, customer);
    let r = upload(&app, &woori, &customer, &good).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.code(), "partner_type_required");
    let r = app
        .get(&format!("/api/v1/customers/{customer}/devices"), &woori)
        .await;
    assert!(items(&r.json()).is_empty());

    // A partner without a relationship gets 404.
    let us = app.token(PARTNER_US).await;
    assert_eq!(
        upload(&app, &us, &customer, &good).await.status,
        StatusCode::NOT_FOUND
    );

    // Both trails record the upload.
    let events = app
        .get("/api/v1/audit-events?limit=200", &hanbit)
        .await
        .json();
    assert!(items(&events)
        .iter()
        .any(|e| e["action"] == "devices.registered" && e["details"]["count"] == 2));
}

#[tokio::test]
async fn a_lob_partner_keeps_apps_the_customer_approves() {
    let app = TestApp::new().await;
    let kr = app.token(PARTNER_KR).await;
    let (kr, customer, hanbit) = related(&app, "contoso-kr.example", &kr, json!(["lob"])).await;
    let base = format!("/api/v1/customers/{customer}/apps");

    let r = app
        .post(
            &base,
            &kr,
            json!({"name": "Hanbit Orders", "description": "Order entry for the sales team.",
                   "version": "1.0.0", "package_url": "https://apps.contoso-kr.example/orders-1.0.0.msix"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let a = r.json();
    let id = a["id"].as_str().unwrap().to_string();
    assert_eq!(a["status"], "draft");
    assert_eq!(a["current_version"], Value::Null);

    // The customer cannot approve a draft.
    let approve = format!("/api/v1/apps/{id}/approve");
    let r = app.call(Method::POST, &approve, Some(&hanbit), None).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.code(), "app_status_change");

    let submit = format!("{base}/{id}/submit");
    let r = app.call(Method::POST, &submit, Some(&kr), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["status"], "pending_approval");

    // No new version while one is pending; a user that is not Global admin cannot decide.
    let r = app
        .post(
            &format!("{base}/{id}/versions"),
            &kr,
            json!({"version": "1.1.0", "package_url": "https://apps.contoso-kr.example/o-1.1.msix"}),
        )
        .await;
    assert_eq!(r.code(), "app_status_change");
    let user = app.token(CUSTOMER_KR_USER).await;
    let r = app.call(Method::POST, &approve, Some(&user), None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let r = app.call(Method::POST, &approve, Some(&hanbit), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["current_version"], "1.0.0");
    assert_eq!(r.json()["versions"][0]["decided_by"], "Lee Seojun");

    // A second version, rejected with a reason; 1.0.0 stays in use.
    let r = app
        .post(
            &format!("{base}/{id}/versions"),
            &kr,
            json!({"version": "1.0.0", "package_url": "https://apps.contoso-kr.example/o.msix"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["field"], "version");
    let r = app
        .post(
            &format!("{base}/{id}/versions"),
            &kr,
            json!({"version": "1.1.0", "package_url": "http://apps.contoso-kr.example/o.msix"}),
        )
        .await;
    assert_eq!(r.json()["field"], "package_url");
    let r = app
        .post(
            &format!("{base}/{id}/versions"),
            &kr,
            json!({"version": "1.1.0", "package_url": "https://apps.contoso-kr.example/o-1.1.msix"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    app.call(Method::POST, &submit, Some(&kr), None).await;
    let r = app
        .post(
            &format!("/api/v1/apps/{id}/reject"),
            &hanbit,
            json!({"reason": "Crashes on start."}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let a = r.json();
    assert_eq!(a["status"], "rejected");
    assert_eq!(a["current_version"], "1.0.0");
    assert_eq!(a["versions"][0]["note"], "Crashes on start.");

    // The customer lists it with its partner; another partner sees nothing of it.
    let mine = app.get("/api/v1/apps", &hanbit).await.json();
    assert_eq!(mine["items"][0]["partner_name"], "Contoso Partners Korea");
    let woori = app.second_kr_partner().await;
    let (woori, _, _) = related(&app, "woori-partners.example", &woori, json!(["lob"])).await;
    assert!(items(&app.get(&base, &woori).await.json()).is_empty());
    for r in [
        app.get(&format!("{base}/{id}"), &woori).await,
        app.call(Method::POST, &submit, Some(&woori), None).await,
        app.call(
            Method::POST,
            &format!("{base}/{id}/retire"),
            Some(&woori),
            None,
        )
        .await,
    ] {
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());
    }

    // Retired: no more versions.
    let r = app
        .call(
            Method::POST,
            &format!("{base}/{id}/retire"),
            Some(&kr),
            None,
        )
        .await;
    assert_eq!(r.json()["status"], "retired");
    let r = app
        .post(
            &format!("{base}/{id}/versions"),
            &kr,
            json!({"version": "2.0", "package_url": "https://apps.contoso-kr.example/o-2.msix"}),
        )
        .await;
    assert_eq!(r.code(), "app_status_change");

    // A reseller-only partner cannot keep apps.
    let reseller = app
        .org_user(
            "Seoul Resellers",
            "seoul-resellers.example",
            "KR",
            accord_domain::Cloud::Public,
            true,
            "partner_admin",
        )
        .await;
    let (reseller, _, _) = related(
        &app,
        "seoul-resellers.example",
        &reseller,
        json!(["reseller"]),
    )
    .await;
    let r = app
        .post(
            &base,
            &reseller,
            json!({"name": "X", "description": "", "version": "1", "package_url": "https://x.example/a"}),
        )
        .await;
    assert_eq!(r.code(), "partner_type_required");
}

/// A multipart form post from the browser: the CSRF token and one file.
async fn upload_form(b: &mut Browser<'_>, uri: &str, csrf: &str, file: &str) -> Resp {
    let boundary = "----accord-test-boundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"devices.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n{file}\r\n--{boundary}--\r\n"
    );
    let req = Request::builder()
        .method(Method::POST)
        .uri(uri)
        .header(header::COOKIE, b.cookie_header())
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap();
    let r = b.app().send(req).await;
    b.remember(&r);
    r
}

#[tokio::test]
async fn the_portals_upload_devices_and_decide_on_apps() {
    let app = TestApp::new().await;
    let kr = app.token(PARTNER_KR).await;
    let (kr, customer, _) = related(
        &app,
        "contoso-kr.example",
        &kr,
        json!(["reseller", "oem_pc", "lob"]),
    )
    .await;
    let mut partner = Browser::new(&app);
    partner.sign_in(PARTNER_KR, "/partner").await;
    let page = partner.get(&format!("/partner/customers/{customer}")).await;
    let html = page.text();
    assert!(html.contains("Register and list devices"), "{html}");
    assert!(html.contains("New app"));

    // A file with a bad row: the page lists the row, nothing is registered.
    let url = format!("/partner/customers/{customer}/devices");
    let page = partner.get(&url).await;
    let csrf = csrf_of(&page.text());
    let bad = format!(
        "Device Serial Number,Windows Product ID,Hardware Hash\nPF-1,,{}\nPF-2,,###\n",
        hash(1)
    );
    let r = upload_form(&mut partner, &url, &csrf, &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let html = r.text();
    assert!(html.contains("role=\"alert\""));
    assert!(html.contains("<td>3</td><td>hardware hash</td>"), "{html}");
    assert_eq!(app.count("SELECT COUNT(*) FROM devices").await, 0);
    // Without the CSRF token: refused.
    let good = format!(
        "serial number,hardware hash\nPF-1,{}\nPF-2,{}\n",
        hash(1),
        hash(2)
    );
    let r = upload_form(&mut partner, &url, "forged", &good).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = upload_form(&mut partner, &url, &csrf, &good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = partner.get(&location(&r)).await.text();
    assert!(page.contains("2 devices were registered."), "{page}");
    assert!(page.contains("PF-2"));

    // The customer sees them in the Admin Center, in Korean too.
    let mut customer_browser = Browser::new(&app);
    customer_browser.sign_in(CUSTOMER_KR_ADMIN, "/admin").await;
    let html = customer_browser.get("/admin/devices").await.text();
    assert!(html.contains("PF-1") && html.contains("Contoso Partners Korea"));
    customer_browser.get("/lang/ko").await;
    let html = customer_browser.get("/admin/devices").await.text();
    assert!(html.contains("일련 번호"), "{html}");
    customer_browser.get("/lang/en").await;

    // An app: created, submitted from the portal, approved in the Admin Center.
    let page = partner
        .get(&format!("/partner/customers/{customer}/apps/new"))
        .await;
    let csrf = csrf_of(&page.text());
    let r = partner
        .post(
            &format!("/partner/customers/{customer}/apps"),
            &[
                ("csrf", &csrf),
                ("name", "Hanbit Orders"),
                ("description", "Orders."),
                ("version", "1.0"),
                ("package_url", "ftp://nope"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("aria-invalid=\"true\""));
    let r = partner
        .post(
            &format!("/partner/customers/{customer}/apps"),
            &[
                ("csrf", &csrf),
                ("name", "Hanbit Orders"),
                ("description", "Orders."),
                ("version", "1.0"),
                ("package_url", "https://apps.contoso-kr.example/orders.msix"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let app_url = location(&r).split('?').next().unwrap().to_string();
    let r = partner
        .post(&format!("{app_url}/submit"), &[("csrf", &csrf)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let app_id = app_url.rsplit('/').next().unwrap();
    let html = customer_browser
        .get(&format!("/admin/apps/{app_id}"))
        .await
        .text();
    assert!(
        html.contains("Version 1.0 waits for your decision"),
        "{html}"
    );
    let csrf_c = csrf_of(&html);
    let r = customer_browser
        .post(
            &format!("/admin/apps/{app_id}/approve"),
            &[("csrf", &csrf_c)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let html = customer_browser.get(&location(&r)).await.text();
    assert!(html.contains("The version was approved."));
    let html = customer_browser.get("/admin/apps").await.text();
    assert!(html.contains("Hanbit Orders"));

    // An ordinary user of the customer reads but cannot decide.
    let mut user = Browser::new(&app);
    user.sign_in(CUSTOMER_KR_USER, "/admin").await;
    let html = user.get(&format!("/admin/apps/{app_id}")).await.text();
    assert!(!html.contains("/approve"));
    let _ = kr;
}
