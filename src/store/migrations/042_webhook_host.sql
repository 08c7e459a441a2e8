-- The receiver's host:port, so the worker can skip hosts already at their concurrency limit in the queue query
-- (a slow receiver with a long backlog must not starve the others). NULL for rows queued before this column.
ALTER TABLE webhook_deliveries ADD COLUMN host TEXT;
