//! The customer's side: open an invitation, accept the agreement and authorise the partner
//! (SPEC F3), decline, create an organisation from an invitation, and see partners (F6).

use accord_domain::{
    apply_acceptance, check_customer_reachable, check_request_usable, effective_request_status,
    AdminAsk, Cloud, CountryCode, DirectoryRole, DomainError, Locale, PartnerType, RelationshipId,
    RelationshipState, RelationshipStatus, RequestStatus, Role, TenantId, TenantPlace, UserId,
};
use accord_store::{
    AcceptanceRecord, PendingSignupRecord, ReadTx, RelationshipRecord, RequestRecord,
    RequestResolution, TenantRecord, UserRecord,
};
use chrono::{DateTime, Duration, Utc};

use crate::auth::principal_from;
use crate::operator::{
    insert_tenant, insert_user, prepare_user, validate_tenant, Agreement, NewTenant, NewUser,
};
use crate::pages::{encode_cursor, page_from, Page, PageRequest};
use crate::secrets::{hash_token, new_token, token_tenant};
use crate::summary::RelationshipSummary;
use crate::work::{Actor, Audit, Change, Work};
use crate::{Accord, Error, Organisation, Principal, Result};

/// What anyone holding the link may see before signing in: who invites, for which cloud,
/// and whether the link still works. Nothing about the request's details.
#[derive(Clone, Debug)]
pub struct InvitationPreview {
    pub partner_name: String,
    pub cloud: Cloud,
    pub status: RequestStatus,
    /// Where the partner is: its country and region (if the region table names one).
    pub partner_country: String,
    pub partner_region: Option<String>,
    /// The countries whose organisations the partner can work with (its own, and those
    /// of its region), as ISO codes, sorted.
    pub countries: Vec<String>,
    /// What the request asks for, as the anonymous page may tell it: the partner types
    /// and whether admin privileges are asked (not which roles, until sign-in).
    pub types: Vec<PartnerType>,
    pub asks_admin: bool,
}

/// What a signed-in customer user sees on the consent page.
#[derive(Clone, Debug)]
pub struct InvitationView {
    pub partner_id: TenantId,
    pub partner_name: String,
    pub partner_country: String,
    pub status: RequestStatus,
    pub types: Vec<PartnerType>,
    pub ask: AdminAsk,
    pub expires_at: DateTime<Utc>,
    pub agreement: Option<Agreement>,
    /// Whether the customer already accepted the current agreement version.
    pub agreement_already_accepted: bool,
    /// Whether the viewer may accept (is a Global admin).
    pub viewer_is_global_admin: bool,
    /// A rule that would refuse acceptance, known before trying (cloud, region, status).
    pub blocker: Option<DomainError>,
}

/// The result of accepting.
#[derive(Clone, Debug)]
pub struct AcceptOutcome {
    pub relationship_id: RelationshipId,
    pub partner_id: TenantId,
    pub partner_name: String,
    pub types: Vec<PartnerType>,
    pub admin_roles: Vec<DirectoryRole>,
    /// The roles the partner asked for (more than `admin_roles` after a partial approval).
    pub requested_roles: Vec<DirectoryRole>,
    pub admin_ends_at: Option<DateTime<Utc>>,
    /// The agreement version accepted now, if it had not been accepted before.
    pub agreement_accepted: Option<i64>,
    /// Whether an existing relationship was updated (e.g. admin roles restored).
    pub updated_existing: bool,
}

/// The partner detail page.
#[derive(Clone, Debug)]
pub struct PartnerDetail {
    pub item: RelationshipSummary,
    pub domain: String,
    pub country: String,
    pub cloud: Cloud,
    /// Whether "Delete partner" is offered (the partner is a delegated admin or admin and
    /// nothing else).
    pub can_delete: bool,
    /// When the admin roles were removed and by whom (name and e-mail), if they were.
    pub roles_removed: Option<(DateTime<Utc>, String)>,
    /// The partner's user named as the organisation's support contact.
    pub support_contact: Option<crate::partner::SupportContact>,
}

/// One version of the customer agreement the organisation accepted.
#[derive(Clone, Debug)]
pub struct AcceptedAgreement {
    pub version: i64,
    pub title: String,
    pub accepted_at: DateTime<Utc>,
    pub user_name: String,
    pub user_email: String,
}

/// Organisation details for a customer signing up through an invitation.
#[derive(Clone)]
pub struct NewOrganisation {
    pub name: String,
    pub domain: String,
    pub country: String,
    pub admin_name: String,
    pub admin_email: String,
    pub admin_password: String,
    /// The language of the e-mail sent.
    pub locale: Locale,
}

/// How long a sign-up's confirmation link works.
pub const SIGNUP_LINK_HOURS: i64 = 24;

/// The answer to a sign-up, the same whatever the e-mail says.
#[derive(Clone, Debug)]
pub struct SignUpReceipt {
    /// Where the e-mail went (as normalised).
    pub email: String,
}

/// A sign-up waiting for its confirmation link, as the link shows it.
#[derive(Clone, Debug)]
pub struct PendingSignup {
    pub partner_name: String,
    pub cloud: Cloud,
    pub org_name: String,
    pub domain: String,
    pub country: String,
    pub admin_name: String,
    pub admin_email: String,
    pub expires_at: DateTime<Utc>,
}

/// A token as one URL path segment (tokens are URL-safe; anything else is escaped).
fn url_segment(token: &str) -> String {
    url::form_urlencoded::byte_serialize(token.as_bytes()).collect()
}

/// The partner types a request asks for, `delegated_admin` included when it asks for
/// admin privileges.
fn requested_types(req: &RequestRecord) -> Vec<PartnerType> {
    let mut t = req.types.clone();
    if req.ask.includes_admin() && !t.contains(&PartnerType::DelegatedAdmin) {
        t.push(PartnerType::DelegatedAdmin);
    }
    t.sort();
    t
}

async fn place(tx: &mut dyn ReadTx, cloud: Cloud, country: &CountryCode) -> Result<TenantPlace> {
    Ok(TenantPlace {
        cloud,
        country: country.clone(),
        region: tx.region_of(country.as_str()).await?,
    })
}

async fn find_request(tx: &mut dyn ReadTx, token: &str) -> Result<RequestRecord> {
    let Some(partner) = token_tenant(token) else {
        return Err(DomainError::NotFound { what: "invitation" }.into());
    };
    tx.request_by_token_hash(partner, &hash_token(token))
        .await?
        .ok_or_else(|| DomainError::NotFound { what: "invitation" }.into())
}

async fn partner_of(tx: &mut dyn ReadTx, req: &RequestRecord) -> Result<TenantRecord> {
    tx.tenant(req.tenant_id)
        .await?
        .ok_or_else(|| Error::Internal(format!("request {} has no partner tenant", req.id)))
}

/// Every rule that decides whether `customer` may accept `req` now, in the order a
/// person should hear about them.
async fn acceptance_blocker(
    tx: &mut dyn ReadTx,
    req: &RequestRecord,
    partner: &TenantRecord,
    customer: &Organisation,
    now: DateTime<Utc>,
) -> Result<Option<DomainError>> {
    if let Err(e) = check_request_usable(effective_request_status(req.status, req.expires_at, now))
    {
        return Ok(Some(e));
    }
    if partner.id == customer.id {
        return Ok(Some(DomainError::SelfRelationship));
    }
    let p = place(tx, partner.cloud, &partner.country).await?;
    let c = place(tx, customer.cloud, &customer.country).await?;
    Ok(check_customer_reachable(&p, &c).err())
}

impl Accord {
    /// What the link shows before anyone signs in.
    pub async fn invitation_preview(&self, token: &str) -> Result<InvitationPreview> {
        let now = self.now();
        let mut tx = self.store().read().await?;
        let req = find_request(tx.as_mut(), token).await?;
        let partner = partner_of(tx.as_mut(), &req).await?;
        let region = tx.region_of(partner.country.as_str()).await?;
        let mut countries: Vec<String> = match &region {
            Some(r) => tx
                .list_regions()
                .await?
                .into_iter()
                .filter(|(_, reg)| reg == r)
                .map(|(c, _)| c)
                .collect(),
            None => Vec::new(),
        };
        countries.push(partner.country.to_string());
        countries.sort();
        countries.dedup();
        Ok(InvitationPreview {
            partner_name: partner.name,
            cloud: partner.cloud,
            status: effective_request_status(req.status, req.expires_at, now),
            partner_country: partner.country.to_string(),
            partner_region: region,
            countries,
            types: requested_types(&req),
            asks_admin: req.ask.includes_admin(),
        })
    }

    /// Starts creating a customer organisation from an invitation link. Nothing is
    /// created yet: an e-mail goes to the address given, and the answer is the same
    /// whatever happens next, so a link cannot be used to learn who has an account.
    /// - A new address and domain: the e-mail holds a confirmation link (valid for
    ///   [`SIGNUP_LINK_HOURS`] hours) that creates the organisation in the partner's
    ///   cloud, with the new admin as its first Global admin.
    /// - An address that already has an account: the e-mail says so and how to sign in.
    /// - A domain that is already registered: the e-mail says nothing was created and
    ///   what to do instead.
    ///
    /// Errors are only those about the link itself (unknown, expired, already used to
    /// create an organisation), about the form (a malformed domain, a short password) and
    /// throttling: at most 5 such e-mails to one address from one client address per 15
    /// minutes, 50 to one address, 30 from one client address.
    pub async fn sign_up_from_invitation(
        &self,
        token: &str,
        org: &NewOrganisation,
        client: &str,
    ) -> Result<SignUpReceipt> {
        let at = self.now();
        let recipient = accord_store::fold(org.admin_email.trim());
        if let Err(retry_after_secs) = self.inner.signups.attempt(Some(&recipient), client, at) {
            return Err(DomainError::TooManyAttempts { retry_after_secs }.into());
        }
        let result = self.sign_up(token, org).await;
        if result.is_err() {
            // Only sent e-mails count.
            self.inner
                .signups
                .inconclusive(Some(&recipient), client, at);
        }
        result
    }

    async fn sign_up(&self, token: &str, org: &NewOrganisation) -> Result<SignUpReceipt> {
        let preview = self.invitation_preview(token).await?;
        check_request_usable(preview.status)?;
        let now = self.now();
        let tenant = validate_tenant(
            &NewTenant {
                name: org.name.clone(),
                domain: org.domain.clone(),
                country: org.country.clone(),
                cloud: preview.cloud,
                is_partner: false,
            },
            now,
        )?;
        // A country the partner cannot work with is refused now, not after creating an
        // organisation that then cannot accept (it says nothing about who is registered).
        {
            let mut tx = self.store().read().await?;
            let p = place(
                tx.as_mut(),
                preview.cloud,
                &CountryCode::parse(&preview.partner_country)?,
            )
            .await?;
            let c = place(tx.as_mut(), tenant.cloud, &tenant.country).await?;
            check_customer_reachable(&p, &c)?;
        }
        // Hashed on every path, so the answer takes as long whatever the outcome.
        let user = prepare_user(
            &tenant,
            &NewUser {
                email: org.admin_email.clone(),
                display_name: Some(org.admin_name.clone()),
                password: org.admin_password.clone(),
                roles: vec![Role::Directory(DirectoryRole::GlobalAdmin)],
            },
            now,
        )
        .await?;
        let mut w = Work::begin(self, Actor::System).await?;
        let now = w.now;
        let req = find_request(w.tx(), token).await?;
        check_request_usable(effective_request_status(req.status, req.expires_at, now))?;
        if w.tx()
            .signup_of_request(req.tenant_id, req.id)
            .await?
            .is_some()
        {
            return Err(DomainError::InvitationSignupUsed.into());
        }
        let partner = partner_of(w.tx(), &req).await?;
        let (base, portal) = self.portal(w.tx(), partner.cloud).await?;
        let email_taken = w.tx().user_by_email(&user.email).await?.is_some();
        let domain_taken = w.tx().tenant_by_domain(&tenant.domain).await?.is_some();
        let to = user.email.clone();
        if email_taken {
            let link = format!("{base}/signin");
            w.send_email(
                req.tenant_id,
                &to,
                org.locale,
                "signup-account-exists",
                &[
                    ("partner", &partner.name),
                    ("portal", &portal),
                    ("link", &link),
                ],
            );
        } else if domain_taken {
            w.send_email(
                req.tenant_id,
                &to,
                org.locale,
                "signup-domain-taken",
                &[
                    ("name", &user.display_name),
                    ("org", &tenant.name),
                    ("domain", &tenant.domain),
                    ("portal", &portal),
                    ("partner", &partner.name),
                ],
            );
        } else {
            let code = new_token();
            w.tx()
                .insert_pending_signup(&PendingSignupRecord {
                    tenant_id: req.tenant_id,
                    code_hash: hash_token(&code),
                    request_id: req.id,
                    org_name: tenant.name.clone(),
                    domain: tenant.domain.clone(),
                    country: tenant.country.to_string(),
                    admin_name: user.display_name.clone(),
                    admin_email: user.email.clone(),
                    password_hash: user.password_hash.clone(),
                    created_at: now,
                    expires_at: now + Duration::hours(SIGNUP_LINK_HOURS),
                })
                .await?;
            let link = format!(
                "{base}/admin/invitations/{}/confirm/{code}",
                url_segment(token)
            );
            w.send_email(
                req.tenant_id,
                &to,
                org.locale,
                "signup-confirm",
                &[
                    ("name", &user.display_name),
                    ("org", &tenant.name),
                    ("domain", &tenant.domain),
                    ("portal", &portal),
                    ("partner", &partner.name),
                    ("link", &link),
                ],
            );
        }
        w.tx().prune_pending_signups(now).await?;
        w.commit().await?;
        Ok(SignUpReceipt { email: to })
    }

    async fn find_pending_signup(
        tx: &mut dyn ReadTx,
        req: &RequestRecord,
        code: &str,
        now: DateTime<Utc>,
    ) -> Result<PendingSignupRecord> {
        tx.pending_signup(req.tenant_id, &hash_token(code))
            .await?
            .filter(|p| p.request_id == req.id && p.expires_at > now)
            .ok_or_else(|| DomainError::SignupLinkInvalid.into())
    }

    /// What the confirmation link shows before the organisation is created.
    pub async fn pending_signup(&self, token: &str, code: &str) -> Result<PendingSignup> {
        let now = self.now();
        let mut tx = self.store().read().await?;
        let req = find_request(tx.as_mut(), token).await?;
        let p = Self::find_pending_signup(tx.as_mut(), &req, code, now).await?;
        check_request_usable(effective_request_status(req.status, req.expires_at, now))?;
        let partner = partner_of(tx.as_mut(), &req).await?;
        Ok(PendingSignup {
            partner_name: partner.name,
            cloud: partner.cloud,
            org_name: p.org_name,
            domain: p.domain,
            country: p.country,
            admin_name: p.admin_name,
            admin_email: p.admin_email,
            expires_at: p.expires_at,
        })
    }

    /// Creates the organisation of a pending sign-up: the confirmation link works once.
    /// Returns its first Global admin, to be signed in by the caller.
    pub async fn confirm_sign_up(&self, token: &str, code: &str) -> Result<Principal> {
        let mut w = Work::begin(self, Actor::System).await?;
        let now = w.now;
        let req = find_request(w.tx(), token).await?;
        let p = Self::find_pending_signup(w.tx(), &req, code, now).await?;
        check_request_usable(effective_request_status(req.status, req.expires_at, now))?;
        if w.tx()
            .signup_of_request(req.tenant_id, req.id)
            .await?
            .is_some()
        {
            return Err(DomainError::InvitationSignupUsed.into());
        }
        let partner = partner_of(w.tx(), &req).await?;
        let tenant = TenantRecord {
            id: TenantId::new(),
            name: p.org_name.clone(),
            domain: p.domain.clone(),
            country: CountryCode::parse(&p.country)?,
            cloud: partner.cloud,
            is_partner: false,
            created_at: now,
        };
        let user = UserRecord {
            tenant_id: tenant.id,
            id: UserId::new(),
            email: p.admin_email.clone(),
            display_name: p.admin_name.clone(),
            password_hash: p.password_hash.clone(),
            roles: vec![Role::Directory(DirectoryRole::GlobalAdmin)],
            disabled: false,
            password_temporary: false,
            created_at: now,
        };
        if !w
            .tx()
            .delete_pending_signup(req.tenant_id, &p.code_hash)
            .await?
        {
            return Err(DomainError::SignupLinkInvalid.into());
        }
        // Registered since the e-mail was sent: told only to the mailbox's owner.
        let taken = |e: Error| match e.rule() {
            Some(DomainError::DomainTaken { .. } | DomainError::EmailTaken { .. }) => {
                DomainError::SignupNotPossible.into()
            }
            _ => e,
        };
        insert_tenant(w.tx(), &tenant).await.map_err(taken)?;
        insert_user(w.tx(), &tenant, &user).await.map_err(taken)?;
        // The organisation's first Global admin made it.
        w.set_actor(Actor::User {
            tenant: tenant.id,
            user: user.id,
        });
        w.tx()
            .record_signup(req.tenant_id, req.id, tenant.id, now)
            .await
            .map_err(|e| match e.constraint() {
                Some(accord_store::constraint::SIGNUP_REQUEST) => {
                    Error::from(DomainError::InvitationSignupUsed)
                }
                _ => e.into(),
            })?;
        w.audit(
            Audit::new("tenant.created", "tenant", tenant.id).details(serde_json::json!({"name": tenant.name, "domain": tenant.domain, "cloud": tenant.cloud, "country": tenant.country, "via": "invitation", "request_id": req.id, "partner_id": req.tenant_id, "first_global_admin": user.email, "email_confirmed": true})),
            &[tenant.id],
        );
        w.commit().await?;
        Ok(principal_from(user, tenant))
    }

    /// The desk of any signed-in user of an organisation, as a customer.
    pub fn customer_desk<'a>(&'a self, principal: &'a Principal) -> CustomerDesk<'a> {
        CustomerDesk {
            accord: self,
            principal,
        }
    }

    /// The Global admin's desk: accept or decline invitations.
    pub fn global_admin_desk<'a>(
        &'a self,
        principal: &'a Principal,
    ) -> Result<GlobalAdminDesk<'a>> {
        if principal.has_role(Role::Directory(DirectoryRole::GlobalAdmin)) {
            Ok(GlobalAdminDesk {
                accord: self,
                principal,
            })
        } else {
            Err(DomainError::NotGlobalAdmin.into())
        }
    }
}

/// What any user of an organisation may see as a customer.
pub struct CustomerDesk<'a> {
    pub(crate) accord: &'a Accord,
    pub(crate) principal: &'a Principal,
}

impl CustomerDesk<'_> {
    /// The consent page's content.
    pub async fn view_invitation(&self, token: &str) -> Result<InvitationView> {
        let now = self.accord.now();
        let mut tx = self.accord.store().read().await?;
        let req = find_request(tx.as_mut(), token).await?;
        let partner = partner_of(tx.as_mut(), &req).await?;
        let customer = &self.principal.tenant;
        let blocker = acceptance_blocker(tx.as_mut(), &req, &partner, customer, now).await?;
        let agreement = tx.current_agreement().await?;
        let agreement_already_accepted = match &agreement {
            Some(a) => tx.acceptance(customer.id, a.version).await?.is_some(),
            None => false,
        };
        Ok(InvitationView {
            partner_id: partner.id,
            partner_name: partner.name,
            partner_country: partner.country.to_string(),
            status: effective_request_status(req.status, req.expires_at, now),
            types: requested_types(&req),
            ask: req.ask,
            expires_at: req.expires_at,
            agreement: agreement.map(Agreement::from),
            agreement_already_accepted,
            viewer_is_global_admin: self
                .principal
                .has_role(Role::Directory(DirectoryRole::GlobalAdmin)),
            blocker,
        })
    }

    /// The organisation's partners, by name.
    pub async fn list_partners(&self, page: &PageRequest) -> Result<Page<RelationshipSummary>> {
        let limit = page.limit()?;
        let after = page.name_cursor()?;
        let now = self.accord.now();
        let mut tx = self.accord.store().read().await?;
        let rows = tx
            .list_partners(self.principal.tenant.id, after, limit + 1)
            .await?;
        Ok(page_from(
            rows,
            limit,
            |r| encode_cursor(&r.partner_name, &r.partner_id.to_string()),
            |r| RelationshipSummary::of_partner(r, now),
        ))
    }

    /// One partner's details; 404 unless the organisation has an active relationship with it.
    pub async fn partner_detail(&self, partner_id: TenantId) -> Result<PartnerDetail> {
        let now = self.accord.now();
        let mut tx = self.accord.store().read().await?;
        let rel = tx
            .relationship(self.principal.tenant.id, partner_id)
            .await?
            .filter(|r| r.status == RelationshipStatus::Active)
            .ok_or(DomainError::NotFound { what: "partner" })?;
        let partner = tx.tenant(partner_id).await?.ok_or_else(|| {
            Error::Internal(format!("relationship with missing partner {partner_id}"))
        })?;
        let terminated = rel.grant.as_ref().and_then(|g| g.terminated_at);
        let rel_id = rel.id;
        let item = RelationshipSummary::of_partner(rel, now);
        let roles_removed = match terminated {
            None => None,
            Some(at) => {
                let by = tx
                    .latest_audit(
                        self.principal.tenant.id,
                        "admin_grant.terminated",
                        &rel_id.to_string(),
                    )
                    .await?
                    .and_then(|a| {
                        let name = a.details.get("by_name")?.as_str()?.to_string();
                        let email = a.details.get("by_email")?.as_str()?.to_string();
                        Some(format!("{name} ({email})"))
                    })
                    .unwrap_or_default();
                Some((at, by))
            }
        };
        let can_delete = accord_domain::customer_may_delete(&item.types);
        Ok(PartnerDetail {
            item,
            domain: partner.domain,
            country: partner.country.to_string(),
            cloud: partner.cloud,
            can_delete,
            roles_removed,
            support_contact: crate::partner::support_contact(
                tx.as_mut(),
                self.principal.tenant.id,
                partner_id,
            )
            .await?,
        })
    }

    /// The name of a partner the organisation has or had a relationship with (for the
    /// notice after "Delete partner"); not found for any other organisation.
    pub async fn partner_name(&self, partner_id: TenantId) -> Result<String> {
        let mut tx = self.accord.store().read().await?;
        Ok(tx
            .relationship(self.principal.tenant.id, partner_id)
            .await?
            .ok_or(DomainError::NotFound { what: "partner" })?
            .partner_name)
    }

    /// The agreement versions the organisation accepted, newest first, with who accepted.
    pub async fn agreement_history(&self) -> Result<Vec<AcceptedAgreement>> {
        let mut tx = self.accord.store().read().await?;
        let mut out = Vec::new();
        for a in tx.acceptances_of(self.principal.tenant.id).await? {
            let title = tx
                .agreement(a.version)
                .await?
                .map(|r| r.title)
                .unwrap_or_default();
            out.push(AcceptedAgreement {
                version: a.version,
                title,
                accepted_at: a.accepted_at,
                user_name: a.user_name,
                user_email: a.user_email,
            });
        }
        Ok(out)
    }

    /// Whether the organisation has accepted the current agreement (and which version is current).
    pub async fn agreement_status(&self) -> Result<(Option<Agreement>, bool)> {
        let mut tx = self.accord.store().read().await?;
        let a = tx.current_agreement().await?;
        let accepted = match &a {
            Some(a) => tx
                .acceptance(self.principal.tenant.id, a.version)
                .await?
                .is_some(),
            None => false,
        };
        Ok((a.map(Agreement::from), accepted))
    }
}

/// The organisation's answer to the current customer agreement.
#[derive(Clone, Debug)]
pub struct AgreementAcceptance {
    pub version: i64,
    pub accepted_at: DateTime<Utc>,
    pub accepted_by: String,
    /// Whether this call recorded it (false: it had been accepted before).
    pub newly_accepted: bool,
}

/// Refuses purchases and provisioning for a customer that has not accepted the current
/// agreement version (SPEC F4), naming the version.
pub(crate) async fn require_current_agreement(
    tx: &mut dyn ReadTx,
    customer: TenantId,
) -> Result<()> {
    let Some(a) = tx.current_agreement().await? else {
        return Err(DomainError::NoCurrentAgreement.into());
    };
    match tx.acceptance(customer, a.version).await? {
        Some(_) => Ok(()),
        None => Err(DomainError::AgreementNotAccepted { version: a.version }.into()),
    }
}

/// Records that `p`'s organisation accepted agreement `version` (once per version) and
/// audits it with `details`; returns whether this call recorded it.
async fn record_acceptance(
    w: &mut Work,
    p: &Principal,
    version: i64,
    client_addr: &str,
    details: serde_json::Value,
) -> Result<bool> {
    let now = w.now;
    let recorded = w
        .tx()
        .insert_acceptance(&AcceptanceRecord {
            tenant_id: p.tenant.id,
            id: uuid::Uuid::now_v7(),
            version,
            user_id: p.user_id,
            user_name: p.display_name.clone(),
            user_email: p.email.clone(),
            accepted_at: now,
            client_addr: client_addr.chars().take(100).collect(),
        })
        .await?;
    if recorded {
        w.audit(
            Audit::new("agreement.accepted", "agreement", version).details(details),
            &[p.tenant.id],
        );
    }
    Ok(recorded)
}

/// What only a Global admin may do.
pub struct GlobalAdminDesk<'a> {
    pub(crate) accord: &'a Accord,
    pub(crate) principal: &'a Principal,
}

impl GlobalAdminDesk<'_> {
    /// Accepts the current customer agreement on its own (SPEC F4), e.g. after the
    /// operator published a new version. Accepting a version already accepted changes
    /// nothing and says when and by whom it was.
    pub async fn accept_current_agreement(
        &self,
        accept_agreement: bool,
        client_addr: &str,
    ) -> Result<AgreementAcceptance> {
        if !accept_agreement {
            return Err(DomainError::AgreementAcceptanceRequired.into());
        }
        let p = self.principal;
        let mut w = Work::begin(self.accord, Actor::of(p)).await?;
        let now = w.now;
        let agreement = w
            .tx()
            .current_agreement()
            .await?
            .ok_or(DomainError::NoCurrentAgreement)?;
        if let Some(before) = w.tx().acceptance(p.tenant.id, agreement.version).await? {
            return Ok(AgreementAcceptance {
                version: before.version,
                accepted_at: before.accepted_at,
                accepted_by: format!("{} ({})", before.user_name, before.user_email),
                newly_accepted: false,
            });
        }
        let recorded = record_acceptance(
            &mut w,
            p,
            agreement.version,
            client_addr,
            serde_json::json!({"version": agreement.version, "client_addr": client_addr, "via": "agreement_only", "by_name": p.display_name, "by_email": p.email}),
        )
        .await?;
        w.commit().await?;
        Ok(AgreementAcceptance {
            version: agreement.version,
            accepted_at: now,
            accepted_by: format!("{} ({})", p.display_name, p.email),
            newly_accepted: recorded,
        })
    }

    /// Accepts the customer agreement (if the current version is not yet accepted) and
    /// authorises the partner, in one transaction (SPEC F3). `approved_roles` approves a
    /// subset of the admin roles asked (all of them when `None`).
    pub async fn accept_invitation(
        &self,
        token: &str,
        accept_agreement: bool,
        approved_roles: Option<&[DirectoryRole]>,
        client_addr: &str,
    ) -> Result<AcceptOutcome> {
        let p = self.principal;
        let mut w = Work::begin(self.accord, Actor::of(p)).await?;
        let now = w.now;
        let req = find_request(w.tx(), token).await?;
        let partner = partner_of(w.tx(), &req).await?;
        let customer = Organisation::from(
            w.tx()
                .tenant(p.tenant.id)
                .await?
                .ok_or_else(|| Error::Internal("principal without tenant".into()))?,
        );
        if let Some(e) = acceptance_blocker(w.tx(), &req, &partner, &customer, now).await? {
            return Err(e.into());
        }
        if !accept_agreement {
            return Err(DomainError::AgreementAcceptanceRequired.into());
        }
        let agreement = w
            .tx()
            .current_agreement()
            .await?
            .ok_or(DomainError::NoCurrentAgreement)?;

        // Consume the request first: the conditional update is the single-use guarantee
        // under concurrency, on every backend.
        let resolution = RequestResolution {
            status: RequestStatus::Accepted,
            at: now,
            by_tenant: customer.id,
            by_user: p.user_id,
        };
        if !w
            .tx()
            .resolve_request(partner.id, req.id, &resolution)
            .await?
        {
            return Err(DomainError::RequestAlreadyUsed.into());
        }

        let recorded = record_acceptance(
            &mut w,
            p,
            agreement.version,
            client_addr,
            serde_json::json!({"version": agreement.version, "client_addr": client_addr}),
        )
        .await?;

        let placeholder = RelationshipRecord {
            tenant_id: customer.id,
            partner_id: partner.id,
            id: RelationshipId::new(),
            partner_name: partner.name.clone(),
            customer_name: customer.name.clone(),
            types: Default::default(),
            grant: None,
            status: RelationshipStatus::Ended,
            created_at: now,
            updated_at: now,
        };
        // Lock the pair, so two requests of the same partner accepted at once merge one
        // after the other instead of overwriting each other.
        let existing = w.tx().claim_relationship(&placeholder).await?;
        let active = existing
            .as_ref()
            .filter(|r| r.status == RelationshipStatus::Active);
        let before = active.map(crate::account::state_of);
        let after = apply_acceptance(before.as_ref(), &req.types, &req.ask, approved_roles, now)?;
        let rel = RelationshipRecord {
            tenant_id: customer.id,
            partner_id: partner.id,
            // An ended relationship is not revived: a new one starts, and the old one's
            // history stays under its own id.
            id: active.map_or(placeholder.id, |r| r.id),
            partner_name: partner.name.clone(),
            customer_name: customer.name.clone(),
            types: after.types.clone(),
            grant: after.grant.clone(),
            status: RelationshipStatus::Active,
            created_at: active.map(|r| r.created_at).unwrap_or(now),
            updated_at: now,
        };
        w.tx().upsert_relationship(&rel).await?;
        w.changed(Change::RelationshipChanged {
            customer: customer.id,
            partner: partner.id,
        });
        // A request sent in reply to a lead links that lead to the customer it became.
        w.tx()
            .link_lead_customer(partner.id, req.id, customer.id, now)
            .await?;

        let both = [partner.id, customer.id];
        w.audit(
            Audit::new(
                "relationship_request.accepted",
                "relationship_request",
                req.id,
            )
            .details(serde_json::json!({"partner": partner.name, "customer": customer.name})),
            &both,
        );
        let action = if active.is_some() {
            "relationship.updated"
        } else {
            "relationship.created"
        };
        w.audit(
            Audit::new(action, "relationship", rel.id).details(serde_json::json!({"types": rel.types, "partner_id": partner.id, "customer_id": customer.id})),
            &both,
        );
        if let Some(g) = rel.grant.as_ref().filter(|_| req.ask.includes_admin()) {
            let old = before.as_ref().and_then(|b| b.grant.as_ref());
            let action = match old {
                Some(o) if o.in_force(now) => "admin_grant.replaced",
                Some(_) => "admin_grant.restored",
                None => "admin_grant.granted",
            };
            w.audit(
                Audit::new(action, "relationship", rel.id).details(serde_json::json!({
                    "roles": g.roles, "requested_roles": g.requested,
                    "ends_at": g.ends_at, "auto_extend": g.auto_extend,
                    "previous_roles": old.map(|o| o.roles.clone()),
                    "previous_ends_at": old.and_then(|o| o.ends_at),
                })),
                &both,
            );
            if !old.is_some_and(|o| o.in_force(now)) {
                // A new grant starts with nobody assigned (assignments left from an
                // ended or expired grant are not revived by this consent).
                crate::access::clear_assignments(&mut w, partner.id, customer.id).await?;
            }
        }
        w.commit().await?;

        let state = RelationshipState {
            types: rel.types,
            grant: rel.grant,
        };
        let in_force = state.grant.as_ref().filter(|g| g.in_force(now));
        Ok(AcceptOutcome {
            relationship_id: rel.id,
            partner_id: partner.id,
            partner_name: partner.name,
            types: state.effective_types(now),
            admin_roles: in_force.map(|g| g.roles.clone()).unwrap_or_default(),
            requested_roles: in_force.map(|g| g.requested.clone()).unwrap_or_default(),
            admin_ends_at: in_force.and_then(|g| g.ends_at),
            agreement_accepted: recorded.then_some(agreement.version),
            updated_existing: active.is_some(),
        })
    }

    /// Ends the partner's delegated admin grant at once ("Remove admin roles", SPEC F6).
    /// The relationship stays: a reseller remains a reseller.
    pub async fn remove_admin_roles(&self, partner_id: TenantId) -> Result<RelationshipSummary> {
        let p = self.principal;
        let mut w = Work::begin(self.accord, Actor::of(p)).await?;
        let now = w.now;
        let mut rel = w
            .tx()
            .relationship_for_update(p.tenant.id, partner_id)
            .await?
            .filter(|r| r.status == RelationshipStatus::Active)
            .ok_or(DomainError::NotFound { what: "partner" })?;
        let Some(grant) = rel.grant.as_mut().filter(|g| g.in_force(now)) else {
            return Err(DomainError::NoAdminRoles.into());
        };
        grant.terminated_at = Some(now);
        let roles = grant.roles.clone();
        rel.updated_at = now;
        w.tx().upsert_relationship(&rel).await?;
        crate::access::clear_assignments(&mut w, partner_id, p.tenant.id).await?;
        w.changed(Change::RelationshipChanged {
            customer: p.tenant.id,
            partner: partner_id,
        });
        w.audit(
            Audit::new("admin_grant.terminated", "relationship", rel.id)
                .details(serde_json::json!({"roles": roles, "by": "customer", "by_name": p.display_name, "by_email": p.email})),
            &[partner_id, p.tenant.id],
        );
        w.commit().await?;
        Ok(RelationshipSummary::of_partner(rel, now))
    }

    /// "Delete partner" (SPEC F6): ends the relationship and any admin roles at once,
    /// allowed only when the partner is a delegated admin or admin and nothing else; for
    /// every other type the partner ends it (`partner_type_requires_partner_action`).
    pub async fn delete_partner(&self, partner_id: TenantId) -> Result<()> {
        let p = self.principal;
        let mut w = Work::begin(self.accord, Actor::of(p)).await?;
        let now = w.now;
        let mut rel = w
            .tx()
            .relationship_for_update(p.tenant.id, partner_id)
            .await?
            .filter(|r| r.status == RelationshipStatus::Active)
            .ok_or(DomainError::NotFound { what: "partner" })?;
        let state = crate::account::state_of(&rel);
        if !accord_domain::customer_may_delete(&state.effective_types(now)) {
            return Err(DomainError::PartnerTypeRequiresPartnerAction {
                partner: rel.partner_name.clone(),
            }
            .into());
        }
        if let Some(g) = rel.grant.as_mut().filter(|g| g.terminated_at.is_none()) {
            g.terminated_at = Some(now);
        }
        rel.status = RelationshipStatus::Ended;
        rel.updated_at = now;
        w.tx().upsert_relationship(&rel).await?;
        crate::access::clear_assignments(&mut w, partner_id, p.tenant.id).await?;
        crate::guests::clear_guests(&mut w, partner_id, p.tenant.id).await?;
        w.changed(Change::RelationshipChanged {
            customer: p.tenant.id,
            partner: partner_id,
        });
        w.audit(
            Audit::new("relationship.ended", "relationship", rel.id).details(serde_json::json!({"by": "customer", "by_name": p.display_name, "by_email": p.email, "types": state.types})),
            &[partner_id, p.tenant.id],
        );
        w.commit().await
    }

    /// Declines an invitation ("Cancel"): the link is used up and nothing else changes.
    /// Only an organisation that could accept the request may decline it, so a stray
    /// link cannot be burnt by anyone who happens to see it.
    pub async fn decline_invitation(&self, token: &str) -> Result<()> {
        let p = self.principal;
        let mut w = Work::begin(self.accord, Actor::of(p)).await?;
        let now = w.now;
        let req = find_request(w.tx(), token).await?;
        let partner = partner_of(w.tx(), &req).await?;
        if let Some(e) = acceptance_blocker(w.tx(), &req, &partner, &p.tenant, now).await? {
            return Err(e.into());
        }
        let resolution = RequestResolution {
            status: RequestStatus::Declined,
            at: now,
            by_tenant: p.tenant.id,
            by_user: p.user_id,
        };
        if !w
            .tx()
            .resolve_request(req.tenant_id, req.id, &resolution)
            .await?
        {
            return Err(DomainError::RequestAlreadyUsed.into());
        }
        w.audit(
            Audit::new(
                "relationship_request.declined",
                "relationship_request",
                req.id,
            ),
            &[req.tenant_id, p.tenant.id],
        );
        w.commit().await
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

    use std::sync::Arc;

    use super::*;
    use crate::{NewTenant, NewUser, ServiceConfig, SystemClock};

    /// F4: a new version must be accepted on its own before anything is bought; the
    /// refusal names the version, and accepting twice records once.
    #[tokio::test]
    async fn a_new_agreement_version_is_accepted_on_its_own() {
        let (store, _db) = accord_test_support::fresh_store().await;
        let accord = Accord::new(
            Arc::new(store),
            Arc::new(SystemClock),
            ServiceConfig::default(),
        );
        let op = accord.local_operator();
        let org = op
            .create_tenant(&NewTenant {
                name: "Agree".into(),
                domain: "agree.example".into(),
                country: "KR".into(),
                cloud: Cloud::Public,
                is_partner: false,
            })
            .await
            .unwrap();
        op.create_user(
            "agree.example",
            &NewUser {
                email: "ga@agree.example".into(),
                display_name: Some("Ga".into()),
                password: "a long password".into(),
                roles: vec![Role::Directory(DirectoryRole::GlobalAdmin)],
            },
        )
        .await
        .unwrap();
        let check = || async {
            let mut tx = accord.store().read().await.unwrap();
            require_current_agreement(tx.as_mut(), org.id).await
        };
        assert_eq!(check().await.unwrap_err().code(), "no_current_agreement");
        op.publish_agreement("Customer Agreement", "v1")
            .await
            .unwrap();
        op.publish_agreement("Customer Agreement", "v2")
            .await
            .unwrap();
        let e = check().await.unwrap_err();
        assert_eq!(
            e.rule(),
            Some(&DomainError::AgreementNotAccepted { version: 2 })
        );

        let p = accord
            .sign_in_with_password("ga@agree.example", "a long password", "test")
            .await
            .unwrap();
        let desk = accord.global_admin_desk(&p).unwrap();
        assert_eq!(
            desk.accept_current_agreement(false, "t")
                .await
                .unwrap_err()
                .code(),
            "agreement_acceptance_required"
        );
        let a = desk.accept_current_agreement(true, "t").await.unwrap();
        assert!(a.newly_accepted && a.version == 2);
        check().await.unwrap();
        let again = desk.accept_current_agreement(true, "t").await.unwrap();
        assert!(!again.newly_accepted && again.accepted_at == a.accepted_at);
        let history = accord.customer_desk(&p).agreement_history().await.unwrap();
        assert_eq!(history.len(), 1);
    }
}
