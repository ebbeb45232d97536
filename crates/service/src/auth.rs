use accord_domain::{normalise_email, DomainError, PartnerRole, Role, TenantId, UserId};
use accord_store::{SessionRecord, TenantRecord, Tx, UserRecord};
use chrono::Duration;

use crate::audit::Audit;
use crate::secrets::{hash_token, new_scoped_token, new_token, token_tenant, verify_password};
use crate::{Accord, Error, Result};

/// A signed-in user: who they are, their organisation and their roles. Obtained only by
/// authenticating (password, session or access token).
#[derive(Clone, Debug)]
pub struct Principal {
    pub tenant: TenantRecord,
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

/// A portal session: the cookie value (shown once, stored hashed) and its CSRF token.
#[derive(Clone)]
pub struct SessionInfo {
    pub token: String,
    pub csrf_token: String,
}

impl std::fmt::Debug for SessionInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionInfo(***)")
    }
}

pub(crate) async fn principal_of(
    tx: &mut dyn Tx,
    tenant: TenantId,
    user: UserId,
) -> Result<Option<Principal>> {
    let Some(u) = tx.user(tenant, user).await? else {
        return Ok(None);
    };
    if u.disabled {
        return Ok(None);
    }
    let Some(t) = tx.tenant(tenant).await? else {
        return Err(Error::Internal(format!(
            "user {user} has no tenant {tenant}"
        )));
    };
    Ok(Some(principal_from(u, t)))
}

pub(crate) fn principal_from(u: UserRecord, t: TenantRecord) -> Principal {
    Principal {
        tenant: t,
        user_id: u.id,
        email: u.email,
        display_name: u.display_name,
        roles: u.roles,
    }
}

impl Accord {
    /// Checks an e-mail and password. Unknown accounts, disabled accounts and wrong
    /// passwords all answer `invalid_credentials`, in the same time.
    pub async fn authenticate_password(&self, email: &str, password: &str) -> Result<Principal> {
        let email = normalise_email(email).map_err(|_| DomainError::InvalidCredentials)?;
        if password.is_empty() || password.len() > 1024 {
            return Err(DomainError::InvalidCredentials.into());
        }
        // Look the account up, then give the connection back before the (deliberately
        // slow) password check, so that sign-in attempts cannot starve the pool.
        let found = {
            let mut tx = self.store().read().await?;
            match tx.user_by_email(&email).await? {
                Some(u) => {
                    let t = tx
                        .tenant(u.tenant_id)
                        .await?
                        .ok_or_else(|| Error::Internal("user without tenant".into()))?;
                    Some((u, t))
                }
                None => None,
            }
        };
        let stored = found.as_ref().map(|(u, _)| u.password_hash.clone());
        let ok = verify_password(password.to_string(), stored).await?;
        match found {
            Some((u, t)) if ok && !u.disabled => Ok(principal_from(u, t)),
            _ => Err(DomainError::InvalidCredentials.into()),
        }
    }

    /// Starts a portal session for an authenticated principal.
    pub async fn create_session(&self, p: &Principal) -> Result<SessionInfo> {
        let now = self.now();
        let token = new_scoped_token(p.tenant.id);
        let csrf_token = new_token();
        let rec = SessionRecord {
            token_hash: hash_token(&token),
            tenant_id: p.tenant.id,
            user_id: p.user_id,
            csrf_token: csrf_token.clone(),
            created_at: now,
            expires_at: now + Duration::hours(i64::from(self.config().session_ttl_hours)),
        };
        let mut tx = self.store().write().await?;
        tx.insert_session(&rec).await?;
        Audit::by(p)
            .action("session.created", "user", p.user_id)
            .write(tx.as_mut(), now, &[p.tenant.id])
            .await?;
        tx.commit().await?;
        Ok(SessionInfo { token, csrf_token })
    }

    /// The principal and CSRF token behind a session cookie, if the session is valid now.
    /// Reads the database every time, so a sign-out on any node takes effect at once.
    pub async fn session(&self, token: &str) -> Result<Option<(Principal, String)>> {
        let Some(tenant) = token_tenant(token) else {
            return Ok(None);
        };
        let mut tx = self.store().read().await?;
        let Some(s) = tx.session(tenant, &hash_token(token)).await? else {
            return Ok(None);
        };
        if self.now() >= s.expires_at {
            return Ok(None);
        }
        Ok(principal_of(tx.as_mut(), s.tenant_id, s.user_id)
            .await?
            .map(|p| (p, s.csrf_token)))
    }

    /// Ends a session (sign-out). Unknown sessions are ignored.
    pub async fn end_session(&self, token: &str) -> Result<()> {
        let Some(tenant) = token_tenant(token) else {
            return Ok(());
        };
        let hash = hash_token(token);
        let mut tx = self.store().write().await?;
        if let Some(s) = tx.session(tenant, &hash).await? {
            tx.delete_session(tenant, &hash).await?;
            Audit::system()
                .action("session.ended", "user", s.user_id)
                .write(tx.as_mut(), self.now(), &[s.tenant_id])
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The caller's own personal access tokens (never the secrets).
    pub async fn own_api_tokens(&self, p: &Principal) -> Result<Vec<accord_store::ApiTokenRecord>> {
        let mut tx = self.store().read().await?;
        Ok(tx.list_api_tokens(p.tenant.id, p.user_id).await?)
    }

    /// Deletes one of the caller's own tokens; it stops working on every node at once.
    pub async fn revoke_own_api_token(&self, p: &Principal, id: uuid::Uuid) -> Result<()> {
        let mut tx = self.store().write().await?;
        if tx
            .delete_api_tokens(p.tenant.id, p.user_id, Some(id))
            .await?
            == 0
        {
            return Err(DomainError::NotFound {
                what: "access token",
            }
            .into());
        }
        Audit::by(p)
            .action("api_token.revoked", "api_token", id)
            .write(tx.as_mut(), self.now(), &[p.tenant.id])
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The principal behind a personal access token (`Authorization: Bearer …`).
    pub async fn authenticate_token(&self, token: &str) -> Result<Principal> {
        let raw = token.strip_prefix(crate::admin::TOKEN_PREFIX).unwrap_or("");
        let Some(tenant) = token_tenant(raw) else {
            return Err(DomainError::InvalidToken.into());
        };
        let mut tx = self.store().read().await?;
        let Some(t) = tx.api_token(tenant, &hash_token(token)).await? else {
            return Err(DomainError::InvalidToken.into());
        };
        if t.expires_at.is_some_and(|e| self.now() >= e) {
            return Err(DomainError::InvalidToken.into());
        }
        principal_of(tx.as_mut(), t.tenant_id, t.user_id)
            .await?
            .ok_or_else(|| DomainError::InvalidToken.into())
    }
}
