-- Version 4: the lean hot path.
-- * A trigger counts its runs that have not succeeded; the batch that records the last success decrements it to 0
--   and marks the trigger completed in the same statement (completion_id names that batch, so exactly one batch
--   reports it). Existing triggers get their count from their runs; a trigger whose runs all succeeded but that was
--   never marked completed (a completion cut short under the old code) is completed now, silently.
-- * A run counts the re-runs staff chose to deliver again; each gives the run a new idempotency key.
-- * Nodes record that they are alive and which action types they execute, so runs no live node can take are seen.
-- * The completion sweep is gone, and with it the index it used (its predicate column kept completions from being
--   HOT updates).
ALTER TABLE ${prefix}trigger ADD COLUMN IF NOT EXISTS unfinished_runs INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ${prefix}trigger ADD COLUMN IF NOT EXISTS completion_id VARCHAR(64);
UPDATE ${prefix}trigger t SET unfinished_runs = (SELECT COUNT(*) FROM ${prefix}run r
    WHERE r.trigger_key = t.trigger_key AND r.status <> 'SUCCEEDED');
UPDATE ${prefix}trigger SET completed_at = now() WHERE completed_at IS NULL AND unfinished_runs = 0;
DROP INDEX IF EXISTS ${prefix}trigger_open_idx;
ALTER TABLE ${prefix}run ADD COLUMN IF NOT EXISTS redeliveries INTEGER NOT NULL DEFAULT 0;
CREATE TABLE IF NOT EXISTS ${prefix}node (
    node_id       VARCHAR(200) NOT NULL,
    action_types  TEXT         NOT NULL,
    seen_at       TIMESTAMPTZ  NOT NULL,
    CONSTRAINT ${prefix}node_pk PRIMARY KEY (node_id)
);
