use accord_domain::{DirectoryRole, GrantStatus, PartnerType, RelationshipState, TenantId};
use accord_store::RelationshipRecord;
use chrono::{DateTime, Utc};

/// One relationship as either side lists it: the other party, the partner types in force
/// and the delegated admin grant as it stands now.
#[derive(Clone, Debug)]
pub struct RelationshipSummary {
    /// The customer (on the partner's side) or the partner (on the customer's side).
    pub counterpart_id: TenantId,
    pub name: String,
    pub types: Vec<PartnerType>,
    pub has_admin_privileges: bool,
    /// The roles in force now; empty once removed or expired.
    pub admin_roles: Vec<DirectoryRole>,
    /// The roles the partner asked for (more than `admin_roles` when the customer
    /// approved a subset), while the grant is in force.
    pub requested_roles: Vec<DirectoryRole>,
    /// Roles the partner asked to add, awaiting the customer's consent.
    pub pending_roles: Vec<DirectoryRole>,
    /// Whether the grant renews itself by 180 days when it ends.
    pub auto_extend: bool,
    /// The grant's status, `None` when admin privileges were never granted.
    pub admin_status: Option<GrantStatus>,
    pub admin_ends_at: Option<DateTime<Utc>>,
    /// When the grant stopped: removed by the customer, or expired.
    pub admin_ended_at: Option<DateTime<Utc>>,
    pub since: DateTime<Utc>,
}

impl RelationshipSummary {
    /// The relationship as the partner sees it (the counterpart is the customer).
    pub(crate) fn of_customer(r: RelationshipRecord, now: DateTime<Utc>) -> Self {
        let (id, name) = (r.tenant_id, r.customer_name.clone());
        Self::build(r, id, name, now)
    }

    /// The relationship as the customer sees it (the counterpart is the partner).
    pub(crate) fn of_partner(r: RelationshipRecord, now: DateTime<Utc>) -> Self {
        let (id, name) = (r.partner_id, r.partner_name.clone());
        Self::build(r, id, name, now)
    }

    fn build(
        r: RelationshipRecord,
        counterpart_id: TenantId,
        name: String,
        now: DateTime<Utc>,
    ) -> Self {
        let state = RelationshipState {
            types: r.types,
            grant: r.grant,
        };
        let in_force = state.grant.as_ref().filter(|g| g.in_force(now));
        Self {
            counterpart_id,
            name,
            types: state.effective_types(now),
            has_admin_privileges: in_force.is_some(),
            admin_roles: in_force.map(|g| g.roles.clone()).unwrap_or_default(),
            requested_roles: in_force.map(|g| g.requested.clone()).unwrap_or_default(),
            pending_roles: in_force.map(|g| g.pending.clone()).unwrap_or_default(),
            auto_extend: in_force.is_some_and(|g| g.auto_extend),
            admin_status: state.grant.as_ref().map(|g| g.status(now)),
            admin_ends_at: in_force.and_then(|g| g.effective_end(now)),
            admin_ended_at: state.grant.as_ref().and_then(|g| {
                g.terminated_at
                    .or_else(|| (!g.in_force(now)).then_some(g.ends_at).flatten())
            }),
            since: r.created_at,
        }
    }
}
