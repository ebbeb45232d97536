//! The directory role catalogue (SPEC §2, issue 9): what each directory role allows, as
//! capabilities. An operation on a customer's directory is written once against a
//! capability; a customer's own admin holds it through its roles, a partner's agent
//! through roles both granted to the partner and assigned to the agent. The catalogue is
//! documented in `docs/ROLES.md`; a test keeps the two in step.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::{DirectoryRole, DomainError};

crate::model::wire_enum!(
    /// One thing a directory role allows in its organisation.
    Capability, "capability" {
        UsersRead => "users_read", "Read users and their roles";
        UsersWrite => "users_write", "Create, update, disable and delete users";
        RolesAssign => "roles_assign", "Assign any directory role, Global admin included";
        PasswordsResetUsers => "passwords_reset_users", "Reset the passwords of users without admin roles";
        PasswordsResetAdmins => "passwords_reset_admins", "Reset the passwords of admins";
        LicensesRead => "licenses_read", "Read licences and who holds them";
        LicensesAssign => "licenses_assign", "Assign and remove licences";
        BillingRead => "billing_read", "Read subscriptions and billing";
        BillingManage => "billing_manage", "Buy, change and cancel subscriptions";
        SupportIncidents => "support_incidents", "Open and follow support incidents";
        PartnersManage => "partners_manage", "Accept partners, remove their roles, delete them";
        AuditRead => "audit_read", "Read the organisation's history and partner activity";
    }
);

impl DirectoryRole {
    /// What the role allows. `global_admin` allows everything; `user` nothing beyond
    /// one's own account.
    pub fn capabilities(self) -> &'static [Capability] {
        use Capability::*;
        match self {
            DirectoryRole::GlobalAdmin => Capability::ALL,
            DirectoryRole::UserAdmin => &[
                UsersRead,
                UsersWrite,
                PasswordsResetUsers,
                LicensesRead,
                LicensesAssign,
                SupportIncidents,
            ],
            DirectoryRole::HelpdeskAdmin => &[UsersRead, PasswordsResetUsers, SupportIncidents],
            DirectoryRole::LicenseAdmin => &[UsersRead, LicensesRead, LicensesAssign],
            DirectoryRole::BillingAdmin => {
                &[BillingRead, BillingManage, LicensesRead, SupportIncidents]
            }
            DirectoryRole::BillingReader => &[BillingRead, LicensesRead],
            DirectoryRole::GlobalReader => &[UsersRead, LicensesRead, BillingRead, AuditRead],
            DirectoryRole::User => &[],
        }
    }

    /// Whether the role is an admin role (a user holding one is an admin, whose password
    /// only `passwords_reset_admins` resets).
    pub fn is_admin(self) -> bool {
        self != DirectoryRole::User
    }
}

/// Whether any of `roles` allows `c`.
pub fn allows(roles: &[DirectoryRole], c: Capability) -> bool {
    roles.iter().any(|r| r.capabilities().contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn global_admin_allows_everything_and_user_nothing() {
        for &c in Capability::ALL {
            assert!(allows(&[DirectoryRole::GlobalAdmin], c), "{c}");
            assert!(!allows(&[DirectoryRole::User], c), "{c}");
        }
    }

    #[test]
    fn readers_never_write() {
        use Capability::*;
        for role in [DirectoryRole::GlobalReader, DirectoryRole::BillingReader] {
            for c in [
                UsersWrite,
                RolesAssign,
                PasswordsResetUsers,
                PasswordsResetAdmins,
                LicensesAssign,
                BillingManage,
                PartnersManage,
            ] {
                assert!(!allows(&[role], c), "{role} must not {c}");
            }
        }
        // Only Global admin resets admins' passwords, assigns roles and manages partners.
        for &role in DirectoryRole::ALL {
            if role != DirectoryRole::GlobalAdmin {
                for c in [PasswordsResetAdmins, RolesAssign, PartnersManage] {
                    assert!(!allows(&[role], c), "{role} must not {c}");
                }
            }
        }
    }

    /// docs/ROLES.md lists exactly the catalogue: one row per role naming its
    /// capabilities.
    #[test]
    fn the_documented_catalogue_is_the_code() {
        let doc = include_str!("../../../docs/ROLES.md");
        for &role in DirectoryRole::ALL {
            let row = doc
                .lines()
                .find(|l| l.starts_with(&format!("| `{}` |", role.as_str())))
                .unwrap_or_else(|| panic!("docs/ROLES.md has no row for {role}"));
            let documented: Vec<&str> = row
                .split('|')
                .nth(2)
                .unwrap_or_default()
                .split(',')
                .map(|c| c.trim().trim_matches('`'))
                .filter(|c| !c.is_empty() && *c != "—")
                .collect();
            let mut expected: Vec<&str> = role.capabilities().iter().map(|c| c.as_str()).collect();
            let mut got = documented.clone();
            expected.sort_unstable();
            got.sort_unstable();
            if role == DirectoryRole::GlobalAdmin {
                assert_eq!(got, ["all"], "{role}");
            } else {
                assert_eq!(got, expected, "{role}");
            }
        }
    }
}
