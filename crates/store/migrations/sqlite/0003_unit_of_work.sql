-- One unit of work per use case: audit rows name the actor's kind, the tenant acted for
-- and the request that made the change; every commit appends numbered change-feed rows
-- that each node follows; outbox rows wait for delivery after the commit.

ALTER TABLE audit_events ADD COLUMN actor_kind TEXT NOT NULL DEFAULT 'system';
ALTER TABLE audit_events ADD COLUMN acting_for TEXT;
ALTER TABLE audit_events ADD COLUMN request_id TEXT;
UPDATE audit_events SET actor_kind = 'user' WHERE actor_user_id IS NOT NULL;

ALTER TABLE operator_events ADD COLUMN actor_kind TEXT NOT NULL DEFAULT 'local_operator';
ALTER TABLE operator_events ADD COLUMN actor_tenant_id TEXT;
ALTER TABLE operator_events ADD COLUMN actor_user_id TEXT;
ALTER TABLE operator_events ADD COLUMN request_id TEXT;

-- The change feed: a global, monotonically numbered log (not tenant-owned: every node
-- reads all of it). Numbers are handed out under the row lock of change_feed_head, held
-- until the writing transaction ends, so they become visible in order.
CREATE TABLE change_feed (
    seq       INTEGER NOT NULL PRIMARY KEY,
    at        INTEGER NOT NULL,
    tenant_id TEXT NOT NULL,
    kind      TEXT NOT NULL,
    key       TEXT NOT NULL
);
CREATE TABLE change_feed_head (
    id  INTEGER NOT NULL PRIMARY KEY,
    seq INTEGER NOT NULL
);
INSERT INTO change_feed_head (id, seq) VALUES (1, 0);

CREATE TABLE outbox (
    tenant_id    TEXT NOT NULL REFERENCES tenants (tenant_id),
    message_id   TEXT NOT NULL,
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    delivered_at INTEGER,
    PRIMARY KEY (tenant_id, message_id)
);

-- An invitation link creates one organisation at most. tenant_id is the partner.
CREATE TABLE invitation_signups (
    tenant_id   TEXT NOT NULL REFERENCES tenants (tenant_id),
    request_id  TEXT NOT NULL,
    customer_id TEXT NOT NULL REFERENCES tenants (tenant_id),
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, request_id)
);

-- Names in lower case (Unicode-aware, computed by Accord) for case-insensitive search in
-- any script; filled for existing rows when the store opens.
ALTER TABLE relationships ADD COLUMN customer_name_fold TEXT NOT NULL DEFAULT '';
ALTER TABLE relationships ADD COLUMN partner_name_fold TEXT NOT NULL DEFAULT '';
