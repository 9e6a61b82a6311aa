package dev.postpurchase.core.spi;

import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.action.PaymentScope;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.retry.RetryPolicy;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Runs one action type. Registered with the pipeline by {@link #type()}.
 *
 * <p><b>Concurrency:</b> {@link #execute} is called from worker threads, for different runs at once; an
 * implementation must be thread-safe. The pipeline never runs one run twice at the same time unless a user forces
 * a re-run or a worker died mid-call and the executor declared itself {@link #idempotent()}.
 *
 * <p><b>Needs are declared, not re-checked.</b> What an executor needs before it can run is declared by {@link
 * #triggerKinds()}, {@link #needsOrder()}, {@link #needsEvent()} and {@link #integration()}; the pipeline applies them once, with one
 * wording, before {@link #execute} is called (and when a definition is saved), so {@code execute} never checks
 * them again. {@link #resolve} turns a config into what an attempt works with (parsed secrets, a checked URL), once
 * per distinct config snapshot on a node; {@code execute} reads it from {@link ExecutionContext#resolved(Class)}.
 * {@link dev.postpurchase.core.ActionExecutors#attempt} makes an attempt the way the pipeline does, for tests.
 *
 * <p><b>Failures:</b> return an {@link ExecutionOutcome}; map a failed hand-over with {@link
 * ExecutionOutcome#failed(DeliveryException)}. A {@link dev.postpurchase.core.ValidationException} thrown by
 * {@code execute} fails the run for good with its message; any other exception is recorded as a retryable failure
 * with the exception's type and message. Every call to an outside system must carry {@link
 * ExecutionContext#idempotencyKey()} where the peer supports it.
 *
 * @param <C> the typed config, a JSON-serialisable record
 */
public interface ActionExecutor<C> {

    /** The type name definitions use, for example {@code webhook}; unique in a pipeline. */
    String type();

    /** The config record the definition's JSON is read into. */
    Class<C> configType();

    /** The levels this action may hang on; all three by default. */
    default Set<ActionLevel> levels() {
        return EnumSet.allOf(ActionLevel.class);
    }

    /**
     * The triggers this action applies to; both by default. An action that only makes sense for an event (revoking
     * access on a refund, a postback) returns {@code EVENT} only: it is then never run for a paid order, even though
     * its definition hangs on a product, offer or checkout.
     */
    default Set<TriggerKind> triggerKinds() {
        return EnumSet.allOf(TriggerKind.class);
    }

    /**
     * Whether an attempt needs an order; false by default. When true, the pipeline fails a run whose trigger has no
     * order for good ("the {type} action needs an order, but the {trigger} trigger has none") instead of calling
     * {@link #execute}, which may then rely on {@link ExecutionContext#requireOrder()}.
     */
    default boolean needsOrder() {
        return false;
    }

    /**
     * Whether an attempt needs a shop event; false by default. When true, the pipeline fails a run whose trigger is
     * a paid order for good ("the {type} action needs a shop event, but the {trigger} trigger has none") instead of
     * calling {@link #execute}.
     */
    default boolean needsEvent() {
        return false;
    }

    /**
     * The integration this action belongs to, which must be enabled in the integration settings; none by default.
     * The pipeline refuses to save a definition while it is off ({@link
     * dev.postpurchase.core.IntegrationNotEnabledException} on {@code integration}) and fails an attempt made after it
     * was switched off, for good, with {@link RequiredIntegration#unavailableReason(String)}.
     */
    default @org.jspecify.annotations.Nullable RequiredIntegration integration() {
        return null;
    }

    /**
     * Which payments of a purchase this action runs on when its definition does not say ({@code
     * ActionDefinition#runsOn()}). The first payment only by default: a subscription renewal or a payment-plan
     * instalment must not grant access, send a welcome email or issue a licence again. An action that belongs to
     * every payment (a receipt, a webhook that records revenue) returns {@link PaymentScope#EVERY_PAYMENT}.
     */
    default PaymentScope defaultPaymentScope() {
        return PaymentScope.FIRST_PAYMENT_ONLY;
    }

    /**
     * Checks a config when a definition is saved and again when a trigger snapshots it. Throws {@link
     * dev.postpurchase.core.ValidationException} (or {@link dev.postpurchase.core.IntegrationNotEnabledException})
     * naming every bad field. Must not call outside systems.
     */
    default void validate(C config) {}

    /**
     * Validates {@code config} and returns what {@link #execute} works with, read from {@link
     * ExecutionContext#resolved(Class)}: parsed secrets, a checked URL. Called once per distinct config snapshot on a
     * node (the pipeline keeps the result), never per attempt. By default {@link #validate} and the config itself.
     * Must not call outside systems.
     *
     * @throws dev.postpurchase.core.ValidationException naming every bad field
     */
    default Object resolve(C config) {
        validate(config);
        return config;
    }

    /**
     * Why staff may not re-run {@code run} by hand, or null when they may (the default). The postback executor limits
     * manual retries to the events the notifications seed lists.
     *
     * @param event the run's event, or null for an order's run
     */
    default @org.jspecify.annotations.Nullable String manualRerunRefusal(
            dev.postpurchase.core.action.ActionRun run,
            dev.postpurchase.core.event.@org.jspecify.annotations.Nullable ShopEvent event) {
        return null;
    }

    /** Runs one attempt. */
    ExecutionOutcome execute(ExecutionContext<C> context);

    /**
     * Whether running this action twice for the same run has the same effect as once (the peer deduplicates by the
     * idempotency key, or the action checks before it acts). Only idempotent runs are recovered automatically when
     * their worker dies; the others wait for a force re-run.
     */
    boolean idempotent();

    /** The policy used when the definition sets none. */
    RetryPolicy defaultRetryPolicy();

    /**
     * The definitions of this type every new checkout gets ({@link DefinitionStore#checkoutCreated}); none by
     * default. Ids must be derived from the checkout id alone, so adding them twice finds the first ones.
     */
    default List<ActionDefinition> definitionsForNewCheckout(String checkoutId) {
        return List.of();
    }
}
