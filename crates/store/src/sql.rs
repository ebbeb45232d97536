//! The SQL implementation of [`Store`], on sqlx's runtime-selected `Any` driver. Queries
//! use numbered placeholders (`$1`), which both SQLite and PostgreSQL understand, and only
//! portable types (TEXT, 64-bit integers), so one implementation serves both backends with
//! a migration set per backend.

use std::collections::BTreeSet;
use std::str::FromStr;
use std::time::Duration;

use accord_domain::{
    AdminAsk, AdminGrant, Cloud, CountryCode, DirectoryRole, PartnerType, RelationshipId,
    RelationshipStatus, RequestId, RequestStatus, Role, TenantId, UserId,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions, AnyRow};
use sqlx::{Any, AnyPool, Executor, Row, Transaction};

use crate::{
    AcceptanceRecord, AgreementRecord, ApiTokenRecord, AuditRecord, RelationshipRecord,
    RequestRecord, RequestResolution, SessionRecord, Store, StoreError, StoreResult, TenantRecord,
    Tx, UserRecord,
};

/// How to open the database.
#[derive(Clone, Debug)]
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
enum Backend {
    Sqlite,
    Postgres,
}

/// The SQL store. On SQLite, writes go through a single connection (SQLite has one writer
/// anyway, and this avoids lock-upgrade failures between concurrent write transactions);
/// reads use a pool. On PostgreSQL both use one pool.
#[derive(Clone)]
pub struct SqlStore {
    backend: Backend,
    writer: AnyPool,
    reader: AnyPool,
}

impl std::fmt::Debug for SqlStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqlStore")
            .field("backend", &self.backend)
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
        let store = match backend {
            Backend::Sqlite => {
                let sync = opts.sqlite_synchronous.to_ascii_uppercase();
                if !["OFF", "NORMAL", "FULL", "EXTRA"].contains(&sync.as_str()) {
                    return Err(StoreError::Config(format!(
                        "unknown SQLite synchronous setting {sync}"
                    )));
                }
                let pool = |max: u32| {
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
                                Ok(())
                            })
                        })
                };
                let writer = pool(1).connect_with(connect.clone()).await?;
                sqlx::migrate!("./migrations/sqlite").run(&writer).await?;
                let reader = pool(opts.max_connections.max(1))
                    .connect_with(connect)
                    .await?;
                Self {
                    backend,
                    writer,
                    reader,
                }
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
                Self {
                    backend,
                    writer: pool.clone(),
                    reader: pool,
                }
            }
        };
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

    /// Closes every connection (used on shutdown so SQLite checkpoints its WAL).
    pub async fn close(&self) {
        self.reader.close().await;
        self.writer.close().await;
    }
}

#[async_trait]
impl Store for SqlStore {
    async fn write(&self) -> StoreResult<Box<dyn Tx>> {
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

    async fn read(&self) -> StoreResult<Box<dyn Tx>> {
        Ok(Box::new(SqlTx {
            tx: self.reader.begin().await?,
            backend: self.backend,
        }))
    }

    fn backend(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

struct SqlTx {
    tx: Transaction<'static, Any>,
    backend: Backend,
}

impl SqlTx {
    /// `FOR UPDATE` where the backend has row locks; SQLite's writer already holds the
    /// database lock for the whole write transaction.
    fn for_update(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE",
        }
    }
}

fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

fn time(v: i64) -> StoreResult<DateTime<Utc>> {
    DateTime::from_timestamp_millis(v).ok_or_else(|| StoreError::Corrupt(format!("time {v}")))
}

fn opt_time(v: Option<i64>) -> StoreResult<Option<DateTime<Utc>>> {
    v.map(time).transpose()
}

fn parse<T: FromStr>(what: &str, v: &str) -> StoreResult<T> {
    v.parse().map_err(|_| {
        StoreError::Corrupt(format!(
            "{what} {:?}",
            v.chars().take(64).collect::<String>()
        ))
    })
}

fn join<T: std::fmt::Display>(items: impl IntoIterator<Item = T>) -> String {
    items
        .into_iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

fn split<T: FromStr>(what: &str, v: &str) -> StoreResult<Vec<T>> {
    v.split(',')
        .filter(|s| !s.is_empty())
        .map(|s| parse(what, s))
        .collect()
}

/// Maps unique-constraint violations to [`StoreError::Conflict`].
fn write_err(e: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &e {
        if db.is_unique_violation() {
            return StoreError::Conflict(db.message().to_string());
        }
    }
    StoreError::Database(e)
}

/// Escapes `%`, `_` and `\` for a LIKE pattern with `ESCAPE '\'`.
fn like_pattern(q: &str) -> String {
    let mut p = String::with_capacity(q.len() + 2);
    p.push('%');
    for c in q.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

fn tenant_row(r: &AnyRow) -> StoreResult<TenantRecord> {
    Ok(TenantRecord {
        id: parse("tenant id", &r.try_get::<String, _>("tenant_id")?)?,
        name: r.try_get("name")?,
        domain: r.try_get("domain")?,
        country: CountryCode::parse(&r.try_get::<String, _>("country")?)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
        cloud: parse::<Cloud>("cloud", &r.try_get::<String, _>("cloud")?)?,
        is_partner: r.try_get::<i64, _>("is_partner")? != 0,
        created_at: time(r.try_get("created_at")?)?,
    })
}

fn user_row(r: &AnyRow) -> StoreResult<UserRecord> {
    Ok(UserRecord {
        tenant_id: parse("tenant id", &r.try_get::<String, _>("tenant_id")?)?,
        id: parse("user id", &r.try_get::<String, _>("user_id")?)?,
        email: r.try_get("email")?,
        display_name: r.try_get("display_name")?,
        password_hash: r.try_get("password_hash")?,
        roles: split::<Role>("role", &r.try_get::<String, _>("roles")?)?,
        disabled: r.try_get::<i64, _>("disabled")? != 0,
        created_at: time(r.try_get("created_at")?)?,
    })
}

fn api_token_row(r: &AnyRow) -> StoreResult<ApiTokenRecord> {
    Ok(ApiTokenRecord {
        token_hash: r.try_get("token_hash")?,
        tenant_id: parse("tenant id", &r.try_get::<String, _>("tenant_id")?)?,
        id: parse("token id", &r.try_get::<String, _>("token_id")?)?,
        user_id: parse("user id", &r.try_get::<String, _>("user_id")?)?,
        name: r.try_get("name")?,
        created_at: time(r.try_get("created_at")?)?,
        expires_at: opt_time(r.try_get("expires_at")?)?,
    })
}

fn agreement_row(r: &AnyRow) -> StoreResult<AgreementRecord> {
    Ok(AgreementRecord {
        version: r.try_get("version")?,
        title: r.try_get("title")?,
        body: r.try_get("body")?,
        published_at: time(r.try_get("published_at")?)?,
    })
}

fn request_row(r: &AnyRow) -> StoreResult<RequestRecord> {
    let ask: AdminAsk = serde_json::from_str(&r.try_get::<String, _>("admin_ask")?)
        .map_err(|e| StoreError::Corrupt(format!("admin_ask: {e}")))?;
    Ok(RequestRecord {
        tenant_id: parse("tenant id", &r.try_get::<String, _>("tenant_id")?)?,
        id: parse("request id", &r.try_get::<String, _>("request_id")?)?,
        token_hash: r.try_get("token_hash")?,
        types: split::<PartnerType>("partner type", &r.try_get::<String, _>("types")?)?,
        ask,
        customer_email: r.try_get("customer_email")?,
        status: parse::<RequestStatus>("request status", &r.try_get::<String, _>("status")?)?,
        created_by: parse("user id", &r.try_get::<String, _>("created_by")?)?,
        created_at: time(r.try_get("created_at")?)?,
        expires_at: time(r.try_get("expires_at")?)?,
        resolved_at: opt_time(r.try_get("resolved_at")?)?,
        resolved_by_tenant: r
            .try_get::<Option<String>, _>("resolved_by_tenant")?
            .map(|s| parse("tenant id", &s))
            .transpose()?,
        resolved_by_user: r
            .try_get::<Option<String>, _>("resolved_by_user")?
            .map(|s| parse("user id", &s))
            .transpose()?,
    })
}

fn relationship_row(r: &AnyRow) -> StoreResult<RelationshipRecord> {
    let roles: Option<String> = r.try_get("admin_roles")?;
    let grant = match roles {
        None => None,
        Some(roles) => Some(AdminGrant {
            roles: split::<DirectoryRole>("directory role", &roles)?,
            starts_at: time(
                r.try_get::<Option<i64>, _>("admin_starts_at")?
                    .unwrap_or_default(),
            )?,
            ends_at: opt_time(r.try_get("admin_ends_at")?)?,
            auto_extend: r.try_get::<i64, _>("admin_auto_extend")? != 0,
            terminated_at: opt_time(r.try_get("admin_terminated_at")?)?,
        }),
    };
    Ok(RelationshipRecord {
        tenant_id: parse("tenant id", &r.try_get::<String, _>("tenant_id")?)?,
        partner_id: parse("tenant id", &r.try_get::<String, _>("partner_id")?)?,
        id: parse::<RelationshipId>(
            "relationship id",
            &r.try_get::<String, _>("relationship_id")?,
        )?,
        partner_name: r.try_get("partner_name")?,
        customer_name: r.try_get("customer_name")?,
        types: split::<PartnerType>("partner type", &r.try_get::<String, _>("types")?)?
            .into_iter()
            .collect::<BTreeSet<_>>(),
        grant,
        status: parse::<RelationshipStatus>(
            "relationship status",
            &r.try_get::<String, _>("status")?,
        )?,
        created_at: time(r.try_get("created_at")?)?,
        updated_at: time(r.try_get("updated_at")?)?,
    })
}

fn audit_row(r: &AnyRow) -> StoreResult<AuditRecord> {
    Ok(AuditRecord {
        tenant_id: parse("tenant id", &r.try_get::<String, _>("tenant_id")?)?,
        id: parse("event id", &r.try_get::<String, _>("event_id")?)?,
        at: time(r.try_get("at")?)?,
        actor_tenant_id: r
            .try_get::<Option<String>, _>("actor_tenant_id")?
            .map(|s| parse("tenant id", &s))
            .transpose()?,
        actor_user_id: r
            .try_get::<Option<String>, _>("actor_user_id")?
            .map(|s| parse("user id", &s))
            .transpose()?,
        action: r.try_get("action")?,
        subject_type: r.try_get("subject_type")?,
        subject_id: r.try_get("subject_id")?,
        details: serde_json::from_str(&r.try_get::<String, _>("details")?)
            .map_err(|e| StoreError::Corrupt(format!("audit details: {e}")))?,
    })
}

const REQUEST_COLS: &str =
    "tenant_id, request_id, token_hash, types, admin_ask, customer_email, status, \
     created_by, created_at, expires_at, resolved_at, resolved_by_tenant, resolved_by_user";
const RELATIONSHIP_COLS: &str =
    "tenant_id, partner_id, relationship_id, partner_name, customer_name, types, \
     status, admin_roles, admin_starts_at, admin_ends_at, admin_auto_extend, admin_terminated_at, \
     created_at, updated_at";

#[async_trait]
impl Tx for SqlTx {
    async fn commit(self: Box<Self>) -> StoreResult<()> {
        self.tx.commit().await?;
        Ok(())
    }

    async fn insert_tenant(&mut self, t: &TenantRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO tenants (tenant_id, name, domain, country, cloud, is_partner, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(t.id.to_string())
        .bind(&t.name)
        .bind(&t.domain)
        .bind(t.country.as_str())
        .bind(t.cloud.as_str())
        .bind(i64::from(t.is_partner))
        .bind(ms(t.created_at))
        .execute(&mut *self.tx)
        .await
        .map_err(write_err)?;
        Ok(())
    }

    async fn has_tenants(&mut self) -> StoreResult<bool> {
        let n: Option<i64> = sqlx::query_scalar("SELECT CAST(1 AS BIGINT) FROM tenants LIMIT 1")
            .fetch_optional(&mut *self.tx)
            .await?;
        Ok(n.is_some())
    }

    async fn tenant(&mut self, id: TenantId) -> StoreResult<Option<TenantRecord>> {
        sqlx::query("SELECT * FROM tenants WHERE tenant_id = $1")
            .bind(id.to_string())
            .fetch_optional(&mut *self.tx)
            .await?
            .as_ref()
            .map(tenant_row)
            .transpose()
    }

    async fn tenant_by_domain(&mut self, domain: &str) -> StoreResult<Option<TenantRecord>> {
        sqlx::query("SELECT * FROM tenants WHERE domain = $1")
            .bind(domain)
            .fetch_optional(&mut *self.tx)
            .await?
            .as_ref()
            .map(tenant_row)
            .transpose()
    }

    async fn insert_user(&mut self, u: &UserRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO users (tenant_id, user_id, email, display_name, password_hash, roles, disabled, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(u.tenant_id.to_string())
        .bind(u.id.to_string())
        .bind(&u.email)
        .bind(&u.display_name)
        .bind(&u.password_hash)
        .bind(join(&u.roles))
        .bind(i64::from(u.disabled))
        .bind(ms(u.created_at))
        .execute(&mut *self.tx)
        .await
        .map_err(write_err)?;
        // The e-mail's global uniqueness lives in the sign-in directory.
        sqlx::query("INSERT INTO user_logins (email, tenant_id, user_id) VALUES ($1, $2, $3)")
            .bind(&u.email)
            .bind(u.tenant_id.to_string())
            .bind(u.id.to_string())
            .execute(&mut *self.tx)
            .await
            .map_err(write_err)?;
        Ok(())
    }

    async fn user(&mut self, tenant: TenantId, id: UserId) -> StoreResult<Option<UserRecord>> {
        sqlx::query("SELECT * FROM users WHERE tenant_id = $1 AND user_id = $2")
            .bind(tenant.to_string())
            .bind(id.to_string())
            .fetch_optional(&mut *self.tx)
            .await?
            .as_ref()
            .map(user_row)
            .transpose()
    }

    async fn user_by_email(&mut self, email: &str) -> StoreResult<Option<UserRecord>> {
        let login = sqlx::query("SELECT tenant_id, user_id FROM user_logins WHERE email = $1")
            .bind(email)
            .fetch_optional(&mut *self.tx)
            .await?;
        let Some(login) = login else {
            return Ok(None);
        };
        let tenant: TenantId = parse("tenant id", &login.try_get::<String, _>("tenant_id")?)?;
        let user: UserId = parse("user id", &login.try_get::<String, _>("user_id")?)?;
        self.user(tenant, user).await
    }

    async fn insert_session(&mut self, s: &SessionRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, tenant_id, user_id, csrf_token, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&s.token_hash)
        .bind(s.tenant_id.to_string())
        .bind(s.user_id.to_string())
        .bind(&s.csrf_token)
        .bind(ms(s.created_at))
        .bind(ms(s.expires_at))
        .execute(&mut *self.tx)
        .await
        .map_err(write_err)?;
        Ok(())
    }

    async fn session(
        &mut self,
        tenant: TenantId,
        token_hash: &str,
    ) -> StoreResult<Option<SessionRecord>> {
        let row = sqlx::query("SELECT * FROM sessions WHERE tenant_id = $1 AND token_hash = $2")
            .bind(tenant.to_string())
            .bind(token_hash)
            .fetch_optional(&mut *self.tx)
            .await?;
        row.map(|r| {
            Ok(SessionRecord {
                token_hash: r.try_get("token_hash")?,
                tenant_id: parse("tenant id", &r.try_get::<String, _>("tenant_id")?)?,
                user_id: parse("user id", &r.try_get::<String, _>("user_id")?)?,
                csrf_token: r.try_get("csrf_token")?,
                created_at: time(r.try_get("created_at")?)?,
                expires_at: time(r.try_get("expires_at")?)?,
            })
        })
        .transpose()
    }

    async fn delete_session(&mut self, tenant: TenantId, token_hash: &str) -> StoreResult<bool> {
        let r = sqlx::query("DELETE FROM sessions WHERE tenant_id = $1 AND token_hash = $2")
            .bind(tenant.to_string())
            .bind(token_hash)
            .execute(&mut *self.tx)
            .await?;
        Ok(r.rows_affected() > 0)
    }

    async fn insert_api_token(&mut self, t: &ApiTokenRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO api_tokens (token_hash, tenant_id, token_id, user_id, name, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&t.token_hash)
        .bind(t.tenant_id.to_string())
        .bind(t.id.to_string())
        .bind(t.user_id.to_string())
        .bind(&t.name)
        .bind(ms(t.created_at))
        .bind(t.expires_at.map(ms))
        .execute(&mut *self.tx)
        .await
        .map_err(write_err)?;
        Ok(())
    }

    async fn api_token(
        &mut self,
        tenant: TenantId,
        token_hash: &str,
    ) -> StoreResult<Option<ApiTokenRecord>> {
        sqlx::query("SELECT * FROM api_tokens WHERE tenant_id = $1 AND token_hash = $2")
            .bind(tenant.to_string())
            .bind(token_hash)
            .fetch_optional(&mut *self.tx)
            .await?
            .as_ref()
            .map(api_token_row)
            .transpose()
    }

    async fn list_api_tokens(
        &mut self,
        tenant: TenantId,
        user: UserId,
    ) -> StoreResult<Vec<ApiTokenRecord>> {
        let rows = sqlx::query(
            "SELECT * FROM api_tokens WHERE tenant_id = $1 AND user_id = $2 ORDER BY created_at, token_id",
        )
        .bind(tenant.to_string())
        .bind(user.to_string())
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(api_token_row).collect()
    }

    async fn delete_api_tokens(
        &mut self,
        tenant: TenantId,
        user: UserId,
        id: Option<uuid::Uuid>,
    ) -> StoreResult<u64> {
        let r = match id {
            Some(id) => sqlx::query(
                "DELETE FROM api_tokens WHERE tenant_id = $1 AND user_id = $2 AND token_id = $3",
            )
            .bind(tenant.to_string())
            .bind(user.to_string())
            .bind(id.to_string())
            .execute(&mut *self.tx)
            .await?,
            None => {
                sqlx::query("DELETE FROM api_tokens WHERE tenant_id = $1 AND user_id = $2")
                    .bind(tenant.to_string())
                    .bind(user.to_string())
                    .execute(&mut *self.tx)
                    .await?
            }
        };
        Ok(r.rows_affected())
    }

    async fn delete_user_sessions(&mut self, tenant: TenantId, user: UserId) -> StoreResult<u64> {
        let r = sqlx::query("DELETE FROM sessions WHERE tenant_id = $1 AND user_id = $2")
            .bind(tenant.to_string())
            .bind(user.to_string())
            .execute(&mut *self.tx)
            .await?;
        Ok(r.rows_affected())
    }

    async fn set_user_disabled(
        &mut self,
        tenant: TenantId,
        user: UserId,
        disabled: bool,
    ) -> StoreResult<bool> {
        let r = sqlx::query("UPDATE users SET disabled = $1 WHERE tenant_id = $2 AND user_id = $3")
            .bind(i64::from(disabled))
            .bind(tenant.to_string())
            .bind(user.to_string())
            .execute(&mut *self.tx)
            .await?;
        Ok(r.rows_affected() == 1)
    }

    async fn region_of(&mut self, country: &str) -> StoreResult<Option<String>> {
        Ok(
            sqlx::query_scalar::<_, String>("SELECT region FROM regions WHERE country = $1")
                .bind(country)
                .fetch_optional(&mut *self.tx)
                .await?,
        )
    }

    async fn set_region(&mut self, country: &str, region: &str) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO regions (country, region) VALUES ($1, $2) \
             ON CONFLICT (country) DO UPDATE SET region = excluded.region",
        )
        .bind(country)
        .bind(region)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    async fn list_regions(&mut self) -> StoreResult<Vec<(String, String)>> {
        let rows = sqlx::query("SELECT country, region FROM regions ORDER BY country")
            .fetch_all(&mut *self.tx)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("country")?, r.try_get("region")?)))
            .collect()
    }

    async fn insert_agreement(
        &mut self,
        title: &str,
        body: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<AgreementRecord> {
        let row = sqlx::query(
            "INSERT INTO agreements (version, title, body, published_at) \
             SELECT COALESCE(MAX(version), 0) + 1, $1, $2, $3 FROM agreements \
             RETURNING version, title, body, published_at",
        )
        .bind(title)
        .bind(body)
        .bind(ms(at))
        .fetch_one(&mut *self.tx)
        .await
        .map_err(write_err)?;
        agreement_row(&row)
    }

    async fn current_agreement(&mut self) -> StoreResult<Option<AgreementRecord>> {
        sqlx::query("SELECT * FROM agreements ORDER BY version DESC LIMIT 1")
            .fetch_optional(&mut *self.tx)
            .await?
            .as_ref()
            .map(agreement_row)
            .transpose()
    }

    async fn agreement(&mut self, version: i64) -> StoreResult<Option<AgreementRecord>> {
        sqlx::query("SELECT * FROM agreements WHERE version = $1")
            .bind(version)
            .fetch_optional(&mut *self.tx)
            .await?
            .as_ref()
            .map(agreement_row)
            .transpose()
    }

    async fn acceptance(
        &mut self,
        tenant: TenantId,
        version: i64,
    ) -> StoreResult<Option<AcceptanceRecord>> {
        let row = sqlx::query(
            "SELECT * FROM agreement_acceptances WHERE tenant_id = $1 AND version = $2",
        )
        .bind(tenant.to_string())
        .bind(version)
        .fetch_optional(&mut *self.tx)
        .await?;
        row.map(|r| {
            Ok(AcceptanceRecord {
                tenant_id: parse("tenant id", &r.try_get::<String, _>("tenant_id")?)?,
                id: parse("acceptance id", &r.try_get::<String, _>("acceptance_id")?)?,
                version: r.try_get("version")?,
                user_id: parse("user id", &r.try_get::<String, _>("user_id")?)?,
                user_name: r.try_get("user_name")?,
                user_email: r.try_get("user_email")?,
                accepted_at: time(r.try_get("accepted_at")?)?,
                client_addr: r.try_get("client_addr")?,
            })
        })
        .transpose()
    }

    async fn insert_acceptance(&mut self, a: &AcceptanceRecord) -> StoreResult<bool> {
        let r = sqlx::query(
            "INSERT INTO agreement_acceptances \
             (tenant_id, acceptance_id, version, user_id, user_name, user_email, accepted_at, client_addr) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (tenant_id, version) DO NOTHING",
        )
        .bind(a.tenant_id.to_string())
        .bind(a.id.to_string())
        .bind(a.version)
        .bind(a.user_id.to_string())
        .bind(&a.user_name)
        .bind(&a.user_email)
        .bind(ms(a.accepted_at))
        .bind(&a.client_addr)
        .execute(&mut *self.tx)
        .await
        .map_err(write_err)?;
        Ok(r.rows_affected() == 1)
    }

    async fn insert_request(&mut self, r: &RequestRecord) -> StoreResult<()> {
        let ask = serde_json::to_string(&r.ask).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        sqlx::query(&format!(
            "INSERT INTO relationship_requests ({REQUEST_COLS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
        ))
        .bind(r.tenant_id.to_string())
        .bind(r.id.to_string())
        .bind(&r.token_hash)
        .bind(join(&r.types))
        .bind(ask)
        .bind(r.customer_email.clone())
        .bind(r.status.as_str())
        .bind(r.created_by.to_string())
        .bind(ms(r.created_at))
        .bind(ms(r.expires_at))
        .bind(r.resolved_at.map(ms))
        .bind(r.resolved_by_tenant.map(|t| t.to_string()))
        .bind(r.resolved_by_user.map(|u| u.to_string()))
        .execute(&mut *self.tx)
        .await
        .map_err(write_err)?;
        Ok(())
    }

    async fn request(
        &mut self,
        partner: TenantId,
        id: RequestId,
    ) -> StoreResult<Option<RequestRecord>> {
        sqlx::query(&format!(
            "SELECT {REQUEST_COLS} FROM relationship_requests WHERE tenant_id = $1 AND request_id = $2"
        ))
        .bind(partner.to_string())
        .bind(id.to_string())
        .fetch_optional(&mut *self.tx)
        .await?
        .as_ref()
        .map(request_row)
        .transpose()
    }

    async fn request_by_token_hash(
        &mut self,
        partner: TenantId,
        token_hash: &str,
    ) -> StoreResult<Option<RequestRecord>> {
        sqlx::query(&format!(
            "SELECT {REQUEST_COLS} FROM relationship_requests WHERE tenant_id = $1 AND token_hash = $2"
        ))
        .bind(partner.to_string())
        .bind(token_hash)
        .fetch_optional(&mut *self.tx)
        .await?
        .as_ref()
        .map(request_row)
        .transpose()
    }

    async fn list_requests(
        &mut self,
        partner: TenantId,
        after: Option<(DateTime<Utc>, RequestId)>,
        limit: u32,
    ) -> StoreResult<Vec<RequestRecord>> {
        let rows = match after {
            None => {
                sqlx::query(&format!(
                    "SELECT {REQUEST_COLS} FROM relationship_requests WHERE tenant_id = $1 \
                     ORDER BY created_at DESC, request_id DESC LIMIT $2"
                ))
                .bind(partner.to_string())
                .bind(i64::from(limit))
                .fetch_all(&mut *self.tx)
                .await?
            }
            Some((at, id)) => {
                sqlx::query(&format!(
                    "SELECT {REQUEST_COLS} FROM relationship_requests WHERE tenant_id = $1 \
                     AND (created_at < $2 OR (created_at = $3 AND request_id < $4)) \
                     ORDER BY created_at DESC, request_id DESC LIMIT $5"
                ))
                .bind(partner.to_string())
                .bind(ms(at))
                .bind(ms(at))
                .bind(id.to_string())
                .bind(i64::from(limit))
                .fetch_all(&mut *self.tx)
                .await?
            }
        };
        rows.iter().map(request_row).collect()
    }

    async fn resolve_request(
        &mut self,
        partner: TenantId,
        id: RequestId,
        res: &RequestResolution,
    ) -> StoreResult<bool> {
        let r = sqlx::query(
            "UPDATE relationship_requests \
             SET status = $1, resolved_at = $2, resolved_by_tenant = $3, resolved_by_user = $4 \
             WHERE tenant_id = $5 AND request_id = $6 AND status = 'pending' AND expires_at > $7",
        )
        .bind(res.status.as_str())
        .bind(ms(res.at))
        .bind(res.by_tenant.to_string())
        .bind(res.by_user.to_string())
        .bind(partner.to_string())
        .bind(id.to_string())
        .bind(ms(res.at))
        .execute(&mut *self.tx)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    async fn relationship(
        &mut self,
        customer: TenantId,
        partner: TenantId,
    ) -> StoreResult<Option<RelationshipRecord>> {
        sqlx::query(&format!(
            "SELECT {RELATIONSHIP_COLS} FROM relationships WHERE tenant_id = $1 AND partner_id = $2"
        ))
        .bind(customer.to_string())
        .bind(partner.to_string())
        .fetch_optional(&mut *self.tx)
        .await?
        .as_ref()
        .map(relationship_row)
        .transpose()
    }

    async fn relationship_for_update(
        &mut self,
        customer: TenantId,
        partner: TenantId,
    ) -> StoreResult<Option<RelationshipRecord>> {
        sqlx::query(&format!(
            "SELECT {RELATIONSHIP_COLS} FROM relationships WHERE tenant_id = $1 AND partner_id = $2{}",
            self.for_update()
        ))
        .bind(customer.to_string())
        .bind(partner.to_string())
        .fetch_optional(&mut *self.tx)
        .await?
        .as_ref()
        .map(relationship_row)
        .transpose()
    }

    async fn claim_relationship(
        &mut self,
        placeholder: &RelationshipRecord,
    ) -> StoreResult<Option<RelationshipRecord>> {
        // Insert an ended, empty row if the pair has none: concurrent claims then wait on
        // the primary key, and each sees the other's committed state.
        let inserted = sqlx::query(&format!(
            "INSERT INTO relationships ({RELATIONSHIP_COLS}) \
             VALUES ($1, $2, $3, $4, $5, '', 'ended', NULL, NULL, NULL, 0, NULL, $6, $7) \
             ON CONFLICT (tenant_id, partner_id) DO NOTHING"
        ))
        .bind(placeholder.tenant_id.to_string())
        .bind(placeholder.partner_id.to_string())
        .bind(placeholder.id.to_string())
        .bind(&placeholder.partner_name)
        .bind(&placeholder.customer_name)
        .bind(ms(placeholder.created_at))
        .bind(ms(placeholder.updated_at))
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        if inserted == 1 {
            return Ok(None);
        }
        self.relationship_for_update(placeholder.tenant_id, placeholder.partner_id)
            .await
    }

    async fn upsert_relationship(&mut self, r: &RelationshipRecord) -> StoreResult<()> {
        let g = r.grant.as_ref();
        sqlx::query(&format!(
            "INSERT INTO relationships ({RELATIONSHIP_COLS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
             ON CONFLICT (tenant_id, partner_id) DO UPDATE SET \
               partner_name = excluded.partner_name, customer_name = excluded.customer_name, \
               types = excluded.types, status = excluded.status, admin_roles = excluded.admin_roles, \
               admin_starts_at = excluded.admin_starts_at, admin_ends_at = excluded.admin_ends_at, \
               admin_auto_extend = excluded.admin_auto_extend, \
               admin_terminated_at = excluded.admin_terminated_at, updated_at = excluded.updated_at"
        ))
        .bind(r.tenant_id.to_string())
        .bind(r.partner_id.to_string())
        .bind(r.id.to_string())
        .bind(&r.partner_name)
        .bind(&r.customer_name)
        .bind(join(&r.types))
        .bind(r.status.as_str())
        .bind(g.map(|g| join(&g.roles)))
        .bind(g.map(|g| ms(g.starts_at)))
        .bind(g.and_then(|g| g.ends_at).map(ms))
        .bind(i64::from(g.is_some_and(|g| g.auto_extend)))
        .bind(g.and_then(|g| g.terminated_at).map(ms))
        .bind(ms(r.created_at))
        .bind(ms(r.updated_at))
        .execute(&mut *self.tx)
        .await
        .map_err(write_err)?;
        Ok(())
    }

    async fn list_customers(
        &mut self,
        partner: TenantId,
        query: Option<&str>,
        after: Option<(String, TenantId)>,
        limit: u32,
    ) -> StoreResult<Vec<RelationshipRecord>> {
        let pattern = query.map(like_pattern).unwrap_or_else(|| "%".into());
        let (after_name, after_id) = after.map(|(n, id)| (n, id.to_string())).unwrap_or_default();
        let rows = sqlx::query(&format!(
            "SELECT {RELATIONSHIP_COLS} FROM relationships \
             WHERE partner_id = $1 AND status = 'active' \
               AND LOWER(customer_name) LIKE $2 ESCAPE '\\' \
               AND (customer_name > $3 OR (customer_name = $4 AND tenant_id > $5)) \
             ORDER BY customer_name, tenant_id LIMIT $6"
        ))
        .bind(partner.to_string())
        .bind(pattern)
        .bind(after_name.clone())
        .bind(after_name)
        .bind(after_id)
        .bind(i64::from(limit))
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(relationship_row).collect()
    }

    async fn list_partners(
        &mut self,
        customer: TenantId,
        after: Option<(String, TenantId)>,
        limit: u32,
    ) -> StoreResult<Vec<RelationshipRecord>> {
        let (after_name, after_id) = after.map(|(n, id)| (n, id.to_string())).unwrap_or_default();
        let rows = sqlx::query(&format!(
            "SELECT {RELATIONSHIP_COLS} FROM relationships \
             WHERE tenant_id = $1 AND status = 'active' \
               AND (partner_name > $2 OR (partner_name = $3 AND partner_id > $4)) \
             ORDER BY partner_name, partner_id LIMIT $5"
        ))
        .bind(customer.to_string())
        .bind(after_name.clone())
        .bind(after_name)
        .bind(after_id)
        .bind(i64::from(limit))
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(relationship_row).collect()
    }

    async fn insert_audit(&mut self, e: &AuditRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO audit_events \
             (tenant_id, event_id, at, actor_tenant_id, actor_user_id, action, subject_type, subject_id, details) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(e.tenant_id.to_string())
        .bind(e.id.to_string())
        .bind(ms(e.at))
        .bind(e.actor_tenant_id.map(|t| t.to_string()))
        .bind(e.actor_user_id.map(|u| u.to_string()))
        .bind(&e.action)
        .bind(&e.subject_type)
        .bind(&e.subject_id)
        .bind(e.details.to_string())
        .execute(&mut *self.tx)
        .await
        .map_err(write_err)?;
        Ok(())
    }

    async fn insert_operator_event(&mut self, e: &AuditRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO operator_events (event_id, at, action, subject_type, subject_id, details) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(e.id.to_string())
        .bind(ms(e.at))
        .bind(&e.action)
        .bind(&e.subject_type)
        .bind(&e.subject_id)
        .bind(e.details.to_string())
        .execute(&mut *self.tx)
        .await
        .map_err(write_err)?;
        Ok(())
    }

    async fn list_audit(&mut self, tenant: TenantId, limit: u32) -> StoreResult<Vec<AuditRecord>> {
        let rows = sqlx::query(
            "SELECT * FROM audit_events WHERE tenant_id = $1 ORDER BY at DESC, event_id DESC LIMIT $2",
        )
        .bind(tenant.to_string())
        .bind(i64::from(limit))
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(audit_row).collect()
    }
}
