//! How text becomes terms, for the index and for a query alike.
//!
//! * Latin (and every other non-CJK) script: words are runs of letters and digits, lower-cased
//!   and folded to ASCII (`München` → `munchen`), via the `latin` analyzer.
//! * Hangul, kana and CJK ideographs have no spaces between the parts of a compound
//!   (`클라우드이전전문`), so they are indexed as character n-grams: `cjk2` emits the bigrams of
//!   each run at consecutive positions (a gap separates runs), and a query word must find its
//!   bigrams in sequence (a phrase over bigram positions), so any part of a word is found.
//!   Every substring of one to four characters of a run is also a term (`cjk_sub`), so the
//!   usual query word (one to four syllables) is a single term lookup; the phrase serves
//!   longer words.
//! * `latin_prefixes` indexes the prefixes (3 to 12 characters) of every Latin word, so the
//!   word being typed is one term lookup too.

use std::str::CharIndices;

use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, TextAnalyzer, Token, TokenStream, Tokenizer,
};

pub(crate) const LATIN: &str = "accord_latin";
pub(crate) const LATIN_PREFIXES: &str = "accord_latin_prefixes";
pub(crate) const CJK_BIGRAMS: &str = "accord_cjk2";
pub(crate) const CJK_SUBSTRINGS: &str = "accord_cjk_sub";

/// Prefixes of Latin words are indexed from this many characters…
pub(crate) const PREFIX_MIN_CHARS: usize = 3;
/// …to this many (a longer typed prefix is expanded through the term dictionary).
pub(crate) const PREFIX_MAX_CHARS: usize = 12;
/// CJK substrings of up to this many characters are indexed as terms, so a query word of
/// that length is one term; a longer one is a phrase of bigrams.
pub(crate) const CJK_SUBSTRING_MAX: usize = 4;

/// Latin words longer than this (bytes) are not indexed (nobody searches for them).
const LONGEST_WORD: usize = 64;

/// Hangul (syllables and jamo), kana and CJK ideographs: scripts written without spaces
/// between the parts of a word.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF     // Hangul jamo
        | 0x3040..=0x30FF   // hiragana, katakana
        | 0x3130..=0x318F   // Hangul compatibility jamo
        | 0x31F0..=0x31FF   // katakana extensions
        | 0x3400..=0x4DBF   // CJK extension A
        | 0x4E00..=0x9FFF   // CJK unified ideographs
        | 0xA960..=0xA97F   // Hangul jamo extended A
        | 0xAC00..=0xD7AF   // Hangul syllables
        | 0xD7B0..=0xD7FF   // Hangul jamo extended B
        | 0xF900..=0xFAFF   // CJK compatibility ideographs
        | 0xFF66..=0xFF9F   // half-width katakana
    )
}

fn is_latin_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

/// The analyzer of the Latin-script fields.
pub(crate) fn latin_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(LatinTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_WORD))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

pub(crate) fn cjk_bigram_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(CjkTokenizer {
        gram: 2,
        token: Token::default(),
    })
    .build()
}

pub(crate) fn cjk_substring_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(CjkSubstrings::default()).build()
}

pub(crate) fn latin_prefix_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(LatinPrefixes {
        inner: latin_analyzer(),
        token: Token::default(),
    })
    .build()
}

/// The prefixes of `PREFIX_MIN_CHARS..=PREFIX_MAX_CHARS` characters of each word of the
/// `latin` analyzer (the whole word when shorter than the maximum).
#[derive(Clone)]
pub(crate) struct LatinPrefixes {
    inner: TextAnalyzer,
    token: Token,
}

pub(crate) struct LatinPrefixStream<'a> {
    inner: tantivy::tokenizer::BoxTokenStream<'a>,
    token: &'a mut Token,
    /// The current word and the byte ends of its prefixes still to emit (next last).
    word: String,
    ends: Vec<usize>,
}

impl Tokenizer for LatinPrefixes {
    type TokenStream<'a> = LatinPrefixStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> LatinPrefixStream<'a> {
        self.token.reset();
        LatinPrefixStream {
            inner: self.inner.token_stream(text),
            token: &mut self.token,
            word: String::new(),
            ends: Vec::new(),
        }
    }
}

impl TokenStream for LatinPrefixStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            if let Some(end) = self.ends.pop() {
                self.token.text.clear();
                self.token.text.push_str(&self.word[..end]);
                self.token.position = self.token.position.wrapping_add(1);
                return true;
            }
            if !self.inner.advance() {
                return false;
            }
            let t = self.inner.token();
            self.word.clear();
            self.word.push_str(&t.text);
            self.token.offset_from = t.offset_from;
            self.token.offset_to = t.offset_to;
            let ends = self
                .word
                .char_indices()
                .map(|(i, c)| i + c.len_utf8())
                .enumerate()
                .filter(|(n, _)| (PREFIX_MIN_CHARS - 1..PREFIX_MAX_CHARS).contains(n))
                .map(|(_, end)| end);
            self.ends.clear();
            self.ends.extend(ends);
            self.ends.reverse();
        }
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// Every substring of 1 to `CJK_SUBSTRING_MAX` characters of each CJK run.
#[derive(Clone, Default)]
pub(crate) struct CjkSubstrings {
    token: Token,
}

pub(crate) struct CjkSubstringStream<'a> {
    text: &'a str,
    chars: CharIndices<'a>,
    /// The current run: the byte offset of each character, and the end of the last.
    run: Vec<usize>,
    run_end: usize,
    start: usize,
    len: usize,
    token: &'a mut Token,
}

impl Tokenizer for CjkSubstrings {
    type TokenStream<'a> = CjkSubstringStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> CjkSubstringStream<'a> {
        self.token.reset();
        CjkSubstringStream {
            text,
            chars: text.char_indices(),
            run: Vec::new(),
            run_end: 0,
            start: 0,
            len: 0,
            token: &mut self.token,
        }
    }
}

impl CjkSubstringStream<'_> {
    /// Reads the next CJK run; false at the end of the text.
    fn next_run(&mut self) -> bool {
        self.run.clear();
        for (i, c) in self.chars.by_ref() {
            if is_cjk(c) {
                self.run.push(i);
                self.run_end = i + c.len_utf8();
            } else if !self.run.is_empty() {
                break;
            }
        }
        self.start = 0;
        self.len = 0;
        !self.run.is_empty()
    }
}

impl TokenStream for CjkSubstringStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            self.len += 1;
            if self.len > CJK_SUBSTRING_MAX || self.start + self.len > self.run.len() {
                self.start += 1;
                self.len = 1;
            }
            if self.start >= self.run.len() {
                if !self.next_run() {
                    return false;
                }
                self.len = 1;
            }
            let Some(&from) = self.run.get(self.start) else {
                continue;
            };
            let end = self
                .run
                .get(self.start + self.len)
                .copied()
                .unwrap_or(self.run_end);
            self.token.text.clear();
            self.token.text.push_str(&self.text[from..end]);
            self.token.offset_from = from;
            self.token.offset_to = end;
            self.token.position = self.token.position.wrapping_add(1);
            return true;
        }
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// Runs of letters and digits outside the CJK blocks.
#[derive(Clone, Default)]
pub(crate) struct LatinTokenizer {
    token: Token,
}

pub(crate) struct LatinTokenStream<'a> {
    text: &'a str,
    chars: CharIndices<'a>,
    token: &'a mut Token,
}

impl Tokenizer for LatinTokenizer {
    type TokenStream<'a> = LatinTokenStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> LatinTokenStream<'a> {
        self.token.reset();
        LatinTokenStream {
            text,
            chars: text.char_indices(),
            token: &mut self.token,
        }
    }
}

impl TokenStream for LatinTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.token.text.clear();
        self.token.position = self.token.position.wrapping_add(1);
        while let Some((from, c)) = self.chars.next() {
            if is_latin_word_char(c) {
                let to = self
                    .chars
                    .find(|(_, c)| !is_latin_word_char(*c))
                    .map_or(self.text.len(), |(i, _)| i);
                self.token.offset_from = from;
                self.token.offset_to = to;
                self.token.text.push_str(&self.text[from..to]);
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// Character n-grams (1 or 2) of each CJK run; everything else is a separator. Bigrams of a
/// run take consecutive positions; the next run starts two positions later, so a phrase
/// never spans two runs.
#[derive(Clone)]
pub(crate) struct CjkTokenizer {
    gram: u8,
    token: Token,
}

pub(crate) struct CjkTokenStream<'a> {
    text: &'a str,
    chars: CharIndices<'a>,
    gram: u8,
    /// The previous CJK character of the current run (offset, char).
    prev: Option<(usize, char)>,
    next_position: usize,
    token: &'a mut Token,
}

impl Tokenizer for CjkTokenizer {
    type TokenStream<'a> = CjkTokenStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> CjkTokenStream<'a> {
        self.token.reset();
        CjkTokenStream {
            text,
            chars: text.char_indices(),
            gram: self.gram,
            prev: None,
            next_position: 0,
            token: &mut self.token,
        }
    }
}

impl TokenStream for CjkTokenStream<'_> {
    fn advance(&mut self) -> bool {
        for (i, c) in self.chars.by_ref() {
            if !is_cjk(c) {
                if self.prev.take().is_some() {
                    self.next_position += 2;
                }
                continue;
            }
            let end = i + c.len_utf8();
            let from = match (self.gram, self.prev.replace((i, c))) {
                (1, _) => i,
                (_, Some((from, _))) => from,
                (_, None) => continue,
            };
            self.token.text.clear();
            self.token.text.push_str(&self.text[from..end]);
            self.token.offset_from = from;
            self.token.offset_to = end;
            self.token.position = self.next_position;
            self.next_position += 1;
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// One word of a query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Word {
    /// A normalised Latin-script word (as the `latin` analyzer indexes it).
    Latin(String),
    /// A run of CJK characters.
    Cjk(Vec<char>),
}

/// Queries longer than this many words are cut (a search box, not a document).
pub(crate) const MAX_QUERY_WORDS: usize = 16;

/// A parsed query text: its words in order, and whether the last one is still being typed
/// (the text does not end with a separator), so it may also match as a prefix.
#[derive(Clone, Debug, Default)]
pub(crate) struct ParsedText {
    pub words: Vec<Word>,
    pub last_is_partial: bool,
}

/// Splits a query into Latin words and CJK runs, normalising Latin words as the index does.
pub(crate) fn parse_query(text: &str) -> ParsedText {
    let mut analyzer = latin_analyzer();
    let mut words = Vec::new();
    let mut chars = text.char_indices().peekable();
    let mut last_is_partial = false;
    while let Some((from, c)) = chars.next() {
        if is_cjk(c) {
            let mut run = vec![c];
            while let Some(&(_, c)) = chars.peek() {
                if !is_cjk(c) {
                    break;
                }
                run.push(c);
                chars.next();
            }
            words.push(Word::Cjk(run));
            last_is_partial = chars.peek().is_none();
        } else if is_latin_word_char(c) {
            let mut to = text.len();
            while let Some(&(i, c)) = chars.peek() {
                if !is_latin_word_char(c) {
                    to = i;
                    break;
                }
                chars.next();
            }
            let mut stream = analyzer.token_stream(&text[from..to]);
            while let Some(token) = stream.next() {
                words.push(Word::Latin(token.text.clone()));
            }
            last_is_partial = chars.peek().is_none();
        }
    }
    // Only the last word typed may be partial; a dropped (too long) word is not.
    if words.len() > MAX_QUERY_WORDS {
        words.truncate(MAX_QUERY_WORDS);
        last_is_partial = false;
    }
    ParsedText {
        words,
        last_is_partial,
    }
}

/// The description shortened for a result list: its first ~200 characters, cut at a word
/// boundary when one is near, with `…` when anything was cut.
pub(crate) fn summary(description: &str) -> String {
    const CHARS: usize = 200;
    let description = description.trim();
    let Some((cut, _)) = description.char_indices().nth(CHARS) else {
        return description.to_string();
    };
    let head = &description[..cut];
    // Prefer the last space in the final quarter; CJK text without spaces is cut as is.
    let head = match head.rfind(char::is_whitespace) {
        Some(space) if space >= cut * 3 / 4 => &head[..space],
        _ => head,
    };
    let mut s = head
        .trim_end_matches(|c: char| c.is_whitespace() || c == ',')
        .to_string();
    s.push('…');
    s
}

/// The key a city is filtered and counted by: lower-cased, with single spaces.
pub(crate) fn city_key(city: &str) -> String {
    city.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(mut a: TextAnalyzer, text: &str) -> Vec<(String, usize)> {
        let mut out = Vec::new();
        let mut s = a.token_stream(text);
        while let Some(t) = s.next() {
            out.push((t.text.clone(), t.position));
        }
        out
    }

    #[test]
    fn latin_words_are_folded_and_cjk_left_out() {
        let t = tokens(
            latin_analyzer(),
            "München M365-Partner 클라우드이전 Azure를",
        );
        let words: Vec<_> = t.into_iter().map(|(w, _)| w).collect();
        assert_eq!(words, ["munchen", "m365", "partner", "azure"]);
    }

    #[test]
    fn cjk_runs_become_bigrams_with_a_gap_between_runs() {
        let t = tokens(cjk_bigram_analyzer(), "정보보안 및 서울특별시 x");
        assert_eq!(
            t,
            [
                ("정보".to_string(), 0),
                ("보보".to_string(), 1),
                ("보안".to_string(), 2),
                // "및" is a one-character run: no bigram, but a gap on each side.
                ("서울".to_string(), 7),
                ("울특".to_string(), 8),
                ("특별".to_string(), 9),
                ("별시".to_string(), 10),
            ]
        );
        let t: Vec<String> = tokens(cjk_substring_analyzer(), "한빛클 A 정보")
            .into_iter()
            .map(|(t, _)| t)
            .collect();
        assert_eq!(
            t,
            [
                "한",
                "한빛",
                "한빛클",
                "빛",
                "빛클",
                "클",
                "정",
                "정보",
                "보"
            ]
        );
        let t: Vec<String> = tokens(
            latin_prefix_analyzer(),
            "Security is OK, Kubernetesclusters",
        )
        .into_iter()
        .map(|(t, _)| t)
        .collect();
        assert_eq!(
            t,
            [
                "sec",
                "secu",
                "secur",
                "securi",
                "securit",
                "security",
                "kub",
                "kube",
                "kuber",
                "kubern",
                "kuberne",
                "kubernet",
                "kubernete",
                "kubernetes",
                "kubernetesc",
                "kubernetescl"
            ]
        );
    }

    #[test]
    fn queries_split_by_script_and_know_the_partial_last_word() {
        let p = parse_query("Contoso 클라우드 secu");
        assert_eq!(
            p.words,
            [
                Word::Latin("contoso".into()),
                Word::Cjk("클라우드".chars().collect()),
                Word::Latin("secu".into())
            ]
        );
        assert!(p.last_is_partial);
        assert!(!parse_query("secu ").last_is_partial);
        assert!(parse_query("  ,, ").words.is_empty());
    }

    #[test]
    fn summaries_are_cut_with_an_ellipsis() {
        assert_eq!(summary("short"), "short");
        let long = "word ".repeat(100);
        let s = summary(&long);
        assert!(s.ends_with('…') && s.chars().count() <= 201, "{s}");
        let korean = "가".repeat(300);
        assert_eq!(summary(&korean).chars().count(), 201);
    }
}
