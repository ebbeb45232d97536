use std::collections::BTreeMap;

use accord_domain::{Cloud, DEFAULT_REQUEST_TTL_DAYS};
use serde::Deserialize;

/// Where the customer portal of one cloud lives and what it is called.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CloudPortal {
    /// Base URL of the Admin Center for customers of this cloud; defaults to `public_url`.
    pub base_url: Option<String>,
    /// The portal's name, as used in invitation e-mails.
    pub portal_name: String,
}

/// The rules' tunables.
#[derive(Clone, Debug)]
pub struct ServiceConfig {
    /// The externally visible base URL of this deployment (no trailing slash).
    pub public_url: String,
    /// How long a relationship request stays valid.
    pub request_ttl_days: u32,
    /// How long a portal session lasts.
    pub session_ttl_hours: u32,
    /// Customer portal per cloud.
    pub clouds: BTreeMap<Cloud, CloudPortal>,
    /// The language of pages and messages when the reader's browser names none that
    /// Accord speaks.
    pub default_locale: accord_domain::Locale,
    /// Where this node keeps its partner directory index (`None`: in memory, rebuilt
    /// from the store at every start).
    pub directory_index: Option<std::path::PathBuf>,
}

impl ServiceConfig {
    pub fn default_clouds() -> BTreeMap<Cloud, CloudPortal> {
        let portal = |name: &str| CloudPortal {
            base_url: None,
            portal_name: name.to_string(),
        };
        BTreeMap::from([
            (Cloud::Public, portal("Accord Admin Center")),
            (
                Cloud::Usgov,
                portal("Accord Office admin portal (US Government)"),
            ),
            (
                Cloud::Germany,
                portal("Accord Office admin portal (Germany)"),
            ),
            (Cloud::China, portal("Accord Admin Center (China)")),
        ])
    }

    /// The customer portal of a cloud: its base URL and name.
    pub fn portal(&self, cloud: Cloud) -> (String, String) {
        let p = self.clouds.get(&cloud);
        let base = p
            .and_then(|p| p.base_url.clone())
            .unwrap_or_else(|| self.public_url.clone());
        let name = p
            .map(|p| p.portal_name.clone())
            .unwrap_or_else(|| "Accord Admin Center".into());
        (base.trim_end_matches('/').to_string(), name)
    }
}

impl Default for ServiceConfig {
    fn default() -> Self {
        Self {
            public_url: "http://127.0.0.1:8080".into(),
            request_ttl_days: DEFAULT_REQUEST_TTL_DAYS,
            session_ttl_hours: 12,
            clouds: Self::default_clouds(),
            default_locale: accord_domain::Locale::En,
            directory_index: None,
        }
    }
}
