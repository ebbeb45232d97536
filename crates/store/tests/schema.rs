//! The two migration sets describe one schema, and every tenant-owned table is keyed by
//! tenant first (so the tables can be distributed by tenant).
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

use std::path::Path;

fn migrations(backend: &str) -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(p).unwrap(),
            )
        })
        .collect()
}

/// The SQL without comments, with the backends' spelling differences erased.
fn normalised(sql: &str) -> String {
    sql.lines()
        .filter(|l| !l.trim_start().starts_with("--"))
        .map(|l| l.replace("BIGINT", "INTEGER").replace(" COLLATE \"C\"", ""))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn both_backends_have_the_same_migrations_and_shape() {
    let sqlite = migrations("sqlite");
    let postgres = migrations("postgres");
    let names = |m: &[(String, String)]| m.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(
        names(&sqlite),
        names(&postgres),
        "one migration per backend, same names"
    );
    for ((name, a), (_, b)) in sqlite.iter().zip(&postgres) {
        assert_eq!(
            normalised(a),
            normalised(b),
            "{name} differs between backends beyond type spelling"
        );
    }
}

/// Small global tables that would be reference (replicated) tables in a distributed
/// database: the tenants themselves and the e-mail → user sign-in directory; and the
/// change feed, a global log every node reads in full.
const REFERENCE_TABLES: &[&str] = &["tenants", "user_logins", "change_feed"];

#[test]
fn tenant_owned_tables_lead_their_keys_with_tenant_id() {
    for (name, sql) in migrations("postgres") {
        for block in sql.split("CREATE TABLE ").skip(1) {
            let table = block.split_whitespace().next().unwrap();
            let body = &block[..block.find(");").unwrap()];
            if !body.contains("tenant_id") || REFERENCE_TABLES.contains(&table) {
                continue;
            }
            let pk = body
                .lines()
                .find(|l| l.trim_start().starts_with("PRIMARY KEY"))
                .unwrap_or_else(|| {
                    panic!("{name}: {table} has tenant_id but no composite primary key")
                });
            assert!(
                pk.contains("PRIMARY KEY (tenant_id,") || pk.contains("PRIMARY KEY (tenant_id)"),
                "{name}: the key of {table} must lead with tenant_id: {pk}"
            );
            for unique in body.lines().filter(|l| l.contains("UNIQUE")) {
                assert!(
                    unique.trim_start().starts_with("UNIQUE (tenant_id,"),
                    "{name}: {table}: a uniqueness rule across tenants cannot hold once the table is distributed: {unique}"
                );
            }
        }
    }
}
