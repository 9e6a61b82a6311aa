package dev.postpurchase.core.action;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The record of one trigger in the store: a paid order or a published event, with its payload as JSON so any node
 * can execute its runs. {@code completedAt} is set once, when every run of the trigger has succeeded.
 *
 * @param id the order id or event id; unique per kind
 * @param payloadJson the order or event as JSON ({@code dev.postpurchase.core.PostpurchaseJson})
 * @param orderId the order this trigger is about: the order itself, or the event's order (a refund's, a declined
 *     transaction's); null for an event without one. Lets staff go from an order to everything it caused.
 * @param traceParent the W3C {@code traceparent} of the thread that submitted it, when a tracing {@code
 *     PipelineObserver} captured one: each attempt's span links to it; null otherwise
 */
public record Trigger(
        TriggerKind kind,
        String id,
        String payloadJson,
        Instant createdAt,
        @Nullable Instant completedAt,
        @Nullable String orderId,
        @Nullable String traceParent) {
    public Trigger {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(payloadJson, "payloadJson");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** A trigger without a trace parent. */
    public Trigger(
            TriggerKind kind,
            String id,
            String payloadJson,
            Instant createdAt,
            @Nullable Instant completedAt,
            @Nullable String orderId) {
        this(kind, id, payloadJson, createdAt, completedAt, orderId, null);
    }

    /** A trigger about the order of its own id (an order), or about no order (an event). */
    public Trigger(TriggerKind kind, String id, String payloadJson, Instant createdAt, @Nullable Instant completedAt) {
        this(kind, id, payloadJson, createdAt, completedAt, kind == TriggerKind.ORDER ? id : null);
    }

    /** The same trigger completed at {@code at}. */
    public Trigger completedAt(Instant at) {
        return new Trigger(kind, id, payloadJson, createdAt, at, orderId, traceParent);
    }

    /** The store key of this trigger, unique across kinds: {@code order:<id>} or {@code event:<id>}. */
    public String key() {
        return key(kind, id);
    }

    /** The store key of a trigger. */
    public static String key(TriggerKind kind, String id) {
        // called several times per attempt: no lower-casing of the kind's name each time
        String prefix =
                switch (kind) {
                    case ORDER -> "order:";
                    case EVENT -> "event:";
                };
        return prefix + id;
    }

    @Override
    public String toString() {
        return "Trigger[" + key() + ", completedAt=" + completedAt + "]";
    }
}
