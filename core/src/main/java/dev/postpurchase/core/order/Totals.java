package dev.postpurchase.core.order;

import java.util.List;

/**
 * Order totals in minor units. {@link Order} checks that none is negative and that each equals the sum over its
 * items; when a line's amounts are unknown, that {@code total == subtotal - discount + tax} and that the lines with
 * known amounts do not add up to more than the totals.
 *
 * @param subtotal sum of {@code unitPrice * quantity}
 * @param discount sum of item discounts
 * @param tax sum of item taxes
 * @param total sum of item totals: what the customer paid
 */
public record Totals(long subtotal, long discount, long tax, long total) {

    /**
     * {@link #of} that throws {@link ArithmeticException} instead of overflowing; lines with unknown amounts count as
     * nothing.
     */
    @SuppressWarnings("NullAway")
    static Totals exactOf(List<LineItem> items) {
        long subtotal = 0, discount = 0, tax = 0, total = 0;
        for (LineItem item : items) {
            if (!item.amountsKnown()) {
                continue;
            }
            subtotal = Math.addExact(subtotal, Math.multiplyExact(item.unitPrice(), (long) item.quantity()));
            discount = Math.addExact(discount, item.discount());
            tax = Math.addExact(tax, item.tax());
            total = Math.addExact(total, item.total());
        }
        return new Totals(subtotal, discount, tax, total);
    }

    /**
     * The totals that the given items add up to. Null items (refused by {@link Order}) and lines with unknown amounts
     * count as nothing: an order with such a line states its totals itself.
     */
    @SuppressWarnings("NullAway")
    public static Totals of(List<LineItem> items) {
        long subtotal = 0, discount = 0, tax = 0, total = 0;
        for (LineItem item : items) {
            if (item == null || !item.amountsKnown()) {
                continue;
            }
            subtotal += item.subtotal();
            discount += item.discount();
            tax += item.tax();
            total += item.total();
        }
        return new Totals(subtotal, discount, tax, total);
    }
}
