package dev.postpurchase.core.spi;

import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.Trigger;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.memory.InMemoryActionStateStore;
import java.time.Instant;
import java.util.List;
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
 *   <li>{@link #compareAndSet} and {@link #claim} change a run only if its status and version are still the ones
 *       expected; a run is handed to at most one owner at a time.
 *   <li>A run is never deleted except by {@link #deleteFinishedBefore} once terminal.
 *   <li>Failures of the underlying storage surface as {@link dev.postpurchase.core.StoreException}.
 * </ul>
 */
public interface ActionStateStore extends AutoCloseable {

    /**
     * A store that keeps everything in this JVM's memory: for tests, examples and single-node use without restarts.
     * It keeps every finished run until {@link #deleteFinishedBefore} removes it (about 2.7 KB per order with
     * three actions, as measured in BENCHMARKS.md), so call that regularly in a long-running process.
     */
    static ActionStateStore inMemory() {
        return new InMemoryActionStateStore();
    }

    /**
     * Records a trigger and its runs in one step, unless a trigger with the same key exists: then nothing is written
     * and the existing runs are returned with {@code created == false}.
     */
    CreateResult create(Trigger trigger, List<ActionRun> runs);

    Optional<Trigger> trigger(TriggerKind kind, String triggerId);

    Optional<ActionRun> run(String runId);

    /** The runs of one trigger, oldest first (ties by id). */
    List<ActionRun> runs(TriggerKind kind, String triggerId);

    /**
     * Takes up to {@code limit} runs for {@code owner}, each with {@link ActionRun#claim}: PENDING runs due at or
     * before {@code now}, earliest first, and RUNNING runs whose heartbeat is older than {@code staleBefore} and
     * whose type is in {@code recoverableTypes}. Never returns a run to two callers.
     */
    List<ActionRun> claim(String owner, Instant now, int limit, Instant staleBefore, Set<String> recoverableTypes);

    /**
     * Replaces {@code expected} with {@code replacement} if the stored run still has {@code expected}'s status and
     * version. {@code replacement.version()} must be {@code expected.version() + 1}.
     *
     * @return false when someone else changed the run first
     * @throws IllegalArgumentException when the two are not the same run or the version does not follow
     */
    boolean compareAndSet(ActionRun expected, ActionRun replacement);

    /** Renews the lease of a RUNNING run held by {@code owner}; false when it is no longer held by it. */
    boolean heartbeat(String runId, String owner, Instant now);

    /** RUNNING runs whose heartbeat is older than {@code heartbeatBefore}, for the dashboard's force re-run. */
    List<ActionRun> staleRuns(Instant heartbeatBefore, int limit);

    /** When the earliest PENDING run is due, if any. */
    Optional<Instant> nextDueAt();

    /**
     * Marks a trigger completed if it is not yet. Returns true to exactly one caller over the trigger's lifetime, so
     * completion is reported once even when several nodes see the last run succeed.
     */
    boolean markCompleted(TriggerKind kind, String triggerId, Instant now);

    /**
     * Triggers not marked completed although every run of theirs has SUCCEEDED (or that have no runs): a completion
     * whose recording was cut short by a crash or a storage failure. The pipeline sweeps these regularly and marks
     * them completed, so completion is never lost. At most {@code limit}, any order. The default returns none, which
     * only suits stores that cannot tell; the contract kit requires a real answer.
     */
    default List<Trigger> finishedButNotCompleted(int limit) {
        return List.of();
    }

    /**
     * Deletes at most {@code batchSize} triggers whose runs are all terminal and last changed before {@code cutoff}
     * (and that were created before it), with their runs. Returns how many rows were deleted, triggers and runs
     * together; call again until it returns 0. A deleted order is forgotten: submitting it again creates its runs
     * again, so keep the cutoff well beyond the time an order can be redelivered.
     */
    int deleteFinishedBefore(Instant cutoff, int batchSize);

    /**
     * Calls {@code wakeUp} when another process has added work, if the store can tell (PostgreSQL LISTEN/NOTIFY).
     * The default does nothing: the pipeline falls back to polling.
     */
    default AutoCloseable onWorkAdded(Runnable wakeUp) {
        return () -> {};
    }

    /** Releases the store's resources. The default does nothing. */
    @Override
    default void close() {}
}
