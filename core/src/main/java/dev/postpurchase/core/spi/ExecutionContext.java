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
    private final @Nullable Object resolved;
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
        this(run, config, null, clock, () -> order, () -> event);
    }

    private ExecutionContext(
            ActionRun run,
            C config,
            @Nullable Object resolved,
            Clock clock,
            Supplier<@Nullable Order> orderSource,
            Supplier<@Nullable ShopEvent> eventSource) {
        this.run = Objects.requireNonNull(run, "run");
        this.config = Objects.requireNonNull(config, "config");
        this.resolved = resolved;
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
        return new ExecutionContext<>(run, config, null, clock, orderSource, eventSource);
    }

    /**
     * This context with {@code resolved}, the executor's {@link ActionExecutor#resolve} of the config; the order and
     * the event stay as they are (loaded once, shared by both).
     */
    public ExecutionContext<C> withResolved(Object resolved) {
        Objects.requireNonNull(resolved, "resolved");
        return new ExecutionContext<>(run, config, resolved, clock, this::order, this::event);
    }

    /** The run as claimed (RUNNING, {@code attempts} already counts this attempt). */
    public ActionRun run() {
        return run;
    }

    /** The run's config snapshot, read into the executor's config type and validated. */
    public C config() {
        return config;
    }

    /**
     * What the executor's {@link ActionExecutor#resolve} made of the config (parsed secrets, a checked URL), as
     * {@code type}.
     *
     * @throws dev.postpurchase.core.PostpurchaseException when the context was built without it (call the executor through {@link
     *     dev.postpurchase.core.ActionExecutors#attempt}) or holds another type
     */
    public <R> R resolved(Class<R> type) {
        if (!type.isInstance(resolved)) {
            throw new dev.postpurchase.core.PostpurchaseException(
                    "the context of run " + run.id() + " holds no resolved config of type " + type.getSimpleName()
                            + "; make attempts through ActionExecutors.attempt");
        }
        return type.cast(resolved);
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

    /** The event, or a {@link ValidationException} when this trigger is an order. */
    public ShopEvent requireEvent() {
        ShopEvent value = event();
        if (value == null) {
            throw new ValidationException(
                    "event", "this action needs a shop event, but the " + run.triggerKey() + " trigger has none");
        }
        return value;
    }

    /** Names the run only: the config may hold secrets and the order personal data. */
    @Override
    public String toString() {
        return "ExecutionContext[run=" + run.id() + ", type=" + run.type() + ", attempt=" + run.attempts() + "]";
    }
}
