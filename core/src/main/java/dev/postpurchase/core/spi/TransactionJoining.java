package dev.postpurchase.core.spi;

import java.sql.Connection;
import java.util.function.Supplier;

/**
 * A store that can write in the caller's open JDBC transaction (the JDBC store does; the in-memory one cannot), so
 * that {@code ActionPipeline#submit(Connection, Order)} records an order's runs together with the shop's own rows:
 * both commit or neither does.
 */
public interface TransactionJoining {
    /**
     * Runs {@code work} with every operation of this store on the current thread joined to the open transaction of
     * {@code connection}. The store never commits, rolls back or closes that connection.
     *
     * @throws IllegalStateException when {@code connection} is in auto-commit mode, or this thread is already joined
     *     to another connection
     */
    <T> T joinTransaction(Connection connection, Supplier<T> work);

    /**
     * Whether this store's writes on the current thread now go into a caller's transaction that has not committed
     * yet (inside {@link #joinTransaction}, or a transaction the store joins by itself, as the Spring store does).
     * The pipeline reports such writes to its listeners only once they are committed. Default: false.
     */
    default boolean inCallersTransaction() {
        return false;
    }

    /**
     * Asks for {@code action} to run once the caller's transaction of the current thread has committed, and never
     * when it rolls back. Returns false when this store cannot see that commit (a plain JDBC connection): the
     * pipeline then confirms the commit itself, by reading the written rows back from its own connections. Default:
     * false.
     */
    default boolean afterCallersCommit(Runnable action) {
        return false;
    }
}
