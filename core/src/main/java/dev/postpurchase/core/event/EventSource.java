package dev.postpurchase.core.event;

import dev.postpurchase.core.order.OrderSource;

/** The three sources a subscription can filter on. */
public enum EventSource {
    ADMIN,
    SHOP,
    FUNNEL;

    /** The event source of an order source; API orders count as SHOP. */
    public static EventSource of(OrderSource source) {
        return switch (source) {
            case ADMIN -> ADMIN;
            case FUNNEL -> FUNNEL;
            case SHOP, API -> SHOP;
        };
    }
}
