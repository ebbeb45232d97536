//! Operator tasks: create tenants and users, issue access tokens, publish agreements, edit
//! the region table. Called by the CLI, which runs with the operator's local authority.

use accord_domain::{
    check_password, normalise_domain, normalise_email, normalise_name, Cloud, CountryCode,
    DomainError, Role, TenantId, UserId,
};
use accord_store::{AgreementRecord, ApiTokenRecord, StoreError, TenantRecord, Tx, UserRecord};

use crate::audit::Audit;
use crate::secrets::{hash_password, hash_token, new_scoped_token};
use crate::{Accord, Result};

/// Personal access tokens start with this, so they are recognisable in a secret scanner.
pub const TOKEN_PREFIX: &str = "accord_pat_";

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

pub(crate) fn validate_tenant(
    t: &NewTenant,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<TenantRecord> {
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

pub(crate) async fn insert_tenant(tx: &mut dyn Tx, t: &TenantRecord) -> Result<()> {
    match tx.insert_tenant(t).await {
        Err(StoreError::Conflict(_)) => Err(DomainError::DomainTaken {
            domain: t.domain.clone(),
        }
        .into()),
        other => Ok(other?),
    }
}

/// Validates a new user for a tenant and hashes the password (outside any transaction:
/// hashing is slow on purpose).
pub(crate) async fn prepare_user(
    tenant: &TenantRecord,
    u: &NewUser,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<UserRecord> {
    let email = normalise_email(&u.email)?;
    check_password(&u.password)?;
    if u.roles.is_empty() {
        return Err(DomainError::invalid("role", "Give the user at least one role.").into());
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
                format!(
                    "The role {r} cannot be given in {}: partner roles are for partner organisations, the operator role for the provider's own.",
                    tenant.name
                ),
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
        created_at: now,
    })
}

pub(crate) async fn insert_user(tx: &mut dyn Tx, u: &UserRecord) -> Result<()> {
    match tx.insert_user(u).await {
        Err(StoreError::Conflict(_)) => Err(DomainError::EmailTaken {
            email: u.email.clone(),
        }
        .into()),
        other => Ok(other?),
    }
}

impl Accord {
    /// Creates a tenant (operator task).
    pub async fn create_tenant(&self, t: &NewTenant) -> Result<TenantRecord> {
        let now = self.now();
        let rec = validate_tenant(t, now)?;
        let mut tx = self.store().write().await?;
        insert_tenant(tx.as_mut(), &rec).await?;
        Audit::system()
            .action("tenant.created", "tenant", rec.id)
            .details(serde_json::json!({"name": rec.name, "domain": rec.domain, "cloud": rec.cloud, "country": rec.country}))
            .write(tx.as_mut(), now, &[rec.id])
            .await?;
        tx.commit().await?;
        Ok(rec)
    }

    /// Creates a user in the tenant with the given domain (operator task).
    pub async fn create_user(&self, tenant_domain: &str, u: &NewUser) -> Result<UserRecord> {
        let now = self.now();
        let domain = normalise_domain(tenant_domain)?;
        let tenant = {
            let mut tx = self.store().read().await?;
            tx.tenant_by_domain(&domain).await?
        }
        .ok_or(DomainError::NotFound {
            what: "organisation",
        })?;
        let rec = prepare_user(&tenant, u, now).await?;
        let mut tx = self.store().write().await?;
        insert_user(tx.as_mut(), &rec).await?;
        Audit::system()
            .action("user.created", "user", rec.id)
            .details(serde_json::json!({"email": rec.email, "roles": rec.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>()}))
            .write(tx.as_mut(), now, &[tenant.id])
            .await?;
        tx.commit().await?;
        Ok(rec)
    }

    /// Issues a personal access token for a user. The token is returned once; only its hash
    /// is stored.
    pub async fn create_api_token(
        &self,
        email: &str,
        name: &str,
        days: Option<u32>,
    ) -> Result<String> {
        let now = self.now();
        let email = normalise_email(email)?;
        let name = normalise_name("token name", name, 100)?;
        let mut tx = self.store().write().await?;
        let user = tx
            .user_by_email(&email)
            .await?
            .ok_or(DomainError::NotFound { what: "user" })?;
        let token = format!("{TOKEN_PREFIX}{}", new_scoped_token(user.tenant_id));
        let rec = ApiTokenRecord {
            token_hash: hash_token(&token),
            tenant_id: user.tenant_id,
            id: uuid::Uuid::now_v7(),
            user_id: user.id,
            name,
            created_at: now,
            expires_at: days.map(|d| now + chrono::Duration::days(i64::from(d))),
        };
        tx.insert_api_token(&rec).await?;
        Audit::system()
            .action("api_token.created", "api_token", rec.id)
            .details(serde_json::json!({"user": user.email, "name": rec.name}))
            .write(tx.as_mut(), now, &[user.tenant_id])
            .await?;
        tx.commit().await?;
        Ok(token)
    }

    /// A user's personal access tokens (never the secrets themselves).
    pub async fn list_api_tokens(&self, email: &str) -> Result<Vec<ApiTokenRecord>> {
        let email = normalise_email(email)?;
        let mut tx = self.store().read().await?;
        let user = tx
            .user_by_email(&email)
            .await?
            .ok_or(DomainError::NotFound { what: "user" })?;
        Ok(tx.list_api_tokens(user.tenant_id, user.id).await?)
    }

    /// Revokes one of a user's tokens, or all of them; effective on the next request on
    /// every node, since tokens are checked against the database each time.
    pub async fn revoke_api_tokens(&self, email: &str, id: Option<uuid::Uuid>) -> Result<u64> {
        let email = normalise_email(email)?;
        let mut tx = self.store().write().await?;
        let user = tx
            .user_by_email(&email)
            .await?
            .ok_or(DomainError::NotFound { what: "user" })?;
        let n = tx.delete_api_tokens(user.tenant_id, user.id, id).await?;
        if id.is_some() && n == 0 {
            return Err(DomainError::NotFound {
                what: "access token",
            }
            .into());
        }
        Audit::system()
            .action("api_token.revoked", "user", user.id)
            .details(serde_json::json!({"token_id": id, "count": n}))
            .write(tx.as_mut(), self.now(), &[user.tenant_id])
            .await?;
        tx.commit().await?;
        Ok(n)
    }

    /// Disables or re-enables a user. Disabling also ends the user's sessions; tokens stop
    /// working while the user is disabled.
    pub async fn set_user_disabled(&self, email: &str, disabled: bool) -> Result<()> {
        let email = normalise_email(email)?;
        let mut tx = self.store().write().await?;
        let user = tx
            .user_by_email(&email)
            .await?
            .ok_or(DomainError::NotFound { what: "user" })?;
        tx.set_user_disabled(user.tenant_id, user.id, disabled)
            .await?;
        let ended = if disabled {
            tx.delete_user_sessions(user.tenant_id, user.id).await?
        } else {
            0
        };
        Audit::system()
            .action(
                if disabled {
                    "user.disabled"
                } else {
                    "user.enabled"
                },
                "user",
                user.id,
            )
            .details(serde_json::json!({"email": user.email, "sessions_ended": ended}))
            .write(tx.as_mut(), self.now(), &[user.tenant_id])
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Publishes a new version of the customer agreement; it becomes current at once.
    pub async fn publish_agreement(&self, title: &str, body: &str) -> Result<AgreementRecord> {
        let now = self.now();
        let title = normalise_name("title", title, 200)?;
        if body.trim().is_empty() {
            return Err(DomainError::invalid("body", "The agreement text is empty.").into());
        }
        let mut tx = self.store().write().await?;
        let a = tx.insert_agreement(&title, body, now).await?;
        Audit::system()
            .action("agreement.published", "agreement", a.version)
            .details(serde_json::json!({"version": a.version, "title": a.title}))
            .write_operator(tx.as_mut(), now)
            .await?;
        tx.commit().await?;
        Ok(a)
    }

    pub async fn current_agreement(&self) -> Result<Option<AgreementRecord>> {
        let mut tx = self.store().read().await?;
        Ok(tx.current_agreement().await?)
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
            return Err(DomainError::invalid(
                "region",
                "A region is a short name in lower case, digits and underscores, such as asia_pacific.",
            )
            .into());
        }
        let mut tx = self.store().write().await?;
        let before = tx.region_of(country.as_str()).await?;
        tx.set_region(country.as_str(), region).await?;
        Audit::system()
            .action("region.set", "country", country.as_str())
            .details(serde_json::json!({"region": region, "previous_region": before}))
            .write_operator(tx.as_mut(), self.now())
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn regions(&self) -> Result<Vec<(String, String)>> {
        let mut tx = self.store().read().await?;
        Ok(tx.list_regions().await?)
    }

    /// Whether the database holds no tenant yet (used to seed the demo world once).
    pub async fn is_empty(&self) -> Result<bool> {
        let mut tx = self.store().read().await?;
        Ok(!tx.has_tenants().await?)
    }
}
