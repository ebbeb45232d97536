//! Accord's use cases. Every entry point of the product (the API, the portals, the CLI)
//! calls these functions, so each rule is written once. Authorisation is by capability:
//! [`Accord::partner_desk`], [`Accord::customer_desk`], [`Accord::global_admin_desk`] and
//! [`Accord::operator_desk`] return a handle only to a principal entitled to it, and only
//! that handle offers the operations; a missing check is a type error, not a forgotten
//! line. The CLI acts through [`Accord::local_operator`], recorded as such.
//!
//! This crate never speaks HTTP or SQL: it reads time from an injected [`Clock`], talks to
//! storage through `accord_store`'s traits, and runs every use case as one unit of work
//! (the change, its audit events, outbox and change-feed rows, committed together).

mod access;
pub mod account;
mod auth;
mod authz;
mod clock;
mod config;
mod console;
pub mod demo;
mod directory;
mod error;
mod feed;
mod guests;
mod history;
mod invitations;
mod listings;
mod oem;
mod operator;
pub mod outbox;
mod pages;
mod partner;
mod secrets;
mod subscriptions;
mod summary;
mod support;
mod throttle;
mod work;

use std::sync::atomic::{AtomicI64, AtomicU64};
use std::sync::Arc;

use accord_store::Store;
use chrono::{DateTime, Utc};

pub use access::{AccessAssignment, AccessOverview, PartnerAccess};
pub use accord_domain as domain;
pub use accord_search as search;
pub use accord_store::{LeadRecord, ListedProfile};
pub use account::{CustomerAccount, CustomerScope};
pub use auth::{AccessToken, SessionInfo, TOKEN_PREFIX};
pub use authz::grants::{AssignKey, Facts as GrantIndexFacts, GrantIndex, GrantKey};
pub use authz::{Organisation, Principal};
pub use clock::{Clock, FakeClock, SystemClock};
pub use config::{CloudPortal, ServiceConfig};
pub use console::{CloudSetting, OperatorEvent, TenantDetail};
pub use directory::{
    ActivityAgent, ActivityFilter, DelegatedAction, Directory, DirectoryUser, License,
    NewDirectoryUser, UserChanges, WithPassword, DELEGATED_ACTIONS, MAX_DISPLAY_NAME,
};
pub use error::{Error, Result};
pub use feed::{MAX_FEED_LAG, POLL_INTERVAL, RETENTION};
pub use guests::{Guest, GUEST_ROLES, MAX_GUESTS};
pub use history::AuditEvent;
pub use invitations::{
    AcceptOutcome, AcceptedAgreement, AgreementAcceptance, CustomerDesk, GlobalAdminDesk,
    InvitationPreview, InvitationView, NewOrganisation, PartnerDetail, PendingSignup,
    SignUpReceipt, SIGNUP_LINK_HOURS,
};
pub use listings::{ProfileView, LEADS_PER_ADDRESS, LEADS_PER_EMAIL, LEAD_WINDOW};
pub use oem::{App, AppVersion, Device, DeviceUpload, NewApp, NewAppVersion};
pub use operator::{Agreement, NewTenant, NewUser, OperatorDesk};
pub use pages::{Page, PageRequest, DEFAULT_LIMIT, MAX_LIMIT};
pub use partner::{
    EmailDraft, NewRequest, PartnerDesk, RequestCreated, RequestItem, SupportContact,
};
pub use secrets::new_token;
pub use subscriptions::{Idempotent, NewSubscription, Product, ProductInput, Subscription};
pub use summary::RelationshipSummary;
pub use support::{Comment, NewServiceRequest, ServiceRequest};
pub use work::{current_request_id, with_request_id, Actor};

/// The service: configuration, storage, clock and this node's caches. Cheap to clone.
#[derive(Clone)]
pub struct Accord {
    inner: Arc<Inner>,
}

struct Inner {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    config: ServiceConfig,
    credentials: authz::cache::CredentialCache,
    /// The last change-feed row this node applied (-1: not read yet).
    feed_pos: AtomicI64,
    sign_ins: throttle::Throttle,
    /// Sign-up e-mails, by recipient and client address.
    signups: throttle::Throttle,
    customers: authz::customers::CustomerIndex,
    grants: authz::grants::GrantIndex,
    directory: listings::DirectoryState,
    /// When this node last read the change feed to its end (milliseconds since
    /// `started`; `u64::MAX`: never). Caches answer only while it is recent.
    feed_read_at: AtomicU64,
    started: std::time::Instant,
    /// Woken when this node queues a message, so delivery starts at once.
    mail_queued: tokio::sync::Notify,
}

impl Accord {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, config: ServiceConfig) -> Self {
        Self {
            inner: Arc::new(Inner {
                store,
                clock,
                config,
                credentials: Default::default(),
                feed_pos: AtomicI64::new(-1),
                sign_ins: Default::default(),
                signups: Default::default(),
                customers: Default::default(),
                grants: Default::default(),
                directory: Default::default(),
                feed_read_at: AtomicU64::new(u64::MAX),
                started: std::time::Instant::now(),
                mail_queued: tokio::sync::Notify::new(),
            }),
        }
    }

    pub fn config(&self) -> &ServiceConfig {
        &self.inner.config
    }

    pub(crate) fn store(&self) -> &dyn Store {
        self.inner.store.as_ref()
    }

    pub(crate) fn credentials(&self) -> &authz::cache::CredentialCache {
        &self.inner.credentials
    }

    pub(crate) fn customer_index(&self) -> &authz::customers::CustomerIndex {
        &self.inner.customers
    }

    pub(crate) fn grant_index(&self) -> &authz::grants::GrantIndex {
        &self.inner.grants
    }

    /// How many sessions and access tokens this node holds in memory.
    pub fn cached_credentials(&self) -> usize {
        self.inner.credentials.len()
    }

    /// Now, truncated to the millisecond precision that storage keeps.
    pub fn now(&self) -> DateTime<Utc> {
        let t = self.inner.clock.now();
        DateTime::from_timestamp_millis(t.timestamp_millis()).unwrap_or(t)
    }

    /// The storage backend in use (`sqlite` or `postgres`).
    pub fn backend(&self) -> &'static str {
        self.inner.store.backend()
    }

    /// Whether the database answers (for health checks).
    pub async fn ready(&self) -> Result<()> {
        let mut tx = self.store().read().await?;
        tx.current_agreement().await?;
        Ok(())
    }
}
