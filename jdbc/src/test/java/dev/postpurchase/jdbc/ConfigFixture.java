package dev.postpurchase.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.postpurchase.core.ActionExecutors;
import dev.postpurchase.core.crypto.AesGcmSecretCodec;
import dev.postpurchase.core.spi.SecretCodec;
import dev.postpurchase.testing.TestCodecs;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;

/**
 * One pool and one migrated table prefix for a configuration test class, dropped again by {@link #close()}. Builds
 * definition sources and integration settings on it (or on another pool, as another node would), encrypting with
 * {@link #CODEC}.
 */
final class ConfigFixture implements AutoCloseable {
    static final String KEY_ID = "test-2026";
    static final byte[] KEY = AesGcmSecretCodec.generateKey();
    static final SecretCodec CODEC =
            AesGcmSecretCodec.builder().currentKey(KEY_ID, KEY).build();

    final JdbcDialect dialect;
    final TestDatabases.Settings settings;
    final HikariDataSource dataSource;
    final String prefix;

    private ConfigFixture(JdbcDialect dialect) {
        this.dialect = dialect;
        this.settings = TestDatabases.settings(dialect);
        this.dataSource = TestDatabases.pool(settings, "config-" + dialect, 12);
        this.prefix = TestDatabases.uniquePrefix();
        JdbcActionStateStore.builder()
                .dataSource(dataSource)
                .secretCodec(TestCodecs.aesGcm())
                .dialect(dialect)
                .tablePrefix(prefix)
                .build()
                .migrate();
    }

    static ConfigFixture open(JdbcDialect dialect) {
        return new ConfigFixture(dialect);
    }

    /** A definition source on this fixture's pool, as a node of the application builds it. */
    JdbcDefinitionSource.Builder definitions(ActionExecutors executors) {
        return definitions(dataSource, executors);
    }

    /** A definition source on another pool sharing this fixture's tables. */
    JdbcDefinitionSource.Builder definitions(DataSource pool, ActionExecutors executors) {
        return JdbcDefinitionSource.builder()
                .dataSource(pool)
                .dialect(dialect)
                .tablePrefix(prefix)
                .executors(executors)
                .secretCodec(CODEC)
                .refreshInterval(Duration.ofMillis(200));
    }

    JdbcIntegrationSettings.Builder integrations() {
        return JdbcIntegrationSettings.builder()
                .dataSource(dataSource)
                .dialect(dialect)
                .tablePrefix(prefix)
                .secretCodec(CODEC)
                .refreshInterval(Duration.ofMillis(200));
    }

    /** A run store on another pool sharing this fixture's tables, sealing snapshots with {@link #CODEC}. */
    JdbcActionStateStore store(DataSource pool) {
        return JdbcActionStateStore.builder()
                .dataSource(pool)
                .secretCodec(CODEC)
                .dialect(dialect)
                .tablePrefix(prefix)
                .build();
    }

    /** Another pool on the same database, as a separate node would have; the caller closes it. */
    HikariDataSource separatePool(String name, int size) {
        return TestDatabases.pool(settings, name, size);
    }

    /** Empties the configuration tables (and the runs). */
    void truncate() {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            for (String table : List.of(
                    "subscription_definition",
                    "subscription",
                    "definition",
                    "event_switch",
                    "integration",
                    "run",
                    "trigger")) {
                s.execute("DELETE FROM " + prefix + table);
            }
        } catch (SQLException e) {
            throw new AssertionError("could not empty the " + prefix + " tables", e);
        }
    }

    @Override
    public void close() {
        try {
            TestDatabases.dropTables(dataSource, prefix);
        } finally {
            dataSource.close();
        }
    }
}
