package dev.postpurchase.core.order;

import java.util.List;

/**
 * Order totals in minor units. {@link Order} checks each equals the sum over its items.
 *
 * @param subtotal sum of {@code unitPrice * quantity}
 * @param discount sum of item discounts
 * @param tax sum of item taxes
 * @param total sum of item totals: what the customer paid
 */
public record Totals(long subtotal, long discount, long tax, long total) {

    /** {@link #of} that throws {@link ArithmeticException} instead of overflowing. */
    static Totals exactOf(List<LineItem> items) {
        long subtotal = 0, discount = 0, tax = 0, total = 0;
        for (LineItem item : items) {
            subtotal = Math.addExact(subtotal, Math.multiplyExact(item.unitPrice(), (long) item.quantity()));
            discount = Math.addExact(discount, item.discount());
            tax = Math.addExact(tax, item.tax());
            total = Math.addExact(total, item.total());
        }
        return new Totals(subtotal, discount, tax, total);
    }

    /** The totals that the given items add up to; null items (refused by {@link Order}) count as nothing. */
    public static Totals of(List<LineItem> items) {
        long subtotal = 0, discount = 0, tax = 0, total = 0;
        for (LineItem item : items) {
            if (item == null) {
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
