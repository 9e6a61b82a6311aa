package dev.postpurchase.webhook;

/** A required header ({@code webhook-id}, {@code webhook-timestamp} or {@code webhook-signature}) is absent or blank. */
public class MissingHeaderException extends WebhookVerificationException {
    private final String header;

    public MissingHeaderException(String header) {
        super("missing header " + header);
        this.header = header;
    }

    /** The lower-case name of the missing header. */
    public String header() {
        return header;
    }
}
