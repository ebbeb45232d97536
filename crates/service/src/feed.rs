//! Following the change feed: each node reads the changes committed by every node (and by
//! the CLI) and drops what they make stale from its caches.
//!
//! The bound: a change committed on another node is applied here at most
//! [`POLL_INTERVAL`] plus one feed query after its commit (sooner on PostgreSQL, where the
//! commit also sends a notification that wakes the follower). A follower that falls
//! behind the feed's [`RETENTION`] (a node paused for an hour) cannot know what it missed
//! and empties its caches instead.

use std::sync::atomic::Ordering;
use std::time::Duration;

use crate::work::Change;
use crate::{Accord, Result};

/// How often a follower reads the feed when nothing wakes it.
pub const POLL_INTERVAL: Duration = Duration::from_millis(200);
/// How long changes are kept; older ones are pruned by any node.
pub const RETENTION: chrono::Duration = chrono::Duration::hours(1);
/// How old this node's last complete read of the feed may be for its caches to answer.
pub const MAX_FEED_LAG: Duration = Duration::from_millis(800);
/// How often a node prunes.
const PRUNE_EVERY: Duration = Duration::from_secs(300);
/// Changes read per query.
const BATCH: u32 = 1000;

impl Accord {
    pub(crate) fn apply_change(&self, c: &Change) {
        self.credentials().apply(c);
        self.customer_index().apply(c);
        self.grant_index().apply(c);
    }

    /// The number of the last change this node has applied (-1 before the first read).
    pub fn feed_position(&self) -> i64 {
        self.inner.feed_pos.load(Ordering::Acquire)
    }

    /// Reads and applies every change committed since the last call; returns how many.
    pub async fn catch_up(&self) -> Result<usize> {
        let mut applied = 0;
        loop {
            let pos = self.feed_position();
            let mut tx = self.store().read().await?;
            let (head, _) = tx.feed_bounds().await?;
            if pos < 0 || head < pos {
                // First read, or a database restored to an earlier point: what the caches
                // hold may be stale, so start them over from here.
                self.restart_feed(head, pos);
                self.feed_alive();
                return Ok(applied);
            }
            let rows = tx.changes_after(pos, BATCH).await?;
            drop(tx);
            if rows.first().is_some_and(|r| r.seq != pos + 1) || (rows.is_empty() && head > pos) {
                // Numbers have no holes (an append takes them only when it commits), so a
                // missing next number means it was pruned before this node read it.
                self.restart_feed(head, pos);
                self.feed_alive();
                return Ok(applied);
            }
            let n = rows.len();
            for r in rows {
                if let Some(c) = Change::from_row(r.tenant_id, &r.kind, &r.key) {
                    self.apply_change(&c);
                }
                self.inner.feed_pos.store(r.seq, Ordering::Release);
            }
            applied += n;
            if n < BATCH as usize {
                self.feed_alive();
                return Ok(applied);
            }
        }
    }

    fn restart_feed(&self, head: i64, pos: i64) {
        self.credentials().clear();
        self.customer_index().clear();
        self.grant_index().clear();
        self.inner.feed_pos.store(head, Ordering::Release);
        if pos >= 0 {
            tracing::warn!(
                position = pos,
                head,
                "lost track of the change feed (pruned or restored); caches emptied"
            );
        }
    }

    /// Records that this node has just read the feed to its end.
    fn feed_alive(&self) {
        self.inner.feed_read_at.store(
            self.inner.started.elapsed().as_millis() as u64,
            Ordering::Release,
        );
    }

    /// Whether this node read the feed to its end within [`MAX_FEED_LAG`]. Caches answer
    /// only while it has: a node that cannot follow the feed (its database is away, its
    /// pool is exhausted) reads credentials from the database instead of trusting what
    /// may since have been revoked.
    pub(crate) fn feed_is_current(&self) -> bool {
        let read_at = self.inner.feed_read_at.load(Ordering::Acquire);
        read_at != u64::MAX
            && (self.inner.started.elapsed().as_millis() as u64).saturating_sub(read_at)
                <= MAX_FEED_LAG.as_millis() as u64
    }

    /// Deletes changes older than [`RETENTION`].
    pub async fn prune_feed(&self) -> Result<u64> {
        let before = self.now() - RETENTION;
        let mut tx = self.store().write().await?;
        let n = tx.prune_changes(before).await?;
        tx.commit().await?;
        Ok(n)
    }

    /// Follows the feed until `shutdown` completes. Errors are logged and retried: a
    /// database that is briefly away must not stop revocations from arriving later (and
    /// while the feed cannot be read, the caches do not answer). Pruning runs beside it,
    /// so that waiting for the writer never delays the feed.
    pub async fn follow_changes(&self, shutdown: impl std::future::Future<Output = ()>) {
        tokio::pin!(shutdown);
        let follow = async {
            loop {
                if let Err(e) = self.catch_up().await {
                    tracing::error!(error = %e, "reading the change feed failed; retrying");
                }
                self.store().wait_for_changes(POLL_INTERVAL).await;
            }
        };
        let prune = async {
            loop {
                tokio::time::sleep(PRUNE_EVERY).await;
                match self.prune_feed().await {
                    Ok(n) if n > 0 => tracing::debug!(pruned = n, "pruned the change feed"),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "pruning the change feed failed"),
                }
            }
        };
        // The grant index loads beside the follower (a large world takes seconds), and
        // again whenever it was emptied; until then checks read the database.
        let grants = async {
            loop {
                if !self.grant_index().is_loaded() {
                    match self.load_grant_index().await {
                        Ok((g, a)) => {
                            tracing::info!(grants = g, assignments = a, "grant index loaded")
                        }
                        Err(e) => {
                            tracing::warn!(error = %e, "loading the grant index failed; retrying")
                        }
                    }
                }
                tokio::time::sleep(POLL_INTERVAL).await;
            }
        };
        // The partner directory's index follows the feed on its own position (its stamp),
        // so a rebuild of a large directory never holds up revocations.
        let directory = async {
            loop {
                if let Err(e) = self.sync_directory().await {
                    tracing::warn!(error = %e, "updating the directory index failed; retrying");
                }
                self.store().wait_for_changes(POLL_INTERVAL).await;
            }
        };
        tokio::select! {
            _ = &mut shutdown => {}
            _ = follow => {}
            _ = directory => {}
            _ = prune => {}
            _ = grants => {}
        }
    }
}
