//! E-mails rendered per locale from Fluent message files (`crates/service/locales/`): each
//! message's value is the subject and its `.body` attribute the plain-text body.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use accord_domain::Locale;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};

const EN: &str = include_str!("../../locales/en/email.ftl");
const KO: &str = include_str!("../../locales/ko/email.ftl");

/// An e-mail ready to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderedEmail {
    pub subject: String,
    pub body: String,
}

fn source(locale: Locale) -> &'static str {
    match locale {
        Locale::En => EN,
        Locale::Ko => KO,
    }
}

fn bundle(locale: Locale) -> &'static FluentBundle<FluentResource> {
    static BUNDLES: OnceLock<BTreeMap<Locale, FluentBundle<FluentResource>>> = OnceLock::new();
    let all = BUNDLES.get_or_init(|| {
        Locale::ALL
            .into_iter()
            .map(|l| {
                let lang = l
                    .as_str()
                    .parse()
                    .unwrap_or_else(|_| unic_langid::LanguageIdentifier::default());
                let mut b = FluentBundle::new_concurrent(vec![lang]);
                // Plain text: no bidi isolation marks around values.
                b.set_use_isolating(false);
                // A message file that does not parse is caught by the tests below; a
                // partial resource still serves its good messages.
                let res = FluentResource::try_new(source(l).to_string()).unwrap_or_else(|(r, _)| r);
                let _ = b.add_resource(res);
                (l, b)
            })
            .collect()
    });
    &all[&locale]
}

/// Renders template `id` in `locale` with `args`. Fails when the template or its body is
/// missing or an argument it needs is not given.
pub fn render(
    locale: Locale,
    id: &str,
    args: &BTreeMap<String, String>,
) -> Result<RenderedEmail, String> {
    let b = bundle(locale);
    let msg = b
        .get_message(id)
        .ok_or_else(|| format!("no e-mail template {id} in {locale}"))?;
    let mut fargs = FluentArgs::new();
    for (k, v) in args {
        fargs.set(k.as_str(), v.as_str());
    }
    let mut errors = Vec::new();
    let subject = msg
        .value()
        .map(|p| b.format_pattern(p, Some(&fargs), &mut errors).into_owned())
        .ok_or_else(|| format!("e-mail template {id} in {locale} has no subject"))?;
    let body = msg
        .get_attribute("body")
        .map(|a| {
            b.format_pattern(a.value(), Some(&fargs), &mut errors)
                .into_owned()
        })
        .ok_or_else(|| format!("e-mail template {id} in {locale} has no body"))?;
    if let Some(e) = errors.first() {
        return Err(format!("e-mail template {id} in {locale}: {e}"));
    }
    Ok(RenderedEmail {
        subject,
        body: body.trim().to_string() + "\n",
    })
}

/// The templates and the arguments each uses (for tests and previews).
pub const TEMPLATES: &[(&str, &[&str])] = &[
    (
        "signup-confirm",
        &["name", "org", "domain", "portal", "partner", "link"],
    ),
    ("signup-account-exists", &["partner", "portal", "link"]),
    (
        "signup-domain-taken",
        &["name", "org", "domain", "portal", "partner"],
    ),
];

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

    use super::*;

    fn ids(src: &str) -> Vec<String> {
        let res = FluentResource::try_new(src.to_string()).expect("message file parses");
        let mut v: Vec<String> = res
            .entries()
            .filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                _ => None,
            })
            .collect();
        v.sort();
        v
    }

    #[test]
    fn every_template_exists_in_every_locale_and_renders() {
        let en = ids(EN);
        for l in Locale::ALL {
            assert_eq!(ids(source(l)), en, "{l} has the same e-mails as en");
        }
        let mut listed: Vec<String> = TEMPLATES.iter().map(|(id, _)| id.to_string()).collect();
        listed.sort();
        assert_eq!(listed, en, "TEMPLATES lists every e-mail");
        for (id, names) in TEMPLATES {
            let args: BTreeMap<String, String> = names
                .iter()
                .map(|n| (n.to_string(), format!("<{n}>")))
                .collect();
            for l in Locale::ALL {
                let m = render(l, id, &args).unwrap();
                for n in *names {
                    assert!(
                        m.subject.contains(&format!("<{n}>")) || m.body.contains(&format!("<{n}>")),
                        "{id} in {l} uses {n}"
                    );
                }
                assert!(
                    !m.body.contains('{'),
                    "{id} in {l} has no unfilled placeable"
                );
                // A missing argument is an error, not a silent "{$x}".
                let mut fewer = args.clone();
                fewer.remove(names[0]);
                assert!(render(l, id, &fewer).is_err());
            }
        }
    }

    #[test]
    fn korean_reads_as_korean() {
        let args: BTreeMap<String, String> = [
            ("partner", "Contoso"),
            ("portal", "관리 센터"),
            ("link", "https://x"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let m = render(Locale::Ko, "signup-account-exists", &args).unwrap();
        assert!(m.body.contains("초대"));
        assert!(m.subject.contains("계정"));
    }
}
