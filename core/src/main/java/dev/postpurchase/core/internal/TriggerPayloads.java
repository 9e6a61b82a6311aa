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

/**
 * The order or event of a run, read from the store and parsed on first use, then kept (they never change): at most
 * one read per trigger on this node while it stays among the {@value #CAPACITY} most recently used. Two workers asking
 * for the same trigger at once share one read.
 */
public final class TriggerPayloads {
    /** The parsed payload of one trigger. */
    public record Payload(@Nullable Order order, @Nullable ShopEvent event) {}

    private static final int CAPACITY = 4096;

    /** One trigger's payload, loaded once under its own lock. */
    private final class Entry {
        private @Nullable Payload payload;

        Entry(@Nullable Payload payload) {
            this.payload = payload;
        }

        synchronized Payload get(ActionRun run) {
            if (payload == null) {
                payload = load(run);
            }
            return payload;
        }
    }

    private final ActionStateStore store;
    private final Map<String, Entry> cache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > CAPACITY;
        }
    };

    public TriggerPayloads(ActionStateStore store) {
        this.store = store;
    }

    /** Keeps the payload of a trigger this node just submitted. */
    public void remember(String triggerKey, Payload payload) {
        synchronized (cache) {
            cache.put(triggerKey, new Entry(payload));
        }
    }

    public Payload of(ActionRun run) {
        Entry entry;
        synchronized (cache) {
            entry = cache.computeIfAbsent(run.triggerKey(), k -> new Entry(null));
        }
        return entry.get(run);
    }

    private Payload load(ActionRun run) {
        Trigger trigger = store.trigger(run.triggerKind(), run.triggerId())
                .orElseThrow(() -> new NotFoundException("trigger " + run.triggerKey() + " of run " + run.id()));
        if (trigger.kind() == TriggerKind.ORDER) {
            return new Payload(PostpurchaseJson.read(trigger.payloadJson(), Order.class, "order"), null);
        }
        ShopEvent event = PostpurchaseJson.read(trigger.payloadJson(), ShopEvent.class, "event");
        return new Payload(event.order(), event);
    }
}
