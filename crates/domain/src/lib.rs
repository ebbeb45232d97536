//! Accord's domain: typed ids, the enums of the product (clouds, roles, partner types),
//! the state of relationship requests, relationships and delegated admin grants, and the
//! rules of the specification as pure functions, with one error type whose variants carry
//! stable machine codes.
//!
//! This crate must never do I/O, read the clock or depend on a runtime: every rule takes
//! the current time and the facts it needs as arguments, so it can be tested exhaustively.

mod access;
mod apps;
mod capabilities;
mod commerce;
mod devices;
mod error;
mod ids;
mod invalid;
mod locale;
mod model;
mod profile;
mod rules;

pub use access::*;
pub use apps::*;
pub use capabilities::*;
pub use commerce::*;
pub use devices::*;
pub use error::{DomainError, ErrorKind};
pub use ids::{
    AppId, AppVersionId, DeviceId, RelationshipId, RequestId, ServiceRequestId, SubscriptionId,
    TenantId, UserId,
};
pub use invalid::InvalidReason;
pub use locale::Locale;
pub use model::*;
pub use profile::*;
pub use rules::*;
