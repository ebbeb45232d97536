//! The partner directory index (tantivy): derived from the store, never its source of truth.
//!
//! [`DirectoryIndex`] holds the published partner profiles of every cloud and answers the
//! public `/partners` search: words (BM25 over name, keywords, description, city and the
//! labels of services and industries; typo tolerance and type-ahead prefixes for Latin
//! words; any part of a Korean, Japanese or Chinese word through character bigrams),
//! filters (OR within a field, AND across fields), exact facet counts for every filter, and
//! pages of at most 50 hits up to the 1,000th result.
//!
//! The web layer feeds it from the store: [`DirectoryIndex::rebuild`] with every published
//! profile (and the change-feed position it read them at), then
//! [`DirectoryIndex::apply`] with the profiles changed since. The position is committed
//! with the index ([`DirectoryIndex::stamp`]), so a restart resumes from it; an index of an
//! older schema is wiped on [`DirectoryIndex::open`] and rebuilt.
//!
//! [`synth`] generates a realistic synthetic directory for tests and `accord-bench
//! directory`.

mod bits;
mod error;
mod facets;
mod index;
mod schema;
mod search;
mod segment;
pub mod synth;
mod text;

use accord_domain::{
    Cloud, CountryCode, Industry, Language, OrgSize, PartnerProfile, PartnerType, Service,
};
use serde::Serialize;
use uuid::Uuid;

pub use error::SearchError;
pub use index::DirectoryIndex;

/// Results beyond this offset are not served (a page may start at it).
pub const MAX_OFFSET: usize = 1000;
/// The largest page.
pub const MAX_LIMIT: usize = 50;
/// Cities listed in the city facet.
pub const CITY_FACET_LIMIT: usize = 20;

/// A partner's published profile, as the index receives it.
#[derive(Clone, Debug)]
pub struct ProfileDoc {
    pub partner_id: Uuid,
    pub cloud: Cloud,
    pub profile: PartnerProfile,
}

/// How the words of a query combine.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Match {
    /// Every word must match (through any of its exact, typo-tolerant or prefix forms).
    #[default]
    All,
    /// At least one word must match.
    Any,
}

/// One search of the directory: words, filters and the page wanted.
#[derive(Clone, Debug)]
pub struct DirectoryQuery {
    pub cloud: Cloud,
    /// The search box; empty browses everything that passes the filters (by name).
    pub text: String,
    pub mode: Match,
    /// Typo tolerance (edit distance 1 for Latin words of 4–7 characters, 2 from 8) and, for
    /// the last word when the text does not end with a space, prefix matching.
    pub fuzzy: bool,
    pub countries: Vec<CountryCode>,
    /// Matched case-insensitively.
    pub cities: Vec<String>,
    pub org_sizes: Vec<OrgSize>,
    pub types: Vec<PartnerType>,
    pub services: Vec<Service>,
    pub industries: Vec<Industry>,
    pub languages: Vec<Language>,
    /// At most [`MAX_OFFSET`].
    pub offset: usize,
    /// 1 to [`MAX_LIMIT`].
    pub limit: usize,
}

impl DirectoryQuery {
    /// Everything in `cloud`: no words, `All`, fuzzy, no filters, the first 20.
    pub fn new(cloud: Cloud) -> Self {
        DirectoryQuery {
            cloud,
            text: String::new(),
            mode: Match::All,
            fuzzy: true,
            countries: Vec::new(),
            cities: Vec::new(),
            org_sizes: Vec::new(),
            types: Vec::new(),
            services: Vec::new(),
            industries: Vec::new(),
            languages: Vec::new(),
            offset: 0,
            limit: 20,
        }
    }

    fn has_filters(&self) -> bool {
        !(self.countries.is_empty()
            && self.cities.is_empty()
            && self.org_sizes.is_empty()
            && self.types.is_empty()
            && self.services.is_empty()
            && self.industries.is_empty()
            && self.languages.is_empty())
    }
}

/// One page of results.
#[derive(Clone, Debug, Serialize)]
pub struct DirectoryPage {
    /// Documents matching (exact).
    pub total: u64,
    pub hits: Vec<Hit>,
    /// Counts over all the documents matching (words and every filter).
    pub facets: Facets,
    /// Where the next page starts; `None` on the last page and at the depth limit.
    pub next_offset: Option<usize>,
    /// Every word was required and nothing matched, so these are the results of any word.
    pub relaxed: bool,
}

/// A partner in a result list.
#[derive(Clone, Debug, Serialize)]
pub struct Hit {
    pub partner_id: Uuid,
    /// Relevance (0 when browsing without words).
    pub score: f32,
    pub name: String,
    pub city: String,
    /// Wire value (`KR`).
    pub country: String,
    /// The description's first ~200 characters, with `…` when cut.
    pub summary: String,
    pub org_sizes: Vec<String>,
    pub services: Vec<String>,
    pub types: Vec<String>,
    pub languages: Vec<String>,
    pub industries: Vec<String>,
}

/// Counts per filter value, each list sorted by count (descending) then value.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Facets {
    pub country: Vec<FacetCount>,
    /// The [`CITY_FACET_LIMIT`] most frequent cities (counted case-insensitively, shown in
    /// their most frequent spelling among the documents counted).
    pub city: Vec<FacetCount>,
    pub org_size: Vec<FacetCount>,
    pub types: Vec<FacetCount>,
    pub service: Vec<FacetCount>,
    pub industry: Vec<FacetCount>,
    pub language: Vec<FacetCount>,
}

/// A filter value (its wire form: `KR`, `Seoul`, `10-49`, `reseller`, `security`, `retail`,
/// `ko`) and the documents matching with it.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}
