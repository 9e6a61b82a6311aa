package dev.postpurchase.core.retry;

import dev.postpurchase.core.ValidationException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Retries after {@code initial * multiplier^(n-1)}, each delay spread by up to {@code jitter} (a fraction, 0 to 1)
 * either way so that many failing runs do not retry in lockstep, and never longer than {@code max}.
 */
public record ExponentialBackoffRetry(Duration initial, double multiplier, Duration max, int maxRetries, double jitter)
        implements RetryPolicy {
    public ExponentialBackoffRetry {
        PolicyArguments.requirePositive("initial", initial);
        PolicyArguments.requirePositive("max", max);
        PolicyArguments.requireRetries(maxRetries);
        if (!(multiplier >= 1.0 && multiplier <= 100)) {
            throw new ValidationException("multiplier", "must be between 1 and 100");
        }
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new ValidationException("jitter", "must be between 0 and 1");
        }
        if (max.compareTo(initial) < 0) {
            throw new ValidationException("max", "must not be shorter than initial");
        }
    }

    @Override
    public Optional<Duration> nextDelay(int attemptsMade, Failure failure) {
        if (attemptsMade > maxRetries) {
            return Optional.empty();
        }
        double base = initial.toMillis() * Math.pow(multiplier, Math.max(0, attemptsMade - 1));
        double spread = jitter == 0 ? 0 : ThreadLocalRandom.current().nextDouble(-jitter, jitter);
        long millis = Math.max(1, Math.round(Math.min(base * (1 + spread), max.toMillis())));
        return Optional.of(RetryPolicy.honourRetryAfter(Duration.ofMillis(millis), failure));
    }
}
