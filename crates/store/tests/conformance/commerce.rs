//! Products, subscriptions, idempotency keys, and the trail read by relationship.

use accord_domain::{Billing, Cloud, SubscriptionId, SubscriptionStatus, UserId};
use accord_store::prelude::*;
use accord_store::{AuditRecord, IdempotencyRecord, ProductRecord, SqlStore, SubscriptionRecord};
use chrono::Duration;

use crate::{t0, tenant};

fn product(sku: &str, clouds: &[Cloud], retired: bool) -> ProductRecord {
    ProductRecord {
        sku: sku.into(),
        name: format!("Product {sku}"),
        billing: Billing::PerSeat,
        max_quantity: 300,
        clouds: clouds.to_vec(),
        retired,
        created_at: t0(),
        updated_at: t0(),
    }
}

/// The catalogue by cloud, subscriptions newest first with their names, filtered by
/// partner and paged, updates, and active ones of a partner.
pub async fn subscriptions_round_trip(store: &SqlStore) {
    let c = tenant("Sub Customer", false);
    let p = tenant("Sub Partner", true);
    let q = tenant("Other Seller", true);
    let mut tx = store.write().await.unwrap();
    for t in [&c, &p, &q] {
        tx.insert_tenant(t).await.unwrap();
    }
    tx.upsert_product(&product("A-1", &[Cloud::Public], false))
        .await
        .unwrap();
    tx.upsert_product(&product("B-2", &[Cloud::Public, Cloud::Usgov], false))
        .await
        .unwrap();
    tx.upsert_product(&product("C-3", &[Cloud::Public], true))
        .await
        .unwrap();
    // Replacing keeps one row.
    tx.upsert_product(&ProductRecord {
        name: "Renamed".into(),
        ..product("A-1", &[Cloud::Public], false)
    })
    .await
    .unwrap();
    let mut subs = Vec::new();
    for (i, (partner, sku)) in [(&p, "A-1"), (&q, "B-2"), (&p, "B-2")].iter().enumerate() {
        let s = SubscriptionRecord {
            tenant_id: c.id,
            id: SubscriptionId::new(),
            partner_id: partner.id,
            sku: (*sku).into(),
            quantity: 5 + i as u32,
            status: SubscriptionStatus::Active,
            created_by: UserId::new(),
            created_at: t0(),
            updated_at: t0(),
            cancelled_at: None,
        };
        tx.insert_subscription(&s).await.unwrap();
        subs.push(s);
    }
    tx.commit().await.unwrap();

    let mut tx = store.read().await.unwrap();
    let public: Vec<String> = tx
        .list_products(Some(Cloud::Public), None, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.sku)
        .collect();
    assert_eq!(public, vec!["A-1", "B-2"], "retired products are not sold");
    let gov = tx
        .list_products(Some(Cloud::Usgov), None, 10)
        .await
        .unwrap();
    assert_eq!(gov.len(), 1);
    assert_eq!(
        tx.list_products(None, Some("A-1"), 10).await.unwrap().len(),
        2
    );
    assert_eq!(tx.product("A-1").await.unwrap().unwrap().name, "Renamed");

    let all = tx.list_subscriptions(c.id, None, None, 10).await.unwrap();
    let ids: Vec<_> = all.iter().map(|r| r.sub.id).collect();
    assert_eq!(
        ids,
        vec![subs[2].id, subs[1].id, subs[0].id],
        "newest first"
    );
    assert_eq!(all[1].partner_name, "Other Seller");
    assert_eq!(all[2].product_name, "Renamed");
    let mine = tx
        .list_subscriptions(c.id, Some(p.id), None, 10)
        .await
        .unwrap();
    assert_eq!(mine.len(), 2);
    let page2 = tx
        .list_subscriptions(c.id, None, Some(subs[2].id), 1)
        .await
        .unwrap();
    assert_eq!(page2[0].sub, subs[1]);
    drop(tx);

    let mut tx = store.write().await.unwrap();
    let cancelled = SubscriptionRecord {
        status: SubscriptionStatus::Cancelled,
        cancelled_at: Some(t0() + Duration::hours(1)),
        updated_at: t0() + Duration::hours(1),
        ..subs[0].clone()
    };
    assert!(tx.update_subscription(&cancelled).await.unwrap());
    assert!(!tx
        .update_subscription(&SubscriptionRecord {
            id: SubscriptionId::new(),
            ..cancelled.clone()
        })
        .await
        .unwrap());
    tx.commit().await.unwrap();
    let mut tx = store.read().await.unwrap();
    assert_eq!(
        tx.subscription(c.id, subs[0].id)
            .await
            .unwrap()
            .unwrap()
            .sub,
        cancelled
    );
    let active = tx.active_subscriptions(c.id, p.id, 10).await.unwrap();
    assert_eq!(active.len(), 1);
    assert_eq!(active[0].sub.id, subs[2].id);
    // Keyed by the customer: another tenant finds nothing.
    assert_eq!(tx.subscription(p.id, subs[0].id).await.unwrap(), None);
}

/// A key is taken once per organisation; a stale one is taken anew.
pub async fn idempotency_keys_are_taken_once(store: &SqlStore) {
    let a = tenant("Keyed A", true);
    let b = tenant("Keyed B", true);
    let mut tx = store.write().await.unwrap();
    tx.insert_tenant(&a).await.unwrap();
    tx.insert_tenant(&b).await.unwrap();
    let rec = |t: &accord_store::TenantRecord, res: &str, at| IdempotencyRecord {
        tenant_id: t.id,
        key: "k".into(),
        fingerprint: format!("f-{res}"),
        resource_id: res.into(),
        created_at: at,
    };
    let long_ago = t0() - Duration::hours(48);
    assert_eq!(
        tx.claim_idempotency_key(&rec(&a, "1", t0()), long_ago)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        tx.claim_idempotency_key(&rec(&a, "2", t0()), long_ago)
            .await
            .unwrap(),
        Some(rec(&a, "1", t0())),
        "the first use answers"
    );
    assert_eq!(
        tx.claim_idempotency_key(&rec(&b, "3", t0()), long_ago)
            .await
            .unwrap(),
        None,
        "keys are per organisation"
    );
    let later = t0() + Duration::hours(25);
    assert_eq!(
        tx.claim_idempotency_key(&rec(&a, "4", later), later - Duration::hours(24))
            .await
            .unwrap(),
        None,
        "a stale key is forgotten"
    );
    tx.commit().await.unwrap();
}

/// Two transactions race for one key: one takes it, the other sees its outcome.
pub async fn race_for_one_idempotency_key(a: &'static SqlStore, b: &'static SqlStore) {
    let t = tenant("Racing Keys", true);
    let mut tx = a.write().await.unwrap();
    tx.insert_tenant(&t).await.unwrap();
    tx.commit().await.unwrap();
    let mut tasks = Vec::new();
    for (i, store) in [a, b, a, b].into_iter().enumerate() {
        let id = t.id;
        tasks.push(tokio::spawn(async move {
            let mut tx = store.write().await.unwrap();
            let got = tx
                .claim_idempotency_key(
                    &IdempotencyRecord {
                        tenant_id: id,
                        key: "race".into(),
                        fingerprint: "same".into(),
                        resource_id: i.to_string(),
                        created_at: t0(),
                    },
                    t0() - Duration::hours(24),
                )
                .await
                .unwrap();
            tx.commit().await.unwrap();
            got
        }));
    }
    let mut firsts = 0;
    let mut seen = std::collections::HashSet::new();
    for task in tasks {
        match task.await.unwrap() {
            None => firsts += 1,
            Some(r) => {
                seen.insert(r.resource_id);
            }
        }
    }
    assert_eq!(firsts, 1, "one transaction takes the key");
    assert!(seen.len() <= 1, "the others all see the same first use");
}

/// A trail read by the other organisation of each event, newest first, page by page.
pub async fn the_trail_is_read_by_relationship(store: &SqlStore) {
    let c = tenant("Trail Customer", false);
    let p = tenant("Trail Partner", true);
    let q = tenant("Trail Other", true);
    let mut tx = store.write().await.unwrap();
    for t in [&c, &p, &q] {
        tx.insert_tenant(t).await.unwrap();
    }
    let mut ids = Vec::new();
    for (i, other) in [Some(p.id), Some(q.id), None, Some(p.id)]
        .iter()
        .enumerate()
    {
        let e = AuditRecord {
            tenant_id: c.id,
            id: uuid::Uuid::now_v7(),
            at: t0() + Duration::seconds(i as i64),
            actor_kind: "system".into(),
            actor_tenant_id: None,
            actor_user_id: None,
            acting_for: None,
            counterpart_id: *other,
            request_id: None,
            action: format!("a.{i}"),
            subject_type: "x".into(),
            subject_id: i.to_string(),
            details: serde_json::json!({}),
        };
        tx.insert_audit(&e).await.unwrap();
        ids.push(e.id);
    }
    tx.commit().await.unwrap();
    let mut tx = store.read().await.unwrap();
    let all = tx.audit_page(c.id, None, None, 10).await.unwrap();
    assert_eq!(all.len(), 4);
    assert_eq!(all[0].action, "a.3");
    let with_p = tx.audit_page(c.id, Some(p.id), None, 1).await.unwrap();
    assert_eq!(with_p[0].action, "a.3");
    assert_eq!(with_p[0].counterpart_id, Some(p.id));
    let next = tx
        .audit_page(c.id, Some(p.id), Some(with_p[0].id), 10)
        .await
        .unwrap();
    assert_eq!(next.len(), 1);
    assert_eq!(next[0].action, "a.0");
    assert!(tx
        .audit_page(p.id, None, None, 10)
        .await
        .unwrap()
        .is_empty());
}

/// Service requests by customer, by partner and customer, and as the provider's queue;
/// a status moves only from the status it is in; comments come back in order.
pub async fn service_requests_round_trip(store: &SqlStore) {
    use accord_domain::{ServiceRequestId, ServiceRequestStatus, Severity};
    use accord_store::{CommentRecord, ServiceRequestFilter, ServiceRequestRecord};
    let c = tenant("Case Customer", false);
    let p = tenant("Case Partner", true);
    let q = tenant("Case Other", true);
    let mut tx = store.write().await.unwrap();
    for t in [&c, &p, &q] {
        tx.insert_tenant(t).await.unwrap();
    }
    let mut ids = Vec::new();
    for (partner, status) in [
        (&p, ServiceRequestStatus::New),
        (&q, ServiceRequestStatus::New),
        (&p, ServiceRequestStatus::Resolved),
    ] {
        let r = ServiceRequestRecord {
            tenant_id: c.id,
            id: ServiceRequestId::new(),
            partner_id: partner.id,
            title: "Mail stopped".into(),
            description: "Since 9:00.\n한글".into(),
            severity: Severity::High,
            status,
            opened_by: UserId::new(),
            opened_by_name: "Kim".into(),
            created_at: t0(),
            updated_at: t0(),
        };
        tx.insert_service_request(&r).await.unwrap();
        ids.push(r.id);
    }
    for body in ["first", "second"] {
        tx.insert_comment(&CommentRecord {
            tenant_id: c.id,
            request_id: ids[0],
            id: uuid::Uuid::now_v7(),
            author_kind: "operator".into(),
            author_name: "Olivia".into(),
            body: body.into(),
            created_at: t0() + Duration::minutes(5),
        })
        .await
        .unwrap();
    }
    assert!(tx
        .set_service_request_status(
            c.id,
            ids[1],
            ServiceRequestStatus::New,
            ServiceRequestStatus::InProgress,
            t0()
        )
        .await
        .unwrap());
    assert!(
        !tx.set_service_request_status(
            c.id,
            ids[1],
            ServiceRequestStatus::New,
            ServiceRequestStatus::Closed,
            t0()
        )
        .await
        .unwrap(),
        "no longer new"
    );
    tx.commit().await.unwrap();
    let mut tx = store.read().await.unwrap();
    let all = tx
        .list_service_requests(ServiceRequestFilter::Customer(c.id), None, 10)
        .await
        .unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(all[0].req.id, ids[2], "newest first");
    assert_eq!(all[2].customer_name, "Case Customer");
    let theirs = tx
        .list_service_requests(
            ServiceRequestFilter::PartnerCustomer {
                partner: p.id,
                customer: c.id,
            },
            None,
            10,
        )
        .await
        .unwrap();
    assert_eq!(theirs.len(), 2);
    assert!(theirs.iter().all(|r| r.partner_name == "Case Partner"));
    let queue = tx
        .list_service_requests(
            ServiceRequestFilter::Queue(Some(ServiceRequestStatus::New)),
            None,
            10,
        )
        .await
        .unwrap();
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0].req.id, ids[0]);
    let page2 = tx
        .list_service_requests(ServiceRequestFilter::Queue(None), Some(ids[2]), 10)
        .await
        .unwrap();
    assert_eq!(page2.len(), 2);
    let one = tx.service_request(c.id, ids[0]).await.unwrap().unwrap();
    assert_eq!(
        one.req.updated_at,
        t0() + Duration::minutes(5),
        "a comment updates it"
    );
    assert_eq!(one.req.description, "Since 9:00.\n한글");
    let comments = tx.comments(c.id, ids[0], 10).await.unwrap();
    let bodies: Vec<&str> = comments.iter().map(|c| c.body.as_str()).collect();
    assert_eq!(bodies, vec!["first", "second"]);
    assert_eq!(tx.service_request(p.id, ids[0]).await.unwrap(), None);
}
