-- The partner types each partner may offer, set by the operator. A partner without rows
-- offers the default: reseller and delegated admin.
CREATE TABLE partner_offers (
    tenant_id    TEXT NOT NULL REFERENCES tenants (tenant_id),
    partner_type TEXT NOT NULL,
    PRIMARY KEY (tenant_id, partner_type)
);
