-- Postpurchase JDBC store, schema version 1, PostgreSQL 12+.
-- ${prefix} is the table prefix (default pp_); JdbcSchema.sql(dialect, prefix) resolves it.

CREATE TABLE IF NOT EXISTS ${prefix}trigger (
    trigger_key   VARCHAR(300) NOT NULL,
    kind          VARCHAR(16)  NOT NULL,
    trigger_id    VARCHAR(255) NOT NULL,
    payload_json  TEXT         NOT NULL,
    created_at    TIMESTAMPTZ  NOT NULL,
    completed_at  TIMESTAMPTZ,
    CONSTRAINT ${prefix}trigger_pk PRIMARY KEY (trigger_key)
);

-- retention walks triggers oldest first
CREATE INDEX IF NOT EXISTS ${prefix}trigger_created_idx ON ${prefix}trigger (created_at);

CREATE TABLE IF NOT EXISTS ${prefix}run (
    id                 VARCHAR(64)  NOT NULL,
    trigger_key        VARCHAR(300) NOT NULL,
    trigger_kind       VARCHAR(16)  NOT NULL,
    trigger_id         VARCHAR(255) NOT NULL,
    definition_id      VARCHAR(255) NOT NULL,
    action_type        VARCHAR(100) NOT NULL,
    action_name        TEXT         NOT NULL,
    action_level       VARCHAR(16)  NOT NULL,
    config_json        TEXT         NOT NULL,
    retry_policy_json  TEXT         NOT NULL,
    status             VARCHAR(16)  NOT NULL,
    attempts           INTEGER      NOT NULL,
    total_attempts     INTEGER      NOT NULL,
    next_attempt_at    TIMESTAMPTZ,
    last_error         TEXT,
    last_status_code   INTEGER,
    result_text        TEXT,
    skip_reason        TEXT,
    owner_id           VARCHAR(200),
    heartbeat_at       TIMESTAMPTZ,
    rerun_count        INTEGER      NOT NULL,
    created_at         TIMESTAMPTZ  NOT NULL,
    updated_at         TIMESTAMPTZ  NOT NULL,
    version            BIGINT       NOT NULL,
    CONSTRAINT ${prefix}run_pk PRIMARY KEY (id),
    CONSTRAINT ${prefix}run_trigger_fk FOREIGN KEY (trigger_key) REFERENCES ${prefix}trigger (trigger_key),
    CONSTRAINT ${prefix}run_status_ck CHECK (status IN ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED'))
);

-- claiming: only due PENDING runs are indexed, so finished history never slows it down
CREATE INDEX IF NOT EXISTS ${prefix}run_due_idx ON ${prefix}run (next_attempt_at, id) WHERE status = 'PENDING';

-- stale detection and recovery of RUNNING runs by heartbeat age; also partial, so neither index competes
CREATE INDEX IF NOT EXISTS ${prefix}run_heartbeat_idx ON ${prefix}run (heartbeat_at, id) WHERE status = 'RUNNING';

-- the runs of one trigger, oldest first
CREATE INDEX IF NOT EXISTS ${prefix}run_trigger_idx ON ${prefix}run (trigger_key, created_at, id);
