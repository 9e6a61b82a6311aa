package dev.postpurchase.jdbc.internal;

import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.Violation;
import dev.postpurchase.core.spi.SecretCodec;
import dev.postpurchase.jdbc.JdbcDialect;
import dev.postpurchase.jdbc.JdbcSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * What the JDBC configuration stores share: connections and transactions, the dialect's SQL, the secret codec, the
 * node's cache and what keeps it current. Every write runs through {@link #write}: it first counts the shared
 * version up (which locks its one row, so configuration writes are serialised across nodes and never deadlock each
 * other), then does its work, then notifies other nodes (PostgreSQL), all in one transaction; afterwards this node's
 * cache is emptied. Reads of the hot path go through {@link #cached}.
 */
public final class ConfigStorage implements AutoCloseable {
    /** The settings both configuration stores are built from. */
    public record Settings(
            @Nullable DataSource dataSource,
            @Nullable JdbcDialect dialect,
            String tablePrefix,
            @Nullable SecretCodec secretCodec,
            @Nullable Duration refreshInterval,
            boolean listenForChanges,
            int cacheEntries,
            @Nullable Clock clock) {

        /** Adds a violation for every bad setting. */
        public void check(List<Violation> v) {
            if (dataSource == null) {
                v.add(new Violation("dataSource", "is required"));
            }
            if (secretCodec == null) {
                v.add(new Violation(
                        "secretCodec",
                        "is required: AesGcmSecretCodec with the application's key, or"
                                + " SecretCodec.plainTextForDevelopmentOnly() for a development database"));
            }
            try {
                JdbcSchema.validatePrefix(tablePrefix);
            } catch (ValidationException e) {
                v.addAll(e.violations());
            }
            if (refreshInterval == null || refreshInterval.isNegative() || refreshInterval.isZero()) {
                v.add(new Violation("refreshInterval", "must be a positive duration"));
            }
            if (cacheEntries < 1) {
                v.add(new Violation("cacheEntries", "must be at least 1"));
            }
            if (clock == null) {
                v.add(new Violation("clock", "is required"));
            }
        }
    }

    private final Jdbc jdbc;
    private final JdbcDialect dialect;
    private final String prefix;
    private final Instants instants;
    private final ConfigSql sql;
    private final SecretCodec codec;
    private final Clock clock;
    private final Migrator migrator;
    private final ConfigCache cache;
    private final String selectVersion;
    private final String bumpVersion;
    private final @Nullable PgNotificationListener listener;

    /**
     * Opens the storage of checked settings, detecting the dialect when none is set; on PostgreSQL starts listening
     * for other nodes' changes.
     *
     * @throws ValidationException on {@code dialect} for an unsupported database
     * @throws dev.postpurchase.core.StoreException when the dialect must be detected and the database is unreachable
     */
    public static ConfigStorage open(Settings s) {
        JdbcDialect dialect = s.dialect();
        if (dialect == null) {
            try (Connection c = Objects.requireNonNull(s.dataSource()).getConnection()) {
                dialect = JdbcDialect.detect(c.getMetaData());
            } catch (IllegalArgumentException e) {
                throw new ValidationException("dialect", String.valueOf(e.getMessage()));
            } catch (SQLException e) {
                throw Jdbc.failure("detecting the database dialect", e);
            }
        }
        return new ConfigStorage(s, dialect);
    }

    private ConfigStorage(Settings s, JdbcDialect dialect) {
        DataSource dataSource = Objects.requireNonNull(s.dataSource());
        this.dialect = dialect;
        this.prefix = s.tablePrefix();
        this.jdbc = new Jdbc(dataSource, dialect);
        this.instants = new Instants(dialect);
        this.sql = ConfigSql.of(dialect, prefix);
        this.codec = Objects.requireNonNull(s.secretCodec());
        this.clock = Objects.requireNonNull(s.clock());
        this.migrator = new Migrator(dataSource, dialect, prefix, instants);
        this.selectVersion = "SELECT version FROM " + prefix + "config_version WHERE id = 1";
        this.bumpVersion = "UPDATE " + prefix + "config_version SET version = version + 1 WHERE id = 1";
        this.cache = new ConfigCache(this::readVersion, Objects.requireNonNull(s.refreshInterval()), s.cacheEntries());
        String channel = sql.channel();
        this.listener = s.listenForChanges() && channel != null
                ? new PgNotificationListener(
                        dataSource,
                        channel,
                        java.util.UUID.randomUUID().toString(), // every change invalidates, this node's own too
                        cache::invalidate,
                        Duration.ofMillis(500),
                        Duration.ofSeconds(30))
                : null;
    }

    public JdbcDialect dialect() {
        return dialect;
    }

    public String prefix() {
        return prefix;
    }

    public Instants instants() {
        return instants;
    }

    public ConfigSql sql() {
        return sql;
    }

    public SecretCodec codec() {
        return codec;
    }

    public Clock clock() {
        return clock;
    }

    public ConfigCache cache() {
        return cache;
    }

    /** Applies the missing schema versions (all of the prefix's tables, runs included). */
    public int migrate() {
        return migrator.migrate();
    }

    /**
     * Runs a configuration write in one transaction: version counted up first, then {@code work}, then the
     * notification; this node's cache is emptied afterwards, also when the write failed.
     */
    public <T> T write(String operation, Jdbc.Work<T> work) {
        try {
            return jdbc.inTransaction(operation, c -> {
                try (PreparedStatement ps = c.prepareStatement(bumpVersion)) {
                    if (ps.executeUpdate() != 1) {
                        throw new SQLException("the " + prefix + "config_version row is missing; run migrate()");
                    }
                }
                T result = work.run(c);
                sql.notifyChanged(c);
                return result;
            });
        } finally {
            cache.invalidate();
        }
    }

    /** Runs a read on a connection of its own. */
    public <T> T read(String operation, Jdbc.Work<T> work) {
        return jdbc.autoCommit(operation, work);
    }

    /** Runs an update outside the version counting (re-encryption, which changes no value). */
    public <T> T rewrite(String operation, Jdbc.Work<T> work) {
        return jdbc.inTransaction(operation, work);
    }

    /**
     * A hot-path lookup through the cache. Until the listener has started listening nothing is cached: a change
     * committed before it listens would otherwise go unnoticed until the next version check. (A listener that gave
     * up, because the DataSource hands out no pgjdbc connections, leaves the version check alone.)
     */
    public <T> T cached(Object key, Supplier<T> loader) {
        if (listener != null && listener.connects() == 0 && listener.isAlive()) {
            return loader.get();
        }
        return cache.get(key, loader);
    }

    private long readVersion() {
        return read("reading the configuration version", c -> {
            try (PreparedStatement ps = c.prepareStatement(selectVersion);
                    ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("the " + prefix + "config_version row is missing; run migrate()");
                }
                return rs.getLong(1);
            }
        });
    }

    /** Stops listening for other nodes' changes; the DataSource stays open. */
    @Override
    public void close() {
        if (listener != null) {
            listener.close();
        }
    }

    /** For tests: whether this storage listens for notifications. */
    public boolean listening() {
        return listener != null;
    }
}
