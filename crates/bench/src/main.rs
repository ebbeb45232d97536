//! `accord-bench authz` measures the delegated-access check in process against casbin and
//! Cedar (see `authz`). `accord-bench directory` measures the partner directory index
//! (`accord-search`) against SQLite FTS5 on a synthetic directory (see `directory`).
//! `accord-bench http` measures Accord's HTTP API against a bare axum handler in the same run on
//! the same machine: it starts Accord in-process on a fresh database (the demo world plus a
//! partner with 1,000 customers), captures the exact bytes Accord answers, serves those bytes
//! from a bare axum server with no auth and no middleware, and drives both with the same
//! keep-alive HTTP/1.1 load. It reports requests per second and latency percentiles for
//! each, and the ratios Accord/bare against the targets, so a figure is always read against
//! a baseline measured a moment before rather than against a number from another machine.
//!
//! It must never send load anywhere but 127.0.0.1 (every target address is checked to be
//! loopback before a single request is sent), and its timings must never be asserted in
//! tests: the unit tests cover only the pure parts (ratio math, formatting), because a
//! benchmark's figures depend on the machine and are reported, not judged, by CI.

// The same allocator as the `accord` binary, so Accord is measured as it is deployed (the
// bare baseline runs on it too).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod accord;
mod authz;
mod bare;
mod cpu;
mod directory;
mod load;
mod report;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{ensure, Context};
use bytes::Bytes;
use clap::{Args, Parser, Subcommand};

use crate::load::{Plan, Target};
use crate::report::{Pair, Report, Stats};

#[derive(Parser, Debug)]
#[command(
    name = "accord-bench",
    about = "Benchmarks of Accord, each against a baseline measured in the same run"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Accord's API (`/api/v1/me`, `/api/v1/customers`, and a partner agent's delegated
    /// `/api/v1/customers/{id}/users`) against a bare axum server that answers the same
    /// bytes, on 127.0.0.1.
    Http(HttpArgs),
    /// Delegated-access checks in process on a world of 1,000,000 customers: Accord's grant
    /// index against casbin and Cedar on the same data, on one thread.
    Authz(AuthzArgs),
    /// Partner directory search on 1,000,000 synthetic profiles: Accord's index (tantivy)
    /// against SQLite FTS5 on the same corpus and queries, one query at a time.
    Directory(DirectoryArgs),
}

#[derive(Args, Debug, Clone)]
struct DirectoryArgs {
    /// Partner profiles in the synthetic directory.
    #[arg(long, default_value_t = 1_000_000)]
    profiles: usize,
    /// Queries asked (split evenly over the five classes).
    #[arg(long, default_value_t = 1_000)]
    queries: usize,
    /// Seed of the corpus and of the queries.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Measure Accord alone (no FTS5 database, no agreement check).
    #[arg(long)]
    no_peers: bool,
    /// Keep Accord's index in this directory and reuse it when it holds the same corpus.
    #[arg(long)]
    index_dir: Option<std::path::PathBuf>,
    /// Print this many of Accord's slowest queries of each class.
    #[arg(long, default_value_t = 0)]
    slowest: usize,
}

#[derive(Args, Debug, Clone)]
struct AuthzArgs {
    /// Scale of the world (1 = 1,000,000 customers, 300,000 grants, 1,000,000 queries).
    #[arg(long, default_value_t = 1.0)]
    scale: f64,
    /// Queries asked (default: 1,000,000 × scale).
    #[arg(long)]
    queries: Option<usize>,
    /// Passes over the queries for Accord's throughput (the median is reported).
    #[arg(long, default_value_t = 5)]
    passes: usize,
    /// Measure Accord alone.
    #[arg(long)]
    no_peers: bool,
}

#[derive(Args, Debug, Clone)]
struct HttpArgs {
    /// Measured seconds per endpoint (after the warm-up).
    #[arg(long, default_value_t = 5.0)]
    seconds: f64,
    /// Warm-up seconds per endpoint (not measured).
    #[arg(long, default_value_t = 1.0)]
    warmup: f64,
    /// Concurrent keep-alive connections, each sending requests back to back.
    #[arg(long, default_value_t = 64)]
    connections: usize,
    /// Customers given to the demo partner Contoso Partners Korea.
    #[arg(long, default_value_t = 1000)]
    customers: usize,
    /// Run Accord on this empty PostgreSQL database (`postgres://…`) instead of a
    /// temporary SQLite file.
    #[arg(long)]
    database_url: Option<String>,
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Http(args) => http(args),
        Command::Authz(args) => authz_bench(args),
        Command::Directory(args) => directory_bench(args),
    }
}

fn directory_bench(args: DirectoryArgs) -> anyhow::Result<()> {
    ensure!(
        (1_000..=10_000_000).contains(&args.profiles),
        "--profiles must be between 1,000 and 10,000,000"
    );
    ensure!(
        (5..=100_000).contains(&args.queries),
        "--queries must be between 5 and 100,000"
    );
    let outcome = directory::run(directory::Settings {
        profiles: args.profiles,
        queries: args.queries,
        seed: args.seed,
        peers: !args.no_peers,
        index_dir: args.index_dir,
        slowest: args.slowest,
    })?;
    let date = chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string();
    print!("{}", directory::render(&outcome, &date));
    Ok(())
}

fn authz_bench(args: AuthzArgs) -> anyhow::Result<()> {
    ensure!(
        args.scale.is_finite() && (0.0001..=4.0).contains(&args.scale),
        "--scale must be between 0.0001 and 4"
    );
    ensure!(
        (1..=100).contains(&args.passes),
        "--passes must be between 1 and 100"
    );
    let mut spec = authz::world::Spec::scaled(args.scale);
    if let Some(q) = args.queries {
        ensure!(
            (1_000..=100_000_000).contains(&q),
            "--queries must be between 1,000 and 100,000,000"
        );
        spec.queries = q;
    }
    let outcome = authz::run(spec, args.passes, args.no_peers)?;
    let date = chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string();
    print!("{}", authz::render(&outcome, &date));
    Ok(())
}

/// A multi-thread runtime of its own, so the servers and the load generator each have
/// their own scheduler (they still share the machine's cores, as they would in production
/// with a client on the same host).
fn runtime(name: &str, workers: usize) -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .thread_name(name)
        .enable_all()
        .build()
        .with_context(|| format!("cannot start the {name} runtime"))
}

fn seconds(s: f64, what: &str) -> anyhow::Result<Duration> {
    ensure!(
        s.is_finite() && (0.0..=3600.0).contains(&s),
        "--{what} must be between 0 and 3600"
    );
    Ok(Duration::from_secs_f64(s))
}

fn http(args: HttpArgs) -> anyhow::Result<()> {
    let plan = Plan {
        connections: args.connections,
        warmup: seconds(args.warmup, "warmup")?,
        measure: seconds(args.seconds, "seconds")?,
    };
    ensure!(plan.measure > Duration::ZERO, "--seconds must be above 0");
    ensure!(
        (1..=4096).contains(&plan.connections),
        "--connections must be between 1 and 4096"
    );
    let servers_rt = runtime("bench-server", 2)?;
    let load_rt = runtime("bench-load", 2)?;

    let setup = Instant::now();
    eprintln!("Starting Accord and seeding {} customers…", args.customers);
    let running =
        servers_rt.block_on(accord::start(args.database_url.as_deref(), args.customers))?;
    let bearer = format!("Bearer {}", running.token);
    let me = load_rt.block_on(fetch_stable(running.addr, "/api/v1/me", &bearer))?;
    let customers = load_rt.block_on(fetch_stable(running.addr, "/api/v1/customers", &bearer))?;
    let users_path = format!("/api/v1/customers/{}/users", running.delegated_customer);
    let users = load_rt.block_on(fetch_stable(running.addr, &users_path, &bearer))?;
    let bare = servers_rt.block_on(bare::start(me.clone(), customers.clone(), users.clone()))?;
    eprintln!(
        "Ready in {:.1} s: Accord on http://{} ({}), bare on http://{}; /me {} bytes, /customers {} bytes, delegated /users {} bytes.",
        setup.elapsed().as_secs_f64(),
        running.addr,
        running.backend,
        bare.addr,
        me.len(),
        customers.len(),
        users.len()
    );

    let target = |addr: SocketAddr, path: &str, body: &Bytes| -> anyhow::Result<Arc<Target>> {
        Ok(Arc::new(Target::new(addr, path, &bearer, body.len())?))
    };
    let runs = [
        target(bare.addr, "/me", &me)?,
        target(running.addr, "/api/v1/me", &me)?,
        target(bare.addr, "/customers", &customers)?,
        target(running.addr, "/api/v1/customers", &customers)?,
        target(bare.addr, "/users", &users)?,
        target(running.addr, &users_path, &users)?,
    ];
    let mut stats = Vec::with_capacity(runs.len());
    for t in runs {
        eprintln!(
            "Measuring http://{}{} ({} connections, {:.1} s warm-up + {:.1} s)…",
            t.addr,
            t.path,
            plan.connections,
            plan.warmup.as_secs_f64(),
            plan.measure.as_secs_f64()
        );
        let m = load_rt.block_on(load::run(t.clone(), plan.clone()))?;
        stats.push(Stats {
            requests_per_s: m.requests_per_s(),
            p50_ms: m.quantile_ms(0.50),
            p99_ms: m.quantile_ms(0.99),
            cpu: m.cpu,
        });
    }
    let cached = running.accord.cached_credentials();
    let backend = running.backend;
    servers_rt.block_on(async {
        bare.stop();
        running.stop().await;
    });
    load_rt.shutdown_timeout(Duration::from_secs(2));
    servers_rt.shutdown_timeout(Duration::from_secs(2));

    let mut stats = stats.into_iter();
    let mut next = || stats.next().context("a measurement is missing");
    let (bare_me, accord_me, bare_customers, accord_customers) =
        (next()?, next()?, next()?, next()?);
    let (bare_users, accord_users) = (next()?, next()?);
    let report = Report {
        date: chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string(),
        cores: std::thread::available_parallelism().map_or(0, |n| n.get()),
        backend: backend.to_string(),
        connections: plan.connections,
        warmup_s: plan.warmup.as_secs_f64(),
        measured_s: plan.measure.as_secs_f64(),
        customers: args.customers,
        cached_credentials: cached,
        p99_limit_ms: report::P99_LIMIT_MS,
        pairs: vec![
            Pair {
                bare_path: "/me",
                accord_path: "/api/v1/me",
                body_bytes: me.len(),
                min_ratio: Some(0.6),
                bare: bare_me,
                accord: accord_me,
            },
            Pair {
                bare_path: "/customers",
                accord_path: "/api/v1/customers",
                body_bytes: customers.len(),
                min_ratio: Some(0.3),
                bare: bare_customers,
                accord: accord_customers,
            },
            Pair {
                bare_path: "/users",
                accord_path: "/api/v1/customers/{id}/users (delegated)",
                body_bytes: users.len(),
                min_ratio: None,
                bare: bare_users,
                accord: accord_users,
            },
        ],
    };
    print!("{}", report::render(&report));
    Ok(())
}

/// Fetches a body twice and insists both are the same bytes, so the load generator can
/// check each answer's length and the bare server serves what Accord serves.
async fn fetch_stable(addr: SocketAddr, path: &str, bearer: &str) -> anyhow::Result<Bytes> {
    let first = load::fetch(addr, path, bearer).await?;
    let second = load::fetch(addr, path, bearer).await?;
    ensure!(
        first == second,
        "GET {path} answered different bytes on two calls; the bare baseline needs a stable body"
    );
    Ok(first)
}
