package dev.postpurchase.kajabi;

import org.jspecify.annotations.Nullable;

/**
 * A Cart Purchase payload: one Kajabi Cart order with per-line amounts and one payment transaction.
 *
 * @param order the cart order and its items
 * @param paymentTransaction the payment of the whole order
 * @param member the buyer
 * @param contact extra contact information collected at checkout
 */
public record KajabiCartPurchase(
        KajabiCartOrder order,
        KajabiPaymentTransaction paymentTransaction,
        KajabiMember member,
        KajabiContactDetails contact)
        implements KajabiWebhook {

    @Override
    public KajabiWebhookKind kind() {
        return KajabiWebhookKind.CART_PURCHASE;
    }

    /** The cart order's id. */
    @Override
    public @Nullable String id() {
        return order.id();
    }
}
