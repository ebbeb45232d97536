-- Audit trail of provider-wide operator changes (agreement versions, the region table),
-- which belong to no tenant.
CREATE TABLE operator_events (
    event_id     TEXT    NOT NULL PRIMARY KEY,
    at           BIGINT NOT NULL,
    action       TEXT    NOT NULL,
    subject_type TEXT    NOT NULL,
    subject_id   TEXT    NOT NULL,
    details      TEXT    NOT NULL
);
CREATE INDEX operator_events_by_time ON operator_events (at, event_id);
