//! The catalogue and subscriptions (SPEC F5, F7, F10): the operator keeps products; a
//! reseller buys, changes and cancels subscriptions for its customers, safely retried with
//! an `Idempotency-Key`; the customer sees every subscription with the partner that
//! provisioned it; each partner sees only what it may (its own, all with admin roles that
//! manage billing, the other MPSA partners' purchases read only when it is one). A partner
//! ends a relationship only once it has no active subscriptions there.

use std::collections::HashSet;

use accord_domain::{
    check_idempotency_key, check_may_buy, check_quantity, normalise_name, normalise_sku,
    subscription_access, Billing, Capability, Cloud, DomainError, InvalidReason, PartnerRole,
    PartnerType, RelationshipStatus, SubscriptionAccess, SubscriptionId, SubscriptionStatus,
    TenantId, UserId, IDEMPOTENCY_HOURS, MAX_SEATS,
};
use accord_store::{
    IdempotencyRecord, ProductRecord, ReadTx, RelationshipRecord, SubscriptionRecord,
    SubscriptionRow,
};
use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};

use crate::invitations::{require_current_agreement, CustomerDesk};
use crate::operator::OperatorDesk;
use crate::pages::{encode_cursor, page_from, Page, PageRequest};
use crate::partner::PartnerDesk;
use crate::work::{Actor, Audit, Change, Work};
use crate::{Accord, Principal, Result};

/// Partner roles that buy and manage subscriptions.
const BUYERS: &[PartnerRole] = &[
    PartnerRole::PartnerAdmin,
    PartnerRole::AdminAgent,
    PartnerRole::SalesAgent,
];

/// A product of the catalogue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Product {
    pub sku: String,
    pub name: String,
    pub billing: Billing,
    pub max_quantity: u32,
    pub clouds: Vec<Cloud>,
    pub retired: bool,
}

impl From<ProductRecord> for Product {
    fn from(p: ProductRecord) -> Self {
        Self {
            sku: p.sku,
            name: p.name,
            billing: p.billing,
            max_quantity: p.max_quantity,
            clouds: p.clouds,
            retired: p.retired,
        }
    }
}

/// What the operator says about a product.
#[derive(Clone, Debug)]
pub struct ProductInput {
    pub sku: String,
    pub name: String,
    pub billing: Billing,
    /// Seats per subscription at most (ignored for per-subscription products).
    pub max_quantity: u32,
    pub clouds: Vec<Cloud>,
    pub retired: bool,
}

/// A subscription as its viewer sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subscription {
    pub id: SubscriptionId,
    pub customer_id: TenantId,
    pub partner_id: TenantId,
    pub partner_name: String,
    pub sku: String,
    pub product_name: String,
    pub billing: Billing,
    pub quantity: u32,
    pub status: SubscriptionStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub cancelled_at: Option<DateTime<Utc>>,
    /// Whether the viewer may change and cancel it (a partner's own, or any with admin
    /// roles that manage billing; never for the customer, which buys through partners).
    pub can_manage: bool,
}

fn subscription(row: SubscriptionRow, access: SubscriptionAccess) -> Subscription {
    Subscription {
        id: row.sub.id,
        customer_id: row.sub.tenant_id,
        partner_id: row.sub.partner_id,
        partner_name: row.partner_name,
        sku: row.sub.sku,
        product_name: row.product_name,
        billing: row.billing,
        quantity: row.sub.quantity,
        status: row.sub.status,
        created_at: row.sub.created_at,
        updated_at: row.sub.updated_at,
        cancelled_at: row.sub.cancelled_at,
        can_manage: access == SubscriptionAccess::Manage,
    }
}

/// A result and whether it repeats the first outcome of its `Idempotency-Key`.
#[derive(Clone, Debug)]
pub struct Idempotent<T> {
    pub value: T,
    pub replayed: bool,
}

/// A new subscription: which product and how many.
#[derive(Clone, Debug)]
pub struct NewSubscription {
    pub sku: String,
    pub quantity: i64,
}

fn fingerprint(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0]);
    }
    format!("{:x}", h.finalize())
}

fn not_found() -> DomainError {
    DomainError::NotFound {
        what: "subscription",
    }
}

/// Who a partner is for one customer: what its relationship lets it see and change.
struct PartnerView {
    rel: RelationshipRecord,
    types: Vec<PartnerType>,
    manages_all: bool,
    /// The customer's MPSA partners (with this one, if it is one).
    mpsa_partners: HashSet<TenantId>,
}

impl PartnerView {
    fn is_mpsa(&self) -> bool {
        self.types.contains(&PartnerType::Mpsa)
    }

    fn access(&self, row: &SubscriptionRow) -> SubscriptionAccess {
        subscription_access(
            row.sub.partner_id == self.rel.partner_id,
            self.manages_all,
            self.is_mpsa(),
            self.mpsa_partners.contains(&row.sub.partner_id),
        )
    }
}

/// The partner's view of a customer as one of its users (`agent`) has it; 404 unless the
/// relationship is active. The user manages every subscription of the customer, not only
/// its partner's, when it holds `billing_manage` there: a role (Global admin, Billing
/// admin) both granted and assigned to it while the grant is in force, or held as a guest.
async fn partner_view(
    tx: &mut dyn ReadTx,
    customer: TenantId,
    partner: TenantId,
    agent: UserId,
    now: DateTime<Utc>,
) -> Result<PartnerView> {
    let rel = crate::account::active_relationship(&mut *tx, customer, partner).await?;
    let types = crate::account::state_of(&rel).effective_types(now);
    let manages_all = !crate::directory::facts_with(&mut *tx, Some(&rel), partner, customer, agent)
        .await?
        .allowing(Capability::BillingManage, now.timestamp_millis())
        .is_empty();
    let mut mpsa_partners = HashSet::new();
    if types.contains(&PartnerType::Mpsa) && !manages_all {
        let mut after = None;
        loop {
            let batch = tx.list_partners(customer, after.clone(), 500).await?;
            let done = batch.len() < 500;
            after = batch.last().map(|r| (r.partner_name.clone(), r.partner_id));
            for r in batch {
                if r.types.contains(&PartnerType::Mpsa) {
                    mpsa_partners.insert(r.partner_id);
                }
            }
            if done {
                break;
            }
        }
    }
    Ok(PartnerView {
        rel,
        types,
        manages_all,
        mpsa_partners,
    })
}

/// One page of the subscriptions `keep` lets through, newest first; `only` narrows the
/// query to one provisioning partner when that is all the viewer may see.
async fn visible_page(
    tx: &mut dyn ReadTx,
    customer: TenantId,
    only: Option<TenantId>,
    page: &PageRequest,
    keep: impl Fn(&SubscriptionRow) -> SubscriptionAccess,
) -> Result<Page<Subscription>> {
    let limit = page.limit()?;
    let mut before: Option<SubscriptionId> = page.id_cursor()?;
    let mut rows = Vec::new();
    // Filtered views may skip rows: read on until the page is full or the list ends.
    loop {
        let batch = tx
            .list_subscriptions(customer, only, before, limit + 1)
            .await?;
        let done = batch.len() <= limit as usize;
        before = batch.last().map(|r| r.sub.id);
        for r in batch {
            let a = keep(&r);
            if a != SubscriptionAccess::None {
                rows.push((r, a));
            }
        }
        if done || rows.len() > limit as usize {
            break;
        }
    }
    Ok(page_from(
        rows,
        limit,
        |(r, _)| encode_cursor("s", &r.sub.id.to_string()),
        |(r, a)| subscription(r, a),
    ))
}

impl Accord {
    /// The products a signed-in user's organisation may buy or be sold: those sold in its
    /// cloud, by code.
    pub async fn products_for(&self, p: &Principal, page: &PageRequest) -> Result<Page<Product>> {
        let limit = page.limit()?;
        let after = page.cursor_parts()?.map(|(_, sku)| sku);
        let mut tx = self.store().read().await?;
        let rows = tx
            .list_products(Some(p.tenant.cloud), after.as_deref(), limit + 1)
            .await?;
        Ok(page_from(
            rows,
            limit,
            |r| encode_cursor("p", &r.sku),
            Product::from,
        ))
    }
}

impl OperatorDesk<'_> {
    /// Adds a product to the catalogue or changes one (retiring it stops new sales;
    /// existing subscriptions keep it).
    pub async fn put_product(&self, input: &ProductInput) -> Result<Product> {
        let sku = normalise_sku(&input.sku)?;
        let name = normalise_name("name", &input.name, 200)?;
        let mut clouds = input.clouds.clone();
        clouds.sort();
        clouds.dedup();
        if clouds.is_empty() {
            return Err(DomainError::invalid("clouds", InvalidReason::NoClouds).into());
        }
        let max_quantity = match input.billing {
            Billing::PerSubscription => 1,
            Billing::PerSeat if (1..=MAX_SEATS).contains(&input.max_quantity) => input.max_quantity,
            Billing::PerSeat => {
                return Err(DomainError::invalid(
                    "max_quantity",
                    InvalidReason::Quantity { max: MAX_SEATS },
                )
                .into())
            }
        };
        let mut w = self.work().await?;
        let now = w.now;
        let before = w.tx().product(&sku).await?;
        let rec = ProductRecord {
            sku: sku.clone(),
            name,
            billing: input.billing,
            max_quantity,
            clouds,
            retired: input.retired,
            created_at: before.as_ref().map_or(now, |b| b.created_at),
            updated_at: now,
        };
        w.tx().upsert_product(&rec).await?;
        w.operator_event(Audit::new("product.saved", "product", &sku).details(
            serde_json::json!({"name": rec.name, "billing": rec.billing, "max_quantity": rec.max_quantity,
                "clouds": rec.clouds, "retired": rec.retired, "new": before.is_none()}),
        ));
        w.changed(Change::ReferenceChanged { what: "products" });
        w.commit().await?;
        Ok(Product::from(rec))
    }

    /// The whole catalogue, retired products included.
    pub async fn products(&self) -> Result<Vec<Product>> {
        let mut tx = self.accord.store().read().await?;
        let mut out = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let batch = tx.list_products(None, after.as_deref(), 500).await?;
            let done = batch.len() < 500;
            after = batch.last().map(|p| p.sku.clone());
            out.extend(batch.into_iter().map(Product::from));
            if done {
                return Ok(out);
            }
        }
    }
}

impl CustomerDesk<'_> {
    /// Every subscription of the organisation, newest first, with the partner that
    /// provisioned it.
    pub async fn subscriptions(&self, page: &PageRequest) -> Result<Page<Subscription>> {
        let mut tx = self.accord.store().read().await?;
        visible_page(tx.as_mut(), self.principal.tenant.id, None, page, |_| {
            SubscriptionAccess::Read
        })
        .await
        .map(|mut p| {
            for s in &mut p.items {
                s.can_manage = false;
            }
            p
        })
    }
}

impl PartnerDesk<'_> {
    fn require_buyer(&self) -> Result<()> {
        self.require_partner_roles(BUYERS)
    }

    /// Whether this user may buy and manage subscriptions (the form is offered only then).
    pub fn may_buy(&self) -> Result<()> {
        self.require_buyer()
    }

    /// The customer's subscriptions this partner may see, newest first.
    pub async fn subscriptions(
        &self,
        customer: TenantId,
        page: &PageRequest,
    ) -> Result<Page<Subscription>> {
        let now = self.accord.now();
        let mut tx = self.accord.store().read().await?;
        let view = partner_view(
            tx.as_mut(),
            customer,
            self.principal.tenant.id,
            self.principal.user_id,
            now,
        )
        .await?;
        let only = (!view.manages_all && !view.is_mpsa()).then_some(view.rel.partner_id);
        visible_page(tx.as_mut(), customer, only, page, |r| view.access(r)).await
    }

    /// One subscription of the customer, if this partner may see it.
    pub async fn subscription(
        &self,
        customer: TenantId,
        id: SubscriptionId,
    ) -> Result<Subscription> {
        let now = self.accord.now();
        let mut tx = self.accord.store().read().await?;
        let view = partner_view(
            tx.as_mut(),
            customer,
            self.principal.tenant.id,
            self.principal.user_id,
            now,
        )
        .await?;
        let row = tx.subscription(customer, id).await?.ok_or_else(not_found)?;
        match view.access(&row) {
            SubscriptionAccess::None => Err(not_found().into()),
            a => Ok(subscription(row, a)),
        }
    }

    /// Takes an `Idempotency-Key` in `w`, or answers the subscription its first use made
    /// (refusing the key if that use asked for something else).
    async fn idempotency(
        &self,
        w: &mut Work,
        key: Option<&str>,
        fingerprint: String,
        resource: SubscriptionId,
        customer: TenantId,
    ) -> Result<Option<Subscription>> {
        let Some(key) = key else { return Ok(None) };
        let rec = IdempotencyRecord {
            tenant_id: self.principal.tenant.id,
            key: key.to_string(),
            fingerprint: fingerprint.clone(),
            resource_id: resource.to_string(),
            created_at: w.now,
        };
        let fresh_after = w.now - Duration::hours(IDEMPOTENCY_HOURS);
        let Some(first) = w.tx().claim_idempotency_key(&rec, fresh_after).await? else {
            return Ok(None);
        };
        if first.fingerprint != fingerprint {
            return Err(DomainError::IdempotencyKeyReused.into());
        }
        let id: SubscriptionId = first
            .resource_id
            .parse()
            .map_err(|_| crate::Error::Internal("idempotency key with a bad resource".into()))?;
        let row = w
            .tx()
            .subscription(customer, id)
            .await?
            .ok_or_else(not_found)?;
        Ok(Some(subscription(row, SubscriptionAccess::Manage)))
    }

    /// Buys a subscription for a customer (SPEC F5): a reseller only, a product sold in
    /// the customer's cloud, a quantity the product allows, and only once the customer
    /// has accepted the current agreement (F4). With `idempotency_key`, a retry answers
    /// the first outcome instead of buying twice.
    pub async fn buy(
        &self,
        customer: TenantId,
        input: &NewSubscription,
        idempotency_key: Option<&str>,
    ) -> Result<Idempotent<Subscription>> {
        self.require_buyer()?;
        if let Some(k) = idempotency_key {
            check_idempotency_key(k)?;
        }
        let sku = normalise_sku(&input.sku)?;
        let partner = self.principal.tenant.id;
        let mut w = Work::begin(self.accord, Actor::of(self.principal)).await?;
        w.acting_for(customer);
        let now = w.now;
        let view = partner_view(w.tx(), customer, partner, self.principal.user_id, now).await?;
        let id = SubscriptionId::new();
        let print = fingerprint(&[
            "buy",
            &customer.to_string(),
            &sku,
            &input.quantity.to_string(),
        ]);
        if let Some(first) = self
            .idempotency(&mut w, idempotency_key, print, id, customer)
            .await?
        {
            return Ok(Idempotent {
                value: first,
                replayed: true,
            });
        }
        check_may_buy(&view.types)?;
        let cloud = self.principal.tenant.cloud;
        let product = w
            .tx()
            .product(&sku)
            .await?
            .filter(|p| !p.retired && p.clouds.contains(&cloud))
            .ok_or_else(|| {
                DomainError::invalid(
                    "sku",
                    InvalidReason::ProductNotAvailable { sku: sku.clone() },
                )
            })?;
        let quantity = check_quantity(product.billing, product.max_quantity, input.quantity)?;
        require_current_agreement(w.tx(), customer).await?;
        let rec = SubscriptionRecord {
            tenant_id: customer,
            id,
            partner_id: partner,
            sku: sku.clone(),
            quantity,
            status: SubscriptionStatus::Active,
            created_by: self.principal.user_id,
            created_at: now,
            updated_at: now,
            cancelled_at: None,
        };
        w.tx().insert_subscription(&rec).await?;
        w.audit(
            Audit::new("subscription.created", "subscription", id).details(serde_json::json!({
                "sku": sku, "product": product.name, "quantity": quantity,
                "partner_id": partner, "partner": view.rel.partner_name, "customer_id": customer,
            })),
            &[partner, customer],
        );
        w.commit().await?;
        Ok(Idempotent {
            value: subscription(
                SubscriptionRow {
                    sub: rec,
                    partner_name: view.rel.partner_name,
                    product_name: product.name,
                    billing: product.billing,
                },
                SubscriptionAccess::Manage,
            ),
            replayed: false,
        })
    }

    /// The subscription, locked in `w`, if this partner may manage it.
    async fn managed(
        &self,
        w: &mut Work,
        customer: TenantId,
        id: SubscriptionId,
    ) -> Result<(PartnerView, SubscriptionRow)> {
        let now = w.now;
        let view = partner_view(
            w.tx(),
            customer,
            self.principal.tenant.id,
            self.principal.user_id,
            now,
        )
        .await?;
        let row = w
            .tx()
            .subscription(customer, id)
            .await?
            .ok_or_else(not_found)?;
        match view.access(&row) {
            SubscriptionAccess::Manage => Ok((view, row)),
            SubscriptionAccess::Read => Err(DomainError::SubscriptionReadOnly {
                partner: row.partner_name,
            }
            .into()),
            SubscriptionAccess::None => Err(not_found().into()),
        }
    }

    /// Changes the number of seats. More seats are a purchase: they need the current
    /// agreement accepted.
    pub async fn change_quantity(
        &self,
        customer: TenantId,
        id: SubscriptionId,
        quantity: i64,
        idempotency_key: Option<&str>,
    ) -> Result<Idempotent<Subscription>> {
        self.require_buyer()?;
        if let Some(k) = idempotency_key {
            check_idempotency_key(k)?;
        }
        let mut w = Work::begin(self.accord, Actor::of(self.principal)).await?;
        w.acting_for(customer);
        let now = w.now;
        let (_, row) = self.managed(&mut w, customer, id).await?;
        let print = fingerprint(&[
            "quantity",
            &customer.to_string(),
            &id.to_string(),
            &quantity.to_string(),
        ]);
        if let Some(first) = self
            .idempotency(&mut w, idempotency_key, print, id, customer)
            .await?
        {
            return Ok(Idempotent {
                value: first,
                replayed: true,
            });
        }
        if row.sub.status != SubscriptionStatus::Active {
            return Err(DomainError::SubscriptionNotActive.into());
        }
        let product =
            w.tx().product(&row.sub.sku).await?.ok_or_else(|| {
                crate::Error::Internal("subscription of a missing product".into())
            })?;
        let quantity = check_quantity(product.billing, product.max_quantity, quantity)?;
        if quantity > row.sub.quantity {
            require_current_agreement(w.tx(), customer).await?;
        }
        let from = row.sub.quantity;
        let sub = SubscriptionRecord {
            quantity,
            updated_at: now,
            ..row.sub.clone()
        };
        if from != quantity {
            w.tx().update_subscription(&sub).await?;
            if quantity < from {
                // Seats held by users stay held: fewer seats than licences is refused. The
                // update above holds the subscription's row, so a licence assigned
                // meanwhile waits for this to end, and one assigned before is counted.
                let in_use = w
                    .tx()
                    .license_counts(customer)
                    .await?
                    .into_iter()
                    .find(|(s, _)| *s == id)
                    .map_or(0, |(_, n)| n);
                if u64::from(quantity) < in_use {
                    return Err(DomainError::SeatsInUse {
                        product: row.product_name.clone(),
                        seats: quantity,
                        in_use,
                    }
                    .into());
                }
            }
            w.audit(
                Audit::new("subscription.quantity_changed", "subscription", id).details(
                    serde_json::json!({"sku": sub.sku, "product": row.product_name, "from": from, "to": quantity}),
                ),
                &[row.sub.partner_id, customer],
            );
        }
        w.commit().await?;
        let sub = if from == quantity {
            row.sub.clone()
        } else {
            sub
        };
        Ok(Idempotent {
            value: subscription(SubscriptionRow { sub, ..row }, SubscriptionAccess::Manage),
            replayed: false,
        })
    }

    /// Cancels a subscription; cancelling a cancelled one changes nothing.
    pub async fn cancel(&self, customer: TenantId, id: SubscriptionId) -> Result<Subscription> {
        self.require_buyer()?;
        let mut w = Work::begin(self.accord, Actor::of(self.principal)).await?;
        w.acting_for(customer);
        let now = w.now;
        let (_, row) = self.managed(&mut w, customer, id).await?;
        if row.sub.status == SubscriptionStatus::Cancelled {
            return Ok(subscription(row, SubscriptionAccess::Manage));
        }
        let sub = SubscriptionRecord {
            status: SubscriptionStatus::Cancelled,
            updated_at: now,
            cancelled_at: Some(now),
            ..row.sub.clone()
        };
        w.tx().update_subscription(&sub).await?;
        w.audit(
            Audit::new("subscription.cancelled", "subscription", id).details(
                serde_json::json!({"sku": sub.sku, "product": row.product_name, "quantity": sub.quantity}),
            ),
            &[row.sub.partner_id, customer],
        );
        w.commit().await?;
        Ok(subscription(
            SubscriptionRow { sub, ..row },
            SubscriptionAccess::Manage,
        ))
    }

    /// Whether this user may end relationships: partner admins.
    pub fn may_end_relationship(&self) -> Result<()> {
        if self
            .principal
            .has_any_partner_role(&[PartnerRole::PartnerAdmin])
        {
            Ok(())
        } else {
            Err(DomainError::PartnerRoleRequired {
                needed: "partner_admin".into(),
            }
            .into())
        }
    }

    /// Ends the relationship with a customer (SPEC F7), with any admin roles, once the
    /// partner has no active subscriptions it provisioned there (`active_subscriptions_exist`
    /// lists them). A later accepted request starts a new relationship; the history stays.
    pub async fn end_relationship(&self, customer: TenantId) -> Result<()> {
        self.may_end_relationship()?;
        let p = self.principal;
        let partner = p.tenant.id;
        let mut w = Work::begin(self.accord, Actor::of(p)).await?;
        let now = w.now;
        let mut rel = w
            .tx()
            .relationship_for_update(customer, partner)
            .await?
            .filter(|r| r.status == RelationshipStatus::Active)
            .ok_or(DomainError::NotFound { what: "customer" })?;
        let active = w.tx().active_subscriptions(customer, partner, 1000).await?;
        if !active.is_empty() {
            let listed: Vec<String> = active
                .iter()
                .take(50)
                .map(|s| format!("{} × {} ({})", s.sub.sku, s.sub.quantity, s.sub.id))
                .collect();
            let more = if active.len() > listed.len() {
                ", …"
            } else {
                ""
            };
            return Err(DomainError::ActiveSubscriptionsExist {
                count: active.len(),
                subscriptions: format!("{}{more}", listed.join(", ")),
                ids: active.iter().take(50).map(|s| s.sub.id).collect(),
            }
            .into());
        }
        let types = rel.types.clone();
        if let Some(g) = rel.grant.as_mut().filter(|g| g.terminated_at.is_none()) {
            g.terminated_at = Some(now);
        }
        rel.status = RelationshipStatus::Ended;
        rel.updated_at = now;
        w.tx().upsert_relationship(&rel).await?;
        crate::access::clear_assignments(&mut w, partner, customer).await?;
        crate::guests::clear_guests(&mut w, partner, customer).await?;
        w.changed(Change::RelationshipChanged { customer, partner });
        w.audit(
            Audit::new("relationship.ended", "relationship", rel.id).details(serde_json::json!({
                "by": "partner", "by_name": p.display_name, "by_email": p.email, "types": types,
                "partner": rel.partner_name, "customer": rel.customer_name,
            })),
            &[partner, customer],
        );
        w.commit().await
    }
}
