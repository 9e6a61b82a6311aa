package dev.postpurchase.jdbc.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on a PostgreSQL channel on a dedicated connection, in a daemon thread, and calls {@code wakeUp} whenever a
 * notification from another store instance arrives (notifications carrying {@code ownToken} are this instance's own). When the connection breaks it reconnects with a growing delay (up to {@code maxBackoff}) and
 * calls {@code wakeUp} once after reconnecting, since notifications sent meanwhile were lost. Uses pgjdbc's {@code
 * PGConnection.getNotifications(int)} through {@code unwrap} and reflection, so the driver is no compile-time
 * dependency.
 */
public final class PgNotificationListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PgNotificationListener.class);
    private static final String PG_CONNECTION = "org.postgresql.PGConnection";
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final DataSource dataSource;
    private final String channel;
    private final String ownToken;
    private final Runnable wakeUp;
    private final int pollMillis;
    private final Duration maxBackoff;
    private final Thread thread;
    private final AtomicLong connects = new AtomicLong();
    private volatile boolean closed;
    private volatile @Nullable Connection current;

    public PgNotificationListener(
            DataSource dataSource,
            String channel,
            String ownToken,
            Runnable wakeUp,
            Duration pollTimeout,
            Duration maxBackoff) {
        this.dataSource = dataSource;
        this.channel = channel;
        this.ownToken = ownToken;
        this.wakeUp = wakeUp;
        this.pollMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, pollTimeout.toMillis()));
        this.maxBackoff = maxBackoff;
        this.thread = new Thread(this::loop, "postpurchase-pg-listener-" + COUNTER.incrementAndGet());
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** How many times a listening connection was established; for tests and metrics. */
    public long connects() {
        return connects.get();
    }

    /** Whether the listener thread is still working. */
    public boolean isAlive() {
        return thread.isAlive();
    }

    private void loop() {
        long backoffMillis = 100;
        boolean reconnect = false;
        int failures = 0; // of the outage under way: it is logged once when it starts and once when it ends
        while (!closed) {
            Connection connection = null;
            try {
                connection = dataSource.getConnection();
                connection.setAutoCommit(true);
                try (Statement s = connection.createStatement()) {
                    s.execute("LISTEN " + channel);
                }
                PgHandle pg = unwrapPg(connection);
                current = connection;
                connects.incrementAndGet();
                if (failures > 0) {
                    LOG.info("listening on {} again after {} failed attempt(s)", channel, failures);
                    failures = 0;
                } else {
                    LOG.debug("listening on {}", channel);
                }
                if (reconnect) {
                    wake();
                }
                backoffMillis = 100;
                while (!closed) {
                    Object result = pg.getNotifications().invoke(pg.connection(), pollMillis);
                    if (result instanceof Object[] notifications && fromOthers(notifications)) {
                        wake();
                    }
                }
            } catch (UnsupportedListenerException e) {
                LOG.warn("{}; work is found by polling only", e.getMessage());
                return;
            } catch (SQLException | ReflectiveOperationException | RuntimeException e) {
                if (closed) {
                    break;
                }
                Throwable cause =
                        e instanceof InvocationTargetException ite && ite.getCause() != null ? ite.getCause() : e;
                if (failures++ == 0) {
                    LOG.warn(
                            "listening for new work on {} failed ({}); reconnecting with backoff, and logging again"
                                    + " only when it works; meanwhile work is found by polling",
                            channel,
                            cause.getClass().getSimpleName());
                } else {
                    LOG.debug(
                            "listening on {} failed again ({} times, {}); next attempt in {} ms",
                            channel,
                            failures,
                            cause.getClass().getSimpleName(),
                            backoffMillis);
                }
                reconnect = true;
                sleep(backoffMillis);
                backoffMillis = Math.min(backoffMillis * 2, Math.max(100, maxBackoff.toMillis()));
            } finally {
                current = null;
                release(connection);
            }
        }
    }

    /** Whether any notification came from another store instance: this store's own writes wake their pipeline. */
    private boolean fromOthers(Object[] notifications) throws ReflectiveOperationException {
        for (Object notification : notifications) {
            Object payload = notification.getClass().getMethod("getParameter").invoke(notification);
            if (!ownToken.equals(payload)) {
                return true;
            }
        }
        return false;
    }

    private void wake() {
        try {
            wakeUp.run();
        } catch (RuntimeException e) {
            LOG.warn("the work notification callback threw", e);
        }
    }

    private record PgHandle(Object connection, Method getNotifications) {}

    private PgHandle unwrapPg(Connection connection) throws SQLException, NoSuchMethodException {
        List<@Nullable ClassLoader> loaders = new ArrayList<>();
        loaders.add(Thread.currentThread().getContextClassLoader());
        loaders.add(connection.getClass().getClassLoader());
        loaders.add(dataSource.getClass().getClassLoader());
        loaders.add(PgNotificationListener.class.getClassLoader());
        for (ClassLoader loader : loaders) {
            if (loader == null) {
                continue;
            }
            Class<?> type;
            try {
                type = Class.forName(PG_CONNECTION, false, loader);
            } catch (ClassNotFoundException e) {
                continue;
            }
            if (connection.isWrapperFor(type)) {
                return new PgHandle(connection.unwrap(type), type.getMethod("getNotifications", int.class));
            }
        }
        throw new UnsupportedListenerException(
                "the DataSource does not hand out pgjdbc connections (" + PG_CONNECTION + " not found or not wrapped)");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops listening on a connection that goes back to a pool, then closes it. */
    private void release(@Nullable Connection connection) {
        if (connection == null) {
            return;
        }
        try (Statement s = connection.createStatement()) {
            s.execute("UNLISTEN *");
        } catch (SQLException e) {
            LOG.debug("UNLISTEN failed; the connection is probably broken", e);
        }
        closeQuietly(connection);
    }

    private static void closeQuietly(@Nullable Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing the listening connection failed", e);
            }
        }
    }

    /** Stops listening and releases the connection; waits briefly for the thread to end. */
    @Override
    public void close() {
        closed = true;
        if (current == null) {
            thread.interrupt(); // cut a reconnect back-off short; never interrupt a driver call
        }
        try {
            thread.join(pollMillis + 2000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            Connection connection = current;
            closeQuietly(connection);
        }
    }

    private static final class UnsupportedListenerException extends RuntimeException {
        UnsupportedListenerException(String message) {
            super(message);
        }
    }
}
