//! The Markdown report: figures for bare and Accord side by side, the ratios, and each
//! target marked met or MISSED with its figure. Pure formatting, so it is unit-tested.

use std::fmt::Write as _;

use crate::cpu::CpuUse;

/// Accord's p99 latency target, per endpoint.
pub const P99_LIMIT_MS: f64 = 5.0;

/// One endpoint's figures.
#[derive(Clone, Copy, Debug)]
pub struct Stats {
    pub requests_per_s: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub cpu: Option<CpuUse>,
}

/// One endpoint served bare and by Accord, with its throughput target.
#[derive(Clone, Debug)]
pub struct Pair {
    pub bare_path: &'static str,
    pub accord_path: &'static str,
    pub body_bytes: usize,
    /// Accord's requests per second must be at least this fraction of bare's (`None`: no
    /// target, the ratio is reported).
    pub min_ratio: Option<f64>,
    pub bare: Stats,
    pub accord: Stats,
}

impl Pair {
    pub fn ratio(&self) -> Option<f64> {
        ratio(self.accord.requests_per_s, self.bare.requests_per_s)
    }
}

#[derive(Clone, Debug)]
pub struct Report {
    pub date: String,
    pub cores: usize,
    pub backend: String,
    pub connections: usize,
    pub warmup_s: f64,
    pub measured_s: f64,
    pub customers: usize,
    pub cached_credentials: usize,
    pub p99_limit_ms: f64,
    pub pairs: Vec<Pair>,
}

/// Accord's rate over bare's; none when bare measured nothing.
pub fn ratio(accord: f64, bare: f64) -> Option<f64> {
    (bare > 0.0 && accord.is_finite()).then(|| accord / bare)
}

/// `met` or `MISSED`.
pub fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "MISSED"
    }
}

/// A rate with thousands separators, no decimals: `12,345`.
pub fn thousands(x: f64) -> String {
    let n = x.max(0.0).round() as u64;
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn cores(c: Option<CpuUse>, f: impl Fn(CpuUse) -> f64) -> String {
    c.map_or_else(|| "–".into(), |c| format!("{:.2}", f(c)))
}

fn row(out: &mut String, path: &str, server: &str, s: &Stats, ratio: &str) {
    let _ = writeln!(
        out,
        "| `{path}` | {server} | {} | {:.2} | {:.2} | {ratio} | {} | {} |",
        thousands(s.requests_per_s),
        s.p50_ms,
        s.p99_ms,
        cores(s.cpu, |c| c.load_cores),
        cores(s.cpu, |c| c.server_cores),
    );
}

pub fn render(r: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## Accord HTTP benchmark\n");
    let _ = writeln!(
        out,
        "{} · {} cores · backend {} · {} keep-alive connections · {:.1} s warm-up + {:.1} s measured per endpoint · {} customers · all on 127.0.0.1\n",
        r.date, r.cores, r.backend, r.connections, r.warmup_s, r.measured_s, r.customers
    );
    let _ = writeln!(
        out,
        "| endpoint | server | requests/s | p50 ms | p99 ms | Accord/bare req/s | load-gen CPU (cores) | server CPU (cores) |"
    );
    let _ = writeln!(out, "|---|---|---:|---:|---:|---:|---:|---:|");
    for p in &r.pairs {
        let ratio = p.ratio().map_or_else(|| "–".into(), |x| format!("{x:.2}×"));
        row(&mut out, p.bare_path, "bare", &p.bare, "");
        row(&mut out, p.accord_path, "Accord", &p.accord, &ratio);
    }
    let _ = writeln!(out, "\n| target | figure | result |");
    let _ = writeln!(out, "|---|---:|---|");
    for p in &r.pairs {
        let Some(min_ratio) = p.min_ratio else {
            continue;
        };
        let (figure, met) = match p.ratio() {
            Some(x) => (format!("{x:.2}×"), x >= min_ratio),
            None => ("–".into(), false),
        };
        let _ = writeln!(
            out,
            "| `{}` ≥ {:.1}× bare requests/s | {figure} | {} |",
            p.bare_path,
            min_ratio,
            verdict(met)
        );
    }
    for p in &r.pairs {
        let _ = writeln!(
            out,
            "| Accord p99 ≤ {:.0} ms on `{}` | {:.2} ms | {} |",
            r.p99_limit_ms,
            p.accord_path,
            p.accord.p99_ms,
            verdict(p.accord.p99_ms <= r.p99_limit_ms)
        );
    }
    let bodies: Vec<String> = r
        .pairs
        .iter()
        .map(|p| format!("`{}` {} bytes", p.accord_path, p.body_bytes))
        .collect();
    let _ = writeln!(
        out,
        "\nBodies: {}. Accord's cached credentials after the run: {}.",
        bodies.join(", "),
        r.cached_credentials
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(rps: f64, p99: f64) -> Stats {
        Stats {
            requests_per_s: rps,
            p50_ms: p99 / 2.0,
            p99_ms: p99,
            cpu: Some(CpuUse {
                load_cores: 0.8,
                server_cores: 1.1,
            }),
        }
    }

    fn report(me_accord: f64, customers_accord: f64, p99: f64) -> Report {
        Report {
            date: "2025-01-01 00:00 UTC".into(),
            cores: 2,
            backend: "sqlite".into(),
            connections: 64,
            warmup_s: 1.0,
            measured_s: 5.0,
            customers: 1000,
            cached_credentials: 1,
            p99_limit_ms: P99_LIMIT_MS,
            pairs: vec![
                Pair {
                    bare_path: "/me",
                    accord_path: "/api/v1/me",
                    body_bytes: 300,
                    min_ratio: Some(0.6),
                    bare: stats(10_000.0, 1.0),
                    accord: stats(me_accord, p99),
                },
                Pair {
                    bare_path: "/customers",
                    accord_path: "/api/v1/customers",
                    body_bytes: 20_000,
                    min_ratio: Some(0.3),
                    bare: stats(10_000.0, 1.0),
                    accord: stats(customers_accord, p99),
                },
            ],
        }
    }

    #[test]
    fn ratio_is_accord_over_bare() {
        assert_eq!(ratio(6_000.0, 10_000.0), Some(0.6));
        assert_eq!(ratio(1.0, 0.0), None);
    }

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(0.0), "0");
        assert_eq!(thousands(999.4), "999");
        assert_eq!(thousands(1_000.0), "1,000");
        assert_eq!(thousands(1_234_567.0), "1,234,567");
    }

    #[test]
    fn targets_met_at_the_boundary() {
        let text = render(&report(6_000.0, 3_000.0, 5.0));
        assert!(text.contains("| `/me` ≥ 0.6× bare requests/s | 0.60× | met |"));
        assert!(text.contains("| `/customers` ≥ 0.3× bare requests/s | 0.30× | met |"));
        assert!(text.contains("| Accord p99 ≤ 5 ms on `/api/v1/me` | 5.00 ms | met |"));
        assert!(!text.contains("MISSED"));
    }

    #[test]
    fn missed_targets_show_their_figure() {
        let text = render(&report(5_000.0, 2_000.0, 7.2));
        assert!(text.contains("| `/me` ≥ 0.6× bare requests/s | 0.50× | MISSED |"));
        assert!(text.contains("| `/customers` ≥ 0.3× bare requests/s | 0.20× | MISSED |"));
        assert!(text.contains("| Accord p99 ≤ 5 ms on `/api/v1/customers` | 7.20 ms | MISSED |"));
        assert!(
            text.contains("| `/api/v1/me` | Accord | 5,000 | 3.60 | 7.20 | 0.50× | 0.80 | 1.10 |")
        );
    }
}
