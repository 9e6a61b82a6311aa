package dev.postpurchase.core.spi;

import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.event.ShopEvent;
import dev.postpurchase.core.order.Order;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Everything an executor gets for one attempt. The order and the event are read from the store only when an
 * executor first asks for them (an action that needs neither never pays for parsing them), and at most once per
 * trigger on a node. Used by one worker thread at a time.
 */
public final class ExecutionContext<C> {
    private final ActionRun run;
    private final C config;
    private final Clock clock;
    private final Supplier<@Nullable Order> orderSource;
    private final Supplier<@Nullable ShopEvent> eventSource;
    private boolean loaded;
    private @Nullable Order order;
    private @Nullable ShopEvent event;

    /**
     * A context with the order and event at hand (tests, direct calls).
     *
     * @param run the run as claimed (RUNNING, {@code attempts} already counts this attempt)
     * @param config the run's config snapshot, read into the executor's config type and validated
     * @param order the paid order, or the event's order; null for events without one
     * @param event the event that triggered the run; null for order runs
     * @param clock the pipeline's clock; use it instead of the system clock
     */
    public ExecutionContext(ActionRun run, C config, @Nullable Order order, @Nullable ShopEvent event, Clock clock) {
        this(run, config, clock, () -> order, () -> event);
    }

    private ExecutionContext(
            ActionRun run,
            C config,
            Clock clock,
            Supplier<@Nullable Order> orderSource,
            Supplier<@Nullable ShopEvent> eventSource) {
        this.run = Objects.requireNonNull(run, "run");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.orderSource = orderSource;
        this.eventSource = eventSource;
    }

    /**
     * A context whose order and event are loaded on first use, as the pipeline builds it: {@code orderSource} and
     * {@code eventSource} are called at most once each, on the thread that first asks.
     */
    public static <C> ExecutionContext<C> deferred(
            ActionRun run,
            C config,
            Clock clock,
            Supplier<@Nullable Order> orderSource,
            Supplier<@Nullable ShopEvent> eventSource) {
        return new ExecutionContext<>(run, config, clock, orderSource, eventSource);
    }

    /** The run as claimed (RUNNING, {@code attempts} already counts this attempt). */
    public ActionRun run() {
        return run;
    }

    /** The run's config snapshot, read into the executor's config type and validated. */
    public C config() {
        return config;
    }

    /** The paid order, or the event's order; null for events without one. */
    public @Nullable Order order() {
        load();
        return order;
    }

    /** The event that triggered the run; null for order runs. */
    public @Nullable ShopEvent event() {
        load();
        return event;
    }

    /** The pipeline's clock; use it instead of the system clock. */
    public Clock clock() {
        return clock;
    }

    private void load() {
        if (!loaded) {
            order = orderSource.get();
            event = eventSource.get();
            loaded = true;
        }
    }

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

    /** The order, or a {@link ValidationException} when this trigger has none. */
    public Order requireOrder() {
        Order value = order();
        if (value == null) {
            throw new ValidationException(
                    "order", "this action needs an order, but the " + run.triggerKey() + " trigger has none");
        }
        return value;
    }

    /** Names the run only: the config may hold secrets and the order personal data. */
    @Override
    public String toString() {
        return "ExecutionContext[run=" + run.id() + ", type=" + run.type() + ", attempt=" + run.attempts() + "]";
    }
}
