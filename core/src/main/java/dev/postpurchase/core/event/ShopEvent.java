package dev.postpurchase.core.event;

import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.Violation;
import dev.postpurchase.core.order.Formats;
import dev.postpurchase.core.order.Order;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Something that happened in the shop, published to run the actions subscribed to it. Every payload object is
 * nullable and null when it does not apply (an admin order has no funnel); consumers must check.
 *
 * @param id unique per event; publishing the same id twice creates its runs once
 * @param attributes extra flat values (tracking number, survey id, ...)
 */
public record ShopEvent(
        String id,
        ShopEventType type,
        EventSource source,
        Instant occurredAt,
        @Nullable Order order,
        @Nullable Contact contact,
        @Nullable TransactionInfo transaction,
        @Nullable SubscriptionInfo subscription,
        @Nullable Funnel funnel,
        Map<String, String> attributes) {

    public ShopEvent {
        List<Violation> v = new ArrayList<>();
        if (id == null || id.isBlank()) {
            v.add(new Violation("id", "is required"));
        } else if (Formats.hasControlCharacters(id)) {
            v.add(new Violation("id", "must not contain control characters"));
        }
        if (type == null) {
            v.add(new Violation("type", "is required"));
        }
        if (source == null) {
            v.add(new Violation("source", "is required"));
        }
        if (occurredAt == null) {
            v.add(new Violation("occurredAt", "is required"));
        }
        if (!v.isEmpty()) {
            throw new ValidationException(v);
        }
        attributes = attributes == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(attributes));
    }

    /** Starts an event. */
    public static Builder builder(String id, ShopEventType type, EventSource source, Instant occurredAt) {
        return new Builder(id, type, source, occurredAt);
    }

    /** Mutable, not thread-safe builder of {@link ShopEvent}. */
    public static final class Builder {
        private final String id;
        private final ShopEventType type;
        private final EventSource source;
        private final Instant occurredAt;
        private @Nullable Order order;
        private @Nullable Contact contact;
        private @Nullable TransactionInfo transaction;
        private @Nullable SubscriptionInfo subscription;
        private @Nullable Funnel funnel;
        private final Map<String, String> attributes = new TreeMap<>();

        private Builder(String id, ShopEventType type, EventSource source, Instant occurredAt) {
            this.id = id;
            this.type = type;
            this.source = source;
            this.occurredAt = occurredAt;
        }

        public Builder order(@Nullable Order value) {
            this.order = value;
            return this;
        }

        public Builder contact(@Nullable Contact value) {
            this.contact = value;
            return this;
        }

        public Builder transaction(@Nullable TransactionInfo value) {
            this.transaction = value;
            return this;
        }

        public Builder subscription(@Nullable SubscriptionInfo value) {
            this.subscription = value;
            return this;
        }

        public Builder funnel(@Nullable Funnel value) {
            this.funnel = value;
            return this;
        }

        public Builder attribute(String key, String value) {
            attributes.put(key, value);
            return this;
        }

        public ShopEvent build() {
            return new ShopEvent(
                    id, type, source, occurredAt, order, contact, transaction, subscription, funnel, attributes);
        }
    }
}
