//! The outbox's delivery. A use case queues a message in its unit of work (so it exists
//! exactly when the change it reports does); a delivery loop on every node claims due
//! messages, sends them and records the outcome. Delivery is at least once: a node that
//! stops mid-send leaves the message leased for [`LEASE`], after which any node sends it
//! again (with the same Message-ID). A failed attempt is retried after 30 s, 1, 2, 4…
//! minutes, at most an hour apart, [`MAX_ATTEMPTS`] times in all (about seven hours); a
//! permanent refusal gives up at once. A message given up is logged and recorded as an
//! operator event. Once a message is delivered or given up, its arguments (which may
//! hold a link's secret) are dropped from the stored payload.

mod transport;

use std::collections::BTreeMap;
use std::time::Duration as StdDuration;

use accord_domain::{Locale, TenantId};
use accord_store::{OutboxCounts, OutboxRecord};
use chrono::Duration;
use serde::{Deserialize, Serialize};

pub use accord_i18n::Email as RenderedEmail;
pub use transport::{sender, MailTransport, Mailer, SendFailure};

use crate::work::{Actor, Audit, Work};
use crate::{Accord, Result};

/// How long a claimed message is reserved for the node sending it.
pub const LEASE: Duration = Duration::minutes(5);
/// Attempts before a message is given up.
pub const MAX_ATTEMPTS: u32 = 14;
/// How often the delivery loop looks for due messages when nothing wakes it.
pub const POLL: StdDuration = StdDuration::from_secs(5);
const BATCH: u32 = 20;

/// An e-mail as queued: rendered when sent, in the recipient's language.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct QueuedEmail {
    pub to: String,
    pub locale: String,
    pub template: String,
    #[serde(default)]
    pub args: BTreeMap<String, String>,
}

impl QueuedEmail {
    /// What is kept once the message is settled: no arguments.
    fn kept(&self) -> serde_json::Value {
        serde_json::json!({"to": self.to, "locale": self.locale, "template": self.template})
    }
}

impl Work {
    /// Queues an e-mail (a template of `accord-i18n`'s `email.ftl`) to send after the commit.
    pub fn send_email(
        &mut self,
        tenant: TenantId,
        to: &str,
        locale: Locale,
        template: &str,
        args: &[(&str, &str)],
    ) {
        let m = QueuedEmail {
            to: to.to_string(),
            locale: locale.as_str().to_string(),
            template: template.to_string(),
            args: args
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        };
        self.send(tenant, "email", serde_json::to_value(m).unwrap_or_default());
    }
}

/// What one delivery pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeliveryPass {
    pub delivered: usize,
    pub retried: usize,
    pub failed: usize,
}

impl DeliveryPass {
    pub fn handled(&self) -> usize {
        self.delivered + self.retried + self.failed
    }
}

/// The wait before attempt `n + 1` after attempt `n` failed.
fn backoff(attempts: u32) -> Duration {
    let secs = 30_i64.saturating_mul(1_i64 << attempts.saturating_sub(1).min(16));
    Duration::seconds(secs.min(3600))
}

/// Error text as stored: one line, bounded, no control characters.
fn error_text(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(500)
        .collect()
}

enum Outcome {
    Delivered,
    Retry(String),
    GiveUp(String),
}

impl Accord {
    /// Sends the e-mails due now, at most one batch; returns what it did.
    pub async fn deliver_due_mail(&self, mailer: &Mailer) -> Result<DeliveryPass> {
        let now = self.now();
        let mut tx = self.store().write().await?;
        let due = tx.claim_outbox("email", now, now + LEASE, BATCH).await?;
        tx.commit().await?;
        let mut pass = DeliveryPass::default();
        for m in due {
            let (outcome, kept) = self.send_one(mailer, &m).await;
            self.settle(&m, outcome, kept, &mut pass).await?;
        }
        Ok(pass)
    }

    async fn send_one(&self, mailer: &Mailer, m: &OutboxRecord) -> (Outcome, serde_json::Value) {
        let q: QueuedEmail = match serde_json::from_value(m.payload.clone()) {
            Ok(q) => q,
            Err(e) => {
                return (
                    Outcome::GiveUp(format!("unreadable e-mail: {e}")),
                    serde_json::json!({}),
                )
            }
        };
        let kept = q.kept();
        let locale = q.locale.parse().unwrap_or_default();
        let email = match accord_i18n::email(locale, &q.template, &q.args) {
            Ok(e) => e,
            Err(e) => return (Outcome::GiveUp(e), kept),
        };
        let outcome = match mailer.send(&q.to, &email, &m.id.to_string()).await {
            Ok(()) => Outcome::Delivered,
            Err(f) if f.permanent || m.attempts >= MAX_ATTEMPTS => Outcome::GiveUp(f.message),
            Err(f) => Outcome::Retry(f.message),
        };
        (outcome, kept)
    }

    async fn settle(
        &self,
        m: &OutboxRecord,
        outcome: Outcome,
        kept: serde_json::Value,
        pass: &mut DeliveryPass,
    ) -> Result<()> {
        let mut w = Work::begin(self, Actor::System).await?;
        let now = w.now;
        match outcome {
            Outcome::Delivered => {
                w.tx()
                    .outbox_delivered(m.tenant_id, m.id, now, &kept)
                    .await?;
                pass.delivered += 1;
                tracing::info!(message = %m.id, attempts = m.attempts, "e-mail delivered");
            }
            Outcome::Retry(e) => {
                let at = now + backoff(m.attempts);
                w.tx()
                    .outbox_retry(m.tenant_id, m.id, at, &error_text(&e))
                    .await?;
                pass.retried += 1;
                tracing::warn!(message = %m.id, attempts = m.attempts, retry_at = %at, error = %e, "e-mail not delivered; will retry");
            }
            Outcome::GiveUp(e) => {
                let e = error_text(&e);
                w.tx()
                    .outbox_failed(m.tenant_id, m.id, now, &e, &kept)
                    .await?;
                w.operator_event(Audit::new("email.failed", "outbox", m.id).details(
                    serde_json::json!({
                        "tenant_id": m.tenant_id,
                        "template": kept.get("template"),
                        "attempts": m.attempts,
                        "error": e,
                    }),
                ));
                pass.failed += 1;
                tracing::error!(message = %m.id, attempts = m.attempts, error = %e, "e-mail given up");
            }
        }
        w.commit().await
    }

    /// Delivers e-mail until the process ends: at once when this node queues a message,
    /// else every [`POLL`] (messages queued on other nodes, retries).
    pub async fn run_mail_delivery(&self, mailer: Mailer) {
        tracing::info!(to = mailer.describe(), "e-mail delivery started");
        loop {
            let busy = match self.deliver_due_mail(&mailer).await {
                Ok(pass) => pass.handled() > 0,
                Err(e) => {
                    tracing::warn!(error = %e, "e-mail delivery pass failed");
                    false
                }
            };
            if !busy {
                let _ = tokio::time::timeout(POLL, self.inner.mail_queued.notified()).await;
            }
        }
    }

    /// The latest messages given up, newest first (their secrets already dropped).
    pub async fn failed_outbox(&self, limit: u32) -> Result<Vec<OutboxRecord>> {
        let mut tx = self.store().read().await?;
        Ok(tx.failed_outbox(limit.min(1000)).await?)
    }

    /// Messages waiting and given up (all kinds), for health output and the CLI.
    pub async fn outbox_counts(&self) -> Result<OutboxCounts> {
        let mut tx = self.store().read().await?;
        Ok(tx.outbox_counts().await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_to_an_hour() {
        let waits: Vec<i64> = (1..=MAX_ATTEMPTS)
            .map(|n| backoff(n).num_seconds())
            .collect();
        assert_eq!(&waits[..4], &[30, 60, 120, 240]);
        assert!(waits.iter().all(|w| *w <= 3600));
        let total: i64 = waits[..waits.len() - 1].iter().sum();
        assert!(
            (6 * 3600..8 * 3600).contains(&total),
            "about seven hours: {total}"
        );
        assert_eq!(backoff(u32::MAX).num_seconds(), 3600);
    }

    #[test]
    fn stored_errors_are_one_bounded_line() {
        let e = error_text(&format!("a\r\nb\0{}", "x".repeat(900)));
        assert!(e.starts_with("a  b "));
        assert_eq!(e.chars().count(), 500);
    }
}
