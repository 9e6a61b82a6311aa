package dev.postpurchase.systemeio;

import java.util.List;

/**
 * The API rejected the request's data (400 or 422), for example an email that is already used, a field value that
 * is too long or an unknown locale. {@link #violations()} carries the API's messages by property. Not retryable
 * with the same data.
 */
public class SystemeIoValidationException extends SystemeIoException {
    public SystemeIoValidationException(String message, int statusCode, List<ApiViolation> violations) {
        super(message, statusCode, violations);
    }
}
