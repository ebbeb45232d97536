//! The two peers, given the world's data in their own idiom.
//!
//! - **casbin** (RBAC with domains): the customer is the domain; `g` links an agent to a
//!   role the partner assigned it in that customer, `g2` links the partner to a role the
//!   customer granted; one `p` line per (role, capability) of the catalogue. casbin's role
//!   links carry no time, so a grant's end cannot be evaluated by it: the links of grants
//!   that are not in force at the benchmark's clock are left out when loading (the work an
//!   expiry job would do for it). That favours casbin.
//! - **Cedar**: one `Grant` entity per (partner, customer) with `starts`, `ends` and, per
//!   role granted, an attribute naming the team of agents assigned that role; an agent
//!   belongs to the teams it is assigned to; each capability is an action whose parents
//!   are the roles allowing it; one policy per role checks the grant's window against
//!   `context.now`. Requests are built before timing starts, which also favours Cedar.
//!
//! Both catalogues are generated from [`DirectoryRole::capabilities`], the one Accord
//! uses, so the three engines decide by the same rules.

use std::collections::{HashMap, HashSet};
use std::io::Write as _;
use std::str::FromStr;

use accord_domain::{Capability, DirectoryRole};
use anyhow::Context as _;
use casbin::{CoreApi, DefaultModel, Enforcer, FileAdapter};
use cedar_policy::{
    Authorizer, Context, Decision, Entities, Entity, EntityId, EntityTypeName, EntityUid,
    PolicySet, Request, RestrictedExpression,
};

use super::world::{agent_id, customer_id, partner_id, World};

pub const CASBIN_MODEL: &str = "\
[request_definition]
r = sub, partner, dom, act

[policy_definition]
p = role, act

[role_definition]
g = _, _, _
g2 = _, _, _

[policy_effect]
e = some(where (p.eft == allow))

[matchers]
m = r.act == p.act && g(r.sub, p.role, r.dom) && g2(r.partner, p.role, r.dom)
";

fn admin_roles() -> impl Iterator<Item = DirectoryRole> {
    DirectoryRole::ALL.iter().copied().filter(|r| r.is_admin())
}

/// The policy file casbin loads: the catalogue, assignments and grants in force.
pub fn casbin_policy(world: &World, out: &mut impl std::io::Write) -> std::io::Result<()> {
    for r in admin_roles() {
        for c in r.capabilities() {
            writeln!(out, "p, {}, {}", r.as_str(), c.as_str())?;
        }
    }
    for a in &world.assignments {
        let (agent, customer) = (agent_id(a.agent), customer_id(a.customer));
        for r in &a.roles {
            writeln!(out, "g, {agent}, {}, {customer}", r.as_str())?;
        }
    }
    for g in world.grants.iter().filter(|g| g.in_force(world.now_ms)) {
        let (partner, customer) = (partner_id(g.partner), customer_id(g.customer));
        for r in &g.roles {
            writeln!(out, "g2, {partner}, {}, {customer}", r.as_str())?;
        }
    }
    Ok(())
}

pub struct Casbin {
    enforcer: Enforcer,
    /// (agent, partner, customer, capability) as casbin is asked.
    pub requests: Vec<[String; 4]>,
}

impl Casbin {
    /// Loads the model and the policy file, as an application starting would.
    pub async fn load(policy_file: &std::path::Path) -> anyhow::Result<Enforcer> {
        let model = DefaultModel::from_str(CASBIN_MODEL)
            .await
            .context("casbin model")?;
        let adapter = FileAdapter::new(policy_file.to_path_buf());
        Enforcer::new(model, adapter)
            .await
            .context("casbin enforcer")
    }

    pub fn new(enforcer: Enforcer, world: &World) -> Self {
        let requests = world
            .queries
            .iter()
            .map(|q| {
                [
                    agent_id(q.agent).to_string(),
                    partner_id(q.partner).to_string(),
                    customer_id(q.customer).to_string(),
                    q.capability.as_str().to_string(),
                ]
            })
            .collect();
        Casbin { enforcer, requests }
    }

    pub fn decide(&self, i: usize) -> anyhow::Result<bool> {
        let [a, p, c, cap] = &self.requests[i];
        Ok(self
            .enforcer
            .enforce((a.as_str(), p.as_str(), c.as_str(), cap.as_str()))?)
    }
}

/// Writes the policy to a temporary file for [`Casbin::load`].
pub fn casbin_policy_file(world: &World) -> anyhow::Result<tempfile::NamedTempFile> {
    let mut f = tempfile::Builder::new().suffix(".csv").tempfile()?;
    {
        let mut w = std::io::BufWriter::new(f.as_file_mut());
        casbin_policy(world, &mut w)?;
        w.flush()?;
    }
    Ok(f)
}

pub fn cedar_policies() -> String {
    admin_roles()
        .map(|r| {
            let r = r.as_str();
            format!(
                "permit(principal, action in Action::\"role:{r}\", resource is Grant)\n\
                 when {{ resource has {r} && principal in resource.{r} && \
                 resource.starts <= context.now && context.now < resource.ends }};\n"
            )
        })
        .collect()
}

fn uid(kind: &str, id: &str) -> anyhow::Result<EntityUid> {
    Ok(EntityUid::from_type_name_and_id(
        EntityTypeName::from_str(kind).context("entity type")?,
        EntityId::new(id),
    ))
}

fn grant_key(partner: u32, customer: u32) -> String {
    format!("{}/{}", partner_id(partner), customer_id(customer))
}

/// Cedar's entities for the world: actions, grants and agents.
pub fn cedar_entities(world: &World) -> anyhow::Result<Entities> {
    let mut entities = Vec::new();
    for r in admin_roles() {
        entities.push(Entity::new_no_attrs(
            uid("Action", &format!("role:{}", r.as_str()))?,
            HashSet::new(),
        ));
    }
    for &c in Capability::ALL {
        let parents = admin_roles()
            .filter(|r| r.capabilities().contains(&c))
            .map(|r| uid("Action", &format!("role:{}", r.as_str())))
            .collect::<anyhow::Result<HashSet<_>>>()?;
        entities.push(Entity::new_no_attrs(uid("Action", c.as_str())?, parents));
    }
    let team = |key: &str, r: DirectoryRole| uid("Team", &format!("{key}/{}", r.as_str()));
    for g in &world.grants {
        let key = grant_key(g.partner, g.customer);
        let mut attrs = HashMap::from([
            (
                "starts".to_string(),
                RestrictedExpression::new_long(g.starts_ms),
            ),
            ("ends".to_string(), RestrictedExpression::new_long(g.ends())),
        ]);
        for r in &g.roles {
            attrs.insert(
                r.as_str().to_string(),
                RestrictedExpression::new_entity_uid(team(&key, *r)?),
            );
        }
        entities.push(Entity::new(uid("Grant", &key)?, attrs, HashSet::new())?);
    }
    let mut teams: Vec<HashSet<EntityUid>> = vec![HashSet::new(); world.partner_of_agent.len()];
    for a in &world.assignments {
        let key = grant_key(a.partner, a.customer);
        for r in &a.roles {
            teams[a.agent as usize].insert(team(&key, *r)?);
        }
    }
    for (agent, parents) in teams.into_iter().enumerate() {
        entities.push(Entity::new_no_attrs(
            uid("Agent", &agent_id(agent as u32).to_string())?,
            parents,
        ));
    }
    Ok(Entities::from_entities(entities, None)?)
}

pub struct Cedar {
    authorizer: Authorizer,
    policies: PolicySet,
    entities: Entities,
    requests: Vec<Request>,
}

impl Cedar {
    pub fn new(entities: Entities, world: &World) -> anyhow::Result<Self> {
        let policies = PolicySet::from_str(&cedar_policies()).context("cedar policies")?;
        let context = Context::from_pairs([(
            "now".to_string(),
            RestrictedExpression::new_long(world.now_ms),
        )])?;
        let requests = world
            .queries
            .iter()
            .map(|q| {
                Ok(Request::new(
                    uid("Agent", &agent_id(q.agent).to_string())?,
                    uid("Action", q.capability.as_str())?,
                    uid("Grant", &grant_key(q.partner, q.customer))?,
                    context.clone(),
                    None,
                )?)
            })
            .collect::<anyhow::Result<_>>()?;
        Ok(Cedar {
            authorizer: Authorizer::new(),
            policies,
            entities,
            requests,
        })
    }

    pub fn decide(&self, i: usize) -> bool {
        self.authorizer
            .is_authorized(&self.requests[i], &self.policies, &self.entities)
            .decision()
            == Decision::Allow
    }
}
