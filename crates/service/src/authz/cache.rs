//! Sessions and access tokens, checked in memory after their first use.
//!
//! An entry maps the SHA-256 of a credential to its principal. Entries are dropped when
//! the change feed says the credential, its user or its organisation changed: at once on
//! the node that made the change (after its commit), and on every other node when it reads
//! the feed (at most [`crate::feed::POLL_INTERVAL`] later, see `docs/ARCHITECTURE.md`).
//!
//! A lookup that misses reads the database and fills the cache only if no invalidation
//! happened meanwhile (a version counter), so a fill racing a revocation can never put a
//! revoked credential back.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use accord_domain::{TenantId, UserId};
use chrono::{DateTime, Utc};

use super::Principal;
use crate::work::Change;

/// At most this many credentials are held; past it the cache starts over.
pub(crate) const MAX_ENTRIES: usize = 200_000;
/// An entry is read again from the database after this long, whatever the feed says
/// (a second line of defence, not the mechanism).
pub(crate) const MAX_AGE: Duration = Duration::from_secs(600);

#[derive(Clone)]
pub(crate) struct Cached {
    pub principal: Arc<Principal>,
    /// The session's CSRF token (sessions only).
    pub csrf: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
    loaded: Instant,
}

impl std::fmt::Debug for Cached {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cached")
            .field("user", &self.principal.user_id)
            .field("csrf", &self.csrf.as_ref().map(|_| "***"))
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

#[derive(Default)]
struct Inner {
    by_hash: HashMap<String, Cached>,
    by_user: HashMap<(TenantId, UserId), HashSet<String>>,
}

impl Inner {
    fn remove_hash(&mut self, hash: &str) {
        if let Some(c) = self.by_hash.remove(hash) {
            let key = (c.principal.tenant.id, c.principal.user_id);
            if let Some(set) = self.by_user.get_mut(&key) {
                set.remove(hash);
                if set.is_empty() {
                    self.by_user.remove(&key);
                }
            }
        }
    }

    fn remove_user(&mut self, key: (TenantId, UserId)) {
        for h in self.by_user.remove(&key).unwrap_or_default() {
            self.by_hash.remove(&h);
        }
    }
}

#[derive(Default)]
pub(crate) struct CredentialCache {
    inner: RwLock<Inner>,
    /// Bumped by every invalidation; a fill that started before a bump is not kept.
    version: AtomicU64,
}

impl CredentialCache {
    /// The version to hand back to [`CredentialCache::fill`] after reading the database.
    pub fn version(&self) -> u64 {
        self.version.load(Ordering::Acquire)
    }

    pub fn get(&self, hash: &str) -> Option<Cached> {
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        inner
            .by_hash
            .get(hash)
            .filter(|c| c.loaded.elapsed() < MAX_AGE)
            .cloned()
    }

    /// Keeps a credential read from the database at `version`, unless something was
    /// invalidated since.
    pub fn fill(
        &self,
        version: u64,
        hash: &str,
        principal: Arc<Principal>,
        csrf: Option<String>,
        expires_at: Option<DateTime<Utc>>,
    ) {
        let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
        if self.version.load(Ordering::Acquire) != version {
            return;
        }
        if inner.by_hash.len() >= MAX_ENTRIES {
            *inner = Inner::default();
        }
        let key = (principal.tenant.id, principal.user_id);
        inner
            .by_user
            .entry(key)
            .or_default()
            .insert(hash.to_string());
        inner.by_hash.insert(
            hash.to_string(),
            Cached {
                principal,
                csrf,
                expires_at,
                loaded: Instant::now(),
            },
        );
    }

    /// Drops what a change makes stale.
    pub fn apply(&self, change: &Change) {
        let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
        self.version.fetch_add(1, Ordering::AcqRel);
        match change {
            Change::SessionEnded { token_hash, .. } | Change::TokenRevoked { token_hash, .. } => {
                inner.remove_hash(token_hash);
            }
            Change::UserChanged { tenant, user } => inner.remove_user((*tenant, *user)),
            Change::TenantChanged { tenant } => {
                let users: Vec<_> = inner
                    .by_user
                    .keys()
                    .filter(|(t, _)| t == tenant)
                    .copied()
                    .collect();
                for u in users {
                    inner.remove_user(u);
                }
            }
            Change::RelationshipChanged { .. }
            | Change::ReferenceChanged { .. }
            | Change::AccessChanged { .. }
            | Change::ProfileChanged { .. }
            | Change::DirectoryReloaded => {}
        }
    }

    /// Forgets everything (a follower that fell behind the feed's retention).
    pub fn clear(&self) {
        let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
        self.version.fetch_add(1, Ordering::AcqRel);
        *inner = Inner::default();
    }

    pub fn len(&self) -> usize {
        self.inner
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .by_hash
            .len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authz::Organisation;
    use accord_domain::{Cloud, CountryCode};

    fn principal(tenant: TenantId, user: UserId) -> Arc<Principal> {
        Arc::new(Principal {
            tenant: Organisation {
                id: tenant,
                name: "T".into(),
                domain: "t.example".into(),
                country: CountryCode::parse("KR").unwrap_or_else(|_| unreachable!()),
                cloud: Cloud::Public,
                is_partner: false,
                created_at: Utc::now(),
            },
            user_id: user,
            email: "u@t.example".into(),
            display_name: "U".into(),
            roles: vec![],
        })
    }

    #[test]
    fn invalidations_drop_entries_and_stale_fills() {
        let cache = CredentialCache::default();
        let (t, u) = (TenantId::new(), UserId::new());
        let v = cache.version();
        cache.fill(v, "a", principal(t, u), None, None);
        cache.fill(v, "b", principal(t, u), None, None);
        assert!(cache.get("a").is_some());
        cache.apply(&Change::TokenRevoked {
            tenant: t,
            token_hash: "a".into(),
        });
        assert!(cache.get("a").is_none());
        assert!(cache.get("b").is_some());

        // A fill that read the database before an invalidation is not kept.
        let before = cache.version();
        cache.apply(&Change::UserChanged { tenant: t, user: u });
        assert!(cache.get("b").is_none());
        cache.fill(before, "b", principal(t, u), None, None);
        assert!(cache.get("b").is_none(), "a stale fill must not come back");

        cache.fill(cache.version(), "c", principal(t, u), None, None);
        cache.apply(&Change::TenantChanged { tenant: t });
        assert_eq!(cache.len(), 0);
    }
}
