//! The customer's directory: users paged and changed, licences within seats, access
//! assignments, the grants the index loads, delegated actions filtered and paged.

use accord_domain::*;
use accord_store::prelude::*;
use accord_store::*;
use chrono::Duration;

use crate::*;

fn user(t: TenantId, name: &str, roles: &[DirectoryRole]) -> UserRecord {
    UserRecord {
        tenant_id: t,
        id: UserId::new(),
        email: format!("{}@dir.example", name.to_lowercase().replace(' ', ".")),
        display_name: name.into(),
        password_hash: "$argon2id$x".into(),
        roles: roles.iter().map(|r| Role::Directory(*r)).collect(),
        disabled: false,
        password_temporary: false,
        created_at: t0(),
    }
}

/// Users page by name with a search; updates, passwords and deletes touch one user and
/// everything hanging off it; Global admins are counted while enabled.
pub async fn users_page_change_and_delete(store: &SqlStore) {
    let c = tenant("Dir Customer", false);
    let other = tenant("Dir Other", false);
    let mut tx = store.write().await.unwrap();
    tx.insert_tenant(&c).await.unwrap();
    tx.insert_tenant(&other).await.unwrap();
    let ga = user(c.id, "Ada Admin", &[DirectoryRole::GlobalAdmin]);
    let mut bo = user(c.id, "Bo Berg", &[DirectoryRole::User]);
    let cy = user(c.id, "Cy Chen", &[DirectoryRole::User]);
    let stranger = user(other.id, "Ada Outsider", &[DirectoryRole::GlobalAdmin]);
    for u in [&ga, &bo, &cy, &stranger] {
        tx.insert_user(u).await.unwrap();
    }
    tx.insert_session(&SessionRecord {
        token_hash: "s-bo".into(),
        tenant_id: c.id,
        user_id: bo.id,
        csrf_token: "x".into(),
        created_at: t0(),
        expires_at: t0() + Duration::hours(1),
    })
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let mut tx = store.read().await.unwrap();
    let names = |v: Vec<UserRecord>| v.into_iter().map(|u| u.display_name).collect::<Vec<_>>();
    let first = tx.page_users(c.id, None, None, 2).await.unwrap();
    assert_eq!(names(first.clone()), ["Ada Admin", "Bo Berg"]);
    let last = first.last().unwrap();
    let rest = tx
        .page_users(c.id, None, Some((last.display_name.clone(), last.id)), 2)
        .await
        .unwrap();
    assert_eq!(names(rest), ["Cy Chen"]);
    assert_eq!(
        names(tx.page_users(c.id, Some("ADA"), None, 10).await.unwrap()),
        ["Ada Admin"]
    );
    assert_eq!(
        names(
            tx.page_users(c.id, Some("cy.chen@"), None, 10)
                .await
                .unwrap()
        ),
        ["Cy Chen"]
    );
    assert!(tx
        .page_users(c.id, Some("50%"), None, 10)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(tx.count_global_admins(c.id).await.unwrap(), 1);
    drop(tx);

    let mut tx = store.write().await.unwrap();
    bo.display_name = "Bo Bergström".into();
    bo.roles = vec![Role::Directory(DirectoryRole::GlobalAdmin)];
    assert!(tx.update_user(&bo, t0()).await.unwrap());
    assert!(tx
        .set_password(c.id, cy.id, "$argon2id$new", true, t0())
        .await
        .unwrap());
    assert!(!tx
        .set_password(c.id, UserId::new(), "$argon2id$new", true, t0())
        .await
        .unwrap());
    tx.commit().await.unwrap();
    let mut tx = store.read().await.unwrap();
    assert_eq!(tx.count_global_admins(c.id).await.unwrap(), 2);
    let cy_now = tx.user(c.id, cy.id).await.unwrap().unwrap();
    assert!(cy_now.password_temporary);
    assert_eq!(cy_now.password_hash, "$argon2id$new");
    drop(tx);

    let mut tx = store.write().await.unwrap();
    bo.disabled = true;
    tx.update_user(&bo, t0()).await.unwrap();
    assert!(tx.delete_user(c.id, bo.id).await.unwrap());
    assert!(!tx.delete_user(c.id, bo.id).await.unwrap());
    tx.commit().await.unwrap();
    let mut tx = store.read().await.unwrap();
    assert!(tx.user(c.id, bo.id).await.unwrap().is_none());
    assert!(tx.user_by_email(&bo.email).await.unwrap().is_none());
    assert!(tx.session(c.id, "s-bo").await.unwrap().is_none());
    assert_eq!(tx.count_global_admins(c.id).await.unwrap(), 1);
    // The address is free again.
    drop(tx);
    let mut tx = store.write().await.unwrap();
    tx.insert_user(&user(c.id, "Bo Berg", &[DirectoryRole::User]))
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// A seat is taken once per user and never beyond the subscription's quantity; removing
/// one frees it; deleting a user frees its seats.
pub async fn licences_stay_within_seats(store: &SqlStore) {
    let c = tenant("Seat Customer", false);
    let p = tenant("Seat Partner", true);
    let mut tx = store.write().await.unwrap();
    tx.insert_tenant(&c).await.unwrap();
    tx.insert_tenant(&p).await.unwrap();
    tx.upsert_product(&ProductRecord {
        sku: "SEAT-1".into(),
        name: "Seats".into(),
        billing: Billing::PerSeat,
        max_quantity: 10,
        clouds: vec![Cloud::Public],
        retired: false,
        created_at: t0(),
        updated_at: t0(),
    })
    .await
    .unwrap();
    let sub = SubscriptionRecord {
        tenant_id: c.id,
        id: SubscriptionId::new(),
        partner_id: p.id,
        sku: "SEAT-1".into(),
        quantity: 2,
        status: SubscriptionStatus::Active,
        created_by: UserId::new(),
        created_at: t0(),
        updated_at: t0(),
        cancelled_at: None,
    };
    tx.insert_subscription(&sub).await.unwrap();
    let users: Vec<UserRecord> = (0..3)
        .map(|i| user(c.id, &format!("Seat User {i}"), &[DirectoryRole::User]))
        .collect();
    for u in &users {
        tx.insert_user(u).await.unwrap();
    }
    let lic = |u: &UserRecord| LicenseRecord {
        tenant_id: c.id,
        subscription_id: sub.id,
        user_id: u.id,
        assigned_at: t0(),
        assigned_by: "Ada".into(),
    };
    assert_eq!(
        tx.assign_license(&lic(&users[0]), 2).await.unwrap(),
        LicenseOutcome::Assigned
    );
    assert_eq!(
        tx.assign_license(&lic(&users[0]), 2).await.unwrap(),
        LicenseOutcome::AlreadyHeld
    );
    assert_eq!(
        tx.assign_license(&lic(&users[1]), 2).await.unwrap(),
        LicenseOutcome::Assigned
    );
    assert_eq!(
        tx.assign_license(&lic(&users[2]), 2).await.unwrap(),
        LicenseOutcome::NoSeat
    );
    tx.commit().await.unwrap();
    let mut tx = store.write().await.unwrap();
    assert_eq!(tx.license_counts(c.id).await.unwrap(), vec![(sub.id, 2)]);
    assert_eq!(
        tx.licenses_of_user(c.id, users[0].id).await.unwrap(),
        vec![lic(&users[0])]
    );
    assert!(tx.remove_license(c.id, sub.id, users[0].id).await.unwrap());
    assert!(!tx.remove_license(c.id, sub.id, users[0].id).await.unwrap());
    assert!(tx.delete_user(c.id, users[1].id).await.unwrap());
    assert!(tx.license_counts(c.id).await.unwrap().is_empty());
    assert_eq!(
        tx.assign_license(&lic(&users[2]), 2).await.unwrap(),
        LicenseOutcome::Assigned
    );
    tx.commit().await.unwrap();
}

/// One assignment per (partner, customer, agent), replaced in place; listed by customer
/// and in full for the index; deleted by id within the partner only. Grants are listed
/// for the index only while the relationship is active.
pub async fn assignments_and_grants_for_the_index(store: &SqlStore) {
    let c = tenant("Assign Customer", false);
    let d = tenant("Assign Customer Two", false);
    let p = tenant("Assign Partner", true);
    let q = tenant("Assign Other", true);
    let mut tx = store.write().await.unwrap();
    for t in [&c, &d, &p, &q] {
        tx.insert_tenant(t).await.unwrap();
    }
    let agent = user(p.id, "Agent Ann", &[]);
    let other_agent = user(q.id, "Agent Olu", &[]);
    tx.insert_user(&agent).await.unwrap();
    tx.insert_user(&other_agent).await.unwrap();
    let a = AccessAssignmentRecord {
        partner_id: p.id,
        id: uuid::Uuid::now_v7(),
        customer_id: c.id,
        agent_id: agent.id,
        roles: vec![DirectoryRole::HelpdeskAdmin],
        created_by: "Pat".into(),
        created_at: t0(),
    };
    let stored = tx.upsert_access_assignment(&a).await.unwrap();
    assert_eq!(stored, a);
    let again = tx
        .upsert_access_assignment(&AccessAssignmentRecord {
            id: uuid::Uuid::now_v7(),
            roles: vec![DirectoryRole::UserAdmin, DirectoryRole::HelpdeskAdmin],
            ..a.clone()
        })
        .await
        .unwrap();
    assert_eq!(
        again.id, a.id,
        "the agent's assignment is replaced in place"
    );
    assert_eq!(again.roles.len(), 2);
    let b = AccessAssignmentRecord {
        customer_id: d.id,
        id: uuid::Uuid::now_v7(),
        ..a.clone()
    };
    tx.upsert_access_assignment(&b).await.unwrap();
    let o = AccessAssignmentRecord {
        partner_id: q.id,
        id: uuid::Uuid::now_v7(),
        agent_id: other_agent.id,
        ..a.clone()
    };
    tx.upsert_access_assignment(&o).await.unwrap();
    let rel = relationship(&c, &p);
    tx.upsert_relationship(&rel).await.unwrap();
    let ended = RelationshipRecord {
        status: RelationshipStatus::Ended,
        ..relationship(&d, &p)
    };
    tx.upsert_relationship(&ended).await.unwrap();
    let no_grant = RelationshipRecord {
        grant: None,
        ..relationship(&c, &q)
    };
    tx.upsert_relationship(&no_grant).await.unwrap();
    tx.commit().await.unwrap();

    let mut tx = store.write().await.unwrap();
    assert_eq!(tx.access_assignments(p.id, c.id).await.unwrap().len(), 1);
    assert_eq!(
        tx.agent_assignment(p.id, c.id, agent.id)
            .await
            .unwrap()
            .map(|x| x.id),
        Some(a.id)
    );
    assert!(tx
        .agent_assignment(q.id, c.id, agent.id)
        .await
        .unwrap()
        .is_none());
    let first = tx.all_access_assignments(None, 2).await.unwrap();
    let last = first.last().unwrap();
    let rest = tx
        .all_access_assignments(Some((last.partner_id, last.id)), 10)
        .await
        .unwrap();
    assert_eq!(first.len() + rest.len(), 3);
    let grants = tx.granted_relationships(None, 10).await.unwrap();
    assert_eq!(grants.len(), 1);
    assert_eq!(grants[0].grant, rel.grant);
    assert!(tx
        .granted_relationships(Some((c.id, p.id)), 10)
        .await
        .unwrap()
        .iter()
        .all(|g| (g.tenant_id, g.partner_id) > (c.id, p.id)));
    // Another partner cannot delete it by id.
    assert!(tx
        .delete_access_assignment(q.id, a.id)
        .await
        .unwrap()
        .is_none());
    assert_eq!(
        tx.delete_access_assignment(p.id, a.id)
            .await
            .unwrap()
            .map(|x| x.id),
        Some(a.id)
    );
    assert!(tx.access_assignments(p.id, c.id).await.unwrap().is_empty());
    // Clearing one (partner, customer) leaves the partner's other customers and the
    // other partner's assignments alone.
    let gone = tx.delete_access_assignments_of(p.id, d.id).await.unwrap();
    assert_eq!(gone.iter().map(|x| x.id).collect::<Vec<_>>(), vec![b.id]);
    assert!(tx.access_assignments(p.id, d.id).await.unwrap().is_empty());
    assert_eq!(tx.all_access_assignments(None, 10).await.unwrap().len(), 1);
    assert!(tx
        .delete_access_assignments_of(p.id, d.id)
        .await
        .unwrap()
        .is_empty());
    tx.commit().await.unwrap();
}

/// Partial approval and pending roles survive a round trip.
pub async fn grants_keep_what_was_asked(store: &SqlStore) {
    let c = tenant("Subset Customer", false);
    let p = tenant("Subset Partner", true);
    let mut tx = store.write().await.unwrap();
    tx.insert_tenant(&c).await.unwrap();
    tx.insert_tenant(&p).await.unwrap();
    let mut rel = relationship(&c, &p);
    rel.grant = Some(AdminGrant {
        roles: vec![],
        requested: vec![DirectoryRole::UserAdmin, DirectoryRole::LicenseAdmin],
        pending: vec![DirectoryRole::LicenseAdmin],
        starts_at: t0(),
        ends_at: Some(t0() + Duration::days(30)),
        auto_extend: true,
        terminated_at: None,
    });
    tx.upsert_relationship(&rel).await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = store.read().await.unwrap();
    assert_eq!(tx.relationship(c.id, p.id).await.unwrap(), Some(rel));
}

/// Delegated actions newest first, filtered by partner, agent, action and time, paged by
/// (time, id).
pub async fn delegated_actions_filter_and_page(store: &SqlStore) {
    let c = tenant("Activity Customer", false);
    let p = tenant("Activity Partner", true);
    let q = tenant("Activity Other", true);
    let mut tx = store.write().await.unwrap();
    for t in [&c, &p, &q] {
        tx.insert_tenant(t).await.unwrap();
    }
    let (agent, other) = (UserId::new(), UserId::new());
    let mut all = Vec::new();
    for i in 0..5 {
        let a = DelegatedActionRecord {
            tenant_id: c.id,
            id: uuid::Uuid::now_v7(),
            at: t0() + Duration::minutes(i / 2),
            partner_id: if i == 4 { q.id } else { p.id },
            partner_name: "Partner".into(),
            agent_id: if i == 3 { other } else { agent },
            agent_name: match i {
                3 => "Bae",
                4 => "Agent Kim",
                _ => "Agent",
            }
            .into(),
            agent_email: "agent@p.example".into(),
            action: if i % 2 == 0 {
                "user.created"
            } else {
                "user.password_reset"
            }
            .into(),
            target_type: "user".into(),
            target_id: format!("u{i}"),
            target_label: format!("User {i}"),
            roles_used: vec![DirectoryRole::UserAdmin],
            outcome: "succeeded".into(),
            error_code: (i == 1).then(|| "seats_exhausted".into()),
            request_id: Some(format!("req-{i}")),
        };
        tx.insert_delegated_action(&a).await.unwrap();
        all.push(a);
    }
    tx.commit().await.unwrap();
    let mut tx = store.read().await.unwrap();
    let ids =
        |v: Vec<DelegatedActionRecord>| v.into_iter().map(|a| a.target_id).collect::<Vec<_>>();
    let f = ActivityFilter::default();
    assert_eq!(
        ids(tx.delegated_actions(c.id, &f, None, 10).await.unwrap()),
        ["u4", "u3", "u2", "u1", "u0"]
    );
    let page = tx.delegated_actions(c.id, &f, None, 2).await.unwrap();
    let last = page.last().unwrap();
    assert_eq!(
        ids(tx
            .delegated_actions(c.id, &f, Some((last.at, last.id)), 2)
            .await
            .unwrap()),
        ["u2", "u1"]
    );
    let by = |f: ActivityFilter| f;
    assert_eq!(
        ids(tx
            .delegated_actions(
                c.id,
                &by(ActivityFilter {
                    partner: Some(p.id),
                    agent: Some(agent),
                    ..Default::default()
                }),
                None,
                10
            )
            .await
            .unwrap()),
        ["u2", "u1", "u0"]
    );
    assert_eq!(
        ids(tx
            .delegated_actions(
                c.id,
                &by(ActivityFilter {
                    action: Some("user.created".into()),
                    ..Default::default()
                }),
                None,
                10
            )
            .await
            .unwrap()),
        ["u4", "u2", "u0"]
    );
    assert_eq!(
        ids(tx
            .delegated_actions(
                c.id,
                &by(ActivityFilter {
                    from: Some(t0() + Duration::minutes(1)),
                    until: Some(t0() + Duration::minutes(2)),
                    ..Default::default()
                }),
                None,
                10
            )
            .await
            .unwrap()),
        ["u3", "u2"]
    );
    assert_eq!(
        tx.delegated_actions(c.id, &f, None, 10).await.unwrap()[3],
        all[1]
    );
    assert!(tx
        .delegated_actions(p.id, &f, None, 10)
        .await
        .unwrap()
        .is_empty());

    // The agents who acted, each once, under the names of its newest action.
    let agents = |v: Vec<ActivityAgentRecord>| {
        v.into_iter()
            .map(|a| (a.agent_id, a.agent_name, a.partner_id))
            .collect::<Vec<_>>()
    };
    let expected = vec![
        (agent, "Agent Kim".to_string(), q.id),
        (other, "Bae".to_string(), p.id),
    ];
    assert_eq!(
        agents(tx.activity_agents(c.id, 10).await.unwrap()),
        expected
    );
    assert_eq!(tx.activity_agents(c.id, 1).await.unwrap().len(), 1);
    assert!(tx.activity_agents(p.id, 10).await.unwrap().is_empty());
    drop(tx);
    // An action recorded with an older time does not bring back an older name.
    let mut tx = store.write().await.unwrap();
    tx.insert_delegated_action(&DelegatedActionRecord {
        id: uuid::Uuid::now_v7(),
        at: t0() - Duration::minutes(5),
        agent_name: "Old Name".into(),
        ..all[0].clone()
    })
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let mut tx = store.read().await.unwrap();
    assert_eq!(
        agents(tx.activity_agents(c.id, 10).await.unwrap()),
        expected
    );
}

/// Guest accounts: one per (customer, user), roles replaced in place, read with the
/// user's name, paged for the index, cleared per partner and with the user.
pub async fn guest_accounts_round_trip(store: &SqlStore) {
    let c = tenant("Guest Customer", false);
    let d = tenant("Guest Customer Two", false);
    let p = tenant("Guest Partner", true);
    let q = tenant("Guest Other", true);
    let mut tx = store.write().await.unwrap();
    for t in [&c, &d, &p, &q] {
        tx.insert_tenant(t).await.unwrap();
    }
    let zoe = user(p.id, "Zoe Guest", &[]);
    let al = user(p.id, "Al Guest", &[]);
    let olu = user(q.id, "Olu Guest", &[]);
    for u in [&zoe, &al, &olu] {
        tx.insert_user(u).await.unwrap();
    }
    let g = |u: &UserRecord, customer: TenantId, partner: TenantId| GuestRecord {
        customer_id: customer,
        user_id: u.id,
        partner_id: partner,
        roles: vec![DirectoryRole::HelpdeskAdmin],
        added_by: "Ada Admin".into(),
        added_at: t0(),
        email: u.email.clone(),
        display_name: u.display_name.clone(),
    };
    let stored = tx.upsert_guest(&g(&zoe, c.id, p.id)).await.unwrap();
    assert_eq!(stored, g(&zoe, c.id, p.id));
    let changed = tx
        .upsert_guest(&GuestRecord {
            roles: vec![DirectoryRole::UserAdmin, DirectoryRole::LicenseAdmin],
            ..g(&zoe, c.id, p.id)
        })
        .await
        .unwrap();
    assert_eq!(changed.roles.len(), 2, "roles replaced in place");
    tx.upsert_guest(&g(&al, c.id, p.id)).await.unwrap();
    tx.upsert_guest(&g(&al, d.id, p.id)).await.unwrap();
    tx.upsert_guest(&g(&olu, c.id, q.id)).await.unwrap();
    tx.commit().await.unwrap();

    let mut tx = store.write().await.unwrap();
    let names: Vec<String> = tx
        .guests_of(c.id, p.id)
        .await
        .unwrap()
        .into_iter()
        .map(|g| g.display_name)
        .collect();
    assert_eq!(
        names,
        vec!["Al Guest", "Zoe Guest"],
        "by name, this partner's"
    );
    assert!(tx.guest(d.id, zoe.id).await.unwrap().is_none());
    let first = tx.all_guests(None, 2).await.unwrap();
    let last = first.last().unwrap();
    let rest = tx
        .all_guests(Some((last.customer_id, last.user_id)), 10)
        .await
        .unwrap();
    assert_eq!(first.len() + rest.len(), 4);
    assert_eq!(
        tx.delete_guest(c.id, zoe.id)
            .await
            .unwrap()
            .map(|g| g.user_id),
        Some(zoe.id)
    );
    assert!(tx.delete_guest(c.id, zoe.id).await.unwrap().is_none());
    // Clearing one (customer, partner) leaves the other partner's and other customers'.
    let gone = tx.delete_guests_of(c.id, p.id).await.unwrap();
    assert_eq!(
        gone.iter().map(|g| g.user_id).collect::<Vec<_>>(),
        vec![al.id]
    );
    assert_eq!(tx.guests_of(c.id, q.id).await.unwrap().len(), 1);
    assert_eq!(tx.guests_of(d.id, p.id).await.unwrap().len(), 1);
    // Deleting the user deletes its guest accounts everywhere.
    assert!(tx.delete_user(p.id, al.id).await.unwrap());
    assert!(tx.guests_of(d.id, p.id).await.unwrap().is_empty());
    tx.commit().await.unwrap();
}
