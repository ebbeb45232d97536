//! Settings: defaults → accord.toml → `ACCORD_*` environment → flags.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;

use accord_domain::Cloud;
use accord_service::outbox::MailTransport;
use accord_service::{CloudPortal, ServiceConfig};
use accord_store::StoreOptions;
use anyhow::{bail, Context};
use serde::Deserialize;

use crate::{GlobalArgs, ServeArgs};

/// The keys accepted in accord.toml.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<SocketAddr>,
    public_url: Option<String>,
    database_url: Option<String>,
    request_ttl_days: Option<u32>,
    session_ttl_hours: Option<u32>,
    /// SQLite `synchronous`: FULL (default), EXTRA, NORMAL or OFF.
    sqlite_synchronous: Option<String>,
    /// PostgreSQL `synchronous_commit`: on (default), remote_apply, remote_write, local or off.
    pg_synchronous_commit: Option<String>,
    max_connections: Option<u32>,
    log: Option<String>,
    /// Reverse proxies whose `X-Forwarded-For` names the client (addresses or CIDR
    /// ranges).
    trusted_proxies: Option<Vec<String>>,
    /// Where e-mail goes: `smtp://host:25`, `smtp://user:pass@host:587?tls=required`,
    /// `smtps://user:pass@host`.
    smtp_url: Option<String>,
    /// Or: write each e-mail as an `.eml` file into this directory.
    mail_dir: Option<PathBuf>,
    /// The sender of Accord's e-mails.
    mail_from: Option<String>,
    /// The language when the browser names none Accord speaks: `en` or `ko`.
    default_locale: Option<String>,
    #[serde(default)]
    clouds: BTreeMap<String, CloudPortal>,
}

impl std::fmt::Debug for FileConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileConfig")
            .field("listen", &self.listen)
            .field("public_url", &self.public_url)
            .field(
                "database_url",
                &self.database_url.as_deref().map(accord_store::redact_url),
            )
            .field("request_ttl_days", &self.request_ttl_days)
            .field("session_ttl_hours", &self.session_ttl_hours)
            .field("sqlite_synchronous", &self.sqlite_synchronous)
            .field("pg_synchronous_commit", &self.pg_synchronous_commit)
            .field("max_connections", &self.max_connections)
            .field("log", &self.log)
            .field("trusted_proxies", &self.trusted_proxies)
            .field(
                "smtp_url",
                &self.smtp_url.as_deref().map(accord_store::redact_url),
            )
            .field("mail_dir", &self.mail_dir)
            .field("mail_from", &self.mail_from)
            .field("default_locale", &self.default_locale)
            .field("clouds", &self.clouds)
            .finish()
    }
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("listen", &self.listen)
            .field("data_dir", &self.data_dir)
            .field("database", &self.database_display())
            .field("sqlite_synchronous", &self.sqlite_synchronous)
            .field("pg_synchronous_commit", &self.pg_synchronous_commit)
            .field("max_connections", &self.max_connections)
            .field("log", &self.log)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("mail", &self.mail)
            .field("mail_from", &self.mail_from)
            .field("service", &self.service)
            .finish()
    }
}

pub struct Settings {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    database_url: Option<String>,
    pub sqlite_synchronous: String,
    pub pg_synchronous_commit: String,
    pub max_connections: u32,
    pub log: String,
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Where e-mail goes; `None`: not configured (messages wait in the outbox).
    pub mail: Option<MailTransport>,
    pub mail_from: String,
    pub service: ServiceConfig,
}

/// Reads `10.0.0.0/8`, `192.0.2.7` or `::1` as a network (a bare address is one host).
fn parse_proxy(s: &str) -> anyhow::Result<ipnet::IpNet> {
    let s = s.trim();
    if let Ok(net) = s.parse::<ipnet::IpNet>() {
        return Ok(net);
    }
    let ip: std::net::IpAddr = s
        .parse()
        .with_context(|| format!("trusted_proxies: {s:?} is not an IP address or CIDR range"))?;
    Ok(ipnet::IpNet::from(ip))
}

fn env_u32(name: &str) -> anyhow::Result<Option<u32>> {
    match std::env::var(name) {
        Ok(v) => {
            Ok(Some(v.trim().parse().with_context(|| {
                format!("{name} must be a whole number")
            })?))
        }
        Err(_) => Ok(None),
    }
}

impl Settings {
    pub fn load(global: &GlobalArgs, serve: Option<&ServeArgs>) -> anyhow::Result<Self> {
        let data_dir = global
            .data_dir
            .clone()
            .unwrap_or_else(|| PathBuf::from("accord-data"));
        let config_path = global.config.clone().or_else(|| {
            let p = data_dir.join("accord.toml");
            p.exists().then_some(p)
        });
        let file: FileConfig = match &config_path {
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .with_context(|| format!("cannot read {}", p.display()))?;
                toml::from_str(&text)
                    .with_context(|| format!("invalid configuration in {}", p.display()))?
            }
            None => FileConfig::default(),
        };
        let listen = serve
            .and_then(|s| s.listen)
            .or(file.listen)
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080)));
        let public_url = serve
            .and_then(|s| s.public_url.clone())
            .or(file.public_url)
            .unwrap_or_else(|| {
                let host = if listen.ip().is_unspecified() {
                    "127.0.0.1".to_string()
                } else {
                    listen.ip().to_string()
                };
                format!("http://{host}:{}", listen.port())
            });
        let public_url = public_url.trim_end_matches('/').to_string();
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            bail!("public_url must start with http:// or https://");
        }
        let mut clouds = ServiceConfig::default_clouds();
        for (name, portal) in file.clouds {
            let cloud: Cloud = name
                .parse()
                .with_context(|| format!("unknown cloud [clouds.{name}]"))?;
            clouds.insert(cloud, portal);
        }
        let request_ttl_days = env_u32("ACCORD_REQUEST_TTL_DAYS")?
            .or(file.request_ttl_days)
            .unwrap_or(90);
        if !(1..=3650).contains(&request_ttl_days) {
            bail!("request_ttl_days must be between 1 and 3650");
        }
        let session_ttl_hours = env_u32("ACCORD_SESSION_TTL_HOURS")?
            .or(file.session_ttl_hours)
            .unwrap_or(12);
        if !(1..=24 * 90).contains(&session_ttl_hours) {
            bail!("session_ttl_hours must be between 1 and 2160");
        }
        let sqlite_synchronous = std::env::var("ACCORD_SQLITE_SYNCHRONOUS")
            .ok()
            .or(file.sqlite_synchronous)
            .unwrap_or_else(|| "FULL".into())
            .to_ascii_uppercase();
        if !["FULL", "EXTRA", "NORMAL", "OFF"].contains(&sqlite_synchronous.as_str()) {
            bail!("sqlite_synchronous must be FULL, EXTRA, NORMAL or OFF");
        }
        let pg_synchronous_commit = std::env::var("ACCORD_PG_SYNCHRONOUS_COMMIT")
            .ok()
            .or(file.pg_synchronous_commit)
            .unwrap_or_else(|| "on".into())
            .to_ascii_lowercase();
        if !["on", "remote_apply", "remote_write", "local", "off"]
            .contains(&pg_synchronous_commit.as_str())
        {
            bail!("pg_synchronous_commit must be on, remote_apply, remote_write, local or off");
        }
        let max_connections = env_u32("ACCORD_MAX_CONNECTIONS")?
            .or(file.max_connections)
            .unwrap_or(8);
        if !(1..=1000).contains(&max_connections) {
            bail!("max_connections must be between 1 and 1000");
        }
        let trusted_proxies = match std::env::var("ACCORD_TRUSTED_PROXIES") {
            Ok(v) => v
                .split(',')
                .filter(|s| !s.trim().is_empty())
                .map(parse_proxy)
                .collect::<anyhow::Result<Vec<_>>>()?,
            Err(_) => file
                .trusted_proxies
                .unwrap_or_default()
                .iter()
                .map(|s| parse_proxy(s))
                .collect::<anyhow::Result<Vec<_>>>()?,
        };
        let smtp_url = std::env::var("ACCORD_SMTP_URL")
            .ok()
            .filter(|v| !v.trim().is_empty())
            .or(file.smtp_url);
        let mail_dir = std::env::var_os("ACCORD_MAIL_DIR")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or(file.mail_dir);
        let mail = match (smtp_url, mail_dir) {
            (Some(_), Some(_)) => bail!("set smtp_url or mail_dir, not both"),
            (Some(url), None) => Some(MailTransport::Smtp(url)),
            (None, Some(dir)) => Some(MailTransport::Directory(dir)),
            (None, None) => None,
        };
        let mail_from = std::env::var("ACCORD_MAIL_FROM")
            .ok()
            .or(file.mail_from)
            .unwrap_or_else(|| "Accord <no-reply@accord.invalid>".into());
        let default_locale = match std::env::var("ACCORD_DEFAULT_LOCALE")
            .ok()
            .or(file.default_locale)
        {
            None => accord_domain::Locale::En,
            Some(v) => match v.trim() {
                "en" => accord_domain::Locale::En,
                "ko" => accord_domain::Locale::Ko,
                _ => bail!("default_locale must be en or ko"),
            },
        };
        Ok(Self {
            mail,
            mail_from,
            pg_synchronous_commit,
            listen,
            database_url: global.database_url.clone().or(file.database_url),
            sqlite_synchronous,
            max_connections,
            trusted_proxies,
            log: std::env::var("ACCORD_LOG")
                .ok()
                .or(file.log)
                .unwrap_or_else(|| "info,sqlx=warn".into()),
            service: ServiceConfig {
                public_url,
                request_ttl_days,
                session_ttl_hours,
                clouds,
                default_locale,
                directory_index: Some(data_dir.join("directory-index")),
            },
            data_dir,
        })
    }

    pub fn store_options(&self) -> StoreOptions {
        match &self.database_url {
            Some(url) => StoreOptions {
                url: url.clone(),
                max_connections: self.max_connections,
                sqlite_synchronous: self.sqlite_synchronous.clone(),
                pg_synchronous_commit: self.pg_synchronous_commit.clone(),
            },
            None => {
                let _ = std::fs::create_dir_all(&self.data_dir);
                StoreOptions {
                    max_connections: self.max_connections,
                    sqlite_synchronous: self.sqlite_synchronous.clone(),
                    pg_synchronous_commit: self.pg_synchronous_commit.clone(),
                    ..StoreOptions::sqlite_file(&self.data_dir.join("accord.db"))
                }
            }
        }
    }

    /// The database, without its password, for messages.
    pub fn database_display(&self) -> String {
        match &self.database_url {
            Some(url) => accord_store::redact_url(url),
            None => self.data_dir.join("accord.db").display().to_string(),
        }
    }

    fn is_postgres(&self) -> bool {
        self.database_url
            .as_deref()
            .is_some_and(|u| u.starts_with("postgres:") || u.starts_with("postgresql:"))
    }

    pub fn warn_weak_durability(&self) {
        if self.is_postgres() {
            if matches!(self.pg_synchronous_commit.as_str(), "off" | "local") {
                tracing::warn!(
                    synchronous_commit = %self.pg_synchronous_commit,
                    "PostgreSQL synchronous_commit is weaker than on: acknowledged writes can be lost if the server crashes"
                );
            }
        } else if matches!(self.sqlite_synchronous.as_str(), "NORMAL" | "OFF") {
            tracing::warn!(
                synchronous = %self.sqlite_synchronous,
                "SQLite synchronous is weaker than FULL: acknowledged writes can be lost on power failure"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly")]
    use super::*;

    #[test]
    fn debug_output_never_shows_the_database_password() {
        let file: FileConfig = toml::from_str(
            "database_url = \"postgres://accord:s3cret-pw@db.internal/accord\"\nsmtp_url = \"smtps://mailer:s3cret-pw@mail.internal\"",
        )
        .unwrap();
        let shown = format!("{file:?}");
        assert!(!shown.contains("s3cret-pw"), "{shown}");
        assert!(shown.contains("db.internal"), "{shown}");
        let settings = Settings {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("d"),
            database_url: file.database_url.clone(),
            sqlite_synchronous: "FULL".into(),
            pg_synchronous_commit: "on".into(),
            max_connections: 8,
            log: "info".into(),
            trusted_proxies: vec![
                parse_proxy("10.0.0.0/8").unwrap(),
                parse_proxy("::1").unwrap(),
            ],
            mail: file.smtp_url.clone().map(MailTransport::Smtp),
            mail_from: "a@b.example".into(),
            service: ServiceConfig::default(),
        };
        assert!(format!("{settings:?}").contains("mailer:***@mail.internal"));
        assert_eq!(
            accord_store::redact_url(
                "postgres://u@db.internal/accord?password=s3cret-pw&sslmode=require"
            ),
            "postgres://u@db.internal/accord?password=***&sslmode=require"
        );
        for shown in [
            format!("{settings:?}"),
            format!("{:?}", settings.store_options()),
            settings.database_display(),
        ] {
            assert!(!shown.contains("s3cret-pw"), "{shown}");
            assert!(shown.contains("accord:***@db.internal"), "{shown}");
        }
    }
}
