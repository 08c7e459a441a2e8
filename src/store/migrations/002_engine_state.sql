-- Small engine-wide values that must survive restarts (e.g. the generated caller-hash key).
CREATE TABLE engine_state (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
);
