-- Postpurchase JDBC store, schema version 1, MariaDB 10.6+ and MySQL 8.0+ (InnoDB).
-- ${prefix} is the table prefix (default pp_); JdbcSchema.sql(dialect, prefix) resolves it.
-- Times are DATETIME(6) in UTC. Keys use a binary collation: order ids are case-sensitive.

CREATE TABLE IF NOT EXISTS ${prefix}trigger (
    trigger_key   VARCHAR(300) NOT NULL,
    kind          VARCHAR(16)  NOT NULL,
    trigger_id    VARCHAR(255) NOT NULL,
    payload_json  MEDIUMTEXT   NOT NULL,
    created_at    DATETIME(6)  NOT NULL,
    completed_at  DATETIME(6)  NULL,
    PRIMARY KEY (trigger_key),
    KEY ${prefix}trigger_created_idx (created_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS ${prefix}run (
    id                 VARCHAR(64)  NOT NULL,
    trigger_key        VARCHAR(300) NOT NULL,
    trigger_kind       VARCHAR(16)  NOT NULL,
    trigger_id         VARCHAR(255) NOT NULL,
    definition_id      VARCHAR(255) NOT NULL,
    action_type        VARCHAR(100) NOT NULL,
    action_name        TEXT         NOT NULL,
    action_level       VARCHAR(16)  NOT NULL,
    config_json        MEDIUMTEXT   NOT NULL,
    retry_policy_json  TEXT         NOT NULL,
    status             VARCHAR(16)  NOT NULL,
    attempts           INT          NOT NULL,
    total_attempts     INT          NOT NULL,
    next_attempt_at    DATETIME(6)  NULL,
    last_error         MEDIUMTEXT   NULL,
    last_status_code   INT          NULL,
    result_text        MEDIUMTEXT   NULL,
    skip_reason        TEXT         NULL,
    owner_id           VARCHAR(200) NULL,
    heartbeat_at       DATETIME(6)  NULL,
    rerun_count        INT          NOT NULL,
    created_at         DATETIME(6)  NOT NULL,
    updated_at         DATETIME(6)  NOT NULL,
    version            BIGINT       NOT NULL,
    PRIMARY KEY (id),
    KEY ${prefix}run_due_idx (status, next_attempt_at, id),
    KEY ${prefix}run_heartbeat_idx (status, heartbeat_at),
    KEY ${prefix}run_trigger_idx (trigger_key, created_at, id),
    CONSTRAINT ${prefix}run_trigger_fk FOREIGN KEY (trigger_key) REFERENCES ${prefix}trigger (trigger_key),
    CONSTRAINT ${prefix}run_status_ck CHECK (status IN ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
