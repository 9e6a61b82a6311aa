package dev.postpurchase.systemeio;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The call was not made, or was refused, because of the rate limit: either the API answered 429, or this SDK's
 * {@link SystemeIoThrottle} would have had to wait longer than it may block. {@link #retryAfter()} is the wait
 * before trying again: the API's {@code Retry-After}, else its {@code X-RateLimit-Refill}, else the client's
 * fallback, or the throttle's computed wait. Retryable.
 */
public class SystemeIoRateLimitedException extends SystemeIoException {
    private final Duration wait;
    private final boolean announced;

    /**
     * @param statusCode 429 when the API refused the call, 0 when the local throttle did not make it
     * @param wait the wait before trying again, not negative
     * @param announced whether the API (or the throttle) stated the wait, as opposed to a fallback guess
     */
    public SystemeIoRateLimitedException(
            String message, int statusCode, List<ApiViolation> violations, Duration wait, boolean announced) {
        super(message, statusCode, violations);
        this.wait = Objects.requireNonNull(wait, "wait");
        this.announced = announced;
    }

    @Override
    public boolean retryable() {
        return true;
    }

    @Override
    public Duration retryAfter() {
        return wait;
    }

    /** Whether the wait was stated by the API or computed by the throttle, rather than the fallback. */
    public boolean announced() {
        return announced;
    }

    /** Whether the API itself refused the call (429), as opposed to the local throttle. */
    public boolean fromServer() {
        return statusCode() == 429;
    }
}
