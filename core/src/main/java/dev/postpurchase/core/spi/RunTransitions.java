package dev.postpurchase.core.spi;

import dev.postpurchase.core.action.RunState;
import dev.postpurchase.core.action.RunStatus;
import java.time.Instant;

/**
 * The state each store operation writes, for store implementations: a store that computes new states in Java (the
 * in-memory store, or a key-value store) uses these so every store changes runs alike; a SQL store may write the
 * same in its statements. Each returns a new value with {@code version} plus one (except {@link #heartbeat}); none
 * changes anything by itself.
 */
public final class RunTransitions {
    private RunTransitions() {}

    /** Taken by {@code owner}: RUNNING, one more attempt, lease renewed at {@code now}. */
    public static RunState claimed(RunState s, String owner, Instant now) {
        return new RunState(
                RunStatus.RUNNING,
                s.version() + 1,
                s.attempts() + 1,
                s.totalAttempts() + 1,
                null,
                s.lastError(),
                s.lastStatusCode(),
                s.result(),
                s.skipReason(),
                owner,
                now,
                s.rerunCount(),
                s.redeliveries(),
                now);
    }

    /** Given back unstarted by its owner (a graceful shutdown): PENDING and due at {@code now}, the attempt undone. */
    public static RunState released(RunState s, Instant now) {
        return new RunState(
                RunStatus.PENDING,
                s.version() + 1,
                Math.max(0, s.attempts() - 1),
                Math.max(0, s.totalAttempts() - 1),
                now,
                s.lastError(),
                s.lastStatusCode(),
                s.result(),
                s.skipReason(),
                null,
                null,
                s.rerunCount(),
                s.redeliveries(),
                now);
    }

    /** The end of an attempt: SUCCEEDED, FAILED, or PENDING due {@code retryDelay} after {@code now}. */
    public static RunState finished(RunState s, AttemptResult r, Instant now) {
        boolean succeeded = r.status() == RunStatus.SUCCEEDED;
        Instant next = r.retryDelay() == null ? null : now.plus(r.retryDelay());
        return new RunState(
                r.status(),
                s.version() + 1,
                s.attempts(),
                s.totalAttempts(),
                next,
                succeeded ? null : r.error(),
                succeeded ? null : r.statusCode(),
                r.result() != null || succeeded ? r.result() : s.result(),
                succeeded ? r.skipReason() : null,
                null,
                null,
                s.rerunCount(),
                s.redeliveries(),
                now);
    }

    /**
     * A manual re-run: PENDING and due at {@code now} with a fresh budget and no error. The result of a run that had
     * not succeeded is kept, so a multi-unit executor does not repeat finished units.
     */
    public static RunState requeued(RunState s, boolean redeliver, Instant now) {
        return new RunState(
                RunStatus.PENDING,
                s.version() + 1,
                0,
                s.totalAttempts(),
                now,
                null,
                null,
                s.status() == RunStatus.SUCCEEDED ? null : s.result(),
                null,
                null,
                null,
                s.rerunCount() + 1,
                s.redeliveries() + (redeliver ? 1 : 0),
                now);
    }

    /** A waiting retry brought forward: due at {@code now}, everything else kept. */
    public static RunState dueNow(RunState s, Instant now) {
        return new RunState(
                s.status(),
                s.version() + 1,
                s.attempts(),
                s.totalAttempts(),
                now,
                s.lastError(),
                s.lastStatusCode(),
                s.result(),
                s.skipReason(),
                s.owner(),
                s.heartbeatAt(),
                s.rerunCount(),
                s.redeliveries(),
                now);
    }

    /** The same state with the lease renewed at {@code now}; the version is unchanged (not a state change). */
    public static RunState heartbeat(RunState s, Instant now) {
        return new RunState(
                s.status(),
                s.version(),
                s.attempts(),
                s.totalAttempts(),
                s.nextAttemptAt(),
                s.lastError(),
                s.lastStatusCode(),
                s.result(),
                s.skipReason(),
                s.owner(),
                now,
                s.rerunCount(),
                s.redeliveries(),
                s.updatedAt());
    }
}
