package dev.postpurchase.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Connections to the real test databases. Settings come from environment variables, defaulting to the local
 * services every machine of the project runs; an unreachable server fails the test with a message naming the
 * variables to set, it never skips.
 */
final class TestDatabases {
    static final String PG_URL = "PP_TEST_PG_URL";
    static final String PG_USER = "PP_TEST_PG_USER";
    static final String PG_PASSWORD = "PP_TEST_PG_PASSWORD";
    static final String MARIADB_URL = "PP_TEST_MARIADB_URL";
    static final String MARIADB_USER = "PP_TEST_MARIADB_USER";
    static final String MARIADB_PASSWORD = "PP_TEST_MARIADB_PASSWORD";

    private TestDatabases() {}

    /** The URL, user and password of a dialect's test server. */
    record Settings(String url, String user, String password, String urlVariable) {}

    static Settings settings(JdbcDialect dialect) {
        return switch (dialect) {
            case POSTGRESQL -> new Settings(
                    env(PG_URL, "jdbc:postgresql://127.0.0.1:5432/test"),
                    env(PG_USER, "postgres"),
                    env(PG_PASSWORD, ""),
                    PG_URL);
            case MARIADB -> new Settings(
                    env(MARIADB_URL, "jdbc:mariadb://127.0.0.1:3306/test"),
                    env(MARIADB_USER, "root"),
                    env(MARIADB_PASSWORD, ""),
                    MARIADB_URL);
            case H2 -> new Settings(
                    "jdbc:h2:mem:pp-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "", "(in-memory H2)");
        };
    }

    /** A pool on the dialect's test server (H2: a fresh in-memory database per call). */
    static HikariDataSource pool(JdbcDialect dialect, String name, int size) {
        return pool(settings(dialect), name, size);
    }

    static HikariDataSource pool(Settings settings, String name, int size) {
        return pool(settings, name, size, null);
    }

    static HikariDataSource pool(Settings settings, String name, int size, @Nullable String applicationName) {
        HikariConfig config = new HikariConfig();
        if (applicationName != null) {
            config.addDataSourceProperty("ApplicationName", applicationName);
        }
        config.setJdbcUrl(settings.url());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setPoolName(name);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(5_000);
        config.setInitializationFailTimeout(5_000);
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            String variables = settings.urlVariable().startsWith("PP_TEST_PG")
                    ? PG_URL + ", " + PG_USER + " and " + PG_PASSWORD
                    : MARIADB_URL + ", " + MARIADB_USER + " and " + MARIADB_PASSWORD;
            throw new AssertionError(
                    "cannot connect to the test database at " + settings.url() + " as " + settings.user()
                            + ": start the local service or set " + variables + " to a reachable server ("
                            + e.getMessage() + ")",
                    e);
        }
    }

    /** A table prefix no other test class uses. */
    static String uniquePrefix() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10) + "_";
    }

    /** Drops every table the store (and the tests) created with {@code prefix}. */
    static void dropTables(DataSource dataSource, String prefix, String... extraTables) {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            for (String table : extraTables) {
                s.execute("DROP TABLE IF EXISTS " + prefix + table);
            }
            JdbcDialect dialect = JdbcDialect.detect(c.getMetaData());
            for (String statement : JdbcSchema.dropStatements(dialect, prefix)) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new AssertionError("could not drop the " + prefix + " tables", e);
        }
    }

    /** Empties the store's tables (runs first: they reference their triggers). */
    static void truncate(DataSource dataSource, String prefix) {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            s.execute("DELETE FROM " + prefix + "run");
            s.execute("DELETE FROM " + prefix + "trigger");
            s.execute("DELETE FROM " + prefix + "node");
        } catch (SQLException e) {
            throw new AssertionError("could not empty the " + prefix + " tables", e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
