package dev.postpurchase.core.retry;

import java.time.Duration;
import java.util.Optional;

/**
 * Retries every {@code interval}, at most {@code maxRetries} times (the fulfillment default: every 10 minutes, 4
 * times).
 */
public record FixedIntervalRetry(Duration interval, int maxRetries) implements RetryPolicy {
    public FixedIntervalRetry {
        PolicyArguments.requirePositive("interval", interval);
        PolicyArguments.requireRetries(maxRetries);
    }

    @Override
    public Optional<Duration> nextDelay(int attemptsMade, Failure failure) {
        if (attemptsMade > maxRetries) {
            return Optional.empty();
        }
        return Optional.of(RetryPolicy.honourRetryAfter(interval, failure));
    }
}
