//! Line-of-business apps (SPEC F10): a partner of the `lob` type keeps app entries for a
//! customer — name, description, and versions each with a package URL — submits a
//! version for the customer's approval, and retires the app; the customer's Global admin
//! approves or rejects the version submitted. An app has at most one version in the works
//! (draft or pending approval) at a time; the latest approved version is the one in use.

use crate::{AppVersionStatus, DomainError, InvalidReason};

/// The longest app name, description, version label, package URL and rejection reason.
pub const MAX_APP_NAME: usize = 100;
pub const MAX_APP_DESCRIPTION: usize = 2_000;
pub const MAX_APP_VERSION: usize = 50;
pub const MAX_PACKAGE_URL: usize = 2_000;
pub const MAX_DECISION_NOTE: usize = 500;

impl AppVersionStatus {
    /// A version still in the works: the app takes no new version until it is decided.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Draft | Self::PendingApproval)
    }

    /// The moves of a version: submitted from draft, decided while pending, withdrawn
    /// while open (when its app is retired).
    pub fn may_become(self, to: AppVersionStatus) -> bool {
        use AppVersionStatus::*;
        matches!(
            (self, to),
            (Draft, PendingApproval)
                | (PendingApproval, Approved)
                | (PendingApproval, Rejected)
                | (Draft | PendingApproval, Withdrawn)
        )
    }
}

/// The refusal of a move the version's status does not allow.
pub fn app_status_change(from: &str, to: &str) -> DomainError {
    DomainError::AppStatusChange {
        from: from.to_string(),
        to: to.to_string(),
    }
}

/// A version label: 1–50 of `A–Z a–z 0–9 . - + _` ("1.4.2", "2025.11-beta").
pub fn check_app_version(s: &str) -> Result<String, DomainError> {
    let t = s.trim();
    let ok = !t.is_empty()
        && t.chars().count() <= MAX_APP_VERSION
        && t.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+' | '_'));
    if ok {
        Ok(t.to_string())
    } else {
        Err(DomainError::invalid(
            "version",
            InvalidReason::AppVersion {
                max: MAX_APP_VERSION,
            },
        ))
    }
}

/// A package URL: absolute `https`, without user name or password, at most 2,000
/// characters; returned as parsed.
pub fn check_package_url(s: &str) -> Result<String, DomainError> {
    let t = s.trim();
    let bad = || {
        DomainError::invalid(
            "package_url",
            InvalidReason::PackageUrl {
                max: MAX_PACKAGE_URL,
            },
        )
    };
    if t.is_empty() || t.chars().count() > MAX_PACKAGE_URL {
        return Err(bad());
    }
    let u = url::Url::parse(t).map_err(|_| bad())?;
    if u.scheme() != "https"
        || u.host_str().is_none_or(str::is_empty)
        || !u.username().is_empty()
        || u.password().is_some()
    {
        return Err(bad());
    }
    let out = u.to_string();
    if out.chars().count() > MAX_PACKAGE_URL {
        return Err(bad());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_moves() {
        use AppVersionStatus::*;
        assert!(Draft.may_become(PendingApproval));
        assert!(PendingApproval.may_become(Approved));
        assert!(PendingApproval.may_become(Rejected));
        assert!(Draft.may_become(Withdrawn));
        assert!(!Draft.may_become(Approved));
        assert!(!Approved.may_become(Withdrawn));
        assert!(!Rejected.may_become(PendingApproval));
        assert!(Draft.is_open() && PendingApproval.is_open() && !Approved.is_open());
    }

    #[test]
    fn labels_and_urls() {
        assert_eq!(check_app_version(" 1.4.2-beta+7 ").unwrap(), "1.4.2-beta+7");
        assert!(check_app_version("1 2").is_err());
        assert!(check_app_version("").is_err());
        assert_eq!(
            check_package_url("https://apps.example.com/a.msix").unwrap(),
            "https://apps.example.com/a.msix"
        );
        for bad in [
            "http://apps.example.com/a.msix",
            "https://user:pw@apps.example.com/a",
            "file:///etc/passwd",
            "not a url",
            "",
        ] {
            assert!(check_package_url(bad).is_err(), "{bad}");
        }
    }
}
