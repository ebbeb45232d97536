//! The rest of the operator's console (SPEC §5): each cloud's customer portal (its name
//! in invitation e-mails and the base URL of links), the tenant directory, and the
//! operator's own trail. The settings of a cloud live in the database over the
//! configuration file's defaults, so an operator changes them without a restart.

use accord_domain::{normalise_name, Cloud, DomainError, InvalidReason, PartnerType, TenantId};
use accord_store::{CloudPortalRecord, ReadTx};
use chrono::{DateTime, Utc};

use crate::authz::Organisation;
use crate::operator::OperatorDesk;
use crate::pages::{encode_cursor, page_from, Page, PageRequest};
use crate::work::{Audit, Change};
use crate::{Accord, Result};

/// The longest portal name and base URL.
pub const MAX_PORTAL_NAME: usize = 100;
pub const MAX_BASE_URL: usize = 500;

/// A cloud's customer portal as it is in force, and where the setting comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CloudSetting {
    pub cloud: Cloud,
    pub portal_name: String,
    /// The base URL of links in invitation e-mails.
    pub base_url: String,
    /// Whether the operator set it (else it is the configuration file's).
    pub set_by_operator: bool,
    pub updated_at: Option<DateTime<Utc>>,
}

/// An organisation in the operator's directory, with what a partner may offer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TenantDetail {
    pub organisation: Organisation,
    /// For partners: the types it may offer (the default when none was set).
    pub offered_types: Vec<PartnerType>,
    pub offered_types_set: bool,
}

/// An event of the operator's trail.
#[derive(Clone, Debug, PartialEq)]
pub struct OperatorEvent {
    pub at: DateTime<Utc>,
    pub action: String,
    /// The operator's name, or `None` for the command line.
    pub operator: Option<String>,
    pub subject: String,
    pub details: serde_json::Value,
}

/// A base URL of links: absolute `http` or `https`, no user, query or fragment; returned
/// without a trailing slash. Empty means the deployment's public URL.
pub fn check_base_url(s: &str) -> Result<String> {
    let t = s.trim().trim_end_matches('/');
    if t.is_empty() {
        return Ok(String::new());
    }
    let bad = || DomainError::invalid("base_url", InvalidReason::BaseUrl { max: MAX_BASE_URL });
    if t.chars().count() > MAX_BASE_URL {
        return Err(bad().into());
    }
    let u = url::Url::parse(t).map_err(|_| bad())?;
    if !matches!(u.scheme(), "http" | "https")
        || u.host_str().is_none_or(str::is_empty)
        || !u.username().is_empty()
        || u.password().is_some()
        || u.query().is_some()
        || u.fragment().is_some()
    {
        return Err(bad().into());
    }
    Ok(u.as_str().trim_end_matches('/').to_string())
}

impl Accord {
    /// A cloud's customer portal: the base URL of links and the portal's name, the
    /// operator's setting over the configuration's.
    pub(crate) async fn portal(
        &self,
        tx: &mut dyn ReadTx,
        cloud: Cloud,
    ) -> Result<(String, String)> {
        Ok(self.portal_in(&tx.cloud_portals().await?, cloud))
    }

    /// A cloud's portal given the operator's settings.
    fn portal_in(&self, set: &[CloudPortalRecord], cloud: Cloud) -> (String, String) {
        match set.iter().find(|p| p.cloud == cloud) {
            Some(p) if p.base_url.is_empty() => (
                self.config().public_url.trim_end_matches('/').into(),
                p.portal_name.clone(),
            ),
            Some(p) => (p.base_url.clone(), p.portal_name.clone()),
            None => self.config().portal(cloud),
        }
    }
}

impl OperatorDesk<'_> {
    /// Every cloud's customer portal as in force.
    pub async fn clouds(&self) -> Result<Vec<CloudSetting>> {
        let mut tx = self.accord.store().read().await?;
        let set = tx.cloud_portals().await?;
        Ok(Cloud::ALL
            .iter()
            .map(|&cloud| {
                let (base_url, portal_name) = self.accord.portal_in(&set, cloud);
                let mine = set.iter().find(|p| p.cloud == cloud);
                CloudSetting {
                    cloud,
                    portal_name,
                    base_url,
                    set_by_operator: mine.is_some(),
                    updated_at: mine.map(|p| p.updated_at),
                }
            })
            .collect())
    }

    /// Sets a cloud's portal name and base URL (empty: the deployment's public URL).
    pub async fn set_cloud_portal(
        &self,
        cloud: Cloud,
        portal_name: &str,
        base_url: &str,
    ) -> Result<CloudSetting> {
        let portal_name = normalise_name("portal_name", portal_name, MAX_PORTAL_NAME)?;
        let base_url = check_base_url(base_url)?;
        let mut w = self.work().await?;
        let before = w
            .tx()
            .cloud_portals()
            .await?
            .into_iter()
            .find(|p| p.cloud == cloud);
        let rec = CloudPortalRecord {
            cloud,
            portal_name,
            base_url,
            updated_at: w.now,
        };
        w.tx().set_cloud_portal(&rec).await?;
        w.operator_event(Audit::new("cloud.portal_set", "cloud", cloud.as_str()).details(
            serde_json::json!({
                "portal_name": rec.portal_name,
                "base_url": rec.base_url,
                "previous": before.map(|p| serde_json::json!({"portal_name": p.portal_name, "base_url": p.base_url})),
            }),
        ));
        w.changed(Change::ReferenceChanged { what: "clouds" });
        w.commit().await?;
        self.clouds()
            .await?
            .into_iter()
            .find(|c| c.cloud == cloud)
            .ok_or_else(|| DomainError::NotFound { what: "cloud" }.into())
    }

    /// Organisations by name whose name or domain holds `query`; only partners or only
    /// customers when `partner` says so.
    pub async fn tenants(
        &self,
        query: Option<&str>,
        partner: Option<bool>,
        page: &PageRequest,
    ) -> Result<Page<Organisation>> {
        let query = query.map(str::trim).filter(|q| !q.is_empty());
        if let Some(q) = query {
            accord_domain::check_text("q", q, 200)?;
        }
        let limit = page.limit()?;
        let after = page.name_cursor()?;
        let mut tx = self.accord.store().read().await?;
        let rows = tx.search_tenants(query, partner, after, limit + 1).await?;
        Ok(page_from(
            rows,
            limit,
            |t| encode_cursor(&t.name, &t.id.to_string()),
            Organisation::from,
        ))
    }

    /// One organisation, with what it may offer if it is a partner.
    pub async fn tenant(&self, id: TenantId) -> Result<TenantDetail> {
        let mut tx = self.accord.store().read().await?;
        let t = tx.tenant(id).await?.ok_or(DomainError::NotFound {
            what: "organisation",
        })?;
        let set = if t.is_partner {
            tx.offered_types(t.id).await?
        } else {
            None
        };
        Ok(TenantDetail {
            offered_types_set: set.is_some(),
            offered_types: if t.is_partner {
                set.unwrap_or_else(|| accord_domain::DEFAULT_OFFERED_TYPES.to_vec())
            } else {
                Vec::new()
            },
            organisation: Organisation::from(t),
        })
    }

    /// The latest operator events, newest first.
    pub async fn activity(&self, limit: u32) -> Result<Vec<OperatorEvent>> {
        let mut tx = self.accord.store().read().await?;
        Ok(tx
            .list_operator_events(limit)
            .await?
            .into_iter()
            .map(|e| OperatorEvent {
                at: e.at,
                operator: e
                    .details
                    .get("operator")
                    .and_then(|v| v.as_str())
                    .map(str::to_string),
                action: e.action,
                subject: e.subject_id,
                details: e.details,
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        assert_eq!(
            check_base_url(" https://admin.example.kr/ ").unwrap(),
            "https://admin.example.kr"
        );
        assert_eq!(
            check_base_url("http://127.0.0.1:8080/portal/").unwrap(),
            "http://127.0.0.1:8080/portal"
        );
        assert_eq!(check_base_url("").unwrap(), "");
        for bad in [
            "ftp://x.example",
            "https://u:p@x.example",
            "https://x.example/?a=1",
            "https://x.example/#f",
            "not a url",
        ] {
            assert!(check_base_url(bad).is_err(), "{bad}");
        }
    }
}
