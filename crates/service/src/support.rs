//! Service requests (SPEC F9): a partner opens a support case with the provider for a
//! customer, also after the customer removed its admin roles, as long as the relationship
//! exists; the provider's operators work the queue (new → in progress → resolved or
//! closed) and comment; the partner comments too; the customer reads its cases.

use accord_domain::{
    check_text, normalise_name, DomainError, PartnerRole, ServiceRequestId, ServiceRequestStatus,
    Severity, TenantId,
};
use accord_store::{CommentRecord, ServiceRequestFilter, ServiceRequestRecord, ServiceRequestRow};
use chrono::{DateTime, Utc};

use crate::invitations::CustomerDesk;
use crate::operator::OperatorDesk;
use crate::pages::{encode_cursor, page_from, Page, PageRequest};
use crate::partner::PartnerDesk;
use crate::work::{Actor, Audit, Work};
use crate::Result;

/// The longest title and description.
pub const MAX_TITLE: usize = 200;
pub const MAX_DESCRIPTION: usize = 4_000;

/// Partner roles that open service requests and comment on them: support is the
/// helpdesk's work as much as the admins'.
const SUPPORT: &[PartnerRole] = &[
    PartnerRole::PartnerAdmin,
    PartnerRole::AdminAgent,
    PartnerRole::HelpdeskAgent,
];

/// What a partner reports.
#[derive(Clone, Debug)]
pub struct NewServiceRequest {
    pub title: String,
    pub description: String,
    pub severity: Severity,
}

/// A comment on a service request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    pub id: uuid::Uuid,
    /// `partner` or `operator`.
    pub author_kind: String,
    pub author_name: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// A service request as its readers see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceRequest {
    pub id: ServiceRequestId,
    pub customer_id: TenantId,
    pub customer_name: String,
    pub partner_id: TenantId,
    pub partner_name: String,
    pub title: String,
    pub description: String,
    pub severity: Severity,
    pub status: ServiceRequestStatus,
    pub opened_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Oldest first (empty in lists).
    pub comments: Vec<Comment>,
}

fn request(r: ServiceRequestRow, comments: Vec<CommentRecord>) -> ServiceRequest {
    ServiceRequest {
        id: r.req.id,
        customer_id: r.req.tenant_id,
        customer_name: r.customer_name,
        partner_id: r.req.partner_id,
        partner_name: r.partner_name,
        title: r.req.title,
        description: r.req.description,
        severity: r.req.severity,
        status: r.req.status,
        opened_by: r.req.opened_by_name,
        created_at: r.req.created_at,
        updated_at: r.req.updated_at,
        comments: comments
            .into_iter()
            .map(|c| Comment {
                id: c.id,
                author_kind: c.author_kind,
                author_name: c.author_name,
                body: c.body,
                created_at: c.created_at,
            })
            .collect(),
    }
}

fn not_found() -> DomainError {
    DomainError::NotFound {
        what: "service_request",
    }
}

/// The most comments a request shows.
const MAX_COMMENTS: u32 = 500;

async fn list(
    tx: &mut dyn accord_store::ReadTx,
    filter: ServiceRequestFilter,
    page: &PageRequest,
) -> Result<Page<ServiceRequest>> {
    let limit = page.limit()?;
    let before = page.id_cursor()?;
    let rows = tx.list_service_requests(filter, before, limit + 1).await?;
    Ok(page_from(
        rows,
        limit,
        |r| encode_cursor("r", &r.req.id.to_string()),
        |r| request(r, Vec::new()),
    ))
}

fn check_comment(body: &str) -> Result<String> {
    let body = body.trim();
    if body.is_empty() {
        return Err(DomainError::invalid("comment", accord_domain::InvalidReason::Required).into());
    }
    check_text("comment", body, MAX_DESCRIPTION)?;
    Ok(body.to_string())
}

impl PartnerDesk<'_> {
    fn require_support(&self) -> Result<()> {
        self.require_partner_roles(SUPPORT)
    }

    /// Whether this user may open service requests and comment (the form shows only then).
    pub fn may_open_service_requests(&self) -> Result<()> {
        self.require_support()
    }

    /// The relationship must exist (admin roles are not needed: the partner stays
    /// responsible for support); 404 otherwise.
    async fn require_relationship(
        &self,
        tx: &mut dyn accord_store::ReadTx,
        customer: TenantId,
    ) -> Result<()> {
        crate::account::active_relationship(tx, customer, self.principal.tenant.id).await?;
        Ok(())
    }

    /// Opens a service request with the provider for a customer.
    pub async fn open_service_request(
        &self,
        customer: TenantId,
        input: &NewServiceRequest,
    ) -> Result<ServiceRequest> {
        self.require_support()?;
        let title = normalise_name("title", &input.title, MAX_TITLE)?;
        let description = input.description.trim().to_string();
        if description.is_empty() {
            return Err(DomainError::invalid(
                "description",
                accord_domain::InvalidReason::Required,
            )
            .into());
        }
        check_text("description", &description, MAX_DESCRIPTION)?;
        let p = self.principal;
        let mut w = Work::begin(self.accord, Actor::of(p)).await?;
        w.acting_for(customer);
        self.require_relationship(w.tx(), customer).await?;
        let now = w.now;
        let rec = ServiceRequestRecord {
            tenant_id: customer,
            id: ServiceRequestId::new(),
            partner_id: p.tenant.id,
            title,
            description,
            severity: input.severity,
            status: ServiceRequestStatus::New,
            opened_by: p.user_id,
            opened_by_name: p.display_name.clone(),
            created_at: now,
            updated_at: now,
        };
        w.tx().insert_service_request(&rec).await?;
        w.audit(
            Audit::new("service_request.opened", "service_request", rec.id)
                .details(serde_json::json!({"title": rec.title, "severity": rec.severity})),
            &[p.tenant.id, customer],
        );
        w.commit().await?;
        let mut tx = self.accord.store().read().await?;
        let row = tx
            .service_request(customer, rec.id)
            .await?
            .ok_or_else(not_found)?;
        Ok(request(row, Vec::new()))
    }

    /// The partner's service requests for a customer, newest first.
    pub async fn service_requests(
        &self,
        customer: TenantId,
        page: &PageRequest,
    ) -> Result<Page<ServiceRequest>> {
        let mut tx = self.accord.store().read().await?;
        self.require_relationship(tx.as_mut(), customer).await?;
        list(
            tx.as_mut(),
            ServiceRequestFilter::PartnerCustomer {
                partner: self.principal.tenant.id,
                customer,
            },
            page,
        )
        .await
    }

    /// One of the partner's service requests, with its comments.
    pub async fn service_request(
        &self,
        customer: TenantId,
        id: ServiceRequestId,
    ) -> Result<ServiceRequest> {
        let mut tx = self.accord.store().read().await?;
        self.require_relationship(tx.as_mut(), customer).await?;
        let row = tx
            .service_request(customer, id)
            .await?
            .filter(|r| r.req.partner_id == self.principal.tenant.id)
            .ok_or_else(not_found)?;
        let comments = tx.comments(customer, id, MAX_COMMENTS).await?;
        Ok(request(row, comments))
    }

    /// Adds the partner's comment to one of its service requests.
    pub async fn comment_service_request(
        &self,
        customer: TenantId,
        id: ServiceRequestId,
        body: &str,
    ) -> Result<ServiceRequest> {
        self.require_support()?;
        let body = check_comment(body)?;
        let p = self.principal;
        let mut w = Work::begin(self.accord, Actor::of(p)).await?;
        w.acting_for(customer);
        self.require_relationship(w.tx(), customer).await?;
        w.tx()
            .service_request(customer, id)
            .await?
            .filter(|r| r.req.partner_id == p.tenant.id)
            .ok_or_else(not_found)?;
        add_comment(
            &mut w,
            customer,
            id,
            "partner",
            &format!("{} ({})", p.display_name, p.tenant.name),
            &body,
        )
        .await?;
        w.audit(
            Audit::new("service_request.commented", "service_request", id),
            &[p.tenant.id, customer],
        );
        w.commit().await?;
        self.service_request(customer, id).await
    }
}

async fn add_comment(
    w: &mut Work,
    customer: TenantId,
    id: ServiceRequestId,
    kind: &str,
    author: &str,
    body: &str,
) -> Result<()> {
    let now = w.now;
    w.tx()
        .insert_comment(&CommentRecord {
            tenant_id: customer,
            request_id: id,
            id: uuid::Uuid::now_v7(),
            author_kind: kind.into(),
            author_name: author.into(),
            body: body.into(),
            created_at: now,
        })
        .await?;
    Ok(())
}

impl CustomerDesk<'_> {
    /// The organisation's service requests (opened by any of its partners), newest first.
    pub async fn service_requests(&self, page: &PageRequest) -> Result<Page<ServiceRequest>> {
        let mut tx = self.accord.store().read().await?;
        list(
            tx.as_mut(),
            ServiceRequestFilter::Customer(self.principal.tenant.id),
            page,
        )
        .await
    }

    /// One of the organisation's service requests, with its comments.
    pub async fn service_request(&self, id: ServiceRequestId) -> Result<ServiceRequest> {
        let customer = self.principal.tenant.id;
        let mut tx = self.accord.store().read().await?;
        let row = tx
            .service_request(customer, id)
            .await?
            .ok_or_else(not_found)?;
        let comments = tx.comments(customer, id, MAX_COMMENTS).await?;
        Ok(request(row, comments))
    }
}

impl OperatorDesk<'_> {
    /// The provider's queue, newest first, optionally in one status.
    pub async fn service_request_queue(
        &self,
        status: Option<ServiceRequestStatus>,
        page: &PageRequest,
    ) -> Result<Page<ServiceRequest>> {
        let mut tx = self.accord.store().read().await?;
        list(tx.as_mut(), ServiceRequestFilter::Queue(status), page).await
    }

    /// Any service request, with its comments.
    pub async fn service_request(
        &self,
        customer: TenantId,
        id: ServiceRequestId,
    ) -> Result<ServiceRequest> {
        let mut tx = self.accord.store().read().await?;
        let row = tx
            .service_request(customer, id)
            .await?
            .ok_or_else(not_found)?;
        let comments = tx.comments(customer, id, MAX_COMMENTS).await?;
        Ok(request(row, comments))
    }

    /// Moves a request through the queue and, optionally, says why in a comment.
    pub async fn update_service_request(
        &self,
        customer: TenantId,
        id: ServiceRequestId,
        status: Option<ServiceRequestStatus>,
        comment: Option<&str>,
    ) -> Result<ServiceRequest> {
        let comment = comment
            .filter(|c| !c.trim().is_empty())
            .map(check_comment)
            .transpose()?;
        let mut w = self.work().await?;
        let now = w.now;
        let row = w
            .tx()
            .service_request(customer, id)
            .await?
            .ok_or_else(not_found)?;
        let partner = row.req.partner_id;
        if let Some(to) = status.filter(|to| *to != row.req.status) {
            let from = row.req.status;
            if !from.may_become(to)
                || !w
                    .tx()
                    .set_service_request_status(customer, id, from, to, now)
                    .await?
            {
                return Err(DomainError::ServiceRequestStatusChange {
                    from: from.as_str().into(),
                    to: to.as_str().into(),
                }
                .into());
            }
            w.audit(
                Audit::new("service_request.status_changed", "service_request", id)
                    .details(serde_json::json!({"from": from, "to": to, "title": row.req.title})),
                &[partner, customer],
            );
        }
        if let Some(body) = comment {
            let author = self.author_name();
            add_comment(&mut w, customer, id, "operator", &author, &body).await?;
            w.audit(
                Audit::new("service_request.commented", "service_request", id),
                &[partner, customer],
            );
        }
        w.commit().await?;
        self.service_request(customer, id).await
    }
}
