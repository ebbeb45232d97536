//! Sign-ups from invitation links waiting for the new admin to confirm their e-mail
//! address, keyed by the partner whose link was used.

use accord_domain::{RequestId, TenantId};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::StoreResult;

#[derive(Clone, PartialEq, Eq)]
pub struct PendingSignupRecord {
    /// The partner whose invitation link was used.
    pub tenant_id: TenantId,
    /// The hash of the code in the e-mailed confirmation link.
    pub code_hash: String,
    pub request_id: RequestId,
    pub org_name: String,
    pub domain: String,
    pub country: String,
    pub admin_name: String,
    pub admin_email: String,
    /// The Argon2 hash of the password chosen at sign-up.
    pub password_hash: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for PendingSignupRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PendingSignupRecord")
            .field("tenant_id", &self.tenant_id)
            .field("request_id", &self.request_id)
            .field("domain", &self.domain)
            .field("admin_email", &self.admin_email)
            .field("password_hash", &"***")
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

#[async_trait]
pub trait SignupReads: Send {
    /// The pending sign-up whose confirmation code hashes to `code_hash`, among those
    /// made with `partner`'s links (expired ones included: the caller decides).
    async fn pending_signup(
        &mut self,
        partner: TenantId,
        code_hash: &str,
    ) -> StoreResult<Option<PendingSignupRecord>>;
}

#[async_trait]
pub trait SignupWrites: SignupReads {
    async fn insert_pending_signup(&mut self, s: &PendingSignupRecord) -> StoreResult<()>;
    /// Removes a pending sign-up; returns whether this call removed it (the single-use
    /// guarantee of the confirmation link).
    async fn delete_pending_signup(
        &mut self,
        partner: TenantId,
        code_hash: &str,
    ) -> StoreResult<bool>;
    /// Removes pending sign-ups that expired before `before`; returns how many.
    async fn prune_pending_signups(&mut self, before: DateTime<Utc>) -> StoreResult<u64>;
}
