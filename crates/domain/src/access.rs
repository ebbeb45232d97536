//! The delegated-access check as a pure function (issue 9, SPEC §2): an agent of a partner
//! may use a capability in a customer's directory when the partner's grant is in force and
//! some role both granted and assigned to the agent allows it. The service keeps these
//! facts in memory (its grant index) and asks [`check`]; tests compare it with a naive
//! model.

use chrono::{DateTime, Duration, Utc};

use crate::{AdminGrant, Capability, DirectoryRole, AUTO_EXTEND_DAYS};

/// A set of directory roles, one bit each.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct RoleSet(u16);

impl RoleSet {
    pub const EMPTY: RoleSet = RoleSet(0);

    fn bit(r: DirectoryRole) -> u16 {
        1 << (r as u16)
    }

    pub fn of(roles: &[DirectoryRole]) -> Self {
        RoleSet(roles.iter().fold(0, |acc, r| acc | Self::bit(*r)))
    }

    pub fn contains(self, r: DirectoryRole) -> bool {
        self.0 & Self::bit(r) != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn and(self, other: RoleSet) -> RoleSet {
        RoleSet(self.0 & other.0)
    }

    pub fn or(self, other: RoleSet) -> RoleSet {
        RoleSet(self.0 | other.0)
    }

    /// The roles of `self` that `other` lacks.
    pub fn minus(self, other: RoleSet) -> RoleSet {
        RoleSet(self.0 & !other.0)
    }

    /// The roles, in catalogue order.
    pub fn roles(self) -> Vec<DirectoryRole> {
        DirectoryRole::ALL
            .iter()
            .copied()
            .filter(|r| self.contains(*r))
            .collect()
    }

    /// The roles of this set that allow `c`.
    pub fn allowing(self, c: Capability) -> RoleSet {
        self.and(roles_allowing(c))
    }
}

/// Every role that allows `c`.
pub fn roles_allowing(c: Capability) -> RoleSet {
    static TABLE: std::sync::OnceLock<Vec<RoleSet>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        Capability::ALL
            .iter()
            .map(|c| {
                RoleSet::of(
                    &DirectoryRole::ALL
                        .iter()
                        .copied()
                        .filter(|r| r.capabilities().contains(c))
                        .collect::<Vec<_>>(),
                )
            })
            .collect()
    });
    table.get(c as usize).copied().unwrap_or_default()
}

/// A grant reduced to what a check reads: its approved roles and when it is in force,
/// in milliseconds since the epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GrantFacts {
    pub roles: RoleSet,
    pub starts_ms: i64,
    /// `i64::MAX` for a grant without an end (the legacy grant, or one renewed forever by
    /// auto-extend) or once terminated, `i64::MIN`.
    pub ends_ms: i64,
}

impl GrantFacts {
    /// The facts of a stored grant: a terminated grant is never in force; an
    /// auto-extending one is renewed whenever it would end, so it has no end.
    pub fn of(g: &AdminGrant) -> Self {
        let ends_ms = if g.terminated_at.is_some() {
            i64::MIN
        } else if g.auto_extend {
            i64::MAX
        } else {
            g.ends_at.map_or(i64::MAX, |e| e.timestamp_millis())
        };
        GrantFacts {
            roles: RoleSet::of(&g.roles),
            starts_ms: g.starts_at.timestamp_millis(),
            ends_ms,
        }
    }

    pub fn in_force(&self, now_ms: i64) -> bool {
        self.starts_ms <= now_ms && now_ms < self.ends_ms
    }
}

/// The roles an agent uses for `c`: those granted (while the grant is in force), assigned
/// to the agent, and allowing `c`. Empty means no.
pub fn check(grant: Option<&GrantFacts>, assigned: RoleSet, c: Capability, now_ms: i64) -> RoleSet {
    match grant {
        Some(g) if g.in_force(now_ms) => g.roles.and(assigned).allowing(c),
        _ => RoleSet::EMPTY,
    }
}

impl AdminGrant {
    /// The grant's end as it stands at `now`: an auto-extending grant that reached its
    /// end is renewed by [`AUTO_EXTEND_DAYS`] as many times as it takes.
    pub fn effective_end(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let end = self.ends_at?;
        if !self.auto_extend || now < end {
            return Some(end);
        }
        let step = Duration::days(i64::from(AUTO_EXTEND_DAYS));
        let periods = (now - end).num_milliseconds() / step.num_milliseconds() + 1;
        Some(end + step * periods as i32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DirectoryRole::*;

    #[test]
    fn role_sets() {
        let s = RoleSet::of(&[UserAdmin, HelpdeskAdmin]);
        assert!(s.contains(UserAdmin) && !s.contains(GlobalAdmin));
        assert_eq!(s.roles(), vec![UserAdmin, HelpdeskAdmin]);
        assert_eq!(
            s.minus(RoleSet::of(&[UserAdmin])).roles(),
            vec![HelpdeskAdmin]
        );
        assert_eq!(
            roles_allowing(Capability::PasswordsResetAdmins).roles(),
            vec![GlobalAdmin]
        );
        for &c in Capability::ALL {
            for &r in DirectoryRole::ALL {
                assert_eq!(roles_allowing(c).contains(r), r.capabilities().contains(&c));
            }
        }
    }

    #[test]
    fn a_check_needs_a_grant_in_force_and_a_role_granted_and_assigned() {
        let grant = GrantFacts {
            roles: RoleSet::of(&[HelpdeskAdmin, LicenseAdmin]),
            starts_ms: 100,
            ends_ms: 200,
        };
        let reset = Capability::PasswordsResetUsers;
        let both = RoleSet::of(&[HelpdeskAdmin]);
        assert_eq!(check(Some(&grant), both, reset, 150), both);
        assert!(check(Some(&grant), both, reset, 99).is_empty());
        assert!(check(Some(&grant), both, reset, 200).is_empty());
        assert!(check(None, both, reset, 150).is_empty());
        // Assigned but not granted, granted but not assigned.
        assert!(check(Some(&grant), RoleSet::of(&[UserAdmin]), reset, 150).is_empty());
        assert!(check(Some(&grant), RoleSet::of(&[LicenseAdmin]), reset, 150).is_empty());
    }

    #[test]
    fn auto_extend_renews_by_180_days() {
        let t = |d: i64| DateTime::<Utc>::UNIX_EPOCH + Duration::days(d);
        let mut g = AdminGrant {
            roles: vec![HelpdeskAdmin],
            requested: vec![HelpdeskAdmin],
            pending: vec![],
            starts_at: t(0),
            ends_at: Some(t(10)),
            auto_extend: true,
            terminated_at: None,
        };
        assert_eq!(g.effective_end(t(5)), Some(t(10)));
        assert_eq!(g.effective_end(t(10)), Some(t(190)));
        assert_eq!(g.effective_end(t(400)), Some(t(550)));
        assert!(GrantFacts::of(&g).in_force(t(10_000).timestamp_millis()));
        g.auto_extend = false;
        assert_eq!(g.effective_end(t(400)), Some(t(10)));
        assert!(!GrantFacts::of(&g).in_force(t(10).timestamp_millis()));
        g.terminated_at = Some(t(1));
        assert!(!GrantFacts::of(&g).in_force(t(5).timestamp_millis()));
    }
}
