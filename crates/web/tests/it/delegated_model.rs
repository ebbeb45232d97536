//! A property test of delegated access (issue 9): random sequences of grant, partial
//! approval, role change and consent, assignment, unassignment, time passing (expiry and
//! auto-extend), removal of the admin roles and deletion of the relationship, after each
//! of which every agent × capability check of the running service (its grant index, fed
//! by the change feed) is compared with a deliberately simple model. Seeded, so a failure
//! names the seed and step that reproduce it.

use std::collections::{BTreeMap, BTreeSet};

use accord_domain::{Capability, DirectoryRole, DomainError, TenantId};
use axum::http::{Method, StatusCode};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde_json::json;

use crate::directory::agent_id;
use crate::support::*;

const ROLES: [&str; 5] = [
    "user_admin",
    "helpdesk_admin",
    "license_admin",
    "global_reader",
    "billing_reader",
];

type Roles = BTreeSet<&'static str>;

/// The model: what the rule says, with days as the only clock.
#[derive(Debug, Default)]
struct Model {
    relationship: bool,
    grant: Option<Grant>,
    assigned: BTreeMap<usize, Roles>,
    today: i64,
}

#[derive(Debug)]
struct Grant {
    roles: Roles,
    pending: Roles,
    /// `None` when it auto-extends.
    ends: Option<i64>,
    terminated: bool,
}

impl Model {
    fn in_force(&self) -> bool {
        self.grant
            .as_ref()
            .is_some_and(|g| !g.terminated && g.ends.is_none_or(|e| self.today < e))
    }

    /// `None`: the partner sees nothing (404); otherwise whether the agent may.
    fn may(&self, agent: usize, c: Capability) -> Option<bool> {
        if !self.relationship {
            return None;
        }
        let (Some(g), true) = (&self.grant, self.in_force()) else {
            return Some(false);
        };
        let assigned = self.assigned.get(&agent).cloned().unwrap_or_default();
        Some(g.roles.intersection(&assigned).any(|r| {
            let r: DirectoryRole = r.parse().expect("role");
            r.capabilities().contains(&c)
        }))
    }
}

fn subset(rng: &mut StdRng, from: &Roles) -> Roles {
    let v: Vec<_> = from.iter().copied().collect();
    let n = rng.gen_range(1..=v.len());
    v.choose_multiple(rng, n).copied().collect()
}

fn all_roles() -> Roles {
    ROLES.into_iter().collect()
}

struct Run {
    app: TestApp,
    partner: String,
    ga: String,
    customer: String,
    partner_id: String,
    agents: Vec<String>,
    agent_ids: Vec<String>,
    model: Model,
    rng: StdRng,
}

impl Run {
    async fn step(&mut self) -> String {
        let m = &self.model;
        let mut ops = vec!["advance", "advance"];
        if !m.in_force() {
            ops.push("grant");
        }
        if m.in_force() {
            ops.extend(["change", "change", "assign", "assign", "assign", "assign"]);
            if self.rng.gen_bool(0.3) {
                ops.extend(["remove_roles", "delete"]);
            }
            if m.grant.as_ref().is_some_and(|g| !g.pending.is_empty()) {
                ops.extend(["consent", "decline"]);
            }
        }
        if !m.assigned.is_empty() {
            ops.push("unassign");
        }
        let op = *ops.choose(&mut self.rng).expect("ops");
        let c = self.customer.clone();
        match op {
            "advance" => {
                let days = self.rng.gen_range(1..=45);
                self.app.clock.advance(chrono::Duration::days(days));
                self.model.today += days;
                format!("advance {days} days")
            }
            "grant" => {
                let asked = subset(&mut self.rng, &all_roles());
                let approved = subset(&mut self.rng, &asked);
                let days = self.rng.gen_range(1..=120);
                let auto = self.rng.gen_bool(0.3);
                let (_, token) = self
                    .app
                    .request(
                        &self.partner,
                        json!({"include_admin_privileges": true, "types": ["delegated_admin"],
                               "admin_roles": asked, "duration_days": days, "auto_extend": auto}),
                    )
                    .await;
                let r = self
                    .app
                    .post(
                        &format!("/api/v1/invitations/{token}/accept"),
                        &self.ga,
                        json!({"accept_agreement": true, "approved_roles": approved}),
                    )
                    .await;
                assert_eq!(r.status, StatusCode::OK, "{}", r.text());
                let today = self.model.today;
                self.model.relationship = true;
                self.model.assigned.clear();
                self.model.grant = Some(Grant {
                    roles: approved.clone(),
                    pending: Roles::new(),
                    ends: (!auto).then_some(today + days),
                    terminated: false,
                });
                if c.is_empty() {
                    let me = self.app.get("/api/v1/me", &self.ga).await.json();
                    self.customer = me["tenant_id"].as_str().unwrap().to_string();
                }
                format!(
                    "grant {asked:?} approving {approved:?} for {days} days, auto-extend {auto}"
                )
            }
            "change" => {
                let g = self.model.grant.as_ref().expect("grant");
                // Keep at least one role in force, and ask for something different.
                let keep = subset(&mut self.rng, &g.roles);
                let extra = subset(&mut self.rng, &all_roles());
                let wanted: Roles = if self.rng.gen_bool(0.3) {
                    keep.clone()
                } else {
                    keep.union(&extra).copied().collect()
                };
                let r = self
                    .app
                    .post(
                        &format!("/api/v1/customers/{c}/admin-roles"),
                        &self.partner,
                        json!({"roles": wanted}),
                    )
                    .await;
                assert_eq!(r.status, StatusCode::OK, "{}", r.text());
                let g = self.model.grant.as_mut().expect("grant");
                g.pending = wanted.difference(&g.roles).copied().collect();
                g.roles = g.roles.intersection(&wanted).copied().collect();
                format!("ask for {wanted:?}")
            }
            "consent" => {
                let g = self.model.grant.as_mut().expect("grant");
                let approved = subset(&mut self.rng, &g.pending);
                let r = self
                    .app
                    .post(
                        &format!("/api/v1/partners/{}/admin-roles/approve", self.partner_id),
                        &self.ga,
                        json!({"approved_roles": approved}),
                    )
                    .await;
                assert_eq!(r.status, StatusCode::OK, "{}", r.text());
                g.roles.extend(approved.iter().copied());
                g.pending.clear();
                format!("consent to {approved:?}")
            }
            "decline" => {
                let r = self
                    .app
                    .post(
                        &format!("/api/v1/partners/{}/admin-roles/decline", self.partner_id),
                        &self.ga,
                        json!({}),
                    )
                    .await;
                assert_eq!(r.status, StatusCode::OK, "{}", r.text());
                self.model.grant.as_mut().expect("grant").pending.clear();
                "decline".into()
            }
            "assign" => {
                let g = self.model.grant.as_ref().expect("grant");
                let roles = subset(&mut self.rng, &g.roles);
                let k = self.rng.gen_range(0..self.agents.len());
                let r = self
                    .app
                    .post(
                        &format!("/api/v1/customers/{c}/access-assignments"),
                        &self.partner,
                        json!({"agent_id": self.agent_ids[k], "roles": roles}),
                    )
                    .await;
                assert_eq!(r.status, StatusCode::OK, "{}", r.text());
                self.model.assigned.insert(k, roles.clone());
                format!("assign agent {k} {roles:?}")
            }
            "unassign" => {
                let keys: Vec<usize> = self.model.assigned.keys().copied().collect();
                let k = *keys.choose(&mut self.rng).expect("assigned");
                let list = self
                    .app
                    .get(
                        &format!("/api/v1/customers/{c}/access-assignments"),
                        &self.partner,
                    )
                    .await
                    .json();
                let id = items(&list)
                    .into_iter()
                    .find(|a| a["agent_id"] == self.agent_ids[k].as_str())
                    .unwrap_or_else(|| panic!("agent {k}'s assignment in {list}"))["id"]
                    .as_str()
                    .unwrap()
                    .to_string();
                let r = self
                    .app
                    .call(
                        Method::DELETE,
                        &format!("/api/v1/customers/{c}/access-assignments/{id}"),
                        Some(&self.partner),
                        None,
                    )
                    .await;
                assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
                self.model.assigned.remove(&k);
                format!("unassign agent {k}")
            }
            "remove_roles" => {
                let r = self
                    .app
                    .post(
                        &format!("/api/v1/partners/{}/remove-admin-roles", self.partner_id),
                        &self.ga,
                        json!({}),
                    )
                    .await;
                assert_eq!(r.status, StatusCode::OK, "{}", r.text());
                self.model.grant.as_mut().expect("grant").terminated = true;
                self.model.assigned.clear();
                "remove admin roles".into()
            }
            "delete" => {
                let r = self
                    .app
                    .call(
                        Method::DELETE,
                        &format!("/api/v1/partners/{}", self.partner_id),
                        Some(&self.ga),
                        None,
                    )
                    .await;
                assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
                self.model.relationship = false;
                self.model.grant = None;
                self.model.assigned.clear();
                "delete relationship".into()
            }
            other => unreachable!("{other}"),
        }
    }

    /// Every agent × capability, as the service answers and as the model says; counts
    /// the answers (allowed, refused, not found).
    async fn compare(&self, seed: u64, step: usize, history: &[String], seen: &mut [usize; 3]) {
        let customer: TenantId = self.customer.parse().expect("customer id");
        for (k, token) in self.agents.iter().enumerate() {
            let p = self
                .app
                .accord
                .authenticate_token(token)
                .await
                .expect("agent");
            for &c in Capability::ALL {
                let got = match self.app.accord.directory(&p, customer) {
                    Ok(d) => match d.allows(c).await {
                        Ok(b) => Some(b),
                        Err(accord_service::Error::Rule(DomainError::NotFound { .. })) => None,
                        Err(e) => panic!("{e}"),
                    },
                    Err(e) => panic!("{e}"),
                };
                let want = self.model.may(k, c);
                seen[match want {
                    Some(true) => 0,
                    Some(false) => 1,
                    None => 2,
                }] += 1;
                assert_eq!(
                    got, want,
                    "seed {seed}, step {step}: agent {k} × {c}: service {got:?}, model {want:?}\n\
                     model: {:?}\nsteps: {history:#?}",
                    self.model
                );
            }
        }
    }
}

#[tokio::test]
async fn delegated_checks_follow_a_simple_model_through_random_histories() {
    let mut seen = [0usize; 3];
    let mut ops: BTreeMap<String, usize> = BTreeMap::new();
    for seed in 1..=6u64 {
        let app = TestApp::new().await;
        let partner = app.token(PARTNER_KR).await;
        let ga = app.token(CUSTOMER_KR_ADMIN).await;
        let partner_id = app.get("/api/v1/me", &partner).await.json()["tenant_id"]
            .as_str()
            .unwrap()
            .to_string();
        let customer = app.get("/api/v1/me", &ga).await.json()["tenant_id"]
            .as_str()
            .unwrap()
            .to_string();
        let d = "contoso-kr.example";
        app.user(d, "aa@contoso-kr.example", &["admin_agent"]).await;
        let agents = vec![
            partner.clone(),
            app.token("aa@contoso-kr.example").await,
            app.token(PARTNER_KR_HELPDESK).await,
        ];
        let mut agent_ids = Vec::new();
        for t in &agents {
            agent_ids.push(agent_id(&app, t).await);
        }
        let mut run = Run {
            app,
            partner,
            ga,
            customer,
            partner_id,
            agents,
            agent_ids,
            model: Model::default(),
            rng: StdRng::seed_from_u64(seed),
        };
        let mut history = Vec::new();
        run.compare(seed, 0, &history, &mut seen).await;
        for step in 1..=60 {
            let op = run.step().await;
            let name = op.split(' ').next().unwrap_or_default().to_string();
            *ops.entry(name).or_default() += 1;
            history.push(op);
            run.compare(seed, step, &history, &mut seen).await;
        }
    }
    // The histories reached every kind of answer and every operation, so agreement
    // means something.
    eprintln!("answers (allowed, refused, not found): {seen:?}; operations: {ops:?}");
    assert!(seen.iter().all(|n| *n > 50), "{seen:?}");
    for op in [
        "advance", "grant", "ask", "consent", "decline", "assign", "unassign", "remove", "delete",
    ] {
        assert!(ops.contains_key(op), "{op} never ran: {ops:?}");
    }
}
