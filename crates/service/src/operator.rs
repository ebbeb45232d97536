//! The operator's tasks: tenants, users, access tokens, agreement versions and the region
//! table. They exist only on [`OperatorDesk`], which [`Accord::operator_desk`] hands to a
//! signed-in user with the operator role and [`Accord::local_operator`] to the command
//! line (local authority over the database, recorded in the audit trail as
//! `local_operator`).

use accord_domain::{
    check_password, normalise_domain, normalise_email, normalise_name, Cloud, CountryCode,
    DomainError, InvalidReason, PartnerType, Role, TenantId, UserId,
};
use accord_store::{
    constraint, AgreementRecord, ApiTokenRecord, StoreError, TenantRecord, UserRecord, WriteTx,
};
use chrono::{DateTime, Utc};

use crate::auth::{AccessToken, TOKEN_PREFIX};
use crate::authz::Organisation;
use crate::secrets::{hash_password, hash_token, new_scoped_token};
use crate::work::{Actor, Audit, Change, Work};
use crate::{Accord, Principal, Result};

/// The longest lifetime of a personal access token, in days (ten years).
pub const MAX_TOKEN_DAYS: u32 = 3650;

#[derive(Clone, Debug)]
pub struct NewTenant {
    pub name: String,
    pub domain: String,
    pub country: String,
    pub cloud: Cloud,
    pub is_partner: bool,
}

#[derive(Clone)]
pub struct NewUser {
    pub email: String,
    pub display_name: Option<String>,
    pub password: String,
    pub roles: Vec<Role>,
}

impl std::fmt::Debug for NewUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewUser")
            .field("email", &self.email)
            .field("password", &"***")
            .field("roles", &self.roles)
            .finish_non_exhaustive()
    }
}

/// A version of the customer agreement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Agreement {
    pub version: i64,
    pub title: String,
    pub body: String,
    pub published_at: DateTime<Utc>,
}

impl From<AgreementRecord> for Agreement {
    fn from(a: AgreementRecord) -> Self {
        Self {
            version: a.version,
            title: a.title,
            body: a.body,
            published_at: a.published_at,
        }
    }
}

pub(crate) fn validate_tenant(t: &NewTenant, now: DateTime<Utc>) -> Result<TenantRecord> {
    Ok(TenantRecord {
        id: TenantId::new(),
        name: normalise_name("organisation name", &t.name, 200)?,
        domain: normalise_domain(&t.domain)?,
        country: CountryCode::parse(&t.country)?,
        cloud: t.cloud,
        is_partner: t.is_partner,
        created_at: now,
    })
}

/// Maps the uniqueness rules a new tenant or user can break to the rule's error.
pub(crate) fn conflict_rule(e: StoreError, tenant: &TenantRecord, email: &str) -> crate::Error {
    match e.constraint() {
        Some(constraint::TENANT_DOMAIN) => DomainError::DomainTaken {
            domain: tenant.domain.clone(),
        }
        .into(),
        Some(constraint::USER_EMAIL) => DomainError::EmailTaken {
            email: email.to_string(),
        }
        .into(),
        _ => e.into(),
    }
}

pub(crate) async fn insert_tenant(tx: &mut dyn WriteTx, t: &TenantRecord) -> Result<()> {
    tx.insert_tenant(t)
        .await
        .map_err(|e| conflict_rule(e, t, ""))
}

/// Validates a new user for a tenant and hashes the password (outside any transaction:
/// hashing is slow on purpose).
pub(crate) async fn prepare_user(
    tenant: &TenantRecord,
    u: &NewUser,
    now: DateTime<Utc>,
) -> Result<UserRecord> {
    let email = normalise_email(&u.email)?;
    check_password(&u.password)?;
    if u.roles.is_empty() {
        return Err(DomainError::invalid("role", InvalidReason::UserWithoutRole).into());
    }
    for r in &u.roles {
        let ok = match r {
            Role::Directory(_) => true,
            Role::Partner(_) => tenant.is_partner,
            Role::Operator => !tenant.is_partner,
        };
        if !ok {
            return Err(DomainError::invalid(
                "role",
                InvalidReason::RoleNotForOrganisation {
                    role: r.to_string(),
                    organisation: tenant.name.clone(),
                },
            )
            .into());
        }
    }
    let display_name = match &u.display_name {
        Some(n) => normalise_name("name", n, 200)?,
        None => email.split('@').next().unwrap_or_default().to_string(),
    };
    Ok(UserRecord {
        tenant_id: tenant.id,
        id: UserId::new(),
        email,
        display_name,
        password_hash: hash_password(u.password.clone()).await?,
        roles: u.roles.clone(),
        disabled: false,
        password_temporary: false,
        created_at: now,
    })
}

pub(crate) async fn insert_user(
    tx: &mut dyn WriteTx,
    tenant: &TenantRecord,
    u: &UserRecord,
) -> Result<()> {
    tx.insert_user(u)
        .await
        .map_err(|e| conflict_rule(e, tenant, &u.email))
}

impl Accord {
    /// The operator desk, for a signed-in user holding the operator role.
    pub fn operator_desk(&self, p: &Principal) -> Result<OperatorDesk<'_>> {
        if p.has_role(Role::Operator) && !p.tenant.is_partner {
            Ok(OperatorDesk {
                accord: self,
                actor: Actor::of(p),
                name: p.display_name.clone(),
            })
        } else {
            Err(DomainError::OperatorRoleRequired.into())
        }
    }

    /// The operator desk of the command line, which has local authority over the
    /// database; its changes are recorded with the actor `local_operator`.
    pub fn local_operator(&self) -> OperatorDesk<'_> {
        OperatorDesk {
            accord: self,
            actor: Actor::LocalOperator,
            name: String::new(),
        }
    }

    /// The current customer agreement (public).
    pub async fn current_agreement(&self) -> Result<Option<Agreement>> {
        let mut tx = self.store().read().await?;
        Ok(tx.current_agreement().await?.map(Agreement::from))
    }

    /// Whether the database holds no tenant yet (used to seed the demo world once).
    pub async fn is_empty(&self) -> Result<bool> {
        let mut tx = self.store().read().await?;
        Ok(!tx.has_tenants().await?)
    }
}

/// What the operator may do.
pub struct OperatorDesk<'a> {
    pub(crate) accord: &'a Accord,
    actor: Actor,
    /// The operator's name, as comments sign it (empty for the command line).
    name: String,
}

impl OperatorDesk<'_> {
    /// How the operator signs a comment: its name, or "Operator" from the command line.
    pub(crate) fn author_name(&self) -> String {
        if self.name.is_empty() {
            "Operator".into()
        } else {
            self.name.clone()
        }
    }

    pub(crate) async fn work(&self) -> Result<Work> {
        let mut w = Work::begin(self.accord, self.actor.clone()).await?;
        w.operator_named(&self.name);
        Ok(w)
    }

    async fn user_by_email(&self, w: &mut Work, email: &str) -> Result<UserRecord> {
        let email = normalise_email(email)?;
        w.tx()
            .user_by_email(&email)
            .await?
            .ok_or_else(|| DomainError::NotFound { what: "user" }.into())
    }

    /// Creates a tenant.
    pub async fn create_tenant(&self, t: &NewTenant) -> Result<Organisation> {
        let mut w = self.work().await?;
        let rec = validate_tenant(t, w.now)?;
        insert_tenant(w.tx(), &rec).await?;
        w.audit(
            Audit::new("tenant.created", "tenant", rec.id).details(serde_json::json!({"name": rec.name, "domain": rec.domain, "cloud": rec.cloud, "country": rec.country})),
            &[rec.id],
        );
        w.commit().await?;
        Ok(Organisation::from(rec))
    }

    /// Creates a user in the tenant with the given domain; returns the user's id.
    pub async fn create_user(&self, tenant_domain: &str, u: &NewUser) -> Result<UserId> {
        let domain = normalise_domain(tenant_domain)?;
        let tenant = {
            let mut tx = self.accord.store().read().await?;
            tx.tenant_by_domain(&domain).await?
        }
        .ok_or(DomainError::NotFound {
            what: "organisation",
        })?;
        let rec = prepare_user(&tenant, u, self.accord.now()).await?;
        let mut w = self.work().await?;
        insert_user(w.tx(), &tenant, &rec).await?;
        w.audit(
            Audit::new("user.created", "user", rec.id).details(serde_json::json!({"email": rec.email, "roles": rec.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>()})),
            &[tenant.id],
        );
        w.commit().await?;
        Ok(rec.id)
    }

    /// Issues a personal access token for a user, valid for `days` (1 to 3650) or without
    /// end. The token is returned once; only its hash is stored.
    pub async fn create_api_token(
        &self,
        email: &str,
        name: &str,
        days: Option<u32>,
    ) -> Result<String> {
        if let Some(d) = days {
            if !(1..=MAX_TOKEN_DAYS).contains(&d) {
                return Err(DomainError::invalid(
                    "days",
                    InvalidReason::TokenDays {
                        max: MAX_TOKEN_DAYS,
                    },
                )
                .into());
            }
        }
        let name = normalise_name("token name", name, 100)?;
        let mut w = self.work().await?;
        let user = self.user_by_email(&mut w, email).await?;
        let token = format!("{TOKEN_PREFIX}{}", new_scoped_token(user.tenant_id));
        let rec = ApiTokenRecord {
            token_hash: hash_token(&token),
            tenant_id: user.tenant_id,
            id: uuid::Uuid::now_v7(),
            user_id: user.id,
            name,
            created_at: w.now,
            expires_at: days.map(|d| w.now + chrono::Duration::days(i64::from(d))),
        };
        w.tx().insert_api_token(&rec).await?;
        w.audit(
            Audit::new("api_token.created", "api_token", rec.id)
                .details(serde_json::json!({"user": user.email, "name": rec.name})),
            &[user.tenant_id],
        );
        w.commit().await?;
        Ok(token)
    }

    /// A user's personal access tokens (never the secrets themselves).
    pub async fn list_api_tokens(&self, email: &str) -> Result<Vec<AccessToken>> {
        let email = normalise_email(email)?;
        let mut tx = self.accord.store().read().await?;
        let user = tx
            .user_by_email(&email)
            .await?
            .ok_or(DomainError::NotFound { what: "user" })?;
        Ok(tx
            .list_api_tokens(user.tenant_id, user.id)
            .await?
            .into_iter()
            .map(AccessToken::from)
            .collect())
    }

    /// Revokes one of a user's tokens, or all of them; refused on the next request by
    /// every node (within the change feed's bound).
    pub async fn revoke_api_tokens(&self, email: &str, id: Option<uuid::Uuid>) -> Result<u64> {
        let mut w = self.work().await?;
        let user = self.user_by_email(&mut w, email).await?;
        let gone = w
            .tx()
            .delete_api_tokens(user.tenant_id, user.id, id)
            .await?;
        if id.is_some() && gone.is_empty() {
            return Err(DomainError::NotFound {
                what: "access token",
            }
            .into());
        }
        let n = gone.len() as u64;
        for t in gone {
            w.changed(Change::TokenRevoked {
                tenant: t.tenant_id,
                token_hash: t.token_hash,
            });
        }
        w.audit(
            Audit::new("api_token.revoked", "user", user.id)
                .details(serde_json::json!({"token_id": id, "count": n})),
            &[user.tenant_id],
        );
        w.commit().await?;
        Ok(n)
    }

    /// Disables or re-enables a user. Disabling also ends the user's sessions; tokens stop
    /// working while the user is disabled.
    pub async fn set_user_disabled(&self, email: &str, disabled: bool) -> Result<()> {
        let mut w = self.work().await?;
        let user = self.user_by_email(&mut w, email).await?;
        w.tx()
            .set_user_disabled(user.tenant_id, user.id, disabled)
            .await?;
        let ended = if disabled {
            w.tx().delete_user_sessions(user.tenant_id, user.id).await?
        } else {
            0
        };
        w.changed(Change::UserChanged {
            tenant: user.tenant_id,
            user: user.id,
        });
        w.audit(
            Audit::new(
                if disabled {
                    "user.disabled"
                } else {
                    "user.enabled"
                },
                "user",
                user.id,
            )
            .details(serde_json::json!({"email": user.email, "sessions_ended": ended})),
            &[user.tenant_id],
        );
        w.commit().await
    }

    /// Publishes a new version of the customer agreement; it becomes current at once.
    pub async fn publish_agreement(&self, title: &str, body: &str) -> Result<Agreement> {
        let title = normalise_name("title", title, 200)?;
        if body.trim().is_empty() {
            return Err(DomainError::invalid("body", InvalidReason::AgreementEmpty).into());
        }
        accord_domain::check_text("body", body, 200_000)?;
        let mut w = self.work().await?;
        let now = w.now;
        let a = w.tx().insert_agreement(&title, body, now).await?;
        w.operator_event(
            Audit::new("agreement.published", "agreement", a.version)
                .details(serde_json::json!({"version": a.version, "title": a.title})),
        );
        w.changed(Change::ReferenceChanged { what: "agreements" });
        w.commit().await?;
        Ok(Agreement::from(a))
    }

    /// Sets the region of a country in the operator's table.
    pub async fn set_region(&self, country: &str, region: &str) -> Result<()> {
        let country = CountryCode::parse(country)?;
        let region = region.trim();
        if region.is_empty()
            || region.len() > 64
            || !region
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Err(DomainError::invalid("region", InvalidReason::Region).into());
        }
        let mut w = self.work().await?;
        let before = w.tx().region_of(country.as_str()).await?;
        w.tx().set_region(country.as_str(), region).await?;
        w.operator_event(
            Audit::new("region.set", "country", country.as_str())
                .details(serde_json::json!({"region": region, "previous_region": before})),
        );
        w.changed(Change::ReferenceChanged { what: "regions" });
        w.commit().await
    }

    pub async fn regions(&self) -> Result<Vec<(String, String)>> {
        let mut tx = self.accord.store().read().await?;
        Ok(tx.list_regions().await?)
    }

    /// Sets which partner types a partner may offer in its requests (at least one).
    pub async fn set_offered_types(
        &self,
        partner_domain: &str,
        types: &[PartnerType],
    ) -> Result<Vec<PartnerType>> {
        let domain = normalise_domain(partner_domain)?;
        let mut types = types.to_vec();
        types.sort();
        types.dedup();
        if types.is_empty() {
            return Err(DomainError::invalid("types", InvalidReason::NoTypes).into());
        }
        let mut w = self.work().await?;
        let partner = w
            .tx()
            .tenant_by_domain(&domain)
            .await?
            .filter(|t| t.is_partner)
            .ok_or(DomainError::NotFound { what: "partner" })?;
        let before = w.tx().offered_types(partner.id).await?;
        w.tx().set_offered_types(partner.id, &types).await?;
        // The directory shows what a partner offers: re-read its profile.
        w.changed(crate::work::Change::ProfileChanged {
            partner: partner.id,
        });
        w.operator_event(
            Audit::new("partner.offered_types_set", "tenant", partner.id).details(
                serde_json::json!({"types": types, "previous": before, "partner": partner.name}),
            ),
        );
        w.commit().await?;
        Ok(types)
    }
}
