//! A stored value that cannot be read back is an error, never a default.

use accord_store::prelude::*;
use accord_store::*;

use crate::*;

pub async fn unreadable_values_are_errors(store: &SqlStore) {
    let p = tenant("CorruptP", true);
    let c = tenant("CorruptC", false);
    let mut tx = store.write().await.unwrap();
    tx.insert_tenant(&p).await.unwrap();
    tx.insert_tenant(&c).await.unwrap();
    tx.upsert_relationship(&relationship(&c, &p)).await.unwrap();
    tx.commit().await.unwrap();
    let read = || async {
        let mut tx = store.read().await.unwrap();
        tx.relationship(c.id, p.id).await
    };
    assert!(read().await.unwrap().is_some());

    for (sql, what) in [
        ("UPDATE relationships SET admin_starts_at = NULL", "a grant without a start"),
        ("UPDATE relationships SET admin_starts_at = 0, status = 'paused'", "an unknown status"),
        ("UPDATE relationships SET status = 'active', types = 'reseller,nonsense'", "an unknown partner type"),
        ("UPDATE relationships SET types = 'reseller', admin_auto_extend = 7", "a flag that is neither 0 nor 1"),
        ("UPDATE relationships SET admin_auto_extend = 0, admin_roles = 'global_admin,superuser'", "an unknown role"),
    ] {
        store.execute_for_tests(sql).await.unwrap();
        match read().await {
            Err(StoreError::Corrupt(m)) => eprintln!("{what}: {m}"),
            other => panic!("{what}: expected Corrupt, got {other:?}"),
        }
    }
    store
        .execute_for_tests("UPDATE tenants SET cloud = 'moon'")
        .await
        .unwrap();
    let mut tx = store.read().await.unwrap();
    assert!(matches!(tx.tenant(p.id).await, Err(StoreError::Corrupt(_))));
}
