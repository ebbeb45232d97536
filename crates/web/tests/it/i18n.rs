//! Two languages everywhere: no page template holds literal text, every message a page or
//! handler names exists in English and Korean, and the language follows the switcher's
//! cookie, then `Accept-Language`, then the operator's default.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};

use crate::support::*;

fn templates() -> Vec<(String, String)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
    let mut v: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    v.sort();
    assert!(v.len() >= 15);
    v
}

/// Removes everything between `open` and `close`.
fn strip(s: &str, open: &str, close: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find(open) {
        out.push_str(&rest[..i]);
        match rest[i..].find(close) {
            Some(j) => rest = &rest[i + j + close.len()..],
            None => {
                rest = "";
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn templates_hold_no_literal_text() {
    for (name, src) in templates() {
        let no_code = strip(&strip(&strip(&src, "{%", "%}"), "{{", "}}"), "{#", "#}");
        // Words people read inside attributes.
        for attr in ["aria-label=\"", "placeholder=\"", "title=\"", "alt=\""] {
            let mut rest = no_code.as_str();
            while let Some(i) = rest.find(attr) {
                let v = &rest[i + attr.len()..];
                let end = v.find('"').unwrap_or(v.len());
                assert!(
                    !v[..end].chars().any(char::is_alphabetic),
                    "{name}: literal text in {attr}…\": {:?}",
                    &v[..end]
                );
                rest = &v[end..];
            }
        }
        let text = strip(&no_code, "<", ">");
        let text = strip(&text, "&", ";");
        let words: String = text.chars().filter(|c| c.is_alphabetic()).collect();
        assert!(
            words.is_empty(),
            "{name} holds literal text: {:?}",
            text.split_whitespace()
                .filter(|w| w.chars().any(char::is_alphabetic))
                .collect::<Vec<_>>()
        );
    }
}

/// Every message id quoted after one of `calls` in `src`.
fn ids_after(src: &str, calls: &[&str]) -> Vec<String> {
    let mut ids = Vec::new();
    for call in calls {
        let mut rest = src;
        while let Some(i) = rest.find(call) {
            let v = &rest[i + call.len()..];
            if let Some(end) = v.find('"') {
                ids.push(v[..end].to_string());
            }
            rest = v;
        }
    }
    ids
}

#[test]
fn every_message_a_page_names_exists_in_both_languages() {
    let mut ids = Vec::new();
    for (_, src) in templates() {
        ids.extend(ids_after(
            &src,
            &["chrome.t(\"", "chrome.t1(\"", "chrome.t2(\""],
        ));
    }
    let src_dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/ui");
    for e in std::fs::read_dir(src_dir).unwrap() {
        let src = std::fs::read_to_string(e.unwrap().path()).unwrap();
        ids.extend(ids_after(
            &src,
            &["i18n::t(\"", "i18n::ta(\n                \"", "i18n::ta(\""],
        ));
    }
    ids.sort();
    ids.dedup();
    assert!(ids.len() > 100, "found {} ids", ids.len());
    for l in accord_domain::Locale::ALL {
        for id in &ids {
            assert!(accord_i18n::has(l, id), "message {id} is missing in {l}");
        }
    }
}

async fn get_with(app: &TestApp, uri: &str, headers: &[(&str, &str)]) -> Resp {
    let mut b = Request::builder().uri(uri);
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    app.send(b.body(Body::empty()).unwrap()).await
}

#[tokio::test]
async fn the_language_follows_the_switcher_then_the_browser_then_the_default() {
    let app = TestApp::new().await;
    let en = get_with(&app, "/signin", &[]).await.text();
    assert!(en.contains(r#"<html lang="en">"#) && en.contains("Sign in"));
    let ko = get_with(&app, "/signin", &[("accept-language", "ko-KR,ko;q=0.9")]).await;
    assert_eq!(ko.header("content-language"), "ko");
    let ko = ko.text();
    assert!(ko.contains(r#"<html lang="ko">"#) && ko.contains("로그인") && ko.contains("암호"));
    assert!(
        !ko.contains(">Sign in<"),
        "no English left on a Korean page"
    );

    // The switcher remembers the choice and goes back where it was.
    let r = get_with(&app, "/lang/ko?next=/agreement", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/agreement");
    let cookie = r.header("set-cookie");
    assert!(cookie.starts_with("accord_lang=ko;") && cookie.contains("Max-Age=31536000"));
    let chosen = get_with(
        &app,
        "/signin",
        &[("cookie", "accord_lang=ko"), ("accept-language", "en")],
    )
    .await
    .text();
    assert!(chosen.contains(r#"<html lang="ko">"#), "the cookie wins");
    assert!(
        chosen.contains(r#"href="/lang/en?next=%2Fsignin""#),
        "switch back"
    );
    // Not a way off the site, and not a language it does not speak.
    let r = get_with(&app, "/lang/ko?next=//evil.example/", &[]).await;
    assert_eq!(location(&r), "/");
    assert_eq!(
        get_with(&app, "/lang/fr", &[]).await.status,
        StatusCode::NOT_FOUND
    );

    let config = accord_service::ServiceConfig {
        default_locale: accord_domain::Locale::Ko,
        ..Default::default()
    };
    let korean_default = TestApp::with_config(config).await;
    let page = get_with(&korean_default, "/", &[("accept-language", "fr")]).await;
    assert!(
        page.text().contains(r#"<html lang="ko">"#),
        "the operator's default"
    );
    let page = get_with(
        &korean_default,
        "/nope",
        &[(header::ACCEPT_LANGUAGE.as_str(), "en")],
    )
    .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.text().contains("There is no such page."));
}

#[tokio::test]
async fn a_korean_partner_drafts_a_korean_invitation_and_may_choose_english() {
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
                ("email_language", "ko"),
            ],
        )
        .await;
    let draft = if r.status == StatusCode::SEE_OTHER {
        b.get(&location(&r)).await.text()
    } else {
        r.text()
    };
    assert!(draft.contains("재판매인 관계를 요청합니다"), "{draft}");
    assert!(draft.contains("위임된 관리자 권한"));
    let token = app.token(PARTNER_KR).await;
    let req = Request::builder()
        .method("POST")
        .uri("/api/v1/relationship-requests")
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .header("accept-language", "ko")
        .body(Body::from(r#"{"include_admin_privileges": false}"#))
        .unwrap();
    let j = app.send(req).await.json();
    assert!(
        j["email"]["subject"].as_str().unwrap().contains("재판매인"),
        "the reader's language by default"
    );
    let r = app
        .post(
            "/api/v1/relationship-requests",
            &token,
            serde_json::json!({"include_admin_privileges": false, "email_language": "en"}),
        )
        .await;
    assert!(r.json()["email"]["subject"]
        .as_str()
        .unwrap()
        .contains("invites you"));
}
