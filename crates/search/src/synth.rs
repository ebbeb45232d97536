//! A synthetic partner directory with realistic proportions, for tests and benchmarks.
//!
//! Partner `i` of seed `s` depends only on `(s, i)` (a small generator seeded from both), so
//! any partner can be generated alone, in any order, and every run sees the same directory.
//! Proportions: about 30 % of partners in Korea, 20 % in the United States, 10 % in Japan,
//! then Germany, India, the United Kingdom, France and others; clouds follow the country
//! (China → china, some US → usgov, some DE → germany, the rest public: about 94 %).
//! Korean partners carry Korean names half the time, Korean cities mostly in Hangul and
//! mostly Korean descriptions, with compounds such as `클라우드이전전문` and `정보보안`.
//! Services follow a Zipf-like popularity (licensing, managed services and cloud migration
//! common; networking and AI rare), keywords a long tail over ~300 terms, and about 3 % of
//! descriptions name a project code word shared by only a handful of partners (rare terms).

use std::sync::OnceLock;

use accord_domain::{
    Cloud, CountryCode, Industry, Language, OrgSize, PartnerProfile, PartnerType, Service,
};

/// A generated partner: its profile and what a store row would add.
#[derive(Clone, Debug)]
pub struct SynthPartner {
    pub name: String,
    /// Unique: `<slug>-<i>.example`.
    pub domain: String,
    pub country: CountryCode,
    pub cloud: Cloud,
    /// Published, with types among reseller, delegated admin, partner and admin.
    pub profile: PartnerProfile,
}

/// Partners `0..n` of `seed`.
pub fn partners(seed: u64, n: usize) -> impl Iterator<Item = SynthPartner> {
    (0..n).map(move |i| partner(seed, i))
}

/// Partner `i` of `seed`, alone.
pub fn partner(seed: u64, i: usize) -> SynthPartner {
    Gen::new(seed, i).partner()
}

/// Words common across the directory (English descriptions), for queries that match a lot.
pub const COMMON_WORDS: &[&str] = &[
    "cloud",
    "security",
    "migration",
    "managed",
    "services",
    "support",
    "customers",
    "projects",
    "data",
    "licensing",
    "azure",
    "m365",
    "training",
    "engineers",
];

/// The keyword vocabulary, most popular first.
pub fn keyword_vocabulary() -> &'static [String] {
    &tables().keywords
}

/// SplitMix64: tiny, fast, and the same on every platform and version.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (((self.next() >> 32) * n as u64) >> 32) as usize
    }

    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    /// An index drawn with the given cumulative weights.
    fn weighted(&mut self, cumulative: &[u64]) -> usize {
        let total = cumulative.last().copied().unwrap_or(1).max(1);
        let x = self.next() % total;
        cumulative.partition_point(|c| *c <= x)
    }
}

fn cumulative(weights: impl IntoIterator<Item = u64>) -> Vec<u64> {
    weights
        .into_iter()
        .scan(0u64, |acc, w| {
            *acc += w;
            Some(*acc)
        })
        .collect()
}

struct Country {
    code: &'static str,
    weight: u64,
    name: &'static str,
    /// (as usually written, alternative spelling or "")
    cities: &'static [(&'static str, &'static str)],
    languages: &'static [Language],
    /// Chance that English is spoken too.
    english: f64,
    suffixes: &'static [&'static str],
}

use Language as L;

const COUNTRIES: &[Country] = &[
    Country {
        code: "KR",
        weight: 300,
        name: "Korea",
        cities: &[
            ("서울", "Seoul"),
            ("부산", "Busan"),
            ("인천", "Incheon"),
            ("대구", "Daegu"),
            ("대전", "Daejeon"),
            ("광주", "Gwangju"),
            ("성남", "Seongnam"),
            ("수원", "Suwon"),
            ("울산", "Ulsan"),
            ("고양", "Goyang"),
            ("용인", "Yongin"),
            ("창원", "Changwon"),
        ],
        languages: &[L::Ko],
        english: 0.6,
        suffixes: &["Co., Ltd.", "Inc.", "Korea", ""],
    },
    Country {
        code: "US",
        weight: 200,
        name: "the United States",
        cities: &[
            ("New York", ""),
            ("San Francisco", ""),
            ("Seattle", ""),
            ("Austin", ""),
            ("Chicago", ""),
            ("Boston", ""),
            ("Los Angeles", ""),
            ("Denver", ""),
            ("Atlanta", ""),
            ("Dallas", ""),
            ("Washington", ""),
            ("Redmond", ""),
        ],
        languages: &[L::En],
        english: 1.0,
        suffixes: &["Inc.", "LLC", "Corp.", ""],
    },
    Country {
        code: "JP",
        weight: 100,
        name: "Japan",
        cities: &[
            ("Tokyo", "東京"),
            ("Osaka", "大阪"),
            ("Yokohama", ""),
            ("Nagoya", ""),
            ("Fukuoka", ""),
            ("Sapporo", ""),
            ("Kyoto", ""),
        ],
        languages: &[L::Ja],
        english: 0.5,
        suffixes: &["K.K.", "Co., Ltd.", "Japan", ""],
    },
    Country {
        code: "DE",
        weight: 60,
        name: "Germany",
        cities: &[
            ("Berlin", ""),
            ("München", "Munich"),
            ("Hamburg", ""),
            ("Frankfurt", ""),
            ("Köln", "Cologne"),
            ("Stuttgart", ""),
            ("Düsseldorf", ""),
        ],
        languages: &[L::De],
        english: 0.8,
        suffixes: &["GmbH", "AG", "GmbH & Co. KG", ""],
    },
    Country {
        code: "IN",
        weight: 50,
        name: "India",
        cities: &[
            ("Bengaluru", "Bangalore"),
            ("Mumbai", ""),
            ("Delhi", ""),
            ("Hyderabad", ""),
            ("Chennai", ""),
            ("Pune", ""),
        ],
        languages: &[L::En, L::Hi],
        english: 1.0,
        suffixes: &["Pvt. Ltd.", "Ltd.", ""],
    },
    Country {
        code: "GB",
        weight: 50,
        name: "the United Kingdom",
        cities: &[
            ("London", ""),
            ("Manchester", ""),
            ("Birmingham", ""),
            ("Edinburgh", ""),
            ("Leeds", ""),
            ("Bristol", ""),
        ],
        languages: &[L::En],
        english: 1.0,
        suffixes: &["Ltd", "plc", ""],
    },
    Country {
        code: "FR",
        weight: 40,
        name: "France",
        cities: &[
            ("Paris", ""),
            ("Lyon", ""),
            ("Marseille", ""),
            ("Toulouse", ""),
            ("Lille", ""),
            ("Nantes", ""),
        ],
        languages: &[L::Fr],
        english: 0.6,
        suffixes: &["SAS", "SA", "SARL", ""],
    },
    Country {
        code: "SG",
        weight: 30,
        name: "Singapore",
        cities: &[("Singapore", "")],
        languages: &[L::En, L::Zh],
        english: 1.0,
        suffixes: &["Pte. Ltd.", ""],
    },
    Country {
        code: "AU",
        weight: 30,
        name: "Australia",
        cities: &[
            ("Sydney", ""),
            ("Melbourne", ""),
            ("Brisbane", ""),
            ("Perth", ""),
        ],
        languages: &[L::En],
        english: 1.0,
        suffixes: &["Pty Ltd", ""],
    },
    Country {
        code: "VN",
        weight: 30,
        name: "Vietnam",
        cities: &[("Hanoi", ""), ("Ho Chi Minh City", ""), ("Da Nang", "")],
        languages: &[L::Vi],
        english: 0.7,
        suffixes: &["JSC", "Co., Ltd.", ""],
    },
    Country {
        code: "CN",
        weight: 30,
        name: "China",
        cities: &[
            ("Beijing", "北京"),
            ("Shanghai", "上海"),
            ("Shenzhen", ""),
            ("Guangzhou", ""),
        ],
        languages: &[L::Zh],
        english: 0.5,
        suffixes: &["Co., Ltd.", ""],
    },
    Country {
        code: "BR",
        weight: 25,
        name: "Brazil",
        cities: &[
            ("São Paulo", ""),
            ("Rio de Janeiro", ""),
            ("Belo Horizonte", ""),
        ],
        languages: &[L::Pt],
        english: 0.5,
        suffixes: &["Ltda.", "S.A.", ""],
    },
    Country {
        code: "CA",
        weight: 20,
        name: "Canada",
        cities: &[("Toronto", ""), ("Vancouver", ""), ("Montréal", "Montreal")],
        languages: &[L::En],
        english: 1.0,
        suffixes: &["Inc.", "Ltd.", ""],
    },
    Country {
        code: "NL",
        weight: 10,
        name: "the Netherlands",
        cities: &[("Amsterdam", ""), ("Rotterdam", ""), ("Utrecht", "")],
        languages: &[L::Nl],
        english: 0.9,
        suffixes: &["B.V.", ""],
    },
    Country {
        code: "ES",
        weight: 10,
        name: "Spain",
        cities: &[("Madrid", ""), ("Barcelona", ""), ("Valencia", "")],
        languages: &[L::Es],
        english: 0.6,
        suffixes: &["S.L.", "S.A.", ""],
    },
    Country {
        code: "IT",
        weight: 5,
        name: "Italy",
        cities: &[("Milano", "Milan"), ("Roma", "Rome"), ("Torino", "")],
        languages: &[L::It],
        english: 0.6,
        suffixes: &["S.r.l.", "S.p.A.", ""],
    },
    Country {
        code: "TH",
        weight: 5,
        name: "Thailand",
        cities: &[("Bangkok", "")],
        languages: &[L::Th],
        english: 0.7,
        suffixes: &["Co., Ltd.", ""],
    },
    Country {
        code: "ID",
        weight: 5,
        name: "Indonesia",
        cities: &[("Jakarta", ""), ("Surabaya", "")],
        languages: &[L::Id],
        english: 0.7,
        suffixes: &["PT", ""],
    },
];

const KO_BRANDS: &[&str] = &[
    "한빛",
    "미래",
    "새솔",
    "누리",
    "다온",
    "푸른",
    "하늘",
    "별빛",
    "가람",
    "한결",
    "소망",
    "이음",
    "온누리",
    "바른",
    "으뜸",
    "세움",
    "나래",
    "두리",
    "한울",
    "다솜",
    "아름",
    "큰별",
    "참빛",
    "해솔",
];
const KO_TECH: &[&str] = &[
    "클라우드",
    "정보기술",
    "시스템",
    "솔루션",
    "테크",
    "데이터",
    "네트웍스",
    "보안",
    "아이티",
    "소프트",
    "컨설팅",
    "디지털",
];
const KO_TAILS: &[&str] = &[
    "",
    "",
    "",
    "코리아",
    "플러스",
    "랩",
    "웍스",
    "파트너스",
    "넷",
];
const EN_BRANDS: &[&str] = &[
    "Contoso",
    "Fabrikam",
    "Northwind",
    "Adatum",
    "Litware",
    "Proseware",
    "Tailspin",
    "Wingtip",
    "Woodgrove",
    "Alpine",
    "Coho",
    "Lucerne",
    "Trey",
    "VanArsdel",
    "Relecloud",
    "Humongous",
    "Blue Yonder",
    "Fourth Coffee",
    "Wide World",
    "Graphic Design",
    "Bellows",
    "Datum",
    "Margie's",
    "Southridge",
    "Lamna",
    "Munson's",
    "Nod",
    "Wood",
    "Tasmanian",
    "Alpine Ski",
];
const SYLLABLES: &[&str] = &[
    "zen", "tri", "nova", "lux", "vor", "ka", "mi", "ra", "tel", "dex", "syn", "qua", "bri", "lo",
    "ven", "tor", "ax", "el", "on", "is", "quor", "zin", "ta", "pel",
];
const EN_TECH: &[&str] = &[
    "Cloud",
    "Systems",
    "IT",
    "Digital",
    "Technologies",
    "Solutions",
    "Networks",
    "Data",
    "Consulting",
    "Security",
    "Software",
    "Partners",
    "Group",
    "Labs",
];

/// Services by popularity (most listed first).
const SERVICES: &[Service] = &[
    Service::Licensing,
    Service::ManagedServices,
    Service::CloudMigration,
    Service::Security,
    Service::Support,
    Service::Collaboration,
    Service::Identity,
    Service::Training,
    Service::Devices,
    Service::Backup,
    Service::DataAnalytics,
    Service::Development,
    Service::Networking,
    Service::Ai,
];

fn service_ko(s: Service) -> &'static str {
    match s {
        Service::CloudMigration => "클라우드 이전",
        Service::ManagedServices => "관리형 서비스",
        Service::Security => "정보보안",
        Service::Identity => "계정 및 접근 관리",
        Service::Collaboration => "협업 솔루션",
        Service::DataAnalytics => "데이터 분석",
        Service::Ai => "인공지능",
        Service::Devices => "디바이스 관리",
        Service::Licensing => "라이선스",
        Service::Training => "교육",
        Service::Support => "기술지원",
        Service::Development => "맞춤형 개발",
        Service::Backup => "백업 및 복구",
        Service::Networking => "네트워크",
    }
}

fn industry_ko(i: Industry) -> &'static str {
    match i {
        Industry::Retail => "유통",
        Industry::Manufacturing => "제조",
        Industry::Finance => "금융",
        Industry::Healthcare => "의료",
        Industry::Education => "교육",
        Industry::PublicSector => "공공",
        Industry::Media => "미디어",
        Industry::Logistics => "물류",
        Industry::Hospitality => "호텔",
        Industry::ProfessionalServices => "전문서비스",
        Industry::Technology => "기술",
        Industry::Nonprofit => "비영리",
    }
}

/// Product-ish keywords, most popular first; a generated tail follows them.
const PRODUCT_KEYWORDS: &[&str] = &[
    "azure",
    "m365",
    "teams",
    "sharepoint",
    "intune",
    "entra",
    "exchange",
    "defender",
    "power-bi",
    "dynamics-365",
    "windows-server",
    "sql-server",
    "copilot",
    "onedrive",
    "power-apps",
    "power-automate",
    "sentinel",
    "purview",
    "zero-trust",
    "backup",
    "devops",
    "kubernetes",
    "sap",
    "erp",
    "crm",
    "vmware",
    "linux",
    "docker",
    "terraform",
    "github",
    "avd",
    "mfa",
    "sso",
    "mdm",
    "siem",
    "soc",
    "firewall",
    "vpn",
    "sd-wan",
    "voip",
    "iot",
    "edge",
    "disaster-recovery",
    "business-central",
    "fabric",
    "synapse",
    "databricks",
    "data-lake",
    "lakehouse",
    "etl",
    "bi",
    "machine-learning",
    "llm",
    "rpa",
    "chatbot",
    "openai",
    "finops",
    "governance",
    "compliance",
    "gdpr",
    "iso-27001",
    "pci-dss",
    "hipaa",
    "itsm",
    "helpdesk",
    "noc",
    "monitoring",
    "observability",
    "grafana",
    "prometheus",
    "splunk",
    "salesforce",
    "servicenow",
    "oracle",
    "citrix",
    "hyper-v",
    "ansible",
    "gitlab",
    "jenkins",
    "microservices",
    "api",
    "low-code",
    "e-commerce",
    "pos",
    "supply-chain",
    "wms",
    "mes",
    "plm",
    "scada",
    "ot-security",
    "pentest",
    "red-team",
    "phishing",
    "email-security",
    "dlp",
    "encryption",
    "pki",
    "pam",
    "identity-governance",
    "conditional-access",
    "windows-11",
    "surface",
    "autopilot",
    "e-discovery",
    "records-management",
    "intranet",
    "viva",
    "loop",
    "planner",
    "project-online",
    "visio",
    "stream",
    "bookings",
    "forms",
    "lists",
    "power-pages",
    "cosmos-db",
    "aks",
    "app-service",
    "functions",
    "logic-apps",
    "event-grid",
    "service-bus",
    "api-management",
    "front-door",
    "expressroute",
    "arc",
    "stack-hci",
    "site-recovery",
];

/// How many generated tail keywords follow the product ones (~300 in all).
const TAIL_KEYWORDS: usize = 180;

struct Tables {
    /// The countries of the table (all valid codes) and their cumulative weights.
    countries: Vec<(CountryCode, &'static Country)>,
    country_weights: Vec<u64>,
    keywords: Vec<String>,
    keyword_weights: Vec<u64>,
    services: Vec<u64>,
}

fn tables() -> &'static Tables {
    static T: OnceLock<Tables> = OnceLock::new();
    T.get_or_init(|| {
        let mut keywords: Vec<String> = PRODUCT_KEYWORDS.iter().map(|k| k.to_string()).collect();
        let mut i = 0usize;
        while keywords.len() < PRODUCT_KEYWORDS.len() + TAIL_KEYWORDS {
            // Deterministic pseudo-words: three syllables from a stride through the list.
            // Mixed-radix digits of a stride through the n³ combinations, so every i below
            // n³ gives another triple (a stride coprime with n³ visits them all).
            let n = SYLLABLES.len();
            let j = (i * 7919) % (n * n * n);
            let w = format!(
                "{}{}{}",
                SYLLABLES[j / (n * n)],
                SYLLABLES[(j / n) % n],
                SYLLABLES[j % n]
            );
            if !keywords.contains(&w) {
                keywords.push(w);
            }
            i += 1;
        }
        // Zipf-like: weight ∝ 1 / rank^1.1 (in millionths).
        let keyword_weights =
            cumulative((1..=keywords.len()).map(|r| (1_000_000.0 / (r as f64).powf(1.1)) as u64));
        let countries: Vec<(CountryCode, &'static Country)> = COUNTRIES
            .iter()
            .filter_map(|c| CountryCode::parse(c.code).ok().map(|code| (code, c)))
            .collect();
        Tables {
            country_weights: cumulative(countries.iter().map(|(_, c)| c.weight)),
            countries,
            keywords,
            keyword_weights,
            services: cumulative(
                (1..=SERVICES.len()).map(|r| (1_000_000.0 / (r as f64).powf(0.9)) as u64),
            ),
        }
    })
}

struct Gen {
    rng: Rng,
    i: usize,
}

fn join_list(items: &[&str], and: &str) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} {and} {last}", init.join(", ")),
    }
}

impl Gen {
    fn new(seed: u64, i: usize) -> Self {
        let mut rng = Rng(seed ^ (i as u64).wrapping_mul(0xD1B5_4A32_D192_ED03));
        rng.next();
        Gen { rng, i }
    }

    fn syllable_word(&mut self, syllables: usize) -> String {
        (0..syllables)
            .map(|_| *self.rng.pick(SYLLABLES))
            .collect::<String>()
    }

    fn partner(mut self) -> SynthPartner {
        let t = tables();
        let (code, c) = &t.countries[self
            .rng
            .weighted(&t.country_weights)
            .min(t.countries.len().saturating_sub(1))];
        let code = code.clone();
        let cloud = match c.code {
            "CN" => Cloud::China,
            "US" if self.rng.chance(0.12) => Cloud::Usgov,
            "DE" if self.rng.chance(0.2) => Cloud::Germany,
            _ => Cloud::Public,
        };
        let korean = c.code == "KR";

        // City: the usual spelling, sometimes the alternative; Seoul and Busan sometimes in
        // their full administrative names.
        let (usual, alt) = *self.rng.pick(c.cities);
        let city = if korean {
            match (usual, self.rng.below(100)) {
                ("서울", 0..=9) => "서울특별시".to_string(),
                ("부산", 0..=9) => "부산광역시".to_string(),
                (_, 0..=24) => alt.to_string(),
                (_, 25..=26) => alt.to_uppercase(),
                _ => usual.to_string(),
            }
        } else if !alt.is_empty() && self.rng.chance(0.2) {
            alt.to_string()
        } else {
            usual.to_string()
        };

        // Name.
        let korean_name = korean && self.rng.chance(0.5);
        let name = if korean_name {
            let prefix = if self.rng.chance(0.1) { "(주)" } else { "" };
            format!(
                "{prefix}{}{}{}",
                self.rng.pick(KO_BRANDS),
                self.rng.pick(KO_TECH),
                self.rng.pick(KO_TAILS)
            )
        } else {
            let brand = if self.rng.chance(0.4) {
                self.rng.pick(EN_BRANDS).to_string()
            } else {
                let n = 2 + self.rng.below(2);
                let w = self.syllable_word(n);
                let mut cs = w.chars();
                cs.next()
                    .map(|f| f.to_uppercase().chain(cs).collect())
                    .unwrap_or(w)
            };
            let tech = self.rng.pick(EN_TECH);
            let suffix = self.rng.pick(c.suffixes);
            [brand.as_str(), tech, suffix]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" ")
        };
        let slug = {
            let s: String = name
                .chars()
                .map(|ch| {
                    if ch.is_ascii_alphanumeric() {
                        ch.to_ascii_lowercase()
                    } else {
                        '-'
                    }
                })
                .collect();
            let s = s
                .split('-')
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join("-");
            if s.is_empty() {
                format!("{}-partner", c.code.to_lowercase())
            } else {
                s
            }
        };
        let domain = format!("{slug}-{}.example", self.i);

        // Organisation sizes: 1–3 neighbouring sizes, skewed small.
        let sizes = cumulative([25, 35, 25, 10, 5]);
        let first = self.rng.weighted(&sizes).min(OrgSize::ALL.len() - 1);
        let span = match self.rng.below(100) {
            0..=49 => 1,
            50..=84 => 2,
            _ => 3,
        };
        let org_sizes: Vec<OrgSize> = OrgSize::ALL
            .iter()
            .copied()
            .skip(first)
            .take(span)
            .collect();

        // Services: 1–5 by popularity.
        let count = match self.rng.below(100) {
            0..=19 => 1,
            20..=49 => 2,
            50..=74 => 3,
            75..=89 => 4,
            _ => 5,
        };
        let mut services: Vec<Service> = Vec::new();
        while services.len() < count {
            let s = SERVICES[self.rng.weighted(&t.services).min(SERVICES.len() - 1)];
            if !services.contains(&s) {
                services.push(s);
            }
        }

        // Industries: 0–3.
        let count = match self.rng.below(100) {
            0..=19 => 0,
            20..=59 => 1,
            60..=87 => 2,
            _ => 3,
        };
        let mut industries: Vec<Industry> = Vec::new();
        while industries.len() < count {
            let ind = *self.rng.pick(Industry::ALL);
            if !industries.contains(&ind) {
                industries.push(ind);
            }
        }

        // Keywords: 2–6 from the long tail.
        let count = 2 + self.rng.below(5);
        let mut keywords: Vec<String> = Vec::new();
        let mut tries = 0;
        while keywords.len() < count && tries < 30 {
            let k = &t.keywords[self
                .rng
                .weighted(&t.keyword_weights)
                .min(t.keywords.len() - 1)];
            if !keywords.contains(k) {
                keywords.push(k.clone());
            }
            tries += 1;
        }
        // A project code word: rare terms (≈ 13,800 possible words).
        let codename = self.rng.chance(0.03).then(|| self.syllable_word(3));

        // Types.
        let mut types = Vec::new();
        for (t, p) in [
            (PartnerType::Reseller, 0.8),
            (PartnerType::DelegatedAdmin, 0.5),
            (PartnerType::Partner, 0.3),
            (PartnerType::Admin, 0.15),
        ] {
            if self.rng.chance(p) {
                types.push(t);
            }
        }
        if types.is_empty() {
            types.push(PartnerType::Reseller);
        }

        // Languages.
        let mut languages: Vec<Language> = c.languages.to_vec();
        if self.rng.chance(c.english) {
            languages.push(Language::En);
        }
        if c.code == "US" && self.rng.chance(0.15) {
            languages.push(Language::Es);
        }
        if c.code == "CA" && self.rng.chance(0.4) {
            languages.push(Language::Fr);
        }

        let description = if korean && self.rng.chance(0.8) {
            self.korean_description(
                &city,
                &services,
                &industries,
                &keywords,
                codename.as_deref(),
            )
        } else {
            let mut d = self.english_description(
                &name,
                &city,
                c.name,
                &services,
                &industries,
                &keywords,
                codename.as_deref(),
            );
            if korean && self.rng.chance(0.5) {
                d.push(' ');
                d.push_str(&self.korean_description(
                    &city,
                    &services,
                    &industries,
                    &keywords,
                    None,
                ));
            }
            match c.code {
                "JP" if self.rng.chance(0.3) => d.push_str(self.rng.pick::<&str>(&[
                    " クラウド導入とセキュリティ対策を支援します。",
                    " 東京を拠点に中小企業のDXを支援しています。",
                    " マイクロソフト製品のライセンス販売と導入支援。",
                ])),
                "CN" if self.rng.chance(0.5) => d.push_str(self.rng.pick::<&str>(&[
                    " 提供云迁移和信息安全服务。",
                    " 专注于制造业和零售业的数字化转型。",
                ])),
                _ => {}
            }
            d
        };

        let mut sorted_services = services;
        sorted_services.sort();
        industries.sort();
        types.sort();
        languages.sort();
        languages.dedup();
        let profile = PartnerProfile {
            name: name.clone(),
            description,
            country: code.clone(),
            city,
            org_sizes,
            services: sorted_services,
            keywords,
            industries,
            types,
            contact_email: format!("contact@{domain}"),
            languages,
            published: true,
        };
        SynthPartner {
            name,
            domain,
            country: code,
            cloud,
            profile,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn english_description(
        &mut self,
        name: &str,
        city: &str,
        country: &str,
        services: &[Service],
        industries: &[Industry],
        keywords: &[String],
        codename: Option<&str>,
    ) -> String {
        let s: Vec<String> = services.iter().map(|s| s.label().to_lowercase()).collect();
        let s: Vec<&str> = s.iter().map(String::as_str).collect();
        let ind: Vec<String> = industries
            .iter()
            .map(|i| i.label().to_lowercase())
            .collect();
        let ind: Vec<&str> = ind.iter().map(String::as_str).collect();
        let k: Vec<&str> = keywords.iter().map(String::as_str).collect();
        let size = self.rng.pick::<&str>(&[
            "small",
            "growing",
            "established",
            "independent",
            "specialist",
        ]);
        let role = self.rng.pick::<&str>(&[
            "technology partner",
            "IT services firm",
            "cloud consultancy",
            "managed service provider",
            "systems integrator",
        ]);
        let for_whom = if ind.is_empty() {
            "businesses of every size".to_string()
        } else {
            format!("{} organisations", join_list(&ind, "and"))
        };
        let mut out = vec![format!(
            "{name} is a {size} {role} based in {city}, helping {for_whom} with {}.",
            join_list(&s[..s.len().min(2)], "and")
        )];
        let mut sentences = [0usize, 1, 2, 3, 4];
        for i in (1..sentences.len()).rev() {
            sentences.swap(i, self.rng.below(i + 1));
        }
        let engineers = 3 + self.rng.below(120);
        for which in sentences.into_iter().take(1 + self.rng.below(3)) {
            out.push(match which {
                0 => format!(
                    "Our {engineers} certified engineers deliver {} projects for customers across {country}.",
                    join_list(&k[..k.len().min(3)], "and")
                ),
                1 => format!(
                    "We specialise in {}, with a focus on {}.",
                    s.first().copied().unwrap_or("cloud services"),
                    join_list(&k[..k.len().min(2)], "and")
                ),
                2 => format!(
                    "Trusted by {} customers for {} rollouts, {} and 24/7 support.",
                    ind.first().copied().unwrap_or("local"),
                    k.first().copied().unwrap_or("cloud"),
                    s.last().copied().unwrap_or("managed services")
                ),
                3 => format!(
                    "From assessment to managed operations, we cover {}.",
                    join_list(&k, "and")
                ),
                _ => "Licensing, migration and security support for small and medium businesses.".to_string(),
            });
        }
        if let Some(code) = codename {
            out.push(format!(
                "Recent work includes project {code} for a {} customer.",
                ind.first().copied().unwrap_or("regional")
            ));
        }
        out.join(" ")
    }

    fn korean_description(
        &mut self,
        city: &str,
        services: &[Service],
        industries: &[Industry],
        keywords: &[String],
        codename: Option<&str>,
    ) -> String {
        let s: Vec<&str> = services.iter().map(|s| service_ko(*s)).collect();
        let ind: Vec<&str> = industries.iter().map(|i| industry_ko(*i)).collect();
        let k: Vec<&str> = keywords.iter().map(String::as_str).collect();
        let years = 3 + self.rng.below(25);
        let mut out = vec![format!(
            "{city} 소재의 {} 전문 기업으로, {} 고객을 지원합니다.",
            s.first().copied().unwrap_or("클라우드"),
            ind.first().copied().unwrap_or("중소기업")
        )];
        out.push(format!(
            "{} 도입부터 운영까지 원스톱으로 제공합니다.",
            k[..k.len().min(2)].join(", ")
        ));
        if services.contains(&Service::CloudMigration) {
            out.push(format!(
                "클라우드이전전문 인력이 {} 기반 {} 서비스를 제공합니다.",
                k.first().copied().unwrap_or("Azure"),
                s.last().copied().unwrap_or("관리형 서비스")
            ));
        }
        if services.contains(&Service::Security) {
            out.push(format!(
                "정보보안 컨설팅과 {} 분야에서 {years}년 이상의 경험을 보유하고 있습니다.",
                s.first().copied().unwrap_or("기술지원")
            ));
        }
        if ind.len() >= 2 {
            out.push(format!(
                "{} 및 {} 분야 고객사를 위한 맞춤형 솔루션을 제공합니다.",
                ind[0], ind[1]
            ));
        }
        if city.starts_with("서울") || city.eq_ignore_ascii_case("seoul") {
            out.push("서울특별시와 수도권 고객을 위한 현장 기술지원이 가능합니다.".to_string());
        }
        if let Some(code) = codename {
            out.push(format!(
                "프로젝트 {code} 등 다양한 구축 사례를 보유하고 있습니다."
            ));
        }
        out.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partners_are_deterministic_and_independent() {
        let all: Vec<_> = partners(7, 50).collect();
        assert_eq!(all[42].domain, partner(7, 42).domain);
        assert_eq!(all[42].profile, partner(7, 42).profile);
        assert_ne!(partner(8, 42).profile, partner(7, 42).profile);
    }

    #[test]
    fn profiles_are_valid_and_proportions_plausible() {
        let n = 20_000;
        let mut kr = 0;
        let mut public = 0;
        let mut domains = std::collections::HashSet::new();
        for p in partners(1, n) {
            let offered = [
                PartnerType::Reseller,
                PartnerType::DelegatedAdmin,
                PartnerType::Partner,
                PartnerType::Admin,
            ];
            let checked = p
                .profile
                .clone()
                .validated(&offered)
                .expect("valid profile");
            assert_eq!(checked, p.profile, "already normalised");
            assert!(domains.insert(p.domain.clone()));
            kr += usize::from(p.country.as_str() == "KR");
            public += usize::from(p.cloud == Cloud::Public);
            if p.country.as_str() == "CN" {
                assert_eq!(p.cloud, Cloud::China);
            }
        }
        let share = |x: usize| x as f64 / n as f64;
        assert!((0.27..0.33).contains(&share(kr)), "{}", share(kr));
        assert!((0.91..0.97).contains(&share(public)), "{}", share(public));
    }
}
