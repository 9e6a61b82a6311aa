-- Version 5: merchant configuration (JdbcDefinitionSource, JdbcIntegrationSettings). A definition's whole JSON and
-- an integration's API key are stored as SecretCodec values (encrypted; plain only with the development codec); the
-- plain columns beside them exist for lookups. Ids sort byte-wise (COLLATE "C") like keyset paging expects.

CREATE TABLE IF NOT EXISTS ${prefix}definition (
    id              VARCHAR(255) COLLATE "C" NOT NULL,
    action_type     VARCHAR(100) NOT NULL,
    name            VARCHAR(200) NOT NULL,
    action_level    VARCHAR(16)  NOT NULL,
    target_id       VARCHAR(255) COLLATE "C" NOT NULL,
    enabled         BOOLEAN      NOT NULL,
    definition_enc  TEXT         NOT NULL,
    version         BIGINT       NOT NULL,
    created_at      TIMESTAMPTZ  NOT NULL,
    updated_at      TIMESTAMPTZ  NOT NULL,
    CONSTRAINT ${prefix}definition_pk PRIMARY KEY (id),
    CONSTRAINT ${prefix}definition_level_ck CHECK (action_level IN ('PRODUCT', 'OFFER', 'CHECKOUT'))
);

-- every submit looks definitions up by level and target; the admin screen pages them by id
CREATE INDEX IF NOT EXISTS ${prefix}definition_target_idx ON ${prefix}definition (action_level, target_id, id);

CREATE TABLE IF NOT EXISTS ${prefix}subscription (
    id          VARCHAR(255) COLLATE "C" NOT NULL,
    event_type  VARCHAR(64)  NOT NULL,
    sources     VARCHAR(100) NOT NULL,
    enabled     BOOLEAN      NOT NULL,
    version     BIGINT       NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL,
    updated_at  TIMESTAMPTZ  NOT NULL,
    CONSTRAINT ${prefix}subscription_pk PRIMARY KEY (id)
);

CREATE INDEX IF NOT EXISTS ${prefix}subscription_event_idx ON ${prefix}subscription (event_type, id);

-- the definitions of a subscription, in order; a definition named here cannot be deleted
CREATE TABLE IF NOT EXISTS ${prefix}subscription_definition (
    subscription_id  VARCHAR(255) COLLATE "C" NOT NULL,
    position         INTEGER      NOT NULL,
    definition_id    VARCHAR(255) COLLATE "C" NOT NULL,
    CONSTRAINT ${prefix}subscription_definition_pk PRIMARY KEY (subscription_id, position),
    CONSTRAINT ${prefix}subscription_definition_sub_fk FOREIGN KEY (subscription_id)
        REFERENCES ${prefix}subscription (id) ON DELETE CASCADE,
    CONSTRAINT ${prefix}subscription_definition_def_fk FOREIGN KEY (definition_id)
        REFERENCES ${prefix}definition (id)
);

CREATE INDEX IF NOT EXISTS ${prefix}subscription_definition_idx ON ${prefix}subscription_definition (definition_id);

-- per-event switches; an event type without a row is on
CREATE TABLE IF NOT EXISTS ${prefix}event_switch (
    event_type  VARCHAR(64) NOT NULL,
    enabled     BOOLEAN     NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    CONSTRAINT ${prefix}event_switch_pk PRIMARY KEY (event_type)
);

CREATE TABLE IF NOT EXISTS ${prefix}integration (
    integration  VARCHAR(100) COLLATE "C" NOT NULL,
    enabled      BOOLEAN      NOT NULL,
    api_key_enc  TEXT,
    updated_at   TIMESTAMPTZ  NOT NULL,
    CONSTRAINT ${prefix}integration_pk PRIMARY KEY (integration)
);

-- one row, counted up by every configuration write: nodes compare it to know their cache is stale, and every
-- write locks it first, so configuration writes are serialised and never deadlock each other
CREATE TABLE IF NOT EXISTS ${prefix}config_version (
    id       INTEGER NOT NULL,
    version  BIGINT  NOT NULL,
    CONSTRAINT ${prefix}config_version_pk PRIMARY KEY (id)
);

INSERT INTO ${prefix}config_version (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
