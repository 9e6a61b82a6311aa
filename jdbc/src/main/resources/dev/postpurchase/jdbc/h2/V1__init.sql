-- Postpurchase JDBC store, schema version 1, H2 2.x.
-- ${prefix} is the table prefix (default pp_); JdbcSchema.sql(dialect, prefix) resolves it.

CREATE TABLE IF NOT EXISTS ${prefix}trigger (
    trigger_key   VARCHAR(300) NOT NULL,
    kind          VARCHAR(16)  NOT NULL,
    trigger_id    VARCHAR(255) NOT NULL,
    payload_json  CHARACTER VARYING NOT NULL,
    created_at    TIMESTAMP(9) WITH TIME ZONE NOT NULL,
    completed_at  TIMESTAMP(9) WITH TIME ZONE,
    CONSTRAINT ${prefix}trigger_pk PRIMARY KEY (trigger_key)
);

CREATE INDEX IF NOT EXISTS ${prefix}trigger_created_idx ON ${prefix}trigger (created_at);

CREATE TABLE IF NOT EXISTS ${prefix}run (
    id                 VARCHAR(64)  NOT NULL,
    trigger_key        VARCHAR(300) NOT NULL,
    trigger_kind       VARCHAR(16)  NOT NULL,
    trigger_id         VARCHAR(255) NOT NULL,
    definition_id      VARCHAR(255) NOT NULL,
    action_type        VARCHAR(100) NOT NULL,
    action_name        CHARACTER VARYING NOT NULL,
    action_level       VARCHAR(16)  NOT NULL,
    config_json        CHARACTER VARYING NOT NULL,
    retry_policy_json  CHARACTER VARYING NOT NULL,
    status             VARCHAR(16)  NOT NULL,
    attempts           INTEGER      NOT NULL,
    total_attempts     INTEGER      NOT NULL,
    next_attempt_at    TIMESTAMP(9) WITH TIME ZONE,
    last_error         CHARACTER VARYING,
    last_status_code   INTEGER,
    result_text        CHARACTER VARYING,
    skip_reason        CHARACTER VARYING,
    owner_id           VARCHAR(200),
    heartbeat_at       TIMESTAMP(9) WITH TIME ZONE,
    rerun_count        INTEGER      NOT NULL,
    created_at         TIMESTAMP(9) WITH TIME ZONE NOT NULL,
    updated_at         TIMESTAMP(9) WITH TIME ZONE NOT NULL,
    version            BIGINT       NOT NULL,
    CONSTRAINT ${prefix}run_pk PRIMARY KEY (id),
    CONSTRAINT ${prefix}run_trigger_fk FOREIGN KEY (trigger_key) REFERENCES ${prefix}trigger (trigger_key),
    CONSTRAINT ${prefix}run_status_ck CHECK (status IN ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED'))
);

CREATE INDEX IF NOT EXISTS ${prefix}run_due_idx ON ${prefix}run (status, next_attempt_at, id);
CREATE INDEX IF NOT EXISTS ${prefix}run_heartbeat_idx ON ${prefix}run (status, heartbeat_at);
CREATE INDEX IF NOT EXISTS ${prefix}run_trigger_idx ON ${prefix}run (trigger_key, created_at, id);
