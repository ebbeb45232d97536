//! Accord's words in every language it speaks: Fluent message files per locale
//! (`locales/<locale>/*.ftl`: `ui` for pages, `errors` for every error code and input
//! rule, `names` for clouds, regions, roles, statuses and the like, `countries`, and
//! `email`), compiled into the binary. Every edge renders through here: the portals and
//! the API's problem details (`accord-web`), the e-mails (`accord-service`) and the
//! command line's messages (English).
//!
//! A message missing in one locale is a test failure (`tests` below, and the web crate's
//! template test), never a silent fallback in production: at run time a missing message
//! shows its id, which a test would have caught.

use std::collections::BTreeMap;
use std::sync::OnceLock;

pub use accord_domain::Locale;
use accord_domain::{AdminAsk, DirectoryRole, DomainError, PartnerType};
use chrono::{DateTime, Datelike, Timelike, Utc};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};

/// The message files of a locale, by name.
pub fn sources(locale: Locale) -> &'static [(&'static str, &'static str)] {
    match locale {
        Locale::En => &[
            ("ui", include_str!("../locales/en/ui.ftl")),
            ("errors", include_str!("../locales/en/errors.ftl")),
            ("names", include_str!("../locales/en/names.ftl")),
            ("countries", include_str!("../locales/en/countries.ftl")),
            ("email", include_str!("../locales/en/email.ftl")),
        ],
        Locale::Ko => &[
            ("ui", include_str!("../locales/ko/ui.ftl")),
            ("errors", include_str!("../locales/ko/errors.ftl")),
            ("names", include_str!("../locales/ko/names.ftl")),
            ("countries", include_str!("../locales/ko/countries.ftl")),
            ("email", include_str!("../locales/ko/email.ftl")),
        ],
    }
}

type Bundle = FluentBundle<FluentResource>;

fn bundle(locale: Locale) -> &'static Bundle {
    static BUNDLES: OnceLock<BTreeMap<Locale, Bundle>> = OnceLock::new();
    let all = BUNDLES.get_or_init(|| {
        Locale::ALL
            .into_iter()
            .map(|l| {
                let lang = l.as_str().parse().unwrap_or_default();
                let mut b = FluentBundle::new_concurrent(vec![lang]);
                // Plain text and HTML-escaped pages: no bidi isolation marks.
                b.set_use_isolating(false);
                for (_, src) in sources(l) {
                    // A file that does not parse fails the tests; its good messages
                    // still serve.
                    let res =
                        FluentResource::try_new((*src).to_string()).unwrap_or_else(|(r, _)| r);
                    let _ = b.add_resource(res);
                }
                (l, b)
            })
            .collect()
    });
    &all[&locale]
}

fn fluent_args<'a>(args: &'a [(&'a str, &'a str)]) -> FluentArgs<'a> {
    let mut f = FluentArgs::new();
    for (k, v) in args {
        // Numbers as numbers, so plural and exact selectors work.
        match v.parse::<i64>() {
            Ok(n) if !(v.starts_with('+') || v.starts_with('0') && v.len() > 1) => f.set(*k, n),
            _ => f.set(*k, *v),
        }
    }
    f
}

/// A message (`attr`: one of its attributes), or why it cannot be formatted.
pub fn try_message(
    locale: Locale,
    id: &str,
    attr: Option<&str>,
    args: &[(&str, &str)],
) -> Result<String, String> {
    let b = bundle(locale);
    let msg = b
        .get_message(id)
        .ok_or_else(|| format!("no message {id} in {locale}"))?;
    let pattern = match attr {
        None => msg
            .value()
            .ok_or_else(|| format!("message {id} in {locale} has no value"))?,
        Some(a) => msg
            .get_attribute(a)
            .ok_or_else(|| format!("message {id} in {locale} has no .{a}"))?
            .value(),
    };
    let fargs = fluent_args(args);
    let mut errors = Vec::new();
    let text = b
        .format_pattern(pattern, Some(&fargs), &mut errors)
        .into_owned();
    match errors.first() {
        Some(e) => Err(format!("message {id} in {locale}: {e}")),
        None => Ok(text),
    }
}

/// A message with arguments; its id if it is missing (tests make sure none is).
pub fn text_with(locale: Locale, id: &str, args: &[(&str, &str)]) -> String {
    try_message(locale, id, None, args).unwrap_or_else(|_| id.to_string())
}

/// A message without arguments.
pub fn text(locale: Locale, id: &str) -> String {
    text_with(locale, id, &[])
}

/// Whether a message exists in a locale.
pub fn has(locale: Locale, id: &str) -> bool {
    bundle(locale).has_message(id)
}

/// The name of a code of some kind (`cloud`, `region`, `role`, `type`, `status`, `grant`,
/// `country`, `what`, `field`) in a locale; the code itself when it has none.
pub fn name(locale: Locale, kind: &str, code: &str) -> String {
    // Dotted codes (`license.assigned`) name `kind-license-assigned`.
    let key = code
        .trim()
        .to_ascii_lowercase()
        .replace([' ', '-'], "_")
        .replace('.', "-");
    let id = format!("{kind}-{key}");
    if has(locale, &id) {
        text(locale, &id)
    } else {
        code.to_string()
    }
}

/// Every country code that has a name (upper case), in the order of the message file.
pub fn country_codes() -> Vec<String> {
    include_str!("../locales/en/countries.ftl")
        .lines()
        .filter_map(|l| l.strip_prefix("country-"))
        .filter_map(|l| l.split_once(" = "))
        .map(|(code, _)| code.to_ascii_uppercase())
        .filter(|c| c.len() == 2)
        .collect()
}

/// A country by name (`KR` → "South Korea" / "대한민국").
pub fn country(locale: Locale, code: &str) -> String {
    name(locale, "country", code)
}

/// What an error argument names, by its name.
fn named_arg(locale: Locale, arg: &str, value: &str) -> String {
    let kind = match arg {
        "cloud" | "partner_cloud" | "customer_cloud" => "cloud",
        "status" => "status",
        "from" | "to" => "sr-status",
        "app_from" | "app_to" => "app-status",
        "partner_region" | "customer_region" => "region",
        "partner_country" | "customer_country" => "country",
        "what" => "what",
        "partner_type" => "type",
        "field" => "field",
        "capability" => "capability",
        "role" => "role",
        "needed" => {
            return value
                .split(',')
                .map(|r| name(locale, "role", r.trim()))
                .collect::<Vec<_>>()
                .join(", ");
        }
        _ => return value.to_string(),
    };
    name(locale, kind, value)
}

/// What a person reads about an error: what happened and what to do.
pub fn error_detail(locale: Locale, e: &DomainError) -> String {
    let args: Vec<(&str, String)> = e
        .args()
        .into_iter()
        .map(|(k, v)| (k, named_arg(locale, k, &v)))
        .collect();
    let borrowed: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    text_with(locale, &e.message_id(), &borrowed)
}

/// The short title of an error's class.
pub fn error_title(locale: Locale, e: &DomainError) -> String {
    use accord_domain::ErrorKind::*;
    let id = match e.kind() {
        Invalid => "problem-invalid",
        Unauthenticated => "problem-unauthenticated",
        Forbidden => "problem-forbidden",
        NotFound => "problem-not_found",
        Conflict => "problem-conflict",
        Gone => "problem-gone",
        Throttled => "problem-throttled",
    };
    text(locale, id)
}

/// Partner types as one phrase: "Reseller & delegated admin" / "재판매인 및 위임된 관리자".
pub fn types(locale: Locale, types: &[PartnerType]) -> String {
    let mut sorted = types.to_vec();
    sorted.sort();
    sorted.dedup();
    if sorted == [PartnerType::Reseller, PartnerType::DelegatedAdmin] {
        return text(locale, "type-reseller_delegated_admin");
    }
    if sorted.is_empty() {
        return text(locale, "word-none");
    }
    sorted
        .iter()
        .map(|t| name(locale, "type", t.as_str()))
        .collect::<Vec<_>>()
        .join(&text(locale, "types-joiner"))
}

/// Directory roles as a list; "None" when there are none.
pub fn roles(locale: Locale, roles: &[DirectoryRole]) -> String {
    if roles.is_empty() {
        return text(locale, "word-none");
    }
    roles
        .iter()
        .map(|r| name(locale, "role", r.as_str()))
        .collect::<Vec<_>>()
        .join(&text(locale, "list-joiner"))
}

/// What a request asks for in admin privileges, as a phrase.
pub fn ask(locale: Locale, ask: &AdminAsk) -> String {
    match ask {
        AdminAsk::None => text(locale, "ask-none"),
        AdminAsk::Legacy => text(locale, "ask-legacy"),
        AdminAsk::Granular {
            roles: r,
            duration_days,
            auto_extend,
        } => text_with(
            locale,
            "ask-granular",
            &[
                ("roles", &roles(locale, r)),
                ("days", &duration_days.to_string()),
                ("auto_extend", if *auto_extend { "yes" } else { "no" }),
            ],
        ),
    }
}

/// The partner's draft invitation e-mail: (subject, body).
pub fn draft_invitation(
    locale: Locale,
    partner: &str,
    portal: &str,
    link: &str,
    request: &AdminAsk,
    expires: DateTime<Utc>,
) -> (String, String) {
    let admin = if request.includes_admin() {
        text_with(
            locale,
            "draft-invitation-admin",
            &[
                ("ask", &ask(locale, request)),
                ("portal", portal),
                ("partner", partner),
            ],
        ) + "\n\n"
    } else {
        String::new()
    };
    let args = [
        ("partner", partner),
        ("portal", portal),
        ("link", link),
        ("admin", admin.as_str()),
        ("expires", &datetime(locale, expires)),
    ];
    let subject = text_with(locale, "draft-invitation", &args);
    let body = try_message(locale, "draft-invitation", Some("body"), &args).unwrap_or_else(|e| e);
    (subject, body.trim().to_string() + "\n")
}

/// A rendered e-mail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email {
    pub subject: String,
    pub body: String,
}

/// The e-mail templates and the arguments each uses.
pub const EMAILS: &[(&str, &[&str])] = &[
    (
        "draft-invitation",
        &["partner", "portal", "link", "admin", "expires"],
    ),
    (
        "signup-confirm",
        &["name", "org", "domain", "portal", "partner", "link"],
    ),
    ("signup-account-exists", &["partner", "portal", "link"]),
    (
        "lead-received",
        &["partner", "name", "organisation", "link"],
    ),
    (
        "signup-domain-taken",
        &["name", "org", "domain", "portal", "partner"],
    ),
];

/// Renders e-mail `id` (subject: the message's value; body: its `.body`). Fails when the
/// template is missing or an argument it needs is not given.
pub fn email(locale: Locale, id: &str, args: &BTreeMap<String, String>) -> Result<Email, String> {
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let subject = try_message(locale, id, None, &args)?;
    let body = try_message(locale, id, Some("body"), &args)?;
    Ok(Email {
        subject,
        body: body.trim().to_string() + "\n",
    })
}

/// A date as the locale writes it: `24 Nov 2026` / `2026년 11월 24일`.
pub fn date(locale: Locale, t: DateTime<Utc>) -> String {
    match locale {
        Locale::En => t.format("%-d %b %Y").to_string(),
        Locale::Ko => format!("{}년 {}월 {}일", t.year(), t.month(), t.day()),
    }
}

/// A time with its zone named: `24 Nov 2026, 09:12 UTC` / `2026년 11월 24일 09:12 (UTC)`.
pub fn datetime(locale: Locale, t: DateTime<Utc>) -> String {
    match locale {
        Locale::En => format!("{}, {:02}:{:02} UTC", date(locale, t), t.hour(), t.minute()),
        Locale::Ko => format!(
            "{} {:02}:{:02} (UTC)",
            date(locale, t),
            t.hour(),
            t.minute()
        ),
    }
}

/// A whole number with the locale's digit grouping (both use `1,234`).
pub fn number(_locale: Locale, n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

    use super::*;

    /// A message defined twice shadows the second (Fluent keeps the first), so a page
    /// would silently show another page's words.
    #[test]
    fn no_message_is_defined_twice() {
        for locale in [Locale::En, Locale::Ko] {
            let mut seen = std::collections::BTreeSet::new();
            for (file, src) in sources(locale) {
                let res = FluentResource::try_new(src.to_string()).expect("message file parses");
                for e in res.entries() {
                    if let fluent_syntax::ast::Entry::Message(m) = e {
                        assert!(
                            seen.insert(m.id.name.to_string()),
                            "{locale:?} {file}: {} is defined twice",
                            m.id.name
                        );
                    }
                }
            }
        }
    }

    fn ids(src: &str) -> Vec<(String, Vec<String>)> {
        let res = FluentResource::try_new(src.to_string()).expect("message file parses");
        let mut v: Vec<(String, Vec<String>)> = res
            .entries()
            .filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => Some((
                    m.id.name.to_string(),
                    m.attributes.iter().map(|a| a.id.name.to_string()).collect(),
                )),
                _ => None,
            })
            .collect();
        v.sort();
        v
    }

    #[test]
    fn every_file_parses_and_both_locales_have_the_same_messages() {
        let en = sources(Locale::En);
        for l in Locale::ALL {
            let other = sources(l);
            assert_eq!(other.len(), en.len());
            for ((name, src), (en_name, en_src)) in other.iter().zip(en) {
                assert_eq!(name, en_name);
                assert_eq!(
                    ids(src),
                    ids(en_src),
                    "{l}/{name}.ftl has exactly the messages and attributes of en/{name}.ftl"
                );
            }
        }
    }

    #[test]
    fn every_error_is_worded_in_every_locale() {
        for l in Locale::ALL {
            for e in DomainError::samples() {
                let id = e.message_id();
                let args: Vec<(&str, String)> = e.args();
                let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
                let text = try_message(l, &id, None, &args).unwrap_or_else(|err| panic!("{err}"));
                assert!(!text.contains('{'), "{id} in {l}: {text}");
                assert_ne!(error_title(l, &e), "", "{id}");
            }
            assert!(has(l, "error-internal_error"));
        }
    }

    #[test]
    fn codes_are_named_in_words() {
        let e = DomainError::RegionMismatch {
            partner_country: "KR".into(),
            partner_region: "asia_pacific".into(),
            customer_country: "US".into(),
            customer_region: "north_america".into(),
        };
        let en = error_detail(Locale::En, &e);
        assert!(
            en.contains("South Korea (Asia Pacific)")
                && en.contains("United States (North America)"),
            "{en}"
        );
        let ko = error_detail(Locale::Ko, &e);
        assert!(
            ko.contains("대한민국(아시아 태평양)") && ko.contains("미국(북미)"),
            "{ko}"
        );
        let cloud = DomainError::AdminOptionRequiredInCloud {
            cloud: "usgov".into(),
        };
        assert!(error_detail(Locale::En, &cloud).contains("US Government cloud"));
        assert!(error_detail(Locale::Ko, &cloud).contains("미국 정부 클라우드"));
        let wait = |s| {
            error_detail(
                Locale::En,
                &DomainError::TooManyAttempts {
                    retry_after_secs: s,
                },
            )
        };
        assert!(wait(1).contains("Wait a second,"), "{}", wait(1));
        assert!(wait(45).contains("Wait 45 seconds,"));
        assert!(wait(900).contains("Wait about 15 minutes,"));
        assert!(error_detail(
            Locale::Ko,
            &DomainError::TooManyAttempts {
                retry_after_secs: 900
            }
        )
        .contains("약 15분"));
        assert_eq!(country(Locale::Ko, "kr"), "대한민국");
        assert_eq!(
            name(Locale::En, "cloud", "mars"),
            "mars",
            "unknown codes show as given"
        );
    }

    #[test]
    fn every_email_renders_with_its_arguments_and_fails_without() {
        for (id, names) in EMAILS {
            let args: BTreeMap<String, String> = names
                .iter()
                .map(|n| (n.to_string(), format!("<{n}>")))
                .collect();
            for l in Locale::ALL {
                let m = email(l, id, &args).unwrap();
                for n in *names {
                    assert!(
                        m.subject.contains(&format!("<{n}>")) || m.body.contains(&format!("<{n}>")),
                        "{id} in {l} uses {n}"
                    );
                }
                let mut fewer = args.clone();
                fewer.remove(names[0]);
                assert!(email(l, id, &fewer).is_err());
            }
        }
    }

    #[test]
    fn the_draft_invitation_reads_well_in_both_languages() {
        let exp = DateTime::from_timestamp(1_795_511_520, 0).unwrap();
        let ask = AdminAsk::Granular {
            roles: vec![DirectoryRole::UserAdmin, DirectoryRole::HelpdeskAdmin],
            duration_days: 90,
            auto_extend: true,
        };
        let (s, b) = draft_invitation(
            Locale::En,
            "Contoso",
            "Admin Center",
            "https://l",
            &ask,
            exp,
        );
        assert_eq!(s, "Contoso invites you to a reseller relationship");
        assert!(
            b.contains(
                "User admin, Helpdesk admin for 90 days, extended automatically by 180 days"
            ),
            "{b}"
        );
        assert!(
            b.contains("\n\nhttps://l\n\n") && b.contains("24 Nov 2026, 09:12 UTC"),
            "{b}"
        );
        let (s, b) = draft_invitation(
            Locale::Ko,
            "Contoso",
            "관리 센터",
            "https://l",
            &AdminAsk::None,
            exp,
        );
        assert!(s.contains("재판매인 관계"));
        assert!(
            !b.contains("위임된 관리자 권한") && b.contains("2026년 11월 24일"),
            "{b}"
        );
        assert!(!b.contains("\n\n\n"), "no empty paragraph: {b}");
        assert_eq!(
            types(
                Locale::Ko,
                &[PartnerType::DelegatedAdmin, PartnerType::Reseller]
            ),
            "재판매인 및 위임된 관리자"
        );
        assert_eq!(types(Locale::En, &[PartnerType::Reseller]), "Reseller");
        assert_eq!(roles(Locale::Ko, &[]), "없음");
    }

    #[test]
    fn dates_and_numbers_read_as_the_locale_writes_them() {
        let t = DateTime::from_timestamp(1_795_511_520, 0).unwrap(); // 2026-11-24 09:12 UTC
        assert_eq!(datetime(Locale::En, t), "24 Nov 2026, 09:12 UTC");
        assert_eq!(datetime(Locale::Ko, t), "2026년 11월 24일 09:12 (UTC)");
        assert_eq!(number(Locale::En, 1_234_567), "1,234,567");
        assert_eq!(number(Locale::Ko, -1000), "-1,000");
    }
}
