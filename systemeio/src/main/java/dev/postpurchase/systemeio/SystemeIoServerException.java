package dev.postpurchase.systemeio;

import java.util.List;

/** Systeme.io failed on its side (5xx), or answered 2xx with a body the client cannot read. Retryable with backoff. */
public class SystemeIoServerException extends SystemeIoException {
    public SystemeIoServerException(String message, int statusCode, List<ApiViolation> violations) {
        super(message, statusCode, violations);
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
