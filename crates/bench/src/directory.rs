//! `accord-bench directory`: the partner directory index (`accord-search`, tantivy) against
//! SQLite FTS5 on the same synthetic directory, in process, one query at a time.
//!
//! The corpus comes from `accord_search::synth` (1,000,000 partners by default). Accord's
//! index is built on disk in a temporary directory exactly as a node builds it
//! ([`DirectoryIndex::rebuild`]); FTS5 gets the same text and filters (see `fts`). Then
//! 1,000 seeded queries in five classes ([`queries::Class`]) are asked of both: once to
//! check that the engines agree (totals, the top ten when there are at most ten, facet
//! counts) — any disagreement stops the run before a figure is printed — then once per
//! engine with each query timed. Accord's time is one [`DirectoryIndex::search`] call (its
//! facet counts included, always); FTS5's is its `count(*)`, its page of 20, and for the
//! facet class its `GROUP BY`s, through sqlx.

mod fts;
mod queries;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use accord_search::{DirectoryIndex, DirectoryPage, ProfileDoc};
use anyhow::{bail, ensure, Context};
use uuid::Uuid;

use self::fts::{Fts, FtsAnswer};
use self::queries::{BenchQuery, Class};

/// What to run.
#[derive(Clone, Debug)]
pub struct Settings {
    pub profiles: usize,
    pub queries: usize,
    pub seed: u64,
    /// Measure FTS5 too (and check the engines agree).
    pub peers: bool,
    /// Keep Accord's index here, and reuse it when it already holds this corpus (the build
    /// is then not measured).
    pub index_dir: Option<PathBuf>,
    /// Print this many of Accord's slowest queries of each class (to stderr).
    pub slowest: usize,
}

/// Latencies of one class on both engines (ms).
#[derive(Clone, Debug)]
pub struct ClassStats {
    pub class: Class,
    pub queries: usize,
    pub accord_p50: f64,
    pub accord_p99: f64,
    pub fts_p50: Option<f64>,
    pub fts_p99: Option<f64>,
    /// Mean number of matching partners (Accord's count).
    pub mean_total: f64,
}

impl ClassStats {
    /// How many times faster Accord's median is.
    pub fn ratio(&self) -> Option<f64> {
        ratio(self.fts_p50?, self.accord_p50)
    }
}

/// The FTS5 database.
#[derive(Clone, Debug)]
pub struct FtsFigures {
    pub build_s: f64,
    pub bytes: u64,
    /// What one statement costs through sqlx (`SELECT 1`, median), ms.
    pub statement_ms: f64,
}

#[derive(Clone, Debug)]
pub struct Outcome {
    pub settings: Settings,
    pub generate_s: f64,
    /// None when an index from an earlier run was reused.
    pub accord_build_s: Option<f64>,
    pub accord_bytes: u64,
    pub fts: Option<FtsFigures>,
    pub indexed: u64,
    pub compared: usize,
    pub classes: Vec<ClassStats>,
    /// Updates of `APPLY_BATCH` profiles (upsert, commit, reload): median and slowest, ms.
    pub apply_ms: (f64, f64),
    pub peak_rss_mib: Option<f64>,
}

pub const TARGET_RARE_P50_MS: f64 = 0.6;
pub const TARGET_RARE_P99_MS: f64 = 6.0;
pub const TARGET_COMMON_P50_MS: f64 = 20.0;
pub const TARGET_COMMON_P99_MS: f64 = 50.0;
pub const TARGET_COMMON_RATIO: f64 = 25.0;
pub const TARGET_TYPEAHEAD_P99_MS: f64 = 5.0;
pub const TARGET_FACETS_P99_MS: f64 = 5.0;
pub const TARGET_BUILD_S: f64 = 60.0;
pub const TARGET_INDEX_BYTES: u64 = 1536 * 1024 * 1024;

/// The value at quantile `q` (nearest rank) of `values`, which it sorts; 0 when empty.
pub fn percentile(values: &mut [f64], q: f64) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    let rank = (q.clamp(0.0, 1.0) * values.len() as f64).ceil() as usize;
    values[rank.clamp(1, values.len()) - 1]
}

/// `baseline / ours`: how many times faster we are; none when we measured nothing.
pub fn ratio(baseline: f64, ours: f64) -> Option<f64> {
    (ours > 0.0 && baseline.is_finite()).then(|| baseline / ours)
}

/// The partner id of corpus entry `i` (row id `i + 1` on the FTS5 side).
fn partner_id(seed: u64, i: usize) -> Uuid {
    Uuid::from_u128((u128::from(seed) << 64) | (i as u128 + 1))
}

fn row_id(id: Uuid) -> i64 {
    (id.as_u128() & u128::from(u64::MAX)) as i64
}

fn dir_bytes(path: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(path) else {
        return std::fs::metadata(path).map_or(0, |m| m.len());
    };
    entries
        .flatten()
        .map(|e| {
            let p = e.path();
            if p.is_dir() {
                dir_bytes(&p)
            } else {
                e.metadata().map_or(0, |m| m.len())
            }
        })
        .sum()
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

/// Both engines must have said the same thing about `q`.
fn compare(
    i: usize,
    q: &BenchQuery,
    ours: &DirectoryPage,
    theirs: &FtsAnswer,
) -> anyhow::Result<()> {
    let what = || format!("query {i} ({}: {:?})", q.class.label(), describe(q));
    ensure!(
        !ours.relaxed,
        "{}: Accord relaxed the query to any word ({} results) where FTS5 found {}",
        what(),
        ours.total,
        theirs.total
    );
    ensure!(
        ours.total == theirs.total,
        "{}: Accord counts {} partners, FTS5 {}; no figure is reported for engines that disagree",
        what(),
        ours.total,
        theirs.total
    );
    if q.class == Class::Rare && ours.total <= 10 {
        let mut a: Vec<i64> = ours.hits.iter().map(|h| row_id(h.partner_id)).collect();
        let mut b = theirs.top.clone();
        a.sort_unstable();
        b.sort_unstable();
        ensure!(a == b, "{}: Accord found {a:?}, FTS5 {b:?}", what());
    }
    if q.class == Class::Facets {
        let f = &ours.facets;
        for (field, list) in [
            ("country", &f.country),
            ("org_size", &f.org_size),
            ("types", &f.types),
            ("service", &f.service),
            ("industry", &f.industry),
            ("language", &f.language),
        ] {
            let listed: Vec<_> = list.iter().filter(|c| c.count > 0).collect();
            let theirs_n = theirs.facets.keys().filter(|(f, _)| f == field).count();
            ensure!(
                listed.len() == theirs_n,
                "{}: Accord lists {} {field} values, FTS5 {theirs_n}",
                what(),
                listed.len()
            );
            for c in listed {
                let n = theirs
                    .facets
                    .get(&(field.to_string(), c.value.clone()))
                    .copied()
                    .unwrap_or(0);
                ensure!(
                    n == c.count,
                    "{}: {field} {} counts {} in Accord, {n} in FTS5",
                    what(),
                    c.value,
                    c.count
                );
            }
        }
        for c in &f.city {
            let key = c
                .value
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase();
            let n = theirs
                .facets
                .get(&("city".to_string(), key))
                .copied()
                .unwrap_or(0);
            ensure!(
                n == c.count,
                "{}: city {} counts {} in Accord, {n} in FTS5",
                what(),
                c.value,
                c.count
            );
        }
    }
    Ok(())
}

fn describe(q: &BenchQuery) -> String {
    let qq = &q.query;
    let mut s = format!("{:?} in {}", qq.text, qq.cloud.as_str());
    let list = |v: Vec<&str>| v.join("|");
    for (name, values) in [
        (
            "country",
            qq.countries.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        ),
        ("service", qq.services.iter().map(|v| v.as_str()).collect()),
        (
            "language",
            qq.languages.iter().map(|v| v.as_str()).collect(),
        ),
        (
            "org_size",
            qq.org_sizes.iter().map(|v| v.as_str()).collect(),
        ),
    ] {
        if !values.is_empty() {
            s.push_str(&format!(" {name}={}", list(values)));
        }
    }
    s
}

/// Profiles per measured update, and updates measured.
pub const APPLY_BATCH: usize = 5;
pub const APPLY_ROUNDS: usize = 20;

/// Times `APPLY_ROUNDS` updates of `APPLY_BATCH` profiles each (renamed with a marker word)
/// and checks that a search right after each finds them. The index is left holding the
/// renamed profiles, with a stamp that no longer names the corpus, so a kept index is
/// rebuilt by the next run.
fn measure_apply(
    index: &DirectoryIndex,
    seed: u64,
    profiles: usize,
    stamp: i64,
) -> anyhow::Result<(f64, f64)> {
    let mut took = Vec::with_capacity(APPLY_ROUNDS);
    for round in 0..APPLY_ROUNDS {
        let marker = format!("freshmarker{round}");
        let batch: Vec<ProfileDoc> = (0..APPLY_BATCH)
            .map(|j| {
                let i = (round * 7919 + j * 104_729) % profiles;
                let p = accord_search::synth::partner(seed, i);
                let mut profile = p.profile;
                profile.name = format!("{} {marker}", profile.name);
                ProfileDoc {
                    partner_id: partner_id(seed, i),
                    cloud: p.cloud,
                    profile,
                }
            })
            .collect();
        let ids: std::collections::BTreeSet<Uuid> = batch.iter().map(|d| d.partner_id).collect();
        let clouds: Vec<_> = batch.iter().map(|d| d.cloud).collect();
        let t = Instant::now();
        index.apply(batch, Vec::new(), stamp - 1 - round as i64)?;
        took.push(ms(t));
        let mut found = std::collections::BTreeSet::new();
        for cloud in clouds {
            let mut q = accord_search::DirectoryQuery::new(cloud);
            q.text = marker.clone();
            q.fuzzy = false;
            found.extend(index.search(&q)?.hits.iter().map(|h| h.partner_id));
        }
        ensure!(
            found == ids,
            "after an update, a search for {marker} found {} of the {} updated partners",
            found.len(),
            ids.len()
        );
    }
    let max = took.iter().copied().fold(0.0, f64::max);
    Ok((percentile(&mut took, 0.5), max))
}

/// The stamp an index built by this benchmark carries: the corpus it holds.
fn corpus_stamp(seed: u64, profiles: usize) -> i64 {
    ((seed % 1_000_000) as i64) * 100_000_000 + profiles as i64
}

pub fn run(settings: Settings) -> anyhow::Result<Outcome> {
    let Settings {
        profiles,
        queries,
        seed,
        peers,
        ref index_dir,
        slowest: _,
    } = settings;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let tmp = tempfile::tempdir()?;

    eprintln!("Generating {profiles} partner profiles (seed {seed})…");
    let t = Instant::now();
    let docs: Vec<ProfileDoc> = accord_search::synth::partners(seed, profiles)
        .enumerate()
        .map(|(i, p)| ProfileDoc {
            partner_id: partner_id(seed, i),
            cloud: p.cloud,
            profile: p.profile,
        })
        .collect();
    let generate_s = t.elapsed().as_secs_f64();

    let accord_dir = index_dir
        .clone()
        .unwrap_or_else(|| tmp.path().join("accord"));
    let index = DirectoryIndex::open(&accord_dir)?;
    let stamp = corpus_stamp(seed, profiles);
    let (indexed, accord_build_s) =
        if index.stamp() == Some(stamp) && index.len() == profiles as u64 {
            eprintln!("Accord: reusing the index in {}.", accord_dir.display());
            (index.len(), None)
        } else {
            eprintln!("Accord: building the index ({generate_s:.1} s to generate)…");
            let t = Instant::now();
            let indexed = index.rebuild(docs.iter().cloned(), stamp)?;
            (indexed, Some(t.elapsed().as_secs_f64()))
        };
    let accord_bytes = dir_bytes(&accord_dir);
    eprintln!(
        "Accord: {indexed} partners indexed in {}, {:.0} MiB on disk.",
        accord_build_s.map_or("(reused)".into(), |s| format!("{s:.1} s")),
        accord_bytes as f64 / 1048576.0
    );

    let mut fts = None;
    let mut fts_figures = None;
    if peers {
        eprintln!("FTS5: building…");
        let fts_path = tmp.path().join("fts.sqlite");
        let t = Instant::now();
        let mut db = rt.block_on(Fts::build(&fts_path, &docs))?;
        let build_s = t.elapsed().as_secs_f64();
        let bytes = dir_bytes(&fts_path);
        let statement_ms = rt.block_on(db.statement_overhead_ms())?;
        eprintln!(
            "FTS5: built in {build_s:.1} s, {:.0} MiB.",
            bytes as f64 / 1048576.0
        );
        fts = Some(db);
        fts_figures = Some(FtsFigures {
            build_s,
            bytes,
            statement_ms,
        });
    }

    eprintln!("Generating {queries} queries…");
    let per_class = (queries / Class::ALL.len()).max(1);
    let mix = queries::generate(&docs, per_class, seed);
    for class in Class::ALL {
        let n = mix.iter().filter(|q| q.class == class).count();
        if n < per_class {
            bail!(
                "only {n} {} queries could be drawn from the corpus; use more --profiles",
                class.label()
            );
        }
    }
    drop(docs);

    // Agreement first (also the warm-up of both).
    let mut compared = 0;
    for (i, q) in mix.iter().enumerate() {
        let mut ours = q.query.clone();
        ours.limit = 10;
        let page = index
            .search(&ours)
            .with_context(|| format!("Accord failed query {i}"))?;
        if let Some(db) = fts.as_mut() {
            let theirs = rt
                .block_on(db.answer(q, 10))
                .with_context(|| format!("FTS5 failed query {i}"))?;
            if q.class.comparable() {
                compare(i, q, &page, &theirs)?;
                compared += 1;
            }
        }
    }
    if peers {
        eprintln!("Both engines agree on the {compared} comparable queries.");
    }
    eprintln!("Timing Accord…");
    let mut accord_ms: HashMap<Class, Vec<f64>> = HashMap::new();
    let mut totals: HashMap<Class, Vec<f64>> = HashMap::new();
    let mut each: Vec<(f64, usize, u64)> = Vec::with_capacity(mix.len());
    for (i, q) in mix.iter().enumerate() {
        let t = Instant::now();
        let page = index.search(&q.query)?;
        let took = ms(t);
        accord_ms.entry(q.class).or_default().push(took);
        totals.entry(q.class).or_default().push(page.total as f64);
        each.push((took, i, page.total));
    }
    if settings.slowest > 0 {
        each.sort_by(|a, b| b.0.total_cmp(&a.0));
        for class in Class::ALL {
            eprintln!("Slowest {} queries:", class.label());
            for (took, i, total) in each
                .iter()
                .filter(|(_, i, _)| mix.get(*i).is_some_and(|q| q.class == class))
                .take(settings.slowest)
            {
                if let Some(q) = mix.get(*i) {
                    eprintln!("  {took:.2} ms, {total} matches: {}", describe(q));
                }
            }
        }
    }
    let apply_ms = measure_apply(&index, seed, profiles, stamp)?;
    let mut fts_ms: HashMap<Class, Vec<f64>> = HashMap::new();
    if let Some(db) = fts.as_mut() {
        eprintln!("Timing FTS5…");
        for q in &mix {
            let t = Instant::now();
            rt.block_on(db.answer(q, 20))?;
            fts_ms.entry(q.class).or_default().push(ms(t));
        }
    }

    let classes = Class::ALL
        .iter()
        .map(|c| {
            let mut a = accord_ms.remove(c).unwrap_or_default();
            let f = fts_ms.remove(c);
            let t = totals.remove(c).unwrap_or_default();
            ClassStats {
                class: *c,
                queries: a.len(),
                accord_p50: percentile(&mut a, 0.5),
                accord_p99: percentile(&mut a, 0.99),
                fts_p50: f.clone().map(|mut f| percentile(&mut f, 0.5)),
                fts_p99: f.map(|mut f| percentile(&mut f, 0.99)),
                mean_total: t.iter().sum::<f64>() / t.len().max(1) as f64,
            }
        })
        .collect();
    Ok(Outcome {
        settings: settings.clone(),
        generate_s,
        accord_build_s,
        accord_bytes,
        fts: fts_figures,
        indexed,
        compared,
        classes,
        apply_ms,
        peak_rss_mib: crate::authz::rss_mib().map(|m| m.1),
    })
}

/// The Markdown report.
pub fn render(o: &Outcome, date: &str) -> String {
    use crate::report::{thousands, verdict};
    use std::fmt::Write as _;
    let mut s = String::new();
    let mib = |b: u64| b as f64 / 1048576.0;
    let _ = writeln!(
        s,
        "## Partner directory search, {date}\n\n\
         {} synthetic partners (seed {}), {} indexed; {} queries, {} of them checked to give \
         the same totals (and top ten, and facet counts) in both engines. {} cores.\n",
        thousands(o.settings.profiles as f64),
        o.settings.seed,
        thousands(o.indexed as f64),
        o.classes.iter().map(|c| c.queries).sum::<usize>(),
        o.compared,
        std::thread::available_parallelism().map_or(0, |n| n.get()),
    );
    let _ = writeln!(
        s,
        "| engine | build | on disk |\n|---|---:|---:|\n| Accord (tantivy 0.27) | {} | {:.0} MiB |",
        o.accord_build_s
            .map_or("reused".into(), |b| format!("{b:.1} s")),
        mib(o.accord_bytes),
    );
    if let Some(f) = &o.fts {
        let _ = writeln!(
            s,
            "| SQLite FTS5 (sqlx 0.8) | {:.1} s | {:.0} MiB |",
            f.build_s,
            mib(f.bytes)
        );
    }
    s.push('\n');
    let _ = writeln!(
        s,
        "| query class | queries | mean matches | Accord p50 | Accord p99 | FTS5 p50 | FTS5 p99 | FTS5/Accord (p50) |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|"
    );
    for c in &o.classes {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {:.2} ms | {:.2} ms | {} | {} | {} |",
            c.class.label(),
            c.queries,
            thousands(c.mean_total),
            c.accord_p50,
            c.accord_p99,
            c.fts_p50.map_or("–".into(), |v| format!("{v:.2} ms")),
            c.fts_p99.map_or("–".into(), |v| format!("{v:.2} ms")),
            c.ratio().map_or("–".into(), |r| format!("{r:.1}×"))
        );
    }
    let class = |k: Class| o.classes.iter().find(|c| c.class == k);
    let _ = writeln!(s, "\n| target | figure | result |\n|---|---:|---|");
    let mut target = |name: String, figure: String, met: bool| {
        let _ = writeln!(s, "| {name} | {figure} | {} |", verdict(met));
    };
    if let Some(c) = class(Class::Rare) {
        target(
            format!("rare-term median ≤ {TARGET_RARE_P50_MS} ms"),
            format!("{:.2} ms", c.accord_p50),
            c.accord_p50 <= TARGET_RARE_P50_MS,
        );
        target(
            format!("rare-term p99 ≤ {TARGET_RARE_P99_MS} ms"),
            format!("{:.2} ms", c.accord_p99),
            c.accord_p99 <= TARGET_RARE_P99_MS,
        );
    }
    if let Some(c) = class(Class::Common) {
        target(
            format!("common-term median ≤ {TARGET_COMMON_P50_MS} ms"),
            format!("{:.2} ms", c.accord_p50),
            c.accord_p50 <= TARGET_COMMON_P50_MS,
        );
        target(
            format!("common-term p99 ≤ {TARGET_COMMON_P99_MS} ms"),
            format!("{:.2} ms", c.accord_p99),
            c.accord_p99 <= TARGET_COMMON_P99_MS,
        );
        let r = c.ratio();
        target(
            format!("common-term ≥ {TARGET_COMMON_RATIO}× faster than FTS5 (median)"),
            r.map_or("–".into(), |r| format!("{r:.1}×")),
            r.is_some_and(|r| r >= TARGET_COMMON_RATIO),
        );
    }
    if let Some(c) = class(Class::TypeAhead) {
        target(
            format!("type-ahead p99 ≤ {TARGET_TYPEAHEAD_P99_MS} ms"),
            format!("{:.2} ms", c.accord_p99),
            c.accord_p99 <= TARGET_TYPEAHEAD_P99_MS,
        );
    }
    if let Some(c) = class(Class::Facets) {
        target(
            format!("filters + facet counts p99 ≤ {TARGET_FACETS_P99_MS} ms"),
            format!("{:.2} ms", c.accord_p99),
            c.accord_p99 <= TARGET_FACETS_P99_MS,
        );
    }
    if let Some(b) = o.accord_build_s {
        target(
            format!("index built in ≤ {TARGET_BUILD_S} s"),
            format!("{b:.1} s"),
            b <= TARGET_BUILD_S,
        );
    }
    target(
        "index ≤ 1.5 GiB on disk".into(),
        format!("{:.0} MiB", mib(o.accord_bytes)),
        o.accord_bytes <= TARGET_INDEX_BYTES,
    );
    let _ = writeln!(
        s,
        "\nAccord's latency is one `search` call with its facet counts (always computed) and a \
         page of 20 hits. Generating the corpus took {:.1} s.",
        o.generate_s
    );
    if let Some(f) = &o.fts {
        let _ = writeln!(
            s,
            "FTS5's latency is `count(*)` and the page of 20 (and the `GROUP BY`s for the facet \
             class) through sqlx, whose hand-off costs {:.3} ms per statement (`SELECT 1`).",
            f.statement_ms
        );
    }
    let _ = writeln!(
        s,
        "Updates of {APPLY_BATCH} profiles (`apply`: upsert, commit, reload; each then found by \
         a search): median {:.1} ms, slowest {:.1} ms of {APPLY_ROUNDS}.",
        o.apply_ms.0, o.apply_ms.1
    );
    if let Some(p) = o.peak_rss_mib {
        let _ = writeln!(s, "Peak resident memory of the whole run: {p:.0} MiB.");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let mut v: Vec<f64> = (1..=100).rev().map(f64::from).collect();
        assert_eq!(percentile(&mut v, 0.5), 50.0);
        assert_eq!(percentile(&mut v, 0.99), 99.0);
        assert_eq!(percentile(&mut v, 1.0), 100.0);
        assert_eq!(percentile(&mut v, 0.0), 1.0);
        assert_eq!(percentile(&mut [7.0], 0.99), 7.0);
        assert_eq!(percentile(&mut [], 0.5), 0.0);
    }

    #[test]
    fn ratio_is_baseline_over_ours() {
        assert_eq!(ratio(50.0, 2.0), Some(25.0));
        assert_eq!(ratio(1.0, 0.0), None);
    }

    #[test]
    fn ids_map_back_to_rows() {
        assert_eq!(row_id(partner_id(7, 0)), 1);
        assert_eq!(row_id(partner_id(u64::MAX, 41)), 42);
    }

    /// The engines agree on a small directory, and the report marks its targets.
    #[test]
    fn both_engines_agree_on_a_small_directory() {
        let o = run(Settings {
            profiles: 3_000,
            queries: 100,
            seed: 5,
            peers: true,
            index_dir: None,
            slowest: 0,
        })
        .expect("the engines agree");
        assert_eq!(o.indexed, 3_000);
        assert_eq!(o.classes.len(), 5);
        assert!(o.compared >= 80, "{}", o.compared);
        let md = render(&o, "today");
        assert!(md.contains("| rare-term AND | 20 |"), "{md}");
        assert!(md.contains("index ≤ 1.5 GiB on disk"), "{md}");
    }
}
