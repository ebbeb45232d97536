//! The demo world (`accord serve --demo`, `accord demo`): an operator, partners in the
//! public cloud in KR and US and one in `usgov`, customers in those clouds and countries,
//! each with a Global admin and an ordinary user, customer agreement version 1 and a small
//! product catalogue.

use accord_domain::{Billing, Cloud, DirectoryRole, PartnerRole, Role};

use crate::{Accord, NewTenant, NewUser, ProductInput, Result};

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
    Ok(out)
}
