package dev.postpurchase.core.retry;

import java.time.Duration;
import java.util.Optional;

/** Gives up after the first failure. */
public record NoRetry() implements RetryPolicy {
    @Override
    public Optional<Duration> nextDelay(int attemptsMade, Failure failure) {
        return Optional.empty();
    }
}
