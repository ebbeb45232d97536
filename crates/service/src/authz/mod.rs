//! Who is calling: the [`Principal`] obtained only by authenticating, the organisation it
//! belongs to, and the in-process cache that answers "whose credential is this?" without
//! touching the database after the first request.

pub(crate) mod cache;
pub(crate) mod customers;
pub(crate) mod grants;

use accord_domain::{Cloud, CountryCode, PartnerRole, Role, TenantId, UserId};
use accord_store::TenantRecord;
use chrono::{DateTime, Utc};

/// An organisation (tenant), as the service shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Organisation {
    pub id: TenantId,
    pub name: String,
    pub domain: String,
    pub country: CountryCode,
    pub cloud: Cloud,
    pub is_partner: bool,
    pub created_at: DateTime<Utc>,
}

impl From<TenantRecord> for Organisation {
    fn from(t: TenantRecord) -> Self {
        Self {
            id: t.id,
            name: t.name,
            domain: t.domain,
            country: t.country,
            cloud: t.cloud,
            is_partner: t.is_partner,
            created_at: t.created_at,
        }
    }
}

/// A signed-in user: who they are, their organisation and their roles. Obtained only by
/// authenticating (password, session or access token).
#[derive(Clone, Debug)]
pub struct Principal {
    pub tenant: Organisation,
    pub user_id: UserId,
    pub email: String,
    pub display_name: String,
    pub roles: Vec<Role>,
}

impl Principal {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    pub fn has_partner_role(&self) -> bool {
        self.roles.iter().any(|r| matches!(r, Role::Partner(_)))
    }

    pub fn has_any_partner_role(&self, roles: &[PartnerRole]) -> bool {
        roles.iter().any(|r| self.has_role(Role::Partner(*r)))
    }

    pub fn tenant_id(&self) -> TenantId {
        self.tenant.id
    }
}
