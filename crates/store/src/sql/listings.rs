//! Queries of the partner directory: profiles and leads.

use accord_domain::{LeadStatus, PartnerProfile, RequestId, TenantId};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;

use super::{col, flag, get, join, ms, opt_col, split, time, SqlTx};
use crate::{
    LeadRecord, LeadSender, ListedProfile, ListingReads, ListingWrites, ProfileRecord, StoreError,
    StoreResult,
};

fn profile_of(r: &AnyRow) -> StoreResult<PartnerProfile> {
    Ok(PartnerProfile {
        name: get(r, "name")?,
        description: get(r, "description")?,
        country: col(r, "country")?,
        city: get(r, "city")?,
        org_sizes: split("org size", &get::<String>(r, "org_sizes")?)?,
        services: split("service", &get::<String>(r, "services")?)?,
        keywords: get::<String>(r, "keywords")?
            .split('\n')
            .filter(|k| !k.is_empty())
            .map(str::to_string)
            .collect(),
        industries: split("industry", &get::<String>(r, "industries")?)?,
        types: split("partner type", &get::<String>(r, "types")?)?,
        contact_email: get(r, "contact_email")?,
        languages: split("language", &get::<String>(r, "languages")?)?,
        published: flag(r, "published")?,
    })
}

fn listed_row(r: &AnyRow) -> StoreResult<ListedProfile> {
    Ok(ListedProfile {
        partner_id: col(r, "tenant_id")?,
        cloud: col(r, "cloud")?,
        profile: profile_of(r)?,
    })
}

fn lead_row(r: &AnyRow) -> StoreResult<LeadRecord> {
    Ok(LeadRecord {
        partner_id: col(r, "tenant_id")?,
        id: col(r, "lead_id")?,
        batch_id: col(r, "batch_id")?,
        name: get(r, "name")?,
        email: get(r, "email")?,
        phone: get(r, "phone")?,
        organisation: get(r, "organisation")?,
        org_size: col(r, "org_size")?,
        country: col(r, "country")?,
        message: get(r, "message")?,
        locale: col(r, "locale")?,
        client_address: get(r, "client_address")?,
        status: col(r, "status")?,
        request_id: opt_col(r, "request_id")?,
        customer_id: opt_col(r, "customer_id")?,
        created_at: time(get(r, "created_at")?)?,
        updated_at: time(get(r, "updated_at")?)?,
    })
}

const LISTED_SELECT: &str = "SELECT p.*, t.cloud FROM partner_profiles p \
     JOIN tenants t ON t.tenant_id = p.tenant_id";

#[async_trait]
impl ListingReads for SqlTx {
    async fn profile(&mut self, partner: TenantId) -> StoreResult<Option<ProfileRecord>> {
        let row = sqlx::query("SELECT * FROM partner_profiles WHERE tenant_id = $1")
            .bind(partner.to_string())
            .fetch_optional(&mut *self.tx)
            .await?;
        row.map(|r| {
            Ok(ProfileRecord {
                partner_id: col(&r, "tenant_id")?,
                profile: profile_of(&r)?,
                updated_at: time(get(&r, "updated_at")?)?,
                updated_by: col(&r, "updated_by")?,
            })
        })
        .transpose()
    }

    async fn published_profiles(
        &mut self,
        after: Option<TenantId>,
        limit: u32,
    ) -> StoreResult<Vec<ListedProfile>> {
        let rows = sqlx::query(&format!(
            "{LISTED_SELECT} WHERE p.published = 1 AND p.tenant_id > $1 \
             ORDER BY p.tenant_id LIMIT $2"
        ))
        .bind(after.map(|a| a.to_string()).unwrap_or_default())
        .bind(i64::from(limit))
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(listed_row).collect()
    }

    async fn listed_profile(&mut self, partner: TenantId) -> StoreResult<Option<ListedProfile>> {
        sqlx::query(&format!(
            "{LISTED_SELECT} WHERE p.published = 1 AND p.tenant_id = $1"
        ))
        .bind(partner.to_string())
        .fetch_optional(&mut *self.tx)
        .await?
        .as_ref()
        .map(listed_row)
        .transpose()
    }

    async fn leads(
        &mut self,
        partner: TenantId,
        status: Option<LeadStatus>,
        before: Option<(DateTime<Utc>, uuid::Uuid)>,
        limit: u32,
    ) -> StoreResult<Vec<LeadRecord>> {
        let (at, id) = before
            .map(|(t, id)| (ms(t), id.to_string()))
            .unwrap_or((i64::MAX, String::new()));
        let rows = sqlx::query(
            "SELECT * FROM leads WHERE tenant_id = $1 AND ($2 = '' OR status = $3) \
               AND (created_at < $4 OR (created_at = $5 AND lead_id < $6) OR $7 = '') \
             ORDER BY created_at DESC, lead_id DESC LIMIT $8",
        )
        .bind(partner.to_string())
        .bind(status.map(|s| s.as_str()).unwrap_or(""))
        .bind(status.map(|s| s.as_str()).unwrap_or(""))
        .bind(at)
        .bind(at)
        .bind(id.clone())
        .bind(if before.is_some() { "x" } else { "" })
        .bind(i64::from(limit))
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(lead_row).collect()
    }

    async fn lead(&mut self, partner: TenantId, id: uuid::Uuid) -> StoreResult<Option<LeadRecord>> {
        sqlx::query("SELECT * FROM leads WHERE tenant_id = $1 AND lead_id = $2")
            .bind(partner.to_string())
            .bind(id.to_string())
            .fetch_optional(&mut *self.tx)
            .await?
            .as_ref()
            .map(lead_row)
            .transpose()
    }

    async fn lead_counts(&mut self, partner: TenantId) -> StoreResult<Vec<(LeadStatus, u64)>> {
        let rows = sqlx::query(
            "SELECT status, CAST(COUNT(*) AS BIGINT) AS n FROM leads WHERE tenant_id = $1 \
             GROUP BY status ORDER BY status",
        )
        .bind(partner.to_string())
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter()
            .map(|r| Ok((col(r, "status")?, get::<i64>(r, "n")?.max(0) as u64)))
            .collect()
    }

    async fn lead_submissions_since(
        &mut self,
        sender: LeadSender<'_>,
        since: DateTime<Utc>,
    ) -> StoreResult<Vec<DateTime<Utc>>> {
        let (column, value) = match sender {
            LeadSender::Address(a) => ("client_address", a),
            LeadSender::Email(e) => ("email", e),
        };
        let rows: Vec<i64> = sqlx::query_scalar(&format!(
            "SELECT MIN(created_at) AS at FROM leads WHERE {column} = $1 AND created_at >= $2 \
             GROUP BY batch_id ORDER BY at"
        ))
        .bind(value)
        .bind(ms(since))
        .fetch_all(&mut *self.tx)
        .await?;
        rows.into_iter().map(time).collect()
    }
}

#[async_trait]
impl ListingWrites for SqlTx {
    async fn upsert_profile(&mut self, r: &ProfileRecord) -> StoreResult<()> {
        let p = &r.profile;
        if p.keywords.iter().any(|k| k.contains('\n')) {
            return Err(StoreError::Unstorable("a keyword with a line break".into()));
        }
        sqlx::query(
            "INSERT INTO partner_profiles (tenant_id, name, description, country, city, \
               org_sizes, services, keywords, industries, types, contact_email, languages, \
               published, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) \
             ON CONFLICT (tenant_id) DO UPDATE SET name = excluded.name, \
               description = excluded.description, country = excluded.country, \
               city = excluded.city, org_sizes = excluded.org_sizes, \
               services = excluded.services, keywords = excluded.keywords, \
               industries = excluded.industries, types = excluded.types, \
               contact_email = excluded.contact_email, languages = excluded.languages, \
               published = excluded.published, updated_at = excluded.updated_at, \
               updated_by = excluded.updated_by",
        )
        .bind(r.partner_id.to_string())
        .bind(&p.name)
        .bind(&p.description)
        .bind(p.country.as_str())
        .bind(&p.city)
        .bind(join(&p.org_sizes))
        .bind(join(&p.services))
        .bind(p.keywords.join("\n"))
        .bind(join(&p.industries))
        .bind(join(&p.types))
        .bind(&p.contact_email)
        .bind(join(&p.languages))
        .bind(i64::from(p.published))
        .bind(ms(r.updated_at))
        .bind(r.updated_by.to_string())
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    async fn insert_lead(&mut self, l: &LeadRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO leads (tenant_id, lead_id, batch_id, name, email, phone, organisation, \
               org_size, country, message, locale, client_address, status, request_id, \
               customer_id, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
        )
        .bind(l.partner_id.to_string())
        .bind(l.id.to_string())
        .bind(l.batch_id.to_string())
        .bind(&l.name)
        .bind(&l.email)
        .bind(&l.phone)
        .bind(&l.organisation)
        .bind(l.org_size.as_str())
        .bind(l.country.as_str())
        .bind(&l.message)
        .bind(l.locale.as_str())
        .bind(&l.client_address)
        .bind(l.status.as_str())
        .bind(l.request_id.map(|r| r.to_string()))
        .bind(l.customer_id.map(|c| c.to_string()))
        .bind(ms(l.created_at))
        .bind(ms(l.updated_at))
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    async fn set_lead_status(
        &mut self,
        partner: TenantId,
        id: uuid::Uuid,
        status: LeadStatus,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE leads SET status = $1, updated_at = $2 WHERE tenant_id = $3 AND lead_id = $4",
        )
        .bind(status.as_str())
        .bind(ms(at))
        .bind(partner.to_string())
        .bind(id.to_string())
        .execute(&mut *self.tx)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn link_lead_request(
        &mut self,
        partner: TenantId,
        id: uuid::Uuid,
        request: RequestId,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE leads SET request_id = $1, status = $2, updated_at = $3 \
             WHERE tenant_id = $4 AND lead_id = $5",
        )
        .bind(request.to_string())
        .bind(LeadStatus::Contacted.as_str())
        .bind(ms(at))
        .bind(partner.to_string())
        .bind(id.to_string())
        .execute(&mut *self.tx)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn link_lead_customer(
        &mut self,
        partner: TenantId,
        request: RequestId,
        customer: TenantId,
        at: DateTime<Utc>,
    ) -> StoreResult<u64> {
        let done = sqlx::query(
            "UPDATE leads SET customer_id = $1, updated_at = $2 \
             WHERE tenant_id = $3 AND request_id = $4",
        )
        .bind(customer.to_string())
        .bind(ms(at))
        .bind(partner.to_string())
        .bind(request.to_string())
        .execute(&mut *self.tx)
        .await?;
        Ok(done.rows_affected())
    }
}
