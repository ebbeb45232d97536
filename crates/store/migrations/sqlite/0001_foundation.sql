-- Accord foundation schema (SQLite). Every tenant-owned table leads its key with tenant_id
-- so it can later be distributed by tenant. Times are UTC milliseconds since the epoch.

CREATE TABLE tenants (
    tenant_id   TEXT    NOT NULL PRIMARY KEY,
    name        TEXT    NOT NULL,
    domain      TEXT    NOT NULL UNIQUE,
    country     TEXT    NOT NULL,
    cloud       TEXT    NOT NULL,
    is_partner  INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL
);

CREATE TABLE users (
    tenant_id     TEXT    NOT NULL REFERENCES tenants (tenant_id),
    user_id       TEXT    NOT NULL,
    email         TEXT    NOT NULL,
    display_name  TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    roles         TEXT    NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, user_id)
);

-- The sign-in directory: which tenant and user an e-mail address belongs to. E-mail
-- addresses are unique across tenants; this small global table holds that rule, so that
-- users itself stays keyed by tenant.
CREATE TABLE user_logins (
    email     TEXT NOT NULL PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    user_id   TEXT NOT NULL,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, user_id)
);

-- Sessions, access tokens and invitation links are looked up by (tenant_id, token_hash):
-- each token carries its tenant's id in clear, next to its secret.
CREATE TABLE sessions (
    token_hash  TEXT    NOT NULL,
    tenant_id   TEXT    NOT NULL,
    user_id     TEXT    NOT NULL,
    csrf_token  TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, token_hash),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, user_id)
);

CREATE TABLE api_tokens (
    token_hash  TEXT    NOT NULL,
    tenant_id   TEXT    NOT NULL,
    token_id    TEXT    NOT NULL,
    user_id     TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER,
    PRIMARY KEY (tenant_id, token_hash),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, user_id)
);
CREATE UNIQUE INDEX api_tokens_by_id ON api_tokens (tenant_id, token_id);
CREATE INDEX sessions_by_user ON sessions (tenant_id, user_id);

-- The operator-editable country -> region table (partners work within their country or region).
CREATE TABLE regions (
    country TEXT NOT NULL PRIMARY KEY,
    region  TEXT NOT NULL
);
INSERT INTO regions (country, region) VALUES
    ('US', 'north_america'), ('CA', 'north_america'), ('MX', 'latin_america'),
    ('BR', 'latin_america'), ('AR', 'latin_america'), ('CL', 'latin_america'), ('CO', 'latin_america'),
    ('GB', 'europe'), ('IE', 'europe'), ('DE', 'europe'), ('FR', 'europe'), ('ES', 'europe'),
    ('IT', 'europe'), ('NL', 'europe'), ('BE', 'europe'), ('AT', 'europe'), ('CH', 'europe'),
    ('SE', 'europe'), ('NO', 'europe'), ('DK', 'europe'), ('FI', 'europe'), ('PL', 'europe'),
    ('PT', 'europe'), ('CZ', 'europe'),
    ('KR', 'asia_pacific'), ('JP', 'asia_pacific'), ('CN', 'greater_china'), ('HK', 'greater_china'),
    ('TW', 'greater_china'), ('SG', 'asia_pacific'), ('AU', 'asia_pacific'), ('NZ', 'asia_pacific'),
    ('IN', 'india'), ('ID', 'asia_pacific'), ('MY', 'asia_pacific'), ('TH', 'asia_pacific'),
    ('VN', 'asia_pacific'), ('PH', 'asia_pacific'),
    ('AE', 'middle_east_africa'), ('SA', 'middle_east_africa'), ('IL', 'middle_east_africa'),
    ('ZA', 'middle_east_africa'), ('EG', 'middle_east_africa'), ('NG', 'middle_east_africa');

CREATE TABLE agreements (
    version      INTEGER NOT NULL PRIMARY KEY,
    title        TEXT    NOT NULL,
    body         TEXT    NOT NULL,
    published_at INTEGER NOT NULL
);

CREATE TABLE agreement_acceptances (
    tenant_id     TEXT    NOT NULL REFERENCES tenants (tenant_id),
    acceptance_id TEXT    NOT NULL,
    version       INTEGER NOT NULL REFERENCES agreements (version),
    user_id       TEXT    NOT NULL,
    user_name     TEXT    NOT NULL,
    user_email    TEXT    NOT NULL,
    accepted_at   INTEGER NOT NULL,
    client_addr   TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, acceptance_id),
    UNIQUE (tenant_id, version)
);

-- tenant_id is the partner that created the request.
CREATE TABLE relationship_requests (
    tenant_id          TEXT    NOT NULL REFERENCES tenants (tenant_id),
    request_id         TEXT    NOT NULL,
    token_hash         TEXT    NOT NULL,
    types              TEXT    NOT NULL,
    admin_ask          TEXT    NOT NULL,
    customer_email     TEXT,
    status             TEXT    NOT NULL,
    created_by         TEXT    NOT NULL,
    created_at         INTEGER NOT NULL,
    expires_at         INTEGER NOT NULL,
    resolved_at        INTEGER,
    resolved_by_tenant TEXT,
    resolved_by_user   TEXT,
    PRIMARY KEY (tenant_id, request_id),
    UNIQUE (tenant_id, token_hash)
);
CREATE INDEX relationship_requests_by_time ON relationship_requests (tenant_id, created_at, request_id);

-- tenant_id is the customer; one row per (customer, partner) pair, kept after it ends.
CREATE TABLE relationships (
    tenant_id           TEXT    NOT NULL REFERENCES tenants (tenant_id),
    partner_id          TEXT    NOT NULL REFERENCES tenants (tenant_id),
    relationship_id     TEXT    NOT NULL,
    partner_name        TEXT    NOT NULL,
    customer_name       TEXT    NOT NULL,
    types               TEXT    NOT NULL,
    status              TEXT    NOT NULL,
    admin_roles         TEXT,
    admin_starts_at     INTEGER,
    admin_ends_at       INTEGER,
    admin_auto_extend   INTEGER NOT NULL DEFAULT 0,
    admin_terminated_at INTEGER,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, partner_id)
);
CREATE INDEX relationships_by_partner ON relationships (partner_id, customer_name, tenant_id);
CREATE INDEX relationships_by_customer ON relationships (tenant_id, partner_name, partner_id);

-- One row per tenant concerned, so each side reads its own audit trail by its own key.
CREATE TABLE audit_events (
    tenant_id       TEXT    NOT NULL REFERENCES tenants (tenant_id),
    event_id        TEXT    NOT NULL,
    at              INTEGER NOT NULL,
    actor_tenant_id TEXT,
    actor_user_id   TEXT,
    action          TEXT    NOT NULL,
    subject_type    TEXT    NOT NULL,
    subject_id      TEXT    NOT NULL,
    details         TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, event_id)
);
