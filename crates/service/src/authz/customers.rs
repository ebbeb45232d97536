//! Each partner's customers, held in memory after the first look: the Customers page and
//! `GET /api/v1/customers` are paged and searched here, without a database round trip.
//!
//! A partner's list is loaded whole (ordered by name, as the database orders it: bytes,
//! then id) the first time it is asked for, and dropped when the change feed reports a
//! change to one of its relationships — at once on this node, within the feed's bound on
//! the others — or when an organisation changes. A fill racing such a change is discarded
//! (a version counter), as for credentials. Partners with more than
//! [`MAX_PER_PARTNER`] customers are paged by the database instead, and past
//! [`MAX_ROWS`] in all the index starts over.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use accord_domain::TenantId;
use accord_store::{fold, RelationshipRecord};
use chrono::{DateTime, Utc};

use crate::work::Change;

/// Partners with more customers than this are paged by the database.
pub(crate) const MAX_PER_PARTNER: u32 = 200_000;
/// The most relationships held in memory on one node.
pub(crate) const MAX_ROWS: usize = 2_000_000;

/// Pages rendered by the edge (JSON, HTML) kept per list, at most this many.
const MAX_RENDERED: usize = 256;

/// A page as the edge rendered it, and until when it stays true (a grant on it changes
/// status at that instant).
#[derive(Clone)]
pub(crate) struct Rendered {
    pub bytes: Arc<Vec<u8>>,
    pub valid_until: Option<DateTime<Utc>>,
}

/// Which page, rendered how: (rendering, query, cursor, limit).
pub(crate) type RenderKey = (&'static str, String, String, u32);

/// One partner's active customers, by name then id, with their names folded for search.
pub(crate) struct CustomerList {
    rows: Vec<RelationshipRecord>,
    folded: Vec<String>,
    /// Rendered pages of this very list: they go when the list goes.
    rendered: Mutex<HashMap<RenderKey, Rendered>>,
}

impl CustomerList {
    /// This list with the given customers' rows replaced by `fresh` (their current rows,
    /// active or not; inactive ones leave the list).
    pub fn patched(&self, changed: &[TenantId], fresh: Vec<RelationshipRecord>) -> Self {
        let mut rows: Vec<RelationshipRecord> = self
            .rows
            .iter()
            .filter(|r| !changed.contains(&r.tenant_id))
            .cloned()
            .collect();
        rows.extend(
            fresh
                .into_iter()
                .filter(|r| r.status == accord_domain::RelationshipStatus::Active),
        );
        rows.sort_by(|a, b| {
            (a.customer_name.as_str(), a.tenant_id.to_string())
                .cmp(&(b.customer_name.as_str(), b.tenant_id.to_string()))
        });
        Self::new(rows)
    }

    pub fn new(rows: Vec<RelationshipRecord>) -> Self {
        let folded = rows.iter().map(|r| fold(&r.customer_name)).collect();
        Self {
            rows,
            folded,
            rendered: Mutex::new(HashMap::new()),
        }
    }

    /// A page rendered before that is still true at `now`.
    pub fn rendered(&self, key: &RenderKey, now: DateTime<Utc>) -> Option<Arc<Vec<u8>>> {
        let map = self.rendered.lock().unwrap_or_else(|e| e.into_inner());
        map.get(key)
            .filter(|r| r.valid_until.is_none_or(|v| now < v))
            .map(|r| r.bytes.clone())
    }

    pub fn keep_rendered(&self, key: RenderKey, r: Rendered) {
        let mut map = self.rendered.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_RENDERED {
            map.clear();
        }
        map.insert(key, r);
    }

    /// Up to `limit` rows after `after` (a name and id) whose folded name contains the
    /// folded `query`: the same answer as the database's `LIKE '%query%'` page.
    pub fn page(
        &self,
        query: Option<&str>,
        after: Option<&(String, TenantId)>,
        limit: usize,
    ) -> Vec<RelationshipRecord> {
        let start = match after {
            None => 0,
            Some((name, id)) => self.rows.partition_point(|r| {
                (r.customer_name.as_str(), r.tenant_id.to_string())
                    <= (name.as_str(), id.to_string())
            }),
        };
        let q = query.map(fold);
        self.rows[start..]
            .iter()
            .zip(&self.folded[start..])
            .filter(|(_, f)| q.as_deref().is_none_or(|q| f.contains(q)))
            .take(limit)
            .map(|(r, _)| r.clone())
            .collect()
    }
}

#[derive(Default)]
pub(crate) struct CustomerIndex {
    lists: RwLock<Lists>,
    /// Bumped when the whole index starts over.
    epoch: AtomicU64,
}

/// A partner's list and the customers whose relationship changed since it was read.
struct Entry {
    list: Arc<CustomerList>,
    dirty: Vec<TenantId>,
}

/// Past this many changed customers a list is read again whole.
const MAX_DIRTY: usize = 256;

/// What [`CustomerIndex::get`] found for a partner.
pub(crate) struct Found {
    pub list: Arc<CustomerList>,
    /// Customers to read again before the list is true; empty when it is.
    pub dirty: Vec<TenantId>,
    pub stamp: LoadStamp,
}

#[derive(Default)]
struct Lists {
    by_partner: HashMap<TenantId, Entry>,
    /// Bumped per partner by each change to one of its relationships, so that a change for
    /// one partner does not discard another partner's load in progress.
    versions: HashMap<TenantId, u64>,
}

/// What a load saw before it read the database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct LoadStamp {
    epoch: u64,
    partner: u64,
}

impl CustomerIndex {
    pub fn stamp(&self, partner: TenantId) -> LoadStamp {
        let lists = self.lists.read().unwrap_or_else(|e| e.into_inner());
        LoadStamp {
            epoch: self.epoch.load(Ordering::Acquire),
            partner: lists.versions.get(&partner).copied().unwrap_or(0),
        }
    }

    pub fn get(&self, partner: TenantId) -> Option<Found> {
        let lists = self.lists.read().unwrap_or_else(|e| e.into_inner());
        let e = lists.by_partner.get(&partner)?;
        Some(Found {
            list: e.list.clone(),
            dirty: e.dirty.clone(),
            stamp: LoadStamp {
                epoch: self.epoch.load(Ordering::Acquire),
                partner: lists.versions.get(&partner).copied().unwrap_or(0),
            },
        })
    }

    /// Keeps a list read after `stamp` (whole, or patched for the dirty customers seen
    /// with `stamp`), unless the partner's relationships (or the whole index) changed
    /// since: then the older list and all its dirt stay, to be patched next time.
    pub fn fill(&self, stamp: LoadStamp, partner: TenantId, list: Arc<CustomerList>) {
        let mut lists = self.lists.write().unwrap_or_else(|e| e.into_inner());
        let now = LoadStamp {
            epoch: self.epoch.load(Ordering::Acquire),
            partner: lists.versions.get(&partner).copied().unwrap_or(0),
        };
        if now != stamp {
            return;
        }
        let held: usize = lists
            .by_partner
            .iter()
            .filter(|(p, _)| **p != partner)
            .map(|(_, e)| e.list.rows.len())
            .sum();
        if held + list.rows.len() > MAX_ROWS {
            lists.by_partner.clear();
        }
        lists.by_partner.insert(
            partner,
            Entry {
                list,
                dirty: Vec::new(),
            },
        );
    }

    pub fn apply(&self, change: &Change) {
        match change {
            Change::RelationshipChanged { partner, customer } => {
                let mut lists = self.lists.write().unwrap_or_else(|e| e.into_inner());
                *lists.versions.entry(*partner).or_default() += 1;
                let too_dirty = match lists.by_partner.get_mut(partner) {
                    Some(e) => {
                        if !e.dirty.contains(customer) {
                            e.dirty.push(*customer);
                        }
                        e.dirty.len() > MAX_DIRTY
                    }
                    None => false,
                };
                if too_dirty {
                    lists.by_partner.remove(partner);
                }
            }
            // A renamed organisation may be anyone's customer.
            Change::TenantChanged { .. } => self.clear(),
            _ => {}
        }
    }

    pub fn clear(&self) {
        let mut lists = self.lists.write().unwrap_or_else(|e| e.into_inner());
        self.epoch.fetch_add(1, Ordering::AcqRel);
        lists.by_partner.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use accord_domain::{RelationshipId, RelationshipStatus};
    use chrono::Utc;

    fn row(name: &str) -> RelationshipRecord {
        RelationshipRecord {
            tenant_id: TenantId::new(),
            partner_id: TenantId(uuid::Uuid::nil()),
            id: RelationshipId::new(),
            partner_name: "P".into(),
            customer_name: name.into(),
            types: Default::default(),
            grant: None,
            status: RelationshipStatus::Active,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn pages_like_the_database() {
        let mut rows: Vec<_> = ["b_c", "B%x", "Abc", "abd", "Zed", "b_c", "Éclair"]
            .into_iter()
            .map(row)
            .collect();
        rows.sort_by(|a, b| {
            (a.customer_name.as_str(), a.tenant_id.to_string())
                .cmp(&(b.customer_name.as_str(), b.tenant_id.to_string()))
        });
        let list = CustomerList::new(rows.clone());
        let mut seen = Vec::new();
        let mut after: Option<(String, TenantId)> = None;
        loop {
            let page = list.page(None, after.as_ref(), 2);
            if page.is_empty() {
                break;
            }
            after = page.last().map(|r| (r.customer_name.clone(), r.tenant_id));
            seen.extend(page.into_iter().map(|r| r.tenant_id));
        }
        assert_eq!(seen, rows.iter().map(|r| r.tenant_id).collect::<Vec<_>>());
        let names = |q| {
            list.page(Some(q), None, 10)
                .into_iter()
                .map(|r| r.customer_name)
                .collect::<Vec<_>>()
        };
        assert_eq!(names("_").len(), 2, "_ is literal");
        assert_eq!(names("b%"), vec!["B%x"]);
        assert_eq!(names("AB").len(), 2);
        assert_eq!(names("ÉCLAIR"), vec!["Éclair"]);
    }

    #[test]
    fn a_change_drops_the_partner_and_stale_fills() {
        let index = CustomerIndex::default();
        let p = TenantId::new();
        let other = TenantId::new();
        let v = index.stamp(p);
        let v_other = index.stamp(other);
        index.fill(v, p, Arc::new(CustomerList::new(vec![row("A")])));
        assert!(index.get(p).is_some_and(|f| f.dirty.is_empty()));
        let changed = TenantId::new();
        index.apply(&Change::RelationshipChanged {
            customer: changed,
            partner: p,
        });
        let found = index.get(p).unwrap_or_else(|| unreachable!());
        assert_eq!(found.dirty, vec![changed], "to be read again");
        index.fill(v, p, Arc::new(CustomerList::new(vec![row("A")])));
        assert_eq!(
            index.get(p).map(|f| f.dirty.len()),
            Some(1),
            "a fill from before the change is not kept"
        );
        index.fill(found.stamp, p, Arc::new(CustomerList::new(vec![row("B")])));
        assert!(index.get(p).is_some_and(|f| f.dirty.is_empty()), "patched");
        index.fill(v_other, other, Arc::new(CustomerList::new(vec![row("B")])));
        assert!(
            index.get(other).is_some(),
            "another partner's change does not discard its load"
        );
        for _ in 0..=MAX_DIRTY {
            index.apply(&Change::RelationshipChanged {
                customer: TenantId::new(),
                partner: other,
            });
        }
        assert!(
            index.get(other).is_none(),
            "too many changes: read whole again"
        );
    }
}
