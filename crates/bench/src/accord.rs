//! Accord in-process: a fresh database, the demo world, a partner with many customers
//! (written straight through the store: creating them as users would hash passwords for
//! minutes), a bearer token for the partner's admin, and the real router on 127.0.0.1.

use std::collections::BTreeSet;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use accord_domain::{
    AdminGrant, Cloud, CountryCode, DirectoryRole, PartnerType, RelationshipId, RelationshipStatus,
    Role, TenantId, UserId,
};
use accord_service::{demo, Accord, ServiceConfig, SystemClock};
use accord_store::prelude::*;
use accord_store::{
    AccessAssignmentRecord, RelationshipRecord, SqlStore, StoreOptions, TenantRecord, UserRecord,
};
use anyhow::{ensure, Context};
use chrono::{DateTime, Utc};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The demo partner that gets the customers.
pub const PARTNER_DOMAIN: &str = "contoso-kr.example";
/// Its admin, whose token the benchmark uses.
pub const PARTNER_ADMIN: &str = "admin@contoso-kr.example";

/// Accord serving on 127.0.0.1 until [`Running::stop`].
pub struct Running {
    pub accord: Accord,
    pub addr: SocketAddr,
    pub token: String,
    pub backend: &'static str,
    /// A customer whose directory the partner admin administers by delegation.
    pub delegated_customer: TenantId,
    store: SqlStore,
    server: JoinHandle<std::io::Result<()>>,
    follower: JoinHandle<()>,
    stop_feed: oneshot::Sender<()>,
    /// The SQLite file's directory, removed on drop.
    _dir: Option<tempfile::TempDir>,
}

impl Running {
    pub async fn stop(self) {
        self.server.abort();
        let _ = self.stop_feed.send(());
        let _ = self.follower.await;
        self.store.close().await;
    }
}

/// Opens the database, seeds it, and serves Accord as `accord serve` does.
pub async fn start(database_url: Option<&str>, customers: usize) -> anyhow::Result<Running> {
    let (opts, dir) = match database_url {
        Some(url) => {
            ensure!(
                url.starts_with("postgres:") || url.starts_with("postgresql:"),
                "--database-url must be a postgres:// URL (SQLite is the default)"
            );
            (StoreOptions::postgres(url), None)
        }
        None => {
            let dir = tempfile::tempdir().context("cannot create a temporary directory")?;
            let opts = StoreOptions::sqlite_file(&dir.path().join("accord.db"));
            (opts, Some(dir))
        }
    };
    let store = SqlStore::open(&opts)
        .await
        .with_context(|| format!("cannot open {}", accord_store::redact_url(&opts.url)))?;
    let accord = Accord::new(
        Arc::new(store.clone()),
        Arc::new(SystemClock),
        ServiceConfig::default(),
    );
    ensure!(
        accord.is_empty().await?,
        "the database already holds data; the benchmark needs an empty one"
    );
    demo::seed(&accord).await?;
    seed_customers(&store, accord.now(), customers).await?;
    let delegated_customer = seed_delegated_directory(&store, accord.now()).await?;
    let token = accord
        .local_operator()
        .create_api_token(PARTNER_ADMIN, "bench", None)
        .await?;

    // As the real server does: read the change feed, then follow it.
    accord.catch_up().await?;
    let (stop_feed, feed_stopped) = oneshot::channel::<()>();
    let follower = {
        let accord = accord.clone();
        tokio::spawn(async move {
            accord
                .follow_changes(async {
                    let _ = feed_stopped.await;
                })
                .await;
        })
    };
    let app = accord_web::router(accord_web::AppState::new(accord.clone()));
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .await
        .context("cannot listen on 127.0.0.1")?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
    });
    Ok(Running {
        backend: accord.backend(),
        delegated_customer,
        accord,
        addr,
        token,
        store,
        server,
        follower,
        stop_feed,
        _dir: dir,
    })
}

/// Gives the demo partner `n` active customers in one write transaction.
async fn seed_customers(store: &SqlStore, now: DateTime<Utc>, n: usize) -> anyhow::Result<()> {
    let mut tx = store.write().await?;
    let partner = tx
        .tenant_by_domain(PARTNER_DOMAIN)
        .await?
        .with_context(|| format!("the demo world has no {PARTNER_DOMAIN}"))?;
    let kr = CountryCode::parse("KR")?;
    for i in 1..=n {
        let created = now - chrono::Duration::days(i64::try_from(i % 900).unwrap_or(0));
        let customer = TenantRecord {
            id: TenantId::new(),
            name: customer_name(i),
            domain: format!("customer-{i:04}.bench.example"),
            country: kr.clone(),
            cloud: Cloud::Public,
            is_partner: false,
            created_at: created,
        };
        tx.insert_tenant(&customer).await?;
        tx.upsert_relationship(&RelationshipRecord {
            tenant_id: customer.id,
            partner_id: partner.id,
            id: RelationshipId::new(),
            partner_name: partner.name.clone(),
            customer_name: customer.name.clone(),
            types: BTreeSet::from([PartnerType::Reseller]),
            grant: grant(i, created, now),
            status: RelationshipStatus::Active,
            created_at: created,
            updated_at: created,
        })
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Users in the delegated customer's directory.
pub const DELEGATED_USERS: usize = 60;

/// Gives one customer a directory of [`DELEGATED_USERS`] users, a grant of User admin to
/// the demo partner and an access assignment of it to the partner's admin, whose token the
/// benchmark uses: `GET /api/v1/customers/{id}/users` is then a delegated read.
async fn seed_delegated_directory(
    store: &SqlStore,
    now: DateTime<Utc>,
) -> anyhow::Result<TenantId> {
    let mut tx = store.write().await?;
    let partner = tx
        .tenant_by_domain(PARTNER_DOMAIN)
        .await?
        .with_context(|| format!("the demo world has no {PARTNER_DOMAIN}"))?;
    let agent = tx
        .user_by_email(PARTNER_ADMIN)
        .await?
        .with_context(|| format!("the demo world has no {PARTNER_ADMIN}"))?;
    let customer = TenantRecord {
        id: TenantId::new(),
        name: "Delegated Bench Customer".into(),
        domain: "delegated.bench.example".into(),
        country: CountryCode::parse("KR")?,
        cloud: Cloud::Public,
        is_partner: false,
        created_at: now,
    };
    tx.insert_tenant(&customer).await?;
    let roles = vec![DirectoryRole::UserAdmin, DirectoryRole::HelpdeskAdmin];
    tx.upsert_relationship(&RelationshipRecord {
        tenant_id: customer.id,
        partner_id: partner.id,
        id: RelationshipId::new(),
        partner_name: partner.name.clone(),
        customer_name: customer.name.clone(),
        types: BTreeSet::from([PartnerType::Reseller, PartnerType::DelegatedAdmin]),
        grant: Some(AdminGrant {
            roles: roles.clone(),
            requested: roles.clone(),
            pending: Vec::new(),
            starts_at: now,
            ends_at: Some(now + chrono::Duration::days(365)),
            auto_extend: false,
            terminated_at: None,
        }),
        status: RelationshipStatus::Active,
        created_at: now,
        updated_at: now,
    })
    .await?;
    for i in 1..=DELEGATED_USERS {
        let ko = KO[i % KO.len()];
        tx.insert_user(&UserRecord {
            tenant_id: customer.id,
            id: UserId::new(),
            email: format!("user{i:02}@delegated.bench.example"),
            display_name: format!("{ko} User {i:02}"),
            password_hash: "not-a-password".into(),
            roles: vec![Role::Directory(if i == 1 {
                DirectoryRole::GlobalAdmin
            } else {
                DirectoryRole::User
            })],
            disabled: false,
            password_temporary: false,
            created_at: now,
        })
        .await?;
    }
    tx.upsert_access_assignment(&AccessAssignmentRecord {
        partner_id: partner.id,
        id: uuid::Uuid::now_v7(),
        customer_id: customer.id,
        agent_id: agent.id,
        roles: vec![DirectoryRole::UserAdmin],
        created_by: "bench".into(),
        created_at: now,
    })
    .await?;
    tx.commit().await?;
    Ok(customer.id)
}

const KO: &[&str] = &[
    "한빛",
    "서울",
    "부산",
    "누리",
    "미래",
    "가람",
    "다온",
    "하늘",
    "새봄",
    "바다",
    "온누리",
    "별빛",
    "대한",
    "청솔",
    "푸른",
];
const EN: &[&str] = &[
    "Trading",
    "Logistics",
    "Foods",
    "Systems",
    "Clinic",
    "Design Studio",
    "Motors",
    "Retail",
    "Labs",
    "Energy",
    "Education",
    "Pharm",
    "Networks",
];

/// A realistic, unique customer name: "Customer 0001 …" mixed with Korean and English.
pub fn customer_name(i: usize) -> String {
    let ko = KO[(i * 7) % KO.len()];
    let en = EN[(i * 5 + i / EN.len()) % EN.len()];
    match i % 4 {
        0 => format!("Customer {i:04} {ko} {en}"),
        1 => format!("Customer {i:04} {en} Co., Ltd."),
        2 => format!("Customer {i:04} ({ko}) 주식회사"),
        _ => format!("Customer {i:04} {ko} {en} Korea"),
    }
}

/// A mix of no grant, legacy grants, time-bound Global admin and narrower auto-extending ones.
fn grant(i: usize, starts_at: DateTime<Utc>, now: DateTime<Utc>) -> Option<AdminGrant> {
    match i % 4 {
        0 => None,
        1 => Some(AdminGrant {
            roles: vec![DirectoryRole::GlobalAdmin],
            requested: vec![DirectoryRole::GlobalAdmin],
            pending: Vec::new(),
            starts_at,
            ends_at: None,
            auto_extend: false,
            terminated_at: None,
        }),
        2 => Some(AdminGrant {
            roles: vec![DirectoryRole::GlobalAdmin],
            requested: vec![DirectoryRole::GlobalAdmin],
            pending: Vec::new(),
            starts_at,
            ends_at: Some(now + chrono::Duration::days(730)),
            auto_extend: false,
            terminated_at: None,
        }),
        _ => Some(AdminGrant {
            roles: vec![
                DirectoryRole::UserAdmin,
                DirectoryRole::HelpdeskAdmin,
                DirectoryRole::LicenseAdmin,
            ],
            requested: vec![
                DirectoryRole::UserAdmin,
                DirectoryRole::HelpdeskAdmin,
                DirectoryRole::LicenseAdmin,
            ],
            pending: Vec::new(),
            starts_at,
            ends_at: Some(now + chrono::Duration::days(180)),
            auto_extend: true,
            terminated_at: None,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customer_names_are_unique_and_mixed() {
        let names: BTreeSet<String> = (1..=1000).map(customer_name).collect();
        assert_eq!(names.len(), 1000);
        assert!(names.iter().all(|n| n.starts_with("Customer ")));
        assert!(names.iter().any(|n| n.contains("주식회사")));
        assert!(names.iter().any(|n| n.contains("Co., Ltd.")));
        assert_eq!(customer_name(7), "Customer 0007 미래 Energy Korea");
    }
}
