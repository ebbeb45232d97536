//! The store conformance suite: behaviour every backend must share. Each test gets a fresh
//! database. Written against `&dyn Store` so the same functions run on every backend.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

use std::collections::BTreeSet;

use accord_domain::{
    AdminAsk, AdminGrant, Cloud, CountryCode, DirectoryRole, PartnerType, RelationshipId,
    RelationshipStatus, RequestId, RequestStatus, Role, TenantId, UserId,
};
use accord_store::{
    AcceptanceRecord, RelationshipRecord, RequestRecord, RequestResolution, SqlStore, Store,
    StoreError, TenantRecord, UserRecord,
};
use chrono::{DateTime, Duration, TimeZone, Utc};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).single().unwrap()
}

fn tenant(name: &str, partner: bool) -> TenantRecord {
    TenantRecord {
        id: TenantId::new(),
        name: name.into(),
        domain: format!("{}.example", name.to_lowercase().replace(' ', "-")),
        country: CountryCode::parse("KR").unwrap(),
        cloud: Cloud::Public,
        is_partner: partner,
        created_at: t0(),
    }
}

fn request(partner: TenantId, hash: &str) -> RequestRecord {
    RequestRecord {
        tenant_id: partner,
        id: RequestId::new(),
        token_hash: hash.into(),
        types: vec![PartnerType::Reseller],
        ask: AdminAsk::Granular {
            roles: vec![DirectoryRole::UserAdmin],
            duration_days: 30,
            auto_extend: true,
        },
        customer_email: Some("a@b.example".into()),
        status: RequestStatus::Pending,
        created_by: UserId::new(),
        created_at: t0(),
        expires_at: t0() + Duration::days(90),
        resolved_at: None,
        resolved_by_tenant: None,
        resolved_by_user: None,
    }
}

fn relationship(customer: &TenantRecord, partner: &TenantRecord) -> RelationshipRecord {
    RelationshipRecord {
        tenant_id: customer.id,
        partner_id: partner.id,
        id: RelationshipId::new(),
        partner_name: partner.name.clone(),
        customer_name: customer.name.clone(),
        types: BTreeSet::from([PartnerType::Reseller]),
        grant: Some(AdminGrant {
            roles: vec![DirectoryRole::GlobalAdmin],
            starts_at: t0(),
            ends_at: None,
            auto_extend: false,
            terminated_at: None,
        }),
        status: RelationshipStatus::Active,
        created_at: t0(),
        updated_at: t0(),
    }
}

async fn records_round_trip(store: &dyn Store) {
    let p = tenant("Partner", true);
    let c = tenant("Customer", false);
    let mut tx = store.write().await.unwrap();
    tx.insert_tenant(&p).await.unwrap();
    tx.insert_tenant(&c).await.unwrap();
    let u = UserRecord {
        tenant_id: c.id,
        id: UserId::new(),
        email: "ga@customer.example".into(),
        display_name: "GA".into(),
        password_hash: "$argon2id$x".into(),
        roles: vec![
            Role::Directory(DirectoryRole::GlobalAdmin),
            Role::Directory(DirectoryRole::BillingAdmin),
        ],
        disabled: false,
        created_at: t0(),
    };
    tx.insert_user(&u).await.unwrap();
    let r = request(p.id, "h1");
    tx.insert_request(&r).await.unwrap();
    let rel = relationship(&c, &p);
    tx.upsert_relationship(&rel).await.unwrap();
    tx.commit().await.unwrap();

    let mut tx = store.read().await.unwrap();
    assert_eq!(tx.tenant(p.id).await.unwrap(), Some(p.clone()));
    assert_eq!(
        tx.tenant_by_domain(&c.domain).await.unwrap(),
        Some(c.clone())
    );
    assert_eq!(
        tx.user_by_email("ga@customer.example").await.unwrap(),
        Some(u.clone())
    );
    assert_eq!(tx.user(c.id, u.id).await.unwrap(), Some(u));
    assert_eq!(
        tx.request_by_token_hash(p.id, "h1").await.unwrap(),
        Some(r.clone())
    );
    assert_eq!(tx.request(p.id, r.id).await.unwrap(), Some(r.clone()));
    assert_eq!(
        tx.request(c.id, r.id).await.unwrap(),
        None,
        "keyed by the owning tenant"
    );
    assert_eq!(tx.relationship(c.id, p.id).await.unwrap(), Some(rel));
    assert!(tx.has_tenants().await.unwrap());
}

async fn unique_keys_are_conflicts(store: &dyn Store) {
    let a = tenant("Alpha", false);
    let mut tx = store.write().await.unwrap();
    tx.insert_tenant(&a).await.unwrap();
    tx.commit().await.unwrap();
    let mut dup = tenant("Beta", false);
    dup.domain = a.domain.clone();
    let mut tx = store.write().await.unwrap();
    assert!(matches!(
        tx.insert_tenant(&dup).await,
        Err(StoreError::Conflict(_))
    ));
    drop(tx);

    // E-mail addresses are unique across tenants.
    let b = tenant("Gamma", false);
    let user = |t: TenantId| UserRecord {
        tenant_id: t,
        id: UserId::new(),
        email: "same@example.com".into(),
        display_name: "Same".into(),
        password_hash: "$argon2id$x".into(),
        roles: vec![Role::Directory(DirectoryRole::User)],
        disabled: false,
        created_at: t0(),
    };
    let mut tx = store.write().await.unwrap();
    tx.insert_tenant(&b).await.unwrap();
    let first = user(a.id);
    tx.insert_user(&first).await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = store.write().await.unwrap();
    assert!(matches!(
        tx.insert_user(&user(b.id)).await,
        Err(StoreError::Conflict(_))
    ));
    drop(tx);
    let mut tx = store.read().await.unwrap();
    assert_eq!(
        tx.user_by_email("same@example.com").await.unwrap(),
        Some(first)
    );
}

async fn dropped_transactions_roll_back(store: &dyn Store) {
    let a = tenant("Gone", false);
    {
        let mut tx = store.write().await.unwrap();
        tx.insert_tenant(&a).await.unwrap();
    }
    let mut tx = store.read().await.unwrap();
    assert_eq!(tx.tenant(a.id).await.unwrap(), None);
}

async fn a_request_resolves_once(store: &dyn Store) {
    let p = tenant("P", true);
    let r = request(p.id, "once");
    let mut tx = store.write().await.unwrap();
    tx.insert_tenant(&p).await.unwrap();
    tx.insert_request(&r).await.unwrap();
    tx.commit().await.unwrap();
    let res = |status| RequestResolution {
        status,
        at: t0(),
        by_tenant: p.id,
        by_user: UserId::new(),
    };
    let mut tx = store.write().await.unwrap();
    assert!(tx
        .resolve_request(p.id, r.id, &res(RequestStatus::Accepted))
        .await
        .unwrap());
    tx.commit().await.unwrap();
    let mut tx = store.write().await.unwrap();
    assert!(!tx
        .resolve_request(p.id, r.id, &res(RequestStatus::Revoked))
        .await
        .unwrap());
    drop(tx);
    let mut tx = store.read().await.unwrap();
    assert_eq!(
        tx.request(p.id, r.id).await.unwrap().unwrap().status,
        RequestStatus::Accepted
    );
}

async fn upserts_keep_one_row_per_pair(store: &dyn Store) {
    let p = tenant("UP", true);
    let c = tenant("UC", false);
    let mut rel = relationship(&c, &p);
    let mut tx = store.write().await.unwrap();
    tx.insert_tenant(&p).await.unwrap();
    tx.insert_tenant(&c).await.unwrap();
    tx.upsert_relationship(&rel).await.unwrap();
    rel.types.insert(PartnerType::Lob);
    if let Some(g) = rel.grant.as_mut() {
        g.terminated_at = Some(t0() + Duration::days(1));
    }
    rel.updated_at = t0() + Duration::days(1);
    tx.upsert_relationship(&rel).await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = store.read().await.unwrap();
    assert_eq!(tx.relationship(c.id, p.id).await.unwrap(), Some(rel));
    assert_eq!(tx.list_partners(c.id, None, 10).await.unwrap().len(), 1);
}

async fn acceptances_are_recorded_once_per_version(store: &dyn Store) {
    let c = tenant("Acc", false);
    let mut tx = store.write().await.unwrap();
    tx.insert_tenant(&c).await.unwrap();
    let a = tx
        .insert_agreement("Customer Agreement", "text", t0())
        .await
        .unwrap();
    assert_eq!(a.version, 1);
    assert_eq!(
        tx.insert_agreement("Customer Agreement", "v2", t0())
            .await
            .unwrap()
            .version,
        2
    );
    let rec = AcceptanceRecord {
        tenant_id: c.id,
        id: uuid::Uuid::now_v7(),
        version: 2,
        user_id: UserId::new(),
        user_name: "N".into(),
        user_email: "n@acc.example".into(),
        accepted_at: t0(),
        client_addr: "127.0.0.1".into(),
    };
    assert!(tx.insert_acceptance(&rec).await.unwrap());
    assert!(!tx
        .insert_acceptance(&AcceptanceRecord {
            id: uuid::Uuid::now_v7(),
            ..rec.clone()
        })
        .await
        .unwrap());
    tx.commit().await.unwrap();
    let mut tx = store.read().await.unwrap();
    assert_eq!(tx.current_agreement().await.unwrap().unwrap().version, 2);
    assert_eq!(tx.acceptance(c.id, 2).await.unwrap(), Some(rec));
    assert_eq!(tx.acceptance(c.id, 1).await.unwrap(), None);
}

async fn customers_page_by_name_with_literal_search(store: &dyn Store) {
    let p = tenant("Pager", true);
    let mut tx = store.write().await.unwrap();
    tx.insert_tenant(&p).await.unwrap();
    let mut names = vec!["b_c", "B%x", "Abc", "abd", "Zed", "b_c"];
    for (i, n) in names.iter().enumerate() {
        let mut c = tenant(&format!("{n}{i}"), false);
        c.name = (*n).to_string();
        tx.insert_tenant(&c).await.unwrap();
        tx.upsert_relationship(&relationship(&c, &p)).await.unwrap();
    }
    tx.commit().await.unwrap();
    names.sort();
    let mut seen = Vec::new();
    let mut after = None;
    let mut tx = store.read().await.unwrap();
    loop {
        let page = tx
            .list_customers(p.id, None, after.clone(), 2)
            .await
            .unwrap();
        if page.is_empty() {
            break;
        }
        after = page.last().map(|r| (r.customer_name.clone(), r.tenant_id));
        seen.extend(page.into_iter().map(|r| r.customer_name));
    }
    assert_eq!(seen, names, "byte order, ties broken by id, nothing twice");
    let found = tx.list_customers(p.id, Some("_"), None, 10).await.unwrap();
    assert_eq!(found.len(), 2, "_ is literal");
    let found = tx.list_customers(p.id, Some("b%"), None, 10).await.unwrap();
    assert_eq!(found.len(), 1, "% is literal, case-insensitive");
    let found = tx.list_customers(p.id, Some("AB"), None, 10).await.unwrap();
    assert_eq!(found.len(), 2);
}

/// 16 transactions race to consume one request through `a` and `b` in turn; exactly one
/// wins. With two stores on one database (as two processes or two nodes would have), each
/// has its own pool and writer connection, so only the database's own constraints and
/// locks can make exactly one of them win; with `a` = `b` the race is within one pool.
async fn race_for_one_request(a: &'static SqlStore, b: &'static SqlStore) {
    let p = tenant("Racer", true);
    let r = request(p.id, "two-nodes");
    let mut tx = a.write().await.unwrap();
    tx.insert_tenant(&p).await.unwrap();
    tx.insert_request(&r).await.unwrap();
    tx.commit().await.unwrap();
    let mut tasks = Vec::new();
    for i in 0..16 {
        let store: &'static SqlStore = if i % 2 == 0 { a } else { b };
        let (pid, rid) = (p.id, r.id);
        tasks.push(tokio::spawn(async move {
            let mut tx = store.write().await.unwrap();
            // Read first, as the use cases do, then the conditional update.
            tx.request(pid, rid).await.unwrap().unwrap();
            let res = RequestResolution {
                status: RequestStatus::Accepted,
                at: t0(),
                by_tenant: pid,
                by_user: UserId::new(),
            };
            let won = tx.resolve_request(pid, rid, &res).await.unwrap();
            tx.commit().await.unwrap();
            won
        }));
    }
    let mut winners = 0;
    for t in tasks {
        winners += usize::from(t.await.unwrap());
    }
    assert_eq!(winners, 1);
}

macro_rules! conformance_tests {
    ($($name:ident),+) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let (store, _db) = accord_test_support::fresh_store().await;
                super::$name(&store).await;
            }
        )+

        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn concurrent_resolutions_have_one_winner() {
            let (store, _db) = accord_test_support::fresh_store().await;
            let store: &'static super::SqlStore = Box::leak(Box::new(store));
            super::race_for_one_request(store, store).await;
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn two_stores_race_for_one_request() {
            let db = accord_test_support::fresh_db().await;
            let a: &'static super::SqlStore = Box::leak(Box::new(db.open().await));
            let b: &'static super::SqlStore = Box::leak(Box::new(db.open().await));
            super::race_for_one_request(a, b).await;
        }
    };
}

/// Every test runs on the backend selected by ACCORD_TEST_BACKEND (scripts/test runs both).
mod on_backend {
    conformance_tests!(
        records_round_trip,
        unique_keys_are_conflicts,
        dropped_transactions_roll_back,
        a_request_resolves_once,
        upserts_keep_one_row_per_pair,
        acceptances_are_recorded_once_per_version,
        customers_page_by_name_with_literal_search
    );
}

/// The durability settings are applied to every connection: FULL / on by default, and a
/// weaker value only when asked for.
#[tokio::test]
async fn durability_settings_are_applied() {
    let db = accord_test_support::fresh_db().await;
    let weaker = {
        let mut o = db.options.clone();
        o.sqlite_synchronous = "NORMAL".into();
        o.pg_synchronous_commit = "off".into();
        o
    };
    let strict = db.open().await;
    if db.is_postgres() {
        let q = "SELECT CAST(CASE current_setting('synchronous_commit') WHEN 'on' THEN 1 ELSE 0 END AS BIGINT)";
        assert_eq!(
            strict.scalar_i64(q).await.unwrap(),
            1,
            "synchronous_commit=on by default"
        );
        let loose = SqlStore::open(&weaker).await.unwrap();
        assert_eq!(loose.scalar_i64(q).await.unwrap(), 0, "off when asked for");
    } else {
        assert_eq!(
            strict.scalar_i64("PRAGMA synchronous").await.unwrap(),
            2,
            "FULL by default"
        );
        let wal = strict
            .scalar_i64("SELECT CAST(COUNT(*) AS BIGINT) FROM pragma_journal_mode WHERE journal_mode = 'wal'")
            .await
            .unwrap();
        assert_eq!(wal, 1, "WAL mode");
        let loose = SqlStore::open(&weaker).await.unwrap();
        assert_eq!(
            loose.scalar_i64("PRAGMA synchronous").await.unwrap(),
            1,
            "NORMAL when asked for"
        );
    }
}
