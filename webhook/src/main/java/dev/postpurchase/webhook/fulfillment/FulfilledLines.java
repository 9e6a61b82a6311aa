package dev.postpurchase.webhook.fulfillment;

import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.order.LineItem;
import dev.postpurchase.core.order.Order;
import org.jspecify.annotations.Nullable;

/**
 * The order lines one fulfillment run fulfils, from the level its definition hangs on: a product-level action the
 * lines of its product, an offer-level action the lines sold through its offer (a line without an offer of its own
 * counts as sold through the order's offer; an order bump has its own), a checkout-level action every line. The
 * config's {@code productId}, when set, narrows any level to the lines of that product.
 *
 * @param productId only lines of this product, or null
 * @param offerId only lines sold through this offer, or null
 */
record FulfilledLines(@Nullable String productId, @Nullable String offerId) {

    /** The lines of a run of {@code config}. */
    static FulfilledLines of(FulfillmentWebhookConfig config, ActionRun run) {
        String product = config.productId();
        if (product == null && run.level() == ActionLevel.PRODUCT) {
            product = run.targetId();
        }
        return new FulfilledLines(product, run.level() == ActionLevel.OFFER ? run.targetId() : null);
    }

    /** The lines of a test webhook, which has no definition: the config's product, else every line. */
    static FulfilledLines of(FulfillmentWebhookConfig config) {
        return new FulfilledLines(config.productId(), null);
    }

    boolean includes(Order order, LineItem item) {
        if (productId != null && !productId.equals(item.productId())) {
            return false;
        }
        if (offerId != null) {
            String soldThrough = item.offerId() != null ? item.offerId() : order.offerId();
            return offerId.equals(soldThrough);
        }
        return true;
    }

    /** For example {@code the lines of product app-1 sold through offer bump-1}. */
    String describe() {
        if (productId == null && offerId == null) {
            return "every line";
        }
        return "the lines" + (productId == null ? "" : " of product " + productId)
                + (offerId == null ? "" : " sold through offer " + offerId);
    }
}
