//! The partner's side: request relationships (SPEC F2), list and revoke requests, list
//! customers (F5).

use accord_domain::{
    check_request_usable, effective_request_status, normalise_email, plan_request, AdminAsk,
    DomainError, PartnerRole, PartnerType, RequestId, RequestStatus, TenantId, UserId,
};
use accord_store::{RequestRecord, RequestResolution};
use chrono::{DateTime, Duration, Utc};

use std::sync::Arc;

use crate::authz::customers::{CustomerList, Rendered, MAX_PER_PARTNER};
use crate::pages::{encode_cursor, page_from, Page, PageRequest};
use crate::secrets::{hash_token, new_scoped_token};
use crate::summary::RelationshipSummary;
use crate::work::{Actor, Audit, Work};
use crate::{Accord, Error, Principal, Result};

/// Partner roles that may create and revoke relationship requests.
const REQUESTERS: &[PartnerRole] = &[
    PartnerRole::PartnerAdmin,
    PartnerRole::AdminAgent,
    PartnerRole::SalesAgent,
];

/// What a partner user may do for its own organisation. Only [`Accord::partner_desk`]
/// makes one, and only for a user of a partner organisation holding a partner role.
pub struct PartnerDesk<'a> {
    pub(crate) accord: &'a Accord,
    pub(crate) principal: &'a Principal,
}

/// What a partner asks for in a new request.
#[derive(Clone, Debug)]
pub struct NewRequest {
    /// The partner types asked for (at least one; `include_admin_privileges` adds
    /// `delegated_admin`).
    pub types: Vec<PartnerType>,
    pub ask: AdminAsk,
    /// Whom the draft e-mail is addressed to, if known.
    pub customer_email: Option<String>,
    /// The language of the draft e-mail.
    pub email_locale: accord_domain::Locale,
    /// The lead this request answers: it is marked contacted and linked to the request,
    /// and to the customer once the request is accepted.
    pub lead_id: Option<uuid::Uuid>,
}

/// The partner's user a customer turns to for support.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SupportContact {
    pub user_id: UserId,
    pub name: String,
    pub email: String,
}

impl From<accord_store::UserRecord> for SupportContact {
    fn from(u: accord_store::UserRecord) -> Self {
        Self {
            user_id: u.id,
            name: u.display_name,
            email: u.email,
        }
    }
}

/// The support contact a partner named for a customer, if any (and still a user).
pub(crate) async fn support_contact(
    tx: &mut dyn accord_store::ReadTx,
    customer: TenantId,
    partner: TenantId,
) -> Result<Option<SupportContact>> {
    let Some(id) = tx.support_contact(customer, partner).await? else {
        return Ok(None);
    };
    Ok(tx.user(partner, id).await?.map(SupportContact::from))
}

/// The subject and body of the invitation e-mail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmailDraft {
    pub subject: String,
    pub body: String,
    /// Where the partner's e-mail application should send it, if an address is known.
    pub to: Option<String>,
}

/// A newly created request. `link` carries the secret token; it is shown this once.
#[derive(Clone, Debug)]
pub struct RequestCreated {
    pub request: RequestItem,
    pub link: String,
    pub email: EmailDraft,
}

/// A request as the partner sees it.
#[derive(Clone, Debug)]
pub struct RequestItem {
    pub id: RequestId,
    pub status: RequestStatus,
    pub types: Vec<PartnerType>,
    pub ask: AdminAsk,
    pub customer_email: Option<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub customer_id: Option<TenantId>,
    /// The organisation that accepted or declined it, by name.
    pub customer_name: Option<String>,
}

fn request_item(r: RequestRecord, now: DateTime<Utc>) -> RequestItem {
    RequestItem {
        id: r.id,
        status: effective_request_status(r.status, r.expires_at, now),
        types: r.types,
        ask: r.ask,
        customer_email: r.customer_email,
        created_at: r.created_at,
        expires_at: r.expires_at,
        resolved_at: r.resolved_at,
        customer_id: r.resolved_by_tenant,
        customer_name: None,
    }
}

/// A sentence saying what admin privileges are asked for.
fn draft_email(
    locale: accord_domain::Locale,
    partner: &str,
    portal: &str,
    link: &str,
    ask: &AdminAsk,
    expires: DateTime<Utc>,
    to: Option<String>,
) -> EmailDraft {
    let (subject, body) =
        accord_i18n::draft_invitation(locale, partner, portal, link, ask, expires);
    EmailDraft { subject, body, to }
}

impl Accord {
    /// The partner desk for a user of a partner organisation with a partner role.
    pub fn partner_desk<'a>(&'a self, principal: &'a Principal) -> Result<PartnerDesk<'a>> {
        if !principal.tenant.is_partner || !principal.has_partner_role() {
            return Err(DomainError::NotAPartner.into());
        }
        Ok(PartnerDesk {
            accord: self,
            principal,
        })
    }
}

impl PartnerDesk<'_> {
    /// Refuses a user holding none of `roles` (`partner_role_required`, naming them).
    pub(crate) fn require_partner_roles(&self, roles: &[PartnerRole]) -> Result<()> {
        if self.principal.has_any_partner_role(roles) {
            Ok(())
        } else {
            Err(DomainError::PartnerRoleRequired {
                needed: roles
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            }
            .into())
        }
    }

    fn require_requester(&self) -> Result<()> {
        self.require_partner_roles(REQUESTERS)
    }

    /// Creates a relationship request and its draft e-mail (SPEC F2).
    pub async fn create_request(&self, input: NewRequest) -> Result<RequestCreated> {
        self.require_requester()?;
        let partner = &self.principal.tenant;
        let offered = self.offered_types().await?;
        let (types, ask) = plan_request(&input.types, input.ask, &offered)?;
        let ask = ask.validate(partner.cloud)?;
        let customer_email = input
            .customer_email
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(normalise_email)
            .transpose()?;
        let mut w = Work::begin(self.accord, Actor::of(self.principal)).await?;
        let now = w.now;
        let token = new_scoped_token(partner.id);
        let rec = RequestRecord {
            tenant_id: partner.id,
            id: RequestId::new(),
            token_hash: hash_token(&token),
            types,
            ask,
            customer_email,
            status: RequestStatus::Pending,
            created_by: self.principal.user_id,
            created_at: now,
            expires_at: now + Duration::days(i64::from(self.accord.config().request_ttl_days)),
            resolved_at: None,
            resolved_by_tenant: None,
            resolved_by_user: None,
        };
        w.tx().insert_request(&rec).await?;
        if let Some(lead) = input.lead_id {
            if !w
                .tx()
                .link_lead_request(partner.id, lead, rec.id, now)
                .await?
            {
                return Err(DomainError::NotFound { what: "lead" }.into());
            }
        }
        w.audit(
            Audit::new("relationship_request.created", "relationship_request", rec.id)
                .details(serde_json::json!({"ask": rec.ask, "types": rec.types, "expires_at": rec.expires_at, "customer_email": rec.customer_email, "lead_id": input.lead_id})),
            &[partner.id],
        );
        let portal = self.accord.portal(w.tx(), partner.cloud).await?;
        w.commit().await?;
        Ok(self.created(rec, &token, input.email_locale, now, portal))
    }

    fn created(
        &self,
        rec: RequestRecord,
        token: &str,
        locale: accord_domain::Locale,
        now: DateTime<Utc>,
        (base, portal): (String, String),
    ) -> RequestCreated {
        let partner = &self.principal.tenant;
        let link = format!("{base}/admin/invitations/{token}");
        let email = draft_email(
            locale,
            &partner.name,
            &portal,
            &link,
            &rec.ask,
            rec.expires_at,
            rec.customer_email.clone(),
        );
        RequestCreated {
            request: request_item(rec, now),
            link,
            email,
        }
    }

    /// The partner types this partner may offer (the operator's choice, or the default).
    pub async fn offered_types(&self) -> Result<Vec<PartnerType>> {
        let mut tx = self.accord.store().read().await?;
        Ok(tx
            .offered_types(self.principal.tenant.id)
            .await?
            .unwrap_or_else(|| accord_domain::DEFAULT_OFFERED_TYPES.to_vec()))
    }

    /// Whether this user may request and revoke relationships (the form is offered only
    /// then).
    pub fn may_request(&self) -> Result<()> {
        self.require_requester()
    }

    /// The draft e-mail of a pending request again, for whoever holds its link's token
    /// (the page the request form redirects to, so that reloading it repeats nothing).
    /// Accord keeps only the token's hash: without the token there is no draft.
    pub async fn request_draft(
        &self,
        id: RequestId,
        token: &str,
        locale: accord_domain::Locale,
    ) -> Result<RequestCreated> {
        self.require_requester()?;
        let now = self.accord.now();
        let mut tx = self.accord.store().read().await?;
        let not_found = || DomainError::NotFound {
            what: "relationship request",
        };
        let rec = tx
            .request(self.principal.tenant.id, id)
            .await?
            .ok_or_else(not_found)?;
        // Comparing digests leaks nothing about the token.
        if hash_token(token) != rec.token_hash {
            return Err(not_found().into());
        }
        check_request_usable(effective_request_status(rec.status, rec.expires_at, now))?;
        let portal = self
            .accord
            .portal(tx.as_mut(), self.principal.tenant.cloud)
            .await?;
        Ok(self.created(rec, token, locale, now, portal))
    }

    /// The partner's requests, newest first.
    pub async fn list_requests(&self, page: &PageRequest) -> Result<Page<RequestItem>> {
        let limit = page.limit()?;
        let after = match page.cursor_parts()? {
            None => None,
            Some((ms, id)) => {
                let ms: i64 = ms.parse().map_err(|_| DomainError::InvalidCursor)?;
                let at = DateTime::from_timestamp_millis(ms).ok_or(DomainError::InvalidCursor)?;
                Some((
                    at,
                    id.parse::<RequestId>()
                        .map_err(|_| DomainError::InvalidCursor)?,
                ))
            }
        };
        let now = self.accord.now();
        let mut tx = self.accord.store().read().await?;
        let rows = tx
            .list_requests(self.principal.tenant.id, after, limit + 1)
            .await?;
        let mut page = page_from(
            rows,
            limit,
            |r| {
                encode_cursor(
                    &r.created_at.timestamp_millis().to_string(),
                    &r.id.to_string(),
                )
            },
            |r| request_item(r, now),
        );
        // Who answered: the organisation's name (at most one lookup per row of a page).
        for item in &mut page.items {
            if let Some(c) = item.customer_id {
                item.customer_name = tx.tenant(c).await?.map(|t| t.name);
            }
        }
        Ok(page)
    }

    /// A customer's page as the partner sees it: the account and the relationship.
    pub async fn customer_detail(
        &self,
        customer: TenantId,
    ) -> Result<(
        crate::CustomerAccount,
        crate::RelationshipSummary,
        Option<SupportContact>,
    )> {
        let scope = self.customer(customer).await?;
        let account = crate::account::account(&scope).await?;
        let now = self.accord.now();
        let mut tx = self.accord.store().read().await?;
        let rel = tx
            .relationship(customer, self.principal.tenant.id)
            .await?
            .ok_or(DomainError::NotFound { what: "customer" })?;
        let contact = support_contact(tx.as_mut(), customer, self.principal.tenant.id).await?;
        Ok((
            account,
            crate::RelationshipSummary::of_customer(rel, now),
            contact,
        ))
    }

    /// The partner's users who may be named as a support contact (enabled ones).
    pub async fn support_candidates(&self) -> Result<Vec<SupportContact>> {
        let mut tx = self.accord.store().read().await?;
        Ok(tx
            .list_users(self.principal.tenant.id, 500)
            .await?
            .into_iter()
            .filter(|u| !u.disabled)
            .map(SupportContact::from)
            .collect())
    }

    /// Whether this user may name support contacts: partner admins and admin agents.
    pub fn may_name_support_contact(&self) -> Result<()> {
        self.require_partner_roles(&[PartnerRole::PartnerAdmin, PartnerRole::AdminAgent])
    }

    /// Names one of the partner's users as the customer's support contact (SPEC F8):
    /// partner admins and admin agents; the customer sees it on the partner's page.
    pub async fn set_support_contact(
        &self,
        customer: TenantId,
        user: UserId,
    ) -> Result<SupportContact> {
        self.may_name_support_contact()?;
        self.customer(customer).await?;
        let partner = self.principal.tenant.id;
        let mut w = Work::begin(self.accord, Actor::of(self.principal)).await?;
        let u = w
            .tx()
            .user(partner, user)
            .await?
            .filter(|u| !u.disabled)
            .ok_or(DomainError::NotFound { what: "user" })?;
        let now = w.now;
        w.tx()
            .set_support_contact(customer, partner, u.id, now)
            .await?;
        w.audit(
            Audit::new("support_contact.set", "user", u.id).details(serde_json::json!({"partner_id": partner, "customer_id": customer, "name": u.display_name, "email": u.email})),
            &[partner, customer],
        );
        w.commit().await?;
        Ok(SupportContact::from(u))
    }

    /// Revokes a pending request so its link no longer works.
    pub async fn revoke_request(&self, id: RequestId) -> Result<RequestItem> {
        self.require_requester()?;
        let partner = self.principal.tenant.id;
        let mut w = Work::begin(self.accord, Actor::of(self.principal)).await?;
        let now = w.now;
        let rec = w
            .tx()
            .request(partner, id)
            .await?
            .ok_or(DomainError::NotFound {
                what: "relationship request",
            })?;
        let status = effective_request_status(rec.status, rec.expires_at, now);
        if status != RequestStatus::Pending {
            return Err(DomainError::RequestNotPending {
                status: status.to_string(),
            }
            .into());
        }
        let res = RequestResolution {
            status: RequestStatus::Revoked,
            at: now,
            by_tenant: partner,
            by_user: self.principal.user_id,
        };
        if !w.tx().resolve_request(partner, id, &res).await? {
            return Err(DomainError::RequestNotPending {
                status: "no longer pending".into(),
            }
            .into());
        }
        w.audit(
            Audit::new("relationship_request.revoked", "relationship_request", id),
            &[partner],
        );
        w.commit().await?;
        let rec = RequestRecord {
            status: RequestStatus::Revoked,
            resolved_at: Some(now),
            resolved_by_tenant: Some(partner),
            resolved_by_user: Some(self.principal.user_id),
            ..rec
        };
        Ok(request_item(rec, now))
    }

    /// The partner's customers, by name, optionally filtered by a name fragment (case-
    /// insensitive in any script). Served from this node's customer index.
    pub async fn list_customers(
        &self,
        query: Option<&str>,
        page: &PageRequest,
    ) -> Result<Page<RelationshipSummary>> {
        let (q, after, limit) = customer_query(query, page)?;
        let now = self.accord.now();
        let rows = match self.customer_list().await? {
            Some(list) => list.page(q, after.as_ref(), limit as usize + 1),
            None => self.customers_from_store(q, after, limit).await?,
        };
        Ok(customer_page(rows, limit, now))
    }

    /// [`PartnerDesk::list_customers`], rendered by `render` (as JSON, say) and kept with
    /// the index: the same page asked for again is answered with the same bytes, until a
    /// relationship of the partner changes or a grant on the page changes status. `kind`
    /// names the rendering.
    pub async fn list_customers_rendered(
        &self,
        query: Option<&str>,
        page: &PageRequest,
        kind: &'static str,
        render: impl FnOnce(Page<RelationshipSummary>) -> std::result::Result<Vec<u8>, String>,
    ) -> Result<Arc<Vec<u8>>> {
        let (q, after, limit) = customer_query(query, page)?;
        let now = self.accord.now();
        let Some(list) = self.customer_list().await? else {
            let rows = self.customers_from_store(q, after, limit).await?;
            return render(customer_page(rows, limit, now))
                .map(Arc::new)
                .map_err(Error::Internal);
        };
        let key = (
            kind,
            q.unwrap_or_default().to_string(),
            page.cursor.clone().unwrap_or_default(),
            limit,
        );
        if let Some(bytes) = list.rendered(&key, now) {
            return Ok(bytes);
        }
        let rows = list.page(q, after.as_ref(), limit as usize + 1);
        let valid_until = rows
            .iter()
            .filter_map(|r| r.grant.as_ref().and_then(|g| g.next_change(now)))
            .min();
        let bytes = Arc::new(render(customer_page(rows, limit, now)).map_err(Error::Internal)?);
        list.keep_rendered(
            key,
            Rendered {
                bytes: bytes.clone(),
                valid_until,
            },
        );
        Ok(bytes)
    }

    /// The partner's customer list from the index, loading it on first use; `None` when
    /// the partner has too many customers to hold.
    async fn customer_list(&self) -> Result<Option<Arc<CustomerList>>> {
        let partner = self.principal.tenant.id;
        let index = self.accord.customer_index();
        if self.accord.feed_is_current() {
            if let Some(found) = index.get(partner) {
                if found.dirty.is_empty() {
                    return Ok(Some(found.list));
                }
                // Some relationships changed: read just those again.
                let mut tx = self.accord.store().read().await?;
                let mut fresh = Vec::with_capacity(found.dirty.len());
                for customer in &found.dirty {
                    if let Some(r) = tx.relationship(*customer, partner).await? {
                        fresh.push(r);
                    }
                }
                drop(tx);
                let list = Arc::new(found.list.patched(&found.dirty, fresh));
                index.fill(found.stamp, partner, list.clone());
                return Ok(Some(list));
            }
        }
        let stamp = index.stamp(partner);
        let mut tx = self.accord.store().read().await?;
        // The whole list: the first page, as long as the largest list the index holds.
        let rows = tx
            .list_customers(partner, None, None, MAX_PER_PARTNER + 1)
            .await?;
        if rows.len() > MAX_PER_PARTNER as usize {
            return Ok(None);
        }
        let list = Arc::new(CustomerList::new(rows));
        index.fill(stamp, partner, list.clone());
        Ok(Some(list))
    }

    async fn customers_from_store(
        &self,
        q: Option<&str>,
        after: Option<(String, TenantId)>,
        limit: u32,
    ) -> Result<Vec<accord_store::RelationshipRecord>> {
        let mut tx = self.accord.store().read().await?;
        Ok(tx
            .list_customers(self.principal.tenant.id, q, after, limit + 1)
            .await?)
    }
}

type CustomerQuery<'q> = (Option<&'q str>, Option<(String, TenantId)>, u32);

fn customer_query<'q>(query: Option<&'q str>, page: &PageRequest) -> Result<CustomerQuery<'q>> {
    let limit = page.limit()?;
    let query = query.map(str::trim).filter(|q| !q.is_empty());
    if let Some(q) = query {
        accord_domain::check_text("q", q, 200)?;
    }
    let after = page.name_cursor()?;
    Ok((query, after, limit))
}

fn customer_page(
    rows: Vec<accord_store::RelationshipRecord>,
    limit: u32,
    now: DateTime<Utc>,
) -> Page<RelationshipSummary> {
    page_from(
        rows,
        limit,
        |r| encode_cursor(&r.customer_name, &r.tenant_id.to_string()),
        |r| RelationshipSummary::of_customer(r, now),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_draft_carries_the_link_and_what_is_asked() {
        let exp = DateTime::from_timestamp_millis(1_800_000_000_000).unwrap_or_default();
        let d = draft_email(
            accord_domain::Locale::En,
            "Contoso",
            "Admin Center",
            "https://x/admin/invitations/abc",
            &AdminAsk::Legacy,
            exp,
            None,
        );
        assert!(d.subject.contains("Contoso"));
        assert!(d.body.contains("https://x/admin/invitations/abc"));
        assert!(d.body.contains("Global admin"));
        assert!(d.body.contains("Admin Center"));
        let d = draft_email(
            accord_domain::Locale::En,
            "Contoso",
            "Admin Center",
            "L",
            &AdminAsk::None,
            exp,
            None,
        );
        assert!(!d.body.contains("delegated admin privileges"));
    }
}
