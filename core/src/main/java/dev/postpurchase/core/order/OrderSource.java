package dev.postpurchase.core.order;

/** Where an order, contact or subscription came from. Event subscriptions filter on it. */
public enum OrderSource {
    ADMIN,
    SHOP,
    FUNNEL,
    API
}
