package dev.postpurchase.spring;

import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.AttemptRecord;
import dev.postpurchase.core.action.RunCounts;
import dev.postpurchase.core.action.RunPage;
import dev.postpurchase.core.action.RunQuery;
import dev.postpurchase.core.action.Trigger;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.spi.ActionStateStore;
import dev.postpurchase.core.spi.AttemptResult;
import dev.postpurchase.core.spi.ClaimRequest;
import dev.postpurchase.core.spi.CreateResult;
import dev.postpurchase.core.spi.RecordedOutcomes;
import dev.postpurchase.core.spi.Requeue;
import dev.postpurchase.core.spi.TransactionJoining;
import dev.postpurchase.jdbc.JdbcActionStateStore;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A {@link JdbcActionStateStore} that joins Spring-managed transactions: an operation called on a thread inside a
 * transaction that holds a JDBC connection of the store's {@code DataSource} (a {@code @Transactional} method with
 * {@code DataSourceTransactionManager}, {@code JdbcTransactionManager} or {@code JpaTransactionManager}) runs on that
 * connection, through {@link JdbcActionStateStore#joinTransaction}: {@code pipeline.submit(order)} writes the order's
 * runs in the caller's transaction, so they commit or roll back with the caller's own rows. The store never commits,
 * rolls back or closes that connection; Spring does. Outside a transaction (and on the pipeline's own threads) every
 * operation behaves as the plain store: its own short transactions on its own connections.
 *
 * <p>When runs were written in a caller's transaction, the pipeline is woken after the commit (on the submit itself
 * the runs were not yet visible to its workers). Other nodes hear of them through PostgreSQL's NOTIFY, which the
 * database delivers at commit.
 *
 * <p>The {@code DataSource} is unwrapped from a {@link TransactionAwareDataSourceProxy}: the store always takes its
 * own connections from the target, so its own commits can never commit a caller's transaction early, and it finds the
 * caller's connection under the target, where Spring's transaction managers bind it.
 */
public final class SpringTransactionStore implements ActionStateStore, TransactionJoining {
    private final JdbcActionStateStore store;
    private final DataSource dataSource;
    private final List<Runnable> wakeUps = new CopyOnWriteArrayList<>();

    /**
     * @param store the store, built on {@link #unwrap(DataSource) unwrap(dataSource)}
     * @param dataSource the application's DataSource (a {@link TransactionAwareDataSourceProxy} is unwrapped)
     */
    public SpringTransactionStore(JdbcActionStateStore store, DataSource dataSource) {
        this.store = Objects.requireNonNull(store, "store");
        this.dataSource = unwrap(Objects.requireNonNull(dataSource, "dataSource"));
    }

    /**
     * The DataSource the store must take its own connections from: the target of a (chain of) {@link
     * TransactionAwareDataSourceProxy}, else the DataSource itself.
     */
    public static DataSource unwrap(DataSource dataSource) {
        DataSource current = dataSource;
        while (current instanceof TransactionAwareDataSourceProxy proxy && proxy.getTargetDataSource() != null) {
            current = proxy.getTargetDataSource();
        }
        return current;
    }

    /** The JDBC store underneath. */
    public JdbcActionStateStore jdbcStore() {
        return store;
    }

    /** Whether an operation on this thread now would join a Spring-managed transaction. */
    public boolean inSpringTransaction() {
        return TransactionSynchronizationManager.isActualTransactionActive()
                && TransactionSynchronizationManager.getResource(dataSource) instanceof ConnectionHolder holder
                && holder.isSynchronizedWithTransaction();
    }

    /** Joins an explicitly given connection (for {@code pipeline.submit(connection, order)} outside Spring's). */
    @Override
    public <T> T joinTransaction(Connection connection, Supplier<T> work) {
        return store.joinTransaction(connection, work);
    }

    /** {@inheritDoc} True inside an explicit join, and inside a Spring-managed transaction on this store's data. */
    @Override
    public boolean inCallersTransaction() {
        return store.inCallersTransaction() || inSpringTransaction();
    }

    /**
     * {@inheritDoc} Inside a Spring-managed transaction, {@code action} runs after its commit (on the committing
     * thread); inside an explicit join of a plain connection, Spring sees no commit and this returns false.
     */
    @Override
    public boolean afterCallersCommit(Runnable action) {
        if (store.inCallersTransaction()
                || !inSpringTransaction()
                || !TransactionSynchronizationManager.isSynchronizationActive()) {
            return false;
        }
        TransactionSynchronizationManager.registerSynchronization(new AfterCommit(action));
        return true;
    }

    /** Runs an action once the caller's transaction committed. */
    private record AfterCommit(Runnable action) implements TransactionSynchronization {
        @Override
        public void afterCommit() {
            action.run();
        }
    }

    private <T> T joined(boolean writes, Supplier<T> work) {
        if (!inSpringTransaction()) {
            return work.get();
        }
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            T result = store.joinTransaction(connection, work);
            if (writes && TransactionSynchronizationManager.isSynchronizationActive()) {
                TransactionSynchronizationManager.registerSynchronization(new AfterCommit(this::wakeUp));
            }
            return result;
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    /** Wakes the local pipeline: the caller's transaction committed runs it now may claim. */
    private void wakeUp() {
        wakeUps.forEach(Runnable::run);
    }

    @Override
    public CreateResult create(Trigger trigger, List<ActionRun> runs) {
        return joined(true, () -> store.create(trigger, runs));
    }

    @Override
    public Optional<Trigger> trigger(TriggerKind kind, String triggerId) {
        return joined(false, () -> store.trigger(kind, triggerId));
    }

    @Override
    public Optional<ActionRun> run(String runId) {
        return joined(false, () -> store.run(runId));
    }

    @Override
    public List<Trigger> triggersOf(Collection<ActionRun> runs) {
        return joined(false, () -> store.triggersOf(runs));
    }

    @Override
    public List<ActionRun> runs(TriggerKind kind, String triggerId) {
        return joined(false, () -> store.runs(kind, triggerId));
    }

    @Override
    public List<ActionRun> claim(ClaimRequest request) {
        return joined(true, () -> store.claim(request));
    }

    @Override
    public RecordedOutcomes recordOutcomes(List<AttemptResult> outcomes, Instant now) {
        return joined(true, () -> store.recordOutcomes(outcomes, now));
    }

    @Override
    public Set<String> renewLeases(String owner, Collection<String> runIds, Instant now) {
        return joined(true, () -> store.renewLeases(owner, runIds, now));
    }

    @Override
    public void release(String owner, Collection<ActionRun> claimed, Instant now) {
        joined(true, () -> {
            store.release(owner, claimed, now);
            return null;
        });
    }

    @Override
    public Optional<ActionRun> requeue(Requeue requeue, Instant now) {
        return joined(true, () -> store.requeue(requeue, now));
    }

    @Override
    public Optional<ActionRun> retryNow(ActionRun expected, Instant now) {
        return joined(true, () -> store.retryNow(expected, now));
    }

    @Override
    public RunPage findRuns(RunQuery query) {
        return joined(false, () -> store.findRuns(query));
    }

    @Override
    public List<ActionRun> runsAbout(String orderId) {
        return joined(false, () -> store.runsAbout(orderId));
    }

    @Override
    public List<AttemptRecord> attemptsOf(String runId) {
        return joined(false, () -> store.attemptsOf(runId));
    }

    @Override
    public RunCounts countRuns(Duration staleAfter, Instant now) {
        return joined(false, () -> store.countRuns(staleAfter, now));
    }

    @Override
    public List<ActionRun> staleRuns(Duration olderThan, Instant now, int limit) {
        return joined(false, () -> store.staleRuns(olderThan, now, limit));
    }

    @Override
    public void nodeAlive(String nodeId, Set<String> types, Instant now) {
        joined(true, () -> {
            store.nodeAlive(nodeId, types, now);
            return null;
        });
    }

    @Override
    public List<ActionRun> unclaimableRuns(Duration nodeTimeout, Instant now, int limit) {
        return joined(false, () -> store.unclaimableRuns(nodeTimeout, now, limit));
    }

    @Override
    public Optional<Duration> untilNextDue(Instant now) {
        return joined(false, () -> store.untilNextDue(now));
    }

    @Override
    public int deleteFinishedBefore(Instant cutoff, int batchSize) {
        return joined(true, () -> store.deleteFinishedBefore(cutoff, batchSize));
    }

    @Override
    public AutoCloseable onWorkAdded(Runnable wakeUp) {
        AutoCloseable listening = store.onWorkAdded(wakeUp);
        wakeUps.add(wakeUp);
        return () -> {
            wakeUps.remove(wakeUp);
            listening.close();
        };
    }

    @Override
    public void checkReady() {
        store.checkReady();
    }

    @Override
    public void close() {
        store.close();
    }

    @Override
    public String toString() {
        return "SpringTransactionStore[" + store + "]";
    }
}
