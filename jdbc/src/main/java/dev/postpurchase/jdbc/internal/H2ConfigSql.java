package dev.postpurchase.jdbc.internal;

import java.sql.Connection;

/** H2: {@code MERGE ... KEY} upserts; no notifications, other connections check the version. */
final class H2ConfigSql implements ConfigSql {
    private final String prefix;

    H2ConfigSql(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public String upsertIntegration() {
        return "MERGE INTO " + prefix + "integration (integration, enabled, api_key_enc, updated_at) KEY (integration)"
                + " VALUES (?, ?, ?, ?)";
    }

    @Override
    public String upsertEventSwitch() {
        return "MERGE INTO " + prefix
                + "event_switch (event_type, enabled, updated_at) KEY (event_type) VALUES (?, ?, ?)";
    }

    @Override
    public void notifyChanged(Connection connection) {}

    @Override
    public @org.jspecify.annotations.Nullable String channel() {
        return null;
    }
}
