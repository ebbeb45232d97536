//! The partner directory's vocabulary: a partner's public profile (what it offers, where,
//! to whom) and a lead (a visitor's "contact selected providers" request), each with the
//! rules that make an input acceptable.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::model::{check_text, normalise_email, normalise_name, wire_enum};
use crate::{CountryCode, DomainError, InvalidReason, PartnerType};

/// The organisation sizes a partner serves (employees), as SPEC §2 names them.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
pub enum OrgSize {
    #[serde(rename = "1-9")]
    Micro,
    #[serde(rename = "10-49")]
    Small,
    #[serde(rename = "50-249")]
    Medium,
    #[serde(rename = "250-999")]
    Large,
    #[serde(rename = "1000+")]
    Enterprise,
}

impl OrgSize {
    pub const ALL: &'static [OrgSize] = &[
        OrgSize::Micro,
        OrgSize::Small,
        OrgSize::Medium,
        OrgSize::Large,
        OrgSize::Enterprise,
    ];

    /// The wire name, which is also how people write it.
    pub fn as_str(self) -> &'static str {
        match self {
            OrgSize::Micro => "1-9",
            OrgSize::Small => "10-49",
            OrgSize::Medium => "50-249",
            OrgSize::Large => "250-999",
            OrgSize::Enterprise => "1000+",
        }
    }

    /// A message-id-safe name (`size-<slug>`).
    pub fn slug(self) -> &'static str {
        match self {
            OrgSize::Micro => "micro",
            OrgSize::Small => "small",
            OrgSize::Medium => "medium",
            OrgSize::Large => "large",
            OrgSize::Enterprise => "enterprise",
        }
    }
}

impl fmt::Display for OrgSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for OrgSize {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, DomainError> {
        OrgSize::ALL
            .iter()
            .copied()
            .find(|o| o.as_str() == s.trim())
            .ok_or_else(|| {
                DomainError::invalid(
                    "org_size",
                    InvalidReason::NotOneOf {
                        value: s.chars().take(40).collect(),
                        expected: OrgSize::ALL
                            .iter()
                            .map(|o| o.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                    },
                )
            })
    }
}

wire_enum!(
    /// The kinds of service a partner lists (a fixed catalogue so that they can be faceted;
    /// anything finer goes in keywords).
    Service, "service" {
        CloudMigration => "cloud_migration", "Cloud migration";
        ManagedServices => "managed_services", "Managed services";
        Security => "security", "Security";
        Identity => "identity", "Identity and access";
        Collaboration => "collaboration", "Collaboration and e-mail";
        DataAnalytics => "data_analytics", "Data and analytics";
        Ai => "ai", "AI and automation";
        Devices => "devices", "Devices and endpoints";
        Licensing => "licensing", "Licensing";
        Training => "training", "Training";
        Support => "support", "Support";
        Development => "development", "Custom development";
        Backup => "backup", "Backup and recovery";
        Networking => "networking", "Networking";
    }
);

wire_enum!(
    /// The industries a partner serves.
    Industry, "industry" {
        Retail => "retail", "Retail";
        Manufacturing => "manufacturing", "Manufacturing";
        Finance => "finance", "Financial services";
        Healthcare => "healthcare", "Healthcare";
        Education => "education", "Education";
        PublicSector => "public_sector", "Public sector";
        Media => "media", "Media and entertainment";
        Logistics => "logistics", "Transport and logistics";
        Hospitality => "hospitality", "Hospitality";
        ProfessionalServices => "professional_services", "Professional services";
        Technology => "technology", "Technology";
        Nonprofit => "nonprofit", "Non-profit";
    }
);

wire_enum!(
    /// Languages a partner's staff speak (ISO 639-1).
    Language, "language" {
        Ko => "ko", "Korean";
        En => "en", "English";
        Ja => "ja", "Japanese";
        Zh => "zh", "Chinese";
        Vi => "vi", "Vietnamese";
        Th => "th", "Thai";
        Id => "id", "Indonesian";
        Hi => "hi", "Hindi";
        De => "de", "German";
        Fr => "fr", "French";
        Es => "es", "Spanish";
        Pt => "pt", "Portuguese";
        It => "it", "Italian";
        Nl => "nl", "Dutch";
        Ar => "ar", "Arabic";
        Ru => "ru", "Russian";
    }
);

wire_enum!(
    /// Where a lead stands in the partner's inbox.
    LeadStatus, "lead status" {
        New => "new", "New";
        Contacted => "contacted", "Contacted";
        Closed => "closed", "Closed";
    }
);

/// Bounds of a profile's fields (characters or items).
pub mod profile_limits {
    pub const NAME: usize = 120;
    pub const DESCRIPTION: usize = 4000;
    pub const CITY: usize = 80;
    pub const KEYWORDS: usize = 20;
    pub const KEYWORD: usize = 40;
}

/// A partner's public listing, validated (trimmed, bounded, de-duplicated, sorted lists).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerProfile {
    pub name: String,
    pub description: String,
    pub country: CountryCode,
    pub city: String,
    pub org_sizes: Vec<OrgSize>,
    pub services: Vec<Service>,
    pub keywords: Vec<String>,
    pub industries: Vec<Industry>,
    /// The relationship types it offers (a subset of those it is authorised to offer).
    pub types: Vec<PartnerType>,
    pub contact_email: String,
    pub languages: Vec<Language>,
    pub published: bool,
}

fn sorted_unique<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort();
    v.dedup();
    v
}

impl PartnerProfile {
    /// Checks and normalises a profile as submitted. `offered` is what the partner is
    /// authorised to offer; a type outside it is refused. A published profile needs at
    /// least one organisation size, service and language, so that filters can find it.
    pub fn validated(mut self, offered: &[PartnerType]) -> Result<Self, DomainError> {
        use profile_limits as l;
        self.name = normalise_name("name", &self.name, l::NAME)?;
        check_text("description", &self.description, l::DESCRIPTION)?;
        self.description = self.description.trim().to_string();
        self.city = normalise_name("city", &self.city, l::CITY)?;
        if self.keywords.len() > l::KEYWORDS {
            return Err(DomainError::invalid(
                "keywords",
                InvalidReason::TooManyItems { max: l::KEYWORDS },
            ));
        }
        let mut keywords = Vec::with_capacity(self.keywords.len());
        for k in &self.keywords {
            let k = normalise_name("keywords", k, l::KEYWORD)?;
            if !keywords
                .iter()
                .any(|x: &String| x.to_lowercase() == k.to_lowercase())
            {
                keywords.push(k);
            }
        }
        self.keywords = keywords;
        self.org_sizes = sorted_unique(self.org_sizes);
        self.services = sorted_unique(self.services);
        self.industries = sorted_unique(self.industries);
        self.languages = sorted_unique(self.languages);
        self.types = sorted_unique(self.types);
        if let Some(t) = self.types.iter().find(|t| !offered.contains(t)) {
            return Err(DomainError::PartnerTypeNotOffered {
                partner_type: t.as_str().to_string(),
            });
        }
        self.contact_email = normalise_email(&self.contact_email)
            .map_err(|_| DomainError::invalid("contact_email", InvalidReason::Email))?;
        if self.published {
            for (field, empty) in [
                ("org_sizes", self.org_sizes.is_empty()),
                ("services", self.services.is_empty()),
                ("languages", self.languages.is_empty()),
            ] {
                if empty {
                    return Err(DomainError::invalid(field, InvalidReason::NeededToPublish));
                }
            }
        }
        Ok(self)
    }

    /// All the profile's searchable text, for indexes that take one blob.
    pub fn search_text(&self) -> String {
        let mut s = String::with_capacity(self.name.len() + self.description.len() + 64);
        for part in [&self.name, &self.description, &self.city] {
            s.push_str(part);
            s.push('\n');
        }
        for k in &self.keywords {
            s.push_str(k);
            s.push('\n');
        }
        s
    }
}

/// Bounds of a lead's fields.
pub mod lead_limits {
    pub const NAME: usize = 120;
    pub const ORGANISATION: usize = 160;
    pub const PHONE: usize = 32;
    pub const MESSAGE: usize = 4000;
    /// Partners one submission may contact.
    pub const PARTNERS: usize = 10;
}

/// What a visitor sends with "Contact selected providers", validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeadInput {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub organisation: String,
    pub org_size: OrgSize,
    pub country: CountryCode,
    pub message: String,
}

impl LeadInput {
    /// Checks every field: required name, e-mail, organisation and message; a phone of
    /// digits, spaces and `+-()` if given.
    pub fn validated(mut self) -> Result<Self, DomainError> {
        use lead_limits as l;
        self.name = normalise_name("name", &self.name, l::NAME)?;
        self.email = normalise_email(&self.email)?;
        self.organisation = normalise_name("organisation", &self.organisation, l::ORGANISATION)?;
        let phone = self.phone.trim();
        if phone.chars().count() > l::PHONE {
            return Err(DomainError::invalid(
                "phone",
                InvalidReason::TooLong { max: l::PHONE },
            ));
        }
        if !phone
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')' | '.'))
            || (!phone.is_empty() && !phone.chars().any(|c| c.is_ascii_digit()))
        {
            return Err(DomainError::invalid("phone", InvalidReason::Phone));
        }
        self.phone = phone.to_string();
        check_text("message", &self.message, l::MESSAGE)?;
        self.message = self.message.trim().to_string();
        if self.message.is_empty() {
            return Err(DomainError::invalid("message", InvalidReason::Required));
        }
        Ok(self)
    }
}

/// Checks the partners a lead is sent to: one to [`lead_limits::PARTNERS`], no repeats.
pub fn check_lead_partners<T: PartialEq>(ids: &[T]) -> Result<(), DomainError> {
    if ids.is_empty() {
        return Err(DomainError::invalid(
            "partner_ids",
            InvalidReason::NoPartnersSelected,
        ));
    }
    if ids.iter().enumerate().any(|(i, a)| ids[..i].contains(a)) {
        return Err(DomainError::invalid(
            "partner_ids",
            InvalidReason::DuplicateItems,
        ));
    }
    if ids.len() > lead_limits::PARTNERS {
        return Err(DomainError::invalid(
            "partner_ids",
            InvalidReason::TooManyItems {
                max: lead_limits::PARTNERS,
            },
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile() -> PartnerProfile {
        PartnerProfile {
            name: "  Contoso Partners Korea ".into(),
            description: "클라우드 이전 전문".into(),
            country: CountryCode::parse("kr").unwrap(),
            city: "Seoul".into(),
            org_sizes: vec![OrgSize::Small, OrgSize::Micro, OrgSize::Small],
            services: vec![Service::Security],
            keywords: vec!["Azure".into(), "azure".into(), " M365 ".into()],
            industries: vec![],
            types: vec![PartnerType::Reseller],
            contact_email: "Sales@Contoso.example".into(),
            languages: vec![Language::Ko],
            published: true,
        }
    }

    #[test]
    fn a_profile_is_normalised() {
        let p = profile().validated(&[PartnerType::Reseller]).unwrap();
        assert_eq!(p.name, "Contoso Partners Korea");
        assert_eq!(p.org_sizes, vec![OrgSize::Micro, OrgSize::Small]);
        assert_eq!(p.keywords, vec!["Azure".to_string(), "M365".to_string()]);
        assert_eq!(p.contact_email, "sales@contoso.example");
    }

    #[test]
    fn a_type_not_offered_or_an_empty_published_filter_is_refused() {
        let e = profile().validated(&[PartnerType::Admin]).unwrap_err();
        assert!(matches!(e, DomainError::PartnerTypeNotOffered { .. }));
        let mut p = profile();
        p.languages.clear();
        assert!(p.clone().validated(&[PartnerType::Reseller]).is_err());
        p.published = false;
        assert!(p.validated(&[PartnerType::Reseller]).is_ok());
    }

    #[test]
    fn org_sizes_use_their_written_names() {
        for o in OrgSize::ALL {
            assert_eq!(o.as_str().parse::<OrgSize>().unwrap(), *o);
            assert_eq!(
                serde_json::to_string(o).unwrap(),
                format!("\"{}\"", o.as_str())
            );
        }
        assert!("5".parse::<OrgSize>().is_err());
    }

    #[test]
    fn a_lead_is_checked_field_by_field() {
        let ok = LeadInput {
            name: "Lee".into(),
            email: "lee@hanbit.example".into(),
            phone: "+82 2-1234-5678".into(),
            organisation: "Hanbit".into(),
            org_size: OrgSize::Small,
            country: CountryCode::parse("KR").unwrap(),
            message: "We need help moving to the cloud.".into(),
        };
        assert!(ok.clone().validated().is_ok());
        let mut bad = ok.clone();
        bad.phone = "call me".into();
        assert!(bad.validated().is_err());
        let mut bad = ok.clone();
        bad.message = "  ".into();
        assert!(bad.validated().is_err());
        assert!(check_lead_partners::<u8>(&[]).is_err());
        assert!(check_lead_partners(&[0u8; 11]).is_err());
        assert!(check_lead_partners(&[1u8, 2, 1]).is_err());
    }
}
