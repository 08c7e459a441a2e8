-- Webhook outbox. An event row and its delivery rows are written in the same transaction as the call change that
-- caused them, so a committed change always has its events and a rolled-back one never does.
CREATE TABLE webhook_events (
  id           TEXT PRIMARY KEY,          -- event id, sent to receivers for de-duplication
  kind         TEXT NOT NULL,             -- call.started, call.connected, …
  call_id      TEXT,
  occurred_at  INTEGER NOT NULL           -- engine clock, ms
);
CREATE INDEX webhook_events_call ON webhook_events (call_id);

-- One row per (event, subscription): the rendered request and its delivery state.
CREATE TABLE webhook_deliveries (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id         TEXT NOT NULL REFERENCES webhook_events (id),
  party            TEXT NOT NULL CHECK (party IN ('campaign', 'buyer', 'publisher')),
  owner_id         TEXT NOT NULL,
  webhook_id       TEXT NOT NULL,
  method           TEXT NOT NULL,
  url              TEXT NOT NULL,         -- with the rendered query string
  content_type     TEXT,
  body             TEXT,                  -- NULL for GET
  status           TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  max_attempts     INTEGER NOT NULL,
  next_at          INTEGER NOT NULL,      -- wall clock ms; 0 = due at once
  last_status_code INTEGER,
  last_error       TEXT,
  created_at       INTEGER NOT NULL,
  finished_at      INTEGER,               -- delivered or dead-lettered
  UNIQUE (event_id, party, owner_id, webhook_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_status ON webhook_deliveries (status, id);

-- The delivery log: one row per HTTP try.
CREATE TABLE webhook_attempts (
  delivery_id  INTEGER NOT NULL REFERENCES webhook_deliveries (id),
  attempt      INTEGER NOT NULL,
  started_at   INTEGER NOT NULL,
  latency_ms   INTEGER NOT NULL,
  status_code  INTEGER,                   -- NULL when no HTTP answer (refused, timeout)
  error        TEXT,
  outcome      TEXT NOT NULL CHECK (outcome IN ('delivered', 'retry', 'dead')),
  PRIMARY KEY (delivery_id, attempt)
);
