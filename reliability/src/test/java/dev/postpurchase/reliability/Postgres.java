package dev.postpurchase.reliability;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.postpurchase.jdbc.JdbcActionStateStore;
import dev.postpurchase.jdbc.JdbcDialect;
import dev.postpurchase.jdbc.JdbcSchema;
import dev.postpurchase.testing.TestCodecs;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The PostgreSQL the suite runs on: {@code PP_TEST_PG_URL}, {@code PP_TEST_PG_USER}, {@code PP_TEST_PG_PASSWORD}
 * (default {@code jdbc:postgresql://127.0.0.1:5432/test}, {@code postgres}, empty), as in the JDBC module's tests.
 * An unreachable server fails with a message naming these variables; nothing is skipped. Each test class uses its
 * own table prefix and drops its tables afterwards.
 */
final class Postgres {
    static final String URL_VARIABLE = "PP_TEST_PG_URL";
    static final String USER_VARIABLE = "PP_TEST_PG_USER";
    static final String PASSWORD_VARIABLE = "PP_TEST_PG_PASSWORD";

    private Postgres() {}

    static String url() {
        return env(URL_VARIABLE, "jdbc:postgresql://127.0.0.1:5432/test");
    }

    static String user() {
        return env(USER_VARIABLE, "postgres");
    }

    static String password() {
        return env(PASSWORD_VARIABLE, "");
    }

    /** Host and port of the server, read from the JDBC URL (for the TCP proxy of the outage test). */
    static URI hostAndPort() {
        URI uri = URI.create(url().substring("jdbc:".length()));
        return URI.create("tcp://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort()));
    }

    /** The JDBC URL with its host and port replaced, for example by a proxy's. */
    static String urlVia(String host, int port) {
        URI uri = URI.create(url().substring("jdbc:".length()));
        String rest = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return "jdbc:postgresql://" + host + ":" + port + rest;
    }

    /** A pool named {@code name}, its sessions carrying {@code name} as application name. */
    static HikariDataSource pool(String name, int size) {
        return pool(url(), name, size, 5_000);
    }

    static HikariDataSource pool(String url, String name, int size, long connectionTimeoutMillis) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user());
        config.setPassword(password());
        config.setPoolName(name);
        config.addDataSourceProperty("ApplicationName", name);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(connectionTimeoutMillis);
        config.setInitializationFailTimeout(connectionTimeoutMillis);
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new AssertionError(
                    "cannot connect to the test database at " + url + " as " + user()
                            + ": start the local PostgreSQL or set " + URL_VARIABLE + ", " + USER_VARIABLE + " and "
                            + PASSWORD_VARIABLE + " to a reachable server (" + e.getMessage() + ")",
                    e);
        }
    }

    /** A table prefix no other test class uses. */
    static String uniquePrefix(String tag) {
        return "rel_" + tag + "_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 8) + "_";
    }

    static JdbcActionStateStore store(DataSource dataSource, String prefix) {
        return JdbcActionStateStore.builder()
                .dataSource(dataSource)
                .secretCodec(TestCodecs.aesGcm())
                .dialect(JdbcDialect.POSTGRESQL)
                .tablePrefix(prefix)
                .build();
    }

    /** Drops the store's tables (and the given extra ones) of {@code prefix}. */
    static void dropTables(DataSource dataSource, String prefix, String... extraTables) {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            for (String table : extraTables) {
                s.execute("DROP TABLE IF EXISTS " + prefix + table);
            }
            for (String statement : JdbcSchema.dropStatements(JdbcDialect.POSTGRESQL, prefix)) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new AssertionError("could not drop the " + prefix + " tables", e);
        }
    }

    static void execute(DataSource dataSource, String sql) {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new AssertionError("could not run " + sql, e);
        }
    }

    static long count(DataSource dataSource, String sql) {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new AssertionError("could not run " + sql, e);
        }
    }

    /** The first column of every row. */
    static List<String> strings(DataSource dataSource, String sql) {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new AssertionError("could not run " + sql, e);
        }
        return out;
    }

    /** Rows as first column to second column (a GROUP BY count, for example). */
    static Map<String, Long> counts(DataSource dataSource, String sql) {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw new AssertionError("could not run " + sql, e);
        }
        return out;
    }

    private static String env(String name, String fallback) {
        @Nullable String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
