use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A new, time-ordered (UUIDv7) id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

id_type!(
    /// An organisation: a partner, a customer, or both.
    TenantId
);
id_type!(
    /// A user of one tenant's directory.
    UserId
);
id_type!(
    /// A relationship request (invitation) created by a partner.
    RequestId
);
id_type!(
    /// The one relationship between a partner and a customer.
    RelationshipId
);
id_type!(
    /// A subscription a partner bought for a customer.
    SubscriptionId
);
id_type!(
    /// A service request a partner opened with the provider for a customer.
    ServiceRequestId
);
id_type!(
    /// A device an OEM PC partner registered for a customer.
    DeviceId
);
id_type!(
    /// A line-of-business app a partner keeps for a customer.
    AppId
);
id_type!(
    /// One version of a line-of-business app.
    AppVersionId
);
