//! The partner directory's records: profiles (one per partner, replaced whole, listed with
//! the partner's cloud when published) and leads (paged newest first, counted per sender
//! for the rate limit, linked to a request and then to a customer).

use accord_domain::{
    Cloud, CountryCode, Industry, Language, LeadStatus, Locale, OrgSize, PartnerProfile,
    PartnerType, RequestId, Service, UserId,
};
use accord_store::prelude::*;
use accord_store::{LeadRecord, LeadSender, ProfileRecord, SqlStore, TenantRecord};
use chrono::Duration;

use crate::{t0, tenant};

fn profile(name: &str, published: bool) -> PartnerProfile {
    PartnerProfile {
        name: name.into(),
        description: "클라우드 이전과 보안.\nCloud migration, security.".into(),
        country: CountryCode::parse("KR").unwrap(),
        city: "서울".into(),
        org_sizes: vec![OrgSize::Micro, OrgSize::Enterprise],
        services: vec![Service::CloudMigration, Service::Security],
        keywords: vec!["Azure, AD".into(), "엔트라".into()],
        industries: vec![Industry::Retail],
        types: vec![PartnerType::Reseller, PartnerType::DelegatedAdmin],
        contact_email: "sales@p.example".into(),
        languages: vec![Language::Ko, Language::En],
        published,
    }
}

fn lead(partner: &TenantRecord, batch: uuid::Uuid, minutes: i64, email: &str) -> LeadRecord {
    LeadRecord {
        partner_id: partner.id,
        id: uuid::Uuid::now_v7(),
        batch_id: batch,
        name: "이서준".into(),
        email: email.into(),
        phone: "+82 2-123-4567".into(),
        organisation: "Hanbit".into(),
        org_size: OrgSize::Small,
        country: CountryCode::parse("KR").unwrap(),
        message: "도움이 필요합니다".into(),
        locale: Locale::Ko,
        client_address: "192.0.2.7".into(),
        status: LeadStatus::New,
        request_id: None,
        customer_id: None,
        created_at: t0() + Duration::minutes(minutes),
        updated_at: t0() + Duration::minutes(minutes),
    }
}

pub async fn profiles_round_trip(store: &SqlStore) {
    let p = tenant("Listing One", true);
    let mut q = tenant("Listing Two", true);
    q.cloud = Cloud::Germany;
    let mut tx = store.write().await.unwrap();
    tx.insert_tenant(&p).await.unwrap();
    tx.insert_tenant(&q).await.unwrap();
    let by = UserId::new();
    let rec = ProfileRecord {
        partner_id: p.id,
        profile: profile("Listing One", true),
        updated_at: t0(),
        updated_by: by,
    };
    tx.upsert_profile(&rec).await.unwrap();
    tx.upsert_profile(&ProfileRecord {
        partner_id: q.id,
        profile: profile("Listing Two", false),
        updated_at: t0(),
        updated_by: by,
    })
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let mut tx = store.read().await.unwrap();
    assert_eq!(tx.profile(p.id).await.unwrap().unwrap(), rec);
    let listed = tx.published_profiles(None, 10).await.unwrap();
    assert_eq!(listed.len(), 1, "only published profiles are listed");
    assert_eq!(listed[0].cloud, Cloud::Public);
    assert_eq!(listed[0].profile, rec.profile);
    assert!(tx.listed_profile(q.id).await.unwrap().is_none());
    drop(tx);

    // Replaced whole; publishing lists it with its own cloud.
    let mut tx = store.write().await.unwrap();
    let mut two = profile("Listing Two, renamed", true);
    two.keywords.clear();
    two.industries.clear();
    tx.upsert_profile(&ProfileRecord {
        partner_id: q.id,
        profile: two.clone(),
        updated_at: t0() + Duration::minutes(1),
        updated_by: by,
    })
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let mut tx = store.read().await.unwrap();
    let listed = tx.listed_profile(q.id).await.unwrap().unwrap();
    assert_eq!((listed.cloud, listed.profile), (Cloud::Germany, two));
    let all = tx.published_profiles(None, 10).await.unwrap();
    assert_eq!(all.len(), 2);
    let first = tx.published_profiles(None, 1).await.unwrap();
    let rest = tx
        .published_profiles(Some(first[0].partner_id), 10)
        .await
        .unwrap();
    assert_eq!(rest.len(), 1);
    assert_ne!(rest[0].partner_id, first[0].partner_id);
}

pub async fn leads_page_count_and_link(store: &SqlStore) {
    let p = tenant("Lead Partner", true);
    let o = tenant("Lead Other", true);
    let c = tenant("Lead Customer", false);
    let batch = uuid::Uuid::now_v7();
    let other_batch = uuid::Uuid::now_v7();
    let mut tx = store.write().await.unwrap();
    for t in [&p, &o, &c] {
        tx.insert_tenant(t).await.unwrap();
    }
    let a = lead(&p, batch, 0, "lee@hanbit.example");
    let b = lead(&o, batch, 0, "lee@hanbit.example");
    let later = lead(&p, other_batch, 5, "kim@hanbit.example");
    for l in [&a, &b, &later] {
        tx.insert_lead(l).await.unwrap();
    }
    tx.commit().await.unwrap();

    let mut tx = store.read().await.unwrap();
    let inbox = tx.leads(p.id, None, None, 10).await.unwrap();
    assert_eq!(
        inbox.iter().map(|l| l.id).collect::<Vec<_>>(),
        vec![later.id, a.id],
        "newest first, the partner's own only"
    );
    assert_eq!(inbox[1], a);
    let page = tx.leads(p.id, None, None, 1).await.unwrap();
    let next = tx
        .leads(p.id, None, Some((page[0].created_at, page[0].id)), 10)
        .await
        .unwrap();
    assert_eq!(next.iter().map(|l| l.id).collect::<Vec<_>>(), vec![a.id]);
    assert!(tx.lead(o.id, a.id).await.unwrap().is_none());
    // One submission to two partners counts once.
    let sent = tx
        .lead_submissions_since(LeadSender::Address("192.0.2.7"), t0())
        .await
        .unwrap();
    assert_eq!(sent, vec![t0(), t0() + Duration::minutes(5)]);
    let sent = tx
        .lead_submissions_since(LeadSender::Email("lee@hanbit.example"), t0())
        .await
        .unwrap();
    assert_eq!(sent.len(), 1);
    let sent = tx
        .lead_submissions_since(
            LeadSender::Address("192.0.2.7"),
            t0() + Duration::minutes(1),
        )
        .await
        .unwrap();
    assert_eq!(sent.len(), 1);
    drop(tx);

    let request = RequestId::new();
    let mut tx = store.write().await.unwrap();
    assert!(tx
        .link_lead_request(p.id, a.id, request, t0() + Duration::hours(1))
        .await
        .unwrap());
    assert!(!tx
        .link_lead_request(o.id, later.id, request, t0())
        .await
        .unwrap());
    assert_eq!(
        tx.link_lead_customer(p.id, request, c.id, t0() + Duration::hours(2))
            .await
            .unwrap(),
        1
    );
    assert!(tx
        .set_lead_status(
            p.id,
            later.id,
            LeadStatus::Closed,
            t0() + Duration::hours(3)
        )
        .await
        .unwrap());
    tx.commit().await.unwrap();
    let mut tx = store.read().await.unwrap();
    let linked = tx.lead(p.id, a.id).await.unwrap().unwrap();
    assert_eq!(linked.status, LeadStatus::Contacted);
    assert_eq!(linked.request_id, Some(request));
    assert_eq!(linked.customer_id, Some(c.id));
    let closed = tx
        .leads(p.id, Some(LeadStatus::Closed), None, 10)
        .await
        .unwrap();
    assert_eq!(
        closed.iter().map(|l| l.id).collect::<Vec<_>>(),
        vec![later.id]
    );
    assert_eq!(
        tx.lead_counts(p.id).await.unwrap(),
        vec![(LeadStatus::Closed, 1), (LeadStatus::Contacted, 1)]
    );
}
