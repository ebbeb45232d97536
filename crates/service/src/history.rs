//! The history of an organisation and of each of its relationships (SPEC §3: every
//! lifecycle event is audited; both sides see their relationship's history).

use std::collections::HashMap;

use accord_domain::{Capability, DomainError, PartnerRole, RoleSet, TenantId, UserId};
use chrono::{DateTime, Utc};

use crate::pages::{encode_cursor, page_from, Page, PageRequest};
use crate::{Accord, Principal, Result};

/// One event of a trail, with the names a reader needs.
#[derive(Clone, Debug, PartialEq)]
pub struct AuditEvent {
    pub id: uuid::Uuid,
    pub at: DateTime<Utc>,
    pub action: String,
    /// `user`, `local_operator` or `system`.
    pub actor_kind: String,
    /// Who acted: "Name (e-mail)", when a user did.
    pub actor: Option<String>,
    /// The organisation of the user who acted.
    pub actor_organisation: Option<String>,
    /// The other organisation of the event (the customer on the partner's side, the
    /// partner on the customer's).
    pub counterpart_id: Option<TenantId>,
    pub counterpart_name: Option<String>,
    pub subject_type: String,
    pub subject_id: String,
    pub request_id: Option<String>,
    pub details: serde_json::Value,
}

/// Who may read an organisation's trail: its users whose directory roles allow
/// `audit_read` (Global admin, Global reader), its partner admins, and any partner user
/// for the history of one relationship of its organisation.
fn check_reader(p: &Principal, counterpart: Option<TenantId>) -> Result<()> {
    let own = RoleSet::of(&crate::directory::directory_roles_of(&p.roles));
    if !own.allowing(Capability::AuditRead).is_empty()
        || p.has_any_partner_role(&[PartnerRole::PartnerAdmin])
        || (counterpart.is_some() && p.tenant.is_partner && p.has_partner_role())
    {
        return Ok(());
    }
    if p.tenant.is_partner && p.has_partner_role() {
        Err(DomainError::PartnerRoleRequired {
            needed: "partner_admin".into(),
        }
        .into())
    } else {
        Err(DomainError::NotGlobalAdmin.into())
    }
}

impl Accord {
    /// The caller's organisation's trail, newest first; `counterpart` keeps the events of
    /// the relationship with that organisation.
    pub async fn audit_events(
        &self,
        p: &Principal,
        counterpart: Option<TenantId>,
        page: &PageRequest,
    ) -> Result<Page<AuditEvent>> {
        check_reader(p, counterpart)?;
        let limit = page.limit()?;
        let before = page.id_cursor::<uuid::Uuid>()?;
        let mut tx = self.store().read().await?;
        let rows = tx
            .audit_page(p.tenant.id, counterpart, before, limit + 1)
            .await?;
        let mut page = page_from(
            rows,
            limit,
            |r| encode_cursor("e", &r.id.to_string()),
            |r| r,
        );
        // Names, each looked up once per page.
        let mut orgs: HashMap<TenantId, Option<String>> = HashMap::new();
        let mut users: HashMap<(TenantId, UserId), Option<String>> = HashMap::new();
        let mut items = Vec::with_capacity(page.items.len());
        for r in std::mem::take(&mut page.items) {
            let actor_organisation = match r.actor_tenant_id {
                Some(t) => org_name(tx.as_mut(), &mut orgs, t).await?,
                None => None,
            };
            let counterpart_name = match r.counterpart_id {
                Some(t) => org_name(tx.as_mut(), &mut orgs, t).await?,
                None => None,
            };
            let actor = match (r.actor_tenant_id, r.actor_user_id) {
                (Some(t), Some(u)) => match users.get(&(t, u)) {
                    Some(n) => n.clone(),
                    None => {
                        let n = tx
                            .user(t, u)
                            .await?
                            .map(|u| format!("{} ({})", u.display_name, u.email));
                        users.insert((t, u), n.clone());
                        n
                    }
                },
                _ => None,
            };
            items.push(AuditEvent {
                id: r.id,
                at: r.at,
                action: r.action,
                actor_kind: r.actor_kind,
                actor,
                actor_organisation,
                counterpart_id: r.counterpart_id,
                counterpart_name,
                subject_type: r.subject_type,
                subject_id: r.subject_id,
                request_id: r.request_id,
                details: r.details,
            });
        }
        Ok(Page {
            items,
            next_cursor: page.next_cursor,
        })
    }
}

async fn org_name(
    tx: &mut dyn accord_store::ReadTx,
    known: &mut HashMap<TenantId, Option<String>>,
    t: TenantId,
) -> Result<Option<String>> {
    if let Some(n) = known.get(&t) {
        return Ok(n.clone());
    }
    let n = tx.tenant(t).await?.map(|t| t.name);
    known.insert(t, n.clone());
    Ok(n)
}
