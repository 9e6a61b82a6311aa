package dev.postpurchase.http;

import dev.postpurchase.core.PostpurchaseException;

/**
 * Root of every failure of the {@link GuardedHttpClient}. Messages name the target only through
 * {@link SafeUrls#redact(String)}, so they never carry query strings, path tokens, header values or bodies.
 */
public class HttpCallException extends PostpurchaseException {
    private final String redactedUrl;

    public HttpCallException(String redactedUrl, String message) {
        super(message);
        this.redactedUrl = redactedUrl;
    }

    public HttpCallException(String redactedUrl, String message, Throwable cause) {
        super(message, cause);
        this.redactedUrl = redactedUrl;
    }

    /** The target URL with its secrets removed, as produced by {@link SafeUrls#redact(String)}. */
    public String redactedUrl() {
        return redactedUrl;
    }
}
