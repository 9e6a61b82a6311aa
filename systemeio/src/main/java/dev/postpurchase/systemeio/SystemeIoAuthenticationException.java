package dev.postpurchase.systemeio;

import java.util.List;

/**
 * The API refused the API key (401 or 403): it is wrong, expired or revoked, or lacks a permission. Not retryable:
 * the merchant must replace the key in the integration settings.
 */
public class SystemeIoAuthenticationException extends SystemeIoException {
    public SystemeIoAuthenticationException(String message, int statusCode, List<ApiViolation> violations) {
        super(message, statusCode, violations);
    }
}
