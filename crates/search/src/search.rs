//! Answering a [`DirectoryQuery`], segment by segment, with bit sets.
//!
//! 1. The filters select a base set: the cloud's documents (minus deleted ones), intersected
//!    with, for each filtered field, the union of its values' documents (sets kept per
//!    segment, see `segment`; cities from their postings).
//! 2. Each word's documents within the base are read from postings into a set, and their
//!    scores added into a dense per-document array (term at a time): BM25 of the exact word
//!    in name (×3), keywords (×2) and the rest (×1); with `fuzzy`, a bonus for the exact
//!    word, and constants for its typo-tolerant forms (edit distance 1 from 4 characters, 2
//!    from 8, transpositions counting 1) and, for the last word being typed, its prefix
//!    forms, in the name and anywhere. The bonus exceeds all the constants together, so an
//!    exact match always ranks above a match that is only fuzzy or only a prefix. A Korean,
//!    Japanese or Chinese word is a phrase of its character bigrams (BM25, name ×3).
//!    With `Match::All` the rarest words go first and each later word is only read within
//!    the documents still matching.
//! 3. The match set is the intersection (or union) of the words' sets. Its size is the
//!    total; its facets are counted per document or, when it covers a large part of the
//!    segment, as intersections with the value sets; its best `offset + limit` documents are
//!    kept by score, ties broken by partner id (without words: by name, then partner id).

use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::sync::Arc;

use accord_domain::{Cloud, Industry, Language, OrgSize, PartnerType, Service};
use tantivy::index::InvertedIndexReader;
use tantivy::postings::{Postings, TermInfo};
use tantivy::query::{
    Bm25Weight, BooleanQuery, BoostQuery, DfaWrapper, EnableScoring, FuzzyTermQuery, Occur,
    PhraseQuery, Query, TermQuery, Weight,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{
    DocAddress, DocId, DocSet, Score, Searcher, SegmentReader, TantivyDocument, Term, TERMINATED,
};

use crate::bits::Bits;
use crate::facets::{CityCounts, FacetAcc};
use crate::index::View;
use crate::schema::{cloud_code, position, EnumField, Packed};
use crate::segment::NO_ORD;
use crate::text::{
    city_key, parse_query, ParsedText, Word, CJK_SUBSTRING_MAX, PREFIX_MAX_CHARS, PREFIX_MIN_CHARS,
};
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

/// Scored entries within a segment: score, rank of the partner id, document; the heap's top
/// is the worst.
struct ByScore(Score, u32, DocId);
impl PartialEq for ByScore {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for ByScore {}
impl PartialOrd for ByScore {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for ByScore {
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.total_cmp(&self.0).then(self.1.cmp(&other.1))
    }
}

/// Browse entries: name ordinal and rank of the partner id (both within the segment),
/// document.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct ByName(u32, u32, DocId);

/// How one word is matched and scored.
enum WordPlan {
    Latin {
        /// The exact word in each field it is scored in.
        exact: Vec<Exact>,
        /// Added to every exact match (fuzzy searches only).
        bonus: Option<Score>,
        forms: Vec<Form>,
    },
    Cjk(Box<dyn Weight>),
}

/// An exact term in one field, with its BM25 weight (boosted) and its scores for one to
/// four occurrences by field length (the usual cases, looked up rather than computed).
struct Exact {
    field: Field,
    term: Term,
    bm25: Bm25Weight,
    table: Vec<Score>,
}

impl Exact {
    fn new(field: Field, term: Term, bm25: Bm25Weight) -> Self {
        let table = (1..=4u32)
            .flat_map(|tf| (0..=u8::MAX).map(move |n| (n, tf)))
            .map(|(n, tf)| bm25.score(n, tf))
            .collect();
        Exact {
            field,
            term,
            bm25,
            table,
        }
    }

    #[inline]
    fn score(&self, norm: u8, tf: u32) -> Score {
        match tf {
            1..=4 => self
                .table
                .get((tf as usize - 1) * 256 + norm as usize)
                .copied()
                .unwrap_or(0.0),
            _ => self.bm25.score(norm, tf),
        }
    }
}

/// A typo-tolerant or prefix form of a word, in one field, at a constant score.
struct Form {
    field: Field,
    kind: FormKind,
    score: Score,
}

enum FormKind {
    /// The terms within an edit distance, but the word itself (an exact match scores more).
    Fuzzy { dfa: DfaWrapper, word: Vec<u8> },
    /// One term of an indexed prefix field.
    Term(Term),
    /// The terms starting with a prefix longer than the indexed ones.
    Prefix(Vec<u8>),
}

/// The smallest byte string above every string starting with `prefix`.
fn prefix_end(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < u8::MAX {
            end.push(last + 1);
            return Some(end);
        }
    }
    None
}

/// Per thread: the score of each document of the segment being searched (zero between
/// searches).
struct Scratch {
    scores: Vec<f32>,
    /// Set while a search uses the scores; found set, they are cleared before use.
    dirty: bool,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = const { RefCell::new(Scratch { scores: Vec::new(), dirty: false }) };
}

/// What one search collected.
struct Collected {
    acc: FacetAcc,
    /// The best `offset + limit`, best first.
    top: Vec<Ranked>,
}

/// Calls `f` with every document of the postings of `term` (in `field`) in `seg`.
fn for_each_posting(
    seg: &SegmentReader,
    field: Field,
    term: &Term,
    mut f: impl FnMut(DocId),
) -> Result<(), SearchError> {
    let inv = seg.inverted_index(field)?;
    if let Some(mut postings) = inv.read_block_postings(term, IndexRecordOption::Basic)? {
        loop {
            let docs = postings.docs();
            if docs.is_empty() {
                break;
            }
            for &d in docs {
                f(d);
            }
            postings.advance();
        }
    }
    Ok(())
}

/// Calls `f(doc, term frequency)` for each document of `within` in the postings of a term.
/// Postings much longer than `within` are skipped through (seek to each document of
/// `within`); others are read block by block and filtered.
fn for_each_match(
    inv: &InvertedIndexReader,
    info: &TermInfo,
    record: IndexRecordOption,
    within: &Bits,
    within_count: u64,
    mut f: impl FnMut(DocId, u32),
) -> Result<(), SearchError> {
    if u64::from(info.doc_freq) > within_count.saturating_mul(16) {
        let mut postings = inv.read_postings_from_terminfo(info, record)?;
        let mut current = postings.doc();
        let mut done = false;
        within.for_each_chunk(|docs| {
            for &d in docs {
                if done || d < current {
                    continue;
                }
                if d > current {
                    current = postings.seek(d);
                }
                if current == TERMINATED {
                    done = true;
                } else if current == d {
                    f(d, postings.term_freq().max(1));
                }
            }
        });
        return Ok(());
    }
    let mut postings = inv.read_block_postings_from_terminfo(info, record)?;
    loop {
        let docs = postings.docs();
        if docs.is_empty() {
            break;
        }
        let freqs = postings.freqs();
        for (i, &d) in docs.iter().enumerate() {
            if within.contains(d) {
                f(d, freqs.get(i).copied().unwrap_or(1));
            }
        }
        postings.advance();
    }
    Ok(())
}

impl DirectoryIndex {
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
                let c = self.browse(&searcher, &view, q, k)?;
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
        let c = self.browse(searcher, view, &q, MAX_OFFSET + MAX_LIMIT)?;
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

    /// The documents of a segment that pass the query's filters (and are not deleted).
    fn base(
        &self,
        view: &View,
        seg_ord: usize,
        seg: &SegmentReader,
        q: &DirectoryQuery,
    ) -> Result<Bits, SearchError> {
        let max_doc = seg.max_doc();
        let Some(sv) = view.segments.get(seg_ord) else {
            return Ok(Bits::new(max_doc));
        };
        let data = &sv.data;
        let mut base = data
            .clouds
            .get(position(Cloud::ALL, &q.cloud) as usize)
            .cloned()
            .unwrap_or_else(|| Bits::new(max_doc));
        if let Some(alive) = &sv.alive {
            base.and_with(alive);
        }
        if !q.countries.is_empty() {
            let mut any = Bits::new(max_doc);
            for c in &q.countries {
                if let Some(b) = data.country(Packed::country_code(c)) {
                    any.or_with(b);
                }
            }
            base.and_with(&any);
        }
        let mut enum_filter = |field: EnumField, values: Vec<u32>| {
            if values.is_empty() {
                return;
            }
            let first = (field.slot().0 - Packed::COUNTRY_BITS) as usize;
            let mut any = Bits::new(max_doc);
            for v in values {
                if let Some(b) = data.enums.get(first + v as usize) {
                    any.or_with(b);
                }
            }
            base.and_with(&any);
        };
        enum_filter(
            EnumField::OrgSize,
            q.org_sizes
                .iter()
                .map(|v| position(OrgSize::ALL, v))
                .collect(),
        );
        enum_filter(
            EnumField::Types,
            q.types
                .iter()
                .map(|v| position(PartnerType::ALL, v))
                .collect(),
        );
        enum_filter(
            EnumField::Service,
            q.services
                .iter()
                .map(|v| position(Service::ALL, v))
                .collect(),
        );
        enum_filter(
            EnumField::Industry,
            q.industries
                .iter()
                .map(|v| position(Industry::ALL, v))
                .collect(),
        );
        enum_filter(
            EnumField::Language,
            q.languages
                .iter()
                .map(|v| position(Language::ALL, v))
                .collect(),
        );
        if !q.cities.is_empty() {
            let mut any = Bits::new(max_doc);
            for c in &q.cities {
                let term = Term::from_field_text(self.fields.city, &city_key(c));
                for_each_posting(seg, self.fields.city, &term, |d| any.insert(d))?;
            }
            base.and_with(&any);
        }
        Ok(base)
    }

    /// How a word is matched, and roughly how many documents it reads (rarest first).
    fn plan_word(
        &self,
        searcher: &Searcher,
        word: &Word,
        fuzzy: bool,
        prefix: bool,
    ) -> Result<(WordPlan, u64), SearchError> {
        let f = &self.fields;
        match word {
            Word::Latin(w) => {
                let mut exact = Vec::with_capacity(3);
                for (field, boost) in [
                    (f.name, NAME_BOOST),
                    (f.keywords, KEYWORDS_BOOST),
                    (f.body, 1.0),
                ] {
                    let term = Term::from_field_text(field, w);
                    let bm25 = Bm25Weight::for_terms(searcher, std::slice::from_ref(&term))?
                        .boost_by(boost);
                    exact.push(Exact::new(field, term, bm25));
                }
                let mut cost = searcher.doc_freq(&Term::from_field_text(f.all, w))?;
                let mut forms = Vec::new();
                if fuzzy {
                    let chars = w.chars().count();
                    let distance = match chars {
                        0..=3 => 0,
                        4..=7 => 1,
                        _ => 2,
                    };
                    if distance > 0 {
                        for (field, score) in [(f.name, FUZZY_NAME), (f.all, FUZZY_ANY)] {
                            let dfa = FuzzyTermQuery::new(
                                Term::from_field_text(field, w),
                                distance,
                                true,
                            )
                            .automaton()?;
                            forms.push(Form {
                                field,
                                kind: FormKind::Fuzzy {
                                    dfa,
                                    word: w.as_bytes().to_vec(),
                                },
                                score,
                            });
                        }
                    }
                    if prefix && chars >= PREFIX_MIN_CHARS {
                        for (indexed, field, score) in [
                            (f.prefix_name, f.name, PREFIX_NAME),
                            (f.prefix_tags, f.all, PREFIX_ANY),
                        ] {
                            let form = if chars <= PREFIX_MAX_CHARS {
                                let term = Term::from_field_text(indexed, w);
                                cost = cost.max(searcher.doc_freq(&term)?);
                                Form {
                                    field: indexed,
                                    kind: FormKind::Term(term),
                                    score,
                                }
                            } else {
                                Form {
                                    field,
                                    kind: FormKind::Prefix(w.as_bytes().to_vec()),
                                    score,
                                }
                            };
                            forms.push(form);
                        }
                    }
                }
                Ok((
                    WordPlan::Latin {
                        exact,
                        bonus: fuzzy.then_some(EXACT_BONUS),
                        forms,
                    },
                    cost,
                ))
            }
            Word::Cjk(chars) if chars.len() <= CJK_SUBSTRING_MAX => {
                // One indexed substring, scored like a Latin word.
                let s = chars.iter().collect::<String>();
                let mut exact = Vec::with_capacity(2);
                let mut cost = 0;
                for (field, boost) in [(f.cjk_name_sub, NAME_BOOST), (f.cjk_body_sub, 1.0)] {
                    let term = Term::from_field_text(field, &s);
                    cost += searcher.doc_freq(&term)?;
                    let bm25 = Bm25Weight::for_terms(searcher, std::slice::from_ref(&term))?
                        .boost_by(boost);
                    exact.push(Exact::new(field, term, bm25));
                }
                Ok((
                    WordPlan::Latin {
                        exact,
                        bonus: None,
                        forms: Vec::new(),
                    },
                    cost,
                ))
            }
            Word::Cjk(chars) => {
                let query: Box<dyn Query> = {
                    let in_field = |field| -> Box<dyn Query> {
                        let mut terms: Vec<Term> = chars
                            .windows(2)
                            .map(|w| Term::from_field_text(field, &w.iter().collect::<String>()))
                            .collect();
                        if terms.len() == 1 {
                            let term = terms.remove(0);
                            Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
                        } else {
                            Box::new(PhraseQuery::new(terms))
                        }
                    };
                    Box::new(BooleanQuery::new(vec![
                        (
                            Occur::Should,
                            Box::new(BoostQuery::new(in_field(f.cjk_name), NAME_BOOST)),
                        ),
                        (Occur::Should, in_field(f.cjk_body)),
                    ]))
                };
                let mut cost = u64::MAX;
                for w in chars.windows(2) {
                    let s = w.iter().collect::<String>();
                    let n = searcher.doc_freq(&Term::from_field_text(f.cjk_body, &s))?
                        + searcher.doc_freq(&Term::from_field_text(f.cjk_name, &s))?;
                    cost = cost.min(n);
                }
                let weight = query.weight(EnableScoring::enabled_from_searcher(searcher))?;
                Ok((WordPlan::Cjk(weight), cost))
            }
        }
    }

    /// The documents of `within` matching a word; their scores are added to `scores`.
    fn eval_word(
        &self,
        plan: &WordPlan,
        seg: &SegmentReader,
        within: &Bits,
        scores: &mut [f32],
        seen: &mut Bits,
    ) -> Result<Bits, SearchError> {
        let mut bits = Bits::new(seg.max_doc());
        let within_count = within.count();
        if within_count == 0 {
            return Ok(bits);
        }
        match plan {
            WordPlan::Latin {
                exact,
                bonus,
                forms,
            } => {
                for e in exact {
                    let inv = seg.inverted_index(e.field)?;
                    let Some(info) = inv.get_term_info(&e.term)? else {
                        continue;
                    };
                    let norms = seg.get_fieldnorms_reader(e.field)?;
                    for_each_match(
                        &inv,
                        &info,
                        IndexRecordOption::WithFreqs,
                        within,
                        within_count,
                        |d, tf| {
                            // The exact-match bonus, once per document.
                            let first = bits.insert_new(d);
                            if let Some(s) = scores.get_mut(d as usize) {
                                *s += e.score(norms.fieldnorm_id(d), tf)
                                    + if first { bonus.unwrap_or(0.0) } else { 0.0 };
                            }
                        },
                    )?;
                }
                for form in forms {
                    let inv = seg.inverted_index(form.field)?;
                    if let FormKind::Term(term) = &form.kind {
                        if let Some(info) = inv.get_term_info(term)? {
                            for_each_match(
                                &inv,
                                &info,
                                IndexRecordOption::Basic,
                                within,
                                within_count,
                                |d, _| {
                                    bits.insert(d);
                                    if let Some(s) = scores.get_mut(d as usize) {
                                        *s += form.score;
                                    }
                                },
                            )?;
                        }
                        continue;
                    }
                    // Expansions: a document may hold several; it counts once.
                    seen.clear();
                    let mut add = |info: &TermInfo| {
                        for_each_match(
                            &inv,
                            info,
                            IndexRecordOption::Basic,
                            within,
                            within_count,
                            |d, _| {
                                if seen.insert_new(d) {
                                    bits.insert(d);
                                    if let Some(s) = scores.get_mut(d as usize) {
                                        *s += form.score;
                                    }
                                }
                            },
                        )
                    };
                    let dict = inv.terms();
                    match &form.kind {
                        FormKind::Fuzzy { dfa, word } => {
                            let mut stream = dict.search(dfa).into_stream()?;
                            while stream.advance() {
                                if stream.key() != word.as_slice() {
                                    add(stream.value())?;
                                }
                            }
                        }
                        FormKind::Term(_) => {}
                        FormKind::Prefix(prefix) => {
                            let mut range = dict.range().ge(prefix);
                            if let Some(end) = prefix_end(prefix) {
                                range = range.lt(end);
                            }
                            let mut stream = range.into_stream()?;
                            while stream.advance() {
                                add(stream.value())?;
                            }
                        }
                    }
                }
            }
            WordPlan::Cjk(weight) => {
                weight.for_each(seg, &mut |d, score| {
                    if within.contains(d) {
                        bits.insert(d);
                        if let Some(s) = scores.get_mut(d as usize) {
                            *s += score;
                        }
                    }
                })?;
            }
        }
        Ok(bits)
    }

    /// A search with words.
    fn scored(
        &self,
        searcher: &Searcher,
        view: &View,
        q: &DirectoryQuery,
        parsed: &ParsedText,
        mode: &Match,
        k: usize,
    ) -> Result<Collected, SearchError> {
        let last = parsed.words.len().saturating_sub(1);
        let mut plans = Vec::with_capacity(parsed.words.len());
        for (i, w) in parsed.words.iter().enumerate() {
            let prefix = i == last && parsed.last_is_partial;
            plans.push(self.plan_word(searcher, w, q.fuzzy, prefix)?);
        }
        if *mode == Match::All {
            plans.sort_by_key(|(_, cost)| *cost);
        }
        let mut acc = FacetAcc::new(view.cities.spellings.len());
        let mut heap: BinaryHeap<ByRelevance> = BinaryHeap::with_capacity(k + 1);
        SCRATCH.with(|scratch| -> Result<(), SearchError> {
            let mut scratch = scratch.borrow_mut();
            for (seg_ord, seg) in searcher.segment_readers().iter().enumerate() {
                let max_doc = seg.max_doc() as usize;
                if scratch.scores.len() < max_doc {
                    scratch.scores.resize(max_doc, 0.0);
                }
                if scratch.dirty {
                    scratch.scores.fill(0.0);
                }
                scratch.dirty = true;
                let base = self.base(view, seg_ord, seg, q)?;
                let mut seen = Bits::new(seg.max_doc());
                // A word's documents are a subset of those it was read within: with every
                // word required, each word's set is the match so far, and the first word's
                // set holds every document whose score was touched; with any word, their
                // union does.
                let mut within = base;
                let mut first: Option<Bits> = None;
                let mut any: Option<Bits> = None;
                for (plan, _) in &plans {
                    let bits =
                        self.eval_word(plan, seg, &within, &mut scratch.scores, &mut seen)?;
                    match mode {
                        Match::All => {
                            if first.is_none() {
                                first = Some(bits.clone());
                            }
                            within = bits;
                        }
                        Match::Any => match any.as_mut() {
                            Some(a) => a.or_with(&bits),
                            None => any = Some(bits),
                        },
                    }
                }
                let (m, first) = match mode {
                    Match::All => (within, first),
                    Match::Any => (any.unwrap_or_else(|| Bits::new(seg.max_doc())), None),
                };
                self.collect_scored(
                    view,
                    seg_ord,
                    seg,
                    &m,
                    &scratch.scores,
                    &mut acc,
                    &mut heap,
                    k,
                )?;
                // Clear what the words touched.
                let touched = first.as_ref().unwrap_or(&m);
                if touched.count() as usize > max_doc / 8 {
                    scratch.scores[..max_doc].fill(0.0);
                } else {
                    touched.for_each_chunk(|docs| {
                        for &d in docs {
                            if let Some(s) = scratch.scores.get_mut(d as usize) {
                                *s = 0.0;
                            }
                        }
                    });
                }
                scratch.dirty = false;
            }
            Ok(())
        })?;
        let mut top: Vec<Ranked> = heap.into_iter().map(|r| r.0).collect();
        top.sort_by(by_relevance);
        Ok(Collected { acc, top })
    }

    /// Whether to count the facets of `m` by intersecting value sets (`m` covers much of
    /// the segment) rather than document by document.
    fn by_sets(m_count: u64, max_doc: u32) -> bool {
        m_count > u64::from(max_doc / 16)
    }

    /// Counts the facets of `m` and offers its documents to the top `k` by score.
    #[allow(clippy::too_many_arguments)]
    fn collect_scored(
        &self,
        view: &View,
        seg_ord: usize,
        seg: &SegmentReader,
        m: &Bits,
        scores: &[f32],
        acc: &mut FacetAcc,
        heap: &mut BinaryHeap<ByRelevance>,
        k: usize,
    ) -> Result<(), SearchError> {
        let Some(sv) = view.segments.get(seg_ord) else {
            return Ok(());
        };
        let data = &sv.data;
        let count = m.count();
        if count == 0 {
            return Ok(());
        }
        let cities: &[u32] = view.cities.segments.get(seg_ord).map_or(&[], |v| v);
        let mut city_counts = CityCounts::new(cities.len());
        let by_sets = Self::by_sets(count, seg.max_doc());
        if by_sets {
            acc.add_by_sets(m, data);
        }
        // The segment's best k, ties broken by the rank of the partner id in the segment
        // (the same order as the ids, in four bytes).
        let mut local: BinaryHeap<ByScore> = BinaryHeap::with_capacity(k + 1);
        let mut worst = (f32::NEG_INFINITY, 0u32);
        m.for_each_chunk(|docs| {
            for (i, &d) in docs.iter().enumerate() {
                city_counts.add(i, data.city_ord(d));
                if !by_sets {
                    acc.add(data.word(d));
                }
                let score = scores.get(d as usize).copied().unwrap_or(0.0);
                if local.len() >= k {
                    // Worse than the worst kept, or tied with a later partner id.
                    if score < worst.0 || (score == worst.0 && data.rank(d) > worst.1) {
                        continue;
                    }
                    local.pop();
                }
                local.push(ByScore(score, data.rank(d), d));
                if local.len() >= k {
                    if let Some(w) = local.peek() {
                        worst = (w.0, w.1);
                    }
                }
            }
        });
        acc.add_cities(&city_counts, cities);
        for ByScore(score, _, d) in local {
            let r = Ranked {
                addr: DocAddress::new(seg_ord as u32, d),
                score,
                id: data.id(d),
                word: data.word(d),
            };
            if heap.len() < k {
                heap.push(ByRelevance(r));
            } else if heap
                .peek()
                .is_some_and(|w| by_relevance(&r, &w.0) == Ordering::Less)
            {
                heap.pop();
                heap.push(ByRelevance(r));
            }
        }
        Ok(())
    }

    /// A browse without words: every document passing the filters counted, and the first
    /// `k` by name, then partner id.
    fn browse(
        &self,
        searcher: &Searcher,
        view: &View,
        q: &DirectoryQuery,
        k: usize,
    ) -> Result<Collected, SearchError> {
        let mut acc = FacetAcc::new(view.cities.spellings.len());
        let mut candidates: Vec<(String, Ranked)> = Vec::new();
        for (seg_ord, seg) in searcher.segment_readers().iter().enumerate() {
            let Some(sv) = view.segments.get(seg_ord) else {
                continue;
            };
            let data = &sv.data;
            let m = self.base(view, seg_ord, seg, q)?;
            let count = m.count();
            if count == 0 {
                continue;
            }
            let cities: &[u32] = view.cities.segments.get(seg_ord).map_or(&[], |v| v);
            let mut city_counts = CityCounts::new(cities.len());
            let by_sets = Self::by_sets(count, seg.max_doc());
            if by_sets {
                acc.add_by_sets(&m, data);
            }
            let mut heap: BinaryHeap<ByName> = BinaryHeap::with_capacity(k + 1);
            let mut worst = (u32::MAX, u32::MAX);
            m.for_each_chunk(|docs| {
                for (i, &doc) in docs.iter().enumerate() {
                    city_counts.add(i, data.city_ord(doc));
                    if !by_sets {
                        acc.add(data.word(doc));
                    }
                    let name = data.name_ord(doc);
                    if heap.len() >= k {
                        if name > worst.0 || (name == worst.0 && data.rank(doc) > worst.1) {
                            continue;
                        }
                        heap.pop();
                    }
                    heap.push(ByName(name, data.rank(doc), doc));
                    if heap.len() >= k {
                        if let Some(w) = heap.peek() {
                            worst = (w.0, w.1);
                        }
                    }
                }
            });
            acc.add_cities(&city_counts, cities);
            let mut kept = heap.into_sorted_vec();
            // Names of the kept ordinals (sorted, as the dictionary wants them).
            let mut resolved: Vec<String> = Vec::with_capacity(kept.len());
            if let Some(column) = seg.fast_fields().str(&self.names.name_sort)? {
                let ords: Vec<u64> = kept
                    .iter()
                    .map(|e| e.0)
                    .filter(|o| *o != NO_ORD)
                    .map(u64::from)
                    .collect();
                column
                    .dictionary()
                    .sorted_ords_to_term_cb(&ords, |bytes| {
                        resolved.push(String::from_utf8_lossy(bytes).into_owned());
                    })
                    .map_err(tantivy::TantivyError::from)?;
            }
            let mut resolved = resolved.into_iter();
            for ByName(ord, _, doc) in kept.drain(..) {
                let name = if ord == NO_ORD {
                    String::new()
                } else {
                    resolved.next().unwrap_or_default()
                };
                candidates.push((
                    name,
                    Ranked {
                        addr: DocAddress::new(seg_ord as u32, doc),
                        score: 0.0,
                        id: data.id(doc),
                        word: data.word(doc),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_ends_are_the_next_string() {
        assert_eq!(prefix_end(b"secu"), Some(b"secv".to_vec()));
        assert_eq!(prefix_end(&[b'a', 0xFF]), Some(vec![b'b']));
        assert_eq!(prefix_end(&[0xFF, 0xFF]), None);
    }
}
