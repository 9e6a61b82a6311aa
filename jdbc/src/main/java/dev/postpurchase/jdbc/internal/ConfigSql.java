package dev.postpurchase.jdbc.internal;

import dev.postpurchase.jdbc.JdbcDialect;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The SQL of the configuration tables that differs between databases; everything else is plain SQL shared by all
 * three. One implementation per dialect, chosen once by {@link #of}.
 */
public interface ConfigSql {

    /** The strategy of {@code dialect} for tables prefixed {@code prefix}. */
    static ConfigSql of(JdbcDialect dialect, String prefix) {
        return switch (dialect) {
            case POSTGRESQL -> new PostgresConfigSql(prefix);
            case MARIADB -> new MariaDbConfigSql(prefix);
            case H2 -> new H2ConfigSql(prefix);
        };
    }

    /** Inserts or replaces an integration: parameters integration, enabled, api_key_enc, updated_at. */
    String upsertIntegration();

    /** Inserts or replaces an event switch: parameters event_type, enabled, updated_at. */
    String upsertEventSwitch();

    /**
     * Tells other nodes, once the current transaction commits, that the configuration changed; nothing where the
     * database has no notifications.
     */
    void notifyChanged(Connection connection) throws SQLException;

    /** The channel other nodes listen on, or null where the database has no notifications. */
    @org.jspecify.annotations.Nullable
    String channel();
}
