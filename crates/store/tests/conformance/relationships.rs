//! Relationships: one row per pair, paged by name, searched in any script.

use accord_domain::*;
use accord_store::prelude::*;
use accord_store::*;
use chrono::Duration;

use crate::*;

pub async fn upserts_keep_one_row_per_pair(store: &dyn Store) {
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

pub async fn customers_page_by_name_with_literal_search(store: &dyn Store) {
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

/// Names are compared in their Unicode lower-case form on every backend (SQLite's
/// `LOWER` alone only knows ASCII).
pub async fn names_are_found_in_any_script(store: &SqlStore) {
    let p = tenant("Scripts", true);
    let mut tx = store.write().await.unwrap();
    tx.insert_tenant(&p).await.unwrap();
    for (i, n) in ["Éclair Ödön Ltd", "한빛 유통", "ΣΟΦΙΑ", "Straße GmbH"]
        .iter()
        .enumerate()
    {
        let mut c = tenant(&format!("script{i}"), false);
        c.name = (*n).to_string();
        tx.insert_tenant(&c).await.unwrap();
        tx.upsert_relationship(&relationship(&c, &p)).await.unwrap();
    }
    tx.commit().await.unwrap();
    let mut tx = store.read().await.unwrap();
    for (q, n) in [
        ("ÉCLAIR", "Éclair Ödön Ltd"),
        ("éclair ödön", "Éclair Ödön Ltd"),
        ("ÖDÖN", "Éclair Ödön Ltd"),
        ("유통", "한빛 유통"),
        ("σοφια", "ΣΟΦΙΑ"),
        ("STRASSE", "Straße GmbH"),
        ("STRAßE", "Straße GmbH"),
        ("E\u{301}CLAIR", "Éclair Ödön Ltd"),
    ] {
        let found: Vec<String> = tx
            .list_customers(p.id, Some(q), None, 10)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.customer_name)
            .collect();
        let want: Vec<String> = if n.is_empty() {
            vec![]
        } else {
            vec![n.to_string()]
        };
        assert_eq!(found, want, "{q}");
    }
}

/// One support contact per relationship, replaced when named again; a tenant's users are
/// listed by name.
pub async fn support_contacts_are_one_per_relationship(store: &SqlStore) {
    let c = tenant("Supported Customer", false);
    let p = tenant("Supporting Partner", true);
    let mut tx = store.write().await.unwrap();
    for t in [&c, &p] {
        tx.insert_tenant(t).await.unwrap();
    }
    assert_eq!(tx.support_contact(c.id, p.id).await.unwrap(), None);
    let (a, b) = (UserId::new(), UserId::new());
    tx.set_support_contact(c.id, p.id, a, t0()).await.unwrap();
    tx.set_support_contact(c.id, p.id, b, t0()).await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = store.read().await.unwrap();
    assert_eq!(tx.support_contact(c.id, p.id).await.unwrap(), Some(b));
    assert_eq!(tx.support_contact(p.id, c.id).await.unwrap(), None);
    assert!(tx.list_users(p.id, 10).await.unwrap().is_empty());
}
