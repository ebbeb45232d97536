-- The partner directory: each partner's public profile (one row per partner; lists are
-- comma-separated wire names, keywords newline-separated) and the leads visitors send
-- with "Contact selected providers" (one row per selected partner; a submission's rows
-- share batch_id). tenant_id is the partner in both. The search index is derived from
-- partner_profiles and never the source of truth.
CREATE TABLE partner_profiles (
    tenant_id     TEXT    NOT NULL REFERENCES tenants (tenant_id),
    name          TEXT    NOT NULL,
    description   TEXT    NOT NULL,
    country       TEXT    NOT NULL,
    city          TEXT    NOT NULL,
    org_sizes     TEXT    NOT NULL,
    services      TEXT    NOT NULL,
    keywords      TEXT    NOT NULL,
    industries    TEXT    NOT NULL,
    types         TEXT    NOT NULL,
    contact_email TEXT    NOT NULL,
    languages     TEXT    NOT NULL,
    published     INTEGER  NOT NULL,
    updated_at    INTEGER  NOT NULL,
    updated_by    TEXT    NOT NULL,
    PRIMARY KEY (tenant_id)
);

CREATE TABLE leads (
    tenant_id      TEXT    NOT NULL REFERENCES tenants (tenant_id),
    lead_id        TEXT    NOT NULL,
    batch_id       TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    email          TEXT    NOT NULL,
    phone          TEXT    NOT NULL,
    organisation   TEXT    NOT NULL,
    org_size       TEXT    NOT NULL,
    country        TEXT    NOT NULL,
    message        TEXT    NOT NULL,
    locale         TEXT    NOT NULL,
    client_address TEXT    NOT NULL,
    status         TEXT    NOT NULL,
    request_id     TEXT,
    customer_id    TEXT,
    created_at     INTEGER  NOT NULL,
    updated_at     INTEGER  NOT NULL,
    PRIMARY KEY (tenant_id, lead_id)
);
CREATE INDEX leads_inbox ON leads (tenant_id, created_at, lead_id);
CREATE INDEX leads_by_address ON leads (client_address, created_at);
CREATE INDEX leads_by_email ON leads (email, created_at);
CREATE INDEX leads_by_request ON leads (tenant_id, request_id);
