CREATE TABLE IF NOT EXISTS ${prefix}schema_version (version INTEGER NOT NULL PRIMARY KEY,
    description VARCHAR(200) NOT NULL, installed_at TIMESTAMPTZ NOT NULL);
INSERT INTO ${prefix}schema_version (version, description, installed_at)
    SELECT CAST(version AS INTEGER), description, installed_on FROM pp_flyway_history
    WHERE success AND type = 'SQL' AND version IS NOT NULL
    ON CONFLICT (version) DO NOTHING;
