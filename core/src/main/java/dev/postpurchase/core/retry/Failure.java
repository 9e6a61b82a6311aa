package dev.postpurchase.core.retry;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What went wrong in one retryable attempt, as far as a retry policy needs to know.
 *
 * @param reason human-readable and free of secrets; recorded as the run's last error
 * @param statusCode the HTTP (or HTTP-like) status the peer answered, if any
 * @param timedOut whether the peer did not answer in time
 * @param retryAfter the earliest retry the peer asked for ({@code Retry-After}), if any
 */
public record Failure(String reason, @Nullable Integer statusCode, boolean timedOut, @Nullable Duration retryAfter) {
    /** A failure with only a reason: a connection error or an exception. */
    public static Failure of(String reason) {
        return new Failure(reason, null, false, null);
    }
}
