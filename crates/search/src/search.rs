//! Answering a [`DirectoryQuery`]: the tantivy query, one pass per segment that counts the
//! facets and keeps the best `offset + limit` documents, and the page.
//!
//! Ranking with words is BM25 (name ×3, keywords ×2, the rest ×1), ties broken by partner id
//! so that pages are stable. With `fuzzy`, each Latin word also matches within its edit
//! distance and the last one as a prefix, at a constant score, and an exact match of the
//! word earns a bonus larger than all of those together, so an exact match always ranks
//! above a match that is only fuzzy or only a prefix. Without words, documents come in name
//! order (then partner id).

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::sync::Arc;

use accord_domain::Cloud;
use tantivy::columnar::{Cardinality, Column, ColumnValues};
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, EnableScoring, FuzzyTermQuery, Occur, PhraseQuery,
    Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentReader, TantivyDocument, Term};

use crate::facets::FacetAcc;
use crate::index::View;
use crate::schema::{cloud_code, EnumField, Packed};
use crate::text::{city_key, parse_query, ParsedText, Word};
use crate::{
    DirectoryIndex, DirectoryPage, DirectoryQuery, Facets, Hit, Match, SearchError, MAX_LIMIT,
    MAX_OFFSET,
};

const NAME_BOOST: Score = 3.0;
const KEYWORDS_BOOST: Score = 2.0;
/// Constant scores of the fuzzy and prefix forms of a word (in the name, anywhere).
const FUZZY_NAME: Score = 0.5;
const FUZZY_ANY: Score = 0.25;
const PREFIX_NAME: Score = 0.5;
const PREFIX_ANY: Score = 0.25;
/// Earned by an exact match when fuzzy forms are on: above all of them together.
const EXACT_BONUS: Score = FUZZY_NAME + FUZZY_ANY + PREFIX_NAME + PREFIX_ANY + 0.01;
/// A partial last word shorter than this is matched exactly only (a one- or two-letter
/// prefix matches a large part of the vocabulary and helps nobody).
const PREFIX_MIN_CHARS: usize = 3;

/// The unfiltered browse of a cloud, kept for the reader generation.
pub(crate) struct Landing {
    total: u64,
    facets: Facets,
    top: Vec<Ranked>,
}

/// A kept document.
#[derive(Clone, Copy, Debug)]
struct Ranked {
    addr: DocAddress,
    score: Score,
    id: u128,
    word: u64,
}

/// Best first: higher score, then lower partner id.
fn by_relevance(a: &Ranked, b: &Ranked) -> Ordering {
    b.score.total_cmp(&a.score).then(a.id.cmp(&b.id))
}

/// Heap entries ordered so that the heap's top is the worst kept document.
struct ByRelevance(Ranked);
impl PartialEq for ByRelevance {
    fn eq(&self, other: &Self) -> bool {
        by_relevance(&self.0, &other.0) == Ordering::Equal
    }
}
impl Eq for ByRelevance {}
impl PartialOrd for ByRelevance {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for ByRelevance {
    fn cmp(&self, other: &Self) -> Ordering {
        by_relevance(&self.0, &other.0)
    }
}

/// Browse entries: name ordinal (within the segment), then partner id.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct ByName(u64, u128, DocId, u64);

/// The fast columns of a segment, each as one value per document.
struct Columns {
    facets: Arc<dyn ColumnValues<u64>>,
    city: Arc<dyn ColumnValues<u64>>,
    id_hi: Arc<dyn ColumnValues<u64>>,
    id_lo: Arc<dyn ColumnValues<u64>>,
}

const MISSING: u64 = u64::MAX;

fn dense(column: Column<u64>) -> Arc<dyn ColumnValues<u64>> {
    if column.get_cardinality() == Cardinality::Full {
        column.values
    } else {
        column.first_or_default_col(MISSING)
    }
}

fn str_ords(seg: &SegmentReader, name: &str) -> Result<Option<Column<u64>>, SearchError> {
    Ok(seg.fast_fields().str(name)?.map(|c| c.ords().clone()))
}

impl Columns {
    fn open(seg: &SegmentReader, ix: &DirectoryIndex) -> Result<Self, SearchError> {
        let ff = seg.fast_fields();
        let name = |f: Field| ix.field_name(f);
        let city = match str_ords(seg, name(ix.fields.city_facet))? {
            Some(c) => dense(c),
            None => Column::build_empty_column(seg.max_doc()).first_or_default_col(MISSING),
        };
        Ok(Columns {
            facets: dense(ff.u64(name(ix.fields.facets))?),
            city,
            id_hi: dense(ff.u64(name(ix.fields.id_hi))?),
            id_lo: dense(ff.u64(name(ix.fields.id_lo))?),
        })
    }

    #[inline]
    fn id(&self, doc: DocId) -> u128 {
        (u128::from(self.id_hi.get_val(doc)) << 64) | u128::from(self.id_lo.get_val(doc))
    }
}

#[inline]
fn city_id(map: &[u32], ord: u64) -> Option<u32> {
    if ord == MISSING {
        None
    } else {
        map.get(ord as usize).copied()
    }
}

/// What one search collected.
struct Collected {
    acc: FacetAcc,
    /// The best `offset + limit`, best first.
    top: Vec<Ranked>,
}

impl DirectoryIndex {
    pub(crate) fn field_name(&self, f: Field) -> &str {
        self.schema.get_field_name(f)
    }

    /// Searches the directory. Refuses a page size outside 1..=50 and an offset beyond 1,000.
    pub fn search(&self, q: &DirectoryQuery) -> Result<DirectoryPage, SearchError> {
        if q.limit == 0 || q.limit > MAX_LIMIT {
            return Err(SearchError::BadLimit {
                limit: q.limit,
                max: MAX_LIMIT,
            });
        }
        if q.offset > MAX_OFFSET {
            return Err(SearchError::TooDeep {
                offset: q.offset,
                max: MAX_OFFSET,
            });
        }
        let (searcher, view) = self.searcher()?;
        let parsed = parse_query(&q.text);
        let k = q.offset + q.limit;
        let mut relaxed = false;
        let (total, facets, top) = if parsed.words.is_empty() {
            if q.has_filters() {
                let c = self.browse(&searcher, &view, self.filter_query(q).as_ref(), k)?;
                (c.acc.total, c.acc.into_facets(&view.cities, q), c.top)
            } else {
                let landing = self.landing(&searcher, &view, q.cloud)?;
                let top = landing.top.iter().take(k).copied().collect();
                (landing.total, landing.facets.clone(), top)
            }
        } else {
            let mut c = self.scored(&searcher, &view, q, &parsed, &q.mode, k)?;
            if c.acc.total == 0 && q.mode == Match::All && parsed.words.len() >= 2 {
                c = self.scored(&searcher, &view, q, &parsed, &Match::Any, k)?;
                relaxed = true;
            }
            (c.acc.total, c.acc.into_facets(&view.cities, q), c.top)
        };
        let hits = top
            .iter()
            .skip(q.offset)
            .map(|r| self.hit(&searcher, r))
            .collect::<Result<Vec<_>, _>>()?;
        let end = q.offset + q.limit;
        let next_offset = (end as u64) < total && end <= MAX_OFFSET;
        Ok(DirectoryPage {
            total,
            hits,
            facets,
            next_offset: next_offset.then_some(end),
            relaxed,
        })
    }

    fn landing(
        &self,
        searcher: &Searcher,
        view: &View,
        cloud: Cloud,
    ) -> Result<Arc<Landing>, SearchError> {
        let code = cloud_code(cloud);
        if let Some(l) = view.landing.lock().ok().and_then(|m| m.get(&code).cloned()) {
            return Ok(l);
        }
        let q = DirectoryQuery::new(cloud);
        let c = self.browse(
            searcher,
            view,
            self.filter_query(&q).as_ref(),
            MAX_OFFSET + MAX_LIMIT,
        )?;
        let landing = Arc::new(Landing {
            total: c.acc.total,
            facets: c.acc.into_facets(&view.cities, &q),
            top: c.top,
        });
        if let Ok(mut m) = view.landing.lock() {
            m.insert(code, landing.clone());
        }
        Ok(landing)
    }

    /// The filters (cloud included), as a query that matches without scoring.
    fn filter_query(&self, q: &DirectoryQuery) -> Box<dyn Query> {
        let f = &self.fields;
        let term =
            |t: Term| -> Box<dyn Query> { Box::new(TermQuery::new(t, IndexRecordOption::Basic)) };
        let mut must: Vec<(Occur, Box<dyn Query>)> = vec![(
            Occur::Must,
            term(Term::from_field_u64(f.cloud, cloud_code(q.cloud))),
        )];
        let mut any_of = |field: Field, values: Vec<String>| {
            let mut values: Vec<Box<dyn Query>> = values
                .iter()
                .map(|v| term(Term::from_field_text(field, v)))
                .collect();
            match values.len() {
                0 => {}
                1 => must.extend(values.pop().map(|v| (Occur::Must, v))),
                _ => must.push((
                    Occur::Must,
                    Box::new(BooleanQuery::new(
                        values.into_iter().map(|v| (Occur::Should, v)).collect(),
                    )),
                )),
            }
        };
        let wire = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        any_of(
            f.country,
            q.countries.iter().map(|c| c.as_str().to_string()).collect(),
        );
        any_of(f.city, q.cities.iter().map(|c| city_key(c)).collect());
        any_of(
            f.org_size,
            wire(&q.org_sizes.iter().map(|v| v.as_str()).collect::<Vec<_>>()),
        );
        any_of(
            f.types,
            wire(&q.types.iter().map(|v| v.as_str()).collect::<Vec<_>>()),
        );
        any_of(
            f.service,
            wire(&q.services.iter().map(|v| v.as_str()).collect::<Vec<_>>()),
        );
        any_of(
            f.industry,
            wire(&q.industries.iter().map(|v| v.as_str()).collect::<Vec<_>>()),
        );
        any_of(
            f.language,
            wire(&q.languages.iter().map(|v| v.as_str()).collect::<Vec<_>>()),
        );
        if must.len() == 1 {
            if let Some((_, only)) = must.pop() {
                return only;
            }
        }
        Box::new(BooleanQuery::new(must))
    }

    /// The query of one word: its exact forms (scored), and with `fuzzy` its typo-tolerant
    /// and prefix forms (constant scores).
    fn word_query(&self, word: &Word, fuzzy: bool, prefix: bool) -> Box<dyn Query> {
        let f = &self.fields;
        let mut should: Vec<Box<dyn Query>> = Vec::new();
        match word {
            Word::Latin(w) => {
                let t = |field| Term::from_field_text(field, w);
                let exact = |field| TermQuery::new(t(field), IndexRecordOption::WithFreqs);
                should.push(Box::new(BoostQuery::new(
                    Box::new(exact(f.name)),
                    NAME_BOOST,
                )));
                should.push(Box::new(BoostQuery::new(
                    Box::new(exact(f.keywords)),
                    KEYWORDS_BOOST,
                )));
                should.push(Box::new(exact(f.body)));
                if fuzzy {
                    let konst = |q: Box<dyn Query>, s| Box::new(ConstScoreQuery::new(q, s));
                    should.push(konst(
                        Box::new(TermQuery::new(t(f.all), IndexRecordOption::Basic)),
                        EXACT_BONUS,
                    ));
                    let chars = w.chars().count();
                    let distance = match chars {
                        0..=3 => 0,
                        4..=7 => 1,
                        _ => 2,
                    };
                    if distance > 0 {
                        should.push(konst(
                            Box::new(FuzzyTermQuery::new(t(f.name), distance, true)),
                            FUZZY_NAME,
                        ));
                        should.push(konst(
                            Box::new(FuzzyTermQuery::new(t(f.all), distance, true)),
                            FUZZY_ANY,
                        ));
                    }
                    if prefix && chars >= PREFIX_MIN_CHARS {
                        should.push(konst(
                            Box::new(FuzzyTermQuery::new_prefix(t(f.name), 0, true)),
                            PREFIX_NAME,
                        ));
                        should.push(konst(
                            Box::new(FuzzyTermQuery::new_prefix(t(f.all), 0, true)),
                            PREFIX_ANY,
                        ));
                    }
                }
            }
            Word::Cjk(chars) => {
                if chars.len() == 1 {
                    let s = chars.iter().collect::<String>();
                    return Box::new(TermQuery::new(
                        Term::from_field_text(f.cjk_uni, &s),
                        IndexRecordOption::WithFreqs,
                    ));
                }
                let bigrams = |field| -> Vec<Term> {
                    chars
                        .windows(2)
                        .map(|w| Term::from_field_text(field, &w.iter().collect::<String>()))
                        .collect()
                };
                let in_field = |field| -> Box<dyn Query> {
                    let mut terms = bigrams(field);
                    if terms.len() == 1 {
                        let term = terms.remove(0);
                        Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
                    } else {
                        Box::new(PhraseQuery::new(terms))
                    }
                };
                should.push(Box::new(BoostQuery::new(in_field(f.cjk_name), NAME_BOOST)));
                should.push(in_field(f.cjk_body));
            }
        }
        Box::new(BooleanQuery::new(
            should.into_iter().map(|q| (Occur::Should, q)).collect(),
        ))
    }

    fn text_query(&self, parsed: &ParsedText, mode: &Match, fuzzy: bool) -> Box<dyn Query> {
        let last = parsed.words.len().saturating_sub(1);
        let occur = match mode {
            Match::All => Occur::Must,
            Match::Any => Occur::Should,
        };
        let mut words: Vec<(Occur, Box<dyn Query>)> = parsed
            .words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let prefix = i == last && parsed.last_is_partial;
                (occur, self.word_query(w, fuzzy, prefix))
            })
            .collect();
        if words.len() == 1 {
            if let Some((_, only)) = words.pop() {
                return only;
            }
        }
        Box::new(BooleanQuery::new(words))
    }

    /// A search with words: every matching document scored, counted and offered to the
    /// top `k`.
    fn scored(
        &self,
        searcher: &Searcher,
        view: &View,
        q: &DirectoryQuery,
        parsed: &ParsedText,
        mode: &Match,
        k: usize,
    ) -> Result<Collected, SearchError> {
        let query = BooleanQuery::new(vec![
            (Occur::Must, self.text_query(parsed, mode, q.fuzzy)),
            (
                Occur::Must,
                Box::new(ConstScoreQuery::new(self.filter_query(q), 0.0)),
            ),
        ]);
        let weight = query.weight(EnableScoring::enabled_from_searcher(searcher))?;
        let mut acc = FacetAcc::new(view.cities.spellings.len());
        let mut heap: BinaryHeap<ByRelevance> = BinaryHeap::with_capacity(k + 1);
        for (seg_ord, seg) in searcher.segment_readers().iter().enumerate() {
            let cols = Columns::open(seg, self)?;
            let cities: &[u32] = view.cities.segments.get(seg_ord).map_or(&[], |v| v);
            let alive = seg.alive_bitset();
            weight.for_each(seg, &mut |doc, score| {
                if alive.is_some_and(|a| !a.is_alive(doc)) {
                    return;
                }
                let word = cols.facets.get_val(doc);
                acc.add(word, city_id(cities, cols.city.get_val(doc)));
                if heap.len() >= k {
                    match heap.peek() {
                        Some(worst) if score < worst.0.score => return,
                        _ => {}
                    }
                }
                let r = Ranked {
                    addr: DocAddress::new(seg_ord as u32, doc),
                    score,
                    id: cols.id(doc),
                    word,
                };
                if heap.len() < k {
                    heap.push(ByRelevance(r));
                } else if heap
                    .peek()
                    .is_some_and(|worst| by_relevance(&r, &worst.0) == Ordering::Less)
                {
                    heap.pop();
                    heap.push(ByRelevance(r));
                }
            })?;
        }
        let mut top: Vec<Ranked> = heap.into_iter().map(|r| r.0).collect();
        top.sort_by(by_relevance);
        Ok(Collected { acc, top })
    }

    /// A browse without words: every matching document counted and offered to the first `k`
    /// by name, then partner id.
    fn browse(
        &self,
        searcher: &Searcher,
        view: &View,
        query: &dyn Query,
        k: usize,
    ) -> Result<Collected, SearchError> {
        let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
        let mut acc = FacetAcc::new(view.cities.spellings.len());
        let name_field = self.field_name(self.fields.name_sort);
        let mut candidates: Vec<(String, Ranked)> = Vec::new();
        let mut words = [0u64; tantivy::COLLECT_BLOCK_BUFFER_LEN];
        let mut city_ords = [0u64; tantivy::COLLECT_BLOCK_BUFFER_LEN];
        let mut name_ords = [0u64; tantivy::COLLECT_BLOCK_BUFFER_LEN];
        let mut live = [0 as DocId; tantivy::COLLECT_BLOCK_BUFFER_LEN];
        for (seg_ord, seg) in searcher.segment_readers().iter().enumerate() {
            let cols = Columns::open(seg, self)?;
            let name_column = seg.fast_fields().str(name_field)?;
            let names = match &name_column {
                Some(c) => dense(c.ords().clone()),
                None => Column::build_empty_column(seg.max_doc()).first_or_default_col(MISSING),
            };
            let cities: &[u32] = view.cities.segments.get(seg_ord).map_or(&[], |v| v);
            let alive = seg.alive_bitset();
            let mut heap: BinaryHeap<ByName> = BinaryHeap::with_capacity(k + 1);
            weight.for_each_no_score(seg, &mut |docs| {
                let docs: &[DocId] = match alive {
                    None => docs,
                    Some(a) => {
                        let mut n = 0;
                        for &d in docs {
                            if a.is_alive(d) {
                                if let Some(slot) = live.get_mut(n) {
                                    *slot = d;
                                    n += 1;
                                }
                            }
                        }
                        &live[..n]
                    }
                };
                let n = docs.len().min(words.len());
                let docs = &docs[..n];
                cols.facets.get_vals(docs, &mut words[..n]);
                cols.city.get_vals(docs, &mut city_ords[..n]);
                names.get_vals(docs, &mut name_ords[..n]);
                for (i, &doc) in docs.iter().enumerate() {
                    acc.add(words[i], city_id(cities, city_ords[i]));
                    let name = name_ords[i];
                    if heap.len() >= k && heap.peek().is_some_and(|w| name > w.0) {
                        continue;
                    }
                    let entry = ByName(name, cols.id(doc), doc, words[i]);
                    if heap.len() < k {
                        heap.push(entry);
                    } else if heap.peek().is_some_and(|w| entry < *w) {
                        heap.pop();
                        heap.push(entry);
                    }
                }
            })?;
            let mut kept = heap.into_sorted_vec();
            // Names of the kept ordinals (sorted, as the dictionary wants them).
            let mut resolved: Vec<String> = Vec::with_capacity(kept.len());
            if let Some(column) = &name_column {
                let ords: Vec<u64> = kept.iter().map(|e| e.0).filter(|o| *o != MISSING).collect();
                column
                    .dictionary()
                    .sorted_ords_to_term_cb(&ords, |bytes| {
                        resolved.push(String::from_utf8_lossy(bytes).into_owned());
                    })
                    .map_err(tantivy::TantivyError::from)?;
            }
            let mut resolved = resolved.into_iter();
            for ByName(ord, id, doc, word) in kept.drain(..) {
                let name = if ord == MISSING {
                    String::new()
                } else {
                    resolved.next().unwrap_or_default()
                };
                candidates.push((
                    name,
                    Ranked {
                        addr: DocAddress::new(seg_ord as u32, doc),
                        score: 0.0,
                        id,
                        word,
                    },
                ));
            }
        }
        candidates.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.id.cmp(&b.1.id)));
        candidates.truncate(k);
        Ok(Collected {
            acc,
            top: candidates.into_iter().map(|(_, r)| r).collect(),
        })
    }

    fn hit(&self, searcher: &Searcher, r: &Ranked) -> Result<Hit, SearchError> {
        let doc: TantivyDocument = searcher.doc(r.addr)?;
        let text = |f: Field| {
            doc.get_first(f)
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        };
        Ok(Hit {
            partner_id: uuid::Uuid::from_u128(r.id),
            score: r.score,
            name: text(self.fields.name),
            city: text(self.fields.city_display),
            country: Packed::country_name((r.word & Packed::COUNTRY_MASK) as usize),
            summary: text(self.fields.summary),
            org_sizes: EnumField::OrgSize.values(r.word),
            services: EnumField::Service.values(r.word),
            types: EnumField::Types.values(r.word),
            languages: EnumField::Language.values(r.word),
            industries: EnumField::Industry.values(r.word),
        })
    }
}
