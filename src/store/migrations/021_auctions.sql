-- Ping-post auctions: one row per auction, one per bidder pinged. Times are epoch ms, money integer cents.
CREATE TABLE auctions (
  id                TEXT PRIMARY KEY,
  call_id           TEXT,
  campaign_id       TEXT NOT NULL,
  started_at        INTEGER NOT NULL,
  ended_at          INTEGER NOT NULL,
  duration_ms       REAL NOT NULL,
  bidders           INTEGER NOT NULL,
  valid_bids        INTEGER NOT NULL,
  winner_buyer_id   TEXT,
  winner_cents      INTEGER
);
CREATE INDEX auctions_call ON auctions (call_id);
CREATE INDEX auctions_campaign ON auctions (campaign_id, started_at);

CREATE TABLE auction_bids (
  auction_id      TEXT NOT NULL REFERENCES auctions (id),
  buyer_id        TEXT NOT NULL,
  latency_ms      REAL,
  http_status     INTEGER,
  amount_cents    INTEGER,
  valid           INTEGER NOT NULL,
  -- Why the bid was ignored (late, http_error, malformed, expired, zero_bid, below_floor…); NULL when valid.
  reason          TEXT,
  detail          TEXT,
  expires_at      INTEGER,
  destination     TEXT,
  min_duration_s  INTEGER,
  -- 1 = winner, 2 = first fallback… NULL for ignored bids.
  rank            INTEGER,
  PRIMARY KEY (auction_id, buyer_id)
);

-- Inbound bidding: what we bid to a publisher that asked first. A call on `did` from `caller` before
-- `expires_at` claims it and is paid at `bid_cents`; until then it holds capacity on `target_id`.
CREATE TABLE bid_reservations (
  id            TEXT PRIMARY KEY,
  publisher_id  TEXT NOT NULL,
  campaign_id   TEXT NOT NULL,
  did           TEXT NOT NULL,
  caller        TEXT NOT NULL,
  buyer_id      TEXT NOT NULL,
  target_id     TEXT NOT NULL,
  bid_cents     INTEGER NOT NULL,
  created_at    INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL,
  call_id       TEXT,
  claimed_at    INTEGER
);
CREATE INDEX bid_reservations_lookup ON bid_reservations (did, caller, expires_at);
CREATE INDEX bid_reservations_target ON bid_reservations (target_id, expires_at) WHERE call_id IS NULL;
