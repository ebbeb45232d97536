//! Devices and line-of-business apps.

use accord_domain::{AppId, AppVersionId, AppVersionStatus, DeviceId};
use accord_store::prelude::*;
use accord_store::{constraint, AppRecord, AppVersionRecord, DeviceRecord, SqlStore, StoreError};
use chrono::Duration;

use crate::{t0, tenant};

fn device(
    customer: &accord_store::TenantRecord,
    partner: &accord_store::TenantRecord,
    serial: &str,
) -> DeviceRecord {
    DeviceRecord {
        tenant_id: customer.id,
        id: DeviceId::new(),
        partner_id: partner.id,
        upload_id: uuid::Uuid::now_v7(),
        serial_number: serial.into(),
        product_id: None,
        hardware_hash: format!("hash-of-{serial}"),
        hardware_hash_sha256: format!("digest-{serial}"),
        uploaded_by_name: "Uploader".into(),
        created_at: t0(),
    }
}

/// Devices newest first, by partner, paged; a serial number or hash digest once per
/// customer (named conflicts), found again by value.
pub async fn devices_round_trip(store: &SqlStore) {
    let c = tenant("Device Customer", false);
    let d = tenant("Device Customer Two", false);
    let p = tenant("Oem Partner", true);
    let q = tenant("Oem Other", true);
    let mut tx = store.write().await.unwrap();
    for t in [&c, &d, &p, &q] {
        tx.insert_tenant(t).await.unwrap();
    }
    let mut first = device(&c, &p, "S-1");
    first.product_id = Some("PID-1".into());
    tx.insert_devices(&[first.clone(), device(&c, &q, "S-2"), device(&c, &p, "S-3")])
        .await
        .unwrap();
    // Another customer may hold the same device.
    tx.insert_devices(&[device(&d, &p, "S-1")]).await.unwrap();
    tx.commit().await.unwrap();

    let mut tx = store.write().await.unwrap();
    let mut same_serial = device(&c, &q, "S-1");
    same_serial.hardware_hash_sha256 = "digest-new".into();
    let e = tx.insert_devices(&[same_serial]).await.unwrap_err();
    assert!(
        matches!(e, StoreError::Conflict(ref n) if n == constraint::DEVICE_SERIAL),
        "{e:?}"
    );
    drop(tx);
    let mut tx = store.write().await.unwrap();
    let mut same_hash = device(&c, &q, "S-9");
    same_hash.hardware_hash_sha256 = "digest-S-2".into();
    let e = tx.insert_devices(&[same_hash]).await.unwrap_err();
    assert!(
        matches!(e, StoreError::Conflict(ref n) if n == constraint::DEVICE_HASH),
        "{e:?}"
    );
    drop(tx);

    let mut tx = store.read().await.unwrap();
    let all = tx.list_devices(c.id, None, None, 10).await.unwrap();
    let serials: Vec<&str> = all
        .iter()
        .map(|r| r.device.serial_number.as_str())
        .collect();
    assert_eq!(serials, ["S-3", "S-2", "S-1"]);
    assert_eq!(all[2].device, first);
    assert_eq!(all[1].partner_name, "Oem Other");
    let mine = tx.list_devices(c.id, Some(p.id), None, 10).await.unwrap();
    assert_eq!(mine.len(), 2);
    let page = tx
        .list_devices(c.id, None, Some(all[0].device.id), 1)
        .await
        .unwrap();
    assert_eq!(page[0].device.serial_number, "S-2");
    let found = tx
        .registered_devices(
            c.id,
            &["S-1".into(), "NEW".into()],
            &["digest-S-3".into(), "digest-none".into()],
        )
        .await
        .unwrap();
    assert_eq!(
        found,
        vec![
            ("S-1".to_string(), "digest-S-1".to_string()),
            ("S-3".to_string(), "digest-S-3".to_string())
        ]
    );
}

fn version(app: &AppRecord, label: &str, minutes: i64) -> AppVersionRecord {
    AppVersionRecord {
        tenant_id: app.tenant_id,
        app_id: app.id,
        id: AppVersionId::new(),
        version: label.into(),
        package_url: format!("https://apps.example/{label}"),
        status: AppVersionStatus::Draft,
        note: String::new(),
        created_at: t0() + Duration::minutes(minutes),
        decided_at: None,
        decided_by_name: String::new(),
    }
}

/// Apps with their versions newest first; a version label once per app; status moves
/// are compare-and-set and record the decision; an app retires once.
pub async fn apps_round_trip(store: &SqlStore) {
    let c = tenant("App Customer", false);
    let p = tenant("Lob Partner", true);
    let q = tenant("Lob Other", true);
    let mut tx = store.write().await.unwrap();
    for t in [&c, &p, &q] {
        tx.insert_tenant(t).await.unwrap();
    }
    let app = |partner: &accord_store::TenantRecord, name: &str| AppRecord {
        tenant_id: c.id,
        id: AppId::new(),
        partner_id: partner.id,
        name: name.into(),
        description: "Does things.".into(),
        created_by_name: "Maker".into(),
        retired_at: None,
        created_at: t0(),
        updated_at: t0(),
    };
    let a = app(&p, "Orders");
    let b = app(&q, "Stock");
    tx.insert_app(&a).await.unwrap();
    tx.insert_app(&b).await.unwrap();
    let v1 = version(&a, "1.0", 1);
    let v2 = version(&a, "1.1", 2);
    tx.insert_app_version(&v1).await.unwrap();
    tx.insert_app_version(&v2).await.unwrap();
    tx.insert_app_version(&version(&b, "1.0", 3)).await.unwrap();
    tx.commit().await.unwrap();

    let mut tx = store.write().await.unwrap();
    let e = tx
        .insert_app_version(&version(&a, "1.0", 4))
        .await
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Conflict(ref n) if n == constraint::APP_VERSION_LABEL),
        "{e:?}"
    );
    drop(tx);

    let at = t0() + Duration::hours(1);
    let mut tx = store.write().await.unwrap();
    use AppVersionStatus::*;
    assert!(tx
        .set_app_version_status(c.id, a.id, v2.id, Draft, PendingApproval, at, None)
        .await
        .unwrap());
    assert!(
        !tx.set_app_version_status(c.id, a.id, v2.id, Draft, PendingApproval, at, None)
            .await
            .unwrap(),
        "only from the status it is in"
    );
    assert!(tx
        .set_app_version_status(
            c.id,
            a.id,
            v2.id,
            PendingApproval,
            Rejected,
            at,
            Some(("Lee", "Broken"))
        )
        .await
        .unwrap());
    assert!(tx.retire_app(c.id, b.id, at).await.unwrap());
    assert!(!tx.retire_app(c.id, b.id, at).await.unwrap());
    tx.commit().await.unwrap();

    let mut tx = store.read().await.unwrap();
    let got = tx.app(c.id, a.id).await.unwrap().unwrap();
    assert_eq!(got.partner_name, "Lob Partner");
    assert_eq!(got.customer_name, "App Customer");
    assert_eq!(got.app.updated_at, at);
    let labels: Vec<&str> = got.versions.iter().map(|v| v.version.as_str()).collect();
    assert_eq!(labels, ["1.1", "1.0"]);
    assert_eq!(got.versions[0].status, Rejected);
    assert_eq!(got.versions[0].note, "Broken");
    assert_eq!(got.versions[0].decided_by_name, "Lee");
    assert_eq!(got.versions[0].decided_at, Some(at));
    assert_eq!(got.versions[1], v1);
    let all = tx.list_apps(c.id, None, None, 10).await.unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].app.name, "Stock");
    assert_eq!(all[0].app.retired_at, Some(at));
    assert_eq!(all[0].versions.len(), 1);
    let mine = tx.list_apps(c.id, Some(p.id), None, 10).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert!(tx.app(c.id, AppId::new()).await.unwrap().is_none());
    let next = tx
        .list_apps(c.id, None, Some(all[0].app.id), 10)
        .await
        .unwrap();
    assert_eq!(next.len(), 1);
    assert_eq!(next[0].app.name, "Orders");
}
