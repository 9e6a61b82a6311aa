package dev.postpurchase.core.spi;

/**
 * One fulfilled unit of a fulfillment webhook: what the merchant's server answered for it.
 *
 * @param unitIndex 1-based index among the units of the item (always 1 when multibuy is not separated)
 * @param quantity units covered by this response (the whole quantity when multibuy is not separated)
 * @param body the response body as received, shown to the customer exactly
 */
public record FulfilledUnit(String productId, String title, int unitIndex, int quantity, String body) {}
