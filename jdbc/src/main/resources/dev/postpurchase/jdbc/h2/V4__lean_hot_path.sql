-- Version 4: the lean hot path (see the PostgreSQL script for the reasons).
ALTER TABLE ${prefix}trigger ADD COLUMN IF NOT EXISTS unfinished_runs INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE ${prefix}trigger ADD COLUMN IF NOT EXISTS completion_id VARCHAR(64);
UPDATE ${prefix}trigger t SET unfinished_runs = (SELECT COUNT(*) FROM ${prefix}run r
    WHERE r.trigger_key = t.trigger_key AND r.status <> 'SUCCEEDED');
UPDATE ${prefix}trigger SET completed_at = CURRENT_TIMESTAMP WHERE completed_at IS NULL AND unfinished_runs = 0;
DROP INDEX IF EXISTS ${prefix}trigger_open_idx;
ALTER TABLE ${prefix}run ADD COLUMN IF NOT EXISTS redeliveries INTEGER DEFAULT 0 NOT NULL;
CREATE TABLE IF NOT EXISTS ${prefix}node (
    node_id       VARCHAR(200) NOT NULL,
    action_types  CHARACTER VARYING NOT NULL,
    seen_at       TIMESTAMP(9) WITH TIME ZONE NOT NULL,
    CONSTRAINT ${prefix}node_pk PRIMARY KEY (node_id)
);
