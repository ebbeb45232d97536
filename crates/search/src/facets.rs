//! Facet counting: one pass over the matching documents reads the packed facet word and the
//! city's term ordinal of each, and counts.
//!
//! The country is an index into a 676-entry table; the enum fields are bits of the word,
//! summed with a bit-sliced counter (eight 64-bit planes add up to 255 words at once, a few
//! instructions per document whatever the number of bits set). Cities are the only facet
//! with an open vocabulary: their spellings are term ordinals of a fast-field dictionary per
//! segment, mapped once per reader generation to ids shared by all segments ([`CityTable`]),
//! and grouped case-insensitively when the counts are reported.

use std::collections::HashMap;

use accord_domain::{Industry, Language, OrgSize, PartnerType, Service};
use tantivy::Searcher;

use crate::bits::Bits;
use crate::schema::{EnumField, Fields, Packed};
use crate::segment::SegmentData;
use crate::text::city_key;
use crate::{DirectoryQuery, FacetCount, Facets, SearchError, CITY_FACET_LIMIT};

/// Ordinal → shared id of the city spellings of each segment of one reader generation, and
/// the spellings themselves.
#[derive(Debug, Default)]
pub(crate) struct CityTable {
    /// Per segment (searcher order): the spelling id of each term ordinal.
    pub segments: Vec<Vec<u32>>,
    /// Spelling id → (key id, spelling).
    pub spellings: Vec<(u32, String)>,
    /// Key id → lower-cased key.
    pub keys: Vec<String>,
}

impl CityTable {
    pub fn build(searcher: &Searcher, fields: &Fields) -> Result<Self, SearchError> {
        let name = searcher
            .schema()
            .get_field_name(fields.city_facet)
            .to_string();
        let mut table = CityTable::default();
        let mut spelling_ids: HashMap<String, u32> = HashMap::new();
        let mut key_ids: HashMap<String, u32> = HashMap::new();
        for segment in searcher.segment_readers() {
            let mut ords = Vec::new();
            if let Some(column) = segment.fast_fields().str(&name)? {
                let mut terms = column
                    .dictionary()
                    .stream()
                    .map_err(tantivy::TantivyError::from)?;
                while terms.advance() {
                    let spelling = String::from_utf8_lossy(terms.key()).into_owned();
                    let next = table.spellings.len() as u32;
                    let id = *spelling_ids.entry(spelling.clone()).or_insert_with(|| {
                        let key = city_key(&spelling);
                        let next_key = table.keys.len() as u32;
                        let key_id = *key_ids.entry(key.clone()).or_insert_with(|| {
                            table.keys.push(key);
                            next_key
                        });
                        table.spellings.push((key_id, spelling));
                        next
                    });
                    ords.push(id);
                }
            }
            table.segments.push(ords);
        }
        Ok(table)
    }
}

/// The documents of a segment counted per city ordinal, in four interleaved lanes (a run
/// of documents of the same city would otherwise wait on one counter).
pub(crate) struct CityCounts {
    ords: usize,
    lanes: Vec<u32>,
}

impl CityCounts {
    pub fn new(ords: usize) -> Self {
        CityCounts {
            ords,
            lanes: vec![0; 4 * ords],
        }
    }

    /// Counts the `i`-th document of a run, of city ordinal `ord` (`NO_ORD`: none).
    #[inline]
    pub fn add(&mut self, i: usize, ord: u32) {
        let ord = ord as usize;
        if ord < self.ords {
            if let Some(c) = self.lanes.get_mut((i & 3) * self.ords + ord) {
                *c += 1;
            }
        }
    }

    fn get(&self, ord: usize) -> u32 {
        (0..4)
            .map(|lane| self.lanes.get(lane * self.ords + ord).copied().unwrap_or(0))
            .sum()
    }
}

/// Counts over the documents of one search.
#[derive(Clone, Debug)]
pub(crate) struct FacetAcc {
    pub total: u64,
    country: Vec<u32>,
    /// Counts of the enum bits (bit `i` of the word shifted right by the country bits).
    bits: [u64; 64],
    planes: [u64; 8],
    pending: u32,
    /// Per city spelling id.
    city: Vec<u32>,
}

const ENUM_SHIFT: u32 = Packed::COUNTRY_BITS;

impl FacetAcc {
    pub fn new(city_spellings: usize) -> Self {
        FacetAcc {
            total: 0,
            country: vec![0; Packed::COUNTRIES + 1],
            bits: [0; 64],
            planes: [0; 8],
            pending: 0,
            city: vec![0; city_spellings],
        }
    }

    /// Counts one document by its facet word (its city apart, see [`CityCounts`]).
    #[inline]
    pub fn add(&mut self, word: u64) {
        self.total += 1;
        let country = ((word & Packed::COUNTRY_MASK) as usize).min(Packed::COUNTRIES);
        if let Some(c) = self.country.get_mut(country) {
            *c += 1;
        }
        // Bit-sliced add: planes[k] holds bit k of each of the 64 counters.
        let mut carry = word >> ENUM_SHIFT;
        for plane in &mut self.planes {
            let next = *plane & carry;
            *plane ^= carry;
            carry = next;
            if carry == 0 {
                break;
            }
        }
        self.pending += 1;
        if self.pending == 255 {
            self.flush();
        }
    }

    /// Counts the documents of `m` (a large part of the segment of `data`) by intersecting
    /// it with the segment's sets of each country and enum value; cities are counted apart
    /// ([`FacetAcc::add_cities`]).
    pub fn add_by_sets(&mut self, m: &Bits, data: &SegmentData) {
        self.total += m.count();
        let sets = data.sets();
        let mut counts = vec![0u64; sets];
        if sets > 0 {
            for (&mw, row) in m.words().iter().zip(data.transposed.chunks_exact(sets)) {
                if mw == 0 {
                    continue;
                }
                for (c, &w) in counts.iter_mut().zip(row) {
                    *c += u64::from((mw & w).count_ones());
                }
            }
        }
        let (enums, countries) = counts.split_at(data.enums.len().min(sets));
        for (count, n) in self.bits.iter_mut().zip(enums) {
            *count += n;
        }
        for ((code, _), n) in data.countries.iter().zip(countries) {
            if let Some(c) = self.country.get_mut(*code as usize) {
                *c += *n as u32;
            }
        }
    }

    /// Adds a segment's city counts (per ordinal of its dictionary, see [`CityCounts`]).
    pub fn add_cities(&mut self, counts: &CityCounts, map: &[u32]) {
        for (ord, spelling) in map.iter().enumerate() {
            let n = counts.get(ord);
            if n > 0 {
                if let Some(c) = self.city.get_mut(*spelling as usize) {
                    *c += n;
                }
            }
        }
    }

    fn flush(&mut self) {
        if self.pending == 0 {
            return;
        }
        for (bit, count) in self.bits.iter_mut().enumerate() {
            let mut n = 0u64;
            for (k, plane) in self.planes.iter().enumerate() {
                n |= ((plane >> bit) & 1) << k;
            }
            *count += n;
        }
        self.planes = [0; 8];
        self.pending = 0;
    }

    /// The report: every value with a count, each list by count then value; cities grouped
    /// by key and cut to the most frequent [`CITY_FACET_LIMIT`]. A value the query filters
    /// on is listed even when its count is 0, so a form can show it as selected.
    pub fn into_facets(mut self, cities: &CityTable, q: &DirectoryQuery) -> Facets {
        self.flush();
        let mut country: Vec<FacetCount> = self
            .country
            .iter()
            .enumerate()
            .filter(|(code, n)| **n > 0 && *code < Packed::COUNTRIES)
            .map(|(code, n)| FacetCount {
                value: Packed::country_name(code),
                count: u64::from(*n),
            })
            .collect();
        for c in &q.countries {
            selected(&mut country, c.as_str());
        }
        let field = |f: EnumField, chosen: Vec<&'static str>| {
            let (shift, len) = f.slot();
            let first = (shift - ENUM_SHIFT) as usize;
            let mut out: Vec<FacetCount> = (0..len)
                .filter_map(|i| {
                    let count = self.bits.get(first + i).copied().unwrap_or(0);
                    (count > 0).then(|| FacetCount {
                        value: f.wire(i).to_string(),
                        count,
                    })
                })
                .collect();
            for c in chosen {
                selected(&mut out, c);
            }
            sort(out)
        };
        let org_size = field(
            EnumField::OrgSize,
            q.org_sizes.iter().map(|v| OrgSize::as_str(*v)).collect(),
        );
        let types = field(
            EnumField::Types,
            q.types.iter().map(|v| PartnerType::as_str(*v)).collect(),
        );
        let service = field(
            EnumField::Service,
            q.services.iter().map(|v| Service::as_str(*v)).collect(),
        );
        let industry = field(
            EnumField::Industry,
            q.industries.iter().map(|v| Industry::as_str(*v)).collect(),
        );
        let language = field(
            EnumField::Language,
            q.languages.iter().map(|v| Language::as_str(*v)).collect(),
        );

        // Cities: sum the spellings of a key; show the spelling counted most.
        let mut by_key: HashMap<u32, (u64, u32, u32)> = HashMap::new(); // key → (total, best spelling, its count)
        for (id, n) in self.city.iter().enumerate() {
            if *n == 0 {
                continue;
            }
            let Some((key, spelling)) = cities.spellings.get(id) else {
                continue;
            };
            let e = by_key.entry(*key).or_insert((0, id as u32, 0));
            e.0 += u64::from(*n);
            let best = cities.spellings.get(e.1 as usize).map(|s| s.1.as_str());
            if *n > e.2 || (*n == e.2 && Some(spelling.as_str()) < best) {
                e.1 = id as u32;
                e.2 = *n;
            }
        }
        let mut city: Vec<FacetCount> = by_key
            .into_values()
            .filter_map(|(count, best, _)| {
                cities
                    .spellings
                    .get(best as usize)
                    .map(|(_, s)| FacetCount {
                        value: s.clone(),
                        count,
                    })
            })
            .collect();
        city = sort(city);
        city.truncate(CITY_FACET_LIMIT);
        for c in &q.cities {
            let key = city_key(c);
            if !city.iter().any(|f| city_key(&f.value) == key) {
                let count = cities
                    .keys
                    .iter()
                    .position(|k| *k == key)
                    .map_or(0, |key_id| {
                        cities
                            .spellings
                            .iter()
                            .enumerate()
                            .filter(|(_, (k, _))| *k as usize == key_id)
                            .map(|(id, _)| u64::from(self.city.get(id).copied().unwrap_or(0)))
                            .sum()
                    });
                city.push(FacetCount {
                    value: c.trim().to_string(),
                    count,
                });
            }
        }
        Facets {
            country: sort(country),
            city: sort(city),
            org_size,
            types,
            service,
            industry,
            language,
        }
    }
}

fn selected(list: &mut Vec<FacetCount>, value: &str) {
    if !list.iter().any(|f| f.value == value) {
        list.push(FacetCount {
            value: value.to_string(),
            count: 0,
        });
    }
}

fn sort(mut v: Vec<FacetCount>) -> Vec<FacetCount> {
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bit_sliced_counter_counts_like_a_loop() {
        let mut acc = FacetAcc::new(0);
        let mut expected = [0u64; 64];
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..10_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            acc.add(x);
            for (bit, e) in expected.iter_mut().enumerate().take(54) {
                *e += (x >> (bit as u32 + ENUM_SHIFT)) & 1;
            }
        }
        acc.flush();
        assert_eq!(acc.bits[..54], expected[..54]);
        assert_eq!(acc.total, 10_000);
    }
}
