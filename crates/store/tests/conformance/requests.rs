//! Relationship requests: single use, under concurrency too.

use accord_domain::*;
use accord_store::prelude::*;
use accord_store::*;

use crate::*;

pub async fn a_request_resolves_once(store: &dyn Store) {
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

/// 16 transactions race to consume one request through `a` and `b` in turn; exactly one
/// wins. With two stores on one database (as two processes or two nodes would have), each
/// has its own pool and writer connection, so only the database's own constraints and
/// locks can make exactly one of them win; with `a` = `b` the race is within one pool.
pub async fn race_for_one_request(a: &'static SqlStore, b: &'static SqlStore) {
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

pub async fn a_link_creates_one_organisation(store: &SqlStore) {
    let p = tenant("Linker", true);
    let c1 = tenant("First Org", false);
    let c2 = tenant("Second Org", false);
    let r = request(p.id, "signup-link");
    let mut tx = store.write().await.unwrap();
    for t in [&p, &c1, &c2] {
        tx.insert_tenant(t).await.unwrap();
    }
    tx.insert_request(&r).await.unwrap();
    assert_eq!(tx.signup_of_request(p.id, r.id).await.unwrap(), None);
    tx.record_signup(p.id, r.id, c1.id, t0()).await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = store.write().await.unwrap();
    let e = tx.record_signup(p.id, r.id, c2.id, t0()).await.unwrap_err();
    assert_eq!(e.constraint(), Some(constraint::SIGNUP_REQUEST), "{e}");
    drop(tx);
    let mut tx = store.read().await.unwrap();
    assert_eq!(tx.signup_of_request(p.id, r.id).await.unwrap(), Some(c1.id));
}

/// A pending sign-up is found by its code within its partner only, confirmed once, and
/// pruned after it expires.
pub async fn pending_signups_confirm_once(store: &SqlStore) {
    let p = tenant("Pending Partner", true);
    let other = tenant("Other Partner", true);
    let r = request(p.id, "pending-link");
    let signup = |code: &str, expires: chrono::DateTime<chrono::Utc>| PendingSignupRecord {
        tenant_id: p.id,
        code_hash: code.into(),
        request_id: r.id,
        org_name: "Éclair Ödön".into(),
        domain: "eclair.example".into(),
        country: "KR".into(),
        admin_name: "Ödön".into(),
        admin_email: "odon@eclair.example".into(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$x$y".into(),
        created_at: t0(),
        expires_at: expires,
    };
    let live = signup("live-code", t0() + Duration::hours(24));
    let stale = signup("stale-code", t0() + Duration::hours(1));
    let mut tx = store.write().await.unwrap();
    for t in [&p, &other] {
        tx.insert_tenant(t).await.unwrap();
    }
    tx.insert_request(&r).await.unwrap();
    tx.insert_pending_signup(&live).await.unwrap();
    tx.insert_pending_signup(&stale).await.unwrap();
    tx.commit().await.unwrap();

    let mut tx = store.read().await.unwrap();
    assert_eq!(
        tx.pending_signup(p.id, "live-code").await.unwrap(),
        Some(live.clone())
    );
    assert_eq!(
        tx.pending_signup(other.id, "live-code").await.unwrap(),
        None
    );
    drop(tx);
    let mut tx = store.write().await.unwrap();
    assert_eq!(
        tx.prune_pending_signups(t0() + Duration::hours(2))
            .await
            .unwrap(),
        1
    );
    assert!(tx.delete_pending_signup(p.id, "live-code").await.unwrap());
    assert!(!tx.delete_pending_signup(p.id, "live-code").await.unwrap());
    tx.commit().await.unwrap();
    let mut tx = store.read().await.unwrap();
    assert_eq!(tx.pending_signup(p.id, "stale-code").await.unwrap(), None);
}
