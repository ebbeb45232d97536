//! A dense bit set over the documents of one segment: the currency of a search (the
//! documents of a filter value, of a word, of the query), combined a word at a time.

use tantivy::DocId;

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Bits {
    words: Vec<u64>,
}

impl Bits {
    /// An empty set for documents `0..max_doc`.
    pub fn new(max_doc: u32) -> Self {
        Bits {
            words: vec![0; (max_doc as usize).div_ceil(64)],
        }
    }

    #[inline]
    pub fn insert(&mut self, doc: DocId) {
        if let Some(w) = self.words.get_mut((doc / 64) as usize) {
            *w |= 1 << (doc % 64);
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
        match self.words.get_mut((doc / 64) as usize) {
            Some(w) => {
                let bit = 1 << (doc % 64);
                let new = *w & bit == 0;
                *w |= bit;
                new
            }
            None => false,
        }
    }

    pub fn and_with(&mut self, other: &Bits) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= *b;
        }
    }

    pub fn or_with(&mut self, other: &Bits) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
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
        self.words.fill(0);
    }

    pub fn count(&self) -> u64 {
        self.words.iter().map(|w| u64::from(w.count_ones())).sum()
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
        for (i, &word) in self.words.iter().enumerate() {
            if word == 0 {
                continue;
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
        }
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
    }
}
