package dev.postpurchase.core.internal;

import dev.postpurchase.core.NotFoundException;
import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.Trigger;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.event.ShopEvent;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.spi.ActionStateStore;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The order or event of a run, read from the store and parsed on first use, then kept (they never change): at most
 * one read per trigger on this node while it stays among the {@value #CAPACITY} most recently used. A read is made
 * for a whole batch: when a worker first needs a payload, the payloads of every run this node holds that are not yet
 * known are read with it, in one store call, so a claim batch of orders costs one read, not one per run; each is
 * parsed by the first worker that needs it. Runs whose executor never asks for the order never cause a read. A store
 * that keeps the parsed payloads itself ({@link ParsedPayloadKeeper}: the in-memory store) is asked first and given
 * what this node submits, so nothing it holds is ever parsed.
 */
public final class TriggerPayloads {
    /** The parsed payload of one trigger. */
    public record Payload(@Nullable Order order, @Nullable ShopEvent event) {}

    private static final int CAPACITY = 4096;

    /** One trigger's payload: read as JSON with others, parsed once by the first worker that needs it. */
    private static final class Entry {
        private @Nullable Trigger raw;
        private @Nullable Payload payload;
        private final @Nullable String traceParent;

        Entry(Trigger raw) {
            this.raw = raw;
            this.traceParent = raw.traceParent();
        }

        Entry(Payload payload, @Nullable String traceParent) {
            this.payload = payload;
            this.traceParent = traceParent;
        }

        synchronized Payload payload() {
            if (payload == null) {
                payload = parse(java.util.Objects.requireNonNull(raw));
                raw = null;
            }
            return payload;
        }
    }

    private static final int BATCH = 256;

    private final ActionStateStore store;
    private final @Nullable ParsedPayloadKeeper keeper;
    private final Object loading = new Object();
    private final Map<String, Entry> cache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > CAPACITY;
        }
    };

    public TriggerPayloads(ActionStateStore store) {
        this.store = store;
        this.keeper = store instanceof ParsedPayloadKeeper k ? k : null;
    }

    /** Keeps the payload of a trigger this node just submitted. */
    public void remember(String triggerKey, Payload payload, @Nullable String traceParent) {
        if (keeper != null) {
            keeper.keepParsed(triggerKey, new ParsedPayloadKeeper.Kept(payload, traceParent));
            return;
        }
        synchronized (cache) {
            cache.put(triggerKey, new Entry(payload, traceParent));
        }
    }

    /** The trace parent stored with {@code run}'s trigger, read as {@link #of} reads payloads; null when none. */
    public @Nullable String traceParentOf(ActionRun run, Collection<ActionRun> companions) {
        ParsedPayloadKeeper.Kept kept = kept(run);
        return kept != null ? kept.traceParent() : load(run, companions).traceParent;
    }

    /**
     * The payload of {@code run}'s trigger; when it must be read, those of {@code companions} (the runs this node
     * holds) that are not known yet are read in the same store call.
     */
    public Payload of(ActionRun run, Collection<ActionRun> companions) {
        ParsedPayloadKeeper.Kept kept = kept(run);
        return kept != null ? kept.payload() : load(run, companions).payload();
    }

    /** What a store that keeps parsed payloads holds for the run's trigger; null when it keeps none. */
    private ParsedPayloadKeeper.@Nullable Kept kept(ActionRun run) {
        return keeper == null ? null : keeper.parsed(run.triggerKey());
    }

    private Entry load(ActionRun run, Collection<ActionRun> companions) {
        Entry entry = entry(run.triggerKey());
        if (entry == null) {
            synchronized (loading) {
                entry = entry(run.triggerKey());
                if (entry == null) {
                    loadTogether(run, companions);
                    entry = entry(run.triggerKey());
                }
            }
        }
        if (entry == null) {
            throw new NotFoundException("trigger " + run.triggerKey() + " of run " + run.id());
        }
        return entry;
    }

    private @Nullable Entry entry(String key) {
        synchronized (cache) {
            return cache.get(key);
        }
    }

    /** Reads the trigger of {@code run} and of every held run whose payload is not known, in one store call. */
    private void loadTogether(ActionRun run, Collection<ActionRun> companions) {
        Map<String, ActionRun> wanted = new LinkedHashMap<>();
        wanted.put(run.triggerKey(), run);
        for (ActionRun other : companions) {
            if (wanted.size() >= BATCH) {
                break;
            }
            if (!wanted.containsKey(other.triggerKey()) && entry(other.triggerKey()) == null) {
                wanted.put(other.triggerKey(), other);
            }
        }
        List<Trigger> read = store.triggersOf(wanted.values());
        synchronized (cache) {
            for (Trigger trigger : read) {
                cache.putIfAbsent(trigger.key(), new Entry(trigger));
            }
        }
    }

    private static Payload parse(Trigger trigger) {
        if (trigger.kind() == TriggerKind.ORDER) {
            return new Payload(PostpurchaseJson.read(trigger.payloadJson(), Order.class, "order"), null);
        }
        ShopEvent event = PostpurchaseJson.read(trigger.payloadJson(), ShopEvent.class, "event");
        return new Payload(event.order(), event);
    }
}
