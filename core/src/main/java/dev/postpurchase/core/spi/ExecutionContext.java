package dev.postpurchase.core.spi;

import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.event.ShopEvent;
import dev.postpurchase.core.order.Order;
import java.time.Clock;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Everything an executor gets for one attempt.
 *
 * @param run the run as claimed (RUNNING, {@code attempts} already counts this attempt)
 * @param config the run's config snapshot, read into the executor's config type
 * @param order the paid order, or the event's order; null for events without one
 * @param event the event that triggered the run; null for order runs
 * @param clock the pipeline's clock; use it instead of the system clock
 */
public record ExecutionContext<C>(
        ActionRun run, C config, @Nullable Order order, @Nullable ShopEvent event, Clock clock) {

    /** The stable key every outside call of this run must carry; see {@link ActionRun#idempotencyKey()}. */
    public String idempotencyKey() {
        return run.idempotencyKey();
    }

    /** The attempt number in the current budget, starting at 1. */
    public int attempt() {
        return run.attempts();
    }

    /** The result recorded by an earlier attempt of this run (for resuming multi-part work), if any. */
    public @Nullable String previousResult() {
        return run.result();
    }

    public Instant now() {
        return clock.instant();
    }

    /** Names the run only: the config may hold secrets and the order personal data. */
    @Override
    public String toString() {
        return "ExecutionContext[run=" + run.id() + ", type=" + run.type() + ", attempt=" + run.attempts() + "]";
    }

    /** The order, or a {@link dev.postpurchase.core.ValidationException} when this trigger has none. */
    public Order requireOrder() {
        if (order == null) {
            throw new dev.postpurchase.core.ValidationException(
                    "order", "this action needs an order, but the " + run.triggerKey() + " trigger has none");
        }
        return order;
    }
}
