package dev.postpurchase.core.spi;

import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.AttemptRecord;
import dev.postpurchase.core.action.RunStatus;
import dev.postpurchase.core.internal.StoredText;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The end of one attempt, as {@link ActionStateStore#recordOutcomes} writes it: a compare-and-set from the RUNNING
 * state the attempt was claimed with ({@code claimedVersion}, held by {@code owner}) to SUCCEEDED, FAILED, or PENDING
 * again for a retry after {@code retryDelay}. In {@code error}, {@code result} and {@code skipReason} each NUL
 * character is replaced by U+FFFD, as in {@link dev.postpurchase.core.action.RunState}.
 *
 * @param retryDelay for PENDING: how long after the store's now the retry is due; null otherwise
 * @param error the failure's reason (FAILED, PENDING); null on success
 * @param statusCode the peer's status code of a failure, if any
 * @param result what the attempt returned, or the partial result to keep (a licence key, units done)
 * @param skipReason set when a SUCCEEDED action was skipped
 * @param attempt the attempt for the run's history, or null to record none
 */
public record AttemptResult(
        String runId,
        String owner,
        long claimedVersion,
        RunStatus status,
        @Nullable Duration retryDelay,
        @Nullable String error,
        @Nullable Integer statusCode,
        @Nullable String result,
        @Nullable String skipReason,
        @Nullable AttemptRecord attempt) {

    public AttemptResult {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(status, "status");
        if (status == RunStatus.RUNNING) {
            throw new IllegalArgumentException("an attempt ends SUCCEEDED, FAILED or PENDING, not RUNNING");
        }
        if ((status == RunStatus.PENDING) != (retryDelay != null)) {
            throw new IllegalArgumentException("a retry delay is required for PENDING and only for PENDING");
        }
        if (retryDelay != null && retryDelay.isNegative()) {
            throw new IllegalArgumentException("retryDelay must not be negative");
        }
        if (status != RunStatus.SUCCEEDED && error == null) {
            throw new IllegalArgumentException("a failure needs its reason");
        }
        error = StoredText.withoutNul(error);
        result = StoredText.withoutNul(result);
        skipReason = StoredText.withoutNul(skipReason);
    }

    /** Succeeded, with an optional result, or skipped when {@code skipReason} is set. */
    public static AttemptResult succeeded(ActionRun claimed, @Nullable String result, @Nullable String skipReason) {
        return new AttemptResult(
                claimed.id(),
                owner(claimed),
                claimed.version(),
                RunStatus.SUCCEEDED,
                null,
                null,
                null,
                result,
                skipReason,
                null);
    }

    /** Failed; tried again after {@code delay}. */
    public static AttemptResult retry(
            ActionRun claimed,
            Duration delay,
            String error,
            @Nullable Integer statusCode,
            @Nullable String partialResult) {
        return new AttemptResult(
                claimed.id(),
                owner(claimed),
                claimed.version(),
                RunStatus.PENDING,
                delay,
                error,
                statusCode,
                partialResult,
                null,
                null);
    }

    /** Failed for good (until a manual re-run). */
    public static AttemptResult failed(
            ActionRun claimed, String error, @Nullable Integer statusCode, @Nullable String partialResult) {
        return new AttemptResult(
                claimed.id(),
                owner(claimed),
                claimed.version(),
                RunStatus.FAILED,
                null,
                error,
                statusCode,
                partialResult,
                null,
                null);
    }

    /** This result with the attempt to add to the run's history. */
    public AttemptResult withAttempt(AttemptRecord record) {
        return new AttemptResult(
                runId, owner, claimedVersion, status, retryDelay, error, statusCode, result, skipReason, record);
    }

    private static String owner(ActionRun claimed) {
        String owner = claimed.owner();
        if (claimed.status() != RunStatus.RUNNING || owner == null) {
            throw new IllegalArgumentException("run " + claimed.id() + " is not claimed");
        }
        return owner;
    }

    @Override
    public String toString() {
        return "AttemptResult[run=" + runId + ", status=" + status + ", retryDelay=" + retryDelay + "]";
    }
}
