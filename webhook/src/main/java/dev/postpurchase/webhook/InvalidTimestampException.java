package dev.postpurchase.webhook;

/**
 * The {@code webhook-timestamp} is not a number of seconds, or lies outside the verifier's tolerance: too old (a
 * possible replay) or too new (clock skew or forgery).
 */
public class InvalidTimestampException extends WebhookVerificationException {
    /** What is wrong with the timestamp. */
    public enum Problem {
        NOT_A_NUMBER,
        TOO_OLD,
        TOO_NEW
    }

    private final Problem problem;

    public InvalidTimestampException(Problem problem, String message) {
        super(message);
        this.problem = problem;
    }

    /** What is wrong with the timestamp. */
    public Problem problem() {
        return problem;
    }
}
