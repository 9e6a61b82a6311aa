package dev.postpurchase.webhook;

import dev.postpurchase.core.PostpurchaseException;

/**
 * Root of every reason {@link StandardWebhookVerifier} rejects a message. A receiver should answer such a request
 * with 400 (or 401) and not process it. Messages never contain the secret, the signatures or the body.
 */
public class WebhookVerificationException extends PostpurchaseException {
    public WebhookVerificationException(String message) {
        super(message);
    }
}
