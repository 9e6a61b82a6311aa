package dev.postpurchase.core.order;

import org.jspecify.annotations.Nullable;

/**
 * One line of an order. Amounts are minor units of the order's currency. {@link Order} checks that
 * {@code total == unitPrice * quantity - discount + tax} and that quantity is at least 1.
 *
 * @param productId the product sold, whose product-level actions apply
 * @param offerId the offer this line was sold through, if any (an order bump has its own offer)
 * @param discount the discount on the whole line, not per unit
 * @param tax the tax on the whole line
 */
public record LineItem(
        String productId,
        @Nullable String offerId,
        String title,
        int quantity,
        long unitPrice,
        long discount,
        long tax,
        long total) {

    /** A line whose total is computed from the other amounts. */
    public static LineItem of(
            String productId,
            @Nullable String offerId,
            String title,
            int quantity,
            long unitPrice,
            long discount,
            long tax) {
        return new LineItem(
                productId, offerId, title, quantity, unitPrice, discount, tax, unitPrice * quantity - discount + tax);
    }

    /** {@code unitPrice * quantity}, before discount and tax. */
    public long subtotal() {
        return unitPrice * quantity;
    }
}
