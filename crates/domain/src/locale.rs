//! The languages Accord speaks.

use std::fmt;
use std::str::FromStr;

/// A language of the product's pages, messages and e-mails.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Locale {
    #[default]
    En,
    Ko,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::En, Locale::Ko];

    /// The BCP 47 tag.
    pub fn as_str(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Ko => "ko",
        }
    }

    /// The first supported language of an `Accept-Language` header, by quality; `None`
    /// when it names none.
    pub fn from_accept_language(header: &str) -> Option<Locale> {
        let mut best: Option<(u16, usize, Locale)> = None;
        for (i, part) in header.split(',').enumerate().take(32) {
            let mut fields = part.split(';');
            let tag = fields.next().unwrap_or_default().trim();
            let q = fields
                .find_map(|f| f.trim().strip_prefix("q="))
                .map_or(Some(1000), |q| {
                    q.trim()
                        .parse::<f32>()
                        .ok()
                        .filter(|q| (0.0..=1.0).contains(q))
                        .map(|q| (q * 1000.0).round() as u16)
                });
            let (Some(q), Ok(locale)) = (q, tag.parse::<Locale>()) else {
                continue;
            };
            if q == 0 {
                continue;
            }
            // Higher quality wins; on a tie, the earlier entry.
            if best.is_none_or(|(bq, bi, _)| q > bq || (q == bq && i < bi)) {
                best = Some((q, i, locale));
            }
        }
        best.map(|(_, _, l)| l)
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Locale {
    type Err = ();

    /// `en`, `en-GB`, `ko`, `ko-KR`… (the primary language decides).
    fn from_str(s: &str) -> Result<Self, ()> {
        let primary = s.split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("en") {
            Ok(Locale::En)
        } else if primary.eq_ignore_ascii_case("ko") {
            Ok(Locale::Ko)
        } else {
            Err(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_best_supported() {
        let pick = Locale::from_accept_language;
        assert_eq!(pick("ko-KR,ko;q=0.9,en-US;q=0.8"), Some(Locale::Ko));
        assert_eq!(pick("fr-FR, en;q=0.5, ko;q=0.7"), Some(Locale::Ko));
        assert_eq!(pick("en-GB"), Some(Locale::En));
        assert_eq!(pick("ko;q=0, en;q=0.1"), Some(Locale::En));
        assert_eq!(pick("de, fr"), None);
        assert_eq!(pick("ko;q=abc"), None);
        assert_eq!(pick(""), None);
        assert_eq!("KO".parse::<Locale>(), Ok(Locale::Ko));
    }
}
