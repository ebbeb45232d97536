use std::fmt::Display;

use accord_domain::{TenantId, UserId};
use accord_store::{AuditRecord, Tx};
use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::{Principal, Result};

/// An audit event under construction. It is written, inside the use case's transaction,
/// once for every tenant concerned, so each side reads its trail by its own key.
pub(crate) struct Audit {
    actor_tenant: Option<TenantId>,
    actor_user: Option<UserId>,
    action: &'static str,
    subject_type: &'static str,
    subject_id: String,
    details: Value,
}

impl Audit {
    pub fn by(p: &Principal) -> AuditBuilder {
        AuditBuilder {
            actor_tenant: Some(p.tenant.id),
            actor_user: Some(p.user_id),
        }
    }

    /// An event with no signed-in actor (operator CLI, system tasks).
    pub fn system() -> AuditBuilder {
        AuditBuilder {
            actor_tenant: None,
            actor_user: None,
        }
    }

    pub fn details(mut self, details: Value) -> Self {
        self.details = details;
        self
    }

    pub async fn write(
        &self,
        tx: &mut dyn Tx,
        at: DateTime<Utc>,
        tenants: &[TenantId],
    ) -> Result<()> {
        for t in tenants {
            tx.insert_audit(&AuditRecord {
                tenant_id: *t,
                id: uuid::Uuid::now_v7(),
                at,
                actor_tenant_id: self.actor_tenant,
                actor_user_id: self.actor_user,
                action: self.action.to_string(),
                subject_type: self.subject_type.to_string(),
                subject_id: self.subject_id.clone(),
                details: self.details.clone(),
            })
            .await?;
        }
        Ok(())
    }

    /// Writes a provider-wide operator event (agreement versions, the region table).
    pub async fn write_operator(&self, tx: &mut dyn Tx, at: DateTime<Utc>) -> Result<()> {
        tx.insert_operator_event(&AuditRecord {
            tenant_id: TenantId(uuid::Uuid::nil()),
            id: uuid::Uuid::now_v7(),
            at,
            actor_tenant_id: None,
            actor_user_id: None,
            action: self.action.to_string(),
            subject_type: self.subject_type.to_string(),
            subject_id: self.subject_id.clone(),
            details: self.details.clone(),
        })
        .await?;
        Ok(())
    }
}

pub(crate) struct AuditBuilder {
    actor_tenant: Option<TenantId>,
    actor_user: Option<UserId>,
}

impl AuditBuilder {
    pub fn action(
        self,
        action: &'static str,
        subject_type: &'static str,
        subject_id: impl Display,
    ) -> Audit {
        Audit {
            actor_tenant: self.actor_tenant,
            actor_user: self.actor_user,
            action,
            subject_type,
            subject_id: subject_id.to_string(),
            details: Value::Object(Default::default()),
        }
    }
}
