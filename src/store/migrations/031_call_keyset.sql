-- Keyset pagination and exports walk calls in (invite_at, id) order; this index makes each page a range scan
-- instead of a sort of every later row.
CREATE INDEX calls_invite_at_id ON calls (invite_at, id);
