//! The SQL implementation of the store traits, on sqlx's runtime-selected `Any` driver.
//! Queries use numbered placeholders (`$1`), which both SQLite and PostgreSQL understand,
//! and only portable types (TEXT, 64-bit integers), so one implementation serves both
//! backends with a migration set per backend. One module per aggregate holds its queries.

mod agreements;
mod audit;
mod commerce;
mod credentials;
mod directory;
mod feed;
mod listings;
mod oem;
mod regions;
mod relationships;
mod requests;
mod signups;
mod support;
mod tenants;

use std::str::FromStr;
use std::sync::{Arc, Weak};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions, AnyRow};
use sqlx::{Any, AnyPool, Decode, Executor, Row, Transaction, Type};
use tokio::sync::{Notify, OnceCell};

use crate::{constraint, ReadTx, Store, StoreError, StoreResult, WriteTx};

/// The PostgreSQL channel on which committing transactions announce new changes.
pub(crate) const CHANGES_CHANNEL: &str = "accord_changes";

/// How to open the database.
#[derive(Clone)]
pub struct StoreOptions {
    /// `sqlite://path/to/file.db` or `postgres://…`.
    pub url: String,
    /// Connections for reads (and, on PostgreSQL, writes).
    pub max_connections: u32,
    /// SQLite `synchronous` setting; `FULL` unless the operator asks for less.
    pub sqlite_synchronous: String,
    /// PostgreSQL `synchronous_commit` setting; `on` unless the operator asks for less.
    pub pg_synchronous_commit: String,
}

/// A database URL with any password replaced by `***`, for logs and `Debug`.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) => {
            if u.password().is_some() {
                let _ = u.set_password(Some("***"));
            }
            // sqlx also takes the password as a query parameter.
            if u.query_pairs()
                .any(|(k, _)| k.eq_ignore_ascii_case("password"))
            {
                let pairs: Vec<(String, String)> = u
                    .query_pairs()
                    .map(|(k, v)| {
                        let v = if k.eq_ignore_ascii_case("password") {
                            "***".to_string()
                        } else {
                            v.into_owned()
                        };
                        (k.into_owned(), v)
                    })
                    .collect();
                u.query_pairs_mut().clear().extend_pairs(pairs);
            }
            u.to_string()
        }
        // Not a URL we can take apart: show the scheme only.
        Err(_) => format!("{}…", url.split(':').next().unwrap_or_default()),
    }
}

impl std::fmt::Debug for StoreOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreOptions")
            .field("url", &redact_url(&self.url))
            .field("max_connections", &self.max_connections)
            .field("sqlite_synchronous", &self.sqlite_synchronous)
            .field("pg_synchronous_commit", &self.pg_synchronous_commit)
            .finish()
    }
}

impl StoreOptions {
    pub fn sqlite_file(path: &std::path::Path) -> Self {
        Self {
            url: format!("sqlite://{}?mode=rwc", path.display()),
            max_connections: 8,
            sqlite_synchronous: "FULL".into(),
            pg_synchronous_commit: "on".into(),
        }
    }

    /// A PostgreSQL database with the default (durable) settings.
    pub fn postgres(url: &str) -> Self {
        Self {
            url: url.to_string(),
            max_connections: 8,
            sqlite_synchronous: "FULL".into(),
            pg_synchronous_commit: "on".into(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Backend {
    Sqlite,
    Postgres,
}

/// The SQL store. On SQLite, writes go through a single connection (SQLite has one writer
/// anyway, and this avoids lock-upgrade failures between concurrent write transactions);
/// reads use a pool of connections that refuse writes (`query_only`). On PostgreSQL both
/// use one pool, and read transactions are `READ ONLY`.
#[derive(Clone)]
pub struct SqlStore {
    backend: Backend,
    writer: AnyPool,
    reader: AnyPool,
    url: Arc<str>,
    /// Woken by PostgreSQL notifications of new changes; started on first use.
    changes: Arc<OnceCell<Arc<Notify>>>,
}

impl std::fmt::Debug for SqlStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqlStore")
            .field("backend", &self.backend)
            .field("url", &redact_url(&self.url))
            .finish_non_exhaustive()
    }
}

impl SqlStore {
    /// Opens (creating a SQLite file if needed) and migrates the database.
    pub async fn open(opts: &StoreOptions) -> StoreResult<Self> {
        sqlx::any::install_default_drivers();
        let backend = if opts.url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if opts.url.starts_with("postgres:") || opts.url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(StoreError::Config(
                "the database URL must start with sqlite: or postgres:".into(),
            ));
        };
        let connect: AnyConnectOptions = opts.url.parse()?;
        let (writer, reader) = match backend {
            Backend::Sqlite => {
                let sync = opts.sqlite_synchronous.to_ascii_uppercase();
                if !["OFF", "NORMAL", "FULL", "EXTRA"].contains(&sync.as_str()) {
                    return Err(StoreError::Config(format!(
                        "unknown SQLite synchronous setting {sync}"
                    )));
                }
                let pool = |max: u32, read_only: bool| {
                    let sync = sync.clone();
                    AnyPoolOptions::new()
                        .max_connections(max)
                        .acquire_timeout(Duration::from_secs(30))
                        .after_connect(move |conn, _meta| {
                            let sync = sync.clone();
                            Box::pin(async move {
                                conn.execute("PRAGMA busy_timeout = 10000").await?;
                                conn.execute("PRAGMA journal_mode = WAL").await?;
                                conn.execute(format!("PRAGMA synchronous = {sync}").as_str())
                                    .await?;
                                conn.execute("PRAGMA foreign_keys = ON").await?;
                                if read_only {
                                    conn.execute("PRAGMA query_only = ON").await?;
                                }
                                Ok(())
                            })
                        })
                };
                let writer = pool(1, false).connect_with(connect.clone()).await?;
                sqlx::migrate!("./migrations/sqlite").run(&writer).await?;
                let reader = pool(opts.max_connections.max(1), true)
                    .connect_with(connect)
                    .await?;
                (writer, reader)
            }
            Backend::Postgres => {
                let commit = opts.pg_synchronous_commit.to_ascii_lowercase();
                if !["on", "remote_apply", "remote_write", "local", "off"]
                    .contains(&commit.as_str())
                {
                    return Err(StoreError::Config(format!(
                        "unknown PostgreSQL synchronous_commit setting {commit}"
                    )));
                }
                let pool = AnyPoolOptions::new()
                    .max_connections(opts.max_connections.max(2))
                    .acquire_timeout(Duration::from_secs(30))
                    .after_connect(move |conn, _meta| {
                        let commit = commit.clone();
                        Box::pin(async move {
                            conn.execute(format!("SET synchronous_commit = {commit}").as_str())
                                .await?;
                            Ok(())
                        })
                    })
                    .connect_with(connect)
                    .await?;
                sqlx::migrate!("./migrations/postgres").run(&pool).await?;
                (pool.clone(), pool)
            }
        };
        let store = Self {
            backend,
            writer,
            reader,
            url: Arc::from(opts.url.as_str()),
            changes: Arc::new(OnceCell::new()),
        };
        store.fill_name_folds().await?;
        Ok(store)
    }

    /// Runs a read-only query returning one integer (diagnostics and tests only; never
    /// called with user input).
    #[doc(hidden)]
    pub async fn scalar_i64(&self, sql: &str) -> StoreResult<i64> {
        Ok(sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(&self.reader)
            .await?)
    }

    /// Runs a statement on the writer (tests only: to plant corrupt rows and see that
    /// they are refused). Never called with user input.
    #[doc(hidden)]
    pub async fn execute_for_tests(&self, sql: &str) -> StoreResult<u64> {
        Ok(sqlx::query(sql)
            .execute(&self.writer)
            .await?
            .rows_affected())
    }

    /// Runs a statement on a reader connection (tests only: to see that readers refuse
    /// writes). Never called with user input.
    #[doc(hidden)]
    pub async fn execute_for_tests_on_reader(&self, sql: &str) -> StoreResult<u64> {
        let mut tx = match self.backend {
            Backend::Sqlite => self.reader.begin().await?,
            Backend::Postgres => self.reader.begin_with("BEGIN READ ONLY").await?,
        };
        let n = sqlx::query(sql).execute(&mut *tx).await?.rows_affected();
        Ok(n)
    }

    /// Closes every connection (used on shutdown so SQLite checkpoints its WAL).
    pub async fn close(&self) {
        self.reader.close().await;
        self.writer.close().await;
    }

    async fn notifications(&self) -> Option<Arc<Notify>> {
        if self.backend != Backend::Postgres {
            return None;
        }
        let url = self.url.clone();
        let notify = self
            .changes
            .get_or_init(|| async move {
                let notify = Arc::new(Notify::new());
                tokio::spawn(listen(url, Arc::downgrade(&notify)));
                notify
            })
            .await;
        Some(notify.clone())
    }
}

/// Follows PostgreSQL notifications on [`CHANGES_CHANNEL`] while anyone holds the
/// [`Notify`], reconnecting after failures. Polling stays the guarantee; this only makes
/// followers wake sooner.
async fn listen(url: Arc<str>, notify: Weak<Notify>) {
    loop {
        if notify.strong_count() == 0 {
            return;
        }
        let mut listener = match sqlx::postgres::PgListener::connect(&url).await {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for change notifications; polling only");
                tokio::time::sleep(Duration::from_secs(5)).await;
                continue;
            }
        };
        if let Err(e) = listener.listen(CHANGES_CHANNEL).await {
            tracing::warn!(error = %e, "cannot listen for change notifications; polling only");
            tokio::time::sleep(Duration::from_secs(5)).await;
            continue;
        }
        loop {
            match tokio::time::timeout(Duration::from_secs(5), listener.recv()).await {
                Ok(Ok(_)) => match notify.upgrade() {
                    Some(n) => n.notify_one(),
                    None => return,
                },
                Ok(Err(e)) => {
                    tracing::warn!(error = %e, "change notifications interrupted; reconnecting");
                    break;
                }
                Err(_) if notify.strong_count() == 0 => return,
                Err(_) => {}
            }
        }
    }
}

#[async_trait]
impl Store for SqlStore {
    async fn write(&self) -> StoreResult<Box<dyn WriteTx>> {
        // On SQLite, take the write lock up front: a deferred transaction that reads and
        // then writes fails at once (SQLITE_BUSY_SNAPSHOT) if another process (the CLI)
        // committed in between, whereas BEGIN IMMEDIATE waits for busy_timeout.
        let tx = match self.backend {
            Backend::Sqlite => self.writer.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.writer.begin().await?,
        };
        Ok(Box::new(SqlTx {
            tx,
            backend: self.backend,
        }))
    }

    async fn read(&self) -> StoreResult<Box<dyn ReadTx>> {
        let tx = match self.backend {
            Backend::Sqlite => self.reader.begin().await?,
            Backend::Postgres => self.reader.begin_with("BEGIN READ ONLY").await?,
        };
        Ok(Box::new(SqlTx {
            tx,
            backend: self.backend,
        }))
    }

    fn backend(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    async fn wait_for_changes(&self, timeout: Duration) {
        match self.notifications().await {
            Some(n) => {
                let _ = tokio::time::timeout(timeout, n.notified()).await;
            }
            None => tokio::time::sleep(timeout).await,
        }
    }
}

/// One transaction on either backend. Handed out as `Box<dyn ReadTx>` or
/// `Box<dyn WriteTx>`; only the latter offers writes.
pub(crate) struct SqlTx {
    pub(crate) tx: Transaction<'static, Any>,
    pub(crate) backend: Backend,
}

impl SqlTx {
    /// `FOR UPDATE` where the backend has row locks; SQLite's writer already holds the
    /// database lock for the whole write transaction.
    pub(crate) fn for_update(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE",
        }
    }
}

#[async_trait]
impl WriteTx for SqlTx {
    async fn commit(self: Box<Self>) -> StoreResult<()> {
        self.tx.commit().await.map_err(write_err)?;
        Ok(())
    }
}

pub(crate) fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

pub(crate) fn time(v: i64) -> StoreResult<DateTime<Utc>> {
    DateTime::from_timestamp_millis(v).ok_or_else(|| StoreError::Corrupt(format!("time {v}")))
}

pub(crate) fn opt_time(v: Option<i64>) -> StoreResult<Option<DateTime<Utc>>> {
    v.map(time).transpose()
}

/// A column's value; a NULL or a value of the wrong type is corrupt data, not a database
/// failure and never a default.
pub(crate) fn get<'r, T>(r: &'r AnyRow, col: &str) -> StoreResult<T>
where
    T: Decode<'r, Any> + Type<Any>,
{
    r.try_get::<T, _>(col).map_err(|e| match e {
        sqlx::Error::ColumnDecode { .. } => StoreError::Corrupt(format!("column {col}: {e}")),
        other => StoreError::Database(other),
    })
}

pub(crate) fn parse<T: FromStr>(what: &str, v: &str) -> StoreResult<T> {
    v.parse().map_err(|_| {
        StoreError::Corrupt(format!(
            "{what} {:?}",
            v.chars().take(64).collect::<String>()
        ))
    })
}

/// A text column parsed into `T`.
pub(crate) fn col<T: FromStr>(r: &AnyRow, name: &str) -> StoreResult<T> {
    parse(name, &get::<String>(r, name)?)
}

/// A nullable text column parsed into `T`.
pub(crate) fn opt_col<T: FromStr>(r: &AnyRow, name: &str) -> StoreResult<Option<T>> {
    get::<Option<String>>(r, name)?
        .map(|s| parse(name, &s))
        .transpose()
}

pub(crate) fn flag(r: &AnyRow, name: &str) -> StoreResult<bool> {
    match get::<i64>(r, name)? {
        0 => Ok(false),
        1 => Ok(true),
        v => Err(StoreError::Corrupt(format!("column {name}: flag {v}"))),
    }
}

pub(crate) fn join<T: std::fmt::Display>(items: impl IntoIterator<Item = T>) -> String {
    items
        .into_iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

pub(crate) fn split<T: FromStr>(what: &str, v: &str) -> StoreResult<Vec<T>> {
    v.split(',')
        .filter(|s| !s.is_empty())
        .map(|s| parse(what, s))
        .collect()
}

/// PostgreSQL's constraint names and the column lists SQLite reports for the same rules.
const CONSTRAINTS: &[(&str, &str)] = &[
    (constraint::TENANT_ID, "tenants.tenant_id"),
    (constraint::TENANT_DOMAIN, "tenants.domain"),
    (constraint::USER_ID, "users.tenant_id, users.user_id"),
    (constraint::USER_EMAIL, "user_logins.email"),
    (
        constraint::SESSION_TOKEN,
        "sessions.tenant_id, sessions.token_hash",
    ),
    (
        constraint::API_TOKEN,
        "api_tokens.tenant_id, api_tokens.token_hash",
    ),
    (
        constraint::API_TOKEN_ID,
        "api_tokens.tenant_id, api_tokens.token_id",
    ),
    (constraint::AGREEMENT_VERSION, "agreements.version"),
    (
        constraint::DEVICE_SERIAL,
        "devices.tenant_id, devices.serial_number",
    ),
    (
        constraint::DEVICE_HASH,
        "devices.tenant_id, devices.hardware_hash_sha256",
    ),
    (
        constraint::APP_VERSION_LABEL,
        "lob_app_versions.tenant_id, lob_app_versions.app_id, lob_app_versions.version",
    ),
    (
        constraint::ACCEPTANCE_VERSION,
        "agreement_acceptances.tenant_id, agreement_acceptances.version",
    ),
    (
        constraint::REQUEST_ID,
        "relationship_requests.tenant_id, relationship_requests.request_id",
    ),
    (
        constraint::REQUEST_TOKEN,
        "relationship_requests.tenant_id, relationship_requests.token_hash",
    ),
    (
        constraint::SIGNUP_REQUEST,
        "invitation_signups.tenant_id, invitation_signups.request_id",
    ),
    (
        constraint::SUBSCRIPTION_ID,
        "subscriptions.tenant_id, subscriptions.subscription_id",
    ),
    (constraint::CHANGE_SEQ, "change_feed.seq"),
];

/// Names the constraint behind a unique violation on either backend.
fn constraint_name(db: &dyn sqlx::error::DatabaseError) -> String {
    if let Some(name) = db.constraint() {
        return name.to_string();
    }
    let msg = db.message();
    let cols = msg
        .strip_prefix("UNIQUE constraint failed: ")
        .unwrap_or(msg);
    CONSTRAINTS
        .iter()
        .find(|(_, c)| *c == cols)
        .map(|(name, _)| (*name).to_string())
        .unwrap_or_else(|| format!("unknown ({cols})"))
}

/// Maps unique violations to [`StoreError::Conflict`] with the constraint's name, and text
/// the backend cannot store to [`StoreError::Unstorable`].
pub(crate) fn write_err(e: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &e {
        if db.is_unique_violation() {
            return StoreError::Conflict(constraint_name(db.as_ref()));
        }
        // 22021: invalid byte sequence (a NUL byte in text); 22P05: untranslatable character.
        if matches!(db.code().as_deref(), Some("22021") | Some("22P05")) {
            return StoreError::Unstorable(db.message().to_string());
        }
    }
    StoreError::Database(e)
}

/// The form names are searched by: Unicode full case folding of the canonically
/// decomposed text, recomposed (so "ÉCLAIR" finds "Éclair" however either was typed, and
/// "STRASSE" finds "Straße"); the same on every backend (SQLite's `LOWER` only knows ASCII).
pub fn fold(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let decomposed: String = name.nfd().collect();
    caseless::default_case_fold_str(&decomposed).nfc().collect()
}

/// Escapes `%`, `_` and `\` for a LIKE pattern with `ESCAPE '\'`, in folded form.
pub(crate) fn like_pattern(q: &str) -> String {
    let mut p = String::with_capacity(q.len() + 2);
    p.push('%');
    for c in fold(q).chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

impl SqlStore {
    /// Fills the folded name columns of rows written before they existed.
    async fn fill_name_folds(&self) -> StoreResult<()> {
        let rows = sqlx::query(
            "SELECT tenant_id, partner_id, customer_name, partner_name FROM relationships \
             WHERE customer_name_fold = '' OR partner_name_fold = ''",
        )
        .fetch_all(&self.writer)
        .await?;
        if rows.is_empty() {
            return Ok(());
        }
        let mut tx = self.writer.begin().await?;
        for r in &rows {
            sqlx::query(
                "UPDATE relationships SET customer_name_fold = $1, partner_name_fold = $2 \
                 WHERE tenant_id = $3 AND partner_id = $4",
            )
            .bind(fold(&get::<String>(r, "customer_name")?))
            .bind(fold(&get::<String>(r, "partner_name")?))
            .bind(get::<String>(r, "tenant_id")?)
            .bind(get::<String>(r, "partner_id")?)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        tracing::info!(rows = rows.len(), "filled folded names for search");
        Ok(())
    }
}
