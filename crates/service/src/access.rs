//! Access assignments and role changes (issue 9, SPEC §2): the partner admin chooses which
//! of its agents hold which granted roles for each customer; a partner asks to change the
//! roles of a grant in force, and the customer consents to the added roles only.

use accord_domain::{
    ask_role_change, consent_to_roles, DirectoryRole, DomainError, InvalidReason, PartnerRole,
    RelationshipStatus, Role, RoleSet, TenantId, UserId,
};
use accord_store::AccessAssignmentRecord;
use chrono::{DateTime, Utc};

use crate::invitations::GlobalAdminDesk;
use crate::partner::PartnerDesk;
use crate::summary::RelationshipSummary;
use crate::work::{Actor, Audit, Change, Work};
use crate::Result;

/// Only the partner admin staffs customers and asks for role changes.
const STAFFING: &[PartnerRole] = &[PartnerRole::PartnerAdmin];

/// One agent's roles for one customer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessAssignment {
    pub id: uuid::Uuid,
    pub customer_id: TenantId,
    pub agent_id: UserId,
    pub agent_name: String,
    pub agent_email: String,
    pub roles: Vec<DirectoryRole>,
    /// Assigned roles the grant does not hold now (removed or never approved): they give
    /// nothing until the customer grants them again.
    pub inactive_roles: Vec<DirectoryRole>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

/// The partner's access in one customer: the grant and who holds which of its roles.
#[derive(Clone, Debug)]
pub struct AccessOverview {
    pub relationship: RelationshipSummary,
    pub assignments: Vec<AccessAssignment>,
    /// Roles are granted but no agent holds any of them: nobody can use the grant.
    pub unassigned: bool,
}

/// A partner user who may hold an assignment: one with a partner role other than sales.
fn is_agent(roles: &[Role]) -> bool {
    roles.iter().any(|r| {
        matches!(
            r,
            Role::Partner(PartnerRole::PartnerAdmin)
                | Role::Partner(PartnerRole::AdminAgent)
                | Role::Partner(PartnerRole::HelpdeskAgent)
        )
    })
}

/// Roles are granted, but no assignment holds any of them.
fn nobody_holds<'r>(
    granted: RoleSet,
    mut assigned: impl Iterator<Item = &'r [DirectoryRole]>,
) -> bool {
    !granted.is_empty() && !assigned.any(|roles| !RoleSet::of(roles).and(granted).is_empty())
}

/// The roles of a relationship's grant in force now.
fn granted_now(rel: &accord_store::RelationshipRecord, now: chrono::DateTime<Utc>) -> RoleSet {
    rel.grant
        .as_ref()
        .filter(|g| g.in_force(now))
        .map(|g| RoleSet::of(&g.roles))
        .unwrap_or_default()
}

/// The partner's assignments in one customer, with each agent's name and the roles the
/// grant in force (`granted`) does not hold.
async fn assignments_of(
    tx: &mut dyn accord_store::ReadTx,
    partner: TenantId,
    customer: TenantId,
    granted: RoleSet,
) -> Result<Vec<AccessAssignment>> {
    let rows = tx.access_assignments(partner, customer).await?;
    let mut assignments = Vec::with_capacity(rows.len());
    for a in rows {
        let agent = tx.user(partner, a.agent_id).await?;
        let (name, email) = agent.map(|u| (u.display_name, u.email)).unwrap_or_default();
        assignments.push(AccessAssignment {
            inactive_roles: RoleSet::of(&a.roles).minus(granted).roles(),
            id: a.id,
            customer_id: a.customer_id,
            agent_id: a.agent_id,
            agent_name: name,
            agent_email: email,
            roles: a.roles,
            created_by: a.created_by,
            created_at: a.created_at,
        });
    }
    Ok(assignments)
}

impl PartnerDesk<'_> {
    /// Whether the customer granted roles that none of the partner's agents holds (the
    /// customer page's warning), without reading who holds what.
    pub async fn unassigned(&self, customer: TenantId) -> Result<bool> {
        let partner = self.principal.tenant.id;
        let now = self.accord.now();
        let mut tx = self.accord.store().read().await?;
        let rel = crate::account::active_relationship(tx.as_mut(), customer, partner).await?;
        let rows = tx.access_assignments(partner, customer).await?;
        Ok(nobody_holds(
            granted_now(&rel, now),
            rows.iter().map(|a| &a.roles[..]),
        ))
    }

    /// The grant in one customer and the partner's assignments for it (any partner user
    /// may read them; 404 without an active relationship).
    pub async fn access(&self, customer: TenantId) -> Result<AccessOverview> {
        let partner = self.principal.tenant.id;
        let now = self.accord.now();
        let mut tx = self.accord.store().read().await?;
        let rel = crate::account::active_relationship(tx.as_mut(), customer, partner).await?;
        let granted = granted_now(&rel, now);
        let assignments = assignments_of(tx.as_mut(), partner, customer, granted).await?;
        let unassigned = nobody_holds(granted, assignments.iter().map(|a| &a.roles[..]));
        Ok(AccessOverview {
            relationship: RelationshipSummary::of_customer(rel, now),
            assignments,
            unassigned,
        })
    }

    /// The partner's agents who may be assigned (enabled users with a partner role
    /// other than sales agent).
    pub async fn assignable_agents(&self) -> Result<Vec<crate::SupportContact>> {
        let mut tx = self.accord.store().read().await?;
        Ok(tx
            .list_users(self.principal.tenant.id, 500)
            .await?
            .into_iter()
            .filter(|u| !u.disabled && is_agent(&u.roles))
            .map(crate::SupportContact::from)
            .collect())
    }

    /// Gives an agent these granted roles for the customer (partner admin only), replacing
    /// what it held. Roles must be granted and in force (422 `roles`); the agent must be
    /// one of the partner's enabled agents (422 `agent_id`).
    pub async fn assign_access(
        &self,
        customer: TenantId,
        agent: UserId,
        roles: &[DirectoryRole],
    ) -> Result<AccessAssignment> {
        self.require_partner_roles(STAFFING)?;
        let p = self.principal;
        let partner = p.tenant.id;
        let mut w = Work::begin(self.accord, Actor::of(p)).await?;
        let now = w.now;
        let rel = crate::account::active_relationship(w.tx(), customer, partner).await?;
        let granted = granted_now(&rel, now);
        let mut wanted: Vec<DirectoryRole> = roles.to_vec();
        wanted.sort();
        wanted.dedup();
        if wanted.is_empty() {
            return Err(DomainError::invalid("roles", InvalidReason::NoAdminRoles).into());
        }
        if let Some(r) = wanted.iter().find(|r| !granted.contains(**r)) {
            return Err(DomainError::invalid(
                "roles",
                InvalidReason::RoleNotGranted {
                    role: r.as_str().to_string(),
                },
            )
            .into());
        }
        let user = w
            .tx()
            .user(partner, agent)
            .await?
            .filter(|u| !u.disabled && is_agent(&u.roles))
            .ok_or_else(|| DomainError::invalid("agent_id", InvalidReason::NotAnAgent))?;
        let stored = w
            .tx()
            .upsert_access_assignment(&AccessAssignmentRecord {
                partner_id: partner,
                id: uuid::Uuid::now_v7(),
                customer_id: customer,
                agent_id: agent,
                roles: wanted.clone(),
                created_by: p.display_name.clone(),
                created_at: now,
            })
            .await?;
        w.changed(Change::AccessChanged {
            partner,
            customer,
            agent,
        });
        w.audit(
            Audit::new("access_assignment.set", "access_assignment", stored.id).details(
                serde_json::json!({"agent": user.display_name, "agent_email": user.email, "roles": wanted, "by_name": p.display_name}),
            ),
            &[partner, customer],
        );
        w.commit().await?;
        Ok(AccessAssignment {
            id: stored.id,
            customer_id: customer,
            agent_id: agent,
            agent_name: user.display_name,
            agent_email: user.email,
            inactive_roles: Vec::new(),
            roles: stored.roles,
            created_by: stored.created_by,
            created_at: stored.created_at,
        })
    }

    /// Takes an assignment away (partner admin only); the agent loses the access on the
    /// next request.
    pub async fn remove_access(&self, customer: TenantId, id: uuid::Uuid) -> Result<()> {
        self.require_partner_roles(STAFFING)?;
        let p = self.principal;
        let partner = p.tenant.id;
        let mut w = Work::begin(self.accord, Actor::of(p)).await?;
        let found = w
            .tx()
            .access_assignments(partner, customer)
            .await?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or(DomainError::NotFound {
                what: "access_assignment",
            })?;
        w.tx().delete_access_assignment(partner, id).await?;
        let agent = w.tx().user(partner, found.agent_id).await?;
        w.changed(Change::AccessChanged {
            partner,
            customer,
            agent: found.agent_id,
        });
        w.audit(
            Audit::new("access_assignment.removed", "access_assignment", id).details(
                serde_json::json!({"agent": agent.map(|u| u.display_name), "roles": found.roles, "by_name": p.display_name}),
            ),
            &[partner, customer],
        );
        w.commit().await
    }

    /// Asks to change the roles of the grant in force to `roles` (partner admin only):
    /// roles dropped leave at once; roles added wait for the customer's consent. The
    /// relationship and the grant's end date stay.
    pub async fn ask_role_change(
        &self,
        customer: TenantId,
        roles: &[DirectoryRole],
    ) -> Result<RelationshipSummary> {
        self.require_partner_roles(STAFFING)?;
        let p = self.principal;
        let partner = p.tenant.id;
        let mut w = Work::begin(self.accord, Actor::of(p)).await?;
        let now = w.now;
        let mut rel = w
            .tx()
            .relationship_for_update(customer, partner)
            .await?
            .filter(|r| r.status == RelationshipStatus::Active)
            .ok_or(DomainError::NotFound { what: "customer" })?;
        let before = rel.grant.clone().ok_or(DomainError::NoAdminRoles)?;
        let after = ask_role_change(&before, roles, now)?;
        let removed: Vec<DirectoryRole> = before
            .roles
            .iter()
            .copied()
            .filter(|r| !after.roles.contains(r))
            .collect();
        rel.grant = Some(after.clone());
        rel.updated_at = now;
        w.tx().upsert_relationship(&rel).await?;
        w.changed(Change::RelationshipChanged { customer, partner });
        w.audit(
            Audit::new("admin_grant.change_requested", "relationship", rel.id).details(
                serde_json::json!({"roles": after.roles, "removed_roles": removed, "pending_roles": after.pending, "by_name": p.display_name}),
            ),
            &[partner, customer],
        );
        w.commit().await?;
        Ok(RelationshipSummary::of_customer(rel, now))
    }
}

impl GlobalAdminDesk<'_> {
    /// Consents to roles a partner asked to add: `approved` of them (all when `None`);
    /// the others are declined.
    pub async fn approve_roles(
        &self,
        partner: TenantId,
        approved: Option<&[DirectoryRole]>,
    ) -> Result<RelationshipSummary> {
        self.settle_roles(partner, Some(approved)).await
    }

    /// Declines every role a partner asked to add.
    pub async fn decline_roles(&self, partner: TenantId) -> Result<RelationshipSummary> {
        self.settle_roles(partner, None).await
    }

    async fn settle_roles(
        &self,
        partner: TenantId,
        approve: Option<Option<&[DirectoryRole]>>,
    ) -> Result<RelationshipSummary> {
        let p = self.principal;
        let customer = p.tenant.id;
        let mut w = Work::begin(self.accord, Actor::of(p)).await?;
        let now = w.now;
        let mut rel = w
            .tx()
            .relationship_for_update(customer, partner)
            .await?
            .filter(|r| r.status == RelationshipStatus::Active)
            .ok_or(DomainError::NotFound { what: "partner" })?;
        let before = rel
            .grant
            .clone()
            .filter(|g| g.in_force(now) && !g.pending.is_empty())
            .ok_or(DomainError::NoPendingRoles)?;
        let (after, action) = match approve {
            Some(approved) => (
                consent_to_roles(&before, approved)?,
                "admin_grant.roles_approved",
            ),
            None => {
                let mut g = before.clone();
                g.pending.clear();
                (g, "admin_grant.change_declined")
            }
        };
        let added: Vec<DirectoryRole> = after
            .roles
            .iter()
            .copied()
            .filter(|r| !before.roles.contains(r))
            .collect();
        let declined: Vec<DirectoryRole> = before
            .pending
            .iter()
            .copied()
            .filter(|r| !added.contains(r))
            .collect();
        rel.grant = Some(after.clone());
        rel.updated_at = now;
        w.tx().upsert_relationship(&rel).await?;
        w.changed(Change::RelationshipChanged { customer, partner });
        w.audit(
            Audit::new(action, "relationship", rel.id).details(serde_json::json!({
                "roles": after.roles, "added_roles": added, "declined_roles": declined,
                "by_name": p.display_name, "by_email": p.email,
            })),
            &[partner, customer],
        );
        w.commit().await?;
        Ok(RelationshipSummary::of_partner(rel, now))
    }
}

/// Deletes the partner's access assignments for a customer whose grant ended or is being
/// replaced by a new one: a new grant starts with nobody assigned, so the customer's
/// consent to it never revives the partner's choices from before.
pub(crate) async fn clear_assignments(
    w: &mut Work,
    partner: TenantId,
    customer: TenantId,
) -> Result<()> {
    let gone = w
        .tx()
        .delete_access_assignments_of(partner, customer)
        .await?;
    if gone.is_empty() {
        return Ok(());
    }
    for a in &gone {
        w.changed(Change::AccessChanged {
            partner,
            customer,
            agent: a.agent_id,
        });
    }
    w.audit(
        Audit::new("access_assignments.cleared", "relationship", customer.0)
            .details(serde_json::json!({"count": gone.len()})),
        &[partner, customer],
    );
    Ok(())
}

/// A partner's delegated access in one customer, as the operator sees it.
#[derive(Clone, Debug)]
pub struct PartnerAccess {
    /// The relationship from the customer's side (its counterpart is the partner).
    pub relationship: RelationshipSummary,
    pub assignments: Vec<AccessAssignment>,
    /// The partner's users that are guest accounts in the customer.
    pub guests: Vec<crate::Guest>,
}

async fn tenant_named(
    tx: &mut dyn accord_store::ReadTx,
    domain: &str,
) -> Result<accord_store::TenantRecord> {
    tx.tenant_by_domain(&domain.trim().to_ascii_lowercase())
        .await?
        .ok_or_else(|| DomainError::NotFound { what: "tenant" }.into())
}

impl crate::OperatorDesk<'_> {
    /// Every partner with an active relationship with the customer: its grant and who of
    /// its agents holds which roles (`accord access list`).
    pub async fn customer_access(&self, customer_domain: &str) -> Result<Vec<PartnerAccess>> {
        let now = self.accord.now();
        let mut tx = self.accord.store().read().await?;
        let customer = tenant_named(tx.as_mut(), customer_domain).await?;
        let mut out = Vec::new();
        let mut after = None;
        loop {
            let rels = tx.list_partners(customer.id, after.clone(), 200).await?;
            let n = rels.len();
            // The store pages by the name as stored.
            after = rels.last().map(|r| (r.partner_name.clone(), r.partner_id));
            for rel in rels {
                if rel.status != RelationshipStatus::Active {
                    continue;
                }
                let granted = granted_now(&rel, now);
                let assignments =
                    assignments_of(tx.as_mut(), rel.partner_id, customer.id, granted).await?;
                let guests = tx
                    .guests_of(customer.id, rel.partner_id)
                    .await?
                    .into_iter()
                    .map(crate::Guest::from)
                    .collect();
                out.push(PartnerAccess {
                    relationship: RelationshipSummary::of_partner(rel, now),
                    assignments,
                    guests,
                });
            }
            if n < 200 {
                break;
            }
        }
        Ok(out)
    }

    /// Removes a partner's access in a customer — access assignments and guest accounts —
    /// for one of its users, or for all of them (`accord access remove`), the operator's
    /// emergency stop. Takes effect on every node within the feed's bound. Returns how
    /// many assignments and guest accounts were removed.
    pub async fn remove_customer_access(
        &self,
        customer_domain: &str,
        partner_domain: &str,
        agent_email: Option<&str>,
    ) -> Result<usize> {
        let mut w = self.work().await?;
        let customer = tenant_named(w.tx(), customer_domain).await?;
        let partner = tenant_named(w.tx(), partner_domain).await?;
        let Some(email) = agent_email else {
            let n = w
                .tx()
                .access_assignments(partner.id, customer.id)
                .await?
                .len()
                + w.tx().guests_of(customer.id, partner.id).await?.len();
            clear_assignments(&mut w, partner.id, customer.id).await?;
            crate::guests::clear_guests(&mut w, partner.id, customer.id).await?;
            w.commit().await?;
            return Ok(n);
        };
        let email = accord_domain::normalise_email(email)?;
        let agent = w
            .tx()
            .user_by_email(&email)
            .await?
            .filter(|u| u.tenant_id == partner.id)
            .ok_or(DomainError::NotFound { what: "user" })?;
        let mut removed = 0;
        if let Some(found) = w
            .tx()
            .agent_assignment(partner.id, customer.id, agent.id)
            .await?
        {
            w.tx()
                .delete_access_assignment(partner.id, found.id)
                .await?;
            w.audit(
                Audit::new("access_assignment.removed", "access_assignment", found.id).details(
                    serde_json::json!({"agent": agent.display_name, "roles": found.roles, "by": "operator"}),
                ),
                &[partner.id, customer.id],
            );
            w.changed(Change::AccessChanged {
                partner: partner.id,
                customer: customer.id,
                agent: agent.id,
            });
            removed += 1;
        }
        let by = serde_json::json!({"by": "operator"});
        if crate::guests::remove_one(&mut w, partner.id, customer.id, agent.id, by).await? {
            removed += 1;
        }
        if removed > 0 {
            w.commit().await?;
        }
        Ok(removed)
    }

    /// The latest delegated actions in a customer's directory, newest first (`accord
    /// partner-activity`).
    pub async fn customer_partner_activity(
        &self,
        customer_domain: &str,
        partner_domain: Option<&str>,
        agent_email: Option<&str>,
        limit: u32,
    ) -> Result<Vec<crate::DelegatedAction>> {
        let mut tx = self.accord.store().read().await?;
        let customer = tenant_named(tx.as_mut(), customer_domain).await?;
        let partner = match partner_domain {
            Some(d) => Some(tenant_named(tx.as_mut(), d).await?.id),
            None => None,
        };
        let agent = match agent_email {
            Some(e) => Some(
                tx.user_by_email(&accord_domain::normalise_email(e)?)
                    .await?
                    .ok_or(DomainError::NotFound { what: "user" })?
                    .id,
            ),
            None => None,
        };
        let filter = accord_store::ActivityFilter {
            partner,
            agent,
            ..Default::default()
        };
        let rows = tx
            .delegated_actions(customer.id, &filter, None, limit.clamp(1, 1000))
            .await?;
        Ok(rows.into_iter().map(crate::DelegatedAction::from).collect())
    }
}
