package dev.postpurchase.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** PostgreSQL: {@code ON CONFLICT} upserts and {@code NOTIFY <prefix>config}, delivered when the writer commits. */
final class PostgresConfigSql implements ConfigSql {
    private final String prefix;
    private final String channel;

    PostgresConfigSql(String prefix) {
        this.prefix = prefix;
        this.channel = prefix + "config";
    }

    @Override
    public String upsertIntegration() {
        return "INSERT INTO " + prefix
                + "integration (integration, enabled, api_key_enc, updated_at) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (integration) DO UPDATE SET enabled = EXCLUDED.enabled,"
                + " api_key_enc = EXCLUDED.api_key_enc, updated_at = EXCLUDED.updated_at";
    }

    @Override
    public String upsertEventSwitch() {
        return "INSERT INTO " + prefix + "event_switch (event_type, enabled, updated_at) VALUES (?, ?, ?)"
                + " ON CONFLICT (event_type) DO UPDATE SET enabled = EXCLUDED.enabled, updated_at = EXCLUDED.updated_at";
    }

    @Override
    public void notifyChanged(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_notify(?, '')")) {
            ps.setString(1, channel);
            ps.executeQuery().close();
        }
    }

    @Override
    public String channel() {
        return channel;
    }
}
