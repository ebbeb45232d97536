//! Agreement versions and acceptances.

use accord_domain::*;
use accord_store::prelude::*;
use accord_store::*;

use crate::*;

pub async fn acceptances_are_recorded_once_per_version(store: &dyn Store) {
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
    assert_eq!(tx.acceptance(c.id, 2).await.unwrap(), Some(rec.clone()));
    assert_eq!(tx.acceptance(c.id, 1).await.unwrap(), None);
    assert_eq!(tx.acceptances_of(c.id).await.unwrap(), vec![rec]);
}
