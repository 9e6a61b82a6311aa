package dev.postpurchase.jdbc.internal;

import dev.postpurchase.core.StoreException;
import dev.postpurchase.jdbc.JdbcDialect;
import dev.postpurchase.jdbc.JdbcSchema;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the missing schema versions under a database-wide lock, so several nodes may migrate at once: the first
 * applies, the others wait and then find nothing to do. PostgreSQL migrates in one transaction under {@code
 * pg_advisory_xact_lock}; MariaDB holds {@code GET_LOCK} on the migrating session (its DDL commits implicitly, and
 * its scripts are written to be re-runnable); H2 holds a row lock in {@code <prefix>schema_lock} on a second
 * connection while the first one runs the DDL.
 */
public final class Migrator {
    private static final Logger LOG = LoggerFactory.getLogger(Migrator.class);
    private static final int LOCK_TIMEOUT_SECONDS = 120;

    private final DataSource dataSource;
    private final JdbcDialect dialect;
    private final String prefix;
    private final Instants instants;

    public Migrator(DataSource dataSource, JdbcDialect dialect, String prefix, Instants instants) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.prefix = prefix;
        this.instants = instants;
    }

    /** Applies what is missing and returns the installed version. */
    public int migrate() {
        try {
            return switch (dialect) {
                case POSTGRESQL -> migratePostgres();
                case MARIADB -> migrateMariaDb();
                case H2 -> migrateH2();
            };
        } catch (SQLException e) {
            throw Jdbc.failure("migrating the " + prefix + " tables", e);
        }
    }

    /** The installed version without changing anything; 0 when the schema is not installed. */
    public int installedVersion() {
        try (Connection c = dataSource.getConnection()) {
            if (!versionTableExists(c)) {
                return 0;
            }
            return readVersion(c);
        } catch (SQLException e) {
            throw Jdbc.failure("reading the schema version of the " + prefix + " tables", e);
        }
    }

    private int migratePostgres() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                    ps.setLong(1, lockKey(c.getCatalog() + "." + c.getSchema()));
                    ps.executeQuery().close();
                }
                int version = applyMissing(c);
                c.commit();
                return version;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }

    private int migrateMariaDb() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            requireSkipLockedSupport(c.getMetaData());
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(true);
            String lockName = "postpurchase_" + Long.toHexString(lockKey(c.getCatalog()));
            try (PreparedStatement ps = c.prepareStatement("SELECT GET_LOCK(?, ?)")) {
                ps.setString(1, lockName);
                ps.setInt(2, LOCK_TIMEOUT_SECONDS);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || rs.getInt(1) != 1) {
                        throw new StoreException(
                                "another node held the migration lock for more than " + LOCK_TIMEOUT_SECONDS + " s",
                                null);
                    }
                }
            }
            try {
                return applyMissing(c);
            } finally {
                try (PreparedStatement ps = c.prepareStatement("SELECT RELEASE_LOCK(?)")) {
                    ps.setString(1, lockName);
                    ps.executeQuery().close();
                }
                c.setAutoCommit(autoCommit);
            }
        }
    }

    private int migrateH2() throws SQLException {
        try (Connection lock = dataSource.getConnection();
                Connection work = dataSource.getConnection()) {
            boolean lockAutoCommit = lock.getAutoCommit();
            lock.setAutoCommit(true);
            try (Statement s = lock.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS " + prefix + "schema_lock (id INTEGER NOT NULL PRIMARY KEY)");
            }
            try (Statement s = lock.createStatement()) {
                s.execute("INSERT INTO " + prefix + "schema_lock (id) VALUES (1)");
            } catch (SQLException e) {
                if (!SqlErrors.isUniqueViolation(e)) {
                    throw e;
                }
            }
            lock.setAutoCommit(false);
            try {
                try (Statement s = lock.createStatement()) {
                    s.executeQuery("SELECT id FROM " + prefix + "schema_lock WHERE id = 1 FOR UPDATE")
                            .close();
                }
                boolean workAutoCommit = work.getAutoCommit();
                work.setAutoCommit(true);
                try {
                    return applyMissing(work);
                } finally {
                    work.setAutoCommit(workAutoCommit);
                }
            } finally {
                lock.rollback();
                lock.setAutoCommit(lockAutoCommit);
            }
        }
    }

    private int applyMissing(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(versionTableDdl());
        }
        int installed = readVersion(c);
        List<JdbcSchema.Migration> migrations = JdbcSchema.migrations(dialect, prefix);
        for (JdbcSchema.Migration migration : migrations) {
            if (migration.version() <= installed) {
                continue;
            }
            try (Statement s = c.createStatement()) {
                for (String statement : migration.statements()) {
                    s.execute(statement);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO " + prefix + "schema_version (version, description, installed_at) VALUES (?, ?, ?)")) {
                ps.setInt(1, migration.version());
                ps.setString(2, migration.description());
                instants.set(ps, 3, Instant.now());
                ps.executeUpdate();
            }
            LOG.info(
                    "applied schema version {} ({}) to the {} tables",
                    migration.version(),
                    migration.description(),
                    prefix);
            installed = migration.version();
        }
        if (installed > JdbcSchema.latestVersion()) {
            LOG.warn(
                    "the {} tables are at schema version {}, newer than this release knows ({}); a newer release"
                            + " migrated them",
                    prefix,
                    installed,
                    JdbcSchema.latestVersion());
        }
        return installed;
    }

    private String versionTableDdl() {
        String time =
                switch (dialect) {
                    case POSTGRESQL -> "TIMESTAMPTZ";
                    case MARIADB -> "DATETIME(6)";
                    case H2 -> "TIMESTAMP(9) WITH TIME ZONE";
                };
        String suffix = dialect == JdbcDialect.MARIADB ? " ENGINE = InnoDB DEFAULT CHARSET = utf8mb4" : "";
        return "CREATE TABLE IF NOT EXISTS " + prefix + "schema_version (version INTEGER NOT NULL PRIMARY KEY,"
                + " description VARCHAR(200) NOT NULL, installed_at " + time + " NOT NULL)" + suffix;
    }

    private int readVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT MAX(version) FROM " + prefix + "schema_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private boolean versionTableExists(Connection c) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        String table = prefix + "schema_version";
        for (String candidate : List.of(table, table.toUpperCase(Locale.ROOT))) {
            try (ResultSet rs = meta.getTables(c.getCatalog(), null, candidate, new String[] {"TABLE"})) {
                if (rs.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    private long lockKey(String scope) {
        String name = "postpurchase.migrate:" + scope + ":" + prefix;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).getMostSignificantBits();
    }

    private static void requireSkipLockedSupport(DatabaseMetaData meta) throws SQLException {
        String product = meta.getDatabaseProductName().toLowerCase(Locale.ROOT);
        String version = meta.getDatabaseProductVersion().toLowerCase(Locale.ROOT);
        int major = meta.getDatabaseMajorVersion();
        int minor = meta.getDatabaseMinorVersion();
        boolean mariaDb = product.contains("mariadb") || version.contains("mariadb");
        boolean supported = mariaDb ? (major > 10 || (major == 10 && minor >= 6)) : major >= 8;
        if (!supported) {
            throw new StoreException(
                    (mariaDb ? "MariaDB " : "MySQL ") + major + "." + minor
                            + " is too old: the JDBC store needs MariaDB 10.6+ or MySQL 8.0+ (FOR UPDATE SKIP LOCKED)",
                    null);
        }
    }
}
