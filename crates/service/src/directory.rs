//! The customer's directory (issue 9, SPEC F5/F11): users, their directory roles, password
//! resets and licences, run by the customer's own admins and by partner agents.
//!
//! Every operation is written once, on [`Directory`], against the capability it needs
//! ([`Directory::require`]). A [`Directory`] names the customer and the caller; what the
//! caller may do is decided per capability: a customer's own user by its directory roles,
//! a partner's agent by the roles both granted to its partner (while the grant is in
//! force) and assigned to it (the grant index, [`crate::authz::grants`]), or by the roles
//! of its guest account there ([`crate::guests`]). A partner with no active relationship
//! gets 404, as if the customer did not exist.
//!
//! Delegated writes are recorded for the customer in `delegated_actions` (its "Partner
//! activity") with the agent, the partner, the target, the roles used, the outcome and
//! the request id — refusals and failures too, in a unit of work of their own — and in
//! both organisations' trails.

use accord_domain::{
    normalise_email, normalise_name, Capability, DirectoryRole, DomainError, RelationshipStatus,
    RoleSet, SubscriptionId, SubscriptionStatus, TenantId, UserId,
};
/// The most agents Partner activity's agent filter offers.
pub const MAX_ACTIVITY_AGENTS: u32 = 1000;

pub use accord_store::{ActivityAgentRecord as ActivityAgent, ActivityFilter};
use accord_store::{DelegatedActionRecord, LicenseOutcome, LicenseRecord, UserRecord};
use chrono::{DateTime, Utc};

use crate::authz::grants::{grant_of, Facts};
use crate::pages::{encode_cursor, page_from, Page, PageRequest};
use crate::secrets::{hash_password, temporary_password};
use crate::work::{current_request_id, Actor, Audit, Change, Work};
use crate::{Accord, Error, Principal, Result};

/// Longest display name, in characters.
pub const MAX_DISPLAY_NAME: usize = 200;

/// A user of the customer's directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirectoryUser {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub roles: Vec<DirectoryRole>,
    pub disabled: bool,
    /// The password was set by an admin and must be changed at the next sign-in.
    pub password_temporary: bool,
    pub created_at: DateTime<Utc>,
    /// The subscriptions it holds a seat of (read with the user alone, empty in lists).
    pub licenses: Vec<SubscriptionId>,
}

impl DirectoryUser {
    fn of(u: UserRecord) -> Self {
        let roles = directory_roles(&u);
        Self {
            id: u.id,
            email: u.email,
            display_name: u.display_name,
            roles,
            disabled: u.disabled,
            password_temporary: u.password_temporary,
            created_at: u.created_at,
            licenses: Vec::new(),
        }
    }

    /// Whether the user holds an admin role (its password and roles are for Global
    /// admins to change).
    pub fn is_admin(&self) -> bool {
        self.roles.iter().any(|r| r.is_admin())
    }
}

fn directory_roles(u: &UserRecord) -> Vec<DirectoryRole> {
    directory_roles_of(&u.roles)
}

/// The directory roles among any roles (partner and operator roles left out).
pub(crate) fn directory_roles_of(roles: &[accord_domain::Role]) -> Vec<DirectoryRole> {
    roles
        .iter()
        .filter_map(|r| match r {
            accord_domain::Role::Directory(d) => Some(*d),
            _ => None,
        })
        .collect()
}

/// A new user: its address, name and directory roles (`user` when none).
#[derive(Clone, Debug)]
pub struct NewDirectoryUser {
    pub email: String,
    pub display_name: String,
    pub roles: Vec<DirectoryRole>,
}

/// What to change about a user; `None` leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct UserChanges {
    pub display_name: Option<String>,
    pub roles: Option<Vec<DirectoryRole>>,
    pub disabled: Option<bool>,
}

/// A user with a password to hand over once (created, or reset).
#[derive(Clone, PartialEq, Eq)]
pub struct WithPassword {
    pub user: DirectoryUser,
    pub temporary_password: String,
}

impl std::fmt::Debug for WithPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WithPassword")
            .field("user", &self.user)
            .field("temporary_password", &"***")
            .finish()
    }
}

/// A subscription as licences: its seats and how many are taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct License {
    pub subscription_id: SubscriptionId,
    pub sku: String,
    pub product_name: String,
    pub partner_name: String,
    pub seats: u32,
    pub assigned: u32,
}

impl License {
    pub fn available(&self) -> u32 {
        self.seats.saturating_sub(self.assigned)
    }
}

/// The actions a partner's agent can take in a customer's directory, as recorded.
pub const DELEGATED_ACTIONS: &[&str] = &[
    "directory_user.created",
    "directory_user.updated",
    "directory_user.deleted",
    "directory_user.password_reset",
    "license.assigned",
    "license.removed",
];

/// One delegated action as the customer reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DelegatedAction {
    pub id: uuid::Uuid,
    pub at: DateTime<Utc>,
    pub partner_id: TenantId,
    pub partner_name: String,
    pub agent_id: UserId,
    pub agent_name: String,
    pub agent_email: String,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    pub target_label: String,
    pub roles_used: Vec<DirectoryRole>,
    /// `succeeded`, `denied` (no role allowed it) or `failed` (a rule refused it).
    pub outcome: String,
    pub error_code: Option<String>,
    pub request_id: Option<String>,
}

impl From<DelegatedActionRecord> for DelegatedAction {
    fn from(a: DelegatedActionRecord) -> Self {
        Self {
            id: a.id,
            at: a.at,
            partner_id: a.partner_id,
            partner_name: a.partner_name,
            agent_id: a.agent_id,
            agent_name: a.agent_name,
            agent_email: a.agent_email,
            action: a.action,
            target_type: a.target_type,
            target_id: a.target_id,
            target_label: a.target_label,
            roles_used: a.roles_used,
            outcome: a.outcome,
            error_code: a.error_code,
            request_id: a.request_id,
        }
    }
}

/// Who acts in the directory, and how they came by the right.
enum Via {
    /// A user of the customer itself, with its directory roles.
    Own(RoleSet),
    /// A partner's agent.
    Delegated,
}

/// A caller in one customer's directory. What it may do is checked per operation.
pub struct Directory<'a> {
    accord: &'a Accord,
    principal: &'a Principal,
    customer: TenantId,
    via: Via,
    /// The roles the checks passed so far allowed: a delegated attempt that a rule then
    /// refuses is recorded with them.
    used: std::sync::Mutex<RoleSet>,
}

impl Accord {
    /// `p` in the directory of `customer`: its own organisation, or (for a partner's user)
    /// one of its customers. A customer's user naming another organisation gets 403
    /// `not_a_partner`; whether a partner may act there is settled per operation (404 for
    /// a customer it has no active relationship with).
    pub fn directory<'a>(&'a self, p: &'a Principal, customer: TenantId) -> Result<Directory<'a>> {
        let via = if customer == p.tenant.id {
            let roles = directory_roles_of(&p.roles);
            Via::Own(RoleSet::of(&roles))
        } else {
            self.partner_desk(p)?;
            Via::Delegated
        };
        Ok(Directory {
            accord: self,
            principal: p,
            customer,
            via,
            used: std::sync::Mutex::new(RoleSet::EMPTY),
        })
    }

    /// What the store says about an agent in a customer: the grant of an active
    /// relationship and the roles assigned.
    async fn read_facts(
        &self,
        partner: TenantId,
        customer: TenantId,
        agent: UserId,
    ) -> Result<Facts> {
        let mut tx = self.store().read().await?;
        facts_in(tx.as_mut(), partner, customer, agent).await
    }

    /// The facts of one agent in one customer: from the grant index when it is current,
    /// from the store otherwise.
    pub(crate) async fn delegated_facts(
        &self,
        partner: TenantId,
        customer: TenantId,
        agent: UserId,
    ) -> Result<Facts> {
        if !self.feed_is_current() {
            return self.read_facts(partner, customer, agent).await;
        }
        match self.grant_index().facts((partner, customer, agent)) {
            Ok(f) => Ok(f),
            Err(ticket) => {
                let f = self.read_facts(partner, customer, agent).await?;
                self.grant_index()
                    .fill((partner, customer, agent), ticket, f);
                Ok(f)
            }
        }
    }

    /// Loads the grant index from the store: every grant of an active relationship, every
    /// access assignment and every guest account. Returns how many grants and
    /// assignments.
    pub async fn load_grant_index(&self) -> Result<(usize, usize)> {
        const BATCH: u32 = 5000;
        let mut rels = Vec::new();
        let mut assignments = Vec::new();
        let mut tx = self.store().read().await?;
        let mut after = None;
        loop {
            let rows = tx.granted_relationships(after, BATCH).await?;
            let n = rows.len();
            after = rows.last().map(|r| (r.tenant_id, r.partner_id));
            rels.extend(rows);
            if n < BATCH as usize {
                break;
            }
        }
        let mut after = None;
        loop {
            let rows = tx.all_access_assignments(after, BATCH).await?;
            let n = rows.len();
            after = rows.last().map(|a| (a.partner_id, a.id));
            assignments.extend(rows);
            if n < BATCH as usize {
                break;
            }
        }
        let mut guests = Vec::new();
        let mut after = None;
        loop {
            let rows = tx.all_guests(after, BATCH).await?;
            let n = rows.len();
            after = rows.last().map(|g| (g.customer_id, g.user_id));
            guests.extend(rows);
            if n < BATCH as usize {
                break;
            }
        }
        drop(tx);
        let tables = crate::authz::grants::build(rels, assignments, guests);
        let counts = (tables.grants.len(), tables.assigned.len());
        self.grant_index().install(tables);
        Ok(counts)
    }

    /// How many grants and assignments this node's grant index holds.
    pub fn grant_index_size(&self) -> (usize, usize) {
        self.grant_index().len()
    }
}

/// The target of a delegated action, as the customer's record names it.
struct Target {
    kind: &'static str,
    id: String,
    label: String,
}

impl Target {
    fn user(id: impl ToString, label: &str) -> Self {
        Target {
            kind: "user",
            id: id.to_string(),
            label: label.to_string(),
        }
    }
}

impl<'a> Directory<'a> {
    pub fn customer(&self) -> TenantId {
        self.customer
    }

    /// Whether the caller is a partner's agent (not the customer's own user).
    pub fn is_delegated(&self) -> bool {
        matches!(self.via, Via::Delegated)
    }

    /// The roles with which the caller may use `c` here; 403 `capability_required` when
    /// none, and for a partner without an active relationship 404.
    pub async fn require(&self, c: Capability) -> Result<RoleSet> {
        let p = self.principal;
        match self.via {
            Via::Own(roles) => {
                let used = roles.allowing(c);
                if used.is_empty() {
                    Err(capability_required(c))
                } else {
                    Ok(used)
                }
            }
            Via::Delegated => {
                let facts = self
                    .accord
                    .delegated_facts(p.tenant.id, self.customer, p.user_id)
                    .await?;
                let now = self.accord.now().timestamp_millis();
                let used = facts.allowing(c, now);
                if !used.is_empty() {
                    let mut so_far = self.used.lock().unwrap_or_else(|e| e.into_inner());
                    *so_far = so_far.or(used);
                    return Ok(used);
                }
                // Refused: a stranger learns nothing, a partner learns why.
                if facts.grant.is_none() && !self.has_relationship().await? {
                    return Err(DomainError::NotFound { what: "customer" }.into());
                }
                Err(capability_required(c))
            }
        }
    }

    /// Whether the caller's may use `c` here (for showing or hiding actions).
    pub async fn allows(&self, c: Capability) -> Result<bool> {
        match self.require(c).await {
            Ok(_) => Ok(true),
            Err(Error::Rule(DomainError::CapabilityRequired { .. })) => Ok(false),
            Err(e) => Err(e),
        }
    }

    async fn has_relationship(&self) -> Result<bool> {
        let mut tx = self.accord.store().read().await?;
        Ok(tx
            .relationship(self.customer, self.principal.tenant.id)
            .await?
            .is_some_and(|r| r.status == RelationshipStatus::Active))
    }

    /// A unit of work for a change made here, acting for the customer when delegated.
    async fn work(&self) -> Result<Work> {
        let mut w = Work::begin(self.accord, Actor::of(self.principal)).await?;
        if self.is_delegated() {
            w.acting_for(self.customer);
        }
        Ok(w)
    }

    /// The organisations whose trails record a change: the customer, and the partner too
    /// when its agent made it.
    fn trails(&self) -> Vec<TenantId> {
        if self.is_delegated() {
            vec![self.principal.tenant.id, self.customer]
        } else {
            vec![self.customer]
        }
    }

    fn action_record(
        &self,
        at: DateTime<Utc>,
        action: &str,
        target: &Target,
        used: RoleSet,
        outcome: &str,
        error: Option<&str>,
    ) -> DelegatedActionRecord {
        let p = self.principal;
        DelegatedActionRecord {
            tenant_id: self.customer,
            id: uuid::Uuid::now_v7(),
            at,
            partner_id: p.tenant.id,
            partner_name: p.tenant.name.clone(),
            agent_id: p.user_id,
            agent_name: p.display_name.clone(),
            agent_email: p.email.clone(),
            action: action.to_string(),
            target_type: target.kind.to_string(),
            target_id: target.id.clone(),
            target_label: target.label.clone(),
            roles_used: used.roles(),
            outcome: outcome.to_string(),
            error_code: error.map(str::to_string),
            request_id: current_request_id(),
        }
    }

    /// Records a change in the trails, and for a delegated one in the customer's record,
    /// inside the change's own unit of work.
    async fn record(
        &self,
        w: &mut Work,
        action: &'static str,
        target: &Target,
        used: RoleSet,
        details: serde_json::Value,
    ) -> Result<()> {
        let mut d = details;
        if let serde_json::Value::Object(m) = &mut d {
            m.insert("target".into(), serde_json::json!(target.label));
            if self.is_delegated() {
                m.insert("roles_used".into(), serde_json::json!(used.roles()));
                m.insert(
                    "by_name".into(),
                    serde_json::json!(self.principal.display_name),
                );
            }
        }
        w.audit(
            Audit::new(action, target.kind, &target.id).details(d),
            &self.trails(),
        );
        if self.is_delegated() {
            let rec = self.action_record(w.now, action, target, used, "succeeded", None);
            w.tx().insert_delegated_action(&rec).await?;
        }
        Ok(())
    }

    /// Passes `r` through; a delegated attempt that was refused or failed by a rule is
    /// recorded for the customer first, in a unit of work of its own. An agent without a
    /// relationship (404) leaves no record: the customer does not know it.
    async fn settle<T>(&self, action: &'static str, target: Target, r: Result<T>) -> Result<T> {
        if let (true, Err(Error::Rule(e))) = (self.is_delegated(), &r) {
            if !matches!(e, DomainError::NotFound { what: "customer" }) {
                let outcome = if matches!(e, DomainError::CapabilityRequired { .. }) {
                    "denied"
                } else {
                    "failed"
                };
                let at = self.accord.now();
                let mut target = target;
                if target.kind == "user" && target.label == target.id {
                    if let Ok(id) = target.id.parse::<UserId>() {
                        let mut tx = self.accord.store().read().await?;
                        if let Some(u) = tx.user(self.customer, id).await? {
                            target.label = format!("{} ({})", u.display_name, u.email);
                        }
                    }
                }
                // A refusal used no role; a rule's failure, the roles its checks passed.
                let used = if outcome == "failed" {
                    *self.used.lock().unwrap_or_else(|e| e.into_inner())
                } else {
                    RoleSet::EMPTY
                };
                let rec = self.action_record(at, action, &target, used, outcome, Some(e.code()));
                let write = async {
                    let mut tx = self.accord.store().write().await?;
                    tx.insert_delegated_action(&rec).await?;
                    tx.commit().await?;
                    Ok::<(), Error>(())
                };
                if let Err(le) = write.await {
                    tracing::error!(error = %le, code = e.code(), "recording a refused delegated action failed");
                }
            }
        }
        r
    }

    async fn stored_user(
        &self,
        tx: &mut dyn accord_store::ReadTx,
        id: UserId,
    ) -> Result<UserRecord> {
        Ok(tx
            .user(self.customer, id)
            .await?
            .ok_or(DomainError::NotFound { what: "user" })?)
    }

    // ---- users ----------------------------------------------------------------------

    /// The directory's users by name; `query` keeps those whose name or address holds it.
    pub async fn users(
        &self,
        query: Option<&str>,
        page: &PageRequest,
    ) -> Result<Page<DirectoryUser>> {
        self.require(Capability::UsersRead).await?;
        let limit = page.limit()?;
        let q = query.map(str::trim).filter(|q| !q.is_empty());
        if let Some(q) = q {
            accord_domain::check_text("q", q, 200)?;
        }
        let after = page
            .cursor_parts()?
            .map(|(name, id)| id.parse::<UserId>().map(|id| (name, id)))
            .transpose()
            .map_err(|_| DomainError::InvalidCursor)?;
        let mut tx = self.accord.store().read().await?;
        let rows = tx.page_users(self.customer, q, after, limit + 1).await?;
        Ok(page_from(
            rows,
            limit,
            |u| encode_cursor(&u.display_name, &u.id.to_string()),
            DirectoryUser::of,
        ))
    }

    /// One user, with its licences.
    pub async fn user(&self, id: UserId) -> Result<DirectoryUser> {
        self.require(Capability::UsersRead).await?;
        self.user_unchecked(id).await
    }

    /// Adds `roles_assign` to `used` when the change of roles involves an admin role
    /// (before or after): a User admin manages users, a Global admin manages admins.
    async fn require_for_roles(
        &self,
        before: &[DirectoryRole],
        after: &[DirectoryRole],
        used: RoleSet,
    ) -> Result<RoleSet> {
        if before != after && before.iter().chain(after).any(|r| r.is_admin()) {
            return Ok(used.or(self.require(Capability::RolesAssign).await?));
        }
        Ok(used)
    }

    /// Creates a user with a temporary password, shown once (SPEC F5).
    pub async fn create_user(&self, input: &NewDirectoryUser) -> Result<WithPassword> {
        let label = input.email.trim().chars().take(254).collect::<String>();
        let r = self.create_user_inner(input).await;
        self.settle("directory_user.created", Target::user("", &label), r)
            .await
    }

    async fn create_user_inner(&self, input: &NewDirectoryUser) -> Result<WithPassword> {
        let used = self.require(Capability::UsersWrite).await?;
        let email = normalise_email(&input.email)?;
        let name = normalise_name("display_name", &input.display_name, MAX_DISPLAY_NAME)?;
        let mut roles: Vec<DirectoryRole> = input.roles.clone();
        roles.sort();
        roles.dedup();
        if roles.is_empty() {
            roles.push(DirectoryRole::User);
        }
        let used = self.require_for_roles(&[], &roles, used).await?;
        let password = temporary_password();
        let hash = hash_password(password.clone()).await?;
        let mut w = self.work().await?;
        let rec = UserRecord {
            tenant_id: self.customer,
            id: UserId::new(),
            email: email.clone(),
            display_name: name,
            password_hash: hash,
            roles: roles
                .iter()
                .map(|r| accord_domain::Role::Directory(*r))
                .collect(),
            disabled: false,
            password_temporary: true,
            created_at: w.now,
        };
        match w.tx().insert_user(&rec).await {
            Err(e) if e.constraint() == Some(accord_store::constraint::USER_EMAIL) => {
                return Err(DomainError::EmailTaken { email }.into())
            }
            r => r?,
        }
        let target = Target::user(rec.id, &format!("{} ({})", rec.display_name, rec.email));
        self.record(
            &mut w,
            "directory_user.created",
            &target,
            used,
            serde_json::json!({"roles": roles}),
        )
        .await?;
        w.commit().await?;
        Ok(WithPassword {
            user: DirectoryUser::of(rec),
            temporary_password: password,
        })
    }

    /// Changes a user's name, roles or enabled state.
    pub async fn update_user(&self, id: UserId, changes: &UserChanges) -> Result<DirectoryUser> {
        let r = self.update_user_inner(id, changes).await;
        self.settle(
            "directory_user.updated",
            Target::user(id, &id.to_string()),
            r,
        )
        .await
    }

    async fn update_user_inner(&self, id: UserId, changes: &UserChanges) -> Result<DirectoryUser> {
        let used = self.require(Capability::UsersWrite).await?;
        let name = changes
            .display_name
            .as_deref()
            .map(|n| normalise_name("display_name", n, MAX_DISPLAY_NAME))
            .transpose()?;
        let mut w = self.work().await?;
        let before = self.stored_user(w.tx(), id).await?;
        let old_roles = directory_roles(&before);
        let mut new_roles = changes.roles.clone().unwrap_or_else(|| old_roles.clone());
        new_roles.sort();
        new_roles.dedup();
        if new_roles.is_empty() {
            new_roles.push(DirectoryRole::User);
        }
        let mut used = self.require_for_roles(&old_roles, &new_roles, used).await?;
        let disabling = changes.disabled == Some(true) && !before.disabled;
        let toggling = changes.disabled.is_some_and(|d| d != before.disabled);
        if toggling && old_roles.iter().any(|r| r.is_admin()) {
            used = used.or(self.require(Capability::RolesAssign).await?);
        }
        let own = id == self.principal.user_id && !self.is_delegated();
        let loses_ga = old_roles.contains(&DirectoryRole::GlobalAdmin)
            && (!new_roles.contains(&DirectoryRole::GlobalAdmin) || disabling);
        if own && (disabling || loses_ga) {
            return Err(DomainError::OwnAccount.into());
        }
        if loses_ga && !before.disabled && w.tx().count_global_admins(self.customer).await? <= 1 {
            return Err(DomainError::LastGlobalAdmin.into());
        }
        let after = UserRecord {
            display_name: name.unwrap_or_else(|| before.display_name.clone()),
            roles: new_roles
                .iter()
                .map(|r| accord_domain::Role::Directory(*r))
                .collect(),
            disabled: changes.disabled.unwrap_or(before.disabled),
            ..before.clone()
        };
        if after == before {
            return Ok(DirectoryUser::of(after));
        }
        let now = w.now;
        w.tx().update_user(&after, now).await?;
        if after.disabled && !before.disabled {
            w.tx().delete_user_sessions(self.customer, id).await?;
        }
        w.changed(Change::UserChanged {
            tenant: self.customer,
            user: id,
        });
        let target = Target::user(id, &format!("{} ({})", after.display_name, after.email));
        let details = serde_json::json!({
            "display_name": (after.display_name != before.display_name).then_some(&after.display_name),
            "roles": (new_roles != old_roles).then_some(&new_roles),
            "previous_roles": (new_roles != old_roles).then_some(&old_roles),
            "disabled": (after.disabled != before.disabled).then_some(after.disabled),
        });
        self.record(&mut w, "directory_user.updated", &target, used, details)
            .await?;
        w.commit().await?;
        Ok(DirectoryUser::of(after))
    }

    /// Deletes a user with its sessions, tokens and licences.
    pub async fn delete_user(&self, id: UserId) -> Result<()> {
        let r = self.delete_user_inner(id).await;
        self.settle(
            "directory_user.deleted",
            Target::user(id, &id.to_string()),
            r,
        )
        .await
    }

    async fn delete_user_inner(&self, id: UserId) -> Result<()> {
        let mut used = self.require(Capability::UsersWrite).await?;
        if id == self.principal.user_id && !self.is_delegated() {
            return Err(DomainError::OwnAccount.into());
        }
        let mut w = self.work().await?;
        let before = self.stored_user(w.tx(), id).await?;
        let roles = directory_roles(&before);
        if roles.iter().any(|r| r.is_admin()) {
            used = used.or(self.require(Capability::RolesAssign).await?);
        }
        if roles.contains(&DirectoryRole::GlobalAdmin)
            && !before.disabled
            && w.tx().count_global_admins(self.customer).await? <= 1
        {
            return Err(DomainError::LastGlobalAdmin.into());
        }
        w.tx().delete_user(self.customer, id).await?;
        w.changed(Change::UserChanged {
            tenant: self.customer,
            user: id,
        });
        let target = Target::user(id, &format!("{} ({})", before.display_name, before.email));
        self.record(
            &mut w,
            "directory_user.deleted",
            &target,
            used,
            serde_json::json!({"roles": roles}),
        )
        .await?;
        w.commit().await
    }

    /// Resets a user's password to a temporary one, shown once; the user's sessions end.
    /// An admin's password needs `passwords_reset_admins` (Global admin).
    pub async fn reset_password(&self, id: UserId) -> Result<WithPassword> {
        let r = self.reset_password_inner(id).await;
        self.settle(
            "directory_user.password_reset",
            Target::user(id, &id.to_string()),
            r,
        )
        .await
    }

    async fn reset_password_inner(&self, id: UserId) -> Result<WithPassword> {
        let mut used = self.require(Capability::PasswordsResetUsers).await?;
        if id == self.principal.user_id && !self.is_delegated() {
            return Err(DomainError::OwnAccount.into());
        }
        let target_user = {
            let mut tx = self.accord.store().read().await?;
            self.stored_user(tx.as_mut(), id).await?
        };
        if directory_roles(&target_user).iter().any(|r| r.is_admin()) {
            used = self.require(Capability::PasswordsResetAdmins).await?;
        }
        let password = temporary_password();
        let hash = hash_password(password.clone()).await?;
        let mut w = self.work().await?;
        let mut user = self.stored_user(w.tx(), id).await?;
        let now = w.now;
        if !w
            .tx()
            .set_password(self.customer, id, &hash, true, now)
            .await?
        {
            return Err(DomainError::NotFound { what: "user" }.into());
        }
        w.tx().delete_user_sessions(self.customer, id).await?;
        w.changed(Change::UserChanged {
            tenant: self.customer,
            user: id,
        });
        let target = Target::user(id, &format!("{} ({})", user.display_name, user.email));
        self.record(
            &mut w,
            "directory_user.password_reset",
            &target,
            used,
            serde_json::json!({}),
        )
        .await?;
        w.commit().await?;
        user.password_temporary = true;
        Ok(WithPassword {
            user: DirectoryUser::of(user),
            temporary_password: password,
        })
    }

    // ---- partner activity ------------------------------------------------------------

    /// The agents who have acted in the customer, by name (`audit_read`): Partner
    /// activity's agent filter offers them. At most [`MAX_ACTIVITY_AGENTS`].
    pub async fn activity_agents(&self) -> Result<Vec<ActivityAgent>> {
        self.require(Capability::AuditRead).await?;
        let mut tx = self.accord.store().read().await?;
        Ok(tx
            .activity_agents(self.customer, MAX_ACTIVITY_AGENTS)
            .await?)
    }

    /// The customer's record of delegated actions, newest first (`audit_read`).
    pub async fn partner_activity(
        &self,
        filter: &ActivityFilter,
        page: &PageRequest,
    ) -> Result<Page<DelegatedAction>> {
        self.require(Capability::AuditRead).await?;
        let limit = page.limit()?;
        if let Some(a) = &filter.action {
            if !DELEGATED_ACTIONS.contains(&a.as_str()) {
                return Err(DomainError::invalid(
                    "action",
                    accord_domain::InvalidReason::NotOneOf {
                        value: a.chars().take(40).collect(),
                        expected: DELEGATED_ACTIONS.join(", "),
                    },
                )
                .into());
            }
        }
        let before = page
            .cursor_parts()?
            .map(|(at, id)| {
                let at = at
                    .parse::<i64>()
                    .ok()
                    .and_then(DateTime::from_timestamp_millis);
                let id = uuid::Uuid::try_parse(&id).ok();
                at.zip(id).ok_or(DomainError::InvalidCursor)
            })
            .transpose()?;
        let mut tx = self.accord.store().read().await?;
        let rows = tx
            .delegated_actions(self.customer, filter, before, limit + 1)
            .await?;
        Ok(page_from(
            rows,
            limit,
            |a| encode_cursor(&a.at.timestamp_millis().to_string(), &a.id.to_string()),
            DelegatedAction::from,
        ))
    }

    // ---- licences -------------------------------------------------------------------

    /// The customer's active subscriptions as licences: seats, and how many are taken.
    pub async fn licenses(&self) -> Result<Vec<License>> {
        self.require(Capability::LicensesRead).await?;
        let mut tx = self.accord.store().read().await?;
        let subs = tx
            .list_subscriptions(self.customer, None, None, 500)
            .await?;
        let counts: std::collections::HashMap<SubscriptionId, u64> = tx
            .license_counts(self.customer)
            .await?
            .into_iter()
            .collect();
        Ok(subs
            .into_iter()
            .filter(|s| s.sub.status == SubscriptionStatus::Active)
            .map(|s| License {
                subscription_id: s.sub.id,
                assigned: counts
                    .get(&s.sub.id)
                    .copied()
                    .unwrap_or(0)
                    .min(u64::from(u32::MAX)) as u32,
                sku: s.sub.sku,
                product_name: s.product_name,
                partner_name: s.partner_name,
                seats: s.sub.quantity,
            })
            .collect())
    }

    /// Gives the user a seat of the subscription (`seats_exhausted` when all are taken);
    /// a seat the user already holds is answered as it is.
    pub async fn assign_license(
        &self,
        user: UserId,
        subscription: SubscriptionId,
    ) -> Result<DirectoryUser> {
        let r = self.assign_license_inner(user, subscription).await;
        self.settle("license.assigned", Target::user(user, &user.to_string()), r)
            .await
    }

    async fn assign_license_inner(
        &self,
        user: UserId,
        subscription: SubscriptionId,
    ) -> Result<DirectoryUser> {
        let used = self.require(Capability::LicensesAssign).await?;
        let mut w = self.work().await?;
        let u = self.stored_user(w.tx(), user).await?;
        let sub = w
            .tx()
            .subscription(self.customer, subscription)
            .await?
            .ok_or(DomainError::NotFound {
                what: "subscription",
            })?;
        if sub.sub.status != SubscriptionStatus::Active {
            return Err(DomainError::SubscriptionNotActive.into());
        }
        let rec = LicenseRecord {
            tenant_id: self.customer,
            subscription_id: subscription,
            user_id: user,
            assigned_at: w.now,
            assigned_by: self.principal.display_name.clone(),
        };
        match w.tx().assign_license(&rec, sub.sub.quantity).await? {
            LicenseOutcome::NoSeat => {
                return Err(DomainError::SeatsExhausted {
                    product: sub.product_name,
                    seats: sub.sub.quantity,
                }
                .into())
            }
            LicenseOutcome::AlreadyHeld => {}
            LicenseOutcome::Assigned => {
                let target = Target::user(user, &format!("{} ({})", u.display_name, u.email));
                self.record(&mut w, "license.assigned", &target, used, serde_json::json!({"sku": sub.sub.sku, "product": sub.product_name, "subscription_id": subscription})).await?;
                w.commit().await?;
            }
        }
        self.user_unchecked(user).await
    }

    /// Takes the user's seat of the subscription back; one it does not hold is 404.
    pub async fn remove_license(
        &self,
        user: UserId,
        subscription: SubscriptionId,
    ) -> Result<DirectoryUser> {
        let r = self.remove_license_inner(user, subscription).await;
        self.settle("license.removed", Target::user(user, &user.to_string()), r)
            .await
    }

    async fn remove_license_inner(
        &self,
        user: UserId,
        subscription: SubscriptionId,
    ) -> Result<DirectoryUser> {
        let used = self.require(Capability::LicensesAssign).await?;
        let mut w = self.work().await?;
        let u = self.stored_user(w.tx(), user).await?;
        let sub = w.tx().subscription(self.customer, subscription).await?;
        if !w
            .tx()
            .remove_license(self.customer, subscription, user)
            .await?
        {
            return Err(DomainError::NotFound { what: "license" }.into());
        }
        let target = Target::user(user, &format!("{} ({})", u.display_name, u.email));
        let (sku, product) = sub.map(|s| (s.sub.sku, s.product_name)).unwrap_or_default();
        self.record(
            &mut w,
            "license.removed",
            &target,
            used,
            serde_json::json!({"sku": sku, "product": product, "subscription_id": subscription}),
        )
        .await?;
        w.commit().await?;
        self.user_unchecked(user).await
    }

    /// The user after a change this caller was allowed to make.
    async fn user_unchecked(&self, id: UserId) -> Result<DirectoryUser> {
        let mut tx = self.accord.store().read().await?;
        let u = self.stored_user(tx.as_mut(), id).await?;
        let licenses = tx.licenses_of_user(self.customer, id).await?;
        let mut user = DirectoryUser::of(u);
        user.licenses = licenses.into_iter().map(|l| l.subscription_id).collect();
        Ok(user)
    }
}

fn capability_required(c: Capability) -> Error {
    DomainError::CapabilityRequired {
        capability: c.as_str().to_string(),
    }
    .into()
}

/// What the store says about one agent in one customer, read in `tx`: the same facts the
/// grant index holds, for checks made inside a unit of work or without the index.
pub(crate) async fn facts_in(
    tx: &mut dyn accord_store::ReadTx,
    partner: TenantId,
    customer: TenantId,
    agent: UserId,
) -> Result<Facts> {
    let rel = tx.relationship(customer, partner).await?;
    facts_with(tx, rel.as_ref(), partner, customer, agent).await
}

/// [`facts_in`] for a relationship already read (`None` when there is none).
pub(crate) async fn facts_with(
    tx: &mut dyn accord_store::ReadTx,
    rel: Option<&accord_store::RelationshipRecord>,
    partner: TenantId,
    customer: TenantId,
    agent: UserId,
) -> Result<Facts> {
    let grant = rel.and_then(grant_of);
    let assigned = tx
        .agent_assignment(partner, customer, agent)
        .await?
        .map(|a| RoleSet::of(&a.roles))
        .unwrap_or_default();
    let guest = tx
        .guest(customer, agent)
        .await?
        .filter(|g| g.partner_id == partner)
        .map(|g| RoleSet::of(&g.roles))
        .unwrap_or_default();
    Ok(Facts {
        grant,
        assigned,
        guest,
    })
}
