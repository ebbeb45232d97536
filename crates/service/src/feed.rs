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
/// How often a node prunes.
const PRUNE_EVERY: Duration = Duration::from_secs(300);
/// Changes read per query.
const BATCH: u32 = 1000;

impl Accord {
    pub(crate) fn apply_change(&self, c: &Change) {
        self.credentials().apply(c);
        self.customer_index().apply(c);
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
            let (head, oldest) = tx.feed_bounds().await?;
            if pos < 0 || (pos < head && oldest.is_none_or(|o| o > pos + 1)) {
                // First read, or changes were pruned before this node saw them: what the
                // caches hold may be stale, so start them over from here.
                self.credentials().clear();
                self.customer_index().clear();
                self.inner.feed_pos.store(head, Ordering::Release);
                if pos >= 0 {
                    tracing::warn!(
                        position = pos,
                        head,
                        "fell behind the change feed's retention; caches emptied"
                    );
                }
                return Ok(applied);
            }
            let rows = tx.changes_after(pos, BATCH).await?;
            drop(tx);
            let n = rows.len();
            for r in rows {
                if let Some(c) = Change::from_row(r.tenant_id, &r.kind, &r.key) {
                    self.apply_change(&c);
                }
                self.inner.feed_pos.store(r.seq, Ordering::Release);
            }
            applied += n;
            if n < BATCH as usize {
                return Ok(applied);
            }
        }
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
    /// database that is briefly away must not stop revocations from arriving later.
    pub async fn follow_changes(&self, shutdown: impl std::future::Future<Output = ()>) {
        tokio::pin!(shutdown);
        let mut last_prune = tokio::time::Instant::now();
        loop {
            if let Err(e) = self.catch_up().await {
                tracing::error!(error = %e, "reading the change feed failed; retrying");
            }
            if last_prune.elapsed() >= PRUNE_EVERY {
                last_prune = tokio::time::Instant::now();
                match self.prune_feed().await {
                    Ok(n) if n > 0 => tracing::debug!(pruned = n, "pruned the change feed"),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "pruning the change feed failed"),
                }
            }
            tokio::select! {
                _ = &mut shutdown => return,
                _ = self.store().wait_for_changes(POLL_INTERVAL) => {}
            }
        }
    }
}
