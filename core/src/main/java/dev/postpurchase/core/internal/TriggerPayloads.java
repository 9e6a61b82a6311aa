package dev.postpurchase.core.internal;

import dev.postpurchase.core.NotFoundException;
import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.Trigger;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.event.ShopEvent;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.spi.ActionStateStore;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Reads the order or event of a run from the store, keeping recently used ones parsed (they never change). */
public final class TriggerPayloads {
    /** The parsed payload of one trigger. */
    public record Payload(@Nullable Order order, @Nullable ShopEvent event) {}

    private static final int CAPACITY = 4096;
    private final ActionStateStore store;
    private final Map<String, Payload> cache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Payload> eldest) {
            return size() > CAPACITY;
        }
    };

    public TriggerPayloads(ActionStateStore store) {
        this.store = store;
    }

    public void remember(String triggerKey, Payload payload) {
        synchronized (cache) {
            cache.put(triggerKey, payload);
        }
    }

    public Payload of(ActionRun run) {
        synchronized (cache) {
            Payload cached = cache.get(run.triggerKey());
            if (cached != null) {
                return cached;
            }
        }
        Trigger trigger = store.trigger(run.triggerKind(), run.triggerId())
                .orElseThrow(() -> new NotFoundException("trigger " + run.triggerKey() + " of run " + run.id()));
        Payload payload;
        if (trigger.kind() == TriggerKind.ORDER) {
            payload = new Payload(PostpurchaseJson.read(trigger.payloadJson(), Order.class, "order"), null);
        } else {
            ShopEvent event = PostpurchaseJson.read(trigger.payloadJson(), ShopEvent.class, "event");
            payload = new Payload(event.order(), event);
        }
        remember(run.triggerKey(), payload);
        return payload;
    }
}
