//! Authentication: passwords, portal sessions and personal access tokens. Sessions and
//! tokens are answered from the in-process [`CredentialCache`](crate::authz::cache) after
//! their first use; sign-out, revocation and disabling drop them from every node's cache
//! through the change feed.

use std::sync::Arc;

use accord_domain::{normalise_email, DomainError, TenantId, UserId};
use accord_store::{ApiTokenRecord, ReadTx, SessionRecord, TenantRecord, UserRecord};
use chrono::{DateTime, Duration, Utc};

use crate::authz::Organisation;
use crate::secrets::{hash_token, new_scoped_token, new_token, token_tenant, verify_password};
use crate::work::{Actor, Audit, Change, Work};
use crate::{Accord, Error, Principal, Result};

/// Personal access tokens start with this, so they are recognisable in a secret scanner.
pub const TOKEN_PREFIX: &str = "accord_pat_";

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

/// A personal access token as its owner sees it (never the secret).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessToken {
    pub id: uuid::Uuid,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
}

impl From<ApiTokenRecord> for AccessToken {
    fn from(t: ApiTokenRecord) -> Self {
        Self {
            id: t.id,
            name: t.name,
            created_at: t.created_at,
            expires_at: t.expires_at,
        }
    }
}

pub(crate) async fn principal_of(
    tx: &mut dyn ReadTx,
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
        tenant: Organisation::from(t),
        user_id: u.id,
        email: u.email,
        display_name: u.display_name,
        roles: u.roles,
    }
}

impl Accord {
    /// Checks an e-mail and password for a sign-in from `client` (the client's address):
    /// the principal, and whether the password is a temporary one. Unknown accounts,
    /// disabled accounts and wrong passwords all answer `invalid_credentials`, in the same
    /// time; too many failures answer `too_many_attempts` with the seconds to wait, before
    /// any hashing (see [`crate::throttle`]).
    pub async fn authenticate_password(
        &self,
        email: &str,
        password: &str,
        client: &str,
    ) -> Result<(Principal, bool)> {
        let account = normalise_email(email).ok();
        let throttle = &self.inner.sign_ins;
        let at = self.now();
        if let Err(retry_after_secs) = throttle.attempt(account.as_deref(), client, at) {
            return Err(DomainError::TooManyAttempts { retry_after_secs }.into());
        }
        let result = self.check_password(email, password).await;
        match (&result, &account) {
            (Ok(_), Some(account)) => throttle.succeeded(account, client, at),
            (Err(Error::Internal(_)), _) => throttle.inconclusive(account.as_deref(), client, at),
            _ => {}
        }
        result
    }

    /// Signs in with an e-mail and password. A password an admin set (a temporary one)
    /// answers `password_change_required` instead: the user must choose a new one with
    /// [`Accord::change_password`] before anything else.
    pub async fn sign_in_with_password(
        &self,
        email: &str,
        password: &str,
        client: &str,
    ) -> Result<Principal> {
        let (p, temporary) = self.authenticate_password(email, password, client).await?;
        if temporary {
            return Err(DomainError::PasswordChangeRequired.into());
        }
        Ok(p)
    }

    /// Replaces a user's password, proving the current one (throttled like a sign-in).
    /// Clears the temporary mark and ends the user's other sessions; answers the
    /// principal, to sign in with.
    pub async fn change_password(
        &self,
        email: &str,
        current: &str,
        new: &str,
        client: &str,
    ) -> Result<Principal> {
        let (p, _) = self.authenticate_password(email, current, client).await?;
        accord_domain::check_password(new).map_err(|e| match e {
            DomainError::InvalidInput { reason, .. } => {
                DomainError::invalid("new_password", reason)
            }
            other => other,
        })?;
        if new == current {
            return Err(DomainError::invalid(
                "new_password",
                accord_domain::InvalidReason::PasswordUnchanged,
            )
            .into());
        }
        let hash = crate::secrets::hash_password(new.to_string()).await?;
        let mut w = Work::begin(self, Actor::of(&p)).await?;
        let now = w.now;
        if !w
            .tx()
            .set_password(p.tenant.id, p.user_id, &hash, false, now)
            .await?
        {
            return Err(DomainError::InvalidCredentials.into());
        }
        w.tx().delete_user_sessions(p.tenant.id, p.user_id).await?;
        w.changed(Change::UserChanged {
            tenant: p.tenant.id,
            user: p.user_id,
        });
        w.audit(
            Audit::new("user.password_changed", "user", p.user_id),
            &[p.tenant.id],
        );
        w.commit().await?;
        Ok(p)
    }

    /// The principal behind a correct password, and whether that password is temporary.
    async fn check_password(&self, email: &str, password: &str) -> Result<(Principal, bool)> {
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
            Some((u, t)) if ok && !u.disabled => {
                let temporary = u.password_temporary;
                Ok((principal_from(u, t), temporary))
            }
            _ => Err(DomainError::InvalidCredentials.into()),
        }
    }

    /// Starts a portal session for an authenticated principal.
    pub async fn create_session(&self, p: &Principal) -> Result<SessionInfo> {
        let token = new_scoped_token(p.tenant.id);
        let csrf_token = new_token();
        let mut w = Work::begin(self, Actor::of(p)).await?;
        let rec = SessionRecord {
            token_hash: hash_token(&token),
            tenant_id: p.tenant.id,
            user_id: p.user_id,
            csrf_token: csrf_token.clone(),
            created_at: w.now,
            expires_at: w.now + Duration::hours(i64::from(self.config().session_ttl_hours)),
        };
        w.tx().insert_session(&rec).await?;
        w.audit(
            Audit::new("session.created", "user", p.user_id),
            &[p.tenant.id],
        );
        w.commit().await?;
        Ok(SessionInfo { token, csrf_token })
    }

    /// The principal and CSRF token behind a session cookie, if the session is valid now.
    /// Answered from memory after the first request; a sign-out on any node reaches this
    /// node through the change feed.
    pub async fn session(&self, token: &str) -> Result<Option<(Arc<Principal>, String)>> {
        let Some(tenant) = token_tenant(token) else {
            return Ok(None);
        };
        let hash = hash_token(token);
        let cache = self.credentials();
        if let Some(c) = self.feed_is_current().then(|| cache.get(&hash)).flatten() {
            if c.expires_at.is_some_and(|e| self.now() >= e) {
                return Ok(None);
            }
            return Ok(c.csrf.map(|csrf| (c.principal, csrf)));
        }
        let version = cache.version();
        let mut tx = self.store().read().await?;
        let Some(s) = tx.session(tenant, &hash).await? else {
            return Ok(None);
        };
        if self.now() >= s.expires_at {
            return Ok(None);
        }
        let Some(p) = principal_of(tx.as_mut(), s.tenant_id, s.user_id).await? else {
            return Ok(None);
        };
        let p = Arc::new(p);
        cache.fill(
            version,
            &hash,
            p.clone(),
            Some(s.csrf_token.clone()),
            Some(s.expires_at),
        );
        Ok(Some((p, s.csrf_token)))
    }

    /// Ends a session (sign-out). Unknown sessions are ignored.
    pub async fn end_session(&self, token: &str) -> Result<()> {
        let Some(tenant) = token_tenant(token) else {
            return Ok(());
        };
        let hash = hash_token(token);
        let mut w = Work::begin(self, Actor::System).await?;
        if let Some(s) = w.tx().session(tenant, &hash).await? {
            w.set_actor(Actor::User {
                tenant: s.tenant_id,
                user: s.user_id,
            });
            w.tx().delete_session(tenant, &hash).await?;
            w.audit(
                Audit::new("session.ended", "user", s.user_id),
                &[s.tenant_id],
            );
        }
        // Announced even if the row was already gone, so no node keeps it.
        w.changed(Change::SessionEnded {
            tenant,
            token_hash: hash,
        });
        w.commit().await
    }

    /// The caller's own personal access tokens (never the secrets).
    pub async fn own_api_tokens(&self, p: &Principal) -> Result<Vec<AccessToken>> {
        let mut tx = self.store().read().await?;
        Ok(tx
            .list_api_tokens(p.tenant.id, p.user_id)
            .await?
            .into_iter()
            .map(AccessToken::from)
            .collect())
    }

    /// Deletes one of the caller's own tokens; it stops working on this node at once and
    /// on every other node within the change feed's bound.
    pub async fn revoke_own_api_token(&self, p: &Principal, id: uuid::Uuid) -> Result<()> {
        let mut w = Work::begin(self, Actor::of(p)).await?;
        let gone = w
            .tx()
            .delete_api_tokens(p.tenant.id, p.user_id, Some(id))
            .await?;
        if gone.is_empty() {
            return Err(DomainError::NotFound {
                what: "access token",
            }
            .into());
        }
        for t in gone {
            w.changed(Change::TokenRevoked {
                tenant: t.tenant_id,
                token_hash: t.token_hash,
            });
        }
        w.audit(
            Audit::new("api_token.revoked", "api_token", id),
            &[p.tenant.id],
        );
        w.commit().await
    }

    /// The principal behind a personal access token (`Authorization: Bearer …`), from
    /// memory after the token's first use.
    pub async fn authenticate_token(&self, token: &str) -> Result<Arc<Principal>> {
        let raw = token.strip_prefix(TOKEN_PREFIX).unwrap_or("");
        let Some(tenant) = token_tenant(raw) else {
            return Err(DomainError::InvalidToken.into());
        };
        let hash = hash_token(token);
        let cache = self.credentials();
        if let Some(c) = self.feed_is_current().then(|| cache.get(&hash)).flatten() {
            if c.expires_at.is_some_and(|e| self.now() >= e) {
                return Err(DomainError::InvalidToken.into());
            }
            return Ok(c.principal);
        }
        let version = cache.version();
        let mut tx = self.store().read().await?;
        let Some(t) = tx.api_token(tenant, &hash).await? else {
            return Err(DomainError::InvalidToken.into());
        };
        if t.expires_at.is_some_and(|e| self.now() >= e) {
            return Err(DomainError::InvalidToken.into());
        }
        let p = principal_of(tx.as_mut(), t.tenant_id, t.user_id)
            .await?
            .ok_or(DomainError::InvalidToken)?;
        let p = Arc::new(p);
        cache.fill(version, &hash, p.clone(), None, t.expires_at);
        Ok(p)
    }
}
