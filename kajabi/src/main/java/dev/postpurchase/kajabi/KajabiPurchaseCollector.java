package dev.postpurchase.kajabi;

import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.Violation;
import dev.postpurchase.core.order.Order;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers the Purchase Created events of each Kajabi transaction as they arrive (a primary offer and its order bumps
 * arrive as separate webhook calls, in any order) and hands out <b>one order per transaction</b> once the set is
 * {@link KajabiOrderConverter#isComplete complete}. Thread-safe.
 *
 * <pre>{@code
 * KajabiPurchaseCollector collector = KajabiPurchaseCollector.builder().build();
 * // in the webhook endpoint, after the token check:
 * collector.add(KajabiWebhooks.parsePurchaseCreated(body)).ifPresent(pipeline::submit);
 * // every minute or so:
 * collector.expire().forEach(pipeline::submit);
 * }</pre>
 *
 * <p><b>Idempotency.</b> The order id is derived from the transaction id ({@link KajabiOrderConverter#orderId}), and
 * {@code ActionPipeline.submit} creates an order's runs once. An event redelivered after its transaction was handed
 * out is ignored while the transaction is remembered ({@link Builder#maxRemembered}); later it waits again and at
 * worst expires into an order with the same id, which the pipeline ignores.
 *
 * <p><b>Incomplete transactions.</b> A transaction whose remaining events never arrive is handed out by {@link
 * #expire()} after {@link Builder#maxWait}, as an order of the offers that did arrive (its total is then what those
 * offers cost, never more). When more than {@link Builder#maxPending} transactions wait, the oldest is handed out
 * early by {@link #add} the same way (returned together with nothing else: call {@link #expire()} regularly).
 *
 * <p><b>Scope.</b> State is in memory: a restart loses waiting events (Kajabi's log shows them for a re-send), and
 * several nodes must route the events of one transaction to the same collector (or keep the events in a shared
 * table and call {@link KajabiOrderConverter#fromPurchases} with {@link KajabiOrderConverter#isComplete}).
 */
public final class KajabiPurchaseCollector {
    private static final Logger LOG = LoggerFactory.getLogger(KajabiPurchaseCollector.class);
    private final KajabiOrderConverter converter;
    private final Duration maxWait;
    private final int maxPending;
    private final int maxRemembered;
    private final Clock clock;
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private final Map<String, Boolean> handedOut = new LinkedHashMap<>();
    private final List<Order> evicted = new ArrayList<>();

    private KajabiPurchaseCollector(Builder b) {
        this.converter = b.converter;
        this.maxWait = b.maxWait;
        this.maxPending = b.maxPending;
        this.maxRemembered = b.maxRemembered;
        this.clock = b.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Adds one event. Returns the transaction's order when this event completes it (once per transaction), else
     * empty. An event of a transaction already handed out is ignored.
     *
     * @throws ValidationException when the event has neither a transaction id nor an id, or the completed
     *     transaction does not make a valid order (for example no valid customer email); the events stay dropped
     */
    public Optional<Order> add(KajabiPurchaseCreated event) {
        Objects.requireNonNull(event, "event");
        String transactionId = event.transactionId();
        if (transactionId == null) {
            throw new ValidationException("transaction.id", "is required to group Purchase Created events");
        }
        List<KajabiPurchaseCreated> complete;
        synchronized (this) {
            if (handedOut.containsKey(transactionId)) {
                return Optional.empty();
            }
            Pending group = pending.computeIfAbsent(transactionId, id -> new Pending(clock.instant()));
            group.events.add(event);
            if (!KajabiOrderConverter.isComplete(group.events)) {
                evictOverflow();
                return Optional.empty();
            }
            pending.remove(transactionId);
            remember(transactionId);
            complete = List.copyOf(group.events);
        }
        return Optional.of(converter.fromPurchases(complete));
    }

    /**
     * Hands out the transactions that have waited longer than {@code maxWait}, and those evicted by the {@code
     * maxPending} bound, as orders of the offers that arrived. An invalid group is dropped (and not returned).
     */
    public List<Order> expire() {
        List<List<KajabiPurchaseCreated>> due = new ArrayList<>();
        List<Order> orders;
        synchronized (this) {
            Instant cutoff = clock.instant().minus(maxWait);
            Iterator<Map.Entry<String, Pending>> it = pending.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<String, Pending> entry = it.next();
                if (!entry.getValue().since.isAfter(cutoff)) {
                    due.add(List.copyOf(entry.getValue().events));
                    remember(entry.getKey());
                    it.remove();
                }
            }
            orders = new ArrayList<>(evicted);
            evicted.clear();
        }
        for (List<KajabiPurchaseCreated> group : due) {
            Optional<Order> order = convertQuietly(group);
            order.ifPresent(orders::add);
        }
        return orders;
    }

    /** Transactions waiting for more events. */
    public synchronized int pendingTransactions() {
        return pending.size();
    }

    private void evictOverflow() {
        while (pending.size() > maxPending) {
            Iterator<Map.Entry<String, Pending>> it = pending.entrySet().iterator();
            Map.Entry<String, Pending> oldest = it.next();
            it.remove();
            remember(oldest.getKey());
            convertQuietly(List.copyOf(oldest.getValue().events)).ifPresent(evicted::add);
        }
    }

    private void remember(String transactionId) {
        handedOut.put(transactionId, Boolean.TRUE);
        while (handedOut.size() > maxRemembered) {
            Iterator<String> it = handedOut.keySet().iterator();
            it.next();
            it.remove();
        }
    }

    private Optional<Order> convertQuietly(List<KajabiPurchaseCreated> group) {
        try {
            return Optional.of(converter.fromPurchases(group));
        } catch (ValidationException e) {
            LOG.warn("an incomplete Kajabi transaction could not be turned into an order: {}", e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "KajabiPurchaseCollector[pending=" + pendingTransactions() + ", maxWait=" + maxWait + "]";
    }

    private static final class Pending {
        final Instant since;
        final List<KajabiPurchaseCreated> events = new ArrayList<>();

        Pending(Instant since) {
            this.since = since;
        }
    }

    /** Mutable, not thread-safe builder of {@link KajabiPurchaseCollector}. */
    public static final class Builder {
        private KajabiOrderConverter converter = KajabiOrderConverter.defaults();
        private Duration maxWait = Duration.ofMinutes(15);
        private int maxPending = 10_000;
        private int maxRemembered = 100_000;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** The converter making the orders; default {@link KajabiOrderConverter#defaults()}. */
        public Builder converter(KajabiOrderConverter value) {
            this.converter = value;
            return this;
        }

        /** How long an incomplete transaction waits before {@link #expire()} hands it out; default 15 minutes. */
        public Builder maxWait(Duration value) {
            this.maxWait = value;
            return this;
        }

        /** The most transactions waiting at once; default 10,000. */
        public Builder maxPending(int value) {
            this.maxPending = value;
            return this;
        }

        /** How many handed-out transactions are remembered to ignore redeliveries; default 100,000. */
        public Builder maxRemembered(int value) {
            this.maxRemembered = value;
            return this;
        }

        /** The clock for waiting times; default UTC system clock. */
        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        /** Validates and builds. */
        public KajabiPurchaseCollector build() {
            List<Violation> v = new ArrayList<>();
            if (converter == null) {
                v.add(new Violation("converter", "is required"));
            }
            if (maxWait == null || maxWait.isNegative() || maxWait.isZero()) {
                v.add(new Violation("maxWait", "must be positive"));
            }
            if (maxPending < 1) {
                v.add(new Violation("maxPending", "must be at least 1"));
            }
            if (maxRemembered < 0) {
                v.add(new Violation("maxRemembered", "must not be negative"));
            }
            if (clock == null) {
                v.add(new Violation("clock", "is required"));
            }
            if (!v.isEmpty()) {
                throw new ValidationException(v);
            }
            return new KajabiPurchaseCollector(this);
        }
    }
}
