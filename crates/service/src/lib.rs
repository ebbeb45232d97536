//! Accord's use cases. Every entry point of the product (the API, the portals, the CLI)
//! calls these functions, so each rule is written once. Authorisation is by capability:
//! [`Accord::partner_desk`], [`Accord::customer_desk`] and [`Accord::global_admin_desk`]
//! return a handle only to a principal entitled to it, and only that handle offers the
//! operations; a missing check is a type error, not a forgotten line.
//!
//! This crate never speaks HTTP or SQL: it reads time from an injected [`Clock`], talks to
//! storage through `accord_store`'s traits, and commits one transaction per use case (the
//! change and its audit events together).

mod admin;
mod audit;
mod auth;
mod clock;
mod config;
pub mod demo;
mod error;
mod invitations;
mod pages;
mod partner;
mod secrets;
mod summary;

use std::sync::Arc;

use accord_store::Store;
use chrono::{DateTime, Utc};

pub use accord_domain as domain;
pub use accord_store as store;
pub use admin::{NewTenant, NewUser};
pub use auth::{Principal, SessionInfo};
pub use clock::{Clock, FakeClock, SystemClock};
pub use config::{CloudPortal, ServiceConfig};
pub use error::{Error, Result};
pub use invitations::{
    AcceptOutcome, CustomerDesk, GlobalAdminDesk, InvitationPreview, InvitationView,
    NewOrganisation, PartnerDetail,
};
pub use pages::{Page, PageRequest};
pub use partner::{EmailDraft, NewRequest, PartnerDesk, RequestCreated, RequestItem};
pub use secrets::new_token;
pub use summary::RelationshipSummary;

/// The service: configuration, storage and clock. Cheap to clone.
#[derive(Clone)]
pub struct Accord {
    inner: Arc<Inner>,
}

struct Inner {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    config: ServiceConfig,
}

impl Accord {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, config: ServiceConfig) -> Self {
        Self {
            inner: Arc::new(Inner {
                store,
                clock,
                config,
            }),
        }
    }

    pub fn config(&self) -> &ServiceConfig {
        &self.inner.config
    }

    pub(crate) fn store(&self) -> &dyn Store {
        self.inner.store.as_ref()
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
