//! The change feed and the outbox.

use accord_domain::TenantId;
use accord_store::prelude::*;
use accord_store::*;
use chrono::Duration;

use crate::*;

fn change(t: TenantId, key: &str) -> NewChange {
    NewChange {
        tenant_id: t,
        kind: "test.changed".into(),
        key: key.into(),
    }
}

pub async fn changes_are_numbered_and_pruned(store: &SqlStore) {
    let t = tenant("Feed", false);
    let mut tx = store.write().await.unwrap();
    tx.insert_tenant(&t).await.unwrap();
    let (start, _) = tx.feed_bounds().await.unwrap();
    let last = tx
        .append_changes(t0(), &[change(t.id, "a"), change(t.id, "b")])
        .await
        .unwrap();
    assert_eq!(last, start + 2);
    tx.commit().await.unwrap();

    // A rolled-back append leaves no gap and no rows.
    let mut tx = store.write().await.unwrap();
    tx.append_changes(t0(), &[change(t.id, "lost")])
        .await
        .unwrap();
    drop(tx);
    let mut tx = store.write().await.unwrap();
    let last = tx
        .append_changes(t0() + Duration::hours(2), &[change(t.id, "c")])
        .await
        .unwrap();
    assert_eq!(last, start + 3, "numbers are only taken by commits");
    tx.commit().await.unwrap();

    let mut tx = store.read().await.unwrap();
    let rows = tx.changes_after(start, 10).await.unwrap();
    let keys: Vec<_> = rows.iter().map(|r| (r.seq, r.key.as_str())).collect();
    assert_eq!(
        keys,
        vec![(start + 1, "a"), (start + 2, "b"), (start + 3, "c")]
    );
    assert_eq!(rows[0].tenant_id, t.id);
    assert_eq!(tx.changes_after(start + 1, 1).await.unwrap().len(), 1);
    assert_eq!(tx.feed_bounds().await.unwrap().0, start + 3);
    drop(tx);

    // Pruning drops old rows and keeps the newest, so the head stays known.
    let mut tx = store.write().await.unwrap();
    let n = tx.prune_changes(t0() + Duration::hours(10)).await.unwrap();
    assert!(n >= 2, "{n}");
    tx.commit().await.unwrap();
    let mut tx = store.read().await.unwrap();
    let (head, oldest) = tx.feed_bounds().await.unwrap();
    assert_eq!((head, oldest), (start + 3, Some(start + 3)));
}

/// Two stores (as two nodes) append concurrently; a reader that polls `seq > last`
/// meanwhile never sees a number before a smaller one has committed.
pub async fn changes_commit_in_order(a: &'static SqlStore, b: &'static SqlStore) {
    let t = tenant("Order", false);
    let mut tx = a.write().await.unwrap();
    tx.insert_tenant(&t).await.unwrap();
    let (start, _) = tx.feed_bounds().await.unwrap();
    tx.commit().await.unwrap();
    let id = t.id;
    let writers: Vec<_> = (0..40)
        .map(|i| {
            let store: &'static SqlStore = if i % 2 == 0 { a } else { b };
            tokio::spawn(async move {
                let mut tx = store.write().await.unwrap();
                tx.append_changes(t0(), &[change(id, &i.to_string())])
                    .await
                    .unwrap();
                tokio::task::yield_now().await;
                tx.commit().await.unwrap();
            })
        })
        .collect();
    let reader = tokio::spawn(async move {
        let mut last = start;
        let mut seen = Vec::new();
        while seen.len() < 40 {
            let mut tx = a.read().await.unwrap();
            for r in tx.changes_after(last, 100).await.unwrap() {
                assert_eq!(r.seq, last + 1, "a follower would have skipped a change");
                last = r.seq;
                seen.push(r.seq);
            }
            drop(tx);
            tokio::task::yield_now().await;
        }
        seen
    });
    for w in writers {
        w.await.unwrap();
    }
    let seen = reader.await.unwrap();
    assert_eq!(seen, ((start + 1)..=(start + 40)).collect::<Vec<_>>());
}

pub async fn outbox_rows_wait_for_delivery(store: &SqlStore) {
    let t = tenant("Outbox", false);
    let m = OutboxRecord::new(
        t.id,
        "email",
        serde_json::json!({"to": "a@outbox.example", "subject": "Hello"}),
        t0(),
    );
    let mut tx = store.write().await.unwrap();
    tx.insert_tenant(&t).await.unwrap();
    tx.insert_outbox(&m).await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = store.read().await.unwrap();
    assert_eq!(tx.pending_outbox(t.id, 10).await.unwrap(), vec![m]);
}

/// A due message is claimed by one sender at a time, leased, retried and then either
/// delivered or given up; nothing is claimed twice while leased.
pub async fn outbox_messages_are_leased_retried_and_settled(store: &SqlStore) {
    let t = tenant("Leases", false);
    let a = OutboxRecord::new(t.id, "email", serde_json::json!({"n": 1}), t0());
    let b = OutboxRecord::new(
        t.id,
        "email",
        serde_json::json!({"n": 2}),
        t0() + Duration::seconds(1),
    );
    let hook = OutboxRecord::new(t.id, "webhook", serde_json::json!({}), t0());
    let mut tx = store.write().await.unwrap();
    tx.insert_tenant(&t).await.unwrap();
    for m in [&a, &b, &hook] {
        tx.insert_outbox(m).await.unwrap();
    }
    tx.commit().await.unwrap();

    let lease = t0() + Duration::minutes(5);
    // Before b is due, only a; only e-mail.
    let mut tx = store.write().await.unwrap();
    let got = tx.claim_outbox("email", t0(), lease, 10).await.unwrap();
    assert_eq!(got.iter().map(|m| m.id).collect::<Vec<_>>(), vec![a.id]);
    assert_eq!(got[0].attempts, 1);
    tx.commit().await.unwrap();
    // Leased: a second sender gets b only.
    let now = t0() + Duration::seconds(2);
    let mut tx = store.write().await.unwrap();
    let got = tx.claim_outbox("email", now, lease, 10).await.unwrap();
    assert_eq!(got.iter().map(|m| m.id).collect::<Vec<_>>(), vec![b.id]);
    tx.outbox_delivered(t.id, b.id, now, &serde_json::json!({"n": "kept"}))
        .await
        .unwrap();
    tx.outbox_retry(
        t.id,
        a.id,
        now + Duration::seconds(30),
        "connection refused",
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let mut tx = store.write().await.unwrap();
    assert!(tx
        .claim_outbox("email", now + Duration::seconds(29), lease, 10)
        .await
        .unwrap()
        .is_empty());
    let got = tx
        .claim_outbox("email", now + Duration::seconds(30), lease, 10)
        .await
        .unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].attempts, 2);
    assert_eq!(got[0].last_error.as_deref(), Some("connection refused"));
    tx.outbox_failed(t.id, a.id, now, "550 no such user", &serde_json::json!({}))
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let mut tx = store.read().await.unwrap();
    let pending = tx.pending_outbox(t.id, 10).await.unwrap();
    assert_eq!(
        pending.len(),
        2,
        "the failed one and the webhook stay undelivered"
    );
    let counts = tx.outbox_counts().await.unwrap();
    assert_eq!((counts.waiting, counts.failed), (1, 1));
    let failed = tx.failed_outbox(10).await.unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].id, a.id);
    assert_eq!(failed[0].failed_at, Some(now));
    assert_eq!(failed[0].payload, serde_json::json!({}));
    drop(tx);
    let mut tx = store.write().await.unwrap();
    assert!(tx
        .claim_outbox("email", now + Duration::days(1), lease, 10)
        .await
        .unwrap()
        .is_empty());
}
