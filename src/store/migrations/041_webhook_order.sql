-- Per-call ordering: a subscriber gets one call's events in the order they happened. A delivery waits while an
-- earlier delivery of the same call to the same subscription is still pending (in flight or waiting to retry).
ALTER TABLE webhook_deliveries ADD COLUMN call_id TEXT;
UPDATE webhook_deliveries SET call_id = (SELECT call_id FROM webhook_events e WHERE e.id = webhook_deliveries.event_id);
CREATE INDEX webhook_deliveries_order ON webhook_deliveries (call_id, party, owner_id, webhook_id, id) WHERE status = 'pending';
