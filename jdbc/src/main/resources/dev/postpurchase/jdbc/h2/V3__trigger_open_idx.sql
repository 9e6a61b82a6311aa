-- Version 3: the completion sweep looks for triggers not yet completed; this index keeps it off the whole
-- trigger table as history grows.
CREATE INDEX IF NOT EXISTS ${prefix}trigger_open_idx ON ${prefix}trigger (completed_at);
