//! Queries of the customer's directory: users, licences, access assignments, the grants
//! the grant index loads, and delegated actions.

use accord_domain::{DirectoryRole, SubscriptionId, TenantId, UserId};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;

use super::relationships::{relationship_row, RELATIONSHIP_COLS};
use super::tenants::user_row;
use super::{col, get, join, like_pattern, ms, split, time, SqlTx};
use crate::{
    AccessAssignmentRecord, ActivityAgentRecord, ActivityFilter, DelegatedActionRecord,
    DirectoryReads, DirectoryWrites, GuestRecord, LicenseOutcome, LicenseRecord,
    RelationshipRecord, StoreResult, UserRecord,
};

fn license_row(r: &AnyRow) -> StoreResult<LicenseRecord> {
    Ok(LicenseRecord {
        tenant_id: col(r, "tenant_id")?,
        subscription_id: col(r, "subscription_id")?,
        user_id: col(r, "user_id")?,
        assigned_at: time(get(r, "assigned_at")?)?,
        assigned_by: get(r, "assigned_by")?,
    })
}

fn assignment_row(r: &AnyRow) -> StoreResult<AccessAssignmentRecord> {
    Ok(AccessAssignmentRecord {
        partner_id: col(r, "tenant_id")?,
        id: col(r, "assignment_id")?,
        customer_id: col(r, "customer_id")?,
        agent_id: col(r, "agent_id")?,
        roles: split::<DirectoryRole>("directory role", &get::<String>(r, "roles")?)?,
        created_by: get(r, "created_by")?,
        created_at: time(get(r, "created_at")?)?,
    })
}

fn action_row(r: &AnyRow) -> StoreResult<DelegatedActionRecord> {
    Ok(DelegatedActionRecord {
        tenant_id: col(r, "tenant_id")?,
        id: col(r, "action_id")?,
        at: time(get(r, "at")?)?,
        partner_id: col(r, "partner_id")?,
        partner_name: get(r, "partner_name")?,
        agent_id: col(r, "agent_id")?,
        agent_name: get(r, "agent_name")?,
        agent_email: get(r, "agent_email")?,
        action: get(r, "action")?,
        target_type: get(r, "target_type")?,
        target_id: get(r, "target_id")?,
        target_label: get(r, "target_label")?,
        roles_used: split::<DirectoryRole>("directory role", &get::<String>(r, "roles_used")?)?,
        outcome: get(r, "outcome")?,
        error_code: get(r, "error_code")?,
        request_id: get(r, "request_id")?,
    })
}

fn guest_row(r: &AnyRow) -> StoreResult<GuestRecord> {
    Ok(GuestRecord {
        customer_id: col(r, "tenant_id")?,
        user_id: col(r, "user_id")?,
        partner_id: col(r, "partner_id")?,
        roles: split::<DirectoryRole>("directory role", &get::<String>(r, "roles")?)?,
        added_by: get(r, "added_by")?,
        added_at: time(get(r, "added_at")?)?,
        email: get(r, "email")?,
        display_name: get(r, "display_name")?,
    })
}

/// A guest account with its user's name and address.
const GUEST_SELECT: &str = "SELECT g.tenant_id, g.user_id, g.partner_id, g.roles, g.added_by, \
       g.added_at, u.email, u.display_name \
     FROM guest_accounts g JOIN users u ON u.tenant_id = g.partner_id AND u.user_id = g.user_id";

const ASSIGNMENT_COLS: &str =
    "tenant_id, assignment_id, customer_id, agent_id, roles, created_by, created_at";

#[async_trait]
impl DirectoryReads for SqlTx {
    async fn page_users(
        &mut self,
        tenant: TenantId,
        query: Option<&str>,
        after: Option<(String, UserId)>,
        limit: u32,
    ) -> StoreResult<Vec<UserRecord>> {
        let pattern = query.map(like_pattern).unwrap_or_else(|| "%".into());
        let (after_name, after_id) = after.map(|(n, id)| (n, id.to_string())).unwrap_or_default();
        let rows = sqlx::query(
            "SELECT * FROM users WHERE tenant_id = $1 \
               AND (lower(display_name) LIKE $2 ESCAPE '\\' OR email LIKE $3 ESCAPE '\\') \
               AND (display_name > $4 OR (display_name = $5 AND user_id > $6)) \
             ORDER BY display_name, user_id LIMIT $7",
        )
        .bind(tenant.to_string())
        .bind(pattern.clone())
        .bind(pattern)
        .bind(after_name.clone())
        .bind(after_name)
        .bind(after_id)
        .bind(i64::from(limit))
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(user_row).collect()
    }

    async fn count_global_admins(&mut self, tenant: TenantId) -> StoreResult<u64> {
        let n: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM users WHERE tenant_id = $1 AND disabled = 0 \
               AND (',' || roles || ',') LIKE '%,global\\_admin,%' ESCAPE '\\'",
        )
        .bind(tenant.to_string())
        .fetch_one(&mut *self.tx)
        .await?;
        Ok(n.max(0) as u64)
    }

    async fn licenses_of_user(
        &mut self,
        tenant: TenantId,
        user: UserId,
    ) -> StoreResult<Vec<LicenseRecord>> {
        let rows = sqlx::query(
            "SELECT * FROM license_assignments WHERE tenant_id = $1 AND user_id = $2 \
             ORDER BY assigned_at, subscription_id",
        )
        .bind(tenant.to_string())
        .bind(user.to_string())
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(license_row).collect()
    }

    async fn license_counts(
        &mut self,
        tenant: TenantId,
    ) -> StoreResult<Vec<(SubscriptionId, u64)>> {
        let rows = sqlx::query(
            "SELECT subscription_id, CAST(COUNT(*) AS BIGINT) AS n FROM license_assignments \
             WHERE tenant_id = $1 GROUP BY subscription_id",
        )
        .bind(tenant.to_string())
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    col(r, "subscription_id")?,
                    get::<i64>(r, "n")?.max(0) as u64,
                ))
            })
            .collect()
    }

    async fn access_assignments(
        &mut self,
        partner: TenantId,
        customer: TenantId,
    ) -> StoreResult<Vec<AccessAssignmentRecord>> {
        let rows = sqlx::query(&format!(
            "SELECT {ASSIGNMENT_COLS} FROM access_assignments \
             WHERE tenant_id = $1 AND customer_id = $2 ORDER BY agent_id"
        ))
        .bind(partner.to_string())
        .bind(customer.to_string())
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(assignment_row).collect()
    }

    async fn agent_assignment(
        &mut self,
        partner: TenantId,
        customer: TenantId,
        agent: UserId,
    ) -> StoreResult<Option<AccessAssignmentRecord>> {
        sqlx::query(&format!(
            "SELECT {ASSIGNMENT_COLS} FROM access_assignments \
             WHERE tenant_id = $1 AND customer_id = $2 AND agent_id = $3"
        ))
        .bind(partner.to_string())
        .bind(customer.to_string())
        .bind(agent.to_string())
        .fetch_optional(&mut *self.tx)
        .await?
        .as_ref()
        .map(assignment_row)
        .transpose()
    }

    async fn guests_of(
        &mut self,
        customer: TenantId,
        partner: TenantId,
    ) -> StoreResult<Vec<GuestRecord>> {
        let rows = sqlx::query(&format!(
            "{GUEST_SELECT} WHERE g.tenant_id = $1 AND g.partner_id = $2 \
             ORDER BY u.display_name, g.user_id"
        ))
        .bind(customer.to_string())
        .bind(partner.to_string())
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(guest_row).collect()
    }

    async fn guest(
        &mut self,
        customer: TenantId,
        user: UserId,
    ) -> StoreResult<Option<GuestRecord>> {
        sqlx::query(&format!(
            "{GUEST_SELECT} WHERE g.tenant_id = $1 AND g.user_id = $2"
        ))
        .bind(customer.to_string())
        .bind(user.to_string())
        .fetch_optional(&mut *self.tx)
        .await?
        .as_ref()
        .map(guest_row)
        .transpose()
    }

    async fn all_guests(
        &mut self,
        after: Option<(TenantId, UserId)>,
        limit: u32,
    ) -> StoreResult<Vec<GuestRecord>> {
        let (t, u) = after
            .map(|(t, u)| (t.to_string(), u.to_string()))
            .unwrap_or_default();
        let rows = sqlx::query(&format!(
            "{GUEST_SELECT} WHERE g.tenant_id > $1 OR (g.tenant_id = $2 AND g.user_id > $3) \
             ORDER BY g.tenant_id, g.user_id LIMIT $4"
        ))
        .bind(t.clone())
        .bind(t)
        .bind(u)
        .bind(i64::from(limit))
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(guest_row).collect()
    }

    async fn all_access_assignments(
        &mut self,
        after: Option<(TenantId, uuid::Uuid)>,
        limit: u32,
    ) -> StoreResult<Vec<AccessAssignmentRecord>> {
        let (p, id) = after
            .map(|(p, id)| (p.to_string(), id.to_string()))
            .unwrap_or_default();
        let rows = sqlx::query(&format!(
            "SELECT {ASSIGNMENT_COLS} FROM access_assignments \
             WHERE tenant_id > $1 OR (tenant_id = $2 AND assignment_id > $3) \
             ORDER BY tenant_id, assignment_id LIMIT $4"
        ))
        .bind(p.clone())
        .bind(p)
        .bind(id)
        .bind(i64::from(limit))
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(assignment_row).collect()
    }

    async fn granted_relationships(
        &mut self,
        after: Option<(TenantId, TenantId)>,
        limit: u32,
    ) -> StoreResult<Vec<RelationshipRecord>> {
        let (c, p) = after
            .map(|(c, p)| (c.to_string(), p.to_string()))
            .unwrap_or_default();
        let rows = sqlx::query(&format!(
            "SELECT {RELATIONSHIP_COLS} FROM relationships \
             WHERE status = 'active' AND admin_roles IS NOT NULL \
               AND (tenant_id > $1 OR (tenant_id = $2 AND partner_id > $3)) \
             ORDER BY tenant_id, partner_id LIMIT $4"
        ))
        .bind(c.clone())
        .bind(c)
        .bind(p)
        .bind(i64::from(limit))
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(relationship_row).collect()
    }

    async fn delegated_actions(
        &mut self,
        tenant: TenantId,
        f: &ActivityFilter,
        before: Option<(DateTime<Utc>, uuid::Uuid)>,
        limit: u32,
    ) -> StoreResult<Vec<DelegatedActionRecord>> {
        let (before_at, before_id) = before
            .map(|(t, id)| (ms(t), id.to_string()))
            .unwrap_or((i64::MAX, String::new()));
        // An empty id with the largest time means "from the newest"; ids compare as text.
        let rows = sqlx::query(
            "SELECT * FROM delegated_actions WHERE tenant_id = $1 \
               AND ($2 = '' OR partner_id = $3) AND ($4 = '' OR agent_id = $5) \
               AND ($6 = '' OR action = $7) AND at >= $8 AND at < $9 \
               AND (at < $10 OR (at = $11 AND ($12 = '' OR action_id < $13))) \
             ORDER BY at DESC, action_id DESC LIMIT $14",
        )
        .bind(tenant.to_string())
        .bind(f.partner.map(|p| p.to_string()).unwrap_or_default())
        .bind(f.partner.map(|p| p.to_string()).unwrap_or_default())
        .bind(f.agent.map(|a| a.to_string()).unwrap_or_default())
        .bind(f.agent.map(|a| a.to_string()).unwrap_or_default())
        .bind(f.action.clone().unwrap_or_default())
        .bind(f.action.clone().unwrap_or_default())
        .bind(f.from.map_or(i64::MIN, ms))
        .bind(f.until.map_or(i64::MAX, ms))
        .bind(before_at)
        .bind(before_at)
        .bind(before_id.clone())
        .bind(before_id)
        .bind(i64::from(limit))
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(action_row).collect()
    }

    async fn activity_agents(
        &mut self,
        tenant: TenantId,
        limit: u32,
    ) -> StoreResult<Vec<ActivityAgentRecord>> {
        let rows = sqlx::query(
            "SELECT * FROM delegated_agents WHERE tenant_id = $1 \
             ORDER BY agent_name, agent_id LIMIT $2",
        )
        .bind(tenant.to_string())
        .bind(i64::from(limit))
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ActivityAgentRecord {
                    agent_id: col(r, "agent_id")?,
                    agent_name: get(r, "agent_name")?,
                    agent_email: get(r, "agent_email")?,
                    partner_id: col(r, "partner_id")?,
                    partner_name: get(r, "partner_name")?,
                    last_at: time(get(r, "last_at")?)?,
                })
            })
            .collect()
    }
}

#[async_trait]
impl DirectoryWrites for SqlTx {
    async fn update_user(&mut self, u: &UserRecord, at: DateTime<Utc>) -> StoreResult<bool> {
        let r = sqlx::query(
            "UPDATE users SET display_name = $1, roles = $2, disabled = $3, updated_at = $4 \
             WHERE tenant_id = $5 AND user_id = $6",
        )
        .bind(&u.display_name)
        .bind(join(&u.roles))
        .bind(i64::from(u.disabled))
        .bind(ms(at))
        .bind(u.tenant_id.to_string())
        .bind(u.id.to_string())
        .execute(&mut *self.tx)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    async fn set_password(
        &mut self,
        tenant: TenantId,
        user: UserId,
        hash: &str,
        temporary: bool,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let r = sqlx::query(
            "UPDATE users SET password_hash = $1, password_temporary = $2, updated_at = $3 \
             WHERE tenant_id = $4 AND user_id = $5",
        )
        .bind(hash)
        .bind(i64::from(temporary))
        .bind(ms(at))
        .bind(tenant.to_string())
        .bind(user.to_string())
        .execute(&mut *self.tx)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    async fn delete_user(&mut self, tenant: TenantId, user: UserId) -> StoreResult<bool> {
        for table in [
            "license_assignments",
            "sessions",
            "api_tokens",
            "user_logins",
        ] {
            sqlx::query(&format!(
                "DELETE FROM {table} WHERE tenant_id = $1 AND user_id = $2"
            ))
            .bind(tenant.to_string())
            .bind(user.to_string())
            .execute(&mut *self.tx)
            .await?;
        }
        sqlx::query("DELETE FROM access_assignments WHERE tenant_id = $1 AND agent_id = $2")
            .bind(tenant.to_string())
            .bind(user.to_string())
            .execute(&mut *self.tx)
            .await?;
        sqlx::query("DELETE FROM guest_accounts WHERE partner_id = $1 AND user_id = $2")
            .bind(tenant.to_string())
            .bind(user.to_string())
            .execute(&mut *self.tx)
            .await?;
        let r = sqlx::query("DELETE FROM users WHERE tenant_id = $1 AND user_id = $2")
            .bind(tenant.to_string())
            .bind(user.to_string())
            .execute(&mut *self.tx)
            .await?;
        Ok(r.rows_affected() == 1)
    }

    async fn assign_license(
        &mut self,
        l: &LicenseRecord,
        seats: u32,
    ) -> StoreResult<LicenseOutcome> {
        let lock = self.for_update();
        // Lock the subscription: concurrent assignments of its seats queue here.
        sqlx::query(&format!(
            "SELECT subscription_id FROM subscriptions \
             WHERE tenant_id = $1 AND subscription_id = $2{lock}"
        ))
        .bind(l.tenant_id.to_string())
        .bind(l.subscription_id.to_string())
        .fetch_optional(&mut *self.tx)
        .await?;
        let held: Option<i64> = sqlx::query_scalar(
            "SELECT CAST(1 AS BIGINT) FROM license_assignments \
             WHERE tenant_id = $1 AND subscription_id = $2 AND user_id = $3",
        )
        .bind(l.tenant_id.to_string())
        .bind(l.subscription_id.to_string())
        .bind(l.user_id.to_string())
        .fetch_optional(&mut *self.tx)
        .await?;
        if held.is_some() {
            return Ok(LicenseOutcome::AlreadyHeld);
        }
        let taken: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM license_assignments \
             WHERE tenant_id = $1 AND subscription_id = $2",
        )
        .bind(l.tenant_id.to_string())
        .bind(l.subscription_id.to_string())
        .fetch_one(&mut *self.tx)
        .await?;
        if taken >= i64::from(seats) {
            return Ok(LicenseOutcome::NoSeat);
        }
        sqlx::query(
            "INSERT INTO license_assignments \
               (tenant_id, subscription_id, user_id, assigned_at, assigned_by) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(l.tenant_id.to_string())
        .bind(l.subscription_id.to_string())
        .bind(l.user_id.to_string())
        .bind(ms(l.assigned_at))
        .bind(&l.assigned_by)
        .execute(&mut *self.tx)
        .await?;
        Ok(LicenseOutcome::Assigned)
    }

    async fn remove_license(
        &mut self,
        tenant: TenantId,
        subscription: SubscriptionId,
        user: UserId,
    ) -> StoreResult<bool> {
        let r = sqlx::query(
            "DELETE FROM license_assignments \
             WHERE tenant_id = $1 AND subscription_id = $2 AND user_id = $3",
        )
        .bind(tenant.to_string())
        .bind(subscription.to_string())
        .bind(user.to_string())
        .execute(&mut *self.tx)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    async fn upsert_access_assignment(
        &mut self,
        a: &AccessAssignmentRecord,
    ) -> StoreResult<AccessAssignmentRecord> {
        sqlx::query(&format!(
            "INSERT INTO access_assignments ({ASSIGNMENT_COLS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (tenant_id, customer_id, agent_id) DO UPDATE SET \
               roles = excluded.roles, created_by = excluded.created_by, \
               created_at = excluded.created_at"
        ))
        .bind(a.partner_id.to_string())
        .bind(a.id.to_string())
        .bind(a.customer_id.to_string())
        .bind(a.agent_id.to_string())
        .bind(join(&a.roles))
        .bind(&a.created_by)
        .bind(ms(a.created_at))
        .execute(&mut *self.tx)
        .await?;
        self.agent_assignment(a.partner_id, a.customer_id, a.agent_id)
            .await?
            .ok_or_else(|| crate::StoreError::Corrupt("an upserted assignment is missing".into()))
    }

    async fn delete_access_assignment(
        &mut self,
        partner: TenantId,
        id: uuid::Uuid,
    ) -> StoreResult<Option<AccessAssignmentRecord>> {
        let found = sqlx::query(&format!(
            "SELECT {ASSIGNMENT_COLS} FROM access_assignments \
             WHERE tenant_id = $1 AND assignment_id = $2"
        ))
        .bind(partner.to_string())
        .bind(id.to_string())
        .fetch_optional(&mut *self.tx)
        .await?
        .as_ref()
        .map(assignment_row)
        .transpose()?;
        if found.is_some() {
            sqlx::query(
                "DELETE FROM access_assignments WHERE tenant_id = $1 AND assignment_id = $2",
            )
            .bind(partner.to_string())
            .bind(id.to_string())
            .execute(&mut *self.tx)
            .await?;
        }
        Ok(found)
    }

    async fn delete_access_assignments_of(
        &mut self,
        partner: TenantId,
        customer: TenantId,
    ) -> StoreResult<Vec<AccessAssignmentRecord>> {
        let found = self.access_assignments(partner, customer).await?;
        if !found.is_empty() {
            sqlx::query("DELETE FROM access_assignments WHERE tenant_id = $1 AND customer_id = $2")
                .bind(partner.to_string())
                .bind(customer.to_string())
                .execute(&mut *self.tx)
                .await?;
        }
        Ok(found)
    }

    async fn upsert_guest(&mut self, g: &GuestRecord) -> StoreResult<GuestRecord> {
        sqlx::query(
            "INSERT INTO guest_accounts (tenant_id, user_id, partner_id, roles, added_by, added_at) \
             VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (tenant_id, user_id) DO UPDATE SET \
               roles = excluded.roles, added_by = excluded.added_by, added_at = excluded.added_at",
        )
        .bind(g.customer_id.to_string())
        .bind(g.user_id.to_string())
        .bind(g.partner_id.to_string())
        .bind(join(&g.roles))
        .bind(&g.added_by)
        .bind(ms(g.added_at))
        .execute(&mut *self.tx)
        .await?;
        self.guest(g.customer_id, g.user_id).await?.ok_or_else(|| {
            crate::StoreError::Corrupt("an upserted guest account is missing".into())
        })
    }

    async fn delete_guest(
        &mut self,
        customer: TenantId,
        user: UserId,
    ) -> StoreResult<Option<GuestRecord>> {
        let found = self.guest(customer, user).await?;
        if found.is_some() {
            sqlx::query("DELETE FROM guest_accounts WHERE tenant_id = $1 AND user_id = $2")
                .bind(customer.to_string())
                .bind(user.to_string())
                .execute(&mut *self.tx)
                .await?;
        }
        Ok(found)
    }

    async fn delete_guests_of(
        &mut self,
        customer: TenantId,
        partner: TenantId,
    ) -> StoreResult<Vec<GuestRecord>> {
        let found = self.guests_of(customer, partner).await?;
        if !found.is_empty() {
            sqlx::query("DELETE FROM guest_accounts WHERE tenant_id = $1 AND partner_id = $2")
                .bind(customer.to_string())
                .bind(partner.to_string())
                .execute(&mut *self.tx)
                .await?;
        }
        Ok(found)
    }

    async fn insert_delegated_action(&mut self, a: &DelegatedActionRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO delegated_actions (tenant_id, action_id, at, partner_id, partner_name, \
               agent_id, agent_name, agent_email, action, target_type, target_id, target_label, \
               roles_used, outcome, error_code, request_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
        )
        .bind(a.tenant_id.to_string())
        .bind(a.id.to_string())
        .bind(ms(a.at))
        .bind(a.partner_id.to_string())
        .bind(&a.partner_name)
        .bind(a.agent_id.to_string())
        .bind(&a.agent_name)
        .bind(&a.agent_email)
        .bind(&a.action)
        .bind(&a.target_type)
        .bind(&a.target_id)
        .bind(&a.target_label)
        .bind(join(&a.roles_used))
        .bind(&a.outcome)
        .bind(a.error_code.clone())
        .bind(a.request_id.clone())
        .execute(&mut *self.tx)
        .await?;
        // The newest action's names win; an action recorded late (an older time) does not
        // bring back names the agent no longer has.
        sqlx::query(
            "INSERT INTO delegated_agents (tenant_id, agent_id, agent_name, agent_email, \
               partner_id, partner_name, last_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (tenant_id, agent_id) DO UPDATE SET \
               agent_name = excluded.agent_name, agent_email = excluded.agent_email, \
               partner_id = excluded.partner_id, partner_name = excluded.partner_name, \
               last_at = excluded.last_at \
             WHERE excluded.last_at >= delegated_agents.last_at",
        )
        .bind(a.tenant_id.to_string())
        .bind(a.agent_id.to_string())
        .bind(&a.agent_name)
        .bind(&a.agent_email)
        .bind(a.partner_id.to_string())
        .bind(&a.partner_name)
        .bind(ms(a.at))
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }
}
