-- The operator's settings of each cloud's customer portal (its name in invitation
-- e-mails, the base URL of links to it), over the configuration file's defaults.
-- An empty base_url means the deployment's public URL.
CREATE TABLE cloud_portals (
    cloud       TEXT    NOT NULL PRIMARY KEY,
    portal_name TEXT    NOT NULL,
    base_url    TEXT    NOT NULL,
    updated_at  INTEGER NOT NULL
);
