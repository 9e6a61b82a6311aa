package dev.postpurchase.jdbc.internal;

import dev.postpurchase.core.StoreException;
import dev.postpurchase.jdbc.JdbcDialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs store operations on a connection: a pooled one of the store's own, or the caller's connection bound to the
 * current thread by {@link #joining}. Own transactions are committed or rolled back here and retried on deadlocks
 * and serialisation failures; a joined connection is never committed, rolled back, reconfigured or closed.
 */
public final class Jdbc {
    private static final Logger LOG = LoggerFactory.getLogger(Jdbc.class);
    private static final int MAX_ATTEMPTS = 4;

    /** Work on a connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Work on a connection without a result. */
    @FunctionalInterface
    public interface Step {
        void run(Connection connection) throws SQLException;
    }

    /** {@code step} as work whose result is nothing. */
    @SuppressWarnings("NullAway") // Void's only value is null
    public static Work<Void> unit(Step step) {
        return connection -> {
            step.run(connection);
            return null;
        };
    }

    private final DataSource dataSource;
    private final JdbcDialect dialect;
    private final ThreadLocal<@Nullable Connection> joined = new ThreadLocal<>();
    private final ThreadLocal<@Nullable Connection> callers = new ThreadLocal<>();

    public Jdbc(DataSource dataSource, JdbcDialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Whether this thread is inside {@link #joining}. */
    public boolean isJoined() {
        return joined.get() != null;
    }

    /**
     * Runs {@code work} with {@code connection} bound to this thread: every operation of the store on this thread
     * uses it, inside the caller's transaction.
     */
    public <T> T joining(Connection connection, Supplier<T> work) {
        requireTransaction(connection);
        Connection previous = joined.get();
        if (previous != null && previous != connection) {
            throw new IllegalStateException("this thread is already joined to another connection");
        }
        joined.set(connection);
        try {
            return work.get();
        } finally {
            if (previous == null) {
                joined.remove();
            }
        }
    }

    /** Runs {@code work} on the caller's connection inside its transaction. */
    public <T> T onCallerConnection(Connection connection, String operation, Work<T> work) {
        requireTransaction(connection);
        Connection previous = callers.get();
        callers.set(connection);
        try {
            return work.run(connection);
        } catch (SQLException e) {
            throw failure(operation, e);
        } finally {
            if (previous == null) {
                callers.remove();
            } else {
                callers.set(previous);
            }
        }
    }

    /** Whether {@code connection} is a caller's, used by {@link #onCallerConnection} on this thread now. */
    public boolean isCallersConnection(Connection connection) {
        return callers.get() == connection;
    }

    /**
     * Runs {@code work} in one transaction of its own (or in the joined one), committing at the end. On MariaDB the
     * transaction runs at READ COMMITTED so locking reads take no gap locks.
     */
    public <T> T inTransaction(String operation, Work<T> work) {
        Connection bound = joined.get();
        if (bound != null) {
            return onCallerConnection(bound, operation, work);
        }
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = dataSource.getConnection()) {
                boolean autoCommit = connection.getAutoCommit();
                try {
                    if (autoCommit) {
                        connection.setAutoCommit(false);
                    }
                    if (dialect == JdbcDialect.MARIADB) {
                        try (Statement s = connection.createStatement()) {
                            s.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
                        }
                    }
                    T result = work.run(connection);
                    connection.commit();
                    return result;
                } catch (SQLException | RuntimeException | Error e) {
                    rollbackQuietly(connection, e);
                    throw e;
                } finally {
                    if (autoCommit) {
                        try {
                            connection.setAutoCommit(true);
                        } catch (SQLException e) {
                            LOG.debug("could not restore auto-commit", e);
                        }
                    }
                }
            } catch (SQLException e) {
                if (attempt < MAX_ATTEMPTS && SqlErrors.isTransient(e)) {
                    LOG.debug("{}: transient failure ({}), attempt {}", operation, SqlErrors.describe(e), attempt);
                    continue;
                }
                throw failure(operation, e);
            }
        }
    }

    /**
     * Runs one statement's worth of {@code work} in auto-commit mode (or in the joined transaction). A connection the
     * pool hands out without auto-commit is committed after the work.
     */
    public <T> T autoCommit(String operation, Work<T> work) {
        Connection bound = joined.get();
        if (bound != null) {
            return onCallerConnection(bound, operation, work);
        }
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = dataSource.getConnection()) {
                if (connection.getAutoCommit()) {
                    return work.run(connection);
                }
                try {
                    T result = work.run(connection);
                    connection.commit();
                    return result;
                } catch (SQLException | RuntimeException | Error e) {
                    rollbackQuietly(connection, e);
                    throw e;
                }
            } catch (SQLException e) {
                if (attempt < MAX_ATTEMPTS && SqlErrors.isTransient(e)) {
                    continue;
                }
                throw failure(operation, e);
            }
        }
    }

    /** The exception every SQL failure becomes: the operation and SQLState, never values or credentials. */
    public static StoreException failure(String operation, SQLException e) {
        return new StoreException(operation + " failed (" + SqlErrors.describe(e) + ")", e);
    }

    private static void requireTransaction(Connection connection) {
        try {
            if (connection.getAutoCommit()) {
                throw new IllegalStateException(
                        "the caller's connection is in auto-commit mode; call setAutoCommit(false) and commit yourself"
                                + " so the runs are written in your transaction");
            }
        } catch (SQLException e) {
            throw failure("checking the caller's connection", e);
        }
    }

    private static void rollbackQuietly(Connection connection, Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
