//! The `accord` binary as an operator uses it: real processes, a real SQLite file, real HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use accord_test_support::fresh_db_blocking;
use common::*;

/// A weaker durability setting must be asked for and is logged as a warning at start.
#[test]
fn weaker_durability_is_warned_about_at_start() {
    use std::io::BufRead;
    let db = fresh_db_blocking();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(db.cli_args())
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("ACCORD_SQLITE_SYNCHRONOUS", "NORMAL")
        .env("ACCORD_PG_SYNCHRONOUS_COMMIT", "off")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut warned = false;
    for line in stderr.lines() {
        let line = line.unwrap_or_default();
        if line.contains("weaker than") {
            warned = true;
        }
        if warned || line.contains("listening") {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        warned,
        "a weaker setting is logged as a warning before listening"
    );
}

#[test]
fn operator_commands_create_tenants_users_and_tokens() {
    let db = fresh_db_blocking();
    let d = &db;
    let t = accord(
        d,
        &[
            "tenant",
            "create",
            "--name",
            "Contoso",
            "--domain",
            "contoso.example",
            "--country",
            "kr",
            "--cloud",
            "public",
            "--partner",
        ],
    );
    assert!(t.status.success(), "{}", stderr(&t));
    assert_eq!(stdout(&t).len(), 36, "prints the tenant id");
    let dup = accord(
        d,
        &[
            "tenant",
            "create",
            "--name",
            "Other",
            "--domain",
            "contoso.example",
            "--country",
            "KR",
        ],
    );
    assert!(!dup.status.success());
    assert!(
        stderr(&dup).contains("already registered"),
        "{}",
        stderr(&dup)
    );
    let bad_cloud = accord(
        d,
        &[
            "tenant",
            "create",
            "--name",
            "X",
            "--domain",
            "x.example",
            "--country",
            "KR",
            "--cloud",
            "mars",
        ],
    );
    assert!(!bad_cloud.status.success());
    assert!(
        stderr(&bad_cloud).contains("public, usgov, germany, china"),
        "{}",
        stderr(&bad_cloud)
    );
    let bad_country = accord(
        d,
        &[
            "tenant",
            "create",
            "--name",
            "X",
            "--domain",
            "x.example",
            "--country",
            "KOR",
        ],
    );
    assert!(
        stderr(&bad_country).contains("two-letter"),
        "{}",
        stderr(&bad_country)
    );

    let u = accord(
        d,
        &[
            "user",
            "create",
            "--tenant",
            "contoso.example",
            "--email",
            "ana@contoso.example",
            "--password",
            "a long password",
            "--role",
            "partner_admin",
            "--role",
            "admin_agent",
        ],
    );
    assert!(u.status.success(), "{}", stderr(&u));
    let bad_role = accord(
        d,
        &[
            "user",
            "create",
            "--tenant",
            "contoso.example",
            "--email",
            "bo@contoso.example",
            "--password",
            "a long password",
            "--role",
            "wizard",
        ],
    );
    assert!(
        stderr(&bad_role).contains("role: \"wizard\" is not valid"),
        "{}",
        stderr(&bad_role)
    );
    let weak = accord(
        d,
        &[
            "user",
            "create",
            "--tenant",
            "contoso.example",
            "--email",
            "bo@contoso.example",
            "--password",
            "short",
            "--role",
            "admin_agent",
        ],
    );
    assert!(stderr(&weak).contains("at least 10"), "{}", stderr(&weak));

    let tok = accord(d, &["token", "create", "--email", "ana@contoso.example"]);
    assert!(tok.status.success(), "{}", stderr(&tok));
    assert!(stdout(&tok).starts_with("accord_pat_"));
    // Numeric options are range-checked with a clear message, never a panic or a date
    // that cannot be written.
    for days in ["100000000", "50000000", "0", "-1", "ten"] {
        let bad = accord(
            d,
            &[
                "token",
                "create",
                "--email",
                "ana@contoso.example",
                "--days",
                days,
            ],
        );
        assert_eq!(bad.status.code(), Some(2), "{days}: {}", stderr(&bad));
        assert!(
            ["1..=3650", "--days", "'-1'"]
                .iter()
                .any(|m| stderr(&bad).contains(m)),
            "{days}: {}",
            stderr(&bad)
        );
        assert!(!stderr(&bad).contains("panicked"), "{}", stderr(&bad));
    }
    let ok = accord(
        d,
        &[
            "token",
            "create",
            "--email",
            "ana@contoso.example",
            "--days",
            "3650",
        ],
    );
    assert!(ok.status.success(), "{}", stderr(&ok));
    assert!(stdout(&accord(
        d,
        &["token", "list", "--email", "ana@contoso.example"]
    ))
    .contains("expires 20"));

    let regions = accord(
        d,
        &[
            "region",
            "set",
            "--country",
            "JP",
            "--region",
            "asia_pacific",
        ],
    );
    assert!(regions.status.success(), "{}", stderr(&regions));
    assert!(stdout(&accord(d, &["region", "list"])).contains("JP\tasia_pacific"));

    let cloud = accord(
        d,
        &[
            "cloud",
            "set",
            "--cloud",
            "usgov",
            "--portal-name",
            "Gov Admin",
            "--base-url",
            "https://gov.accord.example/",
        ],
    );
    assert!(cloud.status.success(), "{}", stderr(&cloud));
    let clouds = stdout(&accord(d, &["cloud", "list"]));
    assert!(
        clouds.contains("usgov\tGov Admin\thttps://gov.accord.example\toperator"),
        "{clouds}"
    );
    assert!(clouds.contains("public\t"), "{clouds}");
    let bad = accord(
        d,
        &["cloud", "set", "--cloud", "mars", "--portal-name", "X"],
    );
    assert!(!bad.status.success());
    let tenants = stdout(&accord(d, &["tenant", "list", "--q", "contoso"]));
    assert!(tenants.contains("\tcontoso.example\t"), "{tenants}");
    let partners = stdout(&accord(d, &["tenant", "list", "--kind", "partner"]));
    assert!(!partners.contains("\tcustomer\t"), "{partners}");

    let file = d.dir().join("agreement.txt");
    std::fs::write(&file, "The terms.").unwrap();
    let p = accord(
        d,
        &[
            "agreement",
            "publish",
            "--title",
            "Customer Agreement",
            "--file",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(stdout(&p), "published version 1");
    assert!(accord(d, &["migrate"]).status.success());
}

#[test]
fn serve_demo_answers_http_and_shuts_down_gracefully_on_ctrl_c() {
    let db = fresh_db_blocking();
    let (child, addr, lines) = serve(&db, true);
    assert!(
        lines.iter().any(|l| l.contains("admin@contoso-kr.example")),
        "prints the demo sign-ins: {lines:?}"
    );
    if !db.is_postgres() {
        assert!(
            db.dir().join("accord.db").exists(),
            "the SQLite file is created on first start"
        );
    }
    let (status, body) = http(&addr, "GET", "/healthz", None);
    assert_eq!((status, body.trim()), (200, "ok"));

    // A token made by the CLI works against the running server (same database file).
    let tok = accord(&db, &["token", "create", "--email", "admin@hanbit.example"]);
    let (status, body) = http(&addr, "GET", "/api/v1/me", Some(&stdout(&tok)));
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("Hanbit Retail"));

    // Revoking through the CLI takes effect on the server's next request.
    let list = accord(&db, &["token", "list", "--email", "admin@hanbit.example"]);
    let id = stdout(&list).split('\t').next().unwrap().to_string();
    let revoke = accord(
        &db,
        &[
            "token",
            "revoke",
            "--email",
            "admin@hanbit.example",
            "--id",
            &id,
        ],
    );
    assert_eq!(stdout(&revoke), "revoked 1 token(s)", "{}", stderr(&revoke));
    // The server learns of it from the change feed, within its bound (POLL_INTERVAL plus
    // one query; the margin here absorbs a loaded test machine).
    let (status, body) = within_feed_bound(|| {
        let r = http(&addr, "GET", "/api/v1/me", Some(&stdout(&tok)));
        (r.0 == 401).then_some(r)
    });
    assert_eq!(status, 401, "{body}");
    assert!(body.contains("invalid_token"));

    // So does disabling a user.
    let tok2 = accord(
        &db,
        &["token", "create", "--email", "admin@litware.example"],
    );
    assert_eq!(
        http(&addr, "GET", "/api/v1/me", Some(&stdout(&tok2))).0,
        200
    );
    assert!(accord(
        &db,
        &["user", "disable", "--email", "admin@litware.example"]
    )
    .status
    .success());
    within_feed_bound(|| {
        (http(&addr, "GET", "/api/v1/me", Some(&stdout(&tok2))).0 == 401).then_some(())
    });
    assert!(
        accord(&db, &["user", "enable", "--email", "admin@litware.example"])
            .status
            .success()
    );
    assert_eq!(
        http(&addr, "GET", "/api/v1/me", Some(&stdout(&tok2))).0,
        200
    );

    let exit = interrupt_and_wait(child);
    assert!(exit.success(), "graceful shutdown exits 0, got {exit:?}");

    // A second start keeps the data and does not seed again.
    let (child, addr, lines) = serve(&db, true);
    assert!(
        lines.iter().any(|l| l.contains("already holds data")),
        "{lines:?}"
    );
    assert_eq!(http(&addr, "GET", "/healthz", None).0, 200);
    assert!(interrupt_and_wait(child).success());
    let again = accord(&db, &["demo"]);
    assert!(!again.status.success());
    assert!(stderr(&again).contains("empty database"));
}

/// The operator sees what waits in the outbox; a mail setting that cannot work stops
/// the server at start, naming the key, without printing the password.
#[test]
fn mail_settings_are_checked_at_start_and_the_outbox_is_visible() {
    let db = fresh_db_blocking();
    let o = accord(&db, &["outbox"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("0 message(s) waiting for delivery, 0 given up"),
        "{}",
        stdout(&o)
    );
    for (key, value, expect) in [
        (
            "ACCORD_SMTP_URL",
            "ftp://mailer:s3cret@mail.example",
            "smtp_url",
        ),
        ("ACCORD_MAIL_FROM", "not an address", "mail_from"),
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
            .args(db.cli_args())
            .args(["serve", "--listen", "127.0.0.1:0"])
            .env(key, value)
            .env("ACCORD_MAIL_DIR", "")
            .output()
            .unwrap();
        assert!(!out.status.success(), "{key}={value} must stop the server");
        let err = stderr(&out);
        assert!(err.contains(expect), "{err}");
        assert!(!err.contains("s3cret"), "{err}");
    }
}

/// `accord access list|remove` and `accord partner-activity` (issue 9): the operator sees
/// who holds which delegated roles in a customer, removes an agent's access (refused by the
/// running server within a second), and reads the customer's partner activity.
#[test]
fn the_operator_sees_and_removes_delegated_access() {
    let db = fresh_db_blocking();
    let (child, addr, _) = serve(&db, true);
    let token = |email: &str| {
        let o = accord(&db, &["token", "create", "--email", email]);
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o)
    };
    let partner = token("admin@contoso-kr.example");
    let customer = token("admin@hanbit.example");
    let helpdesk = token("helpdesk@contoso-kr.example");
    let o = accord(
        &db,
        &[
            "partner",
            "types",
            "--domain",
            "contoso-kr.example",
            "--types",
            "reseller,delegated_admin,partner",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let r = api(
        &addr,
        "POST",
        "/api/v1/relationship-requests",
        &partner,
        Some(
            r#"{"include_admin_privileges": true, "types": ["delegated_admin", "partner"], "admin_roles": ["helpdesk_admin", "user_admin"], "duration_days": 30}"#,
        ),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let link = r.json()["link"].as_str().unwrap().to_string();
    let t = link.rsplit('/').next().unwrap();
    let acc = api(
        &addr,
        "POST",
        &format!("/api/v1/invitations/{t}/accept"),
        &customer,
        Some(r#"{"accept_agreement": true, "approved_roles": ["helpdesk_admin"]}"#),
    );
    assert_eq!(acc.status, 200, "{}", acc.body);
    let hanbit = api(&addr, "GET", "/api/v1/me", &customer, None).json()["tenant_id"]
        .as_str()
        .unwrap()
        .to_string();
    let me = api(&addr, "GET", "/api/v1/me", &partner, None).json();
    let agent = me["user_id"].as_str().unwrap();
    let r = api(
        &addr,
        "POST",
        &format!("/api/v1/customers/{hanbit}/access-assignments"),
        &partner,
        Some(&format!(
            r#"{{"agent_id": "{agent}", "roles": ["helpdesk_admin"]}}"#
        )),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let users = format!("/api/v1/customers/{hanbit}/users");
    let list = api(&addr, "GET", &format!("{users}?q=user@"), &partner, None);
    assert_eq!(list.status, 200, "{}", list.body);
    let yuna = list.json()["items"][0]["id"].as_str().unwrap().to_string();
    let reset = api(
        &addr,
        "POST",
        &format!("{users}/{yuna}/reset-password"),
        &partner,
        Some("{}"),
    );
    assert_eq!(reset.status, 200, "{}", reset.body);
    let contoso = me["tenant_id"].as_str().unwrap();
    let g = api(
        &addr,
        "POST",
        &format!("/api/v1/partners/{contoso}/guests"),
        &customer,
        Some(r#"{"email": "helpdesk@contoso-kr.example", "roles": ["global_reader"]}"#),
    );
    assert_eq!(g.status, 201, "{}", g.body);
    assert_eq!(api(&addr, "GET", &users, &helpdesk, None).status, 200);

    let o = accord(&db, &["access", "list", "--customer", "hanbit.example"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("Contoso"), "{out}");
    assert!(out.contains("roles helpdesk_admin"), "{out}");
    assert!(
        out.contains("Kim Minji <admin@contoso-kr.example>\thelpdesk_admin"),
        "{out}"
    );
    assert!(
        out.contains("guest Park Joon <helpdesk@contoso-kr.example>\tglobal_reader"),
        "{out}"
    );

    let o = accord(&db, &["partner-activity", "--customer", "hanbit.example"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("user.password_reset") || out.contains("password"),
        "{out}"
    );
    assert!(out.contains("Choi Yuna"), "{out}");
    assert!(out.contains("succeeded"), "{out}");
    // Filtered by an agent who did nothing there: only the header.
    let o = accord(
        &db,
        &[
            "partner-activity",
            "--customer",
            "hanbit.example",
            "--agent",
            "helpdesk@contoso-kr.example",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().count(), 1, "{}", stdout(&o));
    let o = accord(
        &db,
        &[
            "partner-activity",
            "--customer",
            "hanbit.example",
            "--agent",
            "admin@contoso-kr.example",
        ],
    );
    assert!(stdout(&o).contains("Choi Yuna"), "{}", stdout(&o));

    // Unknown names are a clear error, not a crash.
    let o = accord(&db, &["access", "list", "--customer", "nowhere.example"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("not found") || stderr(&o).contains("No "),
        "{}",
        stderr(&o)
    );

    let o = accord(
        &db,
        &[
            "access",
            "remove",
            "--customer",
            "hanbit.example",
            "--partner",
            "contoso-kr.example",
            "--agent",
            "admin@contoso-kr.example",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Removed 1"), "{}", stdout(&o));
    let (_, took) = within(std::time::Duration::from_secs(1), || {
        Some(api(&addr, "GET", &users, &partner, None)).filter(|r| r.status == 403)
    });
    eprintln!("removal with the CLI reached the server in {took:?}");
    let o = accord(&db, &["access", "list", "--customer", "hanbit.example"]);
    assert!(stdout(&o).contains("nobody assigned"), "{}", stdout(&o));
    // The emergency stop takes a guest account too.
    let o = accord(
        &db,
        &[
            "access",
            "remove",
            "--customer",
            "hanbit.example",
            "--partner",
            "contoso-kr.example",
            "--agent",
            "helpdesk@contoso-kr.example",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Removed 1"), "{}", stdout(&o));
    within(std::time::Duration::from_secs(1), || {
        Some(api(&addr, "GET", &users, &helpdesk, None)).filter(|r| r.status == 403)
    });
    let o = accord(&db, &["access", "list", "--customer", "hanbit.example"]);
    assert!(!stdout(&o).contains("guest Park Joon"), "{}", stdout(&o));
    assert!(interrupt_and_wait(child).success());
}
