//! The store conformance suite: behaviour every backend must share. Each test gets a fresh
//! database. Written against `&dyn Store` so the same functions run on every backend.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

use std::collections::BTreeSet;

use accord_domain::{
    AdminAsk, AdminGrant, Cloud, CountryCode, DirectoryRole, PartnerType, RelationshipId,
    RelationshipStatus, RequestId, RequestStatus, TenantId, UserId,
};
use accord_store::{RelationshipRecord, RequestRecord, SqlStore, TenantRecord};
use chrono::{DateTime, Duration, TimeZone, Utc};

mod agreements;
mod commerce;
mod corrupt;
mod credentials;
mod directory;
mod feed;
mod listings;
mod oem;
mod relationships;
mod requests;
mod tenants;

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).single().unwrap()
}

pub fn tenant(name: &str, partner: bool) -> TenantRecord {
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

pub fn request(partner: TenantId, hash: &str) -> RequestRecord {
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

pub fn relationship(customer: &TenantRecord, partner: &TenantRecord) -> RelationshipRecord {
    RelationshipRecord {
        tenant_id: customer.id,
        partner_id: partner.id,
        id: RelationshipId::new(),
        partner_name: partner.name.clone(),
        customer_name: customer.name.clone(),
        types: BTreeSet::from([PartnerType::Reseller]),
        grant: Some(AdminGrant {
            roles: vec![DirectoryRole::GlobalAdmin],
            requested: vec![DirectoryRole::GlobalAdmin],
            pending: Vec::new(),
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

macro_rules! conformance_tests {
    ($($module:ident :: $name:ident),+ $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let (store, _db) = accord_test_support::fresh_store().await;
                crate::$module::$name(&store).await;
            }
        )+

        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn concurrent_resolutions_have_one_winner() {
            let (store, _db) = accord_test_support::fresh_store().await;
            let store: &'static SqlStore = Box::leak(Box::new(store));
            crate::requests::race_for_one_request(store, store).await;
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn two_stores_race_for_one_request() {
            let db = accord_test_support::fresh_db().await;
            let a: &'static SqlStore = Box::leak(Box::new(db.open().await));
            let b: &'static SqlStore = Box::leak(Box::new(db.open().await));
            crate::requests::race_for_one_request(a, b).await;
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn concurrent_writers_number_changes_in_commit_order() {
            let db = accord_test_support::fresh_db().await;
            let a: &'static SqlStore = Box::leak(Box::new(db.open().await));
            let b: &'static SqlStore = Box::leak(Box::new(db.open().await));
            crate::feed::changes_commit_in_order(a, b).await;
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn two_stores_race_for_one_idempotency_key() {
            let db = accord_test_support::fresh_db().await;
            let a: &'static SqlStore = Box::leak(Box::new(db.open().await));
            let b: &'static SqlStore = Box::leak(Box::new(db.open().await));
            crate::commerce::race_for_one_idempotency_key(a, b).await;
        }

        #[tokio::test]
        async fn unreadable_values_are_errors_never_defaults() {
            let (store, _db) = accord_test_support::fresh_store().await;
            crate::corrupt::unreadable_values_are_errors(&store).await;
        }
    };
}

/// Every test runs on the backend selected by ACCORD_TEST_BACKEND (scripts/test runs both).
mod on_backend {
    use accord_store::SqlStore;

    conformance_tests!(
        tenants::records_round_trip,
        tenants::unique_keys_are_conflicts,
        tenants::dropped_transactions_roll_back,
        tenants::reads_cannot_write,
        credentials::credentials_are_found_and_revoked_by_hash,
        credentials::audit_and_regions_round_trip,
        requests::a_request_resolves_once,
        requests::a_link_creates_one_organisation,
        relationships::upserts_keep_one_row_per_pair,
        relationships::customers_page_by_name_with_literal_search,
        relationships::names_are_found_in_any_script,
        agreements::acceptances_are_recorded_once_per_version,
        feed::changes_are_numbered_and_pruned,
        feed::outbox_rows_wait_for_delivery,
        feed::outbox_messages_are_leased_retried_and_settled,
        requests::pending_signups_confirm_once,
        tenants::offered_types_are_replaced_whole,
        relationships::support_contacts_are_one_per_relationship,
        commerce::subscriptions_round_trip,
        commerce::idempotency_keys_are_taken_once,
        commerce::the_trail_is_read_by_relationship,
        commerce::service_requests_round_trip,
        oem::devices_round_trip,
        oem::apps_round_trip,
        directory::users_page_change_and_delete,
        directory::licences_stay_within_seats,
        directory::assignments_and_grants_for_the_index,
        directory::grants_keep_what_was_asked,
        directory::delegated_actions_filter_and_page,
        directory::guest_accounts_round_trip,
        listings::profiles_round_trip,
        listings::leads_page_count_and_link,
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
