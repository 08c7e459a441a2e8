-- Admin API: an append-only audit trail, API keys issued at runtime, and the persisted caller blocklist.
-- Times are epoch ms.

-- Who changed what, when, with the state before and after (JSON). Never edited or deleted: the triggers
-- below refuse it even to code that bypasses the API.
CREATE TABLE audit_log (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  at           INTEGER NOT NULL,
  actor_key_id TEXT NOT NULL,
  actor_role   TEXT NOT NULL,
  action       TEXT NOT NULL,
  resource     TEXT NOT NULL,
  resource_id  TEXT,
  before_json  TEXT,
  after_json   TEXT,
  request_id   TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_resource ON audit_log (resource, resource_id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- Keys issued through the API (keys in the YAML config live there). Only the sha256 of the key is kept.
CREATE TABLE api_keys (
  id          TEXT PRIMARY KEY,
  role        TEXT NOT NULL CHECK (role IN ('operator', 'buyer', 'publisher')),
  party       TEXT,
  key_hash    TEXT NOT NULL UNIQUE,
  label       TEXT,
  created_at  INTEGER NOT NULL,
  created_by  TEXT NOT NULL,
  revoked_at  INTEGER,
  CHECK (role = 'operator' OR party IS NOT NULL)
);

-- Callers refused at admission (603), in addition to the config file's blocklist.numbers.
CREATE TABLE blocked_numbers (
  number      TEXT PRIMARY KEY,
  reason      TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  created_by  TEXT NOT NULL
);
