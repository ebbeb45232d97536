-- Sign-up from an invitation link completes from a link e-mailed to the new admin, so
-- the page answers the same whether or not the address or the domain is registered.
-- tenant_id is the partner whose link was used; the code is stored hashed; the
-- password is stored as its Argon2 hash, never in clear.
CREATE TABLE pending_signups (
    tenant_id     TEXT NOT NULL REFERENCES tenants (tenant_id),
    code_hash     TEXT NOT NULL,
    request_id    TEXT NOT NULL,
    org_name      TEXT NOT NULL,
    domain        TEXT NOT NULL,
    country       TEXT NOT NULL,
    admin_name    TEXT NOT NULL,
    admin_email   TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, code_hash)
);
CREATE INDEX pending_signups_expiry ON pending_signups (expires_at);

-- Delivery of outbox messages: each attempt is counted; a message is leased to one
-- sender until next_attempt_at, retried with growing delays, and given up (failed_at)
-- after a permanent refusal or too many attempts.
ALTER TABLE outbox ADD COLUMN attempts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN next_attempt_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN last_error TEXT;
ALTER TABLE outbox ADD COLUMN failed_at BIGINT;
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE delivered_at IS NULL AND failed_at IS NULL;
