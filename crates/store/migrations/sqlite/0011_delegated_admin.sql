-- Delegated administration (issue 9): the customer's directory run by its own admins and
-- by partner agents within granted and assigned roles.

-- What the partner asked for, next to what the customer approved (admin_roles), and roles
-- a partner asked to add to an active grant, awaiting the customer's consent.
ALTER TABLE relationships ADD COLUMN admin_requested_roles TEXT;
ALTER TABLE relationships ADD COLUMN admin_pending_roles TEXT;

-- A password set by an admin (reset): shown once, to be changed at the next sign-in.
ALTER TABLE users ADD COLUMN password_temporary INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX users_by_name ON users (tenant_id, display_name, user_id);

-- Licences: a seat of a customer's per-seat subscription held by one of its users.
-- tenant_id is the customer.
CREATE TABLE license_assignments (
    tenant_id       TEXT    NOT NULL REFERENCES tenants (tenant_id),
    subscription_id TEXT    NOT NULL,
    user_id         TEXT    NOT NULL,
    assigned_at     INTEGER NOT NULL,
    assigned_by     TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, subscription_id, user_id),
    FOREIGN KEY (tenant_id, subscription_id) REFERENCES subscriptions (tenant_id, subscription_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, user_id)
);
CREATE INDEX license_assignments_by_user ON license_assignments (tenant_id, user_id);

-- Which of a partner's agents hold which granted roles for one customer. tenant_id is the
-- partner (its own staffing decision); one row per (partner, customer, agent).
CREATE TABLE access_assignments (
    tenant_id     TEXT    NOT NULL REFERENCES tenants (tenant_id),
    assignment_id TEXT    NOT NULL,
    customer_id   TEXT    NOT NULL REFERENCES tenants (tenant_id),
    agent_id      TEXT    NOT NULL,
    roles         TEXT    NOT NULL,
    created_by    TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, assignment_id),
    FOREIGN KEY (tenant_id, agent_id) REFERENCES users (tenant_id, user_id)
);
CREATE UNIQUE INDEX access_assignments_agent ON access_assignments (tenant_id, customer_id, agent_id);

-- Every delegated action, as the customer reads it under "Partner activity". tenant_id is
-- the customer; names are kept as they were at the time.
CREATE TABLE delegated_actions (
    tenant_id    TEXT    NOT NULL REFERENCES tenants (tenant_id),
    action_id    TEXT    NOT NULL,
    at           INTEGER NOT NULL,
    partner_id   TEXT    NOT NULL,
    partner_name TEXT    NOT NULL,
    agent_id     TEXT    NOT NULL,
    agent_name   TEXT    NOT NULL,
    agent_email  TEXT    NOT NULL,
    action       TEXT    NOT NULL,
    target_type  TEXT    NOT NULL,
    target_id    TEXT    NOT NULL,
    target_label TEXT    NOT NULL,
    roles_used   TEXT    NOT NULL,
    outcome      TEXT    NOT NULL,
    error_code   TEXT,
    request_id   TEXT,
    PRIMARY KEY (tenant_id, action_id)
);
CREATE INDEX delegated_actions_by_time ON delegated_actions (tenant_id, at, action_id);
CREATE INDEX delegated_actions_by_partner ON delegated_actions (tenant_id, partner_id, at, action_id);
