package dev.postpurchase.jdbc.internal;

import java.sql.Connection;

/** MariaDB/MySQL: {@code ON DUPLICATE KEY UPDATE} upserts; no notifications, other nodes check the version. */
final class MariaDbConfigSql implements ConfigSql {
    private final String prefix;

    MariaDbConfigSql(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public String upsertIntegration() {
        return "INSERT INTO " + prefix
                + "integration (integration, enabled, api_key_enc, updated_at) VALUES (?, ?, ?, ?)"
                + " ON DUPLICATE KEY UPDATE enabled = VALUES(enabled), api_key_enc = VALUES(api_key_enc),"
                + " updated_at = VALUES(updated_at)";
    }

    @Override
    public String upsertEventSwitch() {
        return "INSERT INTO " + prefix + "event_switch (event_type, enabled, updated_at) VALUES (?, ?, ?)"
                + " ON DUPLICATE KEY UPDATE enabled = VALUES(enabled), updated_at = VALUES(updated_at)";
    }

    @Override
    public void notifyChanged(Connection connection) {}

    @Override
    public @org.jspecify.annotations.Nullable String channel() {
        return null;
    }
}
