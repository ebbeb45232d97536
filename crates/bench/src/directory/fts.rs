//! The baseline: the same corpus in SQLite FTS5 (the bundled libsqlite3 of sqlx), asked the
//! same questions.
//!
//! * `partner`: one row per partner (cloud, country, lower-cased city, name key), indexed by
//!   cloud and country and by cloud and name.
//! * `partner_value`: one row per (field, value, partner) of the multi-valued filters
//!   (org size, type, service, industry, language), keyed both ways.
//! * `fts`: FTS5 over name, keywords and body (description, city, service and industry
//!   labels), tokenizer `unicode61 remove_diacritics 2`, ranked with `bm25(fts, 3, 2, 1)`
//!   (the boosts of Accord's index).
//! * `fts_cjk`: FTS5 with the `trigram` tokenizer over the Korean/CJK runs of each
//!   partner's text, since `unicode61` keeps a Hangul run as one token and would only find
//!   whole words. A Korean word of three or more characters uses the trigram index
//!   (`LIKE '%…%'`); one of two characters cannot (trigrams need three) and scans the table.
//!
//! Facets are `GROUP BY` over the matching partners; totals are `count(*)`.

use std::collections::HashMap;
use std::path::Path;

use accord_domain::Cloud;
use accord_search::ProfileDoc;
use anyhow::Context;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection, Row, SqliteConnection};

use super::queries::{cjk_runs, BenchQuery, Class};

pub struct Fts {
    conn: SqliteConnection,
}

/// What FTS5 answered.
#[derive(Debug, Default)]
pub struct FtsAnswer {
    pub total: u64,
    /// Row ids (partner index + 1), best first.
    pub top: Vec<i64>,
    /// (field, value) → count, for the facet class.
    pub facets: HashMap<(String, String), u64>,
}

fn cloud_name(c: Cloud) -> &'static str {
    c.as_str()
}

fn city_key(city: &str) -> String {
    city.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Inserts `rows` (each `width` values) in statements of `per` rows.
async fn insert_batched(
    conn: &mut SqliteConnection,
    head: &str,
    width: usize,
    rows: &[Vec<Value>],
    per: usize,
) -> anyhow::Result<()> {
    let tuple = format!("({})", vec!["?"; width].join(","));
    for chunk in rows.chunks(per) {
        let sql = format!(
            "{head} VALUES {}",
            vec![tuple.as_str(); chunk.len()].join(",")
        );
        let mut q = sqlx::query(&sql);
        for row in chunk {
            for v in row {
                q = match v {
                    Value::I(i) => q.bind(*i),
                    Value::S(s) => q.bind(s.clone()),
                };
            }
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

fn bind_all<'q>(
    sql: &'q str,
    binds: &[String],
) -> sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>> {
    let mut query = sqlx::query(sql);
    for b in binds {
        query = query.bind(b.clone());
    }
    query
}

enum Value {
    I(i64),
    S(String),
}

impl Fts {
    /// Builds the database in `path` from `docs` (row id = position + 1).
    pub async fn build(path: &Path, docs: &[ProfileDoc]) -> anyhow::Result<Self> {
        let mut conn = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Off)
            .synchronous(SqliteSynchronous::Off)
            .pragma("cache_size", "-524288")
            .pragma("temp_store", "memory")
            .pragma("mmap_size", "4294967296")
            .connect()
            .await
            .context("cannot open the FTS5 database")?;
        for ddl in [
            "CREATE TABLE partner (id INTEGER PRIMARY KEY, cloud TEXT NOT NULL, country TEXT NOT NULL, city_key TEXT NOT NULL, name_key TEXT NOT NULL)",
            "CREATE TABLE partner_value (field TEXT NOT NULL, value TEXT NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (field, value, id)) WITHOUT ROWID",
            "CREATE VIRTUAL TABLE fts USING fts5(name, keywords, body, tokenize = 'unicode61 remove_diacritics 2')",
            "CREATE VIRTUAL TABLE fts_cjk USING fts5(text, tokenize = 'trigram')",
        ] {
            sqlx::query(ddl).execute(&mut conn).await?;
        }
        let mut tx = conn.begin().await?;
        for (chunk_no, chunk) in docs.chunks(10_000).enumerate() {
            let first = chunk_no * 10_000;
            let mut partners = Vec::with_capacity(chunk.len());
            let mut values = Vec::new();
            let mut text = Vec::with_capacity(chunk.len());
            let mut cjk = Vec::new();
            for (j, d) in chunk.iter().enumerate() {
                let id = (first + j + 1) as i64;
                let p = &d.profile;
                partners.push(vec![
                    Value::I(id),
                    Value::S(cloud_name(d.cloud).to_string()),
                    Value::S(p.country.as_str().to_string()),
                    Value::S(city_key(&p.city)),
                    Value::S(p.name.to_lowercase()),
                ]);
                let mut value = |field: &str, v: &str| {
                    values.push(vec![
                        Value::S(field.to_string()),
                        Value::S(v.to_string()),
                        Value::I(id),
                    ])
                };
                for v in &p.org_sizes {
                    value("org_size", v.as_str());
                }
                for v in &p.types {
                    value("types", v.as_str());
                }
                for v in &p.services {
                    value("service", v.as_str());
                }
                for v in &p.industries {
                    value("industry", v.as_str());
                }
                for v in &p.languages {
                    value("language", v.as_str());
                }
                let mut body = format!("{}\n{}", p.description, p.city);
                for l in p
                    .services
                    .iter()
                    .map(|s| s.label())
                    .chain(p.industries.iter().map(|i| i.label()))
                {
                    body.push('\n');
                    body.push_str(l);
                }
                text.push(vec![
                    Value::I(id),
                    Value::S(p.name.clone()),
                    Value::S(p.keywords.join("\n")),
                    Value::S(body),
                ]);
                let runs: Vec<String> = std::iter::once(&p.name)
                    .chain(&p.keywords)
                    .chain([&p.description, &p.city])
                    .flat_map(|t| cjk_runs(t))
                    .collect();
                if !runs.is_empty() {
                    cjk.push(vec![Value::I(id), Value::S(runs.join(" "))]);
                }
            }
            insert_batched(
                &mut tx,
                "INSERT INTO partner (id, cloud, country, city_key, name_key)",
                5,
                &partners,
                1000,
            )
            .await?;
            insert_batched(
                &mut tx,
                "INSERT INTO partner_value (field, value, id)",
                3,
                &values,
                2000,
            )
            .await?;
            insert_batched(
                &mut tx,
                "INSERT INTO fts (rowid, name, keywords, body)",
                4,
                &text,
                1000,
            )
            .await?;
            insert_batched(&mut tx, "INSERT INTO fts_cjk (rowid, text)", 2, &cjk, 1000).await?;
        }
        tx.commit().await?;
        for ddl in [
            "CREATE INDEX partner_cloud_country ON partner (cloud, country)",
            "CREATE INDEX partner_cloud_name ON partner (cloud, name_key, id)",
            "CREATE INDEX partner_value_by_id ON partner_value (id, field, value)",
            "INSERT INTO fts (fts) VALUES ('optimize')",
            "INSERT INTO fts_cjk (fts_cjk) VALUES ('optimize')",
            "ANALYZE",
        ] {
            sqlx::query(ddl).execute(&mut conn).await?;
        }
        Ok(Fts { conn })
    }

    /// What one statement costs through sqlx (its worker hand-off), in ms: the median of
    /// `SELECT 1`.
    pub async fn statement_overhead_ms(&mut self) -> anyhow::Result<f64> {
        let mut ms = Vec::with_capacity(1000);
        for _ in 0..1000 {
            let t = std::time::Instant::now();
            sqlx::query("SELECT 1").fetch_one(&mut self.conn).await?;
            ms.push(t.elapsed().as_secs_f64() * 1e3);
        }
        Ok(super::percentile(&mut ms, 0.5))
    }

    /// Answers one query: the total, the first `limit` row ids, and for the facet class the
    /// counts of every filter field.
    pub async fn answer(&mut self, q: &BenchQuery, limit: usize) -> anyhow::Result<FtsAnswer> {
        let mut binds: Vec<String> = vec![cloud_name(q.query.cloud).to_string()];
        let mut conds = vec!["p.cloud = ?1".to_string()];
        let mut from = "partner p".to_string();
        let mut order = "p.name_key, p.id".to_string();

        if !q.latin.is_empty() {
            let words: Vec<String> = q
                .latin
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    let star = if q.prefix && i + 1 == q.latin.len() {
                        "*"
                    } else {
                        ""
                    };
                    format!("\"{w}\"{star}")
                })
                .collect();
            let join = if q.query.mode == accord_search::Match::Any {
                " OR "
            } else {
                " "
            };
            binds.push(words.join(join));
            from = "fts JOIN partner p ON p.id = fts.rowid".into();
            conds.push(format!("fts MATCH ?{}", binds.len()));
            order = "bm25(fts, 3.0, 2.0, 1.0), p.id".into();
        } else if !q.korean.is_empty() {
            from = "fts_cjk c JOIN partner p ON p.id = c.rowid".into();
            for w in &q.korean {
                binds.push(format!("%{w}%"));
                conds.push(format!("c.text LIKE ?{}", binds.len()));
            }
            order = "p.id".into();
        }
        let mut in_list = |column: &str, values: Vec<String>, conds: &mut Vec<String>| {
            if values.is_empty() {
                return;
            }
            let marks: Vec<String> = values
                .into_iter()
                .map(|v| {
                    binds.push(v);
                    format!("?{}", binds.len())
                })
                .collect();
            conds.push(format!("{column} IN ({})", marks.join(", ")));
        };
        let qq = &q.query;
        in_list(
            "p.country",
            qq.countries
                .iter()
                .map(|c| c.as_str().to_string())
                .collect(),
            &mut conds,
        );
        in_list(
            "p.city_key",
            qq.cities.iter().map(|c| city_key(c)).collect(),
            &mut conds,
        );
        for (field, values) in [
            (
                "org_size",
                qq.org_sizes.iter().map(|v| v.as_str()).collect::<Vec<_>>(),
            ),
            ("types", qq.types.iter().map(|v| v.as_str()).collect()),
            ("service", qq.services.iter().map(|v| v.as_str()).collect()),
            (
                "industry",
                qq.industries.iter().map(|v| v.as_str()).collect(),
            ),
            (
                "language",
                qq.languages.iter().map(|v| v.as_str()).collect(),
            ),
        ] {
            if values.is_empty() {
                continue;
            }
            let mut sub = Vec::new();
            in_list(
                "value",
                values.iter().map(|v| v.to_string()).collect(),
                &mut sub,
            );
            conds.push(format!(
                "EXISTS (SELECT 1 FROM partner_value v WHERE v.field = '{field}' AND v.{} AND v.id = p.id)",
                sub.join(" AND ")
            ));
        }
        let cond = conds.join(" AND ");

        let total: i64 = bind_all(&format!("SELECT count(*) FROM {from} WHERE {cond}"), &binds)
            .fetch_one(&mut self.conn)
            .await?
            .try_get(0)?;
        let top = bind_all(
            &format!("SELECT p.id FROM {from} WHERE {cond} ORDER BY {order} LIMIT {limit}"),
            &binds,
        )
        .fetch_all(&mut self.conn)
        .await?
        .iter()
        .map(|r| r.try_get::<i64, _>(0))
        .collect::<Result<Vec<_>, _>>()?;
        let mut facets = HashMap::new();
        if q.class == Class::Facets {
            let matching = format!("SELECT p.id FROM {from} WHERE {cond}");
            for sql in [
                format!("SELECT 'country', p.country, count(*) FROM {from} WHERE {cond} GROUP BY p.country"),
                format!("SELECT 'city', p.city_key, count(*) FROM {from} WHERE {cond} GROUP BY p.city_key"),
                format!("SELECT v.field, v.value, count(*) FROM partner_value v WHERE v.id IN ({matching}) GROUP BY v.field, v.value"),
            ] {
                for row in bind_all(&sql, &binds).fetch_all(&mut self.conn).await? {
                    let field: String = row.try_get(0)?;
                    let value: String = row.try_get(1)?;
                    let n: i64 = row.try_get(2)?;
                    facets.insert((field, value), n as u64);
                }
            }
        }
        Ok(FtsAnswer {
            total: total as u64,
            top,
            facets,
        })
    }
}
