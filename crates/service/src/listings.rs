//! The partner directory (SPEC F1): partners' public profiles, the search over them, and
//! the leads visitors send with "Contact selected providers".
//!
//! Profiles live in the store; the search index ([`accord_search::DirectoryIndex`]) is
//! derived from them and never the source of truth. Each node keeps its own index and
//! follows the change feed for `profile.changed` rows ([`Accord::sync_directory`]): a
//! profile saved on any node is searchable on every node within the feed's bound (one
//! poll interval plus a commit of the index, well under a second). At start the index is
//! rebuilt from the store when it is missing, of another schema, or older than what the
//! feed still holds; otherwise only the changes since its stamp are applied.

use std::collections::BTreeSet;
use std::sync::Arc;

use accord_domain::{
    check_lead_partners, DomainError, LeadInput, LeadStatus, Locale, PartnerProfile, PartnerRole,
    TenantId,
};
use accord_search::{DirectoryIndex, DirectoryPage, DirectoryQuery, ProfileDoc, SearchError};
use accord_store::{LeadRecord, LeadSender, ListedProfile, ProfileRecord};
use chrono::{DateTime, Duration, Utc};

use crate::pages::{encode_cursor, page_from, Page, PageRequest};
use crate::partner::PartnerDesk;
use crate::work::{Actor, Audit, Change, Work};
use crate::{Accord, Error, Result};

/// Partner roles that edit the public profile.
const PROFILE_EDITORS: &[PartnerRole] = &[PartnerRole::PartnerAdmin];
/// Partner roles that read and answer leads (those that may send relationship requests).
const LEAD_HANDLERS: &[PartnerRole] = &[
    PartnerRole::PartnerAdmin,
    PartnerRole::AdminAgent,
    PartnerRole::SalesAgent,
];

/// The window of the lead rate limit, and how many submissions it allows.
pub const LEAD_WINDOW: Duration = Duration::hours(1);
/// Submissions from one client address per [`LEAD_WINDOW`].
pub const LEADS_PER_ADDRESS: usize = 10;
/// Submissions from one e-mail address per [`LEAD_WINDOW`].
pub const LEADS_PER_EMAIL: usize = 5;
/// Profiles read per query when the index is rebuilt.
const REBUILD_BATCH: u32 = 5000;
/// How often the index's stamp is saved when only other changes passed (so that a
/// restart does not find its stamp pruned from the feed and rebuild).
const STAMP_EVERY: std::time::Duration = std::time::Duration::from_secs(300);

/// A partner's profile as its editor sees it.
#[derive(Clone, Debug)]
pub struct ProfileView {
    pub profile: PartnerProfile,
    /// The relationship types the partner is authorised to offer.
    pub offered: Vec<accord_domain::PartnerType>,
    /// When it was last saved (`None`: never; the form is prefilled).
    pub updated_at: Option<DateTime<Utc>>,
}

/// The directory's state on this node: the index and how far it has read the feed.
#[derive(Default)]
pub(crate) struct DirectoryState {
    index: std::sync::OnceLock<Arc<DirectoryIndex>>,
    /// Serialises syncs; holds the feed position applied and when the stamp was saved.
    sync: tokio::sync::Mutex<SyncState>,
}

#[derive(Default)]
struct SyncState {
    pos: Option<i64>,
    stamped_at: Option<std::time::Instant>,
}

impl SyncState {
    /// The index was just committed with stamp `pos`.
    fn stamped_at_now(&mut self, pos: i64) {
        self.pos = Some(pos);
        self.stamped_at = Some(std::time::Instant::now());
    }
}

fn search_err(e: SearchError) -> Error {
    match e {
        SearchError::TooDeep { .. } => DomainError::InvalidCursor.into(),
        e => Error::Internal(format!("directory index: {e}")),
    }
}

fn doc(p: ListedProfile) -> ProfileDoc {
    ProfileDoc {
        partner_id: p.partner_id.0,
        cloud: p.cloud,
        profile: p.profile,
    }
}

impl Accord {
    /// This node's directory index (opened on first use: in the configured directory, or
    /// in memory).
    pub fn directory_index(&self) -> Result<Arc<DirectoryIndex>> {
        if let Some(i) = self.inner.directory.index.get() {
            return Ok(i.clone());
        }
        let opened = match &self.config().directory_index {
            Some(dir) => DirectoryIndex::open(dir).or_else(|e| {
                // Another process holds it, or the disk refuses: serve from memory (the
                // index is derived, so nothing is lost but the time to rebuild it).
                tracing::warn!(error = %e, dir = %dir.display(), "cannot open the directory index; keeping it in memory");
                DirectoryIndex::in_ram()
            }),
            None => DirectoryIndex::in_ram(),
        };
        let index =
            opened.map_err(|e| Error::Internal(format!("opening the directory index: {e}")))?;
        Ok(self
            .inner
            .directory
            .index
            .get_or_init(|| Arc::new(index))
            .clone())
    }

    /// Searches the published profiles of one cloud.
    pub async fn search_partners(&self, q: &DirectoryQuery) -> Result<DirectoryPage> {
        let index = self.directory_index()?;
        let q = q.clone();
        tokio::task::spawn_blocking(move || index.search(&q))
            .await
            .map_err(|e| Error::Internal(e.to_string()))?
            .map_err(search_err)
    }

    /// A published profile (404 `not_found` when there is none: unpublished profiles are
    /// not shown to anyone but their partner).
    pub async fn listed_partner(&self, partner: TenantId) -> Result<ListedProfile> {
        let mut tx = self.store().read().await?;
        tx.listed_profile(partner)
            .await?
            .ok_or_else(|| DomainError::NotFound { what: "partner" }.into())
    }

    /// Brings this node's index up to the feed: applies the profile changes committed
    /// since the last sync, or rebuilds the index from the store when it is empty, of
    /// another schema, or older than the feed remembers. Returns how many profiles it
    /// (re)indexed.
    pub async fn sync_directory(&self) -> Result<u64> {
        let index = self.directory_index()?;
        let mut state = self.inner.directory.sync.lock().await;
        let mut tx = self.store().read().await?;
        let (head, oldest) = tx.feed_bounds().await?;
        drop(tx);
        let pos = match state.pos.or(index.stamp()) {
            Some(p) if p <= head && (p == head || oldest.is_some_and(|o| o <= p + 1)) => p,
            // Never built, restored to an earlier point, or pruned past: start over.
            _ => {
                let n = self.rebuild_directory(&index, head).await?;
                state.stamped_at_now(head);
                return Ok(n);
            }
        };
        let mut pos = pos;
        let mut indexed = 0;
        loop {
            let mut tx = self.store().read().await?;
            let rows = tx.changes_after(pos, 1000).await?;
            let Some(last) = rows.last().map(|r| r.seq) else {
                break;
            };
            if rows.iter().any(|r| r.kind == "directory.reloaded") {
                drop(tx);
                let (head, _) = self.store().read().await?.feed_bounds().await?;
                indexed += self.rebuild_directory(&index, head).await?;
                state.stamped_at_now(head);
                return Ok(indexed);
            }
            let partners: BTreeSet<TenantId> = rows
                .iter()
                .filter(|r| r.kind == "profile.changed")
                .map(|r| r.tenant_id)
                .collect();
            let mut upserts = Vec::new();
            let mut removals = Vec::new();
            for p in partners {
                match tx.listed_profile(p).await? {
                    Some(l) => upserts.push(doc(l)),
                    None => removals.push(p.0),
                }
            }
            drop(tx);
            let due = state.stamped_at.is_none_or(|t| t.elapsed() >= STAMP_EVERY);
            if !upserts.is_empty() || !removals.is_empty() || due {
                indexed += (upserts.len() + removals.len()) as u64;
                let index = index.clone();
                tokio::task::spawn_blocking(move || index.apply(upserts, removals, last))
                    .await
                    .map_err(|e| Error::Internal(e.to_string()))?
                    .map_err(search_err)?;
                state.stamped_at_now(last);
            }
            pos = last;
            state.pos = Some(pos);
        }
        state.pos = Some(pos);
        Ok(indexed)
    }

    /// Replaces the index's content with every published profile, stamped with `head`
    /// (read before the profiles, so a change committed meanwhile is applied again by the
    /// next sync, which is harmless).
    async fn rebuild_directory(&self, index: &Arc<DirectoryIndex>, head: i64) -> Result<u64> {
        let started = std::time::Instant::now();
        let (send, mut recv) = tokio::sync::mpsc::channel::<ProfileDoc>(REBUILD_BATCH as usize);
        let writer = {
            let index = index.clone();
            tokio::task::spawn_blocking(move || {
                index.rebuild(std::iter::from_fn(|| recv.blocking_recv()), head)
            })
        };
        let mut after = None;
        let read = async {
            loop {
                let mut tx = self.store().read().await?;
                let batch = tx.published_profiles(after, REBUILD_BATCH).await?;
                drop(tx);
                let Some(last) = batch.last().map(|p| p.partner_id) else {
                    break;
                };
                after = Some(last);
                let full = batch.len() == REBUILD_BATCH as usize;
                for p in batch {
                    if send.send(doc(p)).await.is_err() {
                        // The writer stopped; its error is reported below.
                        return Ok::<(), Error>(());
                    }
                }
                if !full {
                    break;
                }
            }
            Ok(())
        };
        let read = read.await;
        drop(send);
        let n = writer
            .await
            .map_err(|e| Error::Internal(e.to_string()))?
            .map_err(search_err)?;
        read?;
        tracing::info!(
            profiles = n,
            seconds = started.elapsed().as_secs_f64(),
            "directory index rebuilt"
        );
        Ok(n)
    }

    /// Sends a visitor's lead to each selected partner (one lead per partner), after the
    /// rate limit: at most [`LEADS_PER_ADDRESS`] submissions from one client address and
    /// [`LEADS_PER_EMAIL`] from one e-mail address per [`LEAD_WINDOW`]
    /// (`too_many_leads`, with the wait). Every partner must have a published profile
    /// (`not_found` otherwise). Each partner's contact address is told by e-mail.
    pub async fn submit_lead(
        &self,
        partner_ids: &[TenantId],
        input: LeadInput,
        locale: Locale,
        client: &str,
    ) -> Result<Vec<LeadRecord>> {
        check_lead_partners(partner_ids)?;
        let input = input.validated()?;
        let mut ids = partner_ids.to_vec();
        ids.sort();
        ids.dedup();
        let mut w = Work::begin(self, Actor::System).await?;
        let now = w.now;
        let since = now - LEAD_WINDOW;
        for (sender, max) in [
            (LeadSender::Address(client), LEADS_PER_ADDRESS),
            (LeadSender::Email(&input.email), LEADS_PER_EMAIL),
        ] {
            let sent = w.tx().lead_submissions_since(sender, since).await?;
            if sent.len() >= max {
                let oldest = sent[sent.len() - max];
                let wait = (oldest + LEAD_WINDOW - now).num_seconds().max(1) as u64;
                return Err(DomainError::TooManyLeads {
                    retry_after_secs: wait,
                }
                .into());
            }
        }
        let batch = uuid::Uuid::now_v7();
        let mut leads = Vec::with_capacity(ids.len());
        for partner in ids {
            let Some(listed) = w.tx().listed_profile(partner).await? else {
                return Err(DomainError::NotFound { what: "partner" }.into());
            };
            let lead = LeadRecord {
                partner_id: partner,
                id: uuid::Uuid::now_v7(),
                batch_id: batch,
                name: input.name.clone(),
                email: input.email.clone(),
                phone: input.phone.clone(),
                organisation: input.organisation.clone(),
                org_size: input.org_size,
                country: input.country.clone(),
                message: input.message.clone(),
                locale,
                client_address: client.to_string(),
                status: LeadStatus::New,
                request_id: None,
                customer_id: None,
                created_at: now,
                updated_at: now,
            };
            w.tx().insert_lead(&lead).await?;
            w.audit(
                Audit::new("lead.received", "lead", lead.id).details(serde_json::json!({
                    "organisation": lead.organisation,
                    "email": lead.email,
                })),
                &[partner],
            );
            let to_locale = if listed.profile.country.as_str() == "KR" {
                Locale::Ko
            } else {
                self.config().default_locale
            };
            let link = format!("{}/partner/leads/{}", self.config().public_url, lead.id);
            w.send_email(
                partner,
                &listed.profile.contact_email,
                to_locale,
                "lead-received",
                &[
                    ("partner", &listed.profile.name),
                    ("name", &lead.name),
                    ("organisation", &lead.organisation),
                    ("link", &link),
                ],
            );
            leads.push(lead);
        }
        w.commit().await?;
        Ok(leads)
    }
}

impl PartnerDesk<'_> {
    /// The partner's profile, or a draft prefilled from the organisation when it has
    /// none yet. Any partner user may read it.
    pub async fn profile(&self) -> Result<ProfileView> {
        let offered = self.offered_types().await?;
        let org = &self.principal.tenant;
        let mut tx = self.accord.store().read().await?;
        Ok(match tx.profile(org.id).await? {
            Some(r) => ProfileView {
                profile: r.profile,
                offered,
                updated_at: Some(r.updated_at),
            },
            None => ProfileView {
                profile: PartnerProfile {
                    name: org.name.clone(),
                    description: String::new(),
                    country: org.country.clone(),
                    city: String::new(),
                    org_sizes: Vec::new(),
                    services: Vec::new(),
                    keywords: Vec::new(),
                    industries: Vec::new(),
                    types: offered.clone(),
                    contact_email: self.principal.email.clone(),
                    languages: Vec::new(),
                    published: false,
                },
                offered,
                updated_at: None,
            },
        })
    }

    /// Whether this user may edit the profile (the form is offered only then).
    pub fn may_edit_profile(&self) -> Result<()> {
        self.require_partner_roles(PROFILE_EDITORS)
    }

    /// Saves the profile whole (partner admins). Publishing or unpublishing takes effect
    /// in the directory within the feed's bound on every node.
    pub async fn save_profile(&self, profile: PartnerProfile) -> Result<ProfileView> {
        self.may_edit_profile()?;
        let offered = self.offered_types().await?;
        let profile = profile.validated(&offered)?;
        let partner = self.principal.tenant.id;
        let mut w = Work::begin(self.accord, Actor::of(self.principal)).await?;
        let now = w.now;
        let before = w.tx().profile(partner).await?;
        let rec = ProfileRecord {
            partner_id: partner,
            profile: profile.clone(),
            updated_at: now,
            updated_by: self.principal.user_id,
        };
        w.tx().upsert_profile(&rec).await?;
        let action = match before.as_ref().map(|b| b.profile.published) {
            Some(true) if !profile.published => "partner_profile.unpublished",
            Some(false) | None if profile.published => "partner_profile.published",
            _ => "partner_profile.updated",
        };
        w.audit(
            Audit::new(action, "partner_profile", partner).details(serde_json::json!({
                "name": profile.name,
                "published": profile.published,
            })),
            &[partner],
        );
        w.changed(Change::ProfileChanged { partner });
        w.commit().await?;
        // Searchable here at once; other nodes follow the feed.
        if let Err(e) = self.accord.sync_directory().await {
            tracing::warn!(error = %e, "updating the directory index failed; the follower retries");
        }
        Ok(ProfileView {
            profile,
            offered,
            updated_at: Some(now),
        })
    }

    fn require_lead_handler(&self) -> Result<()> {
        self.require_partner_roles(LEAD_HANDLERS)
    }

    /// Whether this user may read leads (the inbox is offered only then).
    pub fn may_handle_leads(&self) -> Result<()> {
        self.require_lead_handler()
    }

    /// The partner's leads, newest first, optionally of one status.
    pub async fn leads(
        &self,
        status: Option<LeadStatus>,
        page: &PageRequest,
    ) -> Result<Page<LeadRecord>> {
        self.require_lead_handler()?;
        let limit = page.limit()?;
        let before = page
            .cursor_parts()?
            .map(|(at, id)| {
                let at = at
                    .parse::<i64>()
                    .ok()
                    .and_then(DateTime::from_timestamp_millis);
                match (at, id.parse::<uuid::Uuid>()) {
                    (Some(at), Ok(id)) => Ok((at, id)),
                    _ => Err(DomainError::InvalidCursor),
                }
            })
            .transpose()?;
        let mut tx = self.accord.store().read().await?;
        let rows = tx
            .leads(self.principal.tenant.id, status, before, limit + 1)
            .await?;
        Ok(page_from(
            rows,
            limit,
            |l| {
                encode_cursor(
                    &l.created_at.timestamp_millis().to_string(),
                    &l.id.to_string(),
                )
            },
            |l| l,
        ))
    }

    /// How many leads have each status.
    pub async fn lead_counts(&self) -> Result<Vec<(LeadStatus, u64)>> {
        self.require_lead_handler()?;
        let mut tx = self.accord.store().read().await?;
        Ok(tx.lead_counts(self.principal.tenant.id).await?)
    }

    /// One of the partner's leads (404 for any other).
    pub async fn lead(&self, id: uuid::Uuid) -> Result<LeadRecord> {
        self.require_lead_handler()?;
        let mut tx = self.accord.store().read().await?;
        tx.lead(self.principal.tenant.id, id)
            .await?
            .ok_or_else(|| DomainError::NotFound { what: "lead" }.into())
    }

    /// Moves a lead to another status (a partner marks it contacted or closes it).
    pub async fn set_lead_status(&self, id: uuid::Uuid, status: LeadStatus) -> Result<LeadRecord> {
        self.require_lead_handler()?;
        let partner = self.principal.tenant.id;
        let mut w = Work::begin(self.accord, Actor::of(self.principal)).await?;
        let now = w.now;
        let Some(before) = w.tx().lead(partner, id).await? else {
            return Err(DomainError::NotFound { what: "lead" }.into());
        };
        if before.status != status {
            w.tx().set_lead_status(partner, id, status, now).await?;
            w.audit(
                Audit::new("lead.status_changed", "lead", id)
                    .details(serde_json::json!({"from": before.status, "to": status})),
                &[partner],
            );
        }
        let after = w.tx().lead(partner, id).await?;
        w.commit().await?;
        after.ok_or_else(|| DomainError::NotFound { what: "lead" }.into())
    }
}
