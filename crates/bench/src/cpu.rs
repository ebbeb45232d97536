//! CPU used by this process's threads, grouped by side: the load generator's runtime
//! threads (named `bench-load`) and everything else (the servers' runtime, SQLite's worker
//! threads). Read from `/proc/self/task/*/schedstat` on Linux; elsewhere, not reported.

use std::time::Duration;

/// Nanoseconds on a CPU so far.
#[derive(Clone, Copy, Debug, Default)]
pub struct CpuSample {
    load_ns: u64,
    other_ns: u64,
}

/// Cores kept busy on average over a window (1.0 = one core all the time).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CpuUse {
    pub load_cores: f64,
    pub server_cores: f64,
}

/// Best effort: `None` where `/proc` cannot be read.
pub fn sample() -> Option<CpuSample> {
    let mut s = CpuSample::default();
    for entry in std::fs::read_dir("/proc/self/task").ok()?.flatten() {
        let dir = entry.path();
        let Some(ns) = std::fs::read_to_string(dir.join("schedstat"))
            .ok()
            .and_then(|t| t.split_whitespace().next()?.parse::<u64>().ok())
        else {
            continue;
        };
        let name = std::fs::read_to_string(dir.join("comm")).unwrap_or_default();
        if name.starts_with("bench-load") {
            s.load_ns += ns;
        } else {
            s.other_ns += ns;
        }
    }
    Some(s)
}

/// The cores each side used between two samples `window` apart.
pub fn usage(from: Option<CpuSample>, to: Option<CpuSample>, window: Duration) -> Option<CpuUse> {
    let (from, to) = (from?, to?);
    let w = window.as_secs_f64() * 1e9;
    (w > 0.0).then(|| CpuUse {
        load_cores: to.load_ns.saturating_sub(from.load_ns) as f64 / w,
        server_cores: to.other_ns.saturating_sub(from.other_ns) as f64 / w,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_is_cpu_time_over_wall_time() {
        let from = CpuSample {
            load_ns: 1_000_000_000,
            other_ns: 0,
        };
        let to = CpuSample {
            load_ns: 3_000_000_000,
            other_ns: 1_000_000_000,
        };
        let u = usage(Some(from), Some(to), Duration::from_secs(2));
        assert_eq!(
            u,
            Some(CpuUse {
                load_cores: 1.0,
                server_cores: 0.5
            })
        );
        assert_eq!(usage(None, Some(to), Duration::from_secs(2)), None);
    }
}
