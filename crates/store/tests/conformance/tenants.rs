//! Tenants, users and the sign-in directory.

use accord_domain::*;
use accord_store::prelude::*;
use accord_store::*;

use crate::*;

pub async fn records_round_trip(store: &dyn Store) {
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
        password_temporary: false,
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

pub async fn unique_keys_are_conflicts(store: &dyn Store) {
    let a = tenant("Alpha", false);
    let mut tx = store.write().await.unwrap();
    tx.insert_tenant(&a).await.unwrap();
    tx.commit().await.unwrap();
    let mut dup = tenant("Beta", false);
    dup.domain = a.domain.clone();
    let mut tx = store.write().await.unwrap();
    let e = tx.insert_tenant(&dup).await.unwrap_err();
    assert_eq!(e.constraint(), Some(constraint::TENANT_DOMAIN), "{e}");
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
        password_temporary: false,
        created_at: t0(),
    };
    let mut tx = store.write().await.unwrap();
    tx.insert_tenant(&b).await.unwrap();
    let first = user(a.id);
    tx.insert_user(&first).await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = store.write().await.unwrap();
    let e = tx.insert_user(&user(b.id)).await.unwrap_err();
    assert_eq!(e.constraint(), Some(constraint::USER_EMAIL), "{e}");
    drop(tx);
    let mut tx = store.read().await.unwrap();
    assert_eq!(
        tx.user_by_email("same@example.com").await.unwrap(),
        Some(first)
    );
}

pub async fn dropped_transactions_roll_back(store: &dyn Store) {
    let a = tenant("Gone", false);
    {
        let mut tx = store.write().await.unwrap();
        tx.insert_tenant(&a).await.unwrap();
    }
    let mut tx = store.read().await.unwrap();
    assert_eq!(tx.tenant(a.id).await.unwrap(), None);
}

/// A read transaction's type has no write method, and the backend refuses writes on its
/// connection as well (SQLite `query_only`, PostgreSQL `READ ONLY`).
pub async fn reads_cannot_write(store: &SqlStore) {
    let a = tenant("Readonly", false);
    let mut tx = store.write().await.unwrap();
    tx.insert_tenant(&a).await.unwrap();
    tx.commit().await.unwrap();
    let err = store
        .execute_for_tests_on_reader("UPDATE tenants SET name = 'changed'")
        .await;
    assert!(err.is_err(), "a reader connection wrote");
    let mut tx = store.read().await.unwrap();
    assert_eq!(tx.tenant(a.id).await.unwrap().unwrap().name, "Readonly");
}

/// The operator's choice of the types a partner may offer: none set means the default;
/// setting replaces.
pub async fn offered_types_are_replaced_whole(store: &SqlStore) {
    let p = tenant("Offering Partner", true);
    let mut tx = store.write().await.unwrap();
    tx.insert_tenant(&p).await.unwrap();
    assert_eq!(tx.offered_types(p.id).await.unwrap(), None);
    tx.set_offered_types(p.id, &[PartnerType::Mpsa, PartnerType::Reseller])
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut tx = store.write().await.unwrap();
    assert_eq!(
        tx.offered_types(p.id).await.unwrap(),
        Some(vec![PartnerType::Reseller, PartnerType::Mpsa])
    );
    tx.set_offered_types(p.id, &[PartnerType::Lob])
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut tx = store.read().await.unwrap();
    assert_eq!(
        tx.offered_types(p.id).await.unwrap(),
        Some(vec![PartnerType::Lob])
    );
}
