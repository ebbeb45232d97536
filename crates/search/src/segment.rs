//! What a segment knows once and for all, read once from its fast fields: per document its
//! facet word, partner id, city and name ordinals (plain arrays, so that counting and ranking
//! a document costs a memory read), and the documents of each cloud, country and enum value
//! as bit sets. Filters are combinations of these sets, and when a search matches a large
//! part of a segment its enum and country facets are counted as the sizes of intersections
//! with them rather than document by document. Segments are immutable, so all this is kept
//! for as long as the segment is searched (about 40 MiB per million documents).

use std::sync::Arc;

use accord_domain::Cloud;
use tantivy::columnar::{Cardinality, Column, ColumnValues};
use tantivy::{DocId, SegmentReader};

use crate::bits::Bits;
use crate::schema::{Fields, Packed, ENUM_BITS};
use crate::SearchError;

/// An absent ordinal.
pub(crate) const NO_ORD: u32 = u32::MAX;

pub(crate) struct SegmentData {
    /// Per document: the facet word.
    pub words: Vec<u64>,
    /// Per document: the partner id.
    pub ids: Vec<u128>,
    /// Per document: the rank of its partner id in the segment, so that ties are broken
    /// by comparing four bytes.
    pub ranks: Vec<u32>,
    /// Per document: the ordinal of its city spelling in the segment's dictionary.
    pub city_ords: Vec<u32>,
    /// Per document: the ordinal of its lower-cased name (the browse order).
    pub name_ords: Vec<u32>,
    /// Per position in `Cloud::ALL`.
    pub clouds: Vec<Bits>,
    /// Per enum bit of the facet word (the word shifted right by the country bits).
    pub enums: Vec<Bits>,
    /// (country code, documents), by code.
    pub countries: Vec<(u64, Bits)>,
    /// The same sets transposed: for each run of 64 documents, the word of each enum value
    /// then of each country (in the order of `countries`), so that counting the facets of a
    /// large match set reads one stream and skips the runs it does not touch.
    pub transposed: Vec<u64>,
}

impl SegmentData {
    /// Sets per run of 64 documents in `transposed`.
    pub fn sets(&self) -> usize {
        self.enums.len() + self.countries.len()
    }
}

/// One value per document (the default where a document has none).
pub(crate) fn dense(column: Column<u64>, default: u64) -> Arc<dyn ColumnValues<u64>> {
    if column.get_cardinality() == Cardinality::Full {
        column.values
    } else {
        column.first_or_default_col(default)
    }
}

/// Reads a whole column.
fn read_all(values: &dyn ColumnValues<u64>, max_doc: u32) -> Vec<u64> {
    let mut out = vec![0u64; max_doc as usize];
    values.get_range(0, &mut out);
    out
}

fn str_ords(seg: &SegmentReader, name: &str) -> Result<Arc<dyn ColumnValues<u64>>, SearchError> {
    Ok(match seg.fast_fields().str(name)? {
        Some(c) => dense(c.ords().clone(), u64::from(NO_ORD)),
        None => Column::build_empty_column(seg.max_doc()).first_or_default_col(u64::from(NO_ORD)),
    })
}

impl SegmentData {
    pub fn build(seg: &SegmentReader, names: &FieldNames) -> Result<Self, SearchError> {
        let max_doc = seg.max_doc();
        let ff = seg.fast_fields();
        let words = read_all(dense(ff.u64(&names.facets)?, 0).as_ref(), max_doc);
        let clouds_col = read_all(dense(ff.u64(&names.cloud)?, u64::MAX).as_ref(), max_doc);
        let hi = read_all(dense(ff.u64(&names.id_hi)?, 0).as_ref(), max_doc);
        let lo = read_all(dense(ff.u64(&names.id_lo)?, 0).as_ref(), max_doc);
        let ids: Vec<u128> = hi
            .iter()
            .zip(&lo)
            .map(|(h, l)| (u128::from(*h) << 64) | u128::from(*l))
            .collect();
        let mut order: Vec<u32> = (0..max_doc).collect();
        order.sort_unstable_by_key(|d| ids.get(*d as usize).copied().unwrap_or(0));
        let mut ranks = vec![0u32; max_doc as usize];
        for (rank, d) in order.iter().enumerate() {
            if let Some(r) = ranks.get_mut(*d as usize) {
                *r = rank as u32;
            }
        }
        let narrow = |v: Vec<u64>| -> Vec<u32> {
            v.into_iter()
                .map(|o| u32::try_from(o).unwrap_or(NO_ORD))
                .collect()
        };
        let city_ords = narrow(read_all(
            str_ords(seg, &names.city_facet)?.as_ref(),
            max_doc,
        ));
        let name_ords = narrow(read_all(str_ords(seg, &names.name_sort)?.as_ref(), max_doc));

        let mut clouds = vec![Bits::new(max_doc); Cloud::ALL.len()];
        let mut enums = vec![Bits::new(max_doc); ENUM_BITS];
        let mut countries: Vec<(u64, Bits)> = Vec::new();
        let mut by_code: Vec<Option<usize>> = vec![None; Packed::COUNTRIES + 1];
        for (doc, (&word, &cloud)) in words.iter().zip(&clouds_col).enumerate() {
            let doc = doc as DocId;
            if let Some(c) = clouds.get_mut(cloud as usize) {
                c.insert(doc);
            }
            let code = ((word & Packed::COUNTRY_MASK) as usize).min(Packed::COUNTRIES);
            let slot = match by_code.get(code).copied().flatten() {
                Some(slot) => slot,
                None => {
                    countries.push((code as u64, Bits::new(max_doc)));
                    let slot = countries.len() - 1;
                    if let Some(s) = by_code.get_mut(code) {
                        *s = Some(slot);
                    }
                    slot
                }
            };
            if let Some((_, b)) = countries.get_mut(slot) {
                b.insert(doc);
            }
            let mut rest = word >> Packed::COUNTRY_BITS;
            while rest != 0 {
                if let Some(b) = enums.get_mut(rest.trailing_zeros() as usize) {
                    b.insert(doc);
                }
                rest &= rest - 1;
            }
        }
        countries.sort_by_key(|(code, _)| *code);
        let runs = (max_doc as usize).div_ceil(64);
        let mut transposed = Vec::with_capacity(runs * (enums.len() + countries.len()));
        for run in 0..runs {
            for set in enums.iter().chain(countries.iter().map(|(_, b)| b)) {
                transposed.push(set.word(run));
            }
        }
        Ok(SegmentData {
            transposed,
            words,
            ids,
            ranks,
            city_ords,
            name_ords,
            clouds,
            enums,
            countries,
        })
    }

    pub fn country(&self, code: u64) -> Option<&Bits> {
        self.countries
            .binary_search_by_key(&code, |(c, _)| *c)
            .ok()
            .and_then(|i| self.countries.get(i))
            .map(|(_, b)| b)
    }

    #[inline]
    pub fn word(&self, doc: DocId) -> u64 {
        self.words.get(doc as usize).copied().unwrap_or(0)
    }

    #[inline]
    pub fn id(&self, doc: DocId) -> u128 {
        self.ids.get(doc as usize).copied().unwrap_or(0)
    }

    #[inline]
    pub fn rank(&self, doc: DocId) -> u32 {
        self.ranks.get(doc as usize).copied().unwrap_or(u32::MAX)
    }

    #[inline]
    pub fn city_ord(&self, doc: DocId) -> u32 {
        self.city_ords.get(doc as usize).copied().unwrap_or(NO_ORD)
    }

    #[inline]
    pub fn name_ord(&self, doc: DocId) -> u32 {
        self.name_ords.get(doc as usize).copied().unwrap_or(NO_ORD)
    }
}

/// The schema names of the fast fields a search reads.
pub(crate) struct FieldNames {
    pub facets: String,
    pub cloud: String,
    pub city_facet: String,
    pub name_sort: String,
    pub id_hi: String,
    pub id_lo: String,
}

impl FieldNames {
    pub fn new(schema: &tantivy::schema::Schema, f: &Fields) -> Self {
        let n = |field| schema.get_field_name(field).to_string();
        FieldNames {
            facets: n(f.facets),
            cloud: n(f.cloud),
            city_facet: n(f.city_facet),
            name_sort: n(f.name_sort),
            id_hi: n(f.id_hi),
            id_lo: n(f.id_lo),
        }
    }
}
