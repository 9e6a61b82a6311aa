package dev.postpurchase.webhook;

/**
 * No {@code v1} signature in {@code webhook-signature} matches the body with any of the verifier's secrets: the body
 * was changed (often by a framework parsing and re-serialising it), the secret is wrong, or the message is forged.
 */
public class SignatureMismatchException extends WebhookVerificationException {
    public SignatureMismatchException(String message) {
        super(message);
    }
}
