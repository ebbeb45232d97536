//! The catalogue and subscriptions (SPEC F5, F7): what can be bought, a reseller buying
//! for its customer (safe to retry with `Idempotency-Key`), and the customer's list.

use accord_domain::{Billing, Cloud, DomainError, SubscriptionStatus};
use accord_service::{Idempotent, NewSubscription, Product, Subscription};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::common::{id_or_404, page_type, Json, PageQuery};
use super::extract::{whole_i64, ApiJson, ApiPath, ApiQuery};
use super::ApiResult;
use crate::auth::ApiUser;
use crate::error::Problem;
use crate::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_products))
        .routes(routes!(list_customer_subscriptions, buy))
        .routes(routes!(get_subscription, change_quantity))
        .routes(routes!(cancel))
        .routes(routes!(list_own_subscriptions))
}

/// A product of the catalogue.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProductOut {
    /// The product code to buy with.
    pub sku: String,
    pub name: String,
    pub billing: Billing,
    /// The most seats one subscription may have (1 for per-subscription products).
    pub max_quantity: u32,
    pub clouds: Vec<Cloud>,
}

impl From<Product> for ProductOut {
    fn from(p: Product) -> Self {
        Self {
            sku: p.sku,
            name: p.name,
            billing: p.billing,
            max_quantity: p.max_quantity,
            clouds: p.clouds,
        }
    }
}

/// A subscription: what was bought, for whom, through which partner.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriptionOut {
    pub id: Uuid,
    pub customer_id: Uuid,
    /// The partner that provisioned it.
    pub partner_id: Uuid,
    pub partner_name: String,
    pub sku: String,
    pub product_name: String,
    pub billing: Billing,
    pub quantity: u32,
    pub status: SubscriptionStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub cancelled_at: Option<DateTime<Utc>>,
    /// Whether the caller may change and cancel it.
    pub can_manage: bool,
}

impl From<Subscription> for SubscriptionOut {
    fn from(s: Subscription) -> Self {
        Self {
            id: s.id.0,
            customer_id: s.customer_id.0,
            partner_id: s.partner_id.0,
            partner_name: s.partner_name,
            sku: s.sku,
            product_name: s.product_name,
            billing: s.billing,
            quantity: s.quantity,
            status: s.status,
            created_at: s.created_at,
            updated_at: s.updated_at,
            cancelled_at: s.cancelled_at,
            can_manage: s.can_manage,
        }
    }
}

page_type!(ProductPage, ProductOut);
page_type!(SubscriptionPage, SubscriptionOut);

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSubscriptionIn {
    /// A product code from `GET /api/v1/products`.
    #[schema(
        min_length = 1,
        max_length = 40,
        pattern = "^ *[A-Za-z0-9._-]{1,40} *$"
    )]
    pub sku: String,
    /// Seats (1 for a per-subscription product).
    #[schema(minimum = 1, maximum = 100000)]
    #[serde(deserialize_with = "whole_i64")]
    pub quantity: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuantityIn {
    /// The new number of seats.
    #[schema(minimum = 1, maximum = 100000)]
    #[serde(deserialize_with = "whole_i64")]
    pub quantity: i64,
}

/// The `Idempotency-Key` header, if sent.
fn idempotency_key(h: &HeaderMap) -> Result<Option<String>, DomainError> {
    let Some(v) = h.get("idempotency-key") else {
        return Ok(None);
    };
    let k = v.to_str().map_err(|_| {
        DomainError::invalid(
            "Idempotency-Key",
            accord_domain::InvalidReason::IdempotencyKey,
        )
    })?;
    accord_domain::check_idempotency_key(k)?;
    Ok(Some(k.to_string()))
}

/// The answer of an idempotent operation: a replay says so in `Idempotent-Replayed`.
fn answer(status: StatusCode, r: Idempotent<Subscription>) -> Response {
    let mut res = (status, Json(SubscriptionOut::from(r.value))).into_response();
    if r.replayed {
        res.headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    res
}

/// The products the caller's organisation can buy or be sold: those sold in its cloud.
#[utoipa::path(get, path = "/api/v1/products", tag = "subscriptions",
    security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = ProductPage)))]
async fn list_products(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<ProductPage>> {
    let page = s.accord.products_for(&p, &q.page()).await?;
    Ok(Json(ProductPage::of(page, ProductOut::from)))
}

/// The customer's subscriptions the partner may see, newest first: those it provisioned;
/// all of them with the Global admin or Billing admin role; for an MPSA partner also the
/// other MPSA partners' purchases (read only).
#[utoipa::path(get, path = "/api/v1/customers/{customer_id}/subscriptions", tag = "subscriptions",
    security(("bearer" = [])), params(("customer_id" = Uuid, Path, description = "Customer organisation id"), PageQuery),
    responses((status = 200, body = SubscriptionPage), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn list_customer_subscriptions(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(customer): ApiPath<String>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<SubscriptionPage>> {
    let page = s
        .accord
        .partner_desk(&p)?
        .subscriptions(id_or_404(&customer, "customer")?, &q.page())
        .await?;
    Ok(Json(SubscriptionPage::of(page, SubscriptionOut::from)))
}

/// Buys a subscription for the customer (a reseller's partner admin, admin agent or sales
/// agent). Refused when the partner is not a reseller (`partner_type_required`), the
/// product is not sold in the cloud or the quantity is out of range (422), or the
/// customer has not accepted the current agreement (`agreement_not_accepted`). A retry
/// with the same `Idempotency-Key` answers the first outcome (header
/// `Idempotent-Replayed: true`); the key with another body is refused
/// (`idempotency_key_reused`).
#[utoipa::path(post, path = "/api/v1/customers/{customer_id}/subscriptions", tag = "subscriptions",
    security(("bearer" = [])),
    params(("customer_id" = Uuid, Path, description = "Customer organisation id"),
           ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry answer the first outcome for 24 hours (1–255 visible ASCII characters)", pattern = "^[!-~]{1,255}$")),
    request_body = NewSubscriptionIn,
    responses((status = 201, body = SubscriptionOut), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn buy(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(customer): ApiPath<String>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<NewSubscriptionIn>,
) -> ApiResult<Response> {
    let key = idempotency_key(&headers)?;
    let r = s
        .accord
        .partner_desk(&p)?
        .buy(
            id_or_404(&customer, "customer")?,
            &NewSubscription {
                sku: input.sku,
                quantity: input.quantity,
            },
            key.as_deref(),
        )
        .await?;
    Ok(answer(StatusCode::CREATED, r))
}

/// One subscription of the customer, if the partner may see it.
#[utoipa::path(get, path = "/api/v1/customers/{customer_id}/subscriptions/{id}", tag = "subscriptions",
    security(("bearer" = [])),
    params(("customer_id" = Uuid, Path, description = "Customer organisation id"), ("id" = Uuid, Path, description = "Subscription id")),
    responses((status = 200, body = SubscriptionOut), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn get_subscription(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath((customer, id)): ApiPath<(String, String)>,
) -> ApiResult<Json<SubscriptionOut>> {
    let sub = s
        .accord
        .partner_desk(&p)?
        .subscription(
            id_or_404(&customer, "customer")?,
            id_or_404(&id, "subscription")?,
        )
        .await?;
    Ok(Json(SubscriptionOut::from(sub)))
}

/// Changes the number of seats (more seats need the current agreement accepted). Only a
/// partner that may manage the subscription (`subscription_read_only` otherwise);
/// a cancelled one cannot change (`subscription_not_active`), and seats assigned to users
/// cannot be taken away (`seats_in_use`).
#[utoipa::path(patch, path = "/api/v1/customers/{customer_id}/subscriptions/{id}", tag = "subscriptions",
    security(("bearer" = [])),
    params(("customer_id" = Uuid, Path, description = "Customer organisation id"), ("id" = Uuid, Path, description = "Subscription id"),
           ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry answer the first outcome for 24 hours (1–255 visible ASCII characters)", pattern = "^[!-~]{1,255}$")),
    request_body = QuantityIn,
    responses((status = 200, body = SubscriptionOut), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn change_quantity(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath((customer, id)): ApiPath<(String, String)>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<QuantityIn>,
) -> ApiResult<Response> {
    let key = idempotency_key(&headers)?;
    let r = s
        .accord
        .partner_desk(&p)?
        .change_quantity(
            id_or_404(&customer, "customer")?,
            id_or_404(&id, "subscription")?,
            input.quantity,
            key.as_deref(),
        )
        .await?;
    Ok(answer(StatusCode::OK, r))
}

/// Cancels the subscription; cancelling a cancelled one answers it unchanged.
#[utoipa::path(post, path = "/api/v1/customers/{customer_id}/subscriptions/{id}/cancel", tag = "subscriptions",
    security(("bearer" = [])),
    params(("customer_id" = Uuid, Path, description = "Customer organisation id"), ("id" = Uuid, Path, description = "Subscription id")),
    responses((status = 200, body = SubscriptionOut), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn cancel(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath((customer, id)): ApiPath<(String, String)>,
) -> ApiResult<Json<SubscriptionOut>> {
    let sub = s
        .accord
        .partner_desk(&p)?
        .cancel(
            id_or_404(&customer, "customer")?,
            id_or_404(&id, "subscription")?,
        )
        .await?;
    Ok(Json(SubscriptionOut::from(sub)))
}

/// The organisation's own subscriptions, newest first, each with the partner that
/// provisioned it.
#[utoipa::path(get, path = "/api/v1/subscriptions", tag = "subscriptions",
    security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = SubscriptionPage)))]
async fn list_own_subscriptions(
    State(s): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<SubscriptionPage>> {
    let page = s.accord.customer_desk(&p).subscriptions(&q.page()).await?;
    Ok(Json(SubscriptionPage::of(page, SubscriptionOut::from)))
}
