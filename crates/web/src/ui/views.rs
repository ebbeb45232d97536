//! Page view models. Templates get preformatted strings so that they stay logic-free.

use accord_domain::{DirectoryRole, GrantStatus, Locale, PartnerType};
use askama::Template;
use chrono::{DateTime, Utc};

use crate::auth::SessionUser;

/// What every page's header needs: who is signed in, the CSRF token for sign-out, and
/// the reader's language (every word on a page comes through [`Chrome::t`]).
pub struct Chrome {
    pub user_name: Option<String>,
    pub org_name: String,
    pub is_partner: bool,
    /// The provider's operator: the header links to the console.
    pub is_operator: bool,
    pub csrf: String,
    /// Where the header's "Sign in" link goes (back to the current page afterwards).
    pub signin_href: String,
    pub locale: Locale,
    /// The current page, for the language switcher to come back to.
    pub here: String,
}

impl Chrome {
    /// The header of a page that does not ask for a session: still shows who is signed
    /// in, if anyone is (resolved once per request by the session layer).
    pub fn anonymous() -> Self {
        match crate::auth::viewer() {
            Some(u) => Self::of_user(&u),
            None => Self::base(),
        }
    }

    fn base() -> Self {
        Self {
            user_name: None,
            org_name: String::new(),
            is_partner: false,
            is_operator: false,
            csrf: String::new(),
            signin_href: "/signin".into(),
            locale: crate::i18n::current(),
            here: crate::i18n::here(),
        }
    }

    /// A message in the page's language.
    pub fn t(&self, id: &str) -> String {
        accord_i18n::text(self.locale, id)
    }

    /// A message with one value.
    pub fn t1(&self, id: &str, k: &str, v: impl std::fmt::Display) -> String {
        accord_i18n::text_with(self.locale, id, &[(k, &v.to_string())])
    }

    /// A message with two values.
    pub fn t2(
        &self,
        id: &str,
        k1: &str,
        v1: impl std::fmt::Display,
        k2: &str,
        v2: impl std::fmt::Display,
    ) -> String {
        accord_i18n::text_with(
            self.locale,
            id,
            &[(k1, &v1.to_string()), (k2, &v2.to_string())],
        )
    }

    /// `<html lang>`.
    pub fn lang(&self) -> &'static str {
        self.locale.as_str()
    }

    /// The switcher's link to `to` (`en`, `ko`), coming back here.
    pub fn lang_href(&self, to: &str) -> String {
        format!("/lang/{to}?next={}", crate::api::mailto_encode(&self.here))
    }

    pub fn is_locale(&self, l: &str) -> bool {
        self.locale.as_str() == l
    }

    /// An anonymous page whose sign-in link returns to `path`.
    pub fn anonymous_at(path: &str) -> Self {
        Self {
            signin_href: format!("/signin?next={}", crate::api::mailto_encode(path)),
            ..Self::base()
        }
    }

    pub fn of(u: Option<&SessionUser>) -> Self {
        match u {
            None => Self::anonymous(),
            Some(u) => Self::of_user(u),
        }
    }

    fn of_user(u: &SessionUser) -> Self {
        Self {
            user_name: Some(u.principal.display_name.clone()),
            org_name: u.principal.tenant.name.clone(),
            is_partner: u.principal.tenant.is_partner && u.principal.has_partner_role(),
            is_operator: !u.principal.tenant.is_partner
                && u.principal.has_role(accord_domain::Role::Operator),
            csrf: u.csrf.clone(),
            ..Self::base()
        }
    }

    /// Which portal the page belongs to (`partner`, `admin`), for the header.
    pub fn section(&self) -> &'static str {
        if self.here.starts_with("/partner") {
            "partner"
        } else if self.here.starts_with("/admin") {
            "admin"
        } else if self.here.starts_with("/operator") {
            "operator"
        } else {
            ""
        }
    }
}

pub fn date(t: DateTime<Utc>) -> String {
    accord_i18n::date(crate::i18n::current(), t)
}

pub fn datetime(t: DateTime<Utc>) -> String {
    accord_i18n::datetime(crate::i18n::current(), t)
}

pub fn types_text(types: &[PartnerType]) -> String {
    accord_i18n::types(crate::i18n::current(), types)
}

pub fn roles_text(roles: &[DirectoryRole]) -> String {
    accord_i18n::roles(crate::i18n::current(), roles)
}

/// The roles a partner asked for, when the customer approved fewer (else empty).
pub fn requested_text(r: &accord_service::RelationshipSummary) -> String {
    if r.requested_roles == r.admin_roles {
        String::new()
    } else {
        roles_text(&r.requested_roles)
    }
}

/// The roles awaiting the customer's consent (empty when none).
pub fn pending_text(r: &accord_service::RelationshipSummary) -> String {
    if r.pending_roles.is_empty() {
        String::new()
    } else {
        roles_text(&r.pending_roles)
    }
}

/// A code's name in the page's language (`cloud`, `country`, `status`…).
pub fn name(kind: &str, code: &str) -> String {
    accord_i18n::name(crate::i18n::current(), kind, code)
}

/// A relationship's admin access as a list shows it: the grant's status, its end date (or
/// when it stopped) and whether it renews itself, e.g. "Expiring · 2026-12-10 · renews
/// itself by 180 days".
pub fn grant_text(r: &accord_service::RelationshipSummary) -> String {
    let in_force = r.has_admin_privileges;
    let ends = end_text(r.admin_status, r.admin_ends_at, in_force, r.admin_ended_at);
    match r.admin_status {
        Some(s) if in_force => {
            let mut text = format!("{} · {ends}", name("grant", s.as_str()));
            if r.auto_extend {
                text.push_str(" · ");
                text.push_str(&crate::i18n::t("grant-renews"));
            }
            text
        }
        _ => ends,
    }
}

pub fn end_text(
    status: Option<GrantStatus>,
    ends: Option<DateTime<Utc>>,
    has_roles: bool,
    ended: Option<DateTime<Utc>>,
) -> String {
    let on = |id: &str, word: &str| match ended {
        Some(at) => crate::i18n::ta(id, &[("date", &date(at))]),
        None => crate::i18n::t(word),
    };
    match (has_roles, ends) {
        (false, _) => match status {
            Some(GrantStatus::Terminated) => on("removed-on", "word-removed"),
            Some(GrantStatus::Expired) => on("expired-on", "word-expired"),
            _ => crate::i18n::t("word-dash"),
        },
        (true, None) => crate::i18n::t("word-no-end-date"),
        (true, Some(e)) => date(e),
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub chrome: Chrome,
    pub title: String,
    pub message: String,
    pub code: String,
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub chrome: Chrome,
}

#[derive(Template)]
#[template(path = "signin.html")]
pub struct SignInPage {
    pub chrome: Chrome,
    pub csrf: String,
    pub next: String,
    pub email: String,
    pub error: Option<String>,
}

/// Choosing a new password after signing in with a temporary one.
#[derive(Template)]
#[template(path = "change_password.html")]
pub struct ChangePasswordPage {
    pub chrome: Chrome,
    pub csrf: String,
    pub next: String,
    pub email: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "agreement.html")]
pub struct AgreementPage {
    pub chrome: Chrome,
    pub version: i64,
    pub title: String,
    pub paragraphs: Vec<String>,
    pub published: String,
}

pub struct CustomerRow {
    pub id: String,
    pub name: String,
    pub types: String,
    pub roles: String,
    pub ends: String,
    pub since: String,
}

#[derive(Template)]
#[template(path = "partner_customers.html")]
pub struct CustomersPage {
    pub chrome: Chrome,
    /// Whether the user's role may request relationships (the button shows only then).
    pub can_request: bool,
    pub q: String,
    pub rows: Vec<CustomerRow>,
    pub next_href: Option<String>,
    pub notice: Option<String>,
}

pub struct RequestRow {
    pub id: String,
    pub status: String,
    pub pending: bool,
    pub asked: String,
    pub email: String,
    pub created: String,
    pub expires: String,
}

#[derive(Template)]
#[template(path = "partner_requests.html")]
pub struct RequestsPage {
    pub chrome: Chrome,
    pub can_request: bool,
    pub rows: Vec<RequestRow>,
    pub next_href: Option<String>,
    pub notice: Option<String>,
}

/// A partner type as a choice or a line on a page: its name and the seed's description.
pub struct TypeOption {
    pub code: String,
    pub name: String,
    pub description: String,
    pub checked: bool,
}

impl TypeOption {
    pub fn of(t: PartnerType, checked: bool) -> Self {
        let l = crate::i18n::current();
        Self {
            code: t.as_str().to_string(),
            name: accord_i18n::name(l, "type", t.as_str()),
            description: accord_i18n::name(l, "type-desc", t.as_str()),
            checked,
        }
    }
}

#[derive(Template)]
#[template(path = "partner_request_new.html")]
pub struct NewRequestPage {
    pub chrome: Chrome,
    /// The types offered besides delegated admin (the "include delegated admin
    /// privileges" box), and whether delegated admin is offered.
    pub types: Vec<TypeOption>,
    pub offers_delegated_admin: bool,
    pub cloud: String,
    pub admin_required: bool,
    pub error: FormError,
    pub customer_email: String,
    /// Admin roles that may be asked for a granular, time-bound grant.
    pub roles: Vec<super::directory::RoleBox>,
    pub duration_days: String,
    pub auto_extend: bool,
    /// The lead the request answers (empty: none), the draft e-mail's language, and a
    /// line saying whose lead it is.
    pub lead_id: String,
    pub email_language: String,
    pub lead_note: Option<String>,
}

/// A refused form's error, in words, and the form field it belongs to, so that the page
/// shows it next to that field (`aria-invalid`, `aria-describedby`) or above the form.
#[derive(Default)]
pub struct FormError {
    text: Option<String>,
    field: &'static str,
}

impl FormError {
    /// `field` names the form field, or is empty for the form as a whole.
    pub fn new(e: Option<&accord_domain::DomainError>, field: &'static str) -> Self {
        Self {
            text: e.map(crate::i18n::error),
            field,
        }
    }

    /// Whether the error belongs to `field`.
    pub fn invalid(&self, field: &str) -> bool {
        self.text.is_some() && self.field == field
    }

    /// Whether the error belongs to the form as a whole.
    pub fn whole(&self) -> bool {
        self.text.is_some() && self.field.is_empty()
    }

    pub fn text(&self) -> &str {
        self.text.as_deref().unwrap_or_default()
    }
}

#[derive(Template)]
#[template(path = "partner_request_draft.html")]
pub struct DraftPage {
    pub chrome: Chrome,
    pub link: String,
    pub subject: String,
    pub body: String,
    pub to: String,
    pub mailto: String,
    pub expires: String,
}

#[derive(Template)]
#[template(path = "invitation_anonymous.html")]
pub struct InvitationAnonPage {
    pub chrome: Chrome,
    pub partner_name: String,
    /// What the request asks for, without the roles (those only after sign-in).
    pub asks: String,
    pub asks_admin: bool,
    pub usable: bool,
    pub message: String,
    pub signin_href: String,
    pub signup_href: String,
}

#[derive(Template)]
#[template(path = "invitation.html")]
pub struct InvitationPage {
    pub chrome: Chrome,
    pub token: String,
    pub partner_name: String,
    pub partner_country: String,
    pub types: String,
    /// Each type asked, with what it lets the partner do.
    pub type_lines: Vec<TypeOption>,
    pub ask: String,
    pub includes_admin: bool,
    /// The roles of a granular ask, each approvable on its own (empty otherwise).
    pub approve_roles: Vec<super::directory::RoleBox>,
    pub expires: String,
    pub agreement_title: String,
    pub agreement_version: i64,
    pub agreement_already_accepted: bool,
    pub blocker: Option<String>,
    pub not_global_admin: bool,
    pub error: Option<String>,
}

/// What a person typed into the sign-up form, given back with an error.
#[derive(Default)]
pub struct SignUpFields {
    pub name: String,
    pub domain: String,
    pub country: String,
    pub admin_name: String,
    pub admin_email: String,
}

pub struct CountryOption {
    pub code: String,
    pub name: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "invitation_signup.html")]
pub struct SignUpPage {
    pub chrome: Chrome,
    pub token: String,
    pub partner_name: String,
    pub cloud: String,
    /// "Contoso is in South Korea (Asia Pacific)…": who the partner can work with.
    pub place: String,
    pub countries: Vec<CountryOption>,
    pub csrf: String,
    pub f: SignUpFields,
    pub error: FormError,
}

impl SignUpPage {
    pub fn new(
        token: String,
        preview: &accord_service::InvitationPreview,
        csrf: String,
        f: SignUpFields,
        error: Option<&accord_domain::DomainError>,
    ) -> Self {
        use accord_domain::DomainError as E;
        let l = crate::i18n::current();
        let mut countries: Vec<CountryOption> = preview
            .countries
            .iter()
            .map(|c| CountryOption {
                code: c.clone(),
                name: accord_i18n::country(l, c),
                selected: c.eq_ignore_ascii_case(f.country.trim())
                    || (f.country.is_empty() && *c == preview.partner_country),
            })
            .collect();
        countries.sort_by(|a, b| a.name.cmp(&b.name));
        let country = accord_i18n::country(l, &preview.partner_country);
        let place = match &preview.partner_region {
            Some(r) => crate::i18n::ta(
                "signup-place-region",
                &[
                    ("partner", &preview.partner_name),
                    ("country", &country),
                    ("region", &accord_i18n::name(l, "region", r)),
                ],
            ),
            None => crate::i18n::ta(
                "signup-place-country",
                &[("partner", &preview.partner_name), ("country", &country)],
            ),
        };
        // The form field an error belongs to, by the rule's field name.
        let field = match error {
            Some(E::InvalidInput { field, .. }) => match field.as_str() {
                "organisation name" => "name",
                "domain" => "domain",
                "country" => "country",
                "name" => "admin_name",
                "email" => "admin_email",
                "password" => "password",
                _ => "",
            },
            Some(E::RegionMismatch { .. } | E::CloudMismatch { .. }) => "country",
            _ => "",
        };
        Self {
            chrome: Chrome::anonymous(),
            token,
            partner_name: preview.partner_name.clone(),
            cloud: accord_i18n::name(l, "cloud", preview.cloud.as_str()),
            place,
            countries,
            csrf,
            f,
            error: FormError::new(error, field),
        }
    }
}

/// The answer to every sign-up: an e-mail is on its way.
#[derive(Template)]
#[template(path = "invitation_signup_sent.html")]
pub struct SignUpSentPage {
    pub chrome: Chrome,
    pub token: String,
    pub partner_name: String,
    pub email: String,
    pub hours: i64,
}

/// The confirmation link's page: what will be created, and the button that does it.
#[derive(Template)]
#[template(path = "invitation_signup_confirm.html")]
pub struct SignUpConfirmPage {
    pub chrome: Chrome,
    pub action: String,
    pub csrf: String,
    pub partner_name: String,
    pub cloud: String,
    pub org_name: String,
    pub domain: String,
    pub country: String,
    pub admin_name: String,
    pub admin_email: String,
    pub expires: String,
}

#[derive(Template)]
#[template(path = "invitation_declined.html")]
pub struct DeclinedPage {
    pub chrome: Chrome,
    pub partner_name: String,
}

pub struct PartnerRow {
    pub id: String,
    pub name: String,
    pub types: String,
    pub roles: String,
    pub ends: String,
    /// Roles the partner asked to add, awaiting consent (empty when none).
    pub pending: String,
}

#[derive(Template)]
#[template(path = "admin_partners.html")]
pub struct PartnersPage {
    pub chrome: Chrome,
    pub rows: Vec<PartnerRow>,
    pub next_href: Option<String>,
    pub notice: Option<String>,
    pub agreement_missing: bool,
}

#[derive(Template)]
#[template(path = "admin_partner.html")]
pub struct PartnerPage {
    pub chrome: Chrome,
    /// The partner's user to contact for support, if it named one.
    pub contact: Option<String>,
    pub id: String,
    pub has_admin: bool,
    pub is_global_admin: bool,
    pub notice: Option<String>,
    pub name: String,
    pub domain: String,
    pub country: String,
    pub cloud: String,
    pub types: String,
    pub roles: String,
    /// What the partner asked for, when the organisation approved less (else empty).
    pub requested: String,
    /// Roles the partner asked to add, awaiting consent.
    pub pending: Vec<super::directory::RoleBox>,
    pub ends: String,
    pub since: String,
    pub can_delete: bool,
    /// The relationship's history (Global admins only; empty otherwise).
    pub history: Vec<EventRow>,
    /// Whether the Guest accounts section shows (a relationship of the Partner type).
    pub show_guests: bool,
    pub guests: Vec<GuestRow>,
    /// The roles a guest may be given, for the add form.
    pub guest_roles: Vec<super::directory::RoleBox>,
    pub guest_email: String,
    pub guest_error: FormError,
}

/// A partner's user in the customer's directory as a guest account.
pub struct GuestRow {
    pub user_id: String,
    pub name: String,
    pub email: String,
    pub roles: String,
    pub added: String,
}

impl GuestRow {
    pub fn of(g: &accord_service::Guest) -> Self {
        Self {
            user_id: g.user_id.to_string(),
            name: g.display_name.clone(),
            email: g.email.clone(),
            roles: if g.roles.is_empty() {
                crate::i18n::t("guest-no-roles")
            } else {
                roles_text(&g.roles)
            },
            added: crate::i18n::ta(
                "guest-added-by",
                &[("date", &date(g.added_at)), ("by", &g.added_by)],
            ),
        }
    }
}

/// "Are you sure?" for an irreversible action: what will happen, the button that does it
/// (a form, so it works without script) and the way back.
#[derive(Template)]
#[template(path = "confirm.html")]
pub struct ConfirmPage {
    pub chrome: Chrome,
    pub title: String,
    pub explain: String,
    pub action: String,
    pub confirm: String,
    pub back: String,
    pub back_label: String,
}

impl ConfirmPage {
    /// The question for a signed-in user, with the way back named "Go back".
    pub fn new(
        u: &SessionUser,
        title: String,
        explain: String,
        action: String,
        confirm: String,
        back: String,
    ) -> Self {
        Self {
            chrome: Chrome::of(Some(u)),
            title,
            explain,
            action,
            confirm,
            back,
            back_label: crate::i18n::t("confirm-back"),
        }
    }
}

#[derive(Template)]
#[template(path = "admin_billing_accounts.html")]
pub struct BillingAccountsPage {
    pub chrome: Chrome,
    pub domain: String,
    pub location: String,
}

pub struct AgreementRow {
    pub version: i64,
    pub title: String,
    pub accepted: String,
    pub by: String,
}

#[derive(Template)]
#[template(path = "admin_agreement.html")]
pub struct AgreementsPage {
    pub chrome: Chrome,
    pub rows: Vec<AgreementRow>,
    /// The current version when the organisation has not accepted it: (version, title,
    /// published).
    pub pending: Option<(i64, String, String)>,
    pub is_global_admin: bool,
    pub notice: Option<String>,
    pub error: Option<String>,
}

/// A customer as the partner sees it (SPEC F4 step 6, "expand the customer").
#[derive(Template)]
#[template(path = "partner_customer.html")]
pub struct CustomerPage {
    pub chrome: Chrome,
    pub name: String,
    pub domain: String,
    pub location: String,
    pub types: String,
    pub roles: String,
    pub ends: String,
    pub since: String,
    pub agreement: String,
    pub id: String,
    /// The support contact, as a person reads it.
    pub contact: String,
    /// The partner's users to choose from (empty: this user may not name one).
    pub candidates: Vec<UserOption>,
    pub notice: Option<String>,
    pub subscriptions: Vec<SubRow>,
    /// Products to buy (empty with `buy_hint` when this user or partner cannot buy).
    pub products: Vec<ProductOption>,
    pub buy_hint: Option<String>,
    pub buy_error: FormError,
    /// A fresh `Idempotency-Key` for the buy form: sending it twice buys once.
    pub buy_key: String,
    pub quantity: String,
    pub history: Vec<EventRow>,
    pub can_end: bool,
    /// This partner's service requests for the customer.
    pub requests: Vec<SrRow>,
    pub can_open_request: bool,
    /// Whether the Devices section shows (an OEM PC relationship, or devices on record).
    pub show_devices: bool,
    /// How many devices this partner registered, as a person reads it.
    pub devices_text: String,
    /// Whether the apps section shows (an LOB relationship, or apps on record).
    pub show_apps: bool,
    pub apps: Vec<super::oem::AppRow>,
    pub can_make_apps: bool,
    /// Roles the partner asked for beyond those approved (empty when all were).
    pub requested: String,
    /// Roles asked to add, awaiting the customer's consent (empty when none).
    pub pending: String,
    /// Granted roles that no agent holds: nobody can use the grant.
    pub unassigned: bool,
    /// The partner's users who are guest accounts in the customer.
    pub guests: Vec<GuestRow>,
}

/// A service request in a list.
pub struct SrRow {
    pub href: String,
    pub title: String,
    pub severity: String,
    pub status: String,
    pub partner: String,
    pub updated: String,
}

impl SrRow {
    pub fn of(r: &accord_service::ServiceRequest, href: String) -> Self {
        Self {
            href,
            title: r.title.clone(),
            severity: name("severity", r.severity.as_str()),
            status: name("sr-status", r.status.as_str()),
            partner: r.partner_name.clone(),
            updated: datetime(r.updated_at),
        }
    }
}

pub struct CommentRow {
    pub who: String,
    pub when: String,
    pub body: String,
}

/// One service request with its comments, for the partner and the customer.
#[derive(Template)]
#[template(path = "service_request.html")]
pub struct ServiceRequestPage {
    pub chrome: Chrome,
    pub back_href: String,
    pub back_label: String,
    pub notice: Option<String>,
    pub title: String,
    pub status: String,
    pub severity: String,
    pub customer: String,
    pub partner: String,
    pub opened: String,
    pub updated: String,
    pub description: String,
    pub comments: Vec<CommentRow>,
    /// Where the comment form posts (none: read only).
    pub comment_action: Option<String>,
    pub error: FormError,
    /// The statuses an operator may choose in the form (empty for everyone else).
    pub statuses: Vec<ProductOption>,
}

impl ServiceRequestPage {
    pub fn of(
        chrome: Chrome,
        r: accord_service::ServiceRequest,
        back: (String, String),
        comment_action: Option<String>,
    ) -> Self {
        Self {
            chrome,
            back_href: back.0,
            back_label: back.1,
            notice: None,
            status: name("sr-status", r.status.as_str()),
            severity: name("severity", r.severity.as_str()),
            customer: r.customer_name,
            partner: r.partner_name,
            opened: format!("{}, {}", r.opened_by, datetime(r.created_at)),
            updated: datetime(r.updated_at),
            description: r.description,
            comments: r
                .comments
                .into_iter()
                .map(|c| CommentRow {
                    who: if c.author_kind == "operator" {
                        crate::i18n::ta("sr-by-operator", &[("name", &c.author_name)])
                    } else {
                        c.author_name
                    },
                    when: datetime(c.created_at),
                    body: c.body,
                })
                .collect(),
            comment_action,
            error: FormError::default(),
            statuses: Vec::new(),
            title: r.title,
        }
    }
}

#[derive(Template)]
#[template(path = "service_request_new.html")]
pub struct ServiceRequestNewPage {
    pub chrome: Chrome,
    pub heading: String,
    pub customer: String,
    pub back_href: String,
    pub action: String,
    pub error: FormError,
    pub title: String,
    pub description: String,
    /// Severity choices (`sku` holds the value).
    pub severities: Vec<ProductOption>,
}

#[derive(Template)]
#[template(path = "admin_service_requests.html")]
pub struct AdminServiceRequestsPage {
    pub chrome: Chrome,
    pub requests: Vec<SrRow>,
    pub next: Option<String>,
}

/// A product in the buy form.
pub struct ProductOption {
    pub sku: String,
    pub label: String,
    pub selected: bool,
}

/// A subscription in a table.
pub struct SubRow {
    pub id: String,
    pub product: String,
    pub quantity: u32,
    pub status: String,
    pub partner: String,
    pub since: String,
    /// Active and the viewer may change or cancel it.
    pub manage: bool,
    /// Seen only (another MPSA partner's purchase).
    pub read_only: bool,
    pub per_seat: bool,
    pub max: u32,
}

impl SubRow {
    pub fn of(s: &accord_service::Subscription, max: u32) -> Self {
        let active = s.status == accord_domain::SubscriptionStatus::Active;
        Self {
            id: s.id.to_string(),
            product: format!("{} ({})", s.product_name, s.sku),
            quantity: s.quantity,
            status: name("subscription-status", s.status.as_str()),
            partner: s.partner_name.clone(),
            since: date(s.created_at),
            manage: s.can_manage && active,
            read_only: !s.can_manage,
            per_seat: s.billing == accord_domain::Billing::PerSeat,
            max,
        }
    }
}

/// An event of a history table.
pub struct EventRow {
    pub when: String,
    pub what: String,
    pub by: String,
}

impl EventRow {
    pub fn of(e: &accord_service::AuditEvent) -> Self {
        let locale = crate::i18n::current();
        let id = format!("event-{}", e.action.replace('.', "-"));
        let mut what = if accord_i18n::has(locale, &id) {
            crate::i18n::t(&id)
        } else {
            e.action.clone()
        };
        let d = &e.details;
        let sku = d.get("sku").and_then(|v| v.as_str());
        match (sku, d.get("quantity"), d.get("from"), d.get("to")) {
            (Some(sku), Some(q), _, _) => what = format!("{what}: {sku} × {q}"),
            (Some(sku), None, Some(f), Some(t)) => what = format!("{what}: {sku}, {f} → {t}"),
            _ => {}
        }
        let text = |k: &str| d.get(k).and_then(|v| v.as_str());
        match (text("name"), text("version"), d.get("count")) {
            (Some(n), Some(v), _) => what = format!("{what}: {n} {v}"),
            (Some(n), None, _)
                if e.action.starts_with("app.") || e.action.starts_with("guest.") =>
            {
                what = format!("{what}: {n}")
            }
            (_, _, Some(c)) if e.action == "devices.registered" => what = format!("{what}: {c}"),
            _ => {}
        }
        if let Some(t) = text("target").or(text("agent")) {
            what = format!("{what}: {t}");
        }
        let by = match (&e.actor, &e.actor_organisation) {
            (Some(a), Some(o)) => format!("{a}, {o}"),
            (Some(a), None) => a.clone(),
            _ if e.actor_kind == "local_operator" => crate::i18n::t("history-operator"),
            _ => crate::i18n::t("history-system"),
        };
        Self {
            when: datetime(e.at),
            what,
            by,
        }
    }
}

#[derive(Template)]
#[template(path = "admin_subscriptions.html")]
pub struct AdminSubscriptionsPage {
    pub chrome: Chrome,
    pub subscriptions: Vec<SubRow>,
    pub next: Option<String>,
}

pub struct UserOption {
    pub id: String,
    pub label: String,
    pub selected: bool,
}
