//! The synthetic world the authorisation benchmark checks against: customers, partners
//! (one very large), agents, delegated-admin grants (some expired, some auto-extending),
//! access assignments and a query mix. Generated from a seed, so every run and every
//! engine sees exactly the same data.

use std::collections::{BTreeSet, HashSet};

use accord_domain::{
    AdminGrant, Capability, DirectoryRole, PartnerType, RelationshipId, RelationshipStatus,
    TenantId, UserId,
};
use accord_store::{AccessAssignmentRecord, RelationshipRecord};
use chrono::{DateTime, Duration, Utc};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

/// The size of the world.
#[derive(Clone, Debug)]
pub struct Spec {
    pub customers: u32,
    pub partners: u32,
    /// Grants held by partner 0, the very large one.
    pub big_partner_grants: u32,
    pub agents: u32,
    /// Agents of partner 0.
    pub big_partner_agents: u32,
    pub grants: u32,
    /// Share of grants whose end has passed.
    pub expired: f64,
    pub queries: usize,
    pub seed: u64,
}

impl Spec {
    /// The world of issue 9: 1,000,000 customers, 200 partners (one with 120,000
    /// customers), 2,000 agents, 300,000 grants of which 10% expired.
    pub fn full() -> Self {
        Spec {
            customers: 1_000_000,
            partners: 200,
            big_partner_grants: 120_000,
            agents: 2_000,
            big_partner_agents: 300,
            grants: 300_000,
            expired: 0.10,
            queries: 1_000_000,
            seed: 9,
        }
    }

    /// The same shape scaled down (for a quick run and the agreement test).
    pub fn scaled(f: f64) -> Self {
        let full = Self::full();
        let s = |n: u32, min: u32| ((n as f64 * f).round() as u32).max(min);
        Spec {
            customers: s(full.customers, 100),
            partners: s(full.partners, 4),
            big_partner_grants: s(full.big_partner_grants, 10),
            agents: s(full.agents, 20),
            big_partner_agents: s(full.big_partner_agents, 3),
            grants: s(full.grants, 30),
            queries: ((full.queries as f64 * f).round() as usize).max(1_000),
            ..full
        }
    }
}

#[derive(Clone, Debug)]
pub struct Grant {
    pub partner: u32,
    pub customer: u32,
    pub roles: Vec<DirectoryRole>,
    pub starts_ms: i64,
    /// `None` for an auto-extending grant (renewed whenever it would end).
    pub ends_ms: Option<i64>,
}

impl Grant {
    /// The facts every engine is given: `ends` is `i64::MAX` for an auto-extending grant.
    pub fn ends(&self) -> i64 {
        self.ends_ms.unwrap_or(i64::MAX)
    }

    pub fn in_force(&self, now_ms: i64) -> bool {
        self.starts_ms <= now_ms && now_ms < self.ends()
    }
}

#[derive(Clone, Debug)]
pub struct Assignment {
    pub partner: u32,
    pub customer: u32,
    pub agent: u32,
    pub roles: Vec<DirectoryRole>,
}

/// One question: may `agent` (of `partner`, as its session says) use `capability` in
/// `customer`'s directory?
#[derive(Clone, Copy, Debug)]
pub struct Query {
    pub agent: u32,
    pub partner: u32,
    pub customer: u32,
    pub capability: Capability,
}

pub struct World {
    pub now_ms: i64,
    pub partner_of_agent: Vec<u32>,
    pub grants: Vec<Grant>,
    pub assignments: Vec<Assignment>,
    pub queries: Vec<Query>,
}

/// Ids as UUIDs, the same for every engine: kind in the high half, number in the low.
pub fn customer_id(n: u32) -> TenantId {
    TenantId(Uuid::from_u64_pair(
        0x0c00_0000_0000_7000,
        u64::from(n) | 1 << 63,
    ))
}
pub fn partner_id(n: u32) -> TenantId {
    TenantId(Uuid::from_u64_pair(
        0x0b00_0000_0000_7000,
        u64::from(n) | 1 << 63,
    ))
}
pub fn agent_id(n: u32) -> UserId {
    UserId(Uuid::from_u64_pair(
        0x0a00_0000_0000_7000,
        u64::from(n) | 1 << 63,
    ))
}

const DAY_MS: i64 = 86_400_000;

/// Role sets partners ask for, in rough proportion: helpdesk level (the seed's "Admin"
/// type), a user-management bundle, the legacy full grant, readers, an operations bundle
/// and anything else.
fn granted_roles(rng: &mut StdRng) -> Vec<DirectoryRole> {
    use DirectoryRole::*;
    let x: f64 = rng.gen();
    if x < 0.30 {
        vec![HelpdeskAdmin]
    } else if x < 0.55 {
        vec![UserAdmin, HelpdeskAdmin, LicenseAdmin]
    } else if x < 0.70 {
        vec![GlobalAdmin]
    } else if x < 0.80 {
        vec![BillingReader, GlobalReader]
    } else if x < 0.90 {
        vec![BillingAdmin, UserAdmin, LicenseAdmin, GlobalReader]
    } else {
        random_roles(rng)
    }
}

/// One element at random; the spec's minimums keep every slice picked from non-empty.
fn pick<'a, T>(rng: &mut StdRng, v: &'a [T]) -> &'a T {
    &v[rng.gen_range(0..v.len())]
}

fn admin_roles() -> Vec<DirectoryRole> {
    DirectoryRole::ALL
        .iter()
        .copied()
        .filter(|r| r.is_admin())
        .collect()
}

fn random_roles(rng: &mut StdRng) -> Vec<DirectoryRole> {
    let all = admin_roles();
    let n = rng.gen_range(1..=3);
    let mut picked: Vec<_> = all.choose_multiple(rng, n).copied().collect();
    picked.sort();
    picked
}

impl World {
    pub fn generate(spec: Spec) -> World {
        let mut rng = StdRng::seed_from_u64(spec.seed);
        let now_ms = 1_795_000_000_000; // 2026-11-18, fixed: every engine sees the same clock

        // Agents: partner 0 has many, the others a handful each.
        let mut partner_of_agent = Vec::with_capacity(spec.agents as usize);
        partner_of_agent.extend(std::iter::repeat_n(0, spec.big_partner_agents as usize));
        let others = spec.partners - 1;
        let rest = spec.agents - spec.big_partner_agents;
        for i in 0..rest {
            partner_of_agent.push(1 + i % others);
        }
        let mut agents_of: Vec<Vec<u32>> = vec![Vec::new(); spec.partners as usize];
        for (a, p) in partner_of_agent.iter().enumerate() {
            agents_of[*p as usize].push(a as u32);
        }

        // Grants: partner 0 holds its share; the rest is spread over the other partners
        // with a long tail (weight 1/rank).
        let weights: Vec<f64> = (1..=others).map(|r| 1.0 / f64::from(r)).collect();
        let total: f64 = weights.iter().sum();
        let small_total = spec.grants - spec.big_partner_grants;
        let mut per_partner = vec![spec.big_partner_grants];
        let mut given = 0;
        for (i, w) in weights.iter().enumerate() {
            let n = if i + 1 == weights.len() {
                small_total - given
            } else {
                ((f64::from(small_total) * w / total).round() as u32).min(small_total - given)
            };
            given += n;
            per_partner.push(n);
        }
        let mut grants = Vec::with_capacity(spec.grants as usize);
        for (p, n) in per_partner.iter().enumerate() {
            let mut taken = HashSet::with_capacity(*n as usize);
            while taken.len() < *n as usize {
                let c = rng.gen_range(0..spec.customers);
                if !taken.insert(c) {
                    continue;
                }
                let starts_ms = now_ms - rng.gen_range(1..700) * DAY_MS;
                let roles = granted_roles(&mut rng);
                let ends_ms = if rng.gen_bool(spec.expired) {
                    Some(now_ms - rng.gen_range(1..300) * DAY_MS)
                } else if !roles.contains(&DirectoryRole::GlobalAdmin) && rng.gen_bool(0.2) {
                    None // auto-extend
                } else {
                    Some(now_ms + rng.gen_range(1..730) * DAY_MS)
                };
                grants.push(Grant {
                    partner: p as u32,
                    customer: c,
                    roles,
                    starts_ms,
                    ends_ms,
                });
            }
        }

        // Assignments: one to three agents per grant, mostly with the roles granted,
        // sometimes a subset, sometimes with a role the customer did not grant.
        let mut assignments = Vec::new();
        for g in &grants {
            let pool = &agents_of[g.partner as usize];
            let k = match rng.gen_range(0..100) {
                0..50 => 1,
                50..85 => 2,
                _ => 3,
            }
            .min(pool.len());
            for &agent in pool.choose_multiple(&mut rng, k) {
                let x: f64 = rng.gen();
                let mut roles = if x < 0.75 {
                    g.roles.clone()
                } else if x < 0.90 {
                    let n = rng.gen_range(1..=g.roles.len());
                    g.roles.choose_multiple(&mut rng, n).copied().collect()
                } else {
                    let mut r = g.roles.clone();
                    r.push(*pick(&mut rng, &admin_roles()));
                    r
                };
                roles.sort();
                roles.dedup();
                assignments.push(Assignment {
                    partner: g.partner,
                    customer: g.customer,
                    agent,
                    roles,
                });
            }
        }

        // Queries: assigned agents, unassigned agents of the partner, agents of another
        // partner, and customers picked at random (mostly without any grant).
        let mut queries = Vec::with_capacity(spec.queries);
        for _ in 0..spec.queries {
            let capability = *pick(&mut rng, Capability::ALL);
            let x: f64 = rng.gen();
            let (agent, customer) = if x < 0.55 {
                let a = pick(&mut rng, &assignments);
                (a.agent, a.customer)
            } else if x < 0.70 {
                let g = pick(&mut rng, &grants);
                let a = *pick(&mut rng, &agents_of[g.partner as usize]);
                (a, g.customer)
            } else if x < 0.85 {
                let g = pick(&mut rng, &grants);
                let mut a = rng.gen_range(0..spec.agents);
                while partner_of_agent[a as usize] == g.partner {
                    a = rng.gen_range(0..spec.agents);
                }
                (a, g.customer)
            } else {
                (
                    rng.gen_range(0..spec.agents),
                    rng.gen_range(0..spec.customers),
                )
            };
            queries.push(Query {
                agent,
                partner: partner_of_agent[agent as usize],
                customer,
                capability,
            });
        }

        World {
            now_ms,
            partner_of_agent,
            grants,
            assignments,
            queries,
        }
    }

    /// The stored rows a node's load reads, for Accord's index.
    pub fn records(&self) -> (Vec<RelationshipRecord>, Vec<AccessAssignmentRecord>) {
        let at = |ms: i64| DateTime::<Utc>::UNIX_EPOCH + Duration::milliseconds(ms);
        let now = at(self.now_ms);
        let rels = self
            .grants
            .iter()
            .map(|g| RelationshipRecord {
                tenant_id: customer_id(g.customer),
                partner_id: partner_id(g.partner),
                id: RelationshipId::new(),
                partner_name: String::new(),
                customer_name: String::new(),
                types: BTreeSet::from([PartnerType::Reseller, PartnerType::DelegatedAdmin]),
                grant: Some(AdminGrant {
                    roles: g.roles.clone(),
                    requested: g.roles.clone(),
                    pending: Vec::new(),
                    starts_at: at(g.starts_ms),
                    ends_at: Some(g.ends_ms.map_or(now + Duration::days(30), at)),
                    auto_extend: g.ends_ms.is_none(),
                    terminated_at: None,
                }),
                status: RelationshipStatus::Active,
                created_at: at(g.starts_ms),
                updated_at: at(g.starts_ms),
            })
            .collect();
        let assignments = self
            .assignments
            .iter()
            .map(|a| AccessAssignmentRecord {
                partner_id: partner_id(a.partner),
                id: Uuid::now_v7(),
                customer_id: customer_id(a.customer),
                agent_id: agent_id(a.agent),
                roles: a.roles.clone(),
                created_by: String::new(),
                created_at: now,
            })
            .collect();
        (rels, assignments)
    }

    /// The answers of a deliberately naive model, straight from the rule: a grant of the
    /// agent's partner in the customer, in force now, and a role both granted and assigned
    /// to the agent that allows the capability.
    pub fn reference(&self) -> Vec<bool> {
        use std::collections::HashMap;
        let grants: HashMap<(u32, u32), &Grant> = self
            .grants
            .iter()
            .map(|g| ((g.partner, g.customer), g))
            .collect();
        let assigned: HashMap<(u32, u32), &Assignment> = self
            .assignments
            .iter()
            .map(|a| ((a.agent, a.customer), a))
            .collect();
        self.queries
            .iter()
            .map(|q| {
                let (Some(g), Some(a)) = (
                    grants.get(&(q.partner, q.customer)),
                    assigned.get(&(q.agent, q.customer)),
                ) else {
                    return false;
                };
                g.in_force(self.now_ms)
                    && g.roles
                        .iter()
                        .any(|r| a.roles.contains(r) && r.capabilities().contains(&q.capability))
            })
            .collect()
    }

    /// How many grants are in force now (the rest expired).
    pub fn grants_in_force(&self) -> usize {
        self.grants
            .iter()
            .filter(|g| g.in_force(self.now_ms))
            .count()
    }
}
