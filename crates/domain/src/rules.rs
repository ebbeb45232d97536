use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::{
    Cloud, CountryCode, DirectoryRole, DomainError, GrantStatus, PartnerType, RequestStatus,
};

/// Default lifetime of a relationship request (SPEC F3), operator-configurable.
pub const DEFAULT_REQUEST_TTL_DAYS: u32 = 90;
/// Granular grants last between 1 and 730 days.
pub const MAX_GRANT_DAYS: u32 = 730;
/// Auto-extend renews an eligible grant by this many days.
pub const AUTO_EXTEND_DAYS: u32 = 180;
/// A grant is `expiring` in its last 30 days.
pub const EXPIRING_WINDOW_DAYS: i64 = 30;

/// What a partner asks for in the customer's directory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AdminAsk {
    /// A relationship without delegated admin privileges.
    None,
    /// The seed's all-powerful form: Global admin with no end date.
    Legacy,
    /// A chosen set of directory roles for a bounded time.
    Granular {
        roles: Vec<DirectoryRole>,
        duration_days: u32,
        auto_extend: bool,
    },
}

impl AdminAsk {
    pub fn includes_admin(&self) -> bool {
        !matches!(self, AdminAsk::None)
    }

    /// The directory roles asked for, empty when none.
    pub fn roles(&self) -> Vec<DirectoryRole> {
        match self {
            AdminAsk::None => Vec::new(),
            AdminAsk::Legacy => vec![DirectoryRole::GlobalAdmin],
            AdminAsk::Granular { roles, .. } => roles.clone(),
        }
    }

    pub fn duration_days(&self) -> Option<u32> {
        match self {
            AdminAsk::Granular { duration_days, .. } => Some(*duration_days),
            _ => None,
        }
    }

    /// Checks the ask against the partner's cloud and the grant rules, and normalises the
    /// role list (sorted, no duplicates).
    pub fn validate(self, partner_cloud: Cloud) -> Result<AdminAsk, DomainError> {
        match self {
            AdminAsk::None => {
                if matches!(partner_cloud, Cloud::Usgov | Cloud::Germany) {
                    Err(DomainError::AdminOptionRequiredInCloud {
                        cloud: partner_cloud.as_str().to_string(),
                    })
                } else {
                    Ok(AdminAsk::None)
                }
            }
            AdminAsk::Legacy => Ok(AdminAsk::Legacy),
            AdminAsk::Granular {
                roles,
                duration_days,
                auto_extend,
            } => {
                let set: BTreeSet<DirectoryRole> = roles.into_iter().collect();
                if set.is_empty() {
                    return Err(DomainError::invalid(
                        "admin_roles",
                        crate::InvalidReason::NoAdminRoles,
                    ));
                }
                if set.contains(&DirectoryRole::User) {
                    return Err(DomainError::invalid(
                        "admin_roles",
                        crate::InvalidReason::NotAnAdminRole,
                    ));
                }
                if !(1..=MAX_GRANT_DAYS).contains(&duration_days) {
                    return Err(DomainError::invalid(
                        "duration_days",
                        crate::InvalidReason::Duration {
                            max: MAX_GRANT_DAYS,
                        },
                    ));
                }
                if auto_extend && set.contains(&DirectoryRole::GlobalAdmin) {
                    return Err(DomainError::invalid(
                        "auto_extend",
                        crate::InvalidReason::AutoExtendGlobalAdmin,
                    ));
                }
                Ok(AdminAsk::Granular {
                    roles: set.into_iter().collect(),
                    duration_days,
                    auto_extend,
                })
            }
        }
    }
}

/// The effective status of a request: a stored `pending` past its expiry is `expired`.
pub fn effective_request_status(
    stored: RequestStatus,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> RequestStatus {
    if stored == RequestStatus::Pending && now >= expires_at {
        RequestStatus::Expired
    } else {
        stored
    }
}

/// Whether a request in this effective status can still be accepted or declined.
pub fn check_request_usable(status: RequestStatus) -> Result<(), DomainError> {
    match status {
        RequestStatus::Pending => Ok(()),
        RequestStatus::Accepted | RequestStatus::Declined => Err(DomainError::RequestAlreadyUsed),
        RequestStatus::Revoked => Err(DomainError::RequestRevoked),
        RequestStatus::Expired => Err(DomainError::RequestExpired),
    }
}

/// The facts about a tenant that the acceptance rules look at.
#[derive(Clone, Debug)]
pub struct TenantPlace {
    pub cloud: Cloud,
    pub country: CountryCode,
    /// The region from the operator's country → region table, if the country is listed.
    pub region: Option<String>,
}

/// Partners work only with customers of their own cloud and their own country or region.
pub fn check_customer_reachable(
    partner: &TenantPlace,
    customer: &TenantPlace,
) -> Result<(), DomainError> {
    if partner.cloud != customer.cloud {
        return Err(DomainError::CloudMismatch {
            partner_cloud: partner.cloud.as_str().into(),
            customer_cloud: customer.cloud.as_str().into(),
        });
    }
    if partner.country == customer.country {
        return Ok(());
    }
    match (&partner.region, &customer.region) {
        (Some(p), Some(c)) if p == c => Ok(()),
        (p, c) => Err(DomainError::RegionMismatch {
            partner_country: partner.country.to_string(),
            partner_region: p.clone().unwrap_or_else(|| "no region".into()),
            customer_country: customer.country.to_string(),
            customer_region: c.clone().unwrap_or_else(|| "no region".into()),
        }),
    }
}

/// A delegated admin grant held by a partner in a customer's directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdminGrant {
    /// The roles in force: what the customer approved.
    pub roles: Vec<DirectoryRole>,
    /// What the partner asked for; more than `roles` when the customer approved a subset.
    pub requested: Vec<DirectoryRole>,
    /// Roles the partner asked to add to this grant, awaiting the customer's consent.
    pub pending: Vec<DirectoryRole>,
    pub starts_at: DateTime<Utc>,
    /// `None` for the legacy grant, which never ends by itself.
    pub ends_at: Option<DateTime<Utc>>,
    pub auto_extend: bool,
    /// Set when the customer removed the admin roles (or the relationship ended).
    pub terminated_at: Option<DateTime<Utc>>,
}

impl AdminGrant {
    pub fn from_ask(ask: &AdminAsk, now: DateTime<Utc>) -> Option<AdminGrant> {
        match ask {
            AdminAsk::None => None,
            AdminAsk::Legacy => Some(AdminGrant {
                roles: vec![DirectoryRole::GlobalAdmin],
                requested: vec![DirectoryRole::GlobalAdmin],
                pending: Vec::new(),
                starts_at: now,
                ends_at: None,
                auto_extend: false,
                terminated_at: None,
            }),
            AdminAsk::Granular {
                roles,
                duration_days,
                auto_extend,
            } => Some(AdminGrant {
                roles: roles.clone(),
                requested: roles.clone(),
                pending: Vec::new(),
                starts_at: now,
                ends_at: Some(now + Duration::days(i64::from(*duration_days))),
                auto_extend: *auto_extend,
                terminated_at: None,
            }),
        }
    }

    pub fn status(&self, now: DateTime<Utc>) -> GrantStatus {
        if self.terminated_at.is_some() {
            return GrantStatus::Terminated;
        }
        if now < self.starts_at {
            return GrantStatus::ApprovalPending;
        }
        match self.effective_end(now) {
            None => GrantStatus::Active,
            Some(end) if now >= end => GrantStatus::Expired,
            Some(end) if end - now <= Duration::days(EXPIRING_WINDOW_DAYS) => GrantStatus::Expiring,
            Some(_) => GrantStatus::Active,
        }
    }

    /// The next instant after `now` at which [`AdminGrant::status`] changes by itself
    /// (pending → active, active → expiring, expiring → expired); `None` if it never will.
    pub fn next_change(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if self.terminated_at.is_some() {
            return None;
        }
        if now < self.starts_at {
            return Some(self.starts_at);
        }
        let end = self.effective_end(now)?;
        let expiring = end - Duration::days(EXPIRING_WINDOW_DAYS);
        if now < expiring {
            Some(expiring)
        } else if now < end {
            Some(end)
        } else {
            None
        }
    }

    /// Whether the grant gives the partner access right now.
    pub fn in_force(&self, now: DateTime<Utc>) -> bool {
        matches!(
            self.status(now),
            GrantStatus::Active | GrantStatus::Expiring
        )
    }
}

/// The state of one partner–customer relationship that acceptance rules compute.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RelationshipState {
    /// Partner types granted through requests (excluding `delegated_admin`, which follows
    /// from the admin grant).
    pub types: BTreeSet<PartnerType>,
    pub grant: Option<AdminGrant>,
}

impl RelationshipState {
    /// The partner types in force now, `delegated_admin` included while the grant is.
    pub fn effective_types(&self, now: DateTime<Utc>) -> Vec<PartnerType> {
        let mut t = self.types.clone();
        // A grant in force makes the partner a delegated admin, unless it is the
        // helpdesk-level grant of the admin type.
        if self.grant.as_ref().is_some_and(|g| {
            g.in_force(now)
                && (!t.contains(&PartnerType::Admin)
                    || g.roles.contains(&DirectoryRole::GlobalAdmin))
        }) {
            t.insert(PartnerType::DelegatedAdmin);
        }
        t.into_iter().collect()
    }
}

/// Whether the customer may end the relationship itself ("Delete partner"): only when
/// the partner is a delegated admin or admin and nothing else (seed, SPEC F6); every
/// other relationship is ended by the partner.
pub fn customer_may_delete(effective_types: &[PartnerType]) -> bool {
    !effective_types.is_empty()
        && effective_types
            .iter()
            .all(|t| matches!(t, PartnerType::DelegatedAdmin | PartnerType::Admin))
}

/// The types a partner offers when the operator has not chosen: the seed's original pair.
pub const DEFAULT_OFFERED_TYPES: [PartnerType; 2] =
    [PartnerType::Reseller, PartnerType::DelegatedAdmin];

/// What a relationship request asks for, made whole: the partner types (at least one,
/// each offered by the partner) and the admin privileges they need. `delegated_admin`
/// without roles named asks for the full grant (Global admin, no end date); `admin`
/// without roles asks for Helpdesk admin for 730 days, renewed; admin privileges asked
/// without an admin type add `delegated_admin` (`include_admin_privileges` is the seed's
/// shorthand for reseller + delegated admin).
pub fn plan_request(
    types: &[PartnerType],
    ask: AdminAsk,
    offered: &[PartnerType],
) -> Result<(Vec<PartnerType>, AdminAsk), DomainError> {
    let mut t: BTreeSet<PartnerType> = types.iter().copied().collect();
    if t.is_empty() {
        return Err(DomainError::invalid("types", crate::InvalidReason::NoTypes));
    }
    let admin_type = t.contains(&PartnerType::DelegatedAdmin) || t.contains(&PartnerType::Admin);
    let ask = match (admin_type, ask) {
        (true, AdminAsk::None) if t.contains(&PartnerType::DelegatedAdmin) => AdminAsk::Legacy,
        (true, AdminAsk::None) => AdminAsk::Granular {
            roles: vec![DirectoryRole::HelpdeskAdmin],
            duration_days: MAX_GRANT_DAYS,
            auto_extend: true,
        },
        (false, a) if a.includes_admin() => {
            t.insert(PartnerType::DelegatedAdmin);
            a
        }
        (_, a) => a,
    };
    if let Some(x) = t.iter().find(|x| !offered.contains(x)) {
        return Err(DomainError::PartnerTypeNotOffered {
            partner_type: x.as_str().to_string(),
        });
    }
    Ok((t.into_iter().collect(), ask))
}

#[cfg(test)]
mod plan_tests {
    use super::*;

    #[test]
    fn requests_are_made_whole_and_limited_to_what_is_offered() {
        use PartnerType::*;
        let all = [Reseller, DelegatedAdmin, Partner, Admin, Mpsa, OemPc, Lob];
        let (t, a) = plan_request(&[Reseller], AdminAsk::Legacy, &all).unwrap();
        assert_eq!((t, a), (vec![Reseller, DelegatedAdmin], AdminAsk::Legacy));
        let (t, a) = plan_request(&[DelegatedAdmin], AdminAsk::None, &all).unwrap();
        assert_eq!((t, a), (vec![DelegatedAdmin], AdminAsk::Legacy));
        let (_, a) = plan_request(&[Admin], AdminAsk::None, &all).unwrap();
        assert!(
            matches!(a, AdminAsk::Granular { ref roles, .. } if roles == &[DirectoryRole::HelpdeskAdmin])
        );
        let (t, a) = plan_request(&[Mpsa, Lob], AdminAsk::None, &all).unwrap();
        assert_eq!((t, a), (vec![Mpsa, Lob], AdminAsk::None));
        assert_eq!(
            plan_request(&[], AdminAsk::None, &all).unwrap_err().code(),
            "invalid_input"
        );
        let e = plan_request(&[Mpsa], AdminAsk::None, &DEFAULT_OFFERED_TYPES).unwrap_err();
        assert_eq!(
            e,
            DomainError::PartnerTypeNotOffered {
                partner_type: "mpsa".into()
            }
        );
        // The shorthand is refused too when delegated admin is not offered.
        let e = plan_request(&[Reseller], AdminAsk::Legacy, &[Reseller]).unwrap_err();
        assert_eq!(e.code(), "partner_type_not_offered");
    }
}

/// The relationship after a customer accepts a request asking for `types` and `ask`.
/// Accepting on an existing relationship adds the types and, when admin privileges are
/// asked, replaces the grant: this is how removed admin roles are restored on the same
/// relationship. Accepting without admin privileges leaves a grant in force untouched.
///
/// The customer may approve a subset of the roles asked (`approved`, at least one of them):
/// the grant then holds those, and remembers what was asked.
pub fn apply_acceptance(
    existing: Option<&RelationshipState>,
    types: &[PartnerType],
    ask: &AdminAsk,
    approved: Option<&[DirectoryRole]>,
    now: DateTime<Utc>,
) -> Result<RelationshipState, DomainError> {
    let mut state = existing.cloned().unwrap_or(RelationshipState {
        types: BTreeSet::new(),
        grant: None,
    });
    state.types.extend(
        types
            .iter()
            .copied()
            .filter(|t| *t != PartnerType::DelegatedAdmin),
    );
    if let Some(mut grant) = AdminGrant::from_ask(ask, now) {
        if let Some(approved) = approved {
            grant.roles = approve_subset(&grant.requested, approved)?;
        }
        state.grant = Some(grant);
    } else if approved.is_some_and(|a| !a.is_empty()) {
        return Err(DomainError::invalid(
            "approved_roles",
            crate::InvalidReason::NotAsked,
        ));
    }
    Ok(state)
}

/// The roles a customer approves out of those asked: at least one, each of them asked;
/// sorted, without duplicates.
pub fn approve_subset(
    asked: &[DirectoryRole],
    approved: &[DirectoryRole],
) -> Result<Vec<DirectoryRole>, DomainError> {
    let set: BTreeSet<DirectoryRole> = approved.iter().copied().collect();
    if set.is_empty() {
        return Err(DomainError::invalid(
            "approved_roles",
            crate::InvalidReason::NoAdminRoles,
        ));
    }
    if set.iter().any(|r| !asked.contains(r)) {
        return Err(DomainError::invalid(
            "approved_roles",
            crate::InvalidReason::NotAsked,
        ));
    }
    Ok(set.into_iter().collect())
}

/// A partner's ask to change the roles of a grant in force to `wanted`: roles dropped
/// leave at once (less access needs no consent); roles added wait for the customer's
/// consent, which it gives to the difference only. Returns the grant after the ask.
pub fn ask_role_change(
    grant: &AdminGrant,
    wanted: &[DirectoryRole],
    now: DateTime<Utc>,
) -> Result<AdminGrant, DomainError> {
    if !grant.in_force(now) {
        return Err(DomainError::NoAdminRoles);
    }
    let set: BTreeSet<DirectoryRole> = wanted.iter().copied().collect();
    if set.is_empty() {
        return Err(DomainError::invalid(
            "roles",
            crate::InvalidReason::NoAdminRoles,
        ));
    }
    if set.contains(&DirectoryRole::User) {
        return Err(DomainError::invalid(
            "roles",
            crate::InvalidReason::NotAnAdminRole,
        ));
    }
    if grant.auto_extend && set.contains(&DirectoryRole::GlobalAdmin) {
        return Err(DomainError::invalid(
            "roles",
            crate::InvalidReason::AutoExtendGlobalAdmin,
        ));
    }
    let mut g = grant.clone();
    g.roles.retain(|r| set.contains(r));
    g.pending = set
        .iter()
        .copied()
        .filter(|r| !g.roles.contains(r))
        .collect();
    g.requested = set.into_iter().collect();
    Ok(g)
}

/// The customer's consent to roles a partner asked to add: `approved` (a subset of the
/// pending roles, all of them when `None`) join the grant; the rest are declined. The
/// grant keeps its end date.
pub fn consent_to_roles(
    grant: &AdminGrant,
    approved: Option<&[DirectoryRole]>,
) -> Result<AdminGrant, DomainError> {
    if grant.pending.is_empty() {
        return Err(DomainError::NoPendingRoles);
    }
    let added = match approved {
        None => grant.pending.clone(),
        Some(a) => approve_subset(&grant.pending, a)?,
    };
    let mut g = grant.clone();
    let roles: BTreeSet<DirectoryRole> = g.roles.iter().chain(added.iter()).copied().collect();
    g.roles = roles.into_iter().collect();
    g.pending.clear();
    Ok(g)
}

/// A human label for a set of effective types: "Reseller & delegated admin" and so on.
pub fn types_label(types: &[PartnerType]) -> String {
    let labels: Vec<&str> = types
        .iter()
        .enumerate()
        .map(|(i, t)| {
            if i == 0 {
                t.label()
            } else {
                match t {
                    PartnerType::DelegatedAdmin => "delegated admin",
                    other => other.label(),
                }
            }
        })
        .collect();
    if labels.is_empty() {
        "None".into()
    } else {
        labels.join(" & ")
    }
}

#[cfg(test)]
mod next_change_tests {
    use super::*;

    #[test]
    fn the_status_changes_exactly_at_next_change() {
        let t0 = DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default();
        let grants = [
            AdminGrant::from_ask(&AdminAsk::Legacy, t0),
            AdminGrant::from_ask(
                &AdminAsk::Granular {
                    roles: vec![DirectoryRole::UserAdmin],
                    duration_days: 90,
                    auto_extend: false,
                },
                t0 + Duration::days(1),
            ),
        ];
        for g in grants.into_iter().flatten() {
            let mut now = t0;
            let mut seen = vec![g.status(now)];
            while let Some(next) = g.next_change(now) {
                assert!(next > now);
                assert_eq!(g.status(next - Duration::milliseconds(1)), g.status(now));
                assert_ne!(g.status(next), g.status(now), "{next}");
                now = next;
                seen.push(g.status(now));
            }
            assert!(seen.len() <= 4, "{seen:?}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
            .single()
            .unwrap_or_default()
    }

    fn place(cloud: Cloud, country: &str, region: Option<&str>) -> TenantPlace {
        TenantPlace {
            cloud,
            country: CountryCode::parse(country).unwrap_or_else(|_| panic!("{country}")),
            region: region.map(String::from),
        }
    }

    #[test]
    fn no_admin_option_is_refused_in_usgov_and_germany_only() {
        for cloud in Cloud::ALL {
            let r = AdminAsk::None.validate(*cloud);
            match cloud {
                Cloud::Usgov | Cloud::Germany => {
                    assert_eq!(
                        r.map_err(|e| e.code()),
                        Err("admin_option_required_in_cloud")
                    )
                }
                _ => assert_eq!(r, Ok(AdminAsk::None)),
            }
            assert_eq!(AdminAsk::Legacy.validate(*cloud), Ok(AdminAsk::Legacy));
        }
    }

    #[test]
    fn granular_asks_are_validated_and_normalised() {
        let ok = AdminAsk::Granular {
            roles: vec![
                DirectoryRole::UserAdmin,
                DirectoryRole::HelpdeskAdmin,
                DirectoryRole::UserAdmin,
            ],
            duration_days: 730,
            auto_extend: true,
        }
        .validate(Cloud::Public);
        assert_eq!(
            ok,
            Ok(AdminAsk::Granular {
                roles: vec![DirectoryRole::UserAdmin, DirectoryRole::HelpdeskAdmin],
                duration_days: 730,
                auto_extend: true
            })
        );
        let bad = |roles: Vec<DirectoryRole>, d: u32, ae: bool| {
            AdminAsk::Granular {
                roles,
                duration_days: d,
                auto_extend: ae,
            }
            .validate(Cloud::Public)
            .is_err()
        };
        assert!(bad(vec![], 10, false));
        assert!(bad(vec![DirectoryRole::User], 10, false));
        assert!(bad(vec![DirectoryRole::UserAdmin], 0, false));
        assert!(bad(vec![DirectoryRole::UserAdmin], 731, false));
        assert!(bad(vec![DirectoryRole::GlobalAdmin], 30, true));
        assert!(!bad(vec![DirectoryRole::GlobalAdmin], 1, false));
    }

    #[test]
    fn request_status_and_usability() {
        let exp = t0() + Duration::days(90);
        assert_eq!(
            effective_request_status(RequestStatus::Pending, exp, t0()),
            RequestStatus::Pending
        );
        assert_eq!(
            effective_request_status(RequestStatus::Pending, exp, exp),
            RequestStatus::Expired
        );
        assert_eq!(
            effective_request_status(RequestStatus::Accepted, exp, exp),
            RequestStatus::Accepted
        );
        let code = |s| check_request_usable(s).map_err(|e| e.code());
        assert_eq!(code(RequestStatus::Pending), Ok(()));
        assert_eq!(code(RequestStatus::Accepted), Err("request_already_used"));
        assert_eq!(code(RequestStatus::Declined), Err("request_already_used"));
        assert_eq!(code(RequestStatus::Revoked), Err("request_revoked"));
        assert_eq!(code(RequestStatus::Expired), Err("request_expired"));
    }

    #[test]
    fn reachability_by_cloud_country_and_region() {
        let kr = place(Cloud::Public, "KR", Some("asia_pacific"));
        let jp = place(Cloud::Public, "JP", Some("asia_pacific"));
        let us = place(Cloud::Public, "US", Some("north_america"));
        let gov = place(Cloud::Usgov, "US", Some("north_america"));
        let xx = place(Cloud::Public, "XX", None);
        let code =
            |a: &TenantPlace, b: &TenantPlace| check_customer_reachable(a, b).map_err(|e| e.code());
        assert_eq!(code(&kr, &kr), Ok(()));
        assert_eq!(code(&kr, &jp), Ok(()));
        assert_eq!(code(&kr, &us), Err("region_mismatch"));
        assert_eq!(code(&us, &gov), Err("cloud_mismatch"));
        assert_eq!(code(&gov, &us), Err("cloud_mismatch"));
        assert_eq!(code(&xx, &kr), Err("region_mismatch"));
        assert_eq!(code(&xx, &xx), Ok(()), "same country needs no region");
    }

    #[test]
    fn grant_lifecycle() {
        let g = AdminGrant::from_ask(
            &AdminAsk::Granular {
                roles: vec![DirectoryRole::UserAdmin],
                duration_days: 60,
                auto_extend: false,
            },
            t0(),
        )
        .unwrap_or_else(|| panic!("grant"));
        assert_eq!(
            g.status(t0() - Duration::seconds(1)),
            GrantStatus::ApprovalPending
        );
        assert_eq!(g.status(t0()), GrantStatus::Active);
        assert_eq!(g.status(t0() + Duration::days(30)), GrantStatus::Expiring);
        assert_eq!(g.status(t0() + Duration::days(60)), GrantStatus::Expired);
        assert!(!g.in_force(t0() + Duration::days(60)));
        let legacy =
            AdminGrant::from_ask(&AdminAsk::Legacy, t0()).unwrap_or_else(|| panic!("grant"));
        assert_eq!(
            legacy.status(t0() + Duration::days(10_000)),
            GrantStatus::Active
        );
        let ended = AdminGrant {
            terminated_at: Some(t0()),
            ..legacy
        };
        assert_eq!(ended.status(t0()), GrantStatus::Terminated);
        assert!(AdminGrant::from_ask(&AdminAsk::None, t0()).is_none());
    }

    #[test]
    fn acceptance_merges_types_and_restores_grants() {
        let first = apply_acceptance(None, &[PartnerType::Reseller], &AdminAsk::None, None, t0())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(first.effective_types(t0()), vec![PartnerType::Reseller]);
        let with_admin = apply_acceptance(
            Some(&first),
            &[PartnerType::Reseller],
            &AdminAsk::Legacy,
            None,
            t0(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            with_admin.effective_types(t0()),
            vec![PartnerType::Reseller, PartnerType::DelegatedAdmin]
        );
        assert_eq!(
            types_label(&with_admin.effective_types(t0())),
            "Reseller & delegated admin"
        );
        // Customer removes the admin roles; a new request with admin restores them.
        let mut removed = with_admin.clone();
        if let Some(g) = removed.grant.as_mut() {
            g.terminated_at = Some(t0());
        }
        assert_eq!(removed.effective_types(t0()), vec![PartnerType::Reseller]);
        let later = t0() + Duration::days(1);
        let restored = apply_acceptance(
            Some(&removed),
            &[PartnerType::Reseller],
            &AdminAsk::Legacy,
            None,
            later,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            restored.grant.as_ref().map(|g| g.status(later)),
            Some(GrantStatus::Active)
        );
        // Accepting a no-admin request keeps an existing grant.
        let kept = apply_acceptance(
            Some(&with_admin),
            &[PartnerType::Reseller],
            &AdminAsk::None,
            None,
            later,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(kept.grant, with_admin.grant);
        assert_eq!(types_label(&[]), "None");
    }

    #[test]
    fn a_customer_approves_a_subset_and_consents_to_added_roles_only() {
        use DirectoryRole::*;
        let ask = AdminAsk::Granular {
            roles: vec![UserAdmin, HelpdeskAdmin, LicenseAdmin],
            duration_days: 90,
            auto_extend: false,
        };
        let err = |r: Result<RelationshipState, DomainError>| r.map(|_| ()).map_err(|e| e.code());
        let types = [PartnerType::DelegatedAdmin];
        let partial = apply_acceptance(None, &types, &ask, Some(&[HelpdeskAdmin]), t0())
            .unwrap_or_else(|e| panic!("{e}"));
        let g = partial.grant.clone().unwrap_or_else(|| panic!("grant"));
        assert_eq!(g.roles, vec![HelpdeskAdmin]);
        assert_eq!(g.requested, vec![UserAdmin, HelpdeskAdmin, LicenseAdmin]);
        assert_eq!(
            err(apply_acceptance(
                None,
                &types,
                &ask,
                Some(&[GlobalAdmin]),
                t0()
            )),
            Err("invalid_input")
        );
        assert_eq!(
            err(apply_acceptance(None, &types, &ask, Some(&[]), t0())),
            Err("invalid_input")
        );
        assert_eq!(
            err(apply_acceptance(
                None,
                &types,
                &AdminAsk::None,
                Some(&[UserAdmin]),
                t0()
            )),
            Err("invalid_input")
        );

        // The partner asks to drop helpdesk admin and add license and user admin: the drop
        // is at once, the additions wait; the customer consents to one of them.
        let later = t0() + Duration::days(1);
        let changed = ask_role_change(&g, &[UserAdmin, LicenseAdmin], later)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(changed.roles.is_empty());
        assert_eq!(changed.pending, vec![UserAdmin, LicenseAdmin]);
        assert_eq!(changed.ends_at, g.ends_at);
        let kept = ask_role_change(&g, &[HelpdeskAdmin, UserAdmin], later)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (kept.roles.clone(), kept.pending.clone()),
            (vec![HelpdeskAdmin], vec![UserAdmin])
        );
        let consented =
            consent_to_roles(&kept, Some(&[UserAdmin])).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(consented.roles, vec![UserAdmin, HelpdeskAdmin]);
        assert!(consented.pending.is_empty());
        assert_eq!(
            consent_to_roles(&consented, None)
                .map_err(|e| e.code())
                .err(),
            Some("no_pending_roles")
        );
        assert_eq!(
            consent_to_roles(&kept, Some(&[GlobalAdmin]))
                .map_err(|e| e.code())
                .err(),
            Some("invalid_input")
        );
        // No change once the grant has ended.
        let ended = t0() + Duration::days(91);
        assert_eq!(
            ask_role_change(&g, &[UserAdmin], ended)
                .map_err(|e| e.code())
                .err(),
            Some("no_admin_roles")
        );
    }
}
