-- Support cases a partner opens with the provider for a customer (SPEC F9). tenant_id is
-- the customer; the provider's operators work them as one queue.
CREATE TABLE service_requests (
    tenant_id          TEXT    NOT NULL REFERENCES tenants (tenant_id),
    service_request_id TEXT    NOT NULL,
    partner_id         TEXT    NOT NULL REFERENCES tenants (tenant_id),
    title              TEXT    NOT NULL,
    description        TEXT    NOT NULL,
    severity           TEXT    NOT NULL,
    status             TEXT    NOT NULL,
    opened_by          TEXT    NOT NULL,
    opened_by_name     TEXT    NOT NULL,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, service_request_id)
);
CREATE INDEX service_requests_by_partner ON service_requests (partner_id, tenant_id, service_request_id);
CREATE INDEX service_requests_queue ON service_requests (status, service_request_id);

-- The conversation on a service request: the partner's and the operators' comments.
CREATE TABLE service_request_comments (
    tenant_id          TEXT    NOT NULL REFERENCES tenants (tenant_id),
    service_request_id TEXT    NOT NULL,
    comment_id         TEXT    NOT NULL,
    author_kind        TEXT    NOT NULL,
    author_name        TEXT    NOT NULL,
    body               TEXT    NOT NULL,
    created_at         INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, service_request_id, comment_id)
);
