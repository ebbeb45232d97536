-- The partner's user named as a customer's support contact (SPEC F8), one per
-- relationship. tenant_id is the customer.
CREATE TABLE support_contacts (
    tenant_id  TEXT NOT NULL REFERENCES tenants (tenant_id),
    partner_id TEXT NOT NULL REFERENCES tenants (tenant_id),
    user_id    TEXT NOT NULL,
    set_at     INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, partner_id)
);
