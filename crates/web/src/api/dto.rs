//! The API's wire types.

use accord_domain::{AdminAsk, DirectoryRole, GrantStatus, PartnerType, RequestStatus};
use accord_service::{
    AcceptOutcome, AccessToken, Agreement, InvitationView, PartnerDetail, Principal,
    RelationshipSummary, RequestCreated, RequestItem,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<u32>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CustomerQuery {
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<u32>,
    /// Keep customers whose name contains this text (case-insensitive).
    pub q: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeOut {
    pub user_id: Uuid,
    pub email: String,
    pub name: String,
    pub roles: Vec<String>,
    pub tenant_id: Uuid,
    pub tenant_name: String,
    pub is_partner: bool,
    pub cloud: accord_domain::Cloud,
    pub country: String,
}

impl From<&Principal> for MeOut {
    fn from(p: &Principal) -> Self {
        Self {
            user_id: p.user_id.0,
            email: p.email.clone(),
            name: p.display_name.clone(),
            roles: p.roles.iter().map(|r| r.as_str().to_string()).collect(),
            tenant_id: p.tenant.id.0,
            tenant_name: p.tenant.name.clone(),
            is_partner: p.tenant.is_partner,
            cloud: p.tenant.cloud,
            country: p.tenant.country.to_string(),
        }
    }
}

/// A personal access token, without its secret.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenOut {
    pub id: Uuid,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
}

impl From<AccessToken> for TokenOut {
    fn from(t: AccessToken) -> Self {
        Self {
            id: t.id,
            name: t.name,
            created_at: t.created_at,
            expires_at: t.expires_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AgreementOut {
    pub version: i64,
    pub title: String,
    pub body: String,
    pub published_at: DateTime<Utc>,
}

impl From<Agreement> for AgreementOut {
    fn from(a: Agreement) -> Self {
        Self {
            version: a.version,
            title: a.title,
            body: a.body,
            published_at: a.published_at,
        }
    }
}

/// A new relationship request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRequestIn {
    /// Include delegated admin privileges. Without `admin_roles` this is the legacy full
    /// grant (Global admin, no end date). `false` is refused for partners in the `usgov`
    /// and `germany` clouds.
    pub include_admin_privileges: bool,
    /// Whom the draft e-mail is addressed to.
    #[serde(default)]
    pub customer_email: Option<String>,
    /// Granular, time-bound grant: the directory roles asked for.
    #[serde(default)]
    pub admin_roles: Option<Vec<DirectoryRole>>,
    /// Granular grant duration, 1 to 730 days.
    #[serde(default)]
    pub duration_days: Option<u32>,
    /// Renew the granular grant by 180 days at its end (not with `global_admin`).
    #[serde(default)]
    pub auto_extend: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EmailOut {
    pub subject: String,
    pub body: String,
    /// A `mailto:` link that opens the draft in the default e-mail application.
    pub mailto: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RequestOut {
    pub id: Uuid,
    pub status: RequestStatus,
    pub types: Vec<PartnerType>,
    pub include_admin_privileges: bool,
    pub admin_roles: Vec<DirectoryRole>,
    /// Granular grants only.
    pub duration_days: Option<u32>,
    pub auto_extend: bool,
    pub customer_email: Option<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// The customer that accepted or declined.
    pub customer_id: Option<Uuid>,
}

impl From<RequestItem> for RequestOut {
    fn from(r: RequestItem) -> Self {
        Self {
            id: r.id.0,
            status: r.status,
            types: r.types,
            include_admin_privileges: r.ask.includes_admin(),
            admin_roles: r.ask.roles(),
            duration_days: r.ask.duration_days(),
            auto_extend: matches!(
                r.ask,
                AdminAsk::Granular {
                    auto_extend: true,
                    ..
                }
            ),
            customer_email: r.customer_email,
            created_at: r.created_at,
            expires_at: r.expires_at,
            resolved_at: r.resolved_at,
            customer_id: r.customer_id.map(|c| c.0),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RequestCreatedOut {
    #[serde(flatten)]
    pub request: RequestOut,
    /// The custom link for the customer; its last path segment is the token.
    pub link: String,
    pub email: EmailOut,
}

/// Percent-encodes for a `mailto:` URI component.
pub fn mailto_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn mailto(to: Option<&str>, subject: &str, body: &str) -> String {
    format!(
        "mailto:{}?subject={}&body={}",
        to.map(mailto_encode).unwrap_or_default(),
        mailto_encode(subject),
        mailto_encode(body)
    )
}

impl From<RequestCreated> for RequestCreatedOut {
    fn from(c: RequestCreated) -> Self {
        Self {
            email: EmailOut {
                mailto: mailto(c.email.to.as_deref(), &c.email.subject, &c.email.body),
                subject: c.email.subject,
                body: c.email.body,
            },
            link: c.link,
            request: RequestOut::from(c.request),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BlockerOut {
    pub code: String,
    pub detail: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationOut {
    pub partner_id: Uuid,
    pub partner_name: String,
    pub partner_country: String,
    pub status: RequestStatus,
    pub types: Vec<PartnerType>,
    pub include_admin_privileges: bool,
    pub admin_roles: Vec<DirectoryRole>,
    pub duration_days: Option<u32>,
    /// What is asked, in words.
    pub summary: String,
    pub expires_at: DateTime<Utc>,
    pub agreement: Option<AgreementOut>,
    pub agreement_already_accepted: bool,
    /// Whether the caller may accept now (Global admin and no blocking rule).
    pub can_accept: bool,
    /// A rule that would refuse acceptance now.
    pub blocker: Option<BlockerOut>,
}

impl From<InvitationView> for InvitationOut {
    fn from(v: InvitationView) -> Self {
        let blocker = v.blocker.as_ref().map(|e| BlockerOut {
            code: e.code().into(),
            detail: e.to_string(),
        });
        Self {
            partner_id: v.partner_id.0,
            partner_name: v.partner_name,
            partner_country: v.partner_country,
            status: v.status,
            types: v.types,
            include_admin_privileges: v.ask.includes_admin(),
            admin_roles: v.ask.roles(),
            duration_days: v.ask.duration_days(),
            summary: v.ask_text,
            expires_at: v.expires_at,
            agreement: v.agreement.map(AgreementOut::from),
            agreement_already_accepted: v.agreement_already_accepted,
            can_accept: v.viewer_is_global_admin && blocker.is_none(),
            blocker,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptIn {
    /// Must be `true`: "I have read and accept the customer agreement".
    pub accept_agreement: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AcceptOut {
    pub relationship_id: Uuid,
    pub partner_id: Uuid,
    pub partner_name: String,
    pub types: Vec<PartnerType>,
    pub admin_roles: Vec<DirectoryRole>,
    pub admin_ends_at: Option<DateTime<Utc>>,
    /// The agreement version accepted with this call, if it was not accepted before.
    pub agreement_version_accepted: Option<i64>,
    /// Whether an existing relationship was updated rather than created.
    pub updated_existing: bool,
}

impl From<AcceptOutcome> for AcceptOut {
    fn from(o: AcceptOutcome) -> Self {
        Self {
            relationship_id: o.relationship_id.0,
            partner_id: o.partner_id.0,
            partner_name: o.partner_name,
            types: o.types,
            admin_roles: o.admin_roles,
            admin_ends_at: o.admin_ends_at,
            agreement_version_accepted: o.agreement_accepted,
            updated_existing: o.updated_existing,
        }
    }
}

/// A relationship in a list: the other party (a customer on the partner's side, a partner
/// on the customer's side), the partner types in force and the admin grant now.
#[derive(Debug, Serialize, ToSchema)]
pub struct RelationshipOut {
    /// The other party's organisation id.
    pub id: Uuid,
    pub name: String,
    pub types: Vec<PartnerType>,
    pub has_admin_privileges: bool,
    pub admin_roles: Vec<DirectoryRole>,
    pub admin_status: Option<GrantStatus>,
    pub admin_ends_at: Option<DateTime<Utc>>,
    pub since: DateTime<Utc>,
}

impl From<RelationshipSummary> for RelationshipOut {
    fn from(r: RelationshipSummary) -> Self {
        Self {
            id: r.counterpart_id.0,
            name: r.name,
            types: r.types,
            has_admin_privileges: r.has_admin_privileges,
            admin_roles: r.admin_roles,
            admin_status: r.admin_status,
            admin_ends_at: r.admin_ends_at,
            since: r.since,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PartnerDetailOut {
    #[serde(flatten)]
    pub partner: RelationshipOut,
    pub domain: String,
    pub country: String,
    pub cloud: accord_domain::Cloud,
    /// Whether the customer can delete this relationship itself.
    pub can_delete: bool,
}

impl From<PartnerDetail> for PartnerDetailOut {
    fn from(d: PartnerDetail) -> Self {
        Self {
            partner: RelationshipOut::from(d.item),
            domain: d.domain,
            country: d.country,
            cloud: d.cloud,
            can_delete: d.can_delete,
        }
    }
}

macro_rules! page_type {
    ($name:ident, $item:ty) => {
        #[derive(Debug, Serialize, ToSchema)]
        pub struct $name {
            pub items: Vec<$item>,
            /// Pass as `cursor` to get the next page; `null` on the last page.
            pub next_cursor: Option<String>,
        }
    };
}

page_type!(RequestPage, RequestOut);
page_type!(CustomerPage, RelationshipOut);
page_type!(PartnerPage, RelationshipOut);
