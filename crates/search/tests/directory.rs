//! The directory index on a small fixed corpus of English and Korean profiles: ranking,
//! typos, prefixes, Korean partial words, filters, facets, clouds, updates, pages, the
//! relaxed fallback, and the index on disk (stale schema, stamp after reopen).
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

use std::collections::BTreeSet;

use accord_domain::{
    Cloud, CountryCode, Industry, Language, OrgSize, PartnerProfile, PartnerType, Service,
};
use accord_search::{
    DirectoryIndex, DirectoryPage, DirectoryQuery, FacetCount, Match, ProfileDoc, SearchError,
};
use uuid::Uuid;

struct P {
    n: u128,
    name: &'static str,
    country: &'static str,
    city: &'static str,
    cloud: Cloud,
    description: &'static str,
    services: &'static [Service],
    industries: &'static [Industry],
    types: &'static [PartnerType],
    languages: &'static [Language],
    sizes: &'static [OrgSize],
    keywords: &'static [&'static str],
}

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn doc(p: &P) -> ProfileDoc {
    ProfileDoc {
        partner_id: id(p.n),
        cloud: p.cloud,
        profile: PartnerProfile {
            name: p.name.into(),
            description: p.description.into(),
            country: CountryCode::parse(p.country).unwrap(),
            city: p.city.into(),
            org_sizes: p.sizes.to_vec(),
            services: p.services.to_vec(),
            keywords: p.keywords.iter().map(|k| k.to_string()).collect(),
            industries: p.industries.to_vec(),
            types: p.types.to_vec(),
            contact_email: format!("p{}@example.com", p.n),
            languages: p.languages.to_vec(),
            published: true,
        },
    }
}

use Industry as I;
use Language as L;
use OrgSize as O;
use PartnerType as T;
use Service as S;

const PUBLIC: Cloud = Cloud::Public;

fn corpus() -> Vec<P> {
    vec![
        P {
            n: 1,
            name: "Contoso Security",
            country: "US",
            city: "New York",
            cloud: PUBLIC,
            description: "Managed security operations and identity protection for retail chains.",
            services: &[S::Security, S::Identity],
            industries: &[I::Retail],
            types: &[T::Reseller],
            languages: &[L::En],
            sizes: &[O::Small, O::Medium],
            keywords: &["sentinel", "defender"],
        },
        P {
            n: 2,
            name: "Northwind Traders IT",
            country: "US",
            city: "Seattle",
            cloud: PUBLIC,
            description: "Licensing and cloud migration for manufacturers.",
            services: &[S::CloudMigration, S::Licensing],
            industries: &[I::Manufacturing],
            types: &[T::Reseller, T::DelegatedAdmin],
            languages: &[L::En, L::Es],
            sizes: &[O::Micro],
            keywords: &["azure", "intune"],
        },
        P {
            n: 3,
            name: "Fabrikam Data",
            country: "GB",
            city: "London",
            cloud: PUBLIC,
            description:
                "Data analytics partner. We often team up with Northwind on analytics projects.",
            services: &[S::DataAnalytics],
            industries: &[I::Finance],
            types: &[T::Partner],
            languages: &[L::En],
            sizes: &[O::Large],
            keywords: &["power-bi", "fabric"],
        },
        P {
            n: 4,
            name: "Adatum Networks",
            country: "DE",
            city: "München",
            cloud: PUBLIC,
            description: "Networking and security for the German Mittelstand.",
            services: &[S::Security, S::Networking],
            industries: &[I::Manufacturing],
            types: &[T::Reseller],
            languages: &[L::En, L::De],
            sizes: &[O::Medium],
            keywords: &["sd-wan"],
        },
        P {
            n: 5,
            name: "한빛클라우드",
            country: "KR",
            city: "서울특별시",
            cloud: PUBLIC,
            description: "클라우드이전전문 기업으로 Azure 도입을 지원합니다.",
            services: &[S::CloudMigration],
            industries: &[I::Retail],
            types: &[T::Reseller, T::DelegatedAdmin],
            languages: &[L::Ko],
            sizes: &[O::Small],
            keywords: &["azure"],
        },
        P {
            n: 6,
            name: "미래정보기술",
            country: "KR",
            city: "부산",
            cloud: PUBLIC,
            description: "정보보안 컨설팅과 기술지원을 제공합니다.",
            services: &[S::Security, S::Support],
            industries: &[I::Finance],
            types: &[T::Reseller],
            languages: &[L::Ko, L::En],
            sizes: &[O::Micro, O::Small],
            keywords: &["m365"],
        },
        P {
            n: 7,
            name: "Contoso Partners Korea",
            country: "KR",
            city: "Seoul",
            cloud: PUBLIC,
            description: "Microsoft 365 licensing and security for Korean SMBs. 서울 고객 지원.",
            services: &[S::Security, S::Licensing],
            industries: &[],
            types: &[T::Reseller, T::DelegatedAdmin, T::Partner],
            languages: &[L::Ko, L::En],
            sizes: &[O::Small],
            keywords: &["m365", "teams"],
        },
        P {
            n: 8,
            name: "Litware Learning",
            country: "FR",
            city: "Paris",
            cloud: PUBLIC,
            description: "Training and adoption programmes for schools.",
            services: &[S::Training],
            industries: &[I::Education],
            types: &[T::Partner],
            languages: &[L::En, L::Fr],
            sizes: &[O::Micro],
            keywords: &["teams"],
        },
        P {
            n: 9,
            name: "Woodgrove Secure",
            country: "JP",
            city: "Tokyo",
            cloud: PUBLIC,
            description: "Assessments for banks and hospitals; protecting identities with Entra.",
            services: &[S::Security, S::Identity],
            industries: &[I::Finance, I::Healthcare],
            types: &[T::Admin],
            languages: &[L::En, L::Ja],
            sizes: &[O::Enterprise],
            keywords: &["entra"],
        },
        P {
            n: 10,
            name: "Tailspin Backup",
            country: "AU",
            city: "Sydney",
            cloud: PUBLIC,
            description: "Backup and disaster recovery. Formerly known as Contosa Backup.",
            services: &[S::Backup],
            industries: &[],
            types: &[T::Reseller],
            languages: &[L::En],
            sizes: &[O::Small],
            keywords: &["site-recovery"],
        },
        P {
            n: 11,
            name: "Proseware Gov",
            country: "US",
            city: "Washington",
            cloud: Cloud::Usgov,
            description: "Security for government agencies.",
            services: &[S::Security],
            industries: &[I::PublicSector],
            types: &[T::Reseller],
            languages: &[L::En],
            sizes: &[O::Large],
            keywords: &["fedramp"],
        },
        P {
            n: 12,
            name: "Alpine Cloud",
            country: "CN",
            city: "Shanghai",
            cloud: Cloud::China,
            description: "云迁移 cloud migration services.",
            services: &[S::CloudMigration],
            industries: &[],
            types: &[T::Reseller],
            languages: &[L::Zh],
            sizes: &[O::Medium],
            keywords: &[],
        },
        P {
            n: 13,
            name: "Coho Managed",
            country: "US",
            city: "seattle",
            cloud: PUBLIC,
            description: "Managed services for hotels and resorts.",
            services: &[S::ManagedServices],
            industries: &[I::Hospitality],
            types: &[T::Reseller],
            languages: &[L::En],
            sizes: &[O::Small],
            keywords: &[],
        },
        P {
            n: 14,
            name: "Lucerne Devices",
            country: "GB",
            city: "London",
            cloud: PUBLIC,
            description: "Devices and endpoints: intune rollouts and autopilot.",
            services: &[S::Devices],
            industries: &[],
            types: &[T::Reseller, T::DelegatedAdmin],
            languages: &[L::En],
            sizes: &[O::Small, O::Medium],
            keywords: &["intune", "autopilot"],
        },
        P {
            n: 15,
            name: "VanArsdel Dev",
            country: "IN",
            city: "Bengaluru",
            cloud: PUBLIC,
            description: "Custom development on the Power Platform.",
            services: &[S::Development],
            industries: &[],
            types: &[T::Partner],
            languages: &[L::En, L::Hi],
            sizes: &[O::Medium],
            keywords: &["power-apps"],
        },
    ]
}

/// Partners of the public cloud.
const PUBLIC_IDS: [u128; 13] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 13, 14, 15];

fn index() -> DirectoryIndex {
    let ix = DirectoryIndex::in_ram().unwrap();
    let n = ix.rebuild(corpus().iter().map(doc), 1).unwrap();
    assert_eq!(n, 15);
    ix
}

fn q(text: &str) -> DirectoryQuery {
    let mut q = DirectoryQuery::new(PUBLIC);
    q.text = text.into();
    q
}

fn exact(text: &str) -> DirectoryQuery {
    let mut q = q(text);
    q.fuzzy = false;
    q
}

fn ids(page: &DirectoryPage) -> Vec<u128> {
    page.hits.iter().map(|h| h.partner_id.as_u128()).collect()
}

fn set(page: &DirectoryPage) -> BTreeSet<u128> {
    ids(page).into_iter().collect()
}

fn fc(list: &[(&str, u64)]) -> Vec<FacetCount> {
    list.iter()
        .map(|(v, c)| FacetCount {
            value: v.to_string(),
            count: *c,
        })
        .collect()
}

#[test]
fn a_name_match_ranks_above_a_description_match() {
    let ix = index();
    for fuzzy in [false, true] {
        let mut query = q("northwind");
        query.fuzzy = fuzzy;
        let page = ix.search(&query).unwrap();
        assert_eq!(ids(&page), [2, 3], "fuzzy {fuzzy}");
        assert_eq!(page.total, 2);
    }
    // Both in the name: the shorter name first (BM25 length normalisation).
    assert_eq!(ids(&ix.search(&exact("contoso")).unwrap()), [1, 7]);
    let hit = &ix.search(&exact("contoso korea")).unwrap().hits[0];
    assert_eq!(hit.partner_id, id(7));
    assert_eq!(hit.name, "Contoso Partners Korea");
    assert_eq!(hit.country, "KR");
    assert_eq!(hit.city, "Seoul");
    assert_eq!(hit.org_sizes, ["10-49"]);
    assert_eq!(hit.services, ["security", "licensing"]);
    assert_eq!(hit.types, ["reseller", "delegated_admin", "partner"]);
    assert_eq!(hit.languages, ["ko", "en"]);
    assert!(hit.industries.is_empty());
    assert!(hit.summary.starts_with("Microsoft 365 licensing"));
    assert!(hit.score > 0.0);
}

#[test]
fn typos_are_forgiven_and_exact_matches_rank_first() {
    let ix = index();
    let page = ix.search(&q("secruity")).unwrap();
    assert_eq!(ids(&page)[0], 1, "the partner with Security in its name");
    // Every public partner mentioning security (name, label or description).
    assert_eq!(set(&page), BTreeSet::from([1, 4, 6, 7, 9]));
    // "Contso" is one edit from "Contoso", two from "Contosa".
    let page = ix.search(&q("Contso")).unwrap();
    assert_eq!(ids(&page), [1, 7]);
    // Exact "contoso" (in names) above "Contosa" (one edit, in a description).
    assert_eq!(ids(&ix.search(&q("contoso")).unwrap()), [1, 7, 10]);
    // Without typo tolerance, only exact words.
    assert_eq!(ix.search(&exact("secruity")).unwrap().total, 0);
    assert_eq!(ids(&ix.search(&exact("contoso")).unwrap()), [1, 7]);
}

#[test]
fn the_last_word_is_also_a_prefix() {
    let ix = index();
    let page = ix.search(&q("secu")).unwrap();
    assert_eq!(ids(&page)[0], 1);
    assert_eq!(set(&page), BTreeSet::from([1, 4, 6, 7, 9]));
    let page = ix.search(&q("contos")).unwrap();
    assert_eq!(set(&page), BTreeSet::from([1, 7, 10]));
    assert_eq!(&ids(&page)[..2], [1, 7]);
    // Only the last word, and only while it is being typed.
    assert_eq!(ix.search(&q("secu ")).unwrap().total, 0);
    assert_eq!(ids(&ix.search(&q("contos partn")).unwrap()), [7]);
    assert_eq!(ix.search(&exact("secu")).unwrap().total, 0);
}

#[test]
fn korean_is_found_by_any_part_of_a_word() {
    let ix = index();
    // "클라우드이전전문" in a description (and 한빛클라우드 in the name).
    assert_eq!(ids(&ix.search(&exact("클라우드")).unwrap()), [5]);
    assert_eq!(ids(&ix.search(&exact("이전")).unwrap()), [5]);
    // 서울특별시 (a city) and 서울 (a description).
    assert_eq!(
        set(&ix.search(&exact("서울")).unwrap()),
        BTreeSet::from([5, 7])
    );
    // 정보보안, and 미래정보기술 for 정보.
    assert_eq!(ids(&ix.search(&exact("보안")).unwrap()), [6]);
    assert_eq!(ids(&ix.search(&exact("정보")).unwrap()), [6]);
    // One character: its unigram.
    assert_eq!(ids(&ix.search(&exact("빛")).unwrap()), [5]);
    // Bigrams in sequence, not anywhere: 클라 and 우드 are both in 클라우드, 클우 is not.
    assert_eq!(ix.search(&exact("클우드")).unwrap().total, 0);
    // Mixed with Latin words, both required.
    assert_eq!(ids(&ix.search(&exact("azure 클라우드")).unwrap()), [5]);
    assert_eq!(ids(&ix.search(&q("보안")).unwrap()), [6]);
}

fn browse(f: impl FnOnce(&mut DirectoryQuery)) -> DirectoryQuery {
    let mut q = DirectoryQuery::new(PUBLIC);
    q.limit = 50;
    f(&mut q);
    q
}

fn cc(s: &str) -> CountryCode {
    CountryCode::parse(s).unwrap()
}

#[test]
fn filters_or_within_a_field_and_across_fields() {
    let ix = index();
    let all = |q: DirectoryQuery| -> BTreeSet<u128> {
        let page = ix.search(&q).unwrap();
        assert_eq!(page.total as usize, page.hits.len());
        set(&page)
    };
    assert_eq!(all(browse(|_| {})), BTreeSet::from(PUBLIC_IDS));
    assert_eq!(
        all(browse(|q| q.countries = vec![cc("KR")])),
        BTreeSet::from([5, 6, 7])
    );
    assert_eq!(
        all(browse(|q| q.countries = vec![cc("KR"), cc("JP")])),
        BTreeSet::from([5, 6, 7, 9])
    );
    assert_eq!(
        all(browse(|q| {
            q.countries = vec![cc("KR")];
            q.services = vec![S::Security];
        })),
        BTreeSet::from([6, 7])
    );
    assert_eq!(
        all(browse(|q| q.cities = vec!["SEOUL".into()])),
        BTreeSet::from([7])
    );
    assert_eq!(
        all(browse(
            |q| q.cities = vec![" seattle ".into(), "London".into()]
        )),
        BTreeSet::from([2, 3, 13, 14])
    );
    assert_eq!(
        all(browse(|q| q.org_sizes = vec![O::Micro])),
        BTreeSet::from([2, 6, 8])
    );
    assert_eq!(
        all(browse(|q| q.types = vec![T::Admin])),
        BTreeSet::from([9])
    );
    assert_eq!(
        all(browse(|q| q.industries = vec![I::Finance])),
        BTreeSet::from([3, 6, 9])
    );
    assert_eq!(
        all(browse(|q| q.languages = vec![L::Hi])),
        BTreeSet::from([15])
    );
    assert_eq!(
        all(browse(|q| {
            q.languages = vec![L::Ko, L::Ja];
            q.org_sizes = vec![O::Small];
            q.types = vec![T::Reseller];
        })),
        BTreeSet::from([5, 6, 7])
    );
    // Filters with words.
    let mut query = exact("security");
    query.countries = vec![cc("US"), cc("DE")];
    assert_eq!(set(&ix.search(&query).unwrap()), BTreeSet::from([1, 4]));
    // A browse without words is in name order.
    let page = ix
        .search(&browse(|q| q.countries = vec![cc("GB")]))
        .unwrap();
    assert_eq!(ids(&page), [3, 14]);
    assert_eq!(page.hits[0].score, 0.0);
}

#[test]
fn facet_counts_are_exact_for_a_filtered_query() {
    let ix = index();
    let page = ix
        .search(&browse(|q| q.services = vec![S::Security]))
        .unwrap();
    assert_eq!(page.total, 5); // 1, 4, 6, 7, 9 (11 is in usgov)
    let f = &page.facets;
    assert_eq!(f.country, fc(&[("KR", 2), ("DE", 1), ("JP", 1), ("US", 1)]));
    assert_eq!(
        f.city,
        fc(&[
            ("München", 1),
            ("New York", 1),
            ("Seoul", 1),
            ("Tokyo", 1),
            ("부산", 1)
        ])
    );
    assert_eq!(
        f.org_size,
        fc(&[("10-49", 3), ("50-249", 2), ("1-9", 1), ("1000+", 1)])
    );
    assert_eq!(
        f.types,
        fc(&[
            ("reseller", 4),
            ("admin", 1),
            ("delegated_admin", 1),
            ("partner", 1)
        ])
    );
    assert_eq!(
        f.service,
        fc(&[
            ("security", 5),
            ("identity", 2),
            ("licensing", 1),
            ("networking", 1),
            ("support", 1)
        ])
    );
    assert_eq!(
        f.industry,
        fc(&[
            ("finance", 2),
            ("healthcare", 1),
            ("manufacturing", 1),
            ("retail", 1)
        ])
    );
    assert_eq!(
        f.language,
        fc(&[("en", 5), ("ko", 2), ("de", 1), ("ja", 1)])
    );

    // With words too; a selected value without documents is still listed.
    let mut query = exact("security");
    query.languages = vec![L::De, L::Ar];
    let page = ix.search(&query).unwrap();
    assert_eq!(ids(&page), [4]);
    assert_eq!(page.facets.language, fc(&[("de", 1), ("en", 1), ("ar", 0)]));
    assert_eq!(page.facets.country, fc(&[("DE", 1)]));

    // The landing page: every public partner; cities counted case-insensitively, shown in
    // the spelling counted most (a tie goes to the first in order: "Seattle").
    let page = ix.search(&DirectoryQuery::new(PUBLIC)).unwrap();
    assert_eq!(page.total, 13);
    assert_eq!(
        &page.facets.city[..2],
        &fc(&[("London", 2), ("Seattle", 2)])[..]
    );
    assert_eq!(page.facets.country[0], fc(&[("KR", 3)])[0]);
    let sum: u64 = page.facets.country.iter().map(|c| c.count).sum();
    assert_eq!(sum, 13);
}

#[test]
fn each_cloud_sees_only_its_partners() {
    let ix = index();
    let mut query = exact("security");
    query.cloud = Cloud::Usgov;
    let page = ix.search(&query).unwrap();
    assert_eq!(ids(&page), [11]);
    assert_eq!(page.facets.country, fc(&[("US", 1)]));
    assert!(!set(&ix.search(&exact("security")).unwrap()).contains(&11));
    let mut china = DirectoryQuery::new(Cloud::China);
    assert_eq!(ix.search(&china).unwrap().total, 1);
    china.text = "迁移".into();
    assert_eq!(ids(&ix.search(&china).unwrap()), [12]);
    assert_eq!(
        ix.search(&DirectoryQuery::new(Cloud::Germany))
            .unwrap()
            .total,
        0
    );
    assert_eq!(ix.search(&exact("alpine")).unwrap().total, 0);
}

#[test]
fn apply_upserts_without_duplicates_and_removes() {
    let ix = index();
    assert_eq!(ix.len(), 15);
    let mut renamed = doc(&corpus()[1]);
    renamed.profile.name = "Northwind Renamed".into();
    ix.apply(vec![renamed], vec![], 2).unwrap();
    assert_eq!(ix.len(), 15);
    assert_eq!(ix.stamp(), Some(2));
    let page = ix.search(&exact("northwind")).unwrap();
    assert_eq!(ids(&page), [2, 3]);
    assert_eq!(page.hits[0].name, "Northwind Renamed");
    assert_eq!(ix.search(&exact("traders")).unwrap().total, 0);

    // An unpublished profile in an upsert is a removal; so is a removal.
    let mut hidden = doc(&corpus()[0]);
    hidden.profile.published = false;
    ix.apply(vec![hidden], vec![id(13)], 3).unwrap();
    assert_eq!(ix.len(), 13);
    assert_eq!(ids(&ix.search(&exact("contoso")).unwrap()), [7]);
    assert_eq!(ix.search(&exact("coho")).unwrap().total, 0);
    let landing = ix.search(&DirectoryQuery::new(PUBLIC)).unwrap();
    assert_eq!(landing.total, 11);
    assert!(!landing.facets.city.iter().any(|c| c.value == "seattle"));

    // A new partner, and a rebuild that skips unpublished profiles.
    let mut new = doc(&corpus()[0]);
    new.partner_id = id(99);
    new.profile.name = "Contoso Newcomer".into();
    ix.apply(vec![new], vec![], 4).unwrap();
    assert_eq!(
        set(&ix.search(&exact("contoso")).unwrap()),
        BTreeSet::from([7, 99])
    );
    let docs: Vec<ProfileDoc> = corpus()
        .iter()
        .map(doc)
        .map(|mut d| {
            d.profile.published = d.partner_id != id(5);
            d
        })
        .collect();
    assert_eq!(ix.rebuild(docs, 10).unwrap(), 14);
    assert_eq!(ix.len(), 14);
    assert_eq!(ix.stamp(), Some(10));
    assert_eq!(ix.search(&exact("클라우드")).unwrap().total, 0);
}

#[test]
fn pages_are_stable_and_do_not_overlap() {
    let ix = index();
    for text in ["", "security licensing", "contoso"] {
        let mut seen = Vec::new();
        let mut query = q(text);
        query.mode = Match::Any;
        query.fuzzy = false;
        query.limit = 3;
        let total = ix.search(&query).unwrap().total;
        let mut pages = 0;
        loop {
            let page = ix.search(&query).unwrap();
            assert_eq!(page.total, total);
            assert_eq!(ids(&ix.search(&query).unwrap()), ids(&page), "stable");
            seen.extend(ids(&page));
            pages += 1;
            match page.next_offset {
                Some(next) => {
                    assert_eq!(next, query.offset + 3);
                    query.offset = next;
                }
                None => break,
            }
        }
        assert_eq!(seen.len() as u64, total, "{text:?}");
        assert_eq!(
            seen.iter().collect::<BTreeSet<_>>().len(),
            seen.len(),
            "{text:?}"
        );
        assert_eq!(pages, total.div_ceil(3) as usize);
    }
    // One page of everything equals the pages joined.
    let mut query = q("");
    query.limit = 50;
    let whole = ids(&ix.search(&query).unwrap());
    query.limit = 5;
    query.offset = 5;
    assert_eq!(ids(&ix.search(&query).unwrap()), whole[5..10]);
}

#[test]
fn all_words_falls_back_to_any_word() {
    let ix = index();
    let page = ix.search(&exact("contoso zzzqqq")).unwrap();
    assert!(page.relaxed);
    assert_eq!(ids(&page), [1, 7]);
    assert_eq!(page.total, 2);
    // Not with one word, nor when asked for any word.
    let page = ix.search(&exact("zzzqqq")).unwrap();
    assert!(!page.relaxed && page.total == 0 && page.hits.is_empty());
    let mut any = exact("contoso zzzqqq");
    any.mode = Match::Any;
    let page = ix.search(&any).unwrap();
    assert!(!page.relaxed);
    assert_eq!(ids(&page), [1, 7]);
    // All words matching: no fallback.
    let page = ix.search(&exact("contoso security")).unwrap();
    assert!(!page.relaxed);
    assert_eq!(ids(&page), [1, 7]);
}

#[test]
fn deep_pages_and_odd_sizes_are_refused() {
    let ix = index();
    let mut query = q("");
    query.offset = 1001;
    assert!(matches!(
        ix.search(&query),
        Err(SearchError::TooDeep { offset: 1001, .. })
    ));
    let e = ix.search(&query).unwrap_err().to_string();
    assert!(e.contains("1000") && e.contains("narrow"), "{e}");
    query.offset = 1000;
    let page = ix.search(&query).unwrap();
    assert!(page.hits.is_empty() && page.next_offset.is_none());
    for limit in [0, 51] {
        query.limit = limit;
        assert!(matches!(
            ix.search(&query),
            Err(SearchError::BadLimit { .. })
        ));
    }
}

#[test]
fn an_index_on_disk_keeps_its_stamp_and_a_stale_one_is_wiped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("directory");
    {
        let ix = DirectoryIndex::open(&path).unwrap();
        assert_eq!(ix.stamp(), None);
        assert!(ix.is_empty());
        ix.rebuild(corpus().iter().map(doc), 41).unwrap();
        ix.apply(vec![], vec![id(1)], 42).unwrap();
    }
    {
        let ix = DirectoryIndex::open(&path).unwrap();
        assert_eq!(ix.stamp(), Some(42));
        assert_eq!(ix.len(), 14);
        assert_eq!(ids(&ix.search(&exact("contoso")).unwrap()), [7]);
    }
    // Another schema version in the payload: wiped, empty, no stamp.
    let meta = path.join("meta.json");
    let text = std::fs::read_to_string(&meta).unwrap();
    assert!(text.contains(r#"\"schema\":"#), "{text}");
    // Version N becomes 9N.
    std::fs::write(&meta, text.replace(r#"\"schema\":"#, r#"\"schema\":9"#)).unwrap();
    {
        let ix = DirectoryIndex::open(&path).unwrap();
        assert_eq!(ix.stamp(), None);
        assert!(ix.is_empty());
        ix.rebuild(corpus().iter().map(doc), 7).unwrap();
        assert_eq!(ix.len(), 15);
    }
    // Something that is not an index at all: wiped too.
    std::fs::write(path.join("meta.json"), "not json").unwrap();
    let ix = DirectoryIndex::open(&path).unwrap();
    assert_eq!(ix.stamp(), None);
    assert!(ix.is_empty());
    assert_eq!(DirectoryIndex::in_ram().unwrap().stamp(), None);
}

#[test]
fn a_synthetic_directory_is_searchable() {
    let ix = DirectoryIndex::in_ram().unwrap();
    let docs: Vec<ProfileDoc> = accord_search::synth::partners(3, 3000)
        .enumerate()
        .map(|(i, p)| ProfileDoc {
            partner_id: Uuid::from_u128(i as u128 + 1),
            cloud: p.cloud,
            profile: p.profile,
        })
        .collect();
    let public = docs.iter().filter(|d| d.cloud == PUBLIC).count() as u64;
    assert_eq!(ix.rebuild(docs, 1).unwrap(), 3000);
    let landing = ix.search(&DirectoryQuery::new(PUBLIC)).unwrap();
    assert_eq!(landing.total, public);
    let names: Vec<_> = landing.hits.iter().map(|h| h.name.to_lowercase()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "a browse is in name order");
    for text in [
        "클라우드",
        "서울",
        "보안",
        "security",
        "secu",
        "azure migration",
    ] {
        let page = ix.search(&q(text)).unwrap();
        assert!(page.total > 0, "{text}");
        assert!(page.hits.len() == 20, "{text}");
    }
    let page = ix.search(&q("클라우드")).unwrap();
    assert_eq!(page.facets.country[0].value, "KR");
}

#[test]
fn a_second_writer_is_refused_without_wiping_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("directory");
    let ix = DirectoryIndex::open(&path).unwrap();
    ix.rebuild(corpus().iter().map(doc), 3).unwrap();
    let refused = DirectoryIndex::open(&path)
        .err()
        .expect("the index is in use");
    assert!(matches!(refused, SearchError::Index(_)), "{refused}");
    assert_eq!(ix.len(), 15);
    drop(ix);
    let again = DirectoryIndex::open(&path).unwrap();
    assert_eq!(again.stamp(), Some(3));
    assert_eq!(again.len(), 15);
}

#[test]
fn the_index_is_shared_between_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<DirectoryIndex>();
    let ix = std::sync::Arc::new(index());
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let ix = ix.clone();
            std::thread::spawn(move || {
                let text = ["contoso", "보안", "secu", "northwind"][i];
                ix.search(&q(text)).unwrap().total
            })
        })
        .collect();
    let totals: Vec<u64> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(totals, [3, 1, 5, 2]);
}
