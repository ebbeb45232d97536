//! The grant index: every delegated-admin grant of an active relationship, every access
//! assignment and every guest account (the "Partner" type), held in memory so that a
//! delegated check is three hash lookups and [`accord_domain::check`].
//!
//! It is built from the store when the node starts following the change feed, and kept
//! current from it: `relationship.changed` marks a (partner, customer) grant stale and
//! `access.changed` one user's assignment and guest account; the next check of a stale key
//! reads the database and puts the answer back, unless the key changed again meanwhile (a
//! generation number per key, so a read racing a removal can never restore what was
//! removed). The node that made a change applies it right after its commit, before it
//! answers; other nodes within the feed's bound. Expiry needs no change at all: the
//! facts hold the end time and every check compares it with the clock.
//!
//! The index answers only once loaded and while the node follows the feed
//! ([`crate::Accord::feed_is_current`]); otherwise every check reads the database.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::RwLock;

use accord_domain::{GrantFacts, RelationshipStatus, RoleSet, TenantId, UserId};
use accord_store::{AccessAssignmentRecord, GuestRecord, RelationshipRecord};

use crate::work::Change;

/// The index's maps hash with foldhash: its keys are ids the server generated, so a
/// caller cannot choose them to collide, and SipHash cost a third of a check.
pub(crate) type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// A partner's grant in one customer: (partner, customer).
pub type GrantKey = (TenantId, TenantId);
/// An agent's assignment in one customer: (partner, customer, agent).
pub type AssignKey = (TenantId, TenantId, UserId);

/// What the index knows about one agent in one customer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Facts {
    /// The grant of an active relationship, if there is one.
    pub grant: Option<GrantFacts>,
    pub assigned: RoleSet,
    /// The roles of the user's guest account in the customer (no grant needed: the
    /// customer's Global admin gave them to the named user directly).
    pub guest: RoleSet,
}

impl Facts {
    /// The roles with which the user may use `c` now: granted and assigned while the
    /// grant is in force, or held as a guest.
    pub fn allowing(&self, c: accord_domain::Capability, now_ms: i64) -> RoleSet {
        accord_domain::check(self.grant.as_ref(), self.assigned, c, now_ms)
            .or(self.guest.allowing(c))
    }
}

#[derive(Default)]
struct Inner {
    grants: HashMap<GrantKey, GrantFacts>,
    assigned: HashMap<AssignKey, RoleSet>,
    /// Guest accounts' roles, by (partner, customer, user); stale with the assignment.
    guests: HashMap<AssignKey, RoleSet>,
    /// Keys changed since they were last read, with the generation of the change.
    stale_grants: HashMap<GrantKey, u64>,
    stale_assigned: HashMap<AssignKey, u64>,
}

/// The node's grant index. Public so that `accord-bench authz` measures the very structure
/// and lookup the request path uses; the service is its only writer.
#[derive(Default)]
pub struct GrantIndex {
    inner: RwLock<Inner>,
    loaded: AtomicBool,
    generation: AtomicU64,
}

/// The facts of a stored relationship's grant, if it gives access at all (active).
pub(crate) fn grant_of(r: &RelationshipRecord) -> Option<GrantFacts> {
    (r.status == RelationshipStatus::Active)
        .then_some(r.grant.as_ref())
        .flatten()
        .map(GrantFacts::of)
}

/// A stale key's generation as a reader saw it before reading the database.
pub(crate) struct Ticket {
    grant: Option<u64>,
    assigned: Option<u64>,
}

impl GrantIndex {
    pub(crate) fn is_loaded(&self) -> bool {
        self.loaded.load(Ordering::Acquire)
    }

    /// The facts, when the index holds them current; `Err` with a ticket to fill them
    /// after reading the database otherwise.
    pub(crate) fn facts(&self, key: AssignKey) -> Result<Facts, Ticket> {
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        let gk = (key.0, key.1);
        let sg = inner.stale_grants.get(&gk).copied();
        let sa = inner.stale_assigned.get(&key).copied();
        if !self.is_loaded() || sg.is_some() || sa.is_some() {
            return Err(Ticket {
                grant: sg,
                assigned: sa,
            });
        }
        Ok(Facts {
            grant: inner.grants.get(&gk).copied(),
            assigned: inner.assigned.get(&key).copied().unwrap_or_default(),
            guest: inner.guests.get(&key).copied().unwrap_or_default(),
        })
    }

    /// A complete index built from stored rows, as a node's load builds it.
    pub fn from_records(
        grants: impl IntoIterator<Item = RelationshipRecord>,
        assignments: impl IntoIterator<Item = AccessAssignmentRecord>,
        guests: impl IntoIterator<Item = GuestRecord>,
    ) -> Self {
        let idx = GrantIndex::default();
        idx.install(build(grants, assignments, guests));
        idx
    }

    /// The facts for `key` when the index holds them current: the same lookup as a
    /// delegated request's, without the fallback to the database.
    pub fn current(&self, key: AssignKey) -> Option<Facts> {
        self.facts(key).ok()
    }

    /// Puts back what the database said about `key`, unless it changed again since the
    /// ticket was taken.
    pub(crate) fn fill(&self, key: AssignKey, ticket: Ticket, facts: Facts) {
        if !self.is_loaded() {
            return;
        }
        let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
        let gk = (key.0, key.1);
        if inner.stale_grants.get(&gk).copied() == ticket.grant {
            inner.stale_grants.remove(&gk);
            match facts.grant {
                Some(g) => inner.grants.insert(gk, g),
                None => inner.grants.remove(&gk),
            };
        }
        if inner.stale_assigned.get(&key).copied() == ticket.assigned {
            inner.stale_assigned.remove(&key);
            if facts.assigned.is_empty() {
                inner.assigned.remove(&key);
            } else {
                inner.assigned.insert(key, facts.assigned);
            }
            if facts.guest.is_empty() {
                inner.guests.remove(&key);
            } else {
                inner.guests.insert(key, facts.guest);
            }
        }
    }

    /// Installs a complete load. Keys changed while it was read stay stale, so they are
    /// read again.
    pub(crate) fn install(&self, tables: Tables) {
        let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
        inner.grants = tables.grants;
        inner.assigned = tables.assigned;
        inner.guests = tables.guests;
        self.loaded.store(true, Ordering::Release);
    }

    /// Marks what a change makes stale.
    pub(crate) fn apply(&self, change: &Change) {
        let g = self.generation.fetch_add(1, Ordering::AcqRel) + 1;
        let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
        match change {
            Change::RelationshipChanged { customer, partner } => {
                inner.stale_grants.insert((*partner, *customer), g);
            }
            Change::AccessChanged {
                partner,
                customer,
                agent,
            } => {
                inner
                    .stale_assigned
                    .insert((*partner, *customer, *agent), g);
            }
            _ => {}
        }
    }

    /// Forgets everything (the feed was lost); the next load starts over.
    pub(crate) fn clear(&self) {
        let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
        self.loaded.store(false, Ordering::Release);
        *inner = Inner::default();
    }

    /// The bytes the index's tables take: each map's capacity times its entry (key,
    /// value and hashbrown's control byte), which is what it allocates.
    pub fn table_bytes(&self) -> usize {
        fn bytes<K, V>(m: &HashMap<K, V>) -> usize {
            m.capacity() * (std::mem::size_of::<(K, V)>() + 1)
        }
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        bytes(&inner.grants)
            + bytes(&inner.assigned)
            + bytes(&inner.guests)
            + bytes(&inner.stale_grants)
            + bytes(&inner.stale_assigned)
    }

    /// (grants, assignments) held.
    pub fn len(&self) -> (usize, usize) {
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        (inner.grants.len(), inner.assigned.len())
    }
}

/// The index's maps, as a load builds them.
pub(crate) struct Tables {
    pub grants: HashMap<GrantKey, GrantFacts>,
    pub assigned: HashMap<AssignKey, RoleSet>,
    pub guests: HashMap<AssignKey, RoleSet>,
}

/// Builds the index's maps from stored rows.
pub(crate) fn build(
    grants: impl IntoIterator<Item = RelationshipRecord>,
    assignments: impl IntoIterator<Item = AccessAssignmentRecord>,
    guests: impl IntoIterator<Item = GuestRecord>,
) -> Tables {
    let g = grants
        .into_iter()
        .filter_map(|r| grant_of(&r).map(|f| ((r.partner_id, r.tenant_id), f)))
        .collect();
    let a = assignments
        .into_iter()
        .map(|a| {
            (
                (a.partner_id, a.customer_id, a.agent_id),
                RoleSet::of(&a.roles),
            )
        })
        .collect();
    let guests = guests
        .into_iter()
        .map(|g| {
            (
                (g.partner_id, g.customer_id, g.user_id),
                RoleSet::of(&g.roles),
            )
        })
        .collect();
    Tables {
        grants: g,
        assigned: a,
        guests,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use accord_domain::DirectoryRole;

    #[test]
    fn stale_keys_are_read_again_and_racing_fills_are_dropped() {
        let idx = GrantIndex::default();
        let (p, c, a) = (TenantId::new(), TenantId::new(), UserId::new());
        let key = (p, c, a);
        assert!(idx.facts(key).is_err(), "nothing answers before the load");
        let facts = GrantFacts {
            roles: RoleSet::of(&[DirectoryRole::HelpdeskAdmin]),
            starts_ms: 0,
            ends_ms: i64::MAX,
        };
        idx.install(Tables {
            grants: [((p, c), facts)].into_iter().collect(),
            assigned: [(key, RoleSet::of(&[DirectoryRole::HelpdeskAdmin]))]
                .into_iter()
                .collect(),
            guests: HashMap::default(),
        });
        assert_eq!(idx.facts(key).ok().and_then(|f| f.grant), Some(facts));

        // The grant is removed: stale until read again.
        idx.apply(&Change::RelationshipChanged {
            customer: c,
            partner: p,
        });
        let Err(ticket) = idx.facts(key) else {
            panic!("stale")
        };
        // Another change lands while the database is read: the fill is not kept.
        idx.apply(&Change::RelationshipChanged {
            customer: c,
            partner: p,
        });
        idx.fill(
            key,
            ticket,
            Facts {
                grant: Some(facts),
                assigned: RoleSet::EMPTY,
                guest: RoleSet::EMPTY,
            },
        );
        let Err(ticket) = idx.facts(key) else {
            panic!("still stale")
        };
        idx.fill(
            key,
            ticket,
            Facts {
                grant: None,
                assigned: RoleSet::EMPTY,
                guest: RoleSet::EMPTY,
            },
        );
        assert_eq!(
            idx.facts(key).ok(),
            Some(Facts {
                grant: None,
                assigned: RoleSet::EMPTY,
                guest: RoleSet::EMPTY,
            })
        );
        idx.clear();
        assert!(idx.facts(key).is_err());
    }
}
