-- Billing state (issue 3). Money is integer cents; times are epoch milliseconds.

-- Cap counters: how much of each owner's cap bucket is used. `period_key` is the bucket in the owner's time zone
-- (`day:2026-03-08`, `hour:2026-11-01T01-05:00`, `total`), so counters survive restarts and old buckets stay as history.
CREATE TABLE cap_counters (
  owner_kind  TEXT NOT NULL,
  owner_id    TEXT NOT NULL,
  metric      TEXT NOT NULL,
  period_key  TEXT NOT NULL,
  used        INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (owner_kind, owner_id, metric, period_key)
) WITHOUT ROWID;

-- What each call holds in which bucket, so a failed attempt releases exactly what it took and a later conversion or
-- dispute adjusts the bucket the call was counted in (not today's).
CREATE TABLE cap_reservations (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  call_id      TEXT NOT NULL,
  attempt_key  TEXT NOT NULL,
  owner_kind   TEXT NOT NULL,
  owner_id     TEXT NOT NULL,
  metric       TEXT NOT NULL,
  period_key   TEXT NOT NULL,
  reserved     INTEGER NOT NULL,
  amount       INTEGER NOT NULL,
  state        TEXT NOT NULL CHECK (state IN ('held', 'released', 'settled')),
  created_at   INTEGER NOT NULL
);
CREATE INDEX cap_reservations_call ON cap_reservations (call_id, attempt_key);

-- Calls live right now per owner (concurrency limits). No call outlives the process, so startup empties it.
CREATE TABLE live_calls (
  call_id      TEXT NOT NULL,
  attempt_key  TEXT NOT NULL,
  owner_kind   TEXT NOT NULL,
  owner_id     TEXT NOT NULL,
  since        INTEGER NOT NULL,
  PRIMARY KEY (call_id, attempt_key, owner_kind, owner_id)
) WITHOUT ROWID;
CREATE INDEX live_calls_owner ON live_calls (owner_kind, owner_id);

-- Buyer conversion reports, one row per event id (a retried report is a no-op).
CREATE TABLE conversions (
  event_id       TEXT PRIMARY KEY,
  call_id        TEXT NOT NULL REFERENCES calls (id),
  revenue_cents  INTEGER,
  reported_at    INTEGER NOT NULL,
  received_at    INTEGER NOT NULL
);
CREATE INDEX conversions_call ON conversions (call_id, received_at);

-- At most one dispute per call.
CREATE TABLE disputes (
  call_id                 TEXT PRIMARY KEY REFERENCES calls (id),
  buyer_id                TEXT NOT NULL,
  reason                  TEXT,
  state                   TEXT NOT NULL CHECK (state IN ('open', 'accepted', 'rejected')),
  opened_at               INTEGER NOT NULL,
  decided_at              INTEGER,
  reversed_revenue_cents  INTEGER,
  clawed_payout_cents     INTEGER
);

-- Every change of a call's money, as a delta: the sum per call equals the call row; P&L by day reads it.
CREATE TABLE billing_ledger (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  call_id        TEXT NOT NULL REFERENCES calls (id),
  kind           TEXT NOT NULL CHECK (kind IN ('hangup', 'conversion', 'dispute')),
  revenue_cents  INTEGER NOT NULL,
  payout_cents   INTEGER NOT NULL,
  cost_cents     INTEGER NOT NULL,
  at             INTEGER NOT NULL,
  ref            TEXT
);
CREATE INDEX billing_ledger_call ON billing_ledger (call_id);
CREATE INDEX billing_ledger_at ON billing_ledger (at);

-- calls.duplicate is the buyer-side decision; the publisher's own policy is recorded beside it.
ALTER TABLE calls ADD COLUMN publisher_duplicate INTEGER NOT NULL DEFAULT 0;
-- JSON of the terms agreed at routing (price or bid, minimums, payout, per-minute costs) so later conversions and
-- disputes re-price under the terms the call was sold on, not today's config.
ALTER TABLE calls ADD COLUMN billing_terms TEXT;
ALTER TABLE calls ADD COLUMN converted_at INTEGER;
ALTER TABLE calls ADD COLUMN conversion_revenue_cents INTEGER;
