-- Version 2: each run keeps the product, offer or checkout id its definition hangs on (with action_level), so a
-- product-level action can tell which order lines are its own. Runs created before this version get ''.
ALTER TABLE ${prefix}run ADD COLUMN IF NOT EXISTS target_id VARCHAR(255) NOT NULL DEFAULT '';
