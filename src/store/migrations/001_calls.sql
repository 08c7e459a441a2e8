-- One row per inbound call, written when the INVITE is accepted and updated at every phase.
-- Timestamps are integer milliseconds since the epoch (UTC). Money is integer cents.
CREATE TABLE calls (
  id               TEXT PRIMARY KEY,
  sip_call_id      TEXT NOT NULL,
  driver           TEXT NOT NULL,
  did              TEXT NOT NULL,
  caller           TEXT NOT NULL,
  carrier_id       TEXT,
  source_address   TEXT,
  campaign_id      TEXT,
  publisher_id     TEXT,
  config_digest    TEXT,
  status           TEXT NOT NULL CHECK (status IN ('in_progress', 'completed', 'interrupted')),
  phase            TEXT NOT NULL,
  outcome          TEXT,
  invite_at        INTEGER NOT NULL,
  answer_at        INTEGER,
  ivr_end_at       INTEGER,
  routing_at       INTEGER,
  bridge_start_at  INTEGER,
  buyer_answer_at  INTEGER,
  end_at           INTEGER,
  last_seen_at     INTEGER,
  hangup_side      TEXT,
  hangup_cause     TEXT,
  qualified        INTEGER,
  tags             TEXT NOT NULL DEFAULT '{}',
  ivr_answers      TEXT NOT NULL DEFAULT '[]',
  buyer_id         TEXT,
  target_id        TEXT,
  talk_ms          INTEGER,
  billable         INTEGER NOT NULL DEFAULT 0,
  billable_reason  TEXT,
  payable          INTEGER NOT NULL DEFAULT 0,
  payout_reason    TEXT,
  duplicate        INTEGER NOT NULL DEFAULT 0,
  revenue_cents    INTEGER NOT NULL DEFAULT 0,
  payout_cents     INTEGER NOT NULL DEFAULT 0,
  cost_cents       INTEGER NOT NULL DEFAULT 0,
  bid_cents        INTEGER,
  auction_id       TEXT,
  updated_at       INTEGER NOT NULL
);
CREATE INDEX calls_invite_at ON calls (invite_at);
CREATE INDEX calls_campaign ON calls (campaign_id, invite_at);
CREATE INDEX calls_publisher ON calls (publisher_id, invite_at);
CREATE INDEX calls_buyer ON calls (buyer_id, invite_at);
CREATE INDEX calls_caller ON calls (caller, invite_at);
CREATE INDEX calls_in_progress ON calls (status) WHERE status = 'in_progress';

-- One row per buyer tried for a call, in order.
CREATE TABLE bridge_attempts (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  call_id      TEXT NOT NULL REFERENCES calls (id),
  seq          INTEGER NOT NULL,
  buyer_id     TEXT NOT NULL,
  target_id    TEXT NOT NULL,
  destination  TEXT NOT NULL,
  invite_at    INTEGER NOT NULL,
  ring_at      INTEGER,
  answer_at    INTEGER,
  end_at       INTEGER,
  result       TEXT,
  sip_code     INTEGER,
  reason       TEXT,
  UNIQUE (call_id, seq)
);
CREATE INDEX bridge_attempts_call ON bridge_attempts (call_id);

-- Why a buyer/target was not tried for a call (ineligible), so operators can answer "why not buyer X?".
CREATE TABLE routing_skips (
  call_id    TEXT NOT NULL REFERENCES calls (id),
  buyer_id   TEXT NOT NULL,
  target_id  TEXT NOT NULL,
  reason     TEXT NOT NULL
);
CREATE INDEX routing_skips_call ON routing_skips (call_id);
