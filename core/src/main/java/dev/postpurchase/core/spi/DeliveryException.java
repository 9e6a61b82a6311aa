package dev.postpurchase.core.spi;

import dev.postpurchase.core.PostpurchaseException;
import org.jspecify.annotations.Nullable;

/** A hand-over to the customer (for example by email) failed; {@link #retryable()} says whether to try again. */
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

    public boolean retryable() {
        return retryable;
    }
}
