/**
 * Fulfillment webhooks: the {@code fulfillment-webhook} action asks the merchant's server (GET or POST, signed per
 * Standard Webhooks) for order-specific data such as a licence key, once per order line or once per unit ("separate
 * multibuy"), and hands every response with the merchant's instructions to the customer through
 * {@link dev.postpurchase.core.spi.FulfillmentDelivery}. See {@code FULFILLMENT.md} in the module for the wire format.
 */
@NullMarked
package dev.postpurchase.webhook.fulfillment;

import org.jspecify.annotations.NullMarked;
