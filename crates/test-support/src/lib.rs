//! Test support: a fresh, empty database for every test, on the backend the run is for.
//!
//! `ACCORD_TEST_BACKEND` selects it: `sqlite` (the default; a file in a temporary
//! directory) or `postgres` (a new database per test, created through the server at
//! `ACCORD_TEST_PG_URL`, which `scripts/test` starts on loopback). Selecting `postgres`
//! without a URL is an error, never a silent fallback.
//!
//! Only for tests: it panics on any failure.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test fixtures fail loudly"
)]

pub mod smtp;

use accord_store::{SqlStore, StoreOptions};
use sqlx::{Connection, Executor};

/// Which backend this test run exercises.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    /// With the URL of a database on the test server to connect to for `CREATE DATABASE`.
    Postgres(String),
}

pub fn backend() -> Backend {
    match std::env::var("ACCORD_TEST_BACKEND").as_deref() {
        Err(_) | Ok("") | Ok("sqlite") => Backend::Sqlite,
        Ok("postgres") => Backend::Postgres(std::env::var("ACCORD_TEST_PG_URL").expect(
            "ACCORD_TEST_BACKEND=postgres needs ACCORD_TEST_PG_URL (scripts/test starts a server and sets it)",
        )),
        Ok(other) => panic!("ACCORD_TEST_BACKEND must be sqlite or postgres, not {other}"),
    }
}

/// A fresh database. Keep it alive for the test's duration (a SQLite file is deleted with
/// its directory; PostgreSQL test databases go with the throwaway server).
pub struct TestDb {
    pub options: StoreOptions,
    dir: tempfile::TempDir,
}

impl TestDb {
    /// The database URL (`sqlite://…` or `postgres://…`).
    pub fn url(&self) -> &str {
        &self.options.url
    }

    /// A scratch directory that lives as long as the database.
    pub fn dir(&self) -> &std::path::Path {
        self.dir.path()
    }

    /// Command-line arguments that point `accord` at this database.
    pub fn cli_args(&self) -> Vec<String> {
        vec![
            "--data-dir".into(),
            self.dir.path().display().to_string(),
            "--database-url".into(),
            self.options.url.clone(),
        ]
    }

    pub fn is_postgres(&self) -> bool {
        self.options.url.starts_with("postgres")
    }

    /// Opens (and migrates) the database.
    pub async fn open(&self) -> SqlStore {
        SqlStore::open(&self.options)
            .await
            .expect("open test database")
    }
}

/// A fresh, empty database on the selected backend.
pub async fn fresh_db() -> TestDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let options = match backend() {
        Backend::Sqlite => StoreOptions::sqlite_file(&dir.path().join("accord.db")),
        Backend::Postgres(admin) => {
            sqlx::any::install_default_drivers();
            let name = format!("accord_test_{}", uuid::Uuid::now_v7().simple());
            let mut conn = sqlx::AnyConnection::connect(&admin)
                .await
                .unwrap_or_else(|e| panic!("cannot reach the PostgreSQL test server: {e}"));
            conn.execute(format!("CREATE DATABASE {name}").as_str())
                .await
                .expect("create test database");
            conn.close().await.ok();
            let mut url = url::Url::parse(&admin).expect("ACCORD_TEST_PG_URL is a URL");
            url.set_path(&name);
            StoreOptions::postgres(url.as_str())
        }
    };
    TestDb { options, dir }
}

/// [`fresh_db`] for synchronous tests.
pub fn fresh_db_blocking() -> TestDb {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(fresh_db())
}

/// A fresh database, opened.
pub async fn fresh_store() -> (SqlStore, TestDb) {
    let db = fresh_db().await;
    (db.open().await, db)
}
