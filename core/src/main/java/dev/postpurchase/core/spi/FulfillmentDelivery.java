package dev.postpurchase.core.spi;

/**
 * Delivers fulfillment responses to the customer. The fulfillment webhook (module {@code postpurchase-webhook})
 * calls it; the email module implements it. Called from worker threads; must be thread-safe. May be called again
 * for the same run after a failure, with the same {@link FulfillmentMessage#idempotencyKey()}.
 */
public interface FulfillmentDelivery {

    /** Delivers the message or throws {@link DeliveryException}. */
    void deliver(FulfillmentMessage message);
}
