package dev.postpurchase.core.spi;

import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.AttemptRecord;
import dev.postpurchase.core.action.RunCounts;
import dev.postpurchase.core.action.RunPage;
import dev.postpurchase.core.action.RunQuery;
import dev.postpurchase.core.action.Trigger;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.memory.InMemoryActionStateStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where triggers and runs live. The pipeline is stateless; every node sharing a store shares the work.
 *
 * <p><b>Contract</b> (proved for every implementation by {@code AbstractActionStateStoreContractTest} in {@code
 * postpurchase-testing}):
 *
 * <ul>
 *   <li>All methods are thread-safe and safe to call from several processes sharing the store.
 *   <li>{@link #create} is atomic and idempotent on the trigger key: the trigger and all its runs, or nothing.
 *   <li>Every change of a run is a compare-and-set on its status and version, and writes only its {@link
 *       dev.postpurchase.core.action.RunState}; the snapshot is written at creation and replaced only by {@link
 *       #requeue} with a new snapshot. A run is handed to at most one owner at a time.
 *   <li>{@link #recordOutcomes} commits a batch at once, and decides in the same step whether each trigger is now
 *       complete: a completion is reported by exactly one call over the trigger's lifetime, and only once durable.
 *   <li>A run is never deleted except by {@link #deleteFinishedBefore} once terminal.
 *   <li>Failures of the underlying storage surface as {@link dev.postpurchase.core.StoreException}.
 * </ul>
 *
 * <p><b>Clocks.</b> Methods that judge or stamp time take the calling node's {@code now} and, where a time lies
 * ahead, a duration. A store shared by several processes should judge due times and leases by one clock of its own
 * (the JDBC store uses the database's), so that nodes whose clocks disagree still agree on which run is due and
 * which lease expired; a store used by one process may use {@code now}. Times a store returns are by the clock it
 * judged with.
 */
public interface ActionStateStore extends AutoCloseable {

    /**
     * A store that keeps everything in this JVM's memory: for tests, examples and single-node use without restarts.
     * It judges time by the pipeline's clock. It keeps every finished run until {@link #deleteFinishedBefore}
     * removes it (about 2.7 KB per order with three actions, as measured in BENCHMARKS.md), so call that regularly
     * in a long-running process.
     */
    static ActionStateStore inMemory() {
        return new InMemoryActionStateStore();
    }

    /**
     * Records a trigger and its runs in one step, unless a trigger with the same key exists: then nothing is written
     * and the existing runs are returned with {@code created == false}. PENDING runs are due at once (by the store's
     * clock); runs may also be created FAILED (a definition that cannot run, with its reason). A trigger whose runs
     * are all SUCCEEDED, or that has none, is completed on creation ({@link CreateResult#completion()}).
     *
     * @throws IllegalArgumentException when a run belongs to another trigger or exists already
     */
    CreateResult create(Trigger trigger, List<ActionRun> runs);

    Optional<Trigger> trigger(TriggerKind kind, String triggerId);

    Optional<ActionRun> run(String runId);

    /**
     * The triggers of the given runs, each once, in one step where the store can: a node reads the orders of a whole
     * claim batch together. Triggers that no longer exist are left out. The default reads them one by one.
     */
    default List<Trigger> triggersOf(Collection<ActionRun> runs) {
        Map<String, Trigger> found = new LinkedHashMap<>();
        for (ActionRun run : runs) {
            if (!found.containsKey(run.triggerKey())) {
                trigger(run.triggerKind(), run.triggerId()).ifPresent(t -> found.put(t.key(), t));
            }
        }
        return List.copyOf(found.values());
    }

    /** The runs of one trigger, oldest first (ties by id). */
    List<ActionRun> runs(TriggerKind kind, String triggerId);

    /**
     * Takes up to {@code request.limit()} runs for {@code request.owner()} in one step: PENDING runs of the
     * request's types that are due, earliest first, then (with {@code recoverStale}) RUNNING runs of its
     * recoverable types whose lease expired. Each becomes RUNNING with one more attempt and a fresh lease ({@link
     * RunTransitions#claimed}). Never hands a run to two callers; runs of other types are left alone.
     */
    List<ActionRun> claim(ClaimRequest request);

    /**
     * Records the ends of several attempts together, in one transaction: each is a compare-and-set from the RUNNING
     * state it was claimed with ({@code claimedVersion}, its owner) to the new state ({@link
     * RunTransitions#finished}), with its attempt appended to the run's history (keeping the last {@link
     * AttemptRecord#KEPT}). Outcomes whose run changed meanwhile are left out of the answer, the others are
     * committed together. A trigger whose last unfinished run succeeds in this batch is marked completed in the same
     * transaction and listed in the answer; no other call will list it. Results are returned only once committed.
     */
    RecordedOutcomes recordOutcomes(List<AttemptResult> outcomes, Instant now);

    /**
     * Renews the leases of the RUNNING runs among {@code runIds} still held by {@code owner}, in one step, without
     * changing their versions. Returns the ids renewed; a run missing there is no longer held by {@code owner}.
     */
    Set<String> renewLeases(String owner, Collection<String> runIds, Instant now);

    /**
     * Gives back runs that {@code owner} claimed but never started (at shutdown): each RUNNING run still held by it
     * at the given version becomes PENDING and due at once, its attempt undone ({@link RunTransitions#released}).
     * Runs no longer held are skipped.
     */
    void release(String owner, Collection<ActionRun> claimed, Instant now);

    /**
     * A manual re-run: if the run still has the expected status and version, it becomes PENDING and due at once
     * with a fresh budget ({@link RunTransitions#requeued}), its snapshot replaced when a new one is given. Re-running
     * a SUCCEEDED run makes its trigger unfinished again (a completed trigger stays completed and is not reported
     * again).
     *
     * @return the re-queued run, or empty when the run changed meanwhile (or no longer exists)
     */
    Optional<ActionRun> requeue(Requeue requeue, Instant now);

    /**
     * Brings a retry forward: if the run is still PENDING at the expected version, it becomes due at once, keeping
     * its attempts, budget and last error (after an outage the receiver is back but the backoff holds deliveries).
     *
     * @return the run as re-queued, or empty when it changed meanwhile or is not PENDING
     */
    Optional<ActionRun> retryNow(ActionRun expected, Instant now);

    /**
     * A page of the runs matching {@code query}, newest first (by creation, then id). Stores keep this fast however
     * many finished runs they hold (the JDBC store through partial indexes per status).
     */
    RunPage findRuns(RunQuery query);

    /**
     * The runs of an order and the runs of every event about it (its refund, a declined transaction, ...), oldest
     * first.
     */
    List<ActionRun> runsAbout(String orderId);

    /** The attempts of a run kept in its history, oldest first (at most {@link AttemptRecord#KEPT}). */
    List<AttemptRecord> attemptsOf(String runId);

    /**
     * The runs that are pending, waiting for a retry, running (and of those, stale: heartbeat older than {@code
     * staleAfter}) or failed. One cheap statement on the JDBC store: succeeded runs are not read.
     */
    RunCounts countRuns(Duration staleAfter, Instant now);

    /** RUNNING runs whose heartbeat is older than {@code olderThan}, oldest first, for the force re-run. */
    List<ActionRun> staleRuns(Duration olderThan, Instant now, int limit);

    /**
     * Records that node {@code nodeId} is alive and can execute {@code types}; called on every lease renewal, so a
     * node that stops calling is gone after a few lease intervals.
     */
    void nodeAlive(String nodeId, Set<String> types, Instant now);

    /**
     * PENDING runs that no live node can take: their type is not executable on any node seen alive within {@code
     * nodeTimeout} (for example the last node with that executor was removed, or a rolling deploy left only older
     * nodes). Oldest first, at most {@code limit}.
     */
    List<ActionRun> unclaimableRuns(Duration nodeTimeout, Instant now, int limit);

    /** How long until the earliest PENDING run is due (zero or negative when one is due now), if any is pending. */
    Optional<Duration> untilNextDue(Instant now);

    /**
     * Deletes at most {@code batchSize} triggers whose runs are all terminal and last changed before {@code cutoff}
     * (and that were created before it), with their runs. Returns how many rows were deleted, triggers and runs
     * together; call again until it returns 0. A deleted order is forgotten: submitting it again creates its runs
     * again, so keep the cutoff well beyond the time an order can be redelivered.
     */
    int deleteFinishedBefore(Instant cutoff, int batchSize);

    /**
     * Calls {@code wakeUp} when another process has added work, if the store can tell (PostgreSQL LISTEN/NOTIFY);
     * work added through this store instance is not announced back to it (the pipeline wakes itself). The default
     * does nothing: the pipeline falls back to polling.
     */
    default AutoCloseable onWorkAdded(Runnable wakeUp) {
        return () -> {};
    }

    /**
     * Checks that the store can be used, for example that its schema is installed and current; called when a
     * pipeline is built. The default does nothing.
     *
     * @throws dev.postpurchase.core.StoreException naming what to do when it cannot
     */
    default void checkReady() {}

    /** Releases the store's resources. The default does nothing. */
    @Override
    default void close() {}
}
