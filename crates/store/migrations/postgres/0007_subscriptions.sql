-- The provider's product catalogue, kept by the operator. clouds: comma-separated list.
CREATE TABLE products (
    sku          TEXT    NOT NULL PRIMARY KEY,
    name         TEXT    NOT NULL,
    billing      TEXT    NOT NULL,
    max_quantity BIGINT NOT NULL,
    clouds       TEXT    NOT NULL,
    retired      BIGINT NOT NULL DEFAULT 0,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);

-- What a partner bought for a customer (SPEC F5). tenant_id is the customer.
CREATE TABLE subscriptions (
    tenant_id       TEXT    NOT NULL REFERENCES tenants (tenant_id),
    subscription_id TEXT    NOT NULL,
    partner_id      TEXT    NOT NULL REFERENCES tenants (tenant_id),
    sku             TEXT    NOT NULL REFERENCES products (sku),
    quantity        BIGINT NOT NULL,
    status          TEXT    NOT NULL,
    created_by      TEXT    NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    cancelled_at    BIGINT,
    PRIMARY KEY (tenant_id, subscription_id)
);
CREATE INDEX subscriptions_by_partner ON subscriptions (partner_id, tenant_id, status);

-- Idempotency-Key of a caller's organisation: the first outcome answers every retry for
-- 24 hours. fingerprint: a digest of the operation and its input.
CREATE TABLE idempotency_keys (
    tenant_id   TEXT    NOT NULL REFERENCES tenants (tenant_id),
    idem_key    TEXT    NOT NULL,
    fingerprint TEXT    NOT NULL,
    resource_id TEXT    NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, idem_key)
);

-- The other organisation an audit event concerns (the customer in a partner's trail and
-- the partner in a customer's), so each side can read the history of one relationship.
ALTER TABLE audit_events ADD COLUMN counterpart_id TEXT;
CREATE INDEX audit_events_by_counterpart ON audit_events (tenant_id, counterpart_id, event_id);
