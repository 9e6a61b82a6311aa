package dev.postpurchase.systemeio;

import dev.postpurchase.core.spi.DeliveryException;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The Systeme.io API answered with an error. The message names the operation, the HTTP status and the API's own
 * description and violation messages; it never contains the API key. Subclasses name the common causes; an
 * instance of this class itself is an unexpected client error (for example 405 or 409) that a retry will not fix.
 */
public class SystemeIoException extends DeliveryException {
    private final int statusCode;
    private final List<ApiViolation> violations;

    public SystemeIoException(String message, int statusCode, List<ApiViolation> violations) {
        super(message, false);
        this.statusCode = statusCode;
        this.violations = List.copyOf(violations);
    }

    /** The HTTP status the API answered; 0 when the local throttle refused the call before sending it. */
    public int statusCode() {
        return statusCode;
    }

    /** The {@link #statusCode()}, or null when the local throttle refused the call before sending it. */
    @Override
    public @Nullable Integer peerStatus() {
        return statusCode == 0 ? null : statusCode;
    }

    /** The API's violations ({@code violations[]} of the problem body); empty when it sent none. */
    public List<ApiViolation> violations() {
        return violations;
    }

    /** Whether any violation is about {@code property} (see {@link ApiViolation#concerns}). */
    public boolean hasViolationFor(String property) {
        return violations.stream().anyMatch(v -> v.concerns(property));
    }

    /** Whether trying the same call again later may succeed; false unless a subclass says otherwise. */
    @Override
    public boolean retryable() {
        return false;
    }

    /** The earliest sensible retry, when the API or the throttle said; null otherwise. */
    @Override
    public @Nullable Duration retryAfter() {
        return null;
    }
}
