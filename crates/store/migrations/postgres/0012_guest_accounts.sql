-- The partner's named users that a customer's Global admin added to its directory as
-- guest accounts (the seed's "Partner" type). tenant_id is the customer; the user is the
-- partner's own, and acts in the customer with the directory roles given here. Rows go
-- when the Global admin removes them, when the relationship ends and when the user is
-- deleted.
CREATE TABLE guest_accounts (
    tenant_id   TEXT    NOT NULL REFERENCES tenants (tenant_id),
    user_id     TEXT    NOT NULL,
    partner_id  TEXT    NOT NULL REFERENCES tenants (tenant_id),
    roles       TEXT    NOT NULL,
    added_by    TEXT    NOT NULL,
    added_at    BIGINT  NOT NULL,
    PRIMARY KEY (tenant_id, user_id),
    FOREIGN KEY (partner_id, user_id) REFERENCES users (tenant_id, user_id)
);
CREATE INDEX guest_accounts_by_partner ON guest_accounts (partner_id, user_id);
