-- Version 6: what the staff pages need (see the PostgreSQL script).
ALTER TABLE ${prefix}run ADD COLUMN IF NOT EXISTS attempt_history CHARACTER VARYING;
ALTER TABLE ${prefix}trigger ADD COLUMN IF NOT EXISTS order_id VARCHAR(255);
UPDATE ${prefix}trigger SET order_id = trigger_id WHERE kind = 'ORDER' AND order_id IS NULL;
CREATE INDEX IF NOT EXISTS ${prefix}trigger_order_idx ON ${prefix}trigger (order_id);
CREATE INDEX IF NOT EXISTS ${prefix}run_status_created_idx ON ${prefix}run (status, created_at, id);
