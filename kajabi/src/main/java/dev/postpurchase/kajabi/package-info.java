/**
 * Kajabi integration.
 *
 * <h2>Kajabi's outbound webhooks as an order source</h2>
 *
 * <ol>
 *   <li>Give Kajabi a URL with a secret token, {@code https://shop.example/hooks/kajabi/<token>}, and check it with
 *       {@link dev.postpurchase.kajabi.KajabiWebhookToken#matches} before anything else: Kajabi does not sign its
 *       webhooks.
 *   <li>Parse the body with {@link dev.postpurchase.kajabi.KajabiWebhooks#parse(String)} into a typed {@link
 *       dev.postpurchase.kajabi.KajabiWebhook}.
 *   <li>Turn it into an {@link dev.postpurchase.core.order.Order} with {@link
 *       dev.postpurchase.kajabi.KajabiOrderConverter}: one order per Kajabi transaction, with per-offer amounts.
 *       Purchase Created events (one per offer of a transaction) go through a {@link
 *       dev.postpurchase.kajabi.KajabiPurchaseCollector}, which hands out the transaction's order once all its offers
 *       have arrived.
 *   <li>Submit the order to the {@code ActionPipeline}; the order id is derived from the transaction id, so
 *       redeliveries create nothing.
 * </ol>
 */
@NullMarked
package dev.postpurchase.kajabi;

import org.jspecify.annotations.NullMarked;
