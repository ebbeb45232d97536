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
    pub roles: Vec<DirectoryRole>,
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
        match self.ends_at {
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
        let end = self.ends_at?;
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
pub fn apply_acceptance(
    existing: Option<&RelationshipState>,
    types: &[PartnerType],
    ask: &AdminAsk,
    now: DateTime<Utc>,
) -> RelationshipState {
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
    if let Some(grant) = AdminGrant::from_ask(ask, now) {
        state.grant = Some(grant);
    }
    state
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
        let first = apply_acceptance(None, &[PartnerType::Reseller], &AdminAsk::None, t0());
        assert_eq!(first.effective_types(t0()), vec![PartnerType::Reseller]);
        let with_admin = apply_acceptance(
            Some(&first),
            &[PartnerType::Reseller],
            &AdminAsk::Legacy,
            t0(),
        );
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
            later,
        );
        assert_eq!(
            restored.grant.as_ref().map(|g| g.status(later)),
            Some(GrantStatus::Active)
        );
        // Accepting a no-admin request keeps an existing grant.
        let kept = apply_acceptance(
            Some(&with_admin),
            &[PartnerType::Reseller],
            &AdminAsk::None,
            later,
        );
        assert_eq!(kept.grant, with_admin.grant);
        assert_eq!(types_label(&[]), "None");
    }
}
