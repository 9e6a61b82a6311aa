package dev.postpurchase.email.internal;

import dev.postpurchase.core.retry.Failure;
import dev.postpurchase.core.spi.DeliveryException;
import dev.postpurchase.core.spi.ExecutionOutcome;
import dev.postpurchase.email.EmailDeliveryException;

/** Turns a transport failure into an executor outcome. */
public final class Outcomes {
    private Outcomes() {}

    /** Retryable failures keep the reply code and timeout flag for the retry policy; the others are permanent. */
    public static ExecutionOutcome of(DeliveryException e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof EmailDeliveryException email) {
            if (email.retryable()) {
                return ExecutionOutcome.retry(new Failure(reason, email.replyCode(), email.timedOut(), null), null);
            }
            return ExecutionOutcome.permanent(reason, email.replyCode());
        }
        return e.retryable() ? ExecutionOutcome.retry(reason) : ExecutionOutcome.permanent(reason);
    }
}
