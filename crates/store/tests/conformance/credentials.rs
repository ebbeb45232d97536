//! Sessions and access tokens: what the caches rely on.

use accord_domain::{TenantId, UserId};
use accord_store::prelude::*;
use accord_store::*;
use chrono::Duration;

use crate::*;

fn user(t: TenantId) -> UserRecord {
    UserRecord {
        tenant_id: t,
        id: UserId::new(),
        email: format!("{}@creds.example", uuid::Uuid::now_v7().simple()),
        display_name: "U".into(),
        password_hash: "$argon2id$x".into(),
        roles: vec![],
        disabled: false,
        password_temporary: false,
        created_at: t0(),
    }
}

pub async fn credentials_are_found_and_revoked_by_hash(store: &SqlStore) {
    let t = tenant("Creds", false);
    let (a, b) = (user(t.id), user(t.id));
    let session = |u: &UserRecord, h: &str| SessionRecord {
        token_hash: h.into(),
        tenant_id: t.id,
        user_id: u.id,
        csrf_token: "csrf".into(),
        created_at: t0(),
        expires_at: t0() + Duration::hours(12),
    };
    let token = |u: &UserRecord, h: &str| ApiTokenRecord {
        token_hash: h.into(),
        tenant_id: t.id,
        id: uuid::Uuid::now_v7(),
        user_id: u.id,
        name: "t".into(),
        created_at: t0(),
        expires_at: None,
    };
    let mut tx = store.write().await.unwrap();
    tx.insert_tenant(&t).await.unwrap();
    tx.insert_user(&a).await.unwrap();
    tx.insert_user(&b).await.unwrap();
    for (u, h) in [(&a, "s1"), (&a, "s2"), (&b, "s3")] {
        tx.insert_session(&session(u, h)).await.unwrap();
    }
    let (t1, t2, t3) = (token(&a, "k1"), token(&a, "k2"), token(&b, "k3"));
    for k in [&t1, &t2, &t3] {
        tx.insert_api_token(k).await.unwrap();
    }
    tx.commit().await.unwrap();
    // A failed statement ends a PostgreSQL transaction: the conflict gets its own.
    let mut tx = store.write().await.unwrap();
    let same_secret = ApiTokenRecord {
        id: uuid::Uuid::now_v7(),
        ..t1.clone()
    };
    let e = tx.insert_api_token(&same_secret).await.unwrap_err();
    assert_eq!(e.constraint(), Some(constraint::API_TOKEN), "{e}");
    drop(tx);

    let mut tx = store.read().await.unwrap();
    assert_eq!(
        tx.session(t.id, "s1").await.unwrap(),
        Some(session(&a, "s1"))
    );
    assert_eq!(
        tx.session(TenantId::new(), "s1").await.unwrap(),
        None,
        "keyed by tenant"
    );
    assert_eq!(tx.api_token(t.id, "k2").await.unwrap(), Some(t2.clone()));
    assert_eq!(tx.list_api_tokens(t.id, a.id).await.unwrap().len(), 2);
    drop(tx);

    // Deleting tells which tokens went (the caches drop them by hash).
    let mut tx = store.write().await.unwrap();
    let gone = tx.delete_api_tokens(t.id, a.id, Some(t1.id)).await.unwrap();
    assert_eq!(gone, vec![t1.clone()]);
    assert!(
        tx.delete_api_tokens(t.id, b.id, Some(t2.id))
            .await
            .unwrap()
            .is_empty(),
        "another user's token"
    );
    let gone = tx.delete_api_tokens(t.id, a.id, None).await.unwrap();
    assert_eq!(
        gone.iter()
            .map(|k| k.token_hash.as_str())
            .collect::<Vec<_>>(),
        vec!["k2"]
    );
    assert_eq!(tx.delete_user_sessions(t.id, a.id).await.unwrap(), 2);
    assert!(tx.delete_session(t.id, "s3").await.unwrap());
    assert!(!tx.delete_session(t.id, "s3").await.unwrap());
    tx.commit().await.unwrap();
    let mut tx = store.read().await.unwrap();
    assert_eq!(tx.api_token(t.id, "k3").await.unwrap(), Some(t3));
    assert_eq!(tx.session(t.id, "s2").await.unwrap(), None);
}

pub async fn audit_and_regions_round_trip(store: &SqlStore) {
    let t = tenant("Audited", false);
    let e = AuditRecord {
        tenant_id: t.id,
        id: uuid::Uuid::now_v7(),
        at: t0(),
        actor_kind: "user".into(),
        actor_tenant_id: Some(t.id),
        actor_user_id: Some(UserId::new()),
        acting_for: Some(TenantId::new()),
        counterpart_id: None,
        request_id: Some("req-1".into()),
        action: "thing.done".into(),
        subject_type: "thing".into(),
        subject_id: "42".into(),
        details: serde_json::json!({"n": 1, "s": "한빛"}),
    };
    let mut tx = store.write().await.unwrap();
    tx.insert_tenant(&t).await.unwrap();
    tx.insert_audit(&e).await.unwrap();
    tx.insert_operator_event(&AuditRecord {
        actor_kind: "local_operator".into(),
        actor_tenant_id: None,
        actor_user_id: None,
        ..e.clone()
    })
    .await
    .unwrap();
    let before = tx.region_of("JP").await.unwrap();
    tx.set_region("JP", "japan").await.unwrap();
    tx.set_region("ZZ", "nowhere").await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = store.read().await.unwrap();
    assert_eq!(tx.list_audit(t.id, 10).await.unwrap(), vec![e.clone()]);
    assert_eq!(
        tx.latest_audit(t.id, &e.action, &e.subject_id)
            .await
            .unwrap(),
        Some(e.clone())
    );
    assert_eq!(
        tx.latest_audit(t.id, "other.action", &e.subject_id)
            .await
            .unwrap(),
        None
    );
    let ops = tx.list_operator_events(10).await.unwrap();
    assert_eq!(ops[0].actor_kind, "local_operator");
    assert_eq!(ops[0].request_id.as_deref(), Some("req-1"));
    assert_eq!(ops[0].acting_for, None);
    assert_eq!(before.as_deref(), Some("asia_pacific"));
    assert_eq!(tx.region_of("JP").await.unwrap().as_deref(), Some("japan"));
    assert!(tx
        .list_regions()
        .await
        .unwrap()
        .contains(&("ZZ".into(), "nowhere".into())));
}
