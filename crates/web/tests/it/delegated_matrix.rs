//! Every delegated route × every kind of caller (issue 9), guest accounts included: each
//! answer is what the rule says, and a refused write leaves its target as it was. Runs on both backends.

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

use crate::directory::{agent_id, assign};
use crate::support::*;

/// What a caller may do in Hanbit's directory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    Unauthenticated,
    NotFound,
    /// Allowed exactly the capabilities of these roles.
    Roles(&'static [&'static str]),
}

const ALL_THREE: &[&str] = &["user_admin", "helpdesk_admin", "license_admin"];
const NOTHING: &[&str] = &[];

/// One delegated route: its capability, as `docs/ROLES.md` names it.
struct Route {
    name: &'static str,
    method: Method,
    capability: &'static str,
}

fn routes() -> Vec<Route> {
    let r = |name, method, capability| Route {
        name,
        method,
        capability,
    };
    vec![
        r("list users", Method::GET, "users_read"),
        r("create user", Method::POST, "users_write"),
        r("read user", Method::GET, "users_read"),
        r("update user", Method::PATCH, "users_write"),
        r("delete user", Method::DELETE, "users_write"),
        r("reset password", Method::POST, "passwords_reset_users"),
        r("list licences", Method::GET, "licenses_read"),
        r("assign licence", Method::POST, "licenses_assign"),
        r("remove licence", Method::DELETE, "licenses_assign"),
    ]
}

fn role_allows(role: &str, capability: &str) -> bool {
    let role: accord_domain::DirectoryRole = role.parse().expect("role");
    role.capabilities().iter().any(|c| c.as_str() == capability)
}

struct World {
    app: TestApp,
    ga: String,
    customer: String,
    subscription: String,
    victims: u32,
}

impl World {
    /// A plain user of Hanbit, made by its Global admin; with a licence when asked.
    async fn victim(&mut self, licensed: bool) -> String {
        self.victims += 1;
        let n = self.victims;
        let r = self
            .app
            .post(
                &format!("/api/v1/customers/{}/users", self.customer),
                &self.ga,
                json!({"email": format!("victim{n}@hanbit.example"), "display_name": format!("Victim {n}"), "roles": ["user"]}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let id = r.json()["user"]["id"].as_str().unwrap().to_string();
        if licensed {
            let l = self
                .app
                .post(
                    &format!("/api/v1/customers/{}/users/{id}/licenses", self.customer),
                    &self.ga,
                    json!({"subscription_id": self.subscription}),
                )
                .await;
            assert_eq!(l.status, StatusCode::OK, "{}", l.text());
        }
        id
    }

    /// Calls `route` as `token`; returns the answer and the target user it acted on.
    async fn call(&mut self, route: &Route, token: Option<&str>) -> (Resp, Option<String>) {
        let c = self.customer.clone();
        let users = format!("/api/v1/customers/{c}/users");
        let n = self.victims + 1;
        let (uri, body, target) = match route.name {
            "list users" => (users, None, None),
            "create user" => {
                self.victims += 1;
                (
                    users,
                    Some(
                        json!({"email": format!("new{n}@hanbit.example"), "display_name": "New", "roles": ["user"]}),
                    ),
                    None,
                )
            }
            "read user" => {
                let v = self.victim(false).await;
                (format!("{users}/{v}"), None, Some(v))
            }
            "update user" => {
                let v = self.victim(false).await;
                (
                    format!("{users}/{v}"),
                    Some(json!({"display_name": "Renamed"})),
                    Some(v),
                )
            }
            "delete user" => {
                let v = self.victim(false).await;
                (format!("{users}/{v}"), None, Some(v))
            }
            "reset password" => {
                let v = self.victim(false).await;
                (
                    format!("{users}/{v}/reset-password"),
                    Some(json!({})),
                    Some(v),
                )
            }
            "list licences" => (format!("/api/v1/customers/{c}/licenses"), None, None),
            "assign licence" => {
                let v = self.victim(false).await;
                (
                    format!("{users}/{v}/licenses"),
                    Some(json!({"subscription_id": self.subscription})),
                    Some(v),
                )
            }
            "remove licence" => {
                let v = self.victim(true).await;
                (
                    format!("{users}/{v}/licenses/{}", self.subscription),
                    None,
                    Some(v),
                )
            }
            other => panic!("no such route {other}"),
        };
        let r = self.app.call(route.method.clone(), &uri, token, body).await;
        (r, target)
    }

    /// The target as the customer's Global admin sees it: (exists, name, licences).
    async fn target(&self, id: &str) -> (bool, String, usize) {
        let r = self
            .app
            .get(
                &format!("/api/v1/customers/{}/users/{id}", self.customer),
                &self.ga,
            )
            .await;
        if r.status == StatusCode::NOT_FOUND {
            return (false, String::new(), 0);
        }
        let j = r.json();
        (
            true,
            j["display_name"].as_str().unwrap_or_default().to_string(),
            j["licenses"].as_array().map_or(0, Vec::len),
        )
    }

    /// Tries every route as `token` and checks each answer against `expect`.
    async fn check(&mut self, who: &str, token: Option<&str>, expect: Expect) {
        for route in routes() {
            let before_victims = self.victims;
            let (r, target) = self.call(&route, token).await;
            let cell = format!("{who} × {}: {} {}", route.name, r.status, r.text());
            let allowed = match expect {
                Expect::Unauthenticated => {
                    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{cell}");
                    false
                }
                Expect::NotFound => {
                    assert_eq!(r.status, StatusCode::NOT_FOUND, "{cell}");
                    false
                }
                Expect::Roles(roles) => {
                    let allowed = roles.iter().any(|r| role_allows(r, route.capability));
                    if allowed {
                        assert!(r.status.is_success(), "{cell}");
                    } else {
                        assert_eq!(
                            (r.status, r.code()),
                            (StatusCode::FORBIDDEN, "capability_required".to_string()),
                            "{cell}"
                        );
                    }
                    allowed
                }
            };
            // A refused write changed nothing; an allowed one did what it says.
            if let Some(t) = target {
                let (exists, name, licences) = self.target(&t).await;
                let n = before_victims + 1;
                match (route.name, allowed) {
                    ("delete user", true) => assert!(!exists, "{cell}"),
                    ("update user", true) => assert_eq!(name, "Renamed", "{cell}"),
                    ("assign licence", true) => assert_eq!(licences, 1, "{cell}"),
                    ("remove licence", true) => assert_eq!(licences, 0, "{cell}"),
                    ("assign licence", false) => assert_eq!(licences, 0, "{cell}"),
                    ("remove licence", false) => assert_eq!(licences, 1, "{cell}"),
                    _ => {
                        assert!(exists, "{cell}");
                        assert_eq!(name, format!("Victim {n}"), "{cell}");
                    }
                }
            }
            if route.name == "create user" {
                let made = self
                    .app
                    .get(
                        &format!(
                            "/api/v1/customers/{}/users?q=new{}@",
                            self.customer, self.victims
                        ),
                        &self.ga,
                    )
                    .await
                    .json();
                assert_eq!(items(&made).len(), usize::from(allowed), "{cell}");
            }
        }
    }
}

/// Requests `roles` for 90 days with `types`, accepted approving `approved`.
async fn grant(
    app: &TestApp,
    partner: &str,
    ga: &str,
    types: Value,
    roles: Value,
    approved: Value,
) {
    let (_, token) = app
        .request(
            partner,
            json!({"include_admin_privileges": true, "types": types, "admin_roles": roles, "duration_days": 90}),
        )
        .await;
    let r = app
        .post(
            &format!("/api/v1/invitations/{token}/accept"),
            ga,
            json!({"accept_agreement": true, "approved_roles": approved}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
}

async fn staff(app: &TestApp, domain: &str, local: &str, role: &str) -> String {
    let email = format!("{local}@{domain}");
    app.user(domain, &email, &[role]).await;
    app.token(&email).await
}

#[tokio::test]
async fn every_delegated_route_answers_every_kind_of_caller_as_the_rule_says() {
    let app = TestApp::new().await;
    let ga = app.token(CUSTOMER_KR_ADMIN).await;
    let plain = app.token(CUSTOMER_KR_USER).await;
    let customer = app.get("/api/v1/me", &ga).await.json()["tenant_id"]
        .as_str()
        .unwrap()
        .to_string();

    // Contoso: reseller, delegated admin with three roles, all approved, and Partner; it
    // sells Hanbit 300 seats.
    {
        use accord_domain::PartnerType::*;
        app.accord
            .local_operator()
            .set_offered_types("contoso-kr.example", &[Reseller, DelegatedAdmin, Partner])
            .await
            .unwrap();
    }
    let contoso = app.token(PARTNER_KR).await;
    grant(
        &app,
        &contoso,
        &ga,
        json!(["reseller", "delegated_admin", "partner"]),
        json!(ALL_THREE),
        json!(ALL_THREE),
    )
    .await;
    let d = "contoso-kr.example";
    let admin_agent = staff(&app, d, "aa", "admin_agent").await;
    let helpdesk_agent = staff(&app, d, "ha", "helpdesk_agent").await;
    let admin_only = staff(&app, d, "pa", "partner_admin").await;
    let admin_agent_unassigned = staff(&app, d, "aa2", "admin_agent").await;
    let helpdesk_unassigned = staff(&app, d, "ha2", "helpdesk_agent").await;
    let sales_agent = staff(&app, d, "sa", "sales_agent").await;
    // A guest account: User admin given by the customer, no assignment.
    let guest = staff(&app, d, "gu", "helpdesk_agent").await;
    let contoso_id = app.get("/api/v1/me", &contoso).await.json()["tenant_id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .post(
            &format!("/api/v1/partners/{contoso_id}/guests"),
            &ga,
            json!({"email": format!("gu@{d}"), "roles": ["user_admin"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    for t in [&contoso, &admin_agent, &helpdesk_agent] {
        let id = agent_id(&app, t).await;
        let r = assign(&app, &contoso, &customer, &id, json!(ALL_THREE)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    }
    let sa = agent_id(&app, &sales_agent).await;
    let r = assign(&app, &contoso, &customer, &sa, json!(["helpdesk_admin"])).await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a sales agent is not assignable"
    );
    let products = app.get("/api/v1/products", &contoso).await.json();
    let sku = items(&products)
        .into_iter()
        .find(|p| p["billing"] == "per_seat")
        .unwrap()["sku"]
        .as_str()
        .unwrap()
        .to_string();
    let sub = app
        .post(
            &format!("/api/v1/customers/{customer}/subscriptions"),
            &contoso,
            json!({"sku": sku, "quantity": 300}),
        )
        .await;
    assert_eq!(sub.status, StatusCode::CREATED, "{}", sub.text());
    let subscription = sub.json()["id"].as_str().unwrap().to_string();

    // Woori: asked for User admin and Helpdesk admin, granted Helpdesk admin only.
    let woori = app.second_kr_partner().await;
    grant(
        &app,
        &woori,
        &ga,
        json!(["delegated_admin"]),
        json!(["user_admin", "helpdesk_admin"]),
        json!(["helpdesk_admin"]),
    )
    .await;
    let woori_agent = staff(&app, "woori-partners.example", "agent", "helpdesk_agent").await;
    let id = agent_id(&app, &woori_agent).await;
    assert_eq!(
        assign(&app, &woori, &customer, &id, json!(["helpdesk_admin"]))
            .await
            .status,
        StatusCode::OK
    );

    // Adatum: delegated admin only, Helpdesk admin, to be deleted by the customer.
    let adatum = app.token("admin@adatum-kr.example").await;
    grant(
        &app,
        &adatum,
        &ga,
        json!(["delegated_admin"]),
        json!(["helpdesk_admin"]),
        json!(["helpdesk_admin"]),
    )
    .await;
    let id = agent_id(&app, &adatum).await;
    assert_eq!(
        assign(&app, &adatum, &customer, &id, json!(["helpdesk_admin"]))
            .await
            .status,
        StatusCode::OK
    );
    let stranger = app.token(PARTNER_US).await;

    let mut w = World {
        app,
        ga: ga.clone(),
        customer: customer.clone(),
        subscription,
        victims: 0,
    };
    use Expect::*;
    w.check("anonymous", None, Unauthenticated).await;
    w.check("customer user", Some(&plain), Roles(NOTHING)).await;
    w.check("customer Global admin", Some(&ga), Roles(&["global_admin"]))
        .await;
    w.check("partner admin, assigned", Some(&contoso), Roles(ALL_THREE))
        .await;
    w.check(
        "admin agent, assigned",
        Some(&admin_agent),
        Roles(ALL_THREE),
    )
    .await;
    w.check(
        "helpdesk agent, assigned",
        Some(&helpdesk_agent),
        Roles(ALL_THREE),
    )
    .await;
    w.check(
        "partner admin, unassigned",
        Some(&admin_only),
        Roles(NOTHING),
    )
    .await;
    w.check(
        "admin agent, unassigned",
        Some(&admin_agent_unassigned),
        Roles(NOTHING),
    )
    .await;
    w.check(
        "helpdesk agent, unassigned",
        Some(&helpdesk_unassigned),
        Roles(NOTHING),
    )
    .await;
    w.check("sales agent", Some(&sales_agent), Roles(NOTHING))
        .await;
    w.check(
        "guest account, unassigned",
        Some(&guest),
        Roles(&["user_admin"]),
    )
    .await;
    w.check("another partner's agent", Some(&stranger), NotFound)
        .await;
    w.check(
        "partially approved, without User admin",
        Some(&woori_agent),
        Roles(&["helpdesk_admin"]),
    )
    .await;
    w.check(
        "relationship about to be deleted",
        Some(&adatum),
        Roles(&["helpdesk_admin"]),
    )
    .await;

    // The customer removes Woori's admin roles and deletes Adatum.
    let partners = w.app.get("/api/v1/partners", &ga).await.json();
    let id_of = |name: &str| {
        items(&partners)
            .into_iter()
            .find(|p| p["name"].as_str().unwrap_or_default().contains(name))
            .unwrap_or_else(|| panic!("{name} in {partners}"))["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (woori_id, adatum_id) = (id_of("Woori"), id_of("Adatum"));
    let r = w
        .app
        .post(
            &format!("/api/v1/partners/{woori_id}/remove-admin-roles"),
            &ga,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = w
        .app
        .call(
            Method::DELETE,
            &format!("/api/v1/partners/{adatum_id}"),
            Some(&ga),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    w.check("admin roles removed", Some(&woori_agent), Roles(NOTHING))
        .await;
    w.check("relationship deleted", Some(&adatum), NotFound)
        .await;
    // Their assignments went with the grant.
    let left = w
        .app
        .get(
            &format!("/api/v1/customers/{customer}/access-assignments"),
            &woori,
        )
        .await
        .json();
    assert!(items(&left).is_empty(), "{left}");

    // Contoso's grant expires: its assigned agents are refused, the customer is not.
    w.app.clock.advance(chrono::Duration::days(91));
    w.check("grant expired", Some(&contoso), Roles(NOTHING))
        .await;
    w.check("grant expired", Some(&helpdesk_agent), Roles(NOTHING))
        .await;
    // A guest's roles are the customer's choice, not the grant's: they do not expire.
    w.check(
        "guest account, grant expired",
        Some(&guest),
        Roles(&["user_admin"]),
    )
    .await;
    w.check(
        "customer Global admin, later",
        Some(&ga),
        Roles(&["global_admin"]),
    )
    .await;
}
