package dev.postpurchase.core.retry;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a retryable failure is tried again and after how long. Policies are immutable values that
 * serialise to JSON, so they are part of a run's snapshot. {@code maxRetries} counts retries after the first
 * attempt: {@code fixed(10 min, 4)} makes at most five attempts. A {@code Retry-After} from the peer is honoured:
 * the delay is never shorter than it (capped at {@link #MAX_RETRY_AFTER}). A manual re-run starts a fresh budget.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = NoRetry.class, name = "none"),
    @JsonSubTypes.Type(value = FixedIntervalRetry.class, name = "fixed"),
    @JsonSubTypes.Type(value = ExponentialBackoffRetry.class, name = "exponential"),
    @JsonSubTypes.Type(value = StatusCodeRetry.class, name = "status-codes")
})
public sealed interface RetryPolicy permits NoRetry, FixedIntervalRetry, ExponentialBackoffRetry, StatusCodeRetry {

    /** The longest {@code Retry-After} honoured; a peer asking for more is retried after this. */
    Duration MAX_RETRY_AFTER = Duration.ofHours(24);

    /**
     * The delay before the next attempt, or empty to give up.
     *
     * @param attemptsMade attempts made in the current budget, including the one that just failed (>= 1)
     * @param failure the failure of that attempt
     */
    Optional<Duration> nextDelay(int attemptsMade, Failure failure);

    /** Never retries. */
    static RetryPolicy none() {
        return new NoRetry();
    }

    /** Retries after the same interval, at most {@code maxRetries} times. */
    static RetryPolicy fixed(Duration interval, int maxRetries) {
        return new FixedIntervalRetry(interval, maxRetries);
    }

    /** Exponential backoff from {@code initial}, doubling, capped at {@code max}, with 20% jitter. */
    static RetryPolicy exponential(Duration initial, Duration max, int maxRetries) {
        return new ExponentialBackoffRetry(initial, 2.0, max, maxRetries, 0.2);
    }

    /** Retries only when the peer answered one of {@code statusCodes}; never after a timeout or other failures. */
    static RetryPolicy onStatusCodes(Set<Integer> statusCodes, Duration delay, int maxRetries) {
        return new StatusCodeRetry(statusCodes, delay, maxRetries);
    }

    /** Applies {@code Retry-After} to a policy's own delay. */
    static Duration honourRetryAfter(Duration policyDelay, Failure failure) {
        Duration retryAfter = failure.retryAfter();
        if (retryAfter == null || retryAfter.isNegative()) {
            return policyDelay;
        }
        Duration capped = retryAfter.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter;
        return capped.compareTo(policyDelay) > 0 ? capped : policyDelay;
    }
}
