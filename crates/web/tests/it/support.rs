use std::sync::Arc;

use accord_service::demo;
use accord_service::outbox::{MailTransport, Mailer};
use accord_service::{Accord, FakeClock, ServiceConfig};
use accord_store::{SqlStore, Store};
use accord_test_support::smtp::{MailSink, ReceivedMail};
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use chrono::{TimeZone, Utc};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

pub const PARTNER_KR: &str = "admin@contoso-kr.example";
pub const PARTNER_KR_HELPDESK: &str = "helpdesk@contoso-kr.example";
pub const PARTNER_US: &str = "admin@fabrikam-us.example";
pub const PARTNER_GOV: &str = "admin@northwind-gov.example";
pub const CUSTOMER_KR_ADMIN: &str = "admin@hanbit.example";
pub const CUSTOMER_KR_USER: &str = "user@hanbit.example";
pub const CUSTOMER_US_ADMIN: &str = "admin@litware.example";
pub const CUSTOMER_GOV_ADMIN: &str = "admin@tailspin-gov.example";

pub struct TestApp {
    pub router: Router,
    pub accord: Accord,
    pub clock: Arc<FakeClock>,
    pub store: SqlStore,
    /// A real SMTP server on loopback; [`TestApp::deliver_mail`] sends the outbox to it.
    pub mail: MailSink,
    mailer: Mailer,
    _db: accord_test_support::TestDb,
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn code(&self) -> String {
        self.json()["code"].as_str().unwrap_or_default().to_string()
    }

    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    }
}

impl TestApp {
    pub async fn new() -> Self {
        Self::with_config(ServiceConfig::default()).await
    }

    /// A fresh database seeded with the demo world.
    pub async fn with_config(config: ServiceConfig) -> Self {
        let (store, db) = accord_test_support::fresh_store().await;
        let clock = Arc::new(FakeClock::new(
            Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0)
                .single()
                .expect("time"),
        ));
        let accord = Accord::new(Arc::new(store.clone()), clock.clone(), config);
        demo::seed(&accord).await.expect("seed demo world");
        // Follow the change feed as `accord serve` does, so the caches answer as in
        // production (they only do while the feed is followed).
        accord.catch_up().await.expect("read the change feed");
        accord
            .sync_directory()
            .await
            .expect("build the directory index");
        let follower = accord.clone();
        tokio::spawn(async move { follower.follow_changes(std::future::pending()).await });
        let router = accord_web::router(accord_web::AppState::new(accord.clone()));
        let mail = MailSink::start().await;
        let mailer = Mailer::new(
            &MailTransport::Smtp(mail.url()),
            "Accord <no-reply@accord.test>",
        )
        .expect("mailer");
        Self {
            router,
            accord,
            clock,
            store,
            mail,
            mailer,
            _db: db,
        }
    }

    /// Runs one delivery pass over SMTP and returns what the server received.
    pub async fn deliver_mail(&self) -> Vec<ReceivedMail> {
        self.accord
            .deliver_due_mail(&self.mailer)
            .await
            .expect("delivery pass");
        self.mail.drain().await
    }

    /// Creates an organisation with one user holding `role`, and returns a token for them.
    pub async fn org_user(
        &self,
        name: &str,
        domain: &str,
        country: &str,
        cloud: accord_domain::Cloud,
        is_partner: bool,
        role: &str,
    ) -> String {
        self.accord
            .local_operator()
            .create_tenant(&accord_service::NewTenant {
                name: name.into(),
                domain: domain.into(),
                country: country.into(),
                cloud,
                is_partner,
            })
            .await
            .expect("tenant");
        let email = format!("admin@{domain}");
        self.user(domain, &email, &[role]).await;
        self.token(&email).await
    }

    /// A second partner in Hanbit's country and cloud (Woori Cloud Partners), and a token
    /// of its partner admin.
    pub async fn second_kr_partner(&self) -> String {
        self.org_user(
            "Woori Cloud Partners",
            "woori-partners.example",
            "KR",
            accord_domain::Cloud::Public,
            true,
            "partner_admin",
        )
        .await
    }

    /// Creates a user with the given roles in an existing organisation.
    pub async fn user(&self, domain: &str, email: &str, roles: &[&str]) {
        self.accord
            .local_operator()
            .create_user(
                domain,
                &accord_service::NewUser {
                    email: email.into(),
                    display_name: None,
                    password: "a long password".into(),
                    roles: roles.iter().map(|r| r.parse().expect("role")).collect(),
                },
            )
            .await
            .expect("user");
    }

    pub async fn token(&self, email: &str) -> String {
        self.accord
            .local_operator()
            .create_api_token(email, "test", None)
            .await
            .expect("token")
    }

    pub async fn send(&self, req: Request<Body>) -> Resp {
        let res = self.router.clone().oneshot(req).await.expect("infallible");
        let status = res.status();
        let headers = res.headers().clone();
        let body = res
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes()
            .to_vec();
        Resp {
            status,
            headers,
            body,
        }
    }

    pub async fn call(
        &self,
        method: Method,
        uri: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Resp {
        let mut b = Request::builder().method(method).uri(uri);
        if let Some(t) = token {
            b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let req = match body {
            Some(v) => b
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(v.to_string())),
            None => b.body(Body::empty()),
        }
        .expect("request");
        self.send(req).await
    }

    pub async fn get(&self, uri: &str, token: &str) -> Resp {
        self.call(Method::GET, uri, Some(token), None).await
    }

    pub async fn post(&self, uri: &str, token: &str, body: Value) -> Resp {
        self.call(Method::POST, uri, Some(token), Some(body)).await
    }

    /// Creates a request as `partner` and returns (request id, token).
    pub async fn request(&self, partner_token: &str, body: Value) -> (String, String) {
        let r = self
            .post("/api/v1/relationship-requests", partner_token, body)
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let j = r.json();
        let link = j["link"].as_str().expect("link");
        let token = link.rsplit('/').next().expect("token").to_string();
        (j["id"].as_str().expect("id").to_string(), token)
    }

    pub async fn accept(&self, customer_token: &str, invitation: &str) -> Resp {
        self.post(
            &format!("/api/v1/invitations/{invitation}/accept"),
            customer_token,
            serde_json::json!({"accept_agreement": true}),
        )
        .await
    }

    /// Runs a read-only SQL count against the test database.
    pub async fn count(&self, sql: &str) -> i64 {
        let _ = self.store.backend();
        sqlx_count(&self.store, sql).await
    }
}

async fn sqlx_count(store: &SqlStore, sql: &str) -> i64 {
    store.scalar_i64(sql).await.expect("count query")
}

pub fn items(v: &Value) -> Vec<Value> {
    v["items"].as_array().cloned().unwrap_or_default()
}

pub fn names(v: &Value) -> Vec<String> {
    items(v)
        .iter()
        .map(|i| i["name"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// A minimal browser: one cookie jar.
pub struct Browser<'a> {
    app: &'a TestApp,
    pub cookies: Vec<(String, String)>,
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Self {
            app,
            cookies: Vec::new(),
        }
    }

    pub fn app(&self) -> &'a TestApp {
        self.app
    }

    pub fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub fn remember(&mut self, r: &Resp) {
        for v in r.headers.get_all(header::SET_COOKIE) {
            let s = v.to_str().unwrap();
            let (kv, _) = s.split_once(';').unwrap_or((s, ""));
            let (k, v) = kv.split_once('=').unwrap();
            self.cookies.retain(|(n, _)| n != k);
            if !v.is_empty() {
                self.cookies.push((k.to_string(), v.to_string()));
            }
        }
    }

    pub async fn get(&mut self, uri: &str) -> Resp {
        let req = Request::builder()
            .uri(uri)
            .header(header::COOKIE, self.cookie_header())
            .body(Body::empty())
            .unwrap();
        let r = self.app.send(req).await;
        self.remember(&r);
        r
    }

    pub async fn post(&mut self, uri: &str, form: &[(&str, &str)]) -> Resp {
        let body = form
            .iter()
            .map(|(k, v)| format!("{k}={}", accord_web::api::mailto_encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let req = Request::builder()
            .method(Method::POST)
            .uri(uri)
            .header(header::COOKIE, self.cookie_header())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        let r = self.app.send(req).await;
        self.remember(&r);
        r
    }

    pub async fn sign_in(&mut self, email: &str, next: &str) -> Resp {
        let page = self
            .get(&format!(
                "/signin?next={}",
                accord_web::api::mailto_encode(next)
            ))
            .await;
        let csrf = csrf_of(&page.text());
        self.post(
            "/signin",
            &[
                ("email", email),
                ("password", "accord-demo"),
                ("csrf", &csrf),
                ("next", next),
            ],
        )
        .await
    }
}

pub fn csrf_of(html: &str) -> String {
    let i =
        html.find(r#"name="csrf" value=""#).expect("a csrf field") + r#"name="csrf" value=""#.len();
    html[i..].split('"').next().unwrap().to_string()
}

pub fn location(r: &Resp) -> String {
    r.header("location")
}
