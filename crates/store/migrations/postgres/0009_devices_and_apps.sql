-- Devices an OEM PC partner registered for a customer (SPEC F10). tenant_id is the
-- customer. A device is one serial number and one hardware hash per customer; the hash
-- (up to 8 KB) is indexed by its SHA-256.
CREATE TABLE devices (
    tenant_id            TEXT    NOT NULL REFERENCES tenants (tenant_id),
    device_id            TEXT    NOT NULL,
    partner_id           TEXT    NOT NULL REFERENCES tenants (tenant_id),
    upload_id            TEXT    NOT NULL,
    serial_number        TEXT    NOT NULL,
    product_id           TEXT    NOT NULL,
    hardware_hash        TEXT    NOT NULL,
    hardware_hash_sha256 TEXT    NOT NULL,
    uploaded_by_name     TEXT    NOT NULL,
    created_at           BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, device_id)
);
CREATE UNIQUE INDEX devices_serial ON devices (tenant_id, serial_number);
CREATE UNIQUE INDEX devices_hash ON devices (tenant_id, hardware_hash_sha256);
CREATE INDEX devices_by_partner ON devices (partner_id, tenant_id, device_id);

-- Line-of-business apps a partner keeps for a customer, and their versions.
CREATE TABLE lob_apps (
    tenant_id   TEXT    NOT NULL REFERENCES tenants (tenant_id),
    app_id      TEXT    NOT NULL,
    partner_id  TEXT    NOT NULL REFERENCES tenants (tenant_id),
    name        TEXT    NOT NULL,
    description TEXT    NOT NULL,
    created_by_name TEXT NOT NULL,
    retired_at  BIGINT,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, app_id)
);
CREATE INDEX lob_apps_by_partner ON lob_apps (partner_id, tenant_id, app_id);

CREATE TABLE lob_app_versions (
    tenant_id       TEXT    NOT NULL REFERENCES tenants (tenant_id),
    app_id          TEXT    NOT NULL,
    version_id      TEXT    NOT NULL,
    version         TEXT    NOT NULL,
    package_url     TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    note            TEXT    NOT NULL,
    created_at      BIGINT NOT NULL,
    decided_at      BIGINT,
    decided_by_name TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, app_id, version_id)
);
CREATE UNIQUE INDEX lob_app_versions_label ON lob_app_versions (tenant_id, app_id, version);
