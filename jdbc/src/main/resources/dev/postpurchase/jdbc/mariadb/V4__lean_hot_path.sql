-- Version 4: the lean hot path (see the PostgreSQL script for the reasons). Re-runnable: MariaDB commits DDL
-- implicitly, so a migration cut short is completed by running it again.
ALTER TABLE ${prefix}trigger ADD COLUMN IF NOT EXISTS unfinished_runs INT NOT NULL DEFAULT 0;
ALTER TABLE ${prefix}trigger ADD COLUMN IF NOT EXISTS completion_id VARCHAR(64) NULL;
UPDATE ${prefix}trigger t SET unfinished_runs = (SELECT COUNT(*) FROM ${prefix}run r
    WHERE r.trigger_key = t.trigger_key AND r.status <> 'SUCCEEDED');
UPDATE ${prefix}trigger SET completed_at = UTC_TIMESTAMP(6) WHERE completed_at IS NULL AND unfinished_runs = 0;
DROP INDEX IF EXISTS ${prefix}trigger_open_idx ON ${prefix}trigger;
ALTER TABLE ${prefix}run ADD COLUMN IF NOT EXISTS redeliveries INT NOT NULL DEFAULT 0;
CREATE TABLE IF NOT EXISTS ${prefix}node (
    node_id       VARCHAR(200) NOT NULL,
    action_types  TEXT         NOT NULL,
    seen_at       DATETIME(6)  NOT NULL,
    PRIMARY KEY (node_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
