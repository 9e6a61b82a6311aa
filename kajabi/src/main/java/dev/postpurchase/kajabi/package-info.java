/**
 * Kajabi integration.
 *
 * <h2>Granting and revoking offers</h2>
 *
 * {@link dev.postpurchase.kajabi.KajabiGrantOfferExecutor} ({@code kajabi-grant-offer}) POSTs the customer's name,
 * email and a stable {@code external_user_id} to an offer's activation webhook URL ({@link
 * dev.postpurchase.kajabi.KajabiGrantOfferConfig}); {@link dev.postpurchase.kajabi.KajabiRevokeOfferExecutor} ({@code
 * kajabi-revoke-offer}), subscribed to the refund event, POSTs the same details to the deactivation URL. Both are
 * available only while the {@code kajabi} integration is enabled in the backend's integration settings, call Kajabi
 * through the guarded HTTP client of {@code postpurchase-http}, and treat the offer URLs as secrets.
 *
 * <h2>Kajabi's outbound webhooks as an order source</h2>
 *
 * <ol>
 *   <li>Give Kajabi a URL with a secret token, {@code https://shop.example/hooks/kajabi/<token>}, and check it with
 *       {@link dev.postpurchase.kajabi.KajabiWebhookToken#matches} before anything else: Kajabi does not sign its
 *       webhooks.
 *   <li>Parse the body with {@link dev.postpurchase.kajabi.KajabiWebhooks#parse(String)} into a typed {@link
 *       dev.postpurchase.kajabi.KajabiWebhook}; deliveries of hooks created through Kajabi's public API ({@code
 *       /v1/hooks}) give the same records.
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
