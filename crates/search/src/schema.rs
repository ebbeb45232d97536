//! The index's schema, how a profile becomes a document, and the packed facet word.

use accord_domain::{Cloud, CountryCode, Industry, Language, OrgSize, PartnerType, Service};
use tantivy::schema::{
    BytesOptions, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED,
    STORED, STRING,
};
use tantivy::TantivyDocument;

use crate::text::{self, is_cjk, CJK_BIGRAMS, CJK_SUBSTRINGS, LATIN, LATIN_PREFIXES};
use crate::ProfileDoc;

/// Bumped whenever the schema, the analyzers or the packed facet layout change; an index
/// on disk with another version is wiped and rebuilt from the store.
pub(crate) const SCHEMA_VERSION: u32 = 3;

/// The fields, by handle.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fields {
    /// The partner id's 16 bytes, indexed: the term upserts and removals delete by.
    pub id: Field,
    /// The partner id as two fast u64s (high, low): the stable tie-break and the hit's id.
    pub id_hi: Field,
    pub id_lo: Field,
    /// The cloud's position in `Cloud::ALL`, indexed and fast.
    pub cloud: Field,
    /// Latin-script text with term frequencies (BM25), one field per boost.
    pub name: Field,
    pub keywords: Field,
    /// Description, city, and the English labels of services and industries.
    pub body: Field,
    /// Everything above in one field without frequencies: fuzzy and prefix matching.
    pub all: Field,
    /// CJK bigrams with positions: name and keywords, then description and city.
    pub cjk_name: Field,
    pub cjk_body: Field,
    /// Every CJK substring of one to four characters: name and keywords, then description
    /// and city (term frequencies, BM25).
    pub cjk_name_sub: Field,
    pub cjk_body_sub: Field,
    /// Prefixes (3 to 12 characters) of the Latin words of the name, and of the name,
    /// keywords, city and labels: the word being typed.
    pub prefix_name: Field,
    pub prefix_tags: Field,
    /// Filters: raw wire values (the city lower-cased).
    pub country: Field,
    pub city: Field,
    pub org_size: Field,
    pub types: Field,
    pub service: Field,
    pub industry: Field,
    pub language: Field,
    /// Country and every enum filter packed in one fast u64 (see [`Packed`]).
    pub facets: Field,
    /// The city as written, fast (dictionary-encoded): the city facet.
    pub city_facet: Field,
    /// The name lower-cased, fast: the order of a browse without words.
    pub name_sort: Field,
    /// Stored for the hit: the name is stored with its text field.
    pub city_display: Field,
    pub summary: Field,
}

pub(crate) fn build_schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |tokenizer: &str, record: IndexRecordOption| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(record),
        )
    };
    let docs_only = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::Basic)
                .set_fieldnorms(false),
        )
    };
    let freqs = IndexRecordOption::WithFreqs;
    let positions = IndexRecordOption::WithFreqsAndPositions;
    let raw_fast = TextOptions::default().set_fast("raw");
    let fields = Fields {
        id: b.add_bytes_field("id", BytesOptions::default().set_indexed()),
        id_hi: b.add_u64_field("id_hi", FAST),
        id_lo: b.add_u64_field("id_lo", FAST),
        cloud: b.add_u64_field("cloud", INDEXED | FAST),
        name: b.add_text_field("name", text(LATIN, freqs).set_stored()),
        keywords: b.add_text_field("keywords", text(LATIN, freqs)),
        body: b.add_text_field("body", text(LATIN, freqs)),
        all: b.add_text_field("all", docs_only(LATIN)),
        cjk_name: b.add_text_field("cjk_name", text(CJK_BIGRAMS, positions)),
        cjk_body: b.add_text_field("cjk_body", text(CJK_BIGRAMS, positions)),
        cjk_name_sub: b.add_text_field("cjk_name_sub", text(CJK_SUBSTRINGS, freqs)),
        cjk_body_sub: b.add_text_field("cjk_body_sub", text(CJK_SUBSTRINGS, freqs)),
        prefix_name: b.add_text_field("prefix_name", docs_only(LATIN_PREFIXES)),
        prefix_tags: b.add_text_field("prefix_tags", docs_only(LATIN_PREFIXES)),
        country: b.add_text_field("country", STRING),
        city: b.add_text_field("city", STRING),
        org_size: b.add_text_field("org_size", STRING),
        types: b.add_text_field("types", STRING),
        service: b.add_text_field("service", STRING),
        industry: b.add_text_field("industry", STRING),
        language: b.add_text_field("language", STRING),
        facets: b.add_u64_field("facets", FAST),
        city_facet: b.add_text_field("city_facet", raw_fast.clone()),
        name_sort: b.add_text_field("name_sort", raw_fast),
        city_display: b.add_text_field("city_display", STORED),
        summary: b.add_text_field("summary", STORED),
    };
    (b.build(), fields)
}

/// Position of a value in its enum's `ALL`.
pub(crate) fn position<T: PartialEq>(all: &[T], v: &T) -> u32 {
    all.iter().position(|x| x == v).unwrap_or(0) as u32
}

pub(crate) fn cloud_code(c: Cloud) -> u64 {
    u64::from(position(Cloud::ALL, &c))
}

/// The facet word: the country in the low 10 bits (`(c0 - 'A') * 26 + (c1 - 'A')`), then
/// one bit per organisation size, relationship type, service, industry and language, each
/// field's bits in the order of its enum's `ALL`. Fixed across segments, so counting a
/// facet is counting bits, with no term dictionary to consult.
pub(crate) struct Packed;

/// Bits of the enum fields, in the facet word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EnumField {
    OrgSize,
    Types,
    Service,
    Industry,
    Language,
}

impl EnumField {
    /// First bit and number of bits.
    pub const fn slot(self) -> (u32, usize) {
        match self {
            EnumField::OrgSize => (Packed::COUNTRY_BITS, OrgSize::ALL.len()),
            EnumField::Types => (ORG_END, PartnerType::ALL.len()),
            EnumField::Service => (TYPES_END, Service::ALL.len()),
            EnumField::Industry => (SERVICE_END, Industry::ALL.len()),
            EnumField::Language => (INDUSTRY_END, Language::ALL.len()),
        }
    }

    /// The wire name of the value at `i`.
    pub fn wire(self, i: usize) -> &'static str {
        match self {
            EnumField::OrgSize => OrgSize::ALL.get(i).map_or("", |v| v.as_str()),
            EnumField::Types => PartnerType::ALL.get(i).map_or("", |v| v.as_str()),
            EnumField::Service => Service::ALL.get(i).map_or("", |v| v.as_str()),
            EnumField::Industry => Industry::ALL.get(i).map_or("", |v| v.as_str()),
            EnumField::Language => Language::ALL.get(i).map_or("", |v| v.as_str()),
        }
    }

    /// The wire names of the values set in a facet word.
    pub fn values(self, word: u64) -> Vec<String> {
        let (shift, len) = self.slot();
        (0..len)
            .filter(|i| word >> (shift + *i as u32) & 1 == 1)
            .map(|i| self.wire(i).to_string())
            .collect()
    }
}

const ORG_END: u32 = Packed::COUNTRY_BITS + OrgSize::ALL.len() as u32;
const TYPES_END: u32 = ORG_END + PartnerType::ALL.len() as u32;
const SERVICE_END: u32 = TYPES_END + Service::ALL.len() as u32;
const INDUSTRY_END: u32 = SERVICE_END + Industry::ALL.len() as u32;
const LANGUAGE_END: u32 = INDUSTRY_END + Language::ALL.len() as u32;
// Adding enum values beyond 64 bits needs a second facet word (and a new SCHEMA_VERSION).
const _: () = assert!(LANGUAGE_END <= 64, "the facet word is full");
/// Bits of the facet word above the country.
pub(crate) const ENUM_BITS: usize = (LANGUAGE_END - Packed::COUNTRY_BITS) as usize;

impl Packed {
    pub const COUNTRY_BITS: u32 = 10;
    pub const COUNTRY_MASK: u64 = (1 << Self::COUNTRY_BITS) - 1;
    /// Distinct country codes (`AA`..`ZZ`).
    pub const COUNTRIES: usize = 26 * 26;

    pub fn country_code(c: &CountryCode) -> u64 {
        let b = c.as_str().as_bytes();
        let letter =
            |i: usize| u64::from(b.get(i).copied().unwrap_or(b'A').saturating_sub(b'A')).min(25);
        letter(0) * 26 + letter(1)
    }

    pub fn country_name(code: usize) -> String {
        let code = code.min(Self::COUNTRIES - 1);
        // Both quotients are below 26, so the casts cannot truncate.
        [
            char::from(b'A' + (code / 26) as u8),
            char::from(b'A' + (code % 26) as u8),
        ]
        .into_iter()
        .collect()
    }

    pub fn word(p: &accord_domain::PartnerProfile) -> u64 {
        let mut w = Self::country_code(&p.country);
        let mut set = |field: EnumField, i: u32| w |= 1 << (field.slot().0 + i);
        for v in &p.org_sizes {
            set(EnumField::OrgSize, position(OrgSize::ALL, v));
        }
        for v in &p.types {
            set(EnumField::Types, position(PartnerType::ALL, v));
        }
        for v in &p.services {
            set(EnumField::Service, position(Service::ALL, v));
        }
        for v in &p.industries {
            set(EnumField::Industry, position(Industry::ALL, v));
        }
        for v in &p.languages {
            set(EnumField::Language, position(Language::ALL, v));
        }
        w
    }
}

fn has_cjk(s: &str) -> bool {
    s.chars().any(is_cjk)
}

/// The document of a published profile.
pub(crate) fn document(f: &Fields, d: &ProfileDoc) -> TantivyDocument {
    let p = &d.profile;
    let mut doc = TantivyDocument::new();
    let (hi, lo) = d.partner_id.as_u64_pair();
    doc.add_bytes(f.id, d.partner_id.as_bytes());
    doc.add_u64(f.id_hi, hi);
    doc.add_u64(f.id_lo, lo);
    doc.add_u64(f.cloud, cloud_code(d.cloud));

    doc.add_text(f.name, &p.name);
    for k in &p.keywords {
        doc.add_text(f.keywords, k);
    }
    let labels = p
        .services
        .iter()
        .map(|s| s.label())
        .chain(p.industries.iter().map(|i| i.label()));
    doc.add_text(f.body, &p.description);
    doc.add_text(f.body, &p.city);
    for l in labels.clone() {
        doc.add_text(f.body, l);
    }
    let everything = std::iter::once(p.name.as_str())
        .chain(p.keywords.iter().map(String::as_str))
        .chain([p.description.as_str(), p.city.as_str()]);
    for t in everything.chain(labels.clone()) {
        doc.add_text(f.all, t);
    }
    // Type-ahead completes names and tags, not every word of a description.
    let tags = std::iter::once(p.name.as_str())
        .chain(p.keywords.iter().map(String::as_str))
        .chain(std::iter::once(p.city.as_str()))
        .chain(labels);
    for t in tags {
        doc.add_text(f.prefix_tags, t);
    }
    doc.add_text(f.prefix_name, &p.name);
    for t in std::iter::once(&p.name).chain(&p.keywords) {
        if has_cjk(t) {
            doc.add_text(f.cjk_name, t);
            doc.add_text(f.cjk_name_sub, t);
        }
    }
    for t in [&p.description, &p.city] {
        if has_cjk(t) {
            doc.add_text(f.cjk_body, t);
            doc.add_text(f.cjk_body_sub, t);
        }
    }

    doc.add_text(f.country, p.country.as_str());
    let city = p.city.trim();
    if !city.is_empty() {
        doc.add_text(f.city, text::city_key(city));
        doc.add_text(f.city_facet, city);
    }
    for v in &p.org_sizes {
        doc.add_text(f.org_size, v.as_str());
    }
    for v in &p.types {
        doc.add_text(f.types, v.as_str());
    }
    for v in &p.services {
        doc.add_text(f.service, v.as_str());
    }
    for v in &p.industries {
        doc.add_text(f.industry, v.as_str());
    }
    for v in &p.languages {
        doc.add_text(f.language, v.as_str());
    }
    doc.add_u64(f.facets, Packed::word(p));
    doc.add_text(f.name_sort, p.name.to_lowercase());
    doc.add_text(f.city_display, city);
    doc.add_text(f.summary, text::summary(&p.description));
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_codes_round_trip() {
        for c in ["KR", "US", "AA", "ZZ", "DE"] {
            let code = Packed::country_code(&CountryCode::parse(c).unwrap());
            assert!(code < Packed::COUNTRIES as u64);
            assert_eq!(Packed::country_name(code as usize), c);
        }
    }

    #[test]
    fn enum_slots_do_not_overlap() {
        let mut used = Packed::COUNTRY_MASK;
        for f in [
            EnumField::OrgSize,
            EnumField::Types,
            EnumField::Service,
            EnumField::Industry,
            EnumField::Language,
        ] {
            let (shift, len) = f.slot();
            let mask = ((1u64 << len) - 1) << shift;
            assert_eq!(used & mask, 0, "{f:?}");
            used |= mask;
        }
    }
}
