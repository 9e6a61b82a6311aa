package dev.postpurchase.http;

import dev.postpurchase.core.spi.DeliveryException;
import org.jspecify.annotations.Nullable;

/**
 * Root of every failure of the {@link GuardedHttpClient}. Messages name the target only through
 * {@link SafeUrls#redact(String)}, so they never carry query strings, path tokens, header values or bodies. A
 * {@link DeliveryException}: executors map it with {@link
 * dev.postpurchase.core.spi.ExecutionOutcome#failed(DeliveryException)} (or {@link HttpOutcomes#of(HttpCallException)}),
 * timeouts, connection failures and oversized responses retryable, the rest permanent.
 */
public class HttpCallException extends DeliveryException {
    private final String redactedUrl;

    public HttpCallException(String redactedUrl, String message) {
        this(redactedUrl, message, false, null);
    }

    public HttpCallException(String redactedUrl, String message, Throwable cause) {
        this(redactedUrl, message, false, cause);
    }

    /** A failure that is {@code retryable} or not. */
    protected HttpCallException(String redactedUrl, String message, boolean retryable, @Nullable Throwable cause) {
        super(message, retryable, cause);
        this.redactedUrl = redactedUrl;
    }

    /** The target URL with its secrets removed, as produced by {@link SafeUrls#redact(String)}. */
    public String redactedUrl() {
        return redactedUrl;
    }
}
