//! The seeded query mix of `accord-bench directory`: five classes, each drawn from the
//! generated corpus itself so that most queries have answers.

use accord_domain::{Cloud, CountryCode, Language, OrgSize, Service};
use accord_search::synth::{keyword_vocabulary, COMMON_WORDS};
use accord_search::{DirectoryQuery, Match, ProfileDoc};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

/// The five classes of queries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    /// Two or three exact words, all required, at least one of them rare (a tail keyword or
    /// a project code word): a handful of results.
    Rare,
    /// Two or three of the most common words, any of them: hundreds of thousands of results.
    Common,
    /// What a visitor types: a word and the start of the next one, typo-tolerant with the
    /// last word as a prefix (as the site asks).
    TypeAhead,
    /// One or two parts (2–4 syllables) of Korean words, all required.
    Korean,
    /// Filters (country, maybe service, language, size) and half the time a common word,
    /// with the facet counts read.
    Facets,
}

impl Class {
    pub const ALL: [Class; 5] = [
        Class::Rare,
        Class::Common,
        Class::TypeAhead,
        Class::Korean,
        Class::Facets,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Class::Rare => "rare-term AND",
            Class::Common => "common-term OR",
            Class::TypeAhead => "type-ahead (prefix, typos)",
            Class::Korean => "Korean part of a word",
            Class::Facets => "filters + facet counts",
        }
    }

    /// Whether both engines are asked exactly the same thing, so their totals (and facet
    /// counts) must agree. Type-ahead is typo-tolerant in Accord only.
    pub fn comparable(self) -> bool {
        self != Class::TypeAhead
    }
}

/// One query, as Accord's index and the FTS5 baseline each receive it.
#[derive(Clone, Debug)]
pub struct BenchQuery {
    pub class: Class,
    pub query: DirectoryQuery,
    /// Latin-script words, lower-cased (the FTS5 side quotes them).
    pub latin: Vec<String>,
    /// Korean words (the FTS5 side looks them up in its trigram table).
    pub korean: Vec<String>,
    /// The last Latin word is a prefix.
    pub prefix: bool,
}

/// Korean, Japanese and Chinese characters (as `accord-search` splits them).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF | 0x3040..=0x30FF | 0x3130..=0x318F | 0x31F0..=0x31FF
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xA960..=0xA97F | 0xAC00..=0xD7AF
        | 0xD7B0..=0xD7FF | 0xF900..=0xFAFF | 0xFF66..=0xFF9F)
}

/// The Latin-script words of a text, lower-cased (ASCII words only: both engines fold
/// diacritics, but not always the same way).
pub fn latin_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() || is_cjk(c))
        .filter(|w| !w.is_empty() && w.is_ascii())
        .map(str::to_ascii_lowercase)
        .collect()
}

/// The runs of CJK characters of a text.
pub fn cjk_runs(text: &str) -> Vec<String> {
    text.split(|c: char| !is_cjk(c))
        .filter(|r| !r.is_empty())
        .map(str::to_string)
        .collect()
}

fn base(cloud: Cloud, text: String, mode: Match, fuzzy: bool) -> DirectoryQuery {
    let mut q = DirectoryQuery::new(cloud);
    q.text = text;
    q.mode = mode;
    q.fuzzy = fuzzy;
    q
}

/// `n` queries per class, from `seed`, over `docs`.
pub fn generate(docs: &[ProfileDoc], per_class: usize, seed: u64) -> Vec<BenchQuery> {
    let mut rng = StdRng::seed_from_u64(seed ^ 0xD1EC_7041);
    let vocabulary = keyword_vocabulary();
    // Tail keywords: the generated pseudo-words after the product names.
    let rare_from = vocabulary.len().saturating_sub(180);
    let rare: std::collections::HashSet<&str> =
        vocabulary[rare_from..].iter().map(String::as_str).collect();
    let mut out = Vec::with_capacity(per_class * Class::ALL.len());
    let doc = |rng: &mut StdRng| &docs[rng.gen_range(0..docs.len())];

    // Rare-term AND: a rare word of a partner and one or two other words of it.
    let mut tries = 0;
    let mut made = 0;
    while made < per_class && tries < per_class * 1000 {
        tries += 1;
        let d = doc(&mut rng);
        let p = &d.profile;
        let mut words = latin_words(&p.description);
        words.extend(p.keywords.iter().flat_map(|k| latin_words(k)));
        let rare_words: Vec<&String> = words
            .iter()
            .filter(|w| rare.contains(w.as_str()) || is_code_word(w, &p.description))
            .collect();
        let Some(first) = rare_words.choose(&mut rng).map(|w| w.to_string()) else {
            continue;
        };
        let mut others: Vec<String> = latin_words(&p.name);
        others.extend(p.keywords.iter().flat_map(|k| latin_words(k)));
        others.retain(|w| *w != first && w.len() > 2);
        others.dedup();
        let mut latin = vec![first];
        for _ in 0..rng.gen_range(1..=2) {
            if let Some(w) = others.choose(&mut rng) {
                if !latin.contains(w) {
                    latin.push(w.clone());
                }
            }
        }
        latin.shuffle(&mut rng);
        out.push(BenchQuery {
            class: Class::Rare,
            query: base(d.cloud, latin.join(" "), Match::All, false),
            latin,
            korean: vec![],
            prefix: false,
        });
        made += 1;
    }

    // Common-term OR.
    for _ in 0..per_class {
        let n = rng.gen_range(2..=3);
        let latin: Vec<String> = COMMON_WORDS
            .choose_multiple(&mut rng, n)
            .map(|w| w.to_string())
            .collect();
        out.push(BenchQuery {
            class: Class::Common,
            query: base(Cloud::Public, latin.join(" "), Match::Any, false),
            latin,
            korean: vec![],
            prefix: false,
        });
    }

    // Type-ahead: maybe a whole word, then the first 3–6 letters of another.
    let mut made = 0;
    while made < per_class {
        let d = doc(&mut rng);
        let mut words = latin_words(&d.profile.name);
        words.extend(d.profile.keywords.iter().flat_map(|k| latin_words(k)));
        words.retain(|w| w.len() >= 5);
        let Some(target) = words.choose(&mut rng).cloned() else {
            continue;
        };
        let cut = rng.gen_range(3..=target.len().min(6));
        let mut latin = Vec::new();
        if rng.gen_bool(0.5) {
            if let Some(w) = COMMON_WORDS.choose(&mut rng) {
                latin.push(w.to_string());
            }
        }
        latin.push(target[..cut].to_string());
        out.push(BenchQuery {
            class: Class::TypeAhead,
            query: base(d.cloud, latin.join(" "), Match::All, true),
            latin,
            korean: vec![],
            prefix: true,
        });
        made += 1;
    }

    // Korean: parts of the Korean words of a Korean partner.
    let mut made = 0;
    let mut tries = 0;
    while made < per_class && tries < per_class * 1000 {
        tries += 1;
        let d = doc(&mut rng);
        let p = &d.profile;
        let runs: Vec<Vec<char>> = [&p.name, &p.description, &p.city]
            .iter()
            .flat_map(|t| cjk_runs(t))
            .map(|r| r.chars().collect::<Vec<char>>())
            .filter(|r| r.len() >= 2 && r.iter().all(|c| ('\u{AC00}'..='\u{D7AF}').contains(c)))
            .collect();
        if runs.is_empty() {
            continue;
        }
        let mut korean = Vec::new();
        for _ in 0..if rng.gen_bool(0.3) { 2 } else { 1 } {
            let Some(run) = runs.choose(&mut rng) else {
                break;
            };
            let len = rng.gen_range(2..=run.len().min(4));
            let start = rng.gen_range(0..=run.len() - len);
            let part: String = run[start..start + len].iter().collect();
            if !korean.contains(&part) {
                korean.push(part);
            }
        }
        out.push(BenchQuery {
            class: Class::Korean,
            query: base(d.cloud, korean.join(" "), Match::All, false),
            latin: vec![],
            korean,
            prefix: false,
        });
        made += 1;
    }

    // Filters and facets.
    for _ in 0..per_class {
        let d = doc(&mut rng);
        let p = &d.profile;
        let mut q = base(Cloud::Public, String::new(), Match::All, false);
        q.countries = vec![p.country.clone()];
        if rng.gen_bool(0.3) {
            let other = ["KR", "US", "JP", "DE", "GB", "IN", "FR"]
                .choose(&mut rng)
                .and_then(|c| CountryCode::parse(c).ok());
            if let Some(c) = other.filter(|c| *c != p.country) {
                q.countries.push(c);
            }
        }
        if rng.gen_bool(0.6) {
            q.services = pick_some(&mut rng, &p.services, Service::ALL);
        }
        if rng.gen_bool(0.4) {
            q.languages = pick_some(&mut rng, &p.languages, Language::ALL);
        }
        if rng.gen_bool(0.3) {
            q.org_sizes = pick_some(&mut rng, &p.org_sizes, OrgSize::ALL);
        }
        let mut latin = Vec::new();
        if rng.gen_bool(0.5) {
            if let Some(w) = COMMON_WORDS.choose(&mut rng) {
                latin.push(w.to_string());
                q.text = w.to_string();
            }
        }
        out.push(BenchQuery {
            class: Class::Facets,
            query: q,
            latin,
            korean: vec![],
            prefix: false,
        });
    }
    out
}

/// One value the partner has, and sometimes another one (OR within the field).
fn pick_some<T: Copy + PartialEq>(rng: &mut StdRng, have: &[T], all: &[T]) -> Vec<T> {
    let mut out: Vec<T> = have.choose(rng).copied().into_iter().collect();
    if rng.gen_bool(0.3) {
        if let Some(v) = all.choose(rng).copied().filter(|v| !out.contains(v)) {
            out.push(v);
        }
    }
    out
}

/// A project code word ("project <word>" / "프로젝트 <word>" in the description).
fn is_code_word(w: &str, description: &str) -> bool {
    description.contains(&format!("project {w} "))
        || description.contains(&format!("프로젝트 {w} "))
}
