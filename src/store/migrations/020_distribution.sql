-- Round-robin rotation per campaign and priority level: the target that went first on the last call.
-- Kept in SQLite so the rotation carries on across restarts instead of starting over at the first buyer.
CREATE TABLE rr_positions (
  campaign_id     TEXT NOT NULL,
  level           INTEGER NOT NULL,
  last_target_id  TEXT NOT NULL,
  updated_at      INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, level)
);

-- Buyer pauses (automatic after unanswered calls, or by an operator). A pause is in force while
-- resumed_at IS NULL and (until_at IS NULL or until_at > now). Rows are kept as the pause history.
CREATE TABLE buyer_pauses (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  buyer_id    TEXT NOT NULL,
  source      TEXT NOT NULL CHECK (source IN ('auto', 'operator')),
  reason      TEXT NOT NULL,
  paused_at   INTEGER NOT NULL,
  until_at    INTEGER,
  resumed_at  INTEGER,
  resumed_by  TEXT
);
CREATE INDEX buyer_pauses_buyer ON buyer_pauses (buyer_id, paused_at);

-- Auto-pause counts a buyer's recent unanswered attempts.
CREATE INDEX bridge_attempts_buyer_result ON bridge_attempts (buyer_id, result, invite_at);
