//! The unit of work: one write transaction per use case, holding the state change, its
//! audit events (who acted, for which tenant, in which request), its outbox rows and its
//! change-feed rows, committed once. Dropping a `Work` without committing rolls all of it
//! back. After the commit, the changes are applied to this node's caches at once; other
//! nodes apply them when they read the change feed.

use std::fmt::Display;
use std::future::Future;

use accord_domain::{TenantId, UserId};
use accord_store::{AuditRecord, NewChange, OutboxRecord, WriteTx};
use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::{Accord, Principal, Result};

tokio::task_local! {
    static REQUEST_ID: String;
}

/// Runs `f` with `id` as the request id that every unit of work started inside it records
/// in its audit events (the web layer sets one per HTTP request, the CLI one per command).
pub async fn with_request_id<F: Future>(id: String, f: F) -> F::Output {
    REQUEST_ID.scope(id, f).await
}

/// The request id of the current task, if one was set.
pub fn current_request_id() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// Who makes a change, as the audit trail records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Actor {
    /// A signed-in user.
    User { tenant: TenantId, user: UserId },
    /// The operator's command line on the server's machine: local authority over the
    /// database, recorded as such.
    LocalOperator,
    /// No one: a scheduled task, or a sign-up before its first user exists.
    System,
}

impl Actor {
    pub fn of(p: &Principal) -> Self {
        Actor::User {
            tenant: p.tenant.id,
            user: p.user_id,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Actor::User { .. } => "user",
            Actor::LocalOperator => "local_operator",
            Actor::System => "system",
        }
    }

    fn ids(&self) -> (Option<TenantId>, Option<UserId>) {
        match self {
            Actor::User { tenant, user } => (Some(*tenant), Some(*user)),
            _ => (None, None),
        }
    }
}

/// An audit event: what was done to which subject, with details.
#[derive(Clone, Debug)]
pub(crate) struct Audit {
    action: &'static str,
    subject_type: &'static str,
    subject_id: String,
    details: Value,
}

impl Audit {
    pub fn new(action: &'static str, subject_type: &'static str, subject_id: impl Display) -> Self {
        Self {
            action,
            subject_type,
            subject_id: subject_id.to_string(),
            details: Value::Object(Default::default()),
        }
    }

    pub fn details(mut self, details: Value) -> Self {
        self.details = details;
        self
    }
}

/// Something other nodes must learn about: their caches and derived indexes follow the
/// change feed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// A portal session ended (sign-out).
    SessionEnded {
        tenant: TenantId,
        token_hash: String,
    },
    /// A personal access token was deleted.
    TokenRevoked {
        tenant: TenantId,
        token_hash: String,
    },
    /// A user's account changed (disabled, enabled, roles): every cached credential of the
    /// user is dropped.
    UserChanged { tenant: TenantId, user: UserId },
    /// An organisation changed: every cached credential of its users is dropped.
    TenantChanged { tenant: TenantId },
    /// A relationship between a customer and a partner changed.
    RelationshipChanged {
        customer: TenantId,
        partner: TenantId,
    },
    /// Provider-wide reference data changed (agreement versions, the region table).
    ReferenceChanged { what: &'static str },
    /// A partner changed which granted roles one of its agents holds for a customer.
    AccessChanged {
        partner: TenantId,
        customer: TenantId,
        agent: UserId,
    },
    /// A partner's public profile changed (or what it may offer): the directory index
    /// re-reads it.
    ProfileChanged { partner: TenantId },
    /// Profiles were loaded in bulk (`accord demo --partners`): the directory index is
    /// rebuilt.
    DirectoryReloaded,
}

impl Change {
    pub(crate) fn to_row(&self) -> NewChange {
        let nil = TenantId(uuid::Uuid::nil());
        let (tenant_id, kind, key) = match self {
            Change::SessionEnded { tenant, token_hash } => {
                (*tenant, "session.ended", token_hash.clone())
            }
            Change::TokenRevoked { tenant, token_hash } => {
                (*tenant, "api_token.revoked", token_hash.clone())
            }
            Change::UserChanged { tenant, user } => (*tenant, "user.changed", user.to_string()),
            Change::TenantChanged { tenant } => (*tenant, "tenant.changed", String::new()),
            Change::RelationshipChanged { customer, partner } => {
                (*customer, "relationship.changed", partner.to_string())
            }
            Change::ReferenceChanged { what } => (nil, "reference.changed", (*what).to_string()),
            Change::AccessChanged {
                partner,
                customer,
                agent,
            } => (*partner, "access.changed", format!("{customer}/{agent}")),
            Change::ProfileChanged { partner } => (*partner, "profile.changed", String::new()),
            Change::DirectoryReloaded => (nil, "directory.reloaded", String::new()),
        };
        NewChange {
            tenant_id,
            kind: kind.to_string(),
            key,
        }
    }

    /// Reads a change back from the feed; `None` for kinds this version does not know
    /// (written by a newer node during a rolling upgrade), which followers skip.
    pub(crate) fn from_row(tenant: TenantId, kind: &str, key: &str) -> Option<Self> {
        Some(match kind {
            "session.ended" => Change::SessionEnded {
                tenant,
                token_hash: key.to_string(),
            },
            "api_token.revoked" => Change::TokenRevoked {
                tenant,
                token_hash: key.to_string(),
            },
            "user.changed" => Change::UserChanged {
                tenant,
                user: key.parse().ok()?,
            },
            "tenant.changed" => Change::TenantChanged { tenant },
            "profile.changed" => Change::ProfileChanged { partner: tenant },
            "directory.reloaded" => Change::DirectoryReloaded,
            "relationship.changed" => Change::RelationshipChanged {
                customer: tenant,
                partner: key.parse().ok()?,
            },
            "access.changed" => {
                let (customer, agent) = key.split_once('/')?;
                Change::AccessChanged {
                    partner: tenant,
                    customer: customer.parse().ok()?,
                    agent: agent.parse().ok()?,
                }
            }
            "reference.changed" => Change::ReferenceChanged {
                what: match key {
                    "agreements" => "agreements",
                    "regions" => "regions",
                    "products" => "products",
                    _ => "other",
                },
            },
            _ => return None,
        })
    }
}

/// One use case's transaction and everything that must commit with it.
pub(crate) struct Work {
    tx: Box<dyn WriteTx>,
    accord: Accord,
    /// Now, read once the write lock is held, so waiting for the lock cannot let an
    /// expired request or session through.
    pub now: DateTime<Utc>,
    actor: Actor,
    /// The signed-in operator's name, written into the details of every event it makes.
    operator_name: Option<String>,
    acting_for: Option<TenantId>,
    request_id: Option<String>,
    audits: Vec<AuditRecord>,
    operator_events: Vec<AuditRecord>,
    outbox: Vec<OutboxRecord>,
    changes: Vec<Change>,
}

impl Work {
    pub async fn begin(accord: &Accord, actor: Actor) -> Result<Self> {
        let tx = accord.store().write().await?;
        Ok(Self {
            tx,
            accord: accord.clone(),
            now: accord.now(),
            actor,
            operator_name: None,
            acting_for: None,
            request_id: current_request_id(),
            audits: Vec::new(),
            operator_events: Vec::new(),
            outbox: Vec::new(),
            changes: Vec::new(),
        })
    }

    /// Names the actor once it is known (a sign-out learns whose session it ends from the
    /// session itself).
    pub fn set_actor(&mut self, actor: Actor) {
        self.actor = actor;
    }

    /// Names the operator acting, for the trail: its events carry `"operator": name`.
    pub fn operator_named(&mut self, name: &str) {
        if !name.is_empty() {
            self.operator_name = Some(name.to_string());
        }
    }

    /// Names the tenant the actor acts for (a partner acting for its customer).
    pub fn acting_for(&mut self, tenant: TenantId) {
        self.acting_for = Some(tenant);
    }

    pub fn tx(&mut self) -> &mut dyn WriteTx {
        self.tx.as_mut()
    }

    fn record(&self, tenant: TenantId, counterpart: Option<TenantId>, a: &Audit) -> AuditRecord {
        let (actor_tenant_id, actor_user_id) = self.actor.ids();
        AuditRecord {
            tenant_id: tenant,
            id: uuid::Uuid::now_v7(),
            at: self.now,
            actor_kind: self.actor.kind().to_string(),
            actor_tenant_id,
            actor_user_id,
            acting_for: self.acting_for,
            counterpart_id: counterpart,
            request_id: self.request_id.clone(),
            action: a.action.to_string(),
            subject_type: a.subject_type.to_string(),
            subject_id: a.subject_id.clone(),
            details: match (&self.operator_name, &a.details) {
                (Some(name), serde_json::Value::Object(m)) => {
                    let mut m = m.clone();
                    m.insert("operator".into(), serde_json::Value::String(name.clone()));
                    serde_json::Value::Object(m)
                }
                (Some(name), serde_json::Value::Null) => serde_json::json!({"operator": name}),
                _ => a.details.clone(),
            },
        }
    }

    /// Records an audit event once in the trail of every tenant concerned. An event of
    /// two tenants (a partner and its customer) names the other one in each trail, so
    /// each side can read the history of that relationship.
    pub fn audit(&mut self, a: Audit, tenants: &[TenantId]) {
        for t in tenants {
            let counterpart = match tenants {
                [x, y] if x != y => Some(if t == x { *y } else { *x }),
                _ => None,
            };
            let rec = self.record(*t, counterpart, &a);
            self.audits.push(rec);
        }
    }

    /// Records a provider-wide operator event (agreement versions, the region table).
    pub fn operator_event(&mut self, a: Audit) {
        let rec = self.record(TenantId(uuid::Uuid::nil()), None, &a);
        self.operator_events.push(rec);
    }

    /// Announces a change to every node.
    pub fn changed(&mut self, c: Change) {
        self.changes.push(c);
    }

    /// Queues a message for delivery after the commit.
    pub fn send(&mut self, tenant: TenantId, kind: &str, payload: Value) {
        self.outbox
            .push(OutboxRecord::new(tenant, kind, payload, self.now));
    }

    /// Writes the audit, outbox and change-feed rows and commits, all or nothing; then
    /// applies the changes to this node's caches.
    pub async fn commit(mut self) -> Result<()> {
        for a in &self.audits {
            self.tx.insert_audit(a).await?;
        }
        for e in &self.operator_events {
            self.tx.insert_operator_event(e).await?;
        }
        for m in &self.outbox {
            self.tx.insert_outbox(m).await?;
        }
        if !self.changes.is_empty() {
            // Last, so the feed's row lock is held only for the commit itself.
            let rows: Vec<NewChange> = self.changes.iter().map(Change::to_row).collect();
            self.tx.append_changes(self.now, &rows).await?;
        }
        self.tx.commit().await?;
        for c in &self.changes {
            self.accord.apply_change(c);
        }
        if !self.outbox.is_empty() {
            self.accord.inner.mail_queued.notify_one();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

    use std::sync::Arc;

    use super::*;
    use crate::{NewTenant, ServiceConfig, SystemClock};

    #[tokio::test]
    async fn a_unit_of_work_lands_whole_or_not_at_all() {
        let (store, _db) = accord_test_support::fresh_store().await;
        let accord = Accord::new(
            Arc::new(store.clone()),
            Arc::new(SystemClock),
            ServiceConfig::default(),
        );
        let org = accord
            .local_operator()
            .create_tenant(&NewTenant {
                name: "Unit".into(),
                domain: "unit.example".into(),
                country: "KR".into(),
                cloud: accord_domain::Cloud::Public,
                is_partner: false,
            })
            .await
            .unwrap();
        let head = |accord: Accord| async move {
            let mut tx = accord.store().read().await.unwrap();
            tx.feed_bounds().await.unwrap().0
        };
        let before = head(accord.clone()).await;
        let stage = |w: &mut Work, action: &'static str| {
            w.acting_for(org.id);
            w.audit(Audit::new(action, "tenant", org.id), &[org.id]);
            w.send(org.id, "email", serde_json::json!({"to": "x@unit.example"}));
            w.changed(Change::TenantChanged { tenant: org.id });
        };

        // Dropped: no audit row, no outbox row, no change.
        let mut w = Work::begin(&accord, Actor::LocalOperator).await.unwrap();
        stage(&mut w, "test.dropped");
        drop(w);
        let mut tx = accord.store().read().await.unwrap();
        let trail = tx.list_audit(org.id, 10).await.unwrap();
        assert!(trail.iter().all(|e| e.action != "test.dropped"));
        assert!(tx.pending_outbox(org.id, 10).await.unwrap().is_empty());
        drop(tx);
        assert_eq!(head(accord.clone()).await, before);

        // Committed: all of it, with the actor, the tenant acted for and the request id.
        with_request_id("req-42".into(), async {
            let mut w = Work::begin(&accord, Actor::LocalOperator).await.unwrap();
            stage(&mut w, "test.committed");
            w.commit().await.unwrap();
        })
        .await;
        let mut tx = accord.store().read().await.unwrap();
        let e = tx
            .list_audit(org.id, 10)
            .await
            .unwrap()
            .into_iter()
            .find(|e| e.action == "test.committed")
            .expect("audit row");
        assert_eq!(e.actor_kind, "local_operator");
        assert_eq!(e.acting_for, Some(org.id));
        assert_eq!(e.request_id.as_deref(), Some("req-42"));
        assert_eq!(tx.pending_outbox(org.id, 10).await.unwrap().len(), 1);
        let changes = tx.changes_after(before, 10).await.unwrap();
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].seq, before + 1);
        assert_eq!(
            Change::from_row(changes[0].tenant_id, &changes[0].kind, &changes[0].key),
            Some(Change::TenantChanged { tenant: org.id })
        );
    }
}
