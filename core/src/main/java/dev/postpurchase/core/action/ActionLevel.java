package dev.postpurchase.core.action;

/** Where an action definition hangs: a product, an offer, or a checkout (all its orders). */
public enum ActionLevel {
    PRODUCT,
    OFFER,
    CHECKOUT
}
