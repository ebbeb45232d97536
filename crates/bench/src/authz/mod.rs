//! `accord-bench authz`: Accord's delegated-access check (the grant index and
//! [`accord_domain::check`], exactly as a delegated request runs them) against casbin and
//! Cedar on the same synthetic world, on one thread.
//!
//! Each engine is built, asked every query once with each call timed, and its answers
//! compared with a naive reference model of the rule; any disagreement stops the run
//! before a figure is printed. Accord's throughput is then measured again over all the
//! queries without per-call timing (the clock costs about as much as its check).

pub mod peers;
pub mod world;

use std::time::{Duration, Instant};

use accord_domain::Capability;
use accord_service::{AssignKey, GrantIndex};
use anyhow::ensure;
use hdrhistogram::Histogram;

use self::world::{agent_id, customer_id, partner_id, Spec, World};

/// One engine's figures.
#[derive(Clone, Debug)]
pub struct EngineStats {
    pub name: &'static str,
    pub build: Duration,
    /// Resident memory gained while building (MiB), when `/proc` tells.
    pub rss_growth_mib: Option<f64>,
    /// What the structure itself allocates (MiB), when the engine can tell.
    pub table_mib: Option<f64>,
    pub checks_per_s: f64,
    pub p50_us: f64,
    pub p99_us: f64,
    pub allowed: usize,
}

/// Resident and peak resident memory of this process, in MiB.
pub fn rss_mib() -> Option<(f64, f64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<f64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb / 1024.0)
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

fn growth(before: Option<(f64, f64)>) -> Option<f64> {
    Some(rss_mib()?.0 - before?.0)
}

/// Asks `decide` every query once, timing each call; checks the answers against the
/// reference.
fn verify_and_time(
    name: &'static str,
    n: usize,
    reference: &[bool],
    mut decide: impl FnMut(usize) -> anyhow::Result<bool>,
) -> anyhow::Result<(Histogram<u64>, f64, usize)> {
    let mut hist = Histogram::<u64>::new_with_bounds(1, 60_000_000_000, 3)?;
    let mut allowed = 0;
    let start = Instant::now();
    for (i, expected) in reference.iter().enumerate().take(n) {
        let t = Instant::now();
        let got = decide(i)?;
        let ns = t.elapsed().as_nanos() as u64;
        hist.record(ns.max(1))?;
        ensure!(
            got == *expected,
            "{name} answered {got} to query {i} where the rule says {expected}; \
             no figure is reported for engines that disagree"
        );
        allowed += usize::from(got);
    }
    let rate = n as f64 / start.elapsed().as_secs_f64();
    Ok((hist, rate, allowed))
}

pub struct Outcome {
    pub spec: Spec,
    pub grants_in_force: usize,
    pub assignments: usize,
    pub queries: usize,
    pub reference_allowed: usize,
    pub timer_overhead_ns: f64,
    pub engines: Vec<EngineStats>,
    pub peak_rss_mib: Option<f64>,
}

pub fn run(spec: Spec, passes: usize, skip_peers: bool) -> anyhow::Result<Outcome> {
    let t = Instant::now();
    eprintln!(
        "Generating the world: {} customers, {} partners, {} agents, {} grants, {} queries…",
        spec.customers, spec.partners, spec.agents, spec.grants, spec.queries
    );
    let world = World::generate(spec.clone());
    let reference = world.reference();
    let n = world.queries.len();
    let reference_allowed = reference.iter().filter(|a| **a).count();
    eprintln!(
        "World ready in {:.1} s: {} assignments, {} grants in force, {} of {} queries allowed by the rule.",
        t.elapsed().as_secs_f64(),
        world.assignments.len(),
        world.grants_in_force(),
        reference_allowed,
        n
    );
    let mut engines = Vec::new();

    // Accord: the index a node loads, from the rows it reads.
    let (rels, assigns) = world.records();
    let before = rss_mib();
    let t = Instant::now();
    let index = GrantIndex::from_records(rels, assigns, []);
    let build = t.elapsed();
    let rss = growth(before);
    let table_mib = Some(index.table_bytes() as f64 / (1024.0 * 1024.0));
    let keys: Vec<(AssignKey, Capability)> = world
        .queries
        .iter()
        .map(|q| {
            (
                (
                    partner_id(q.partner),
                    customer_id(q.customer),
                    agent_id(q.agent),
                ),
                q.capability,
            )
        })
        .collect();
    let now = world.now_ms;
    let accord = |key: AssignKey, cap: Capability| -> bool {
        index
            .current(key)
            .is_some_and(|f| !f.allowing(cap, now).is_empty())
    };
    eprintln!(
        "Accord: index built in {:.2} s; checking…",
        build.as_secs_f64()
    );
    let (hist, _, allowed) = verify_and_time("Accord", n, &reference, |i| {
        let (k, c) = keys[i];
        Ok(accord(k, c))
    })?;
    // Throughput without the clock around each call: the median of `passes` passes.
    let mut rates = Vec::with_capacity(passes);
    for _ in 0..passes.max(1) {
        let t = Instant::now();
        let mut yes = 0usize;
        for &(k, c) in &keys {
            yes += usize::from(accord(std::hint::black_box(k), c));
        }
        rates.push(n as f64 / t.elapsed().as_secs_f64());
        ensure!(yes == allowed, "Accord's answers changed between passes");
    }
    rates.sort_by(f64::total_cmp);
    engines.push(EngineStats {
        name: "Accord (grant index)",
        build,
        rss_growth_mib: rss,
        table_mib,
        checks_per_s: rates[rates.len() / 2],
        p50_us: hist.value_at_quantile(0.50) as f64 / 1000.0,
        p99_us: hist.value_at_quantile(0.99) as f64 / 1000.0,
        allowed,
    });
    drop(index);
    drop(keys);

    if !skip_peers {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        eprintln!("casbin: writing and loading its policy…");
        let file = peers::casbin_policy_file(&world)?;
        let before = rss_mib();
        let t = Instant::now();
        let enforcer = rt.block_on(peers::Casbin::load(file.path()))?;
        let build = t.elapsed();
        let rss = growth(before);
        let casbin = peers::Casbin::new(enforcer, &world);
        eprintln!("casbin: loaded in {:.2} s; checking…", build.as_secs_f64());
        let (hist, rate, allowed) = verify_and_time("casbin", n, &reference, |i| casbin.decide(i))?;
        engines.push(EngineStats {
            name: "casbin 2.20 (RBAC with domains)",
            build,
            rss_growth_mib: rss,
            table_mib: None,
            checks_per_s: rate,
            p50_us: hist.value_at_quantile(0.50) as f64 / 1000.0,
            p99_us: hist.value_at_quantile(0.99) as f64 / 1000.0,
            allowed,
        });
        drop(casbin);

        eprintln!("Cedar: building its entities…");
        let before = rss_mib();
        let t = Instant::now();
        let entities = peers::cedar_entities(&world)?;
        let build = t.elapsed();
        let rss = growth(before);
        let cedar = peers::Cedar::new(entities, &world)?;
        eprintln!("Cedar: built in {:.2} s; checking…", build.as_secs_f64());
        let (hist, rate, allowed) =
            verify_and_time("Cedar", n, &reference, |i| Ok(cedar.decide(i)))?;
        engines.push(EngineStats {
            name: "cedar-policy 4.14",
            build,
            rss_growth_mib: rss,
            table_mib: None,
            checks_per_s: rate,
            p50_us: hist.value_at_quantile(0.50) as f64 / 1000.0,
            p99_us: hist.value_at_quantile(0.99) as f64 / 1000.0,
            allowed,
        });
    }

    // What reading the clock twice costs, included in every timed call above.
    let t = Instant::now();
    let rounds = 1_000_000u32;
    for _ in 0..rounds {
        std::hint::black_box(Instant::now().elapsed());
    }
    let timer_overhead_ns = t.elapsed().as_nanos() as f64 / f64::from(rounds);

    Ok(Outcome {
        grants_in_force: world.grants_in_force(),
        assignments: world.assignments.len(),
        queries: n,
        reference_allowed,
        timer_overhead_ns,
        engines,
        peak_rss_mib: rss_mib().map(|m| m.1),
        spec,
    })
}

pub const TARGET_CHECKS_PER_S: f64 = 2_000_000.0;
pub const TARGET_P99_US: f64 = 2.0;
pub const TARGET_PEER_RATIO: f64 = 15.0;
pub const TARGET_BUILD_S: f64 = 10.0;
pub const TARGET_MEMORY_MIB: f64 = 2048.0;

/// The Markdown report.
pub fn render(o: &Outcome, date: &str) -> String {
    use crate::report::verdict;
    use std::fmt::Write as _;
    let mut s = String::new();
    let sp = &o.spec;
    let _ = writeln!(
        s,
        "## Delegated-access checks, {date}, one thread\n\n\
         World: {} customers, {} partners (one with {} grants), {} agents, {} grants \
         ({} in force), {} access assignments; {} queries, {} allowed by the rule. \
         Every engine agreed with the rule on every query.\n",
        sp.customers,
        sp.partners,
        sp.big_partner_grants,
        sp.agents,
        sp.grants,
        o.grants_in_force,
        o.assignments,
        o.queries,
        o.reference_allowed
    );
    let _ = writeln!(
        s,
        "| engine | build | memory gained | checks/s | p50 | p99 | allowed | Accord × |\n|---|---:|---:|---:|---:|---:|---:|---:|"
    );
    let accord = o.engines.first();
    for (i, e) in o.engines.iter().enumerate() {
        let times = accord
            .filter(|_| i > 0)
            .map(|a| a.checks_per_s / e.checks_per_s);
        let _ = writeln!(
            s,
            "| {} | {:.2} s | {} | {:.0} | {:.2} µs | {:.2} µs | {} | {} |",
            e.name,
            e.build.as_secs_f64(),
            match (e.rss_growth_mib, e.table_mib) {
                (Some(r), Some(t)) => format!("{r:.0} MiB (tables {t:.0} MiB)"),
                (Some(r), None) => format!("{r:.0} MiB"),
                _ => "?".into(),
            },
            e.checks_per_s,
            e.p50_us,
            e.p99_us,
            e.allowed,
            times.map_or("—".into(), |t| format!("**{t:.0}×**"))
        );
    }
    if let Some(a) = accord {
        let _ = writeln!(
            s,
            "\nLatencies include reading the clock around each call ({:.0} ns). Accord's \
             checks/s is the median of passes without that clock.\n",
            o.timer_overhead_ns
        );
        let _ = writeln!(
            s,
            "- ≥ {:.0} checks/s on one thread: {:.0}, **{}**",
            TARGET_CHECKS_PER_S,
            a.checks_per_s,
            verdict(a.checks_per_s >= TARGET_CHECKS_PER_S)
        );
        let _ = writeln!(
            s,
            "- p99 ≤ {TARGET_P99_US} µs: {:.2} µs, **{}**",
            a.p99_us,
            verdict(a.p99_us <= TARGET_P99_US)
        );
        for e in o.engines.iter().skip(1) {
            let r = a.checks_per_s / e.checks_per_s;
            let _ = writeln!(
                s,
                "- ≥ {TARGET_PEER_RATIO}× {}: {r:.0}×, **{}**",
                e.name,
                verdict(r >= TARGET_PEER_RATIO)
            );
        }
        let _ = writeln!(
            s,
            "- index built in ≤ {TARGET_BUILD_S} s: {:.2} s, **{}**",
            a.build.as_secs_f64(),
            verdict(a.build.as_secs_f64() <= TARGET_BUILD_S)
        );
        if let Some(m) = a
            .rss_growth_mib
            .into_iter()
            .chain(a.table_mib)
            .reduce(f64::max)
        {
            let _ = writeln!(
                s,
                "- index within 2 GiB: {m:.0} MiB (the larger of resident growth and its tables), **{}**",
                verdict(m <= TARGET_MEMORY_MIB)
            );
        }
    }
    if let Some(p) = o.peak_rss_mib {
        let _ = writeln!(
            s,
            "\nPeak resident memory of the whole run (world, records, all engines): {p:.0} MiB."
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The three engines and the reference agree on a small world of the same shape; a
    /// wrong peer model (or a wrong index) fails here before any figure is trusted.
    #[test]
    fn all_engines_agree_with_the_rule_on_a_small_world() {
        let mut spec = Spec::scaled(0.002);
        spec.queries = 3_000;
        let o = run(spec, 1, false).expect("the engines agree");
        assert_eq!(o.engines.len(), 3);
        for e in &o.engines {
            assert_eq!(e.allowed, o.reference_allowed, "{}", e.name);
        }
        // The mix has both answers, so agreement means something.
        assert!(o.reference_allowed > 100 && o.reference_allowed < o.queries - 100);
        let md = render(&o, "today");
        assert!(md.contains("| Accord (grant index) |"), "{md}");
        assert!(md.contains("casbin") && md.contains("cedar"), "{md}");
    }

    #[test]
    fn the_world_has_the_shape_asked_for() {
        let spec = Spec::scaled(0.01);
        let w = World::generate(spec.clone());
        assert_eq!(w.grants.len(), spec.grants as usize);
        assert_eq!(
            w.grants.iter().filter(|g| g.partner == 0).count(),
            spec.big_partner_grants as usize
        );
        assert_eq!(w.partner_of_agent.len(), spec.agents as usize);
        let expired = w.grants.len() - w.grants_in_force();
        let share = expired as f64 / w.grants.len() as f64;
        assert!((0.07..0.13).contains(&share), "{share}");
        // Distinct (partner, customer) pairs.
        let keys: std::collections::HashSet<_> =
            w.grants.iter().map(|g| (g.partner, g.customer)).collect();
        assert_eq!(keys.len(), w.grants.len());
    }
}
