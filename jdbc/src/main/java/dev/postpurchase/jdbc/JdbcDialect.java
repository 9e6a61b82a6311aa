package dev.postpurchase.jdbc;

import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;

/**
 * The databases {@link JdbcActionStateStore} speaks. Each has its own schema files ({@link JdbcSchema}) and its own
 * way to claim runs and to serialise {@link JdbcActionStateStore#migrate()}:
 *
 * <ul>
 *   <li>{@link #POSTGRESQL} (12 or later): claims with {@code FOR UPDATE SKIP LOCKED}, serialises migrations with
 *       {@code pg_advisory_xact_lock}, wakes other nodes with {@code LISTEN/NOTIFY}. The choice for many nodes.
 *   <li>{@link #MARIADB} (MariaDB 10.6 or later, MySQL 8.0 or later): claims with {@code FOR UPDATE SKIP LOCKED},
 *       serialises migrations with {@code GET_LOCK}; other nodes find new work by polling.
 *   <li>{@link #H2} (2.x): claims with compare-and-set updates, serialises migrations with a lock row; for embedded,
 *       single-process use.
 * </ul>
 */
public enum JdbcDialect {
    POSTGRESQL("postgresql"),
    MARIADB("mariadb"),
    H2("h2");

    private final String folder;

    JdbcDialect(String folder) {
        this.folder = folder;
    }

    /** The folder of this dialect's schema files in the jar, under {@code dev/postpurchase/jdbc/}. */
    public String folder() {
        return folder;
    }

    /**
     * The dialect of a database product name as reported by {@link DatabaseMetaData#getDatabaseProductName()}:
     * {@code PostgreSQL}, {@code MariaDB}, {@code MySQL} or {@code H2}; empty for anything else.
     */
    public static Optional<JdbcDialect> fromProductName(String productName) {
        String name = productName.toLowerCase(Locale.ROOT);
        if (name.contains("postgres")) {
            return Optional.of(POSTGRESQL);
        }
        if (name.contains("mariadb") || name.contains("mysql")) {
            return Optional.of(MARIADB);
        }
        if (name.equals("h2")) {
            return Optional.of(H2);
        }
        return Optional.empty();
    }

    /**
     * The dialect of a connected database.
     *
     * @throws IllegalArgumentException when the database is none of the supported ones
     * @throws SQLException when the metadata cannot be read
     */
    public static JdbcDialect detect(DatabaseMetaData metaData) throws SQLException {
        String product = metaData.getDatabaseProductName();
        return fromProductName(product)
                .orElseThrow(() -> new IllegalArgumentException("unsupported database '" + product
                        + "': the JDBC store supports PostgreSQL, MariaDB/MySQL and H2"));
    }
}
