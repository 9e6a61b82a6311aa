-- Version 5: merchant configuration (JdbcDefinitionSource, JdbcIntegrationSettings). A definition's whole JSON and
-- an integration's API key are stored as SecretCodec values (encrypted; plain only with the development codec); the
-- plain columns beside them exist for lookups.

CREATE TABLE IF NOT EXISTS ${prefix}definition (
    id              VARCHAR(255) NOT NULL,
    action_type     VARCHAR(100) NOT NULL,
    name            VARCHAR(200) NOT NULL,
    action_level    VARCHAR(16)  NOT NULL,
    target_id       VARCHAR(255) NOT NULL,
    enabled         BOOLEAN      NOT NULL,
    definition_enc  CHARACTER VARYING NOT NULL,
    version         BIGINT       NOT NULL,
    created_at      TIMESTAMP(9) WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP(9) WITH TIME ZONE NOT NULL,
    CONSTRAINT ${prefix}definition_pk PRIMARY KEY (id),
    CONSTRAINT ${prefix}definition_level_ck CHECK (action_level IN ('PRODUCT', 'OFFER', 'CHECKOUT'))
);

CREATE INDEX IF NOT EXISTS ${prefix}definition_target_idx ON ${prefix}definition (action_level, target_id, id);

CREATE TABLE IF NOT EXISTS ${prefix}subscription (
    id          VARCHAR(255) NOT NULL,
    event_type  VARCHAR(64)  NOT NULL,
    sources     VARCHAR(100) NOT NULL,
    enabled     BOOLEAN      NOT NULL,
    version     BIGINT       NOT NULL,
    created_at  TIMESTAMP(9) WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP(9) WITH TIME ZONE NOT NULL,
    CONSTRAINT ${prefix}subscription_pk PRIMARY KEY (id)
);

CREATE INDEX IF NOT EXISTS ${prefix}subscription_event_idx ON ${prefix}subscription (event_type, id);

CREATE TABLE IF NOT EXISTS ${prefix}subscription_definition (
    subscription_id  VARCHAR(255) NOT NULL,
    position         INTEGER      NOT NULL,
    definition_id    VARCHAR(255) NOT NULL,
    CONSTRAINT ${prefix}subscription_definition_pk PRIMARY KEY (subscription_id, position),
    CONSTRAINT ${prefix}subscription_definition_sub_fk FOREIGN KEY (subscription_id)
        REFERENCES ${prefix}subscription (id) ON DELETE CASCADE,
    CONSTRAINT ${prefix}subscription_definition_def_fk FOREIGN KEY (definition_id)
        REFERENCES ${prefix}definition (id)
);

CREATE INDEX IF NOT EXISTS ${prefix}subscription_definition_idx ON ${prefix}subscription_definition (definition_id);

CREATE TABLE IF NOT EXISTS ${prefix}event_switch (
    event_type  VARCHAR(64) NOT NULL,
    enabled     BOOLEAN     NOT NULL,
    updated_at  TIMESTAMP(9) WITH TIME ZONE NOT NULL,
    CONSTRAINT ${prefix}event_switch_pk PRIMARY KEY (event_type)
);

CREATE TABLE IF NOT EXISTS ${prefix}integration (
    integration  VARCHAR(100) NOT NULL,
    enabled      BOOLEAN      NOT NULL,
    api_key_enc  CHARACTER VARYING,
    updated_at   TIMESTAMP(9) WITH TIME ZONE NOT NULL,
    CONSTRAINT ${prefix}integration_pk PRIMARY KEY (integration)
);

CREATE TABLE IF NOT EXISTS ${prefix}config_version (
    id       INTEGER NOT NULL,
    version  BIGINT  NOT NULL,
    CONSTRAINT ${prefix}config_version_pk PRIMARY KEY (id)
);

INSERT INTO ${prefix}config_version (id, version) SELECT 1, 0 WHERE NOT EXISTS (SELECT 1 FROM ${prefix}config_version WHERE id = 1);
