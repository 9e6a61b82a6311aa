package dev.postpurchase.systemeio;

import java.util.List;

/** The contact or tag addressed does not exist (404), for example a tag deleted in Systeme.io. Not retryable. */
public class SystemeIoNotFoundException extends SystemeIoException {
    public SystemeIoNotFoundException(String message, List<ApiViolation> violations) {
        super(message, 404, violations);
    }
}
