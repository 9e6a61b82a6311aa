-- Version 5: merchant configuration (JdbcDefinitionSource, JdbcIntegrationSettings). A definition's whole JSON and
-- an integration's API key are stored as SecretCodec values (encrypted; plain only with the development codec); the
-- plain columns beside them exist for lookups. Re-runnable: MariaDB commits DDL implicitly.

CREATE TABLE IF NOT EXISTS ${prefix}definition (
    id              VARCHAR(255) NOT NULL,
    action_type     VARCHAR(100) NOT NULL,
    name            VARCHAR(200) NOT NULL,
    action_level    VARCHAR(16)  NOT NULL,
    target_id       VARCHAR(255) NOT NULL,
    enabled         BOOLEAN      NOT NULL,
    definition_enc  MEDIUMTEXT   NOT NULL,
    version         BIGINT       NOT NULL,
    created_at      DATETIME(6)  NOT NULL,
    updated_at      DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    KEY ${prefix}definition_target_idx (action_level, target_id, id),
    CONSTRAINT ${prefix}definition_level_ck CHECK (action_level IN ('PRODUCT', 'OFFER', 'CHECKOUT'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS ${prefix}subscription (
    id          VARCHAR(255) NOT NULL,
    event_type  VARCHAR(64)  NOT NULL,
    sources     VARCHAR(100) NOT NULL,
    enabled     BOOLEAN      NOT NULL,
    version     BIGINT       NOT NULL,
    created_at  DATETIME(6)  NOT NULL,
    updated_at  DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    KEY ${prefix}subscription_event_idx (event_type, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS ${prefix}subscription_definition (
    subscription_id  VARCHAR(255) NOT NULL,
    position         INT          NOT NULL,
    definition_id    VARCHAR(255) NOT NULL,
    PRIMARY KEY (subscription_id, position),
    KEY ${prefix}subscription_definition_idx (definition_id),
    CONSTRAINT ${prefix}subscription_definition_sub_fk FOREIGN KEY (subscription_id)
        REFERENCES ${prefix}subscription (id) ON DELETE CASCADE,
    CONSTRAINT ${prefix}subscription_definition_def_fk FOREIGN KEY (definition_id)
        REFERENCES ${prefix}definition (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS ${prefix}event_switch (
    event_type  VARCHAR(64) NOT NULL,
    enabled     BOOLEAN     NOT NULL,
    updated_at  DATETIME(6) NOT NULL,
    PRIMARY KEY (event_type)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS ${prefix}integration (
    integration  VARCHAR(100) NOT NULL,
    enabled      BOOLEAN      NOT NULL,
    api_key_enc  TEXT         NULL,
    updated_at   DATETIME(6)  NOT NULL,
    PRIMARY KEY (integration)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS ${prefix}config_version (
    id       INT    NOT NULL,
    version  BIGINT NOT NULL,
    PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

INSERT IGNORE INTO ${prefix}config_version (id, version) VALUES (1, 0);
