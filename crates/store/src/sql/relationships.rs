//! Queries of relationships, keyed by the customer; the partner's customer list uses the
//! partner index.

use std::collections::BTreeSet;

use accord_domain::{AdminGrant, DirectoryRole, PartnerType, RelationshipStatus, TenantId, UserId};
use async_trait::async_trait;
use sqlx::any::AnyRow;

use super::{col, flag, fold, get, join, like_pattern, ms, opt_time, split, time, SqlTx};
use crate::{RelationshipReads, RelationshipRecord, RelationshipWrites, StoreError, StoreResult};

pub(super) const RELATIONSHIP_COLS: &str =
    "tenant_id, partner_id, relationship_id, partner_name, customer_name, types, \
     status, admin_roles, admin_starts_at, admin_ends_at, admin_auto_extend, admin_terminated_at, \
     created_at, updated_at, customer_name_fold, partner_name_fold, admin_requested_roles, \
     admin_pending_roles";

pub(super) fn relationship_row(r: &AnyRow) -> StoreResult<RelationshipRecord> {
    let roles: Option<String> = get(r, "admin_roles")?;
    let grant = match roles {
        None => None,
        Some(roles) => Some(AdminGrant {
            roles: split::<DirectoryRole>("directory role", &roles)?,
            // Rows granted before partial approval existed asked for what they hold.
            requested: split::<DirectoryRole>(
                "directory role",
                &get::<Option<String>>(r, "admin_requested_roles")?
                    .unwrap_or_else(|| roles.clone()),
            )?,
            pending: split::<DirectoryRole>(
                "directory role",
                &get::<Option<String>>(r, "admin_pending_roles")?.unwrap_or_default(),
            )?,
            starts_at: time(get::<Option<i64>>(r, "admin_starts_at")?.ok_or_else(|| {
                StoreError::Corrupt(
                    "admin_starts_at is NULL on a relationship with admin roles".into(),
                )
            })?)?,
            ends_at: opt_time(get(r, "admin_ends_at")?)?,
            auto_extend: flag(r, "admin_auto_extend")?,
            terminated_at: opt_time(get(r, "admin_terminated_at")?)?,
        }),
    };
    Ok(RelationshipRecord {
        tenant_id: col(r, "tenant_id")?,
        partner_id: col(r, "partner_id")?,
        id: col(r, "relationship_id")?,
        partner_name: get(r, "partner_name")?,
        customer_name: get(r, "customer_name")?,
        types: split::<PartnerType>("partner type", &get::<String>(r, "types")?)?
            .into_iter()
            .collect::<BTreeSet<_>>(),
        grant,
        status: col::<RelationshipStatus>(r, "status")?,
        created_at: time(get(r, "created_at")?)?,
        updated_at: time(get(r, "updated_at")?)?,
    })
}

impl SqlTx {
    async fn select_relationship(
        &mut self,
        customer: TenantId,
        partner: TenantId,
        lock: bool,
    ) -> StoreResult<Option<RelationshipRecord>> {
        let lock = if lock { self.for_update() } else { "" };
        sqlx::query(&format!(
            "SELECT {RELATIONSHIP_COLS} FROM relationships WHERE tenant_id = $1 AND partner_id = $2{lock}"
        ))
        .bind(customer.to_string())
        .bind(partner.to_string())
        .fetch_optional(&mut *self.tx)
        .await?
        .as_ref()
        .map(relationship_row)
        .transpose()
    }
}

#[async_trait]
impl RelationshipReads for SqlTx {
    async fn support_contact(
        &mut self,
        customer: TenantId,
        partner: TenantId,
    ) -> StoreResult<Option<UserId>> {
        let v: Option<String> = sqlx::query_scalar(
            "SELECT user_id FROM support_contacts WHERE tenant_id = $1 AND partner_id = $2",
        )
        .bind(customer.to_string())
        .bind(partner.to_string())
        .fetch_optional(&mut *self.tx)
        .await?;
        v.map(|u| super::parse("user id", &u)).transpose()
    }

    async fn relationship(
        &mut self,
        customer: TenantId,
        partner: TenantId,
    ) -> StoreResult<Option<RelationshipRecord>> {
        self.select_relationship(customer, partner, false).await
    }

    async fn list_customers(
        &mut self,
        partner: TenantId,
        query: Option<&str>,
        after: Option<(String, TenantId)>,
        limit: u32,
    ) -> StoreResult<Vec<RelationshipRecord>> {
        let pattern = query.map(like_pattern).unwrap_or_else(|| "%".into());
        let (after_name, after_id) = after.map(|(n, id)| (n, id.to_string())).unwrap_or_default();
        let rows = sqlx::query(&format!(
            "SELECT {RELATIONSHIP_COLS} FROM relationships \
             WHERE partner_id = $1 AND status = 'active' \
               AND customer_name_fold LIKE $2 ESCAPE '\\' \
               AND (customer_name > $3 OR (customer_name = $4 AND tenant_id > $5)) \
             ORDER BY customer_name, tenant_id LIMIT $6"
        ))
        .bind(partner.to_string())
        .bind(pattern)
        .bind(after_name.clone())
        .bind(after_name)
        .bind(after_id)
        .bind(i64::from(limit))
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(relationship_row).collect()
    }

    async fn list_partners(
        &mut self,
        customer: TenantId,
        after: Option<(String, TenantId)>,
        limit: u32,
    ) -> StoreResult<Vec<RelationshipRecord>> {
        let (after_name, after_id) = after.map(|(n, id)| (n, id.to_string())).unwrap_or_default();
        let rows = sqlx::query(&format!(
            "SELECT {RELATIONSHIP_COLS} FROM relationships \
             WHERE tenant_id = $1 AND status = 'active' \
               AND (partner_name > $2 OR (partner_name = $3 AND partner_id > $4)) \
             ORDER BY partner_name, partner_id LIMIT $5"
        ))
        .bind(customer.to_string())
        .bind(after_name.clone())
        .bind(after_name)
        .bind(after_id)
        .bind(i64::from(limit))
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(relationship_row).collect()
    }
}

#[async_trait]
impl RelationshipWrites for SqlTx {
    async fn set_support_contact(
        &mut self,
        customer: TenantId,
        partner: TenantId,
        user: UserId,
        at: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO support_contacts (tenant_id, partner_id, user_id, set_at) \
             VALUES ($1, $2, $3, $4) \
             ON CONFLICT (tenant_id, partner_id) DO UPDATE SET user_id = $3, set_at = $4",
        )
        .bind(customer.to_string())
        .bind(partner.to_string())
        .bind(user.to_string())
        .bind(ms(at))
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    async fn relationship_for_update(
        &mut self,
        customer: TenantId,
        partner: TenantId,
    ) -> StoreResult<Option<RelationshipRecord>> {
        self.select_relationship(customer, partner, true).await
    }

    async fn claim_relationship(
        &mut self,
        placeholder: &RelationshipRecord,
    ) -> StoreResult<Option<RelationshipRecord>> {
        // Insert an ended, empty row if the pair has none: concurrent claims then wait on
        // the primary key, and each sees the other's committed state.
        let inserted = sqlx::query(&format!(
            "INSERT INTO relationships ({RELATIONSHIP_COLS}) \
             VALUES ($1, $2, $3, $4, $5, '', 'ended', NULL, NULL, NULL, 0, NULL, $6, $7, $8, $9, NULL, NULL) \
             ON CONFLICT (tenant_id, partner_id) DO NOTHING"
        ))
        .bind(placeholder.tenant_id.to_string())
        .bind(placeholder.partner_id.to_string())
        .bind(placeholder.id.to_string())
        .bind(&placeholder.partner_name)
        .bind(&placeholder.customer_name)
        .bind(ms(placeholder.created_at))
        .bind(ms(placeholder.updated_at))
        .bind(fold(&placeholder.customer_name))
        .bind(fold(&placeholder.partner_name))
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        if inserted == 1 {
            return Ok(None);
        }
        self.relationship_for_update(placeholder.tenant_id, placeholder.partner_id)
            .await
    }

    async fn upsert_relationship(&mut self, r: &RelationshipRecord) -> StoreResult<()> {
        let g = r.grant.as_ref();
        sqlx::query(&format!(
            "INSERT INTO relationships ({RELATIONSHIP_COLS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) \
             ON CONFLICT (tenant_id, partner_id) DO UPDATE SET \
               partner_name = excluded.partner_name, customer_name = excluded.customer_name, \
               types = excluded.types, status = excluded.status, admin_roles = excluded.admin_roles, \
               admin_starts_at = excluded.admin_starts_at, admin_ends_at = excluded.admin_ends_at, \
               admin_auto_extend = excluded.admin_auto_extend, \
               admin_terminated_at = excluded.admin_terminated_at, updated_at = excluded.updated_at, \
               customer_name_fold = excluded.customer_name_fold, \
               partner_name_fold = excluded.partner_name_fold, \
               admin_requested_roles = excluded.admin_requested_roles, \
               admin_pending_roles = excluded.admin_pending_roles"
        ))
        .bind(r.tenant_id.to_string())
        .bind(r.partner_id.to_string())
        .bind(r.id.to_string())
        .bind(&r.partner_name)
        .bind(&r.customer_name)
        .bind(join(&r.types))
        .bind(r.status.as_str())
        .bind(g.map(|g| join(&g.roles)))
        .bind(g.map(|g| ms(g.starts_at)))
        .bind(g.and_then(|g| g.ends_at).map(ms))
        .bind(i64::from(g.is_some_and(|g| g.auto_extend)))
        .bind(g.and_then(|g| g.terminated_at).map(ms))
        .bind(ms(r.created_at))
        .bind(ms(r.updated_at))
        .bind(fold(&r.customer_name))
        .bind(fold(&r.partner_name))
        .bind(g.map(|g| join(&g.requested)))
        .bind(g.map(|g| join(&g.pending)))
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }
}
