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
}
