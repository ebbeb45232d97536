//! The customer's account: one operation for two kinds of caller, written once.
//!
//! A customer's own users and the users of its partners both read the customer's account
//! (SPEC F5: "expanding a customer shows its account"). The operation is written once,
//! against [`CustomerScope`], a capability naming the customer it is for. Two desks hand
//! one out ([`Accord::customer_scope`] picks): [`CustomerDesk::scope`] to any user of the customer itself, and
//! [`PartnerDesk::customer`] to a partner user only while the partner has an active
//! relationship with that customer (404 otherwise, so a stranger learns nothing). The
//! delegated-administration issue adds a third, for a partner agent holding a granted and
//! assigned role; operations such as creating a user will take the scope the same way.

use accord_domain::{Cloud, CountryCode, DomainError, RelationshipStatus, TenantId};
use chrono::{DateTime, Utc};

use crate::invitations::CustomerDesk;
use crate::partner::PartnerDesk;
use crate::work::Actor;
use crate::{Accord, Error, Principal, Result};

mod sealed {
    pub trait Sealed {}
}

/// The capability to act on one customer organisation. Only the desks make one, and the
/// trait is sealed: no other crate can implement it and name a customer of its choosing.
pub trait CustomerScope: sealed::Sealed {
    /// The customer acted on.
    fn customer(&self) -> TenantId;
    /// Who acts (for the audit trail of operations that change something).
    fn actor(&self) -> Actor;
    fn accord(&self) -> &Accord;
}

/// A customer organisation's account, as its users and its partners see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomerAccount {
    pub id: TenantId,
    pub name: String,
    pub domain: String,
    pub country: CountryCode,
    pub cloud: Cloud,
    pub created_at: DateTime<Utc>,
    /// The current customer agreement's version, if one is published.
    pub agreement_version: Option<i64>,
    /// When the customer accepted that version, and who (their name), if it did.
    pub agreement_accepted: Option<(DateTime<Utc>, String)>,
}

/// Reads the account of the scope's customer.
pub async fn account(scope: &impl CustomerScope) -> Result<CustomerAccount> {
    let mut tx = scope.accord().store().read().await?;
    let t = tx
        .tenant(scope.customer())
        .await?
        .ok_or_else(|| Error::Internal("a scope for a missing tenant".into()))?;
    let agreement = tx.current_agreement().await?;
    let accepted = match &agreement {
        Some(a) => tx
            .acceptance(t.id, a.version)
            .await?
            .map(|r| (r.accepted_at, r.user_name)),
        None => None,
    };
    Ok(CustomerAccount {
        id: t.id,
        name: t.name,
        domain: t.domain,
        country: t.country,
        cloud: t.cloud,
        created_at: t.created_at,
        agreement_version: agreement.map(|a| a.version),
        agreement_accepted: accepted,
    })
}

/// A scope as the desks below hand it out: the customer and who acts on it.
pub struct Scope<'a> {
    accord: &'a Accord,
    customer: TenantId,
    actor: Actor,
}

impl sealed::Sealed for Scope<'_> {}

impl CustomerScope for Scope<'_> {
    fn customer(&self) -> TenantId {
        self.customer
    }
    fn actor(&self) -> Actor {
        self.actor.clone()
    }
    fn accord(&self) -> &Accord {
        self.accord
    }
}

impl<'a> CustomerDesk<'a> {
    /// The scope of the user's own organisation.
    pub fn scope(&self) -> Scope<'a> {
        Scope {
            accord: self.accord,
            customer: self.principal.tenant.id,
            actor: Actor::of(self.principal),
        }
    }
}

/// The partner's active relationship with a customer; 404 `customer` otherwise, so a
/// partner learns nothing of organisations it does not serve.
pub(crate) async fn active_relationship(
    tx: &mut dyn accord_store::ReadTx,
    customer: TenantId,
    partner: TenantId,
) -> Result<accord_store::RelationshipRecord> {
    Ok(tx
        .relationship(customer, partner)
        .await?
        .filter(|r| r.status == RelationshipStatus::Active)
        .ok_or(DomainError::NotFound { what: "customer" })?)
}

/// A stored relationship as the domain's rules read it (types and grant).
pub(crate) fn state_of(rel: &accord_store::RelationshipRecord) -> accord_domain::RelationshipState {
    accord_domain::RelationshipState {
        types: rel.types.clone(),
        grant: rel.grant.clone(),
    }
}

impl<'a> PartnerDesk<'a> {
    /// The scope of one of the partner's customers; 404 unless the relationship is
    /// active.
    pub async fn customer(&self, customer: TenantId) -> Result<Scope<'a>> {
        let mut tx = self.accord.store().read().await?;
        active_relationship(tx.as_mut(), customer, self.principal.tenant.id).await?;
        Ok(Scope {
            accord: self.accord,
            customer,
            actor: Actor::of(self.principal),
        })
    }
}

impl Accord {
    /// The scope of `customer` for `p`: its own organisation, or one of its customers if
    /// `p` is a partner user with an active relationship (404 otherwise; 403
    /// `not_a_partner` for a customer's user naming another organisation).
    pub async fn customer_scope<'a>(
        &'a self,
        p: &'a Principal,
        customer: TenantId,
    ) -> Result<Scope<'a>> {
        if customer == p.tenant.id {
            Ok(self.customer_desk(p).scope())
        } else {
            self.partner_desk(p)?.customer(customer).await
        }
    }
}
