//! Queries of tenants, users and the sign-in directory.

use accord_domain::{Cloud, CountryCode, PartnerType, Role, TenantId, UserId};
use async_trait::async_trait;
use sqlx::any::AnyRow;

use super::{col, flag, get, join, like_pattern, ms, parse, split, time, write_err, SqlTx};
use crate::{StoreError, StoreResult, TenantReads, TenantRecord, TenantWrites, UserRecord};

fn tenant_row(r: &AnyRow) -> StoreResult<TenantRecord> {
    Ok(TenantRecord {
        id: col(r, "tenant_id")?,
        name: get(r, "name")?,
        domain: get(r, "domain")?,
        country: CountryCode::parse(&get::<String>(r, "country")?)
            .map_err(|e| StoreError::Corrupt(format!("country: {e}")))?,
        cloud: col::<Cloud>(r, "cloud")?,
        is_partner: flag(r, "is_partner")?,
        created_at: time(get(r, "created_at")?)?,
    })
}

pub(super) fn user_row(r: &AnyRow) -> StoreResult<UserRecord> {
    Ok(UserRecord {
        tenant_id: col(r, "tenant_id")?,
        id: col(r, "user_id")?,
        email: get(r, "email")?,
        display_name: get(r, "display_name")?,
        password_hash: get(r, "password_hash")?,
        roles: split::<Role>("role", &get::<String>(r, "roles")?)?,
        disabled: flag(r, "disabled")?,
        password_temporary: flag(r, "password_temporary")?,
        created_at: time(get(r, "created_at")?)?,
    })
}

#[async_trait]
impl TenantReads for SqlTx {
    async fn has_tenants(&mut self) -> StoreResult<bool> {
        let n: Option<i64> = sqlx::query_scalar("SELECT CAST(1 AS BIGINT) FROM tenants LIMIT 1")
            .fetch_optional(&mut *self.tx)
            .await?;
        Ok(n.is_some())
    }

    async fn tenant(&mut self, id: TenantId) -> StoreResult<Option<TenantRecord>> {
        sqlx::query("SELECT * FROM tenants WHERE tenant_id = $1")
            .bind(id.to_string())
            .fetch_optional(&mut *self.tx)
            .await?
            .as_ref()
            .map(tenant_row)
            .transpose()
    }

    async fn tenant_by_domain(&mut self, domain: &str) -> StoreResult<Option<TenantRecord>> {
        sqlx::query("SELECT * FROM tenants WHERE domain = $1")
            .bind(domain)
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(write_err)?
            .as_ref()
            .map(tenant_row)
            .transpose()
    }

    async fn search_tenants(
        &mut self,
        query: Option<&str>,
        partner: Option<bool>,
        after: Option<(String, TenantId)>,
        limit: u32,
    ) -> StoreResult<Vec<TenantRecord>> {
        let pattern = query.map(like_pattern).unwrap_or_else(|| "%".into());
        let kind = partner.map_or(-1, i64::from);
        let (after_name, after_id) = after.map(|(n, id)| (n, id.to_string())).unwrap_or_default();
        let rows = sqlx::query(
            "SELECT * FROM tenants \
             WHERE (lower(name) LIKE $1 ESCAPE '\\' OR domain LIKE $2 ESCAPE '\\') \
               AND ($3 < 0 OR is_partner = $4) \
               AND (name > $5 OR (name = $6 AND tenant_id > $7)) \
             ORDER BY name, tenant_id LIMIT $8",
        )
        .bind(pattern.clone())
        .bind(pattern)
        .bind(kind)
        .bind(kind)
        .bind(after_name.clone())
        .bind(after_name)
        .bind(after_id)
        .bind(i64::from(limit))
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(tenant_row).collect()
    }

    async fn offered_types(&mut self, partner: TenantId) -> StoreResult<Option<Vec<PartnerType>>> {
        let rows: Vec<String> = sqlx::query_scalar(
            "SELECT partner_type FROM partner_offers WHERE tenant_id = $1 ORDER BY partner_type",
        )
        .bind(partner.to_string())
        .fetch_all(&mut *self.tx)
        .await?;
        if rows.is_empty() {
            return Ok(None);
        }
        let mut types = rows
            .iter()
            .map(|t| parse::<PartnerType>("partner type", t))
            .collect::<StoreResult<Vec<_>>>()?;
        types.sort();
        Ok(Some(types))
    }

    async fn user(&mut self, tenant: TenantId, id: UserId) -> StoreResult<Option<UserRecord>> {
        sqlx::query("SELECT * FROM users WHERE tenant_id = $1 AND user_id = $2")
            .bind(tenant.to_string())
            .bind(id.to_string())
            .fetch_optional(&mut *self.tx)
            .await?
            .as_ref()
            .map(user_row)
            .transpose()
    }

    async fn list_users(&mut self, tenant: TenantId, limit: u32) -> StoreResult<Vec<UserRecord>> {
        let rows = sqlx::query(
            "SELECT * FROM users WHERE tenant_id = $1 ORDER BY display_name, user_id LIMIT $2",
        )
        .bind(tenant.to_string())
        .bind(i64::from(limit))
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(user_row).collect()
    }

    async fn user_by_email(&mut self, email: &str) -> StoreResult<Option<UserRecord>> {
        let login = sqlx::query("SELECT tenant_id, user_id FROM user_logins WHERE email = $1")
            .bind(email)
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(write_err)?;
        let Some(login) = login else {
            return Ok(None);
        };
        let tenant: TenantId = parse("tenant id", &get::<String>(&login, "tenant_id")?)?;
        let user: UserId = parse("user id", &get::<String>(&login, "user_id")?)?;
        self.user(tenant, user).await
    }
}

#[async_trait]
impl TenantWrites for SqlTx {
    async fn set_offered_types(
        &mut self,
        partner: TenantId,
        types: &[PartnerType],
    ) -> StoreResult<()> {
        sqlx::query("DELETE FROM partner_offers WHERE tenant_id = $1")
            .bind(partner.to_string())
            .execute(&mut *self.tx)
            .await?;
        for t in types {
            sqlx::query("INSERT INTO partner_offers (tenant_id, partner_type) VALUES ($1, $2)")
                .bind(partner.to_string())
                .bind(t.as_str())
                .execute(&mut *self.tx)
                .await?;
        }
        Ok(())
    }

    async fn insert_tenant(&mut self, t: &TenantRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO tenants (tenant_id, name, domain, country, cloud, is_partner, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(t.id.to_string())
        .bind(&t.name)
        .bind(&t.domain)
        .bind(t.country.as_str())
        .bind(t.cloud.as_str())
        .bind(i64::from(t.is_partner))
        .bind(ms(t.created_at))
        .execute(&mut *self.tx)
        .await
        .map_err(write_err)?;
        Ok(())
    }

    async fn insert_user(&mut self, u: &UserRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO users (tenant_id, user_id, email, display_name, password_hash, roles, disabled, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(u.tenant_id.to_string())
        .bind(u.id.to_string())
        .bind(&u.email)
        .bind(&u.display_name)
        .bind(&u.password_hash)
        .bind(join(&u.roles))
        .bind(i64::from(u.disabled))
        .bind(ms(u.created_at))
        .execute(&mut *self.tx)
        .await
        .map_err(write_err)?;
        // The e-mail's global uniqueness lives in the sign-in directory.
        sqlx::query("INSERT INTO user_logins (email, tenant_id, user_id) VALUES ($1, $2, $3)")
            .bind(&u.email)
            .bind(u.tenant_id.to_string())
            .bind(u.id.to_string())
            .execute(&mut *self.tx)
            .await
            .map_err(write_err)?;
        Ok(())
    }

    async fn set_user_disabled(
        &mut self,
        tenant: TenantId,
        user: UserId,
        disabled: bool,
    ) -> StoreResult<bool> {
        let r = sqlx::query("UPDATE users SET disabled = $1 WHERE tenant_id = $2 AND user_id = $3")
            .bind(i64::from(disabled))
            .bind(tenant.to_string())
            .bind(user.to_string())
            .execute(&mut *self.tx)
            .await?;
        Ok(r.rows_affected() == 1)
    }
}
