package dev.postpurchase.core.spi;

import dev.postpurchase.core.PostpurchaseException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A call to an outside system or a hand-over to the customer (by email, over HTTP, to an integration's API) failed;
 * {@link #retryable()} says whether trying again may help. Every executor maps it onto an outcome the same way,
 * with {@link ExecutionOutcome#failed(DeliveryException)}: subclasses only say what they know ({@link
 * #peerStatus()}, {@link #timedOut()}, {@link #retryAfter()}).
 */
public class DeliveryException extends PostpurchaseException {
    private final boolean retryable;

    public DeliveryException(String message, boolean retryable, @Nullable Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public DeliveryException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    /** Whether trying the same call again later may succeed. */
    public boolean retryable() {
        return retryable;
    }

    /** The status or reply code the peer answered with, when it answered; null by default. */
    public @Nullable Integer peerStatus() {
        return null;
    }

    /** Whether the peer did not answer in time; false by default. */
    public boolean timedOut() {
        return false;
    }

    /** How long the peer asked to wait before the next try, when it said; null by default. */
    public @Nullable Duration retryAfter() {
        return null;
    }
}
