//! The load generator: keep-alive HTTP/1.1 connections (raw `hyper::client::conn::http1`
//! over tokio's `TcpStream`), each a task sending GETs back to back for a fixed time, every
//! latency recorded in an HDR histogram. Any answer but 200 with the expected length stops
//! the run with an error: a benchmark that measures failures is worthless.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context};
use bytes::Bytes;
use hdrhistogram::Histogram;
use http_body_util::{BodyExt, Empty};
use hyper::client::conn::http1::SendRequest;
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HOST};
use hyper::http::HeaderValue;
use hyper::{Request, StatusCode, Uri};
use hyper_util::rt::TokioIo;
use tokio::task::JoinSet;

use crate::cpu::{self, CpuUse};

/// Latencies are recorded in microseconds, from 1 µs to 60 s, to 3 significant digits.
const MAX_MICROS: u64 = 60_000_000;

/// How long and how hard to push.
#[derive(Clone, Debug)]
pub struct Plan {
    pub connections: usize,
    pub warmup: Duration,
    pub measure: Duration,
}

/// One endpoint to load.
#[derive(Debug)]
pub struct Target {
    pub addr: SocketAddr,
    pub path: String,
    uri: Uri,
    host: HeaderValue,
    bearer: HeaderValue,
    expect_len: usize,
}

impl Target {
    /// Refuses any address but loopback: this tool never loads another machine.
    pub fn new(
        addr: SocketAddr,
        path: &str,
        bearer: &str,
        expect_len: usize,
    ) -> anyhow::Result<Self> {
        ensure!(
            addr.ip().is_loopback(),
            "refusing to load {addr}: the benchmark only targets 127.0.0.1"
        );
        Ok(Self {
            addr,
            path: path.to_string(),
            uri: path.parse().with_context(|| format!("bad path {path}"))?,
            host: HeaderValue::from_str(&addr.to_string())?,
            bearer: HeaderValue::from_str(bearer)?,
            expect_len,
        })
    }
}

/// What one run measured.
pub struct Measurement {
    pub requests: u64,
    pub elapsed: Duration,
    pub latency_us: Histogram<u64>,
    pub cpu: Option<CpuUse>,
}

impl Measurement {
    pub fn requests_per_s(&self) -> f64 {
        let s = self.elapsed.as_secs_f64();
        if s > 0.0 {
            self.requests as f64 / s
        } else {
            0.0
        }
    }

    pub fn quantile_ms(&self, q: f64) -> f64 {
        self.latency_us.value_at_quantile(q) as f64 / 1000.0
    }
}

fn histogram() -> anyhow::Result<Histogram<u64>> {
    Histogram::new_with_bounds(1, MAX_MICROS, 3).context("cannot create a histogram")
}

/// One keep-alive connection.
struct Conn {
    sender: SendRequest<Empty<Bytes>>,
    addr: SocketAddr,
}

impl Conn {
    async fn open(addr: SocketAddr) -> anyhow::Result<Self> {
        ensure!(
            addr.ip().is_loopback(),
            "refusing to connect to {addr}: the benchmark only targets 127.0.0.1"
        );
        let stream = tokio::net::TcpStream::connect(addr)
            .await
            .with_context(|| format!("cannot connect to {addr}"))?;
        stream.set_nodelay(true)?;
        let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .with_context(|| format!("HTTP handshake with {addr} failed"))?;
        // Errors surface through `send_request`; the driver ends when the sender is dropped.
        tokio::spawn(async move {
            let _ = conn.await;
        });
        Ok(Self { sender, addr })
    }

    /// One GET; the answer must be 200. Returns the content type and the body.
    async fn get(
        &mut self,
        uri: &Uri,
        host: &HeaderValue,
        bearer: &HeaderValue,
    ) -> anyhow::Result<(Option<HeaderValue>, Bytes)> {
        self.sender
            .ready()
            .await
            .with_context(|| format!("the connection to {} closed", self.addr))?;
        let req = Request::get(uri.clone())
            .header(HOST, host.clone())
            .header(AUTHORIZATION, bearer.clone())
            .body(Empty::<Bytes>::new())?;
        let resp = self
            .sender
            .send_request(req)
            .await
            .with_context(|| format!("GET {uri} on {} failed", self.addr))?;
        let status = resp.status();
        let content_type = resp.headers().get(CONTENT_TYPE).cloned();
        let body = resp
            .into_body()
            .collect()
            .await
            .with_context(|| format!("reading GET {uri} on {} failed", self.addr))?
            .to_bytes();
        if status != StatusCode::OK {
            let head = String::from_utf8_lossy(&body[..body.len().min(300)]).into_owned();
            bail!(
                "GET {uri} on {} answered {status}, not 200: {head}",
                self.addr
            );
        }
        Ok((content_type, body))
    }
}

/// One GET on a new connection, for the bodies the bare server will serve. The answer
/// must be 200 and JSON.
pub async fn fetch(addr: SocketAddr, path: &str, bearer: &str) -> anyhow::Result<Bytes> {
    let t = Target::new(addr, path, bearer, 0)?;
    let mut conn = Conn::open(addr).await?;
    let (content_type, body) = conn.get(&t.uri, &t.host, &t.bearer).await?;
    let ct = content_type
        .as_ref()
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    ensure!(
        ct.starts_with("application/json"),
        "GET {path} answered {ct:?}, not JSON"
    );
    Ok(body)
}

struct Tally {
    requests: u64,
    latency_us: Histogram<u64>,
}

/// Requests back to back on one connection until `end`; counts those sent after `from`
/// and answered by `end`.
async fn worker(
    mut conn: Conn,
    t: Arc<Target>,
    from: Instant,
    end: Instant,
) -> anyhow::Result<Tally> {
    let mut tally = Tally {
        requests: 0,
        latency_us: histogram()?,
    };
    loop {
        let t0 = Instant::now();
        if t0 >= end {
            return Ok(tally);
        }
        let (_, body) = conn.get(&t.uri, &t.host, &t.bearer).await?;
        let t1 = Instant::now();
        if body.len() != t.expect_len {
            bail!(
                "GET {} on {} answered {} bytes, expected {}",
                t.path,
                t.addr,
                body.len(),
                t.expect_len
            );
        }
        if t0 >= from && t1 <= end {
            let us = u64::try_from((t1 - t0).as_micros()).unwrap_or(MAX_MICROS);
            tally.latency_us.saturating_record(us.clamp(1, MAX_MICROS));
            tally.requests += 1;
        }
    }
}

/// Loads one target: opens every connection, warms up, then measures.
pub async fn run(t: Arc<Target>, plan: Plan) -> anyhow::Result<Measurement> {
    let mut conns = Vec::with_capacity(plan.connections);
    for _ in 0..plan.connections {
        conns.push(Conn::open(t.addr).await?);
    }
    let start = Instant::now();
    let from = start + plan.warmup;
    let end = from + plan.measure;
    let mut tasks = JoinSet::new();
    for conn in conns {
        tasks.spawn(worker(conn, t.clone(), from, end));
    }
    // CPU used by each side during the measured window only.
    tokio::time::sleep_until(from.into()).await;
    let cpu_from = cpu::sample();
    tokio::time::sleep_until(end.into()).await;
    let cpu_end = cpu::sample();

    let mut requests = 0;
    let mut latency_us = histogram()?;
    while let Some(joined) = tasks.join_next().await {
        let tally = joined.context("a load task panicked")??;
        requests += tally.requests;
        latency_us
            .add(&tally.latency_us)
            .context("cannot merge histograms")?;
    }
    ensure!(
        requests > 0,
        "no request to {} completed in the measured window",
        t.path
    );
    Ok(Measurement {
        requests,
        elapsed: plan.measure,
        latency_us,
        cpu: cpu::usage(cpu_from, cpu_end, plan.measure),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_is_a_target() {
        let ok: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        let remote: SocketAddr = "10.0.0.1:8080".parse().unwrap();
        assert!(Target::new(ok, "/me", "Bearer x", 1).is_ok());
        assert!(Target::new(remote, "/me", "Bearer x", 1).is_err());
    }

    #[test]
    fn rate_and_quantiles_come_from_the_histogram() {
        let mut h = histogram().unwrap();
        for us in [1_000, 1_000, 1_000, 10_000] {
            h.record(us).unwrap();
        }
        let m = Measurement {
            requests: 500,
            elapsed: Duration::from_secs(5),
            latency_us: h,
            cpu: None,
        };
        assert!((m.requests_per_s() - 100.0).abs() < 1e-9);
        assert!((m.quantile_ms(0.5) - 1.0).abs() < 0.01);
        assert!((m.quantile_ms(0.99) - 10.0).abs() < 0.01);
    }
}
