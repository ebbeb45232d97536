//! The demo world (`accord serve --demo`, `accord demo`): an operator, partners in the
//! public cloud in KR and US and one in `usgov`, customers in those clouds and countries,
//! each with a Global admin and an ordinary user, customer agreement version 1 and a small
//! product catalogue.

use accord_domain::DirectoryRole;
use accord_domain::{
    Billing, Cloud, CountryCode, DomainError, Industry, Language, OrgSize, PartnerProfile,
    PartnerRole, PartnerType, Role, Service, TenantId, UserId,
};
use accord_store::{ProfileRecord, TenantRecord};

use crate::work::{Actor, Change, Work};
use crate::{Accord, Error, NewTenant, NewUser, ProductInput, Result};

/// The password of every demo account. Demo only.
pub const DEMO_PASSWORD: &str = "accord-demo";

/// One demo sign-in, for printing.
#[derive(Clone, Debug)]
pub struct DemoSignIn {
    pub email: String,
    pub organisation: String,
    pub role: String,
}

const AGREEMENT: &str = "Customer Agreement

1. Scope. This agreement governs your organisation's purchase and use of the provider's products and services, whether bought directly or through a partner.

2. Partners. A partner you authorise may buy and provision products for your organisation and, where you grant delegated admin roles, administer your directory within those roles. You can remove a partner's admin roles at any time; the partner remains responsible for supporting the products it sold you.

3. Visibility. Every action a partner takes in your organisation is recorded and visible to you.

4. Data. The provider processes your data as described in its privacy statement.

5. Term. This agreement stays in force while your organisation uses the provider's products and services.";

/// The demo catalogue: code, name, billing, most seats, clouds.
const PRODUCTS: &[(&str, &str, Billing, u32, &[Cloud])] = &[
    (
        "BIZ-BASIC",
        "Business Basic",
        Billing::PerSeat,
        300,
        &[Cloud::Public],
    ),
    (
        "BIZ-PREMIUM",
        "Business Premium",
        Billing::PerSeat,
        300,
        &[Cloud::Public],
    ),
    (
        "ENT-E3",
        "Enterprise E3",
        Billing::PerSeat,
        100_000,
        &[Cloud::Public, Cloud::Usgov],
    ),
    (
        "GOV-G3",
        "Government G3",
        Billing::PerSeat,
        100_000,
        &[Cloud::Usgov],
    ),
    (
        "SEC-CENTER",
        "Security Center (organisation-wide)",
        Billing::PerSubscription,
        1,
        &[Cloud::Public, Cloud::Usgov, Cloud::Germany, Cloud::China],
    ),
];

struct Org {
    name: &'static str,
    domain: &'static str,
    country: &'static str,
    cloud: Cloud,
    partner: bool,
    users: &'static [(&'static str, &'static str, &'static [Role])],
}

const PA: Role = Role::Partner(PartnerRole::PartnerAdmin);
const AA: Role = Role::Partner(PartnerRole::AdminAgent);
const HA: Role = Role::Partner(PartnerRole::HelpdeskAgent);
const GA: Role = Role::Directory(DirectoryRole::GlobalAdmin);
const US: Role = Role::Directory(DirectoryRole::User);

const WORLD: &[Org] = &[
    Org {
        name: "Accord Operations",
        domain: "accord-operations.example",
        country: "US",
        cloud: Cloud::Public,
        partner: false,
        users: &[("operator", "Olivia Operator", &[Role::Operator])],
    },
    Org {
        name: "Contoso Partners Korea",
        domain: "contoso-kr.example",
        country: "KR",
        cloud: Cloud::Public,
        partner: true,
        users: &[
            ("admin", "Kim Minji", &[PA, AA]),
            ("helpdesk", "Park Joon", &[HA]),
        ],
    },
    Org {
        name: "Adatum Devices & Apps",
        domain: "adatum-kr.example",
        country: "KR",
        cloud: Cloud::Public,
        partner: true,
        users: &[("admin", "Yoon Hana", &[PA, AA])],
    },
    Org {
        name: "Fabrikam Solutions",
        domain: "fabrikam-us.example",
        country: "US",
        cloud: Cloud::Public,
        partner: true,
        users: &[("admin", "Frank Miller", &[PA, AA])],
    },
    Org {
        name: "Northwind Government Services",
        domain: "northwind-gov.example",
        country: "US",
        cloud: Cloud::Usgov,
        partner: true,
        users: &[("admin", "Nora West", &[PA, AA])],
    },
    Org {
        name: "Hanbit Retail",
        domain: "hanbit.example",
        country: "KR",
        cloud: Cloud::Public,
        partner: false,
        users: &[("admin", "Lee Seojun", &[GA]), ("user", "Choi Yuna", &[US])],
    },
    Org {
        name: "Litware Inc",
        domain: "litware.example",
        country: "US",
        cloud: Cloud::Public,
        partner: false,
        users: &[
            ("admin", "Laura Wright", &[GA]),
            ("user", "Sam Young", &[US]),
        ],
    },
    Org {
        name: "Tailspin Federal",
        domain: "tailspin-gov.example",
        country: "US",
        cloud: Cloud::Usgov,
        partner: false,
        users: &[
            ("admin", "Tom Spinner", &[GA]),
            ("user", "Tina Fell", &[US]),
        ],
    },
];

/// Seeds the demo world into an empty database and returns the sign-ins.
pub async fn seed(accord: &Accord) -> Result<Vec<DemoSignIn>> {
    let mut out = Vec::new();
    let operator = accord.local_operator();
    for org in WORLD {
        operator
            .create_tenant(&NewTenant {
                name: org.name.into(),
                domain: org.domain.into(),
                country: org.country.into(),
                cloud: org.cloud,
                is_partner: org.partner,
            })
            .await?;
        for (local, name, roles) in org.users {
            let email = format!("{local}@{}", org.domain);
            operator
                .create_user(
                    org.domain,
                    &NewUser {
                        email: email.clone(),
                        display_name: Some((*name).into()),
                        password: DEMO_PASSWORD.into(),
                        roles: roles.to_vec(),
                    },
                )
                .await?;
            out.push(DemoSignIn {
                email,
                organisation: format!("{} ({}, {})", org.name, org.cloud, org.country),
                role: roles
                    .iter()
                    .map(|r| r.label())
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
    }
    // One partner offers every type, to show the OEM PC, LOB and MPSA work; the others
    // offer the operator's default (reseller and delegated admin).
    operator
        .set_offered_types("adatum-kr.example", accord_domain::PartnerType::ALL)
        .await?;
    operator
        .publish_agreement("Customer Agreement", AGREEMENT)
        .await?;
    for (sku, name, billing, max, clouds) in PRODUCTS {
        operator
            .put_product(&ProductInput {
                sku: (*sku).into(),
                name: (*name).into(),
                billing: *billing,
                max_quantity: *max,
                clouds: clouds.to_vec(),
                retired: false,
            })
            .await?;
    }
    seed_profiles(accord).await?;
    Ok(out)
}

/// The demo partners' public profiles, published, so that the directory has something
/// to find (`/partners`).
async fn seed_profiles(accord: &Accord) -> Result<()> {
    let kr = || CountryCode::parse("KR");
    let profiles = [
        (
            "contoso-kr.example",
            PartnerProfile {
                name: "Contoso Partners Korea".into(),
                description: "클라우드 이전과 보안 전문 파트너입니다. Microsoft 365 and Azure migration, identity and security for small and medium businesses in Seoul and Gyeonggi.".into(),
                country: kr()?,
                city: "서울".into(),
                org_sizes: vec![OrgSize::Micro, OrgSize::Small, OrgSize::Medium],
                services: vec![Service::CloudMigration, Service::Security, Service::Identity, Service::Licensing],
                keywords: vec!["Azure".into(), "Microsoft 365".into(), "Entra".into(), "보안".into()],
                industries: vec![Industry::Retail, Industry::Manufacturing],
                types: vec![PartnerType::Reseller, PartnerType::DelegatedAdmin],
                contact_email: "admin@contoso-kr.example".into(),
                languages: vec![Language::Ko, Language::En],
                published: true,
            },
        ),
        (
            "adatum-kr.example",
            PartnerProfile {
                name: "Adatum Solutions".into(),
                description: "관리형 서비스와 디바이스 배포. Managed services, device rollout for OEM PCs, line-of-business apps and training, across Korea.".into(),
                country: kr()?,
                city: "부산".into(),
                org_sizes: vec![OrgSize::Small, OrgSize::Medium, OrgSize::Large, OrgSize::Enterprise],
                services: vec![Service::ManagedServices, Service::Devices, Service::Security, Service::Training],
                keywords: vec!["Intune".into(), "Autopilot".into(), "디바이스".into()],
                industries: vec![Industry::Manufacturing, Industry::Logistics, Industry::Education],
                types: vec![PartnerType::Reseller, PartnerType::DelegatedAdmin, PartnerType::Partner, PartnerType::Admin],
                contact_email: "admin@adatum-kr.example".into(),
                languages: vec![Language::Ko, Language::En, Language::Ja],
                published: true,
            },
        ),
    ];
    let mut w = Work::begin(accord, Actor::LocalOperator).await?;
    for (domain, profile) in profiles {
        let Some(t) = w.tx().tenant_by_domain(domain).await? else {
            continue;
        };
        let offered = w
            .tx()
            .offered_types(t.id)
            .await?
            .unwrap_or_else(|| accord_domain::DEFAULT_OFFERED_TYPES.to_vec());
        let profile = profile.validated(&offered)?;
        let now = w.now;
        w.tx()
            .upsert_profile(&ProfileRecord {
                partner_id: t.id,
                profile,
                updated_at: now,
                updated_by: UserId(uuid::Uuid::nil()),
            })
            .await?;
        w.changed(Change::ProfileChanged { partner: t.id });
    }
    w.commit().await
}

/// Partners written per transaction by [`seed_partners`].
const PARTNER_BATCH: usize = 2000;

/// Adds `n` synthetic partners with published profiles (`accord demo --partners N`),
/// generated from `seed` (the same seed gives the same partners, so a second run with it
/// is refused: their domains exist). Writes in batches, then announces one
/// `directory.reloaded` change so that every node rebuilds its index once. Calls
/// `progress` with the count written so far after each batch.
pub async fn seed_partners(
    accord: &Accord,
    seed: u64,
    n: usize,
    mut progress: impl FnMut(usize),
) -> Result<usize> {
    let mut written = 0;
    let mut batch = Vec::with_capacity(PARTNER_BATCH);
    let mut all = accord_search::synth::partners(seed, n);
    loop {
        batch.clear();
        batch.extend(all.by_ref().take(PARTNER_BATCH));
        if batch.is_empty() {
            break;
        }
        let mut w = Work::begin(accord, Actor::LocalOperator).await?;
        let now = w.now;
        for p in &batch {
            let id = TenantId::new();
            let tenant = TenantRecord {
                id,
                name: p.name.clone(),
                domain: p.domain.clone(),
                country: p.country.clone(),
                cloud: p.cloud,
                is_partner: true,
                created_at: now,
            };
            w.tx().insert_tenant(&tenant).await.map_err(|e| {
                if e.constraint() == Some(accord_store::constraint::TENANT_DOMAIN) {
                    Error::Rule(DomainError::DomainTaken {
                        domain: p.domain.clone(),
                    })
                } else {
                    e.into()
                }
            })?;
            if p.profile
                .types
                .iter()
                .any(|t| !accord_domain::DEFAULT_OFFERED_TYPES.contains(t))
            {
                w.tx().set_offered_types(id, &p.profile.types).await?;
            }
            w.tx()
                .upsert_profile(&ProfileRecord {
                    partner_id: id,
                    profile: p.profile.clone(),
                    updated_at: now,
                    updated_by: UserId(uuid::Uuid::nil()),
                })
                .await?;
        }
        w.commit().await?;
        written += batch.len();
        progress(written);
    }
    let mut w = Work::begin(accord, Actor::LocalOperator).await?;
    w.changed(Change::DirectoryReloaded);
    w.commit().await?;
    Ok(written)
}
