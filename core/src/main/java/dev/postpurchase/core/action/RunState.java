package dev.postpurchase.core.action;

import dev.postpurchase.core.internal.StoredText;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The part of a run that changes: every transition writes a new state with {@code version} plus one, as a
 * compare-and-set on the old status and version, and never touches the {@link RunSnapshot}. {@code toString} never
 * shows the result, which may hold personal data or a licence key. The free texts ({@code lastError}, {@code result},
 * {@code skipReason}) never hold a NUL character: each is replaced by U+FFFD, because PostgreSQL cannot store it and a
 * reason may echo hostile input.
 *
 * @param attempts attempts in the current budget; a manual re-run starts a new budget
 * @param totalAttempts every attempt ever made
 * @param nextAttemptAt when a PENDING run is due; null while RUNNING and once terminal
 * @param lastError the reason of the last failure, kept while awaiting a retry and on FAILED
 * @param lastStatusCode the peer's status in the last failed attempt, if any
 * @param result what the last successful (or partly successful) attempt returned, for example a licence key
 * @param skipReason set when the executor skipped the action (still SUCCEEDED)
 * @param owner the node holding a RUNNING run
 * @param heartbeatAt when the owner last renewed its lease
 * @param rerunCount manual re-runs so far
 * @param redeliveries re-runs that staff chose to deliver again (a succeeded run acknowledged, or a running one
 *     forced): each gives the run a new idempotency key, see {@link ActionRun#idempotencyKey()}
 */
public record RunState(
        RunStatus status,
        long version,
        int attempts,
        int totalAttempts,
        @Nullable Instant nextAttemptAt,
        @Nullable String lastError,
        @Nullable Integer lastStatusCode,
        @Nullable String result,
        @Nullable String skipReason,
        @Nullable String owner,
        @Nullable Instant heartbeatAt,
        int rerunCount,
        int redeliveries,
        Instant updatedAt) {

    public RunState {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(updatedAt, "updatedAt");
        lastError = StoredText.withoutNul(lastError);
        result = StoredText.withoutNul(result);
        skipReason = StoredText.withoutNul(skipReason);
    }

    /** The state of a new run: PENDING and due at {@code now}, nothing attempted. */
    public static RunState pending(Instant now) {
        return new RunState(RunStatus.PENDING, 0, 0, 0, now, null, null, null, null, null, null, 0, 0, now);
    }

    /** The state of a run that cannot run as configured: FAILED from the start with {@code reason}. */
    public static RunState failedAtCreation(String reason, Instant now) {
        return new RunState(RunStatus.FAILED, 0, 0, 0, null, reason, null, null, null, null, null, 0, 0, now);
    }

    @Override
    public String toString() {
        return "RunState[status=" + status + ", version=" + version + ", attempts=" + attempts + ", nextAttemptAt="
                + nextAttemptAt + ", owner=" + owner + "]";
    }
}
