package dev.postpurchase.benchmarks.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The local PostgreSQL the benchmarks use: a dedicated database (default {@code bench}, created when missing), pools,
 * statements, and the database's activity counters. Connection settings come from the system properties
 * {@code bench.pg.host} (default {@code 127.0.0.1:5432}), {@code bench.pg.user} ({@code postgres}) and
 * {@code bench.pg.database} ({@code bench}).
 */
public final class Pg {
    private static final String HOST = System.getProperty("bench.pg.host", "127.0.0.1:5432");
    private static final String USER = System.getProperty("bench.pg.user", "postgres");
    private static final String DATABASE = System.getProperty("bench.pg.database", "bench");

    private Pg() {}

    /**
     * The activity counters of the benchmark database (pg_stat_database): committed transactions and rows read,
     * inserted, updated and deleted.
     */
    public record Activity(long commits, long rowsFetched, long rowsInserted, long rowsUpdated, long rowsDeleted) {
        public Activity minus(Activity o) {
            return new Activity(
                    commits - o.commits,
                    rowsFetched - o.rowsFetched,
                    rowsInserted - o.rowsInserted,
                    rowsUpdated - o.rowsUpdated,
                    rowsDeleted - o.rowsDeleted);
        }
    }

    /** Creates the benchmark database when it does not exist yet. */
    public static void ensureDatabase() {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + HOST + "/postgres", USER, "");
                PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, DATABASE);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + DATABASE);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach or prepare PostgreSQL at " + HOST, e);
        }
    }

    /** A pool of exactly {@code size} connections to the benchmark database, named {@code name} in pg_stat_activity. */
    public static HikariDataSource pool(String name, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://" + HOST + "/" + DATABASE);
        config.setUsername(USER);
        config.setPassword("");
        config.setPoolName(name);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.addDataSourceProperty("ApplicationName", name);
        return new HikariDataSource(config);
    }

    /** Runs each statement in autocommit mode. */
    public static void execute(DataSource ds, String... sql) {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("failed: " + String.join("; ", sql), e);
        }
    }

    /** The first column of the first row of {@code sql}, as a long (0 when there is no row). */
    public static long queryLong(DataSource ds, String sql) {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            throw new IllegalStateException("failed: " + sql, e);
        }
    }

    /** The first column of the first row of {@code sql}, as text. */
    public static String queryText(DataSource ds, String sql) {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? String.valueOf(rs.getString(1)) : "";
        } catch (SQLException e) {
            throw new IllegalStateException("failed: " + sql, e);
        }
    }

    /** Whether a table of that name exists in the public schema. */
    public static boolean tableExists(DataSource ds, String table) {
        return queryLong(
                        ds,
                        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
                                + " AND table_name = '" + table + "'")
                > 0;
    }

    /**
     * The database's counters. Backends publish their counters when they go idle or exit, so call this after the
     * pools whose work should count are closed (see {@link #awaitGone}).
     */
    public static Activity activity(DataSource ds) {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            s.execute("SELECT pg_stat_clear_snapshot()");
            try (ResultSet rs = s.executeQuery("SELECT xact_commit, tup_fetched, tup_inserted, tup_updated,"
                    + " tup_deleted FROM pg_stat_database WHERE datname = current_database()")) {
                rs.next();
                return new Activity(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read pg_stat_database", e);
        }
    }

    /** Waits (up to 10 s) until no connection named {@code applicationName} is left, so its counters are published. */
    public static void awaitGone(DataSource ds, String applicationName) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (queryLong(
                            ds,
                            "SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + applicationName + "'")
                    == 0) {
                return;
            }
            sleep(20);
        }
    }

    /** The server's version string. */
    public static String version(DataSource ds) {
        return queryText(ds, "SHOW server_version");
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
