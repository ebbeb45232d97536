//! A bit set over the documents of one segment: the currency of a search (the documents of
//! a filter value, of a word, of the query), combined a word at a time.
//!
//! A summary keeps one bit per 64-document word (set when the word may be non-zero), so
//! that counting, iterating and clearing a sparse set (a rare word's documents) touches its
//! few words rather than the whole segment.

use tantivy::DocId;

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Bits {
    words: Vec<u64>,
    /// Bit `i` set if `words[i]` may be non-zero (never clear while it is non-zero).
    summary: Vec<u64>,
}

impl Bits {
    /// An empty set for documents `0..max_doc`.
    pub fn new(max_doc: u32) -> Self {
        let words = (max_doc as usize).div_ceil(64);
        Bits {
            words: vec![0; words],
            summary: vec![0; words.div_ceil(64)],
        }
    }

    #[inline]
    fn mark(&mut self, word: usize) {
        if let Some(s) = self.summary.get_mut(word / 64) {
            *s |= 1 << (word % 64);
        }
    }

    #[inline]
    pub fn insert(&mut self, doc: DocId) {
        let i = (doc / 64) as usize;
        if let Some(w) = self.words.get_mut(i) {
            *w |= 1 << (doc % 64);
            self.mark(i);
        }
    }

    #[inline]
    pub fn contains(&self, doc: DocId) -> bool {
        self.words
            .get((doc / 64) as usize)
            .is_some_and(|w| w >> (doc % 64) & 1 == 1)
    }

    /// Inserts `doc`; true if it was not there yet.
    #[inline]
    pub fn insert_new(&mut self, doc: DocId) -> bool {
        let i = (doc / 64) as usize;
        let new = match self.words.get_mut(i) {
            Some(w) => {
                let bit = 1 << (doc % 64);
                let new = *w & bit == 0;
                *w |= bit;
                new
            }
            None => false,
        };
        if new {
            self.mark(i);
        }
        new
    }

    /// Calls `f` with the index of each word that may be non-zero.
    #[inline]
    fn for_each_marked(summary: &[u64], mut f: impl FnMut(usize)) {
        for (j, &s) in summary.iter().enumerate() {
            let mut s = s;
            while s != 0 {
                f(j * 64 + s.trailing_zeros() as usize);
                s &= s - 1;
            }
        }
    }

    pub fn and_with(&mut self, other: &Bits) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= *b;
        }
        for (a, b) in self.summary.iter_mut().zip(&other.summary) {
            *a &= *b;
        }
    }

    pub fn or_with(&mut self, other: &Bits) {
        let (words, summary) = (&mut self.words, &mut self.summary);
        Self::for_each_marked(&other.summary, |i| {
            if let (Some(a), Some(b)) = (words.get_mut(i), other.words.get(i)) {
                *a |= *b;
            }
        });
        for (a, b) in summary.iter_mut().zip(&other.summary) {
            *a |= *b;
        }
    }

    /// The `i`-th 64-document word (0 beyond the set).
    #[inline]
    pub fn word(&self, i: usize) -> u64 {
        self.words.get(i).copied().unwrap_or(0)
    }

    pub fn words(&self) -> &[u64] {
        &self.words
    }

    pub fn clear(&mut self) {
        let words = &mut self.words;
        Self::for_each_marked(&self.summary, |i| {
            if let Some(w) = words.get_mut(i) {
                *w = 0;
            }
        });
        self.summary.fill(0);
    }

    pub fn count(&self) -> u64 {
        let mut n = 0;
        Self::for_each_marked(&self.summary, |i| {
            n += u64::from(self.word(i).count_ones());
        });
        n
    }

    /// Documents in both sets.
    #[cfg(test)]
    pub fn count_and(&self, other: &Bits) -> u64 {
        self.words
            .iter()
            .zip(&other.words)
            .map(|(a, b)| u64::from((a & b).count_ones()))
            .sum()
    }

    /// Calls `f` with the documents of the set in increasing order, up to 64 at a time.
    #[inline]
    pub fn for_each_chunk(&self, mut f: impl FnMut(&[DocId])) {
        let mut buf = [0 as DocId; 64];
        Self::for_each_marked(&self.summary, |i| {
            let word = self.word(i);
            if word == 0 {
                return;
            }
            let base = (i * 64) as DocId;
            let mut w = word;
            let mut n = 0;
            while w != 0 {
                if let Some(slot) = buf.get_mut(n) {
                    *slot = base + w.trailing_zeros();
                }
                n += 1;
                w &= w - 1;
            }
            f(&buf[..n.min(64)]);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_combine_and_iterate_in_order() {
        let mut a = Bits::new(200);
        let mut b = Bits::new(200);
        for d in [0, 5, 63, 64, 130, 199] {
            a.insert(d);
        }
        for d in [5, 64, 150] {
            b.insert(d);
        }
        assert!(a.contains(63) && !a.contains(62));
        assert_eq!(a.count_and(&b), 2);
        let mut both = a.clone();
        both.and_with(&b);
        let mut seen = Vec::new();
        both.for_each_chunk(|docs| seen.extend_from_slice(docs));
        assert_eq!(seen, [5, 64]);
        a.or_with(&b);
        assert_eq!(a.count(), 7);
        assert!(!a.insert_new(150) && a.insert_new(151));
        a.insert(10_000); // beyond the set: ignored
        assert_eq!(a.count(), 8);
        // Sparse sets over many words: the summary finds them, clearing forgets them.
        let mut s = Bits::new(1_000_000);
        for d in [3, 70_000, 999_999] {
            s.insert(d);
        }
        let mut seen = Vec::new();
        s.for_each_chunk(|docs| seen.extend_from_slice(docs));
        assert_eq!(seen, [3, 70_000, 999_999]);
        let mut wide = Bits::new(1_000_000);
        wide.insert(500_000);
        wide.or_with(&s);
        assert_eq!(wide.count(), 4);
        wide.and_with(&s);
        assert_eq!(wide.count(), 3);
        s.clear();
        assert_eq!(s.count(), 0);
        assert!(!s.contains(70_000));
    }
}
