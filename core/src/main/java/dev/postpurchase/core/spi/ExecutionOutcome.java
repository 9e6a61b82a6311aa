package dev.postpurchase.core.spi;

import dev.postpurchase.core.retry.Failure;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The result of one attempt. Reasons are recorded on the run and shown in the dashboard: keep them free of secrets.
 * {@code partialResult} lets a multi-part executor record what it already finished, so the next attempt (found in
 * {@link ExecutionContext#previousResult()}) does not repeat it.
 */
public sealed interface ExecutionOutcome {

    /** The action did its work; {@code result} is recorded on the run (for example a licence key). */
    record Succeeded(@Nullable String result) implements ExecutionOutcome {}

    /** The action had nothing to do; counts as SUCCEEDED and the reason is recorded. */
    record Skipped(String reason) implements ExecutionOutcome {}

    /** Worth trying again, as the run's retry policy allows. */
    record RetryableFailure(Failure failure, @Nullable String partialResult) implements ExecutionOutcome {}

    /** Trying again will not help (bad config, rejected input): the run is FAILED at once. */
    record PermanentFailure(String reason, @Nullable Integer statusCode, @Nullable String partialResult)
            implements ExecutionOutcome {}

    static ExecutionOutcome succeeded() {
        return new Succeeded(null);
    }

    static ExecutionOutcome succeeded(@Nullable String result) {
        return new Succeeded(result);
    }

    static ExecutionOutcome skipped(String reason) {
        return new Skipped(reason);
    }

    static ExecutionOutcome retry(String reason) {
        return new RetryableFailure(Failure.of(reason), null);
    }

    /** A retryable failure with the peer's status, timeout flag and {@code Retry-After}. */
    static ExecutionOutcome retry(Failure failure, @Nullable String partialResult) {
        return new RetryableFailure(failure, partialResult);
    }

    static ExecutionOutcome retryAfter(String reason, Duration retryAfter) {
        return new RetryableFailure(new Failure(reason, null, false, retryAfter), null);
    }

    static ExecutionOutcome permanent(String reason) {
        return new PermanentFailure(reason, null, null);
    }

    static ExecutionOutcome permanent(String reason, @Nullable Integer statusCode) {
        return new PermanentFailure(reason, statusCode, null);
    }

    /**
     * The outcome of a failed call or hand-over, the same for every executor: retryable ones keep the status, the
     * timeout flag and the {@code Retry-After} for the retry policy; the others fail for good with the status.
     */
    static ExecutionOutcome failed(DeliveryException e) {
        return failed(e, "", null);
    }

    /**
     * As {@link #failed(DeliveryException)}, the reason prefixed by {@code prefix} and {@code partialResult} kept for
     * the next attempt.
     */
    static ExecutionOutcome failed(DeliveryException e, String prefix, @Nullable String partialResult) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String reason = prefix + message;
        if (e.retryable()) {
            return new RetryableFailure(
                    new Failure(reason, e.peerStatus(), e.timedOut(), e.retryAfter()), partialResult);
        }
        return new PermanentFailure(reason, e.peerStatus(), partialResult);
    }

    /** This outcome with {@code partialResult} recorded (failures only; a success or skip is returned as is). */
    default ExecutionOutcome withPartialResult(@Nullable String partialResult) {
        if (this instanceof RetryableFailure r) {
            return new RetryableFailure(r.failure(), partialResult);
        }
        if (this instanceof PermanentFailure p) {
            return new PermanentFailure(p.reason(), p.statusCode(), partialResult);
        }
        return this;
    }
}
