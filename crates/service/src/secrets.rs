//! Secrets: 256-bit tokens from the OS RNG, stored only as SHA-256; passwords with argon2id.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::rngs::OsRng;
use rand::RngCore;
use sha2::{Digest, Sha256};

use accord_domain::TenantId;

use crate::{Error, Result};

/// Password hashing is bounded to one job per core: a burst of sign-in attempts queues here
/// instead of taking every blocking thread and every core.
static HASHING: std::sync::LazyLock<tokio::sync::Semaphore> = std::sync::LazyLock::new(|| {
    tokio::sync::Semaphore::new(
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2),
    )
});

async fn hashing_permit() -> Result<tokio::sync::SemaphorePermit<'static>> {
    HASHING
        .acquire()
        .await
        .map_err(|e| Error::Internal(format!("password hashing is shut down: {e}")))
}

/// A fresh random token: 32 bytes from the OS, URL-safe base64 (43 characters).
pub fn new_token() -> String {
    let mut b = [0u8; 32];
    OsRng.fill_bytes(&mut b);
    URL_SAFE_NO_PAD.encode(b)
}

/// A token scoped to a tenant: `{tenant id as 32 hex digits}.{secret}`. The tenant part
/// routes the lookup to that tenant's rows (every key leads with `tenant_id`, so tables can
/// be distributed by tenant); the 256-bit secret is what makes it unguessable. Only the
/// SHA-256 of the whole token is stored.
pub fn new_scoped_token(tenant: TenantId) -> String {
    format!("{}.{}", tenant.0.simple(), new_token())
}

/// The tenant of a well-formed scoped token; `None` for anything else.
pub fn token_tenant(token: &str) -> Option<TenantId> {
    let (tenant, secret) = token.split_once('.')?;
    if tenant.len() != 32 || !plausible_token(secret) {
        return None;
    }
    uuid::Uuid::try_parse(tenant).ok().map(TenantId)
}

/// A temporary password an admin hands over once: 16 characters from an alphabet without
/// look-alikes (about 90 bits from the OS RNG), in groups of four for reading aloud.
pub fn temporary_password() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    let mut out = String::with_capacity(19);
    let mut i = 0;
    while i < 16 {
        let mut b = [0u8; 1];
        OsRng.fill_bytes(&mut b);
        // Rejection sampling keeps every character equally likely.
        let v = usize::from(b[0]);
        if v >= 256 - 256 % ALPHABET.len() {
            continue;
        }
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        out.push(char::from(ALPHABET[v % ALPHABET.len()]));
        i += 1;
    }
    out
}

/// Hex SHA-256 of a text.
pub(crate) fn sha256_hex(text: &str) -> String {
    let d = Sha256::digest(text.as_bytes());
    let mut s = String::with_capacity(64);
    for b in d {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// The form in which a token is stored and looked up.
pub fn hash_token(token: &str) -> String {
    sha256_hex(token)
}

/// Whether a presented string has the shape of one of our tokens (checked before any
/// lookup, so garbage never reaches the database).
pub fn plausible_token(token: &str) -> bool {
    (43..=64).contains(&token.len())
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

pub async fn hash_password(password: String) -> Result<String> {
    let _permit = hashing_permit().await?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| Error::Internal(format!("password hashing failed: {e}")))
    })
    .await
    .map_err(|e| Error::Internal(format!("password hashing task failed: {e}")))?
}

/// Verifies a password. With no stored hash it still does the work of one verification so
/// that unknown accounts and wrong passwords take the same time.
pub async fn verify_password(password: String, stored: Option<String>) -> Result<bool> {
    let _permit = hashing_permit().await?;
    tokio::task::spawn_blocking(move || {
        const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$MtPdj8ZAKgD7EgJvNAgGJ4EjO1mDNiCn4OSXHJmzgDM";
        let known = stored.is_some();
        let hash = stored.unwrap_or_else(|| DUMMY.to_string());
        let parsed = PasswordHash::new(&hash)
            .map_err(|e| Error::Internal(format!("stored password hash is invalid: {e}")))?;
        let ok = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok(known && ok)
    })
    .await
    .map_err(|e| Error::Internal(format!("password verification task failed: {e}")))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_hashed() {
        let a = new_token();
        let b = new_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert!(plausible_token(&a));
        assert!(!plausible_token("short"));
        assert!(!plausible_token(&format!("{}/", &a[..42])));
        assert_eq!(hash_token(&a).len(), 64);
        assert_ne!(hash_token(&a), a);
        assert_eq!(
            hash_token("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let t = TenantId::new();
        let scoped = new_scoped_token(t);
        assert_eq!(token_tenant(&scoped), Some(t));
        assert_eq!(scoped.len(), 32 + 1 + 43);
        let hyphenated = format!("{}.{a}", t.0);
        let short = format!("{}.short", t.0.simple());
        for bad in ["", ".", a.as_str(), hyphenated.as_str(), short.as_str()] {
            assert_eq!(token_tenant(bad), None, "{bad}");
        }
    }

    #[tokio::test]
    async fn passwords_verify_only_with_the_right_secret() -> Result<()> {
        let h = hash_password("correct horse battery".into()).await?;
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery".into(), Some(h.clone())).await?);
        assert!(!verify_password("wrong horse battery".into(), Some(h)).await?);
        assert!(!verify_password("anything at all".into(), None).await?);
        Ok(())
    }
}
