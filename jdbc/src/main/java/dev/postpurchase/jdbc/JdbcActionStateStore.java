package dev.postpurchase.jdbc;

import dev.postpurchase.core.StoreException;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.Violation;
import dev.postpurchase.core.Violations;
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
import dev.postpurchase.core.spi.SecretCodec;
import dev.postpurchase.core.spi.TransactionJoining;
import dev.postpurchase.jdbc.internal.H2RunSql;
import dev.postpurchase.jdbc.internal.Instants;
import dev.postpurchase.jdbc.internal.Jdbc;
import dev.postpurchase.jdbc.internal.MariaDbRunSql;
import dev.postpurchase.jdbc.internal.Migrator;
import dev.postpurchase.jdbc.internal.PgNotificationListener;
import dev.postpurchase.jdbc.internal.PostgresRunSql;
import dev.postpurchase.jdbc.internal.RunSql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * {@link ActionStateStore} in a relational database through plain JDBC: PostgreSQL for one or many nodes, MariaDB
 * 10.6+ / MySQL 8.0+, and H2 as the embedded default. No ORM and no dependency beyond the JDBC driver the
 * application brings.
 *
 * <pre>{@code
 * JdbcActionStateStore store = JdbcActionStateStore.builder()
 *         .dataSource(dataSource)          // a pool (HikariCP, ...) in production
 *         .secretCodec(codec)              // run snapshots hold secrets: AesGcmSecretCodec with your key
 *         .tablePrefix("pp_")              // the default
 *         .build();                        // dialect detected from the connection's metadata
 * store.migrate();                         // creates or upgrades the tables; safe from several nodes at once
 * ActionPipeline pipeline = ActionPipeline.builder().store(store)...build();
 * }</pre>
 *
 * <p><b>Schema.</b> Two tables per prefix, {@code <prefix>trigger} and {@code <prefix>run}, installed by {@link
 * #migrate()} from the versioned scripts in the jar, or by the application's own Flyway or Liquibase from {@link
 * JdbcSchema#sql(JdbcDialect, String)}. Payloads, configs and results are JSON in text columns; a run's config
 * snapshot is sealed by the {@link SecretCodec} given to the builder ({@link #reEncrypt} after a key rotation).
 *
 * <p><b>Concurrency.</b> All methods are thread-safe and safe from several processes sharing the database. A state
 * change writes only the run's state columns, and only where the run's version (and, for an outcome, its owner) is
 * still the one the caller read. {@link #claim} takes due runs of the requested types in one statement on PostgreSQL
 * (a function: {@code UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED LIMIT n) RETURNING}); on MariaDB/MySQL
 * and H2 a locking read with {@code SKIP LOCKED} and an update in one transaction. Concurrent claimers never wait
 * for each other and never get the same run. Due times and leases are judged by the database's clock, never the
 * node's: a RUNNING run whose heartbeat is older than {@code leaseDuration} by that clock is stale, and claimed again
 * when its type is recoverable. {@link #recordOutcomes} writes a group of outcomes in one transaction (one statement
 * on PostgreSQL) and completes, in it, each trigger whose last unfinished run succeeded.
 *
 * <p><b>Idempotent creation.</b> {@link #create} writes the trigger and its runs in one transaction with batch
 * inserts; the trigger key is the table's primary key, so when two nodes submit the same order at once one inserts
 * and the other waits for it and returns the stored runs with {@code created == false}.
 *
 * <p><b>Transactional outbox.</b> {@link #createInTransaction} and {@link #joinTransaction} write into the caller's
 * own open transaction, so a backend records "order paid" and its runs atomically: both or neither. The caller's
 * connection is never committed, rolled back, reconfigured or closed by the store; the runs become visible when the
 * caller commits, and on PostgreSQL that commit notifies every node, the writing one included.
 *
 * <p><b>Notifications.</b> On PostgreSQL every write that makes work due sends {@code NOTIFY <prefix>work} in its
 * transaction, and {@link #onWorkAdded} listens on a dedicated connection taken from the DataSource (so a pool needs
 * one connection more per listening pipeline), reconnecting on failure. Other dialects rely on the pipeline's poll
 * interval.
 *
 * <p><b>Retention.</b> {@link #deleteFinishedBefore} deletes finished triggers with their runs in bounded batches;
 * call it from a scheduled job until it returns 0. Finished runs are outside the claim indexes, so history does not
 * slow claiming even before it is deleted.
 *
 * <p><b>Failures.</b> Every {@link SQLException} surfaces as {@link StoreException} naming the operation and the
 * SQLState, never values or credentials. Deadlocks and serialisation failures of the store's own transactions are
 * retried a few times first.
 */
public final class JdbcActionStateStore implements ActionStateStore, TransactionJoining {
    /** Triggers deleted per call at most, whatever the caller asks: keeps the IN lists and the transaction short. */
    public static final int MAX_DELETE_BATCH = 1000;

    private final JdbcDialect dialect;
    private final String prefix;
    private final Jdbc jdbc;
    private final Instants instants;
    private final RunSql sql;
    private final Migrator migrator;
    private final boolean listen;
    private final Duration listenPollTimeout;
    private final Duration listenMaxBackoff;
    private final String channel;
    private final String token = UUID.randomUUID().toString();
    private final List<PgNotificationListener> listeners = new CopyOnWriteArrayList<>();

    private JdbcActionStateStore(Builder b, JdbcDialect dialect) {
        this.dialect = dialect;
        this.prefix = b.tablePrefix;
        this.jdbc = new Jdbc(Objects.requireNonNull(b.dataSource), dialect);
        this.instants = new Instants(dialect);
        this.migrator = new Migrator(b.dataSource, dialect, prefix, instants);
        this.listenPollTimeout = b.listenPollTimeout;
        this.listenMaxBackoff = b.listenMaxBackoff;
        this.channel = prefix + "work";
        SecretCodec codec = Objects.requireNonNull(b.secretCodec);
        this.sql = switch (dialect) {
            case POSTGRESQL -> new PostgresRunSql(prefix, instants, codec, channel, token, jdbc::isCallersConnection);
            case MARIADB -> new MariaDbRunSql(prefix, instants, codec);
            case H2 -> new H2RunSql(prefix, instants, codec);
        };
        this.listen = b.listenForWork && sql.notifiesWork();
    }

    /** Starts a builder; {@link Builder#dataSource} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The dialect this store speaks, as set or detected. */
    public JdbcDialect dialect() {
        return dialect;
    }

    /** The table prefix, for example {@code pp_}. */
    public String tablePrefix() {
        return prefix;
    }

    /**
     * Creates or upgrades the tables to {@link JdbcSchema#latestVersion()} and records each applied version in
     * {@code <prefix>schema_version}. Safe to call on every start from every node at once: a database lock lets one
     * node apply the scripts while the others wait, then find nothing to do. Needs DDL rights; teams that manage the
     * schema with Flyway or Liquibase use {@link JdbcSchema#sql} instead and never call this.
     *
     * @return the schema version now installed
     * @throws StoreException when the database cannot be migrated (the message names the SQLState)
     */
    public int migrate() {
        return migrator.migrate();
    }

    /** The schema version recorded by {@link #migrate()}, 0 when it never ran on this prefix. */
    public int installedSchemaVersion() {
        return migrator.installedVersion();
    }

    /**
     * Fails unless the tables are installed at the version this release needs, with a message that says what to do
     * ({@link #migrate()}); called by {@code ActionPipeline.Builder#build}. Tables at a newer version (migrated by a
     * newer release) are accepted with a warning.
     *
     * @throws StoreException when the schema is missing or older, or the database cannot be reached
     */
    @Override
    public void checkReady() {
        int installed = migrator.installedVersion();
        int needed = JdbcSchema.latestVersion();
        if (installed == 0) {
            throw new StoreException(
                    "the " + prefix + "* tables of the Postpurchase store are not installed in this database: call"
                            + " store.migrate() once at start-up (or apply JdbcSchema.sql(dialect, prefix) with your"
                            + " migration tool) before building the pipeline",
                    null);
        }
        if (installed < needed) {
            throw new StoreException(
                    "the " + prefix + "* tables are at schema version " + installed + ", this release needs version "
                            + needed + ": call store.migrate() at start-up (or apply the missing scripts of"
                            + " JdbcSchema.migrations with your migration tool) before building the pipeline",
                    null);
        }
    }

    @Override
    public CreateResult create(Trigger trigger, List<ActionRun> runs) {
        checkRuns(trigger, runs);
        return jdbc.inTransaction("creating " + trigger.key(), c -> sql.create(c, trigger, runs));
    }

    /**
     * {@link #create} inside the caller's transaction (the transactional outbox): the trigger and its runs are
     * written on {@code connection} and become visible when the caller commits, or vanish when it rolls back. The
     * store never commits, rolls back, reconfigures or closes {@code connection}. Idempotent on the trigger key like
     * {@code create}: for a trigger already stored (committed by anyone), nothing is written and its runs are
     * returned with {@code created == false}; a concurrent creator of the same key makes this call wait until that
     * transaction ends.
     *
     * <p>On PostgreSQL a failing statement aborts the caller's transaction, as always there; a duplicate trigger is
     * not a failure (it is written with {@code ON CONFLICT DO NOTHING}). Run in READ COMMITTED (the default of
     * PostgreSQL and H2) for the existing runs to be seen; on MariaDB they are read with a locking read.
     *
     * @param connection an open connection with auto-commit off, on the database this store was built for
     * @throws IllegalStateException when {@code connection} is in auto-commit mode
     * @throws IllegalArgumentException when a run belongs to another trigger or exists already
     * @throws StoreException when the database fails
     */
    public CreateResult createInTransaction(Connection connection, Trigger trigger, List<ActionRun> runs) {
        Objects.requireNonNull(connection, "connection");
        checkRuns(trigger, runs);
        return jdbc.onCallerConnection(connection, "creating " + trigger.key(), c -> sql.create(c, trigger, runs));
    }

    /**
     * Runs {@code work} with every operation of this store on the current thread joined to the caller's open
     * transaction on {@code connection}; typically {@code store.joinTransaction(connection, () ->
     * pipeline.submit(order))}, so the pipeline decides which runs an order gets and they are committed together with
     * the caller's own writes. The same rules as {@link #createInTransaction} apply. Other threads (the pipeline's
     * workers) keep using the DataSource, and see the runs once the caller commits.
     *
     * @throws IllegalStateException when {@code connection} is in auto-commit mode, or this thread is already
     *     joined to another connection
     */
    @Override
    public <T> T joinTransaction(Connection connection, Supplier<T> work) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(work, "work");
        return jdbc.joining(connection, work);
    }

    /** {@inheritDoc} True inside {@link #joinTransaction} on this thread. */
    @Override
    public boolean inCallersTransaction() {
        return jdbc.isJoined();
    }

    private void checkRuns(Trigger trigger, List<ActionRun> runs) {
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(runs, "runs");
        requireLength("trigger id", trigger.id(), 255);
        Set<String> ids = new HashSet<>();
        for (ActionRun run : runs) {
            if (!run.triggerKey().equals(trigger.key())) {
                throw new IllegalArgumentException("run " + run.id() + " belongs to another trigger");
            }
            if (!ids.add(run.id())) {
                throw new IllegalArgumentException("run " + run.id() + " is given twice");
            }
            requireLength("definition id", run.definitionId(), 255);
            requireLength("action type", run.type(), 100);
        }
    }

    private static void requireLength(String what, String value, int max) {
        if (value.length() > max) {
            throw new IllegalArgumentException(
                    what + " is " + value.length() + " characters long; the JDBC store keeps at most " + max);
        }
    }

    @Override
    public Optional<Trigger> trigger(TriggerKind kind, String triggerId) {
        String key = Trigger.key(kind, triggerId);
        return jdbc.autoCommit("reading " + key, c -> sql.trigger(c, key));
    }

    /** {@inheritDoc} One statement for all of them. */
    @Override
    public List<Trigger> triggersOf(Collection<ActionRun> runs) {
        Objects.requireNonNull(runs, "runs");
        Set<String> keys = new java.util.LinkedHashSet<>();
        runs.forEach(run -> keys.add(run.triggerKey()));
        if (keys.isEmpty()) {
            return List.of();
        }
        return jdbc.autoCommit("reading " + keys.size() + " trigger(s)", c -> sql.triggers(c, List.copyOf(keys)));
    }

    @Override
    public Optional<ActionRun> run(String runId) {
        Objects.requireNonNull(runId, "runId");
        return jdbc.autoCommit("reading run " + runId, c -> sql.run(c, runId));
    }

    @Override
    public List<ActionRun> runs(TriggerKind kind, String triggerId) {
        String key = Trigger.key(kind, triggerId);
        return jdbc.autoCommit("reading the runs of " + key, c -> sql.selectRuns(c, key, false));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Due and stale are judged by the database's clock; {@code request.now()} is not used.
     */
    @Override
    public List<ActionRun> claim(ClaimRequest request) {
        Objects.requireNonNull(request, "request");
        if (request.types().isEmpty()) {
            return List.of();
        }
        return sql.claim(jdbc, request);
    }

    @Override
    public RecordedOutcomes recordOutcomes(List<AttemptResult> outcomes, Instant now) {
        Objects.requireNonNull(outcomes, "outcomes");
        if (outcomes.isEmpty()) {
            return new RecordedOutcomes(Map.of(), List.of());
        }
        return sql.recordOutcomes(jdbc, outcomes);
    }

    @Override
    public Set<String> renewLeases(String owner, Collection<String> runIds, Instant now) {
        Objects.requireNonNull(owner, "owner");
        if (runIds.isEmpty()) {
            return Set.of();
        }
        return sql.renewLeases(jdbc, owner, runIds);
    }

    @Override
    public void release(String owner, Collection<ActionRun> claimed, Instant now) {
        Objects.requireNonNull(owner, "owner");
        if (!claimed.isEmpty()) {
            sql.release(jdbc, owner, claimed);
        }
    }

    @Override
    public Optional<ActionRun> requeue(Requeue requeue, Instant now) {
        Objects.requireNonNull(requeue, "requeue");
        return sql.requeue(jdbc, requeue);
    }

    @Override
    public Optional<ActionRun> retryNow(ActionRun expected, Instant now) {
        Objects.requireNonNull(expected, "expected");
        return sql.retryNow(jdbc, expected);
    }

    @Override
    public RunPage findRuns(RunQuery query) {
        Objects.requireNonNull(query, "query");
        return jdbc.autoCommit("finding runs", c -> sql.findRuns(c, query));
    }

    @Override
    public List<ActionRun> runsAbout(String orderId) {
        Objects.requireNonNull(orderId, "orderId");
        return jdbc.autoCommit("reading the runs about order " + orderId, c -> sql.runsAbout(c, orderId));
    }

    @Override
    public List<AttemptRecord> attemptsOf(String runId) {
        Objects.requireNonNull(runId, "runId");
        return jdbc.autoCommit("reading the attempts of run " + runId, c -> sql.attemptsOf(c, runId));
    }

    @Override
    public RunCounts countRuns(Duration staleAfter, Instant now) {
        Objects.requireNonNull(staleAfter, "staleAfter");
        return jdbc.autoCommit("counting runs", c -> sql.countRuns(c, staleAfter));
    }

    @Override
    public List<ActionRun> staleRuns(Duration olderThan, Instant now, int limit) {
        Objects.requireNonNull(olderThan, "olderThan");
        if (limit <= 0) {
            return List.of();
        }
        return jdbc.autoCommit("reading stale runs", c -> sql.staleRuns(c, olderThan, limit));
    }

    @Override
    public void nodeAlive(String nodeId, Set<String> types, Instant now) {
        Objects.requireNonNull(nodeId, "nodeId");
        String joined = RunSql.joinTypes(types);
        jdbc.autoCommit("recording node " + nodeId + " as alive", Jdbc.unit(c -> {
            sql.nodeAlive(c, nodeId, joined);
        }));
    }

    @Override
    public List<ActionRun> unclaimableRuns(Duration nodeTimeout, Instant now, int limit) {
        Objects.requireNonNull(nodeTimeout, "nodeTimeout");
        return jdbc.autoCommit("reading runs no node can take", c -> sql.unclaimableRuns(c, nodeTimeout, limit));
    }

    @Override
    public Optional<Duration> untilNextDue(Instant now) {
        return jdbc.autoCommit("reading the next due time", sql::untilNextDue);
    }

    /**
     * Seals every run snapshot not sealed under the codec's current key (after a key rotation, or snapshots written
     * before snapshots were sealed), in short transactions of {@code batchSize} runs, walking the table by id.
     * Safe to run while pipelines work (each batch locks its rows briefly); run it after adding a new current key,
     * before removing the old one from the codec.
     *
     * @return how many snapshots were rewritten
     */
    public int reEncrypt(int batchSize) {
        if (batchSize <= 0) {
            throw new ValidationException("batchSize", "must be positive");
        }
        int rewritten = 0;
        String after = "";
        while (after != null) {
            String from = after;
            RunSql.ReEncrypted step =
                    jdbc.inTransaction("re-encrypting run snapshots", c -> sql.reEncrypt(c, from, batchSize));
            rewritten += step.rewritten();
            after = step.lastId();
        }
        return rewritten;
    }

    /**
     * Deletes at most {@code batchSize} triggers, oldest first, that were created before {@code cutoff} and whose
     * runs are all SUCCEEDED or FAILED and last changed before {@code cutoff}, together with their runs, in one short
     * transaction. The runs are locked and checked again before they are deleted, so a run re-run meanwhile keeps its
     * trigger. At most {@link #MAX_DELETE_BATCH} triggers go per call. Returns how many runs were deleted; call again
     * until it returns 0, for example from a nightly job with a cutoff of 90 days ago and a batch size of 500.
     */
    @Override
    public int deleteFinishedBefore(Instant cutoff, int batchSize) {
        Objects.requireNonNull(cutoff, "cutoff");
        if (batchSize <= 0) {
            return 0;
        }
        int limit = Math.min(batchSize, MAX_DELETE_BATCH);
        return jdbc.inTransaction("deleting finished runs", c -> sql.deleteFinishedBefore(c, cutoff, limit));
    }

    /**
     * On PostgreSQL (unless {@link Builder#listenForWork} was switched off), starts a daemon thread that LISTENs on
     * {@code <prefix>work} on a dedicated connection of the DataSource and calls {@code wakeUp} whenever any node
     * creates runs or makes a run due again (except through this store instance, whose pipeline wakes itself),
     * and once after each reconnect (notifications sent while disconnected are
     * lost). Closing the returned handle, or the store, stops it. Elsewhere returns a handle that does nothing: the
     * pipeline polls.
     */
    @Override
    public AutoCloseable onWorkAdded(Runnable wakeUp) {
        Objects.requireNonNull(wakeUp, "wakeUp");
        if (!listen) {
            return () -> {};
        }
        PgNotificationListener listener = new PgNotificationListener(
                jdbc.dataSource(), channel, token, wakeUp, listenPollTimeout, listenMaxBackoff);
        listeners.add(listener);
        return () -> {
            listeners.remove(listener);
            listener.close();
        };
    }

    /** Stops every notification listener; the DataSource stays open (it belongs to the application). */
    @Override
    public void close() {
        for (PgNotificationListener listener : listeners) {
            listener.close();
        }
        listeners.clear();
    }

    @Override
    public String toString() {
        return "JdbcActionStateStore[dialect=" + dialect + ", prefix=" + prefix + "]";
    }

    /** Mutable, not thread-safe builder of {@link JdbcActionStateStore}. */
    public static final class Builder {
        private @Nullable DataSource dataSource;
        private @Nullable JdbcDialect dialect;
        private String tablePrefix = JdbcSchema.DEFAULT_PREFIX;
        private boolean listenForWork = true;
        private Duration listenPollTimeout = Duration.ofMillis(500);
        private Duration listenMaxBackoff = Duration.ofSeconds(30);
        private @Nullable SecretCodec secretCodec;

        private Builder() {}

        /**
         * Required: how run snapshots are sealed at rest. A run's config snapshot holds what its definition held
         * (webhook secrets, API keys, Kajabi offer URLs), so it is stored encrypted: give the same codec as the
         * definition source ({@link dev.postpurchase.core.crypto.AesGcmSecretCodec} with the application's key), or
         * {@link SecretCodec#plainTextForDevelopmentOnly()} on a development database.
         */
        public Builder secretCodec(SecretCodec value) {
            this.secretCodec = value;
            return this;
        }

        /** Required: where connections come from; use a pool in production. The store never closes it. */
        public Builder dataSource(DataSource value) {
            this.dataSource = value;
            return this;
        }

        /** The database dialect; default: detected from the first connection's metadata in {@link #build()}. */
        public Builder dialect(@Nullable JdbcDialect value) {
            this.dialect = value;
            return this;
        }

        /** The prefix of every table, index and lock of the store; default {@code pp_}. See {@link JdbcSchema}. */
        public Builder tablePrefix(String value) {
            this.tablePrefix = value;
            return this;
        }

        /** Whether {@link #onWorkAdded} listens for PostgreSQL notifications; default true. */
        public Builder listenForWork(boolean value) {
            this.listenForWork = value;
            return this;
        }

        /**
         * How long the listener blocks waiting for a notification before it checks whether it was closed; default
         * 500 ms. It is not a polling delay: notifications wake it at once.
         */
        public Builder listenPollTimeout(Duration value) {
            this.listenPollTimeout = value;
            return this;
        }

        /** The longest wait between attempts to reconnect a broken listening connection; default 30 s. */
        public Builder listenMaxBackoff(Duration value) {
            this.listenMaxBackoff = value;
            return this;
        }

        /**
         * Validates the settings and builds the store; detects the dialect when none was set (which opens one
         * connection). Does not touch the schema: call {@link JdbcActionStateStore#migrate()}.
         *
         * @throws ValidationException naming every bad setting, or an unsupported database on {@code dialect}
         * @throws StoreException when the dialect must be detected and the database cannot be reached
         */
        public JdbcActionStateStore build() {
            List<Violation> v = new ArrayList<>();
            if (dataSource == null) {
                v.add(new Violation("dataSource", "is required"));
            }
            if (secretCodec == null) {
                v.add(new Violation(
                        "secretCodec",
                        "is required: run snapshots hold the definitions' secrets; give an AesGcmSecretCodec with"
                                + " your key, or SecretCodec.plainTextForDevelopmentOnly() on a development database"));
            }
            try {
                JdbcSchema.validatePrefix(tablePrefix);
            } catch (ValidationException e) {
                v.addAll(e.violations());
            }
            Violations.positiveDuration(v, "listenPollTimeout", listenPollTimeout);
            Violations.positiveDuration(v, "listenMaxBackoff", listenMaxBackoff);
            if (!v.isEmpty()) {
                throw new ValidationException(v);
            }
            JdbcDialect resolved = dialect != null ? dialect : detect(Objects.requireNonNull(dataSource));
            return new JdbcActionStateStore(this, resolved);
        }

        private static JdbcDialect detect(DataSource dataSource) {
            try (Connection c = dataSource.getConnection()) {
                return JdbcDialect.detect(c.getMetaData());
            } catch (IllegalArgumentException e) {
                throw new ValidationException("dialect", String.valueOf(e.getMessage()));
            } catch (SQLException e) {
                throw Jdbc.failure("detecting the database dialect", e);
            }
        }
    }
}
