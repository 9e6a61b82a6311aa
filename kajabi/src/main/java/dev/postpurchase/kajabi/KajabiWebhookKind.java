package dev.postpurchase.kajabi;

/**
 * The outbound webhooks whose payloads this module reads. Deliveries of hooks created through Kajabi's public API
 * are of the kind their event names: {@code purchase} → {@link #PURCHASE_CREATED}, {@code payment_succeeded} →
 * {@link #PAYMENT_SUCCEEDED}, {@code order_created} → {@link #CART_PURCHASE}, {@code form_submission} → {@link
 * #FORM_SUBMISSION}.
 */
public enum KajabiWebhookKind {
    /** One event per offer purchased (one-time, first subscription payment, payment plan); not Kajabi Cart. */
    PURCHASE_CREATED,
    /** One event per payment, including renewals and cart orders; one event per bundled transaction. */
    PAYMENT_SUCCEEDED,
    /** One event per Kajabi Cart order, with line items. */
    CART_PURCHASE,
    /** One event per form submission; not a purchase. */
    FORM_SUBMISSION
}
