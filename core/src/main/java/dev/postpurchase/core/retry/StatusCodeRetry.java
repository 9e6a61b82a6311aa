package dev.postpurchase.core.retry;

import dev.postpurchase.core.ValidationException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Retries only when the peer answered one of the listed status codes, at most {@code maxRetries} times, after
 * {@code delay}. A timeout, a connection error or any other status ends the run: it can then only be re-run by
 * hand (the postback rule: "we will not retry it automatically" after a timeout).
 */
public record StatusCodeRetry(Set<Integer> statusCodes, Duration delay, int maxRetries) implements RetryPolicy {
    /** The postback default: 408, 429, 500, 502, 503, 504. */
    public static final Set<Integer> DEFAULT_CODES = Set.of(408, 429, 500, 502, 503, 504);

    public StatusCodeRetry {
        PolicyArguments.requirePositive("delay", delay);
        PolicyArguments.requireRetries(maxRetries);
        if (statusCodes == null || statusCodes.isEmpty()) {
            throw new ValidationException("statusCodes", "must list at least one status code");
        }
        for (Integer code : statusCodes) {
            if (code == null || code < 100 || code > 599) {
                throw new ValidationException("statusCodes", "must be HTTP status codes between 100 and 599");
            }
        }
        statusCodes = java.util.Collections.unmodifiableSet(new TreeSet<>(statusCodes));
    }

    @Override
    public Optional<Duration> nextDelay(int attemptsMade, Failure failure) {
        if (attemptsMade > maxRetries || failure.timedOut() || failure.statusCode() == null) {
            return Optional.empty();
        }
        if (!statusCodes.contains(failure.statusCode())) {
            return Optional.empty();
        }
        return Optional.of(RetryPolicy.honourRetryAfter(delay, failure));
    }
}
