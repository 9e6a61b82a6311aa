package dev.postpurchase.core.order;

import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.Violation;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One line of an order. Build it with {@link #builder()}, which names every amount. Amounts are minor units of the
 * order's currency, and either all known or all unknown:
 *
 * <ul>
 *   <li><b>Known</b> (the usual case): {@code total == unitPrice * quantity - discount + tax}, no amount negative, the
 *       total included (a discount larger than the subtotal plus tax is refused).
 *   <li><b>Unknown</b> ({@link Builder#amountsUnknown()}): all four amounts are null. For an order source that
 *       states only what the whole payment came to (a bundled Kajabi payment without per-offer prices). Such a line
 *       shows no price anywhere: receipts show the order's totals only, webhooks say the line amount is unknown.
 *       The order then states its {@link Totals} itself.
 * </ul>
 *
 * {@link Order} checks every line and names the bad field ({@code items[1].total}); the builder checks one line the
 * same way. The canonical constructor does not check (an order read from JSON is checked as a whole).
 *
 * @param productId the product sold, whose product-level actions apply
 * @param offerId the offer this line was sold through, if any (an order bump has its own offer)
 * @param unitPrice the price of one unit, null when the line's amounts are unknown
 * @param discount the discount on the whole line, not per unit; null when unknown
 * @param tax the tax on the whole line; null when unknown
 * @param total {@code unitPrice * quantity - discount + tax}; null when unknown
 */
public record LineItem(
        String productId,
        @Nullable String offerId,
        String title,
        int quantity,
        @Nullable Long unitPrice,
        @Nullable Long discount,
        @Nullable Long tax,
        @Nullable Long total) {

    /** Starts a line; product id, title and either a unit price or {@link Builder#amountsUnknown()} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether the line states its amounts; false for a line built with {@link Builder#amountsUnknown()}. */
    public boolean amountsKnown() {
        return unitPrice != null && discount != null && tax != null && total != null;
    }

    /** {@code unitPrice * quantity}, before discount and tax; null when the amounts are unknown. */
    public @Nullable Long subtotal() {
        return unitPrice == null ? null : unitPrice * quantity;
    }

    /**
     * Mutable, not thread-safe builder of {@link LineItem}: every amount is set by name, the total is computed.
     *
     * <pre>{@code
     * LineItem.builder().productId("course-1").offerId("offer-1").title("Online course")
     *         .quantity(1).unitPrice(9900).discount(0).tax(1916).build();
     * }</pre>
     */
    public static final class Builder {
        private @Nullable String productId;
        private @Nullable String offerId;
        private @Nullable String title;
        private int quantity = 1;
        private @Nullable Long unitPrice;
        private long discount;
        private long tax;
        private boolean discountSet;
        private boolean taxSet;
        private boolean amountsUnknown;

        private Builder() {}

        /** Required: the product sold. */
        public Builder productId(String value) {
            this.productId = value;
            return this;
        }

        /** The offer the line was sold through; none by default. */
        public Builder offerId(@Nullable String value) {
            this.offerId = value;
            return this;
        }

        /** Required: the line's title as the customer sees it. */
        public Builder title(String value) {
            this.title = value;
            return this;
        }

        /** Units sold; default 1. */
        public Builder quantity(int value) {
            this.quantity = value;
            return this;
        }

        /** The price of one unit in minor units; required unless {@link #amountsUnknown()}. */
        public Builder unitPrice(long value) {
            this.unitPrice = value;
            return this;
        }

        /** The discount on the whole line (not per unit) in minor units; default 0. */
        public Builder discount(long value) {
            this.discount = value;
            this.discountSet = true;
            return this;
        }

        /** The tax on the whole line in minor units; default 0. */
        public Builder tax(long value) {
            this.tax = value;
            this.taxSet = true;
            return this;
        }

        /**
         * The line's amounts are not known (only the whole order's are): no unit price, discount, tax or total. Never
         * combine with the amount setters.
         */
        public Builder amountsUnknown() {
            this.amountsUnknown = true;
            return this;
        }

        /**
         * Validates and builds; the total is {@code unitPrice * quantity - discount + tax}.
         *
         * @throws ValidationException naming every bad field, for example {@code total} when the discount is larger
         *     than the subtotal plus tax
         */
        @SuppressWarnings("NullAway")
        public LineItem build() {
            List<Violation> v = new ArrayList<>();
            LineItem item;
            if (amountsUnknown) {
                if (unitPrice != null) {
                    v.add(new Violation("unitPrice", "must not be set on a line whose amounts are unknown"));
                }
                if (discountSet) {
                    v.add(new Violation("discount", "must not be set on a line whose amounts are unknown"));
                }
                if (taxSet) {
                    v.add(new Violation("tax", "must not be set on a line whose amounts are unknown"));
                }
                item = new LineItem(productId, offerId, title, quantity, null, null, null, null);
            } else if (unitPrice == null) {
                v.add(new Violation("unitPrice", "is required (or amountsUnknown() for a line without a known price)"));
                item = new LineItem(productId, offerId, title, quantity, null, null, null, null);
            } else {
                long total;
                try {
                    total = Math.addExact(
                            Math.subtractExact(Math.multiplyExact(unitPrice.longValue(), (long) quantity), discount),
                            tax);
                } catch (ArithmeticException e) {
                    total = 0; // check() names the overflow
                }
                item = new LineItem(productId, offerId, title, quantity, unitPrice, discount, tax, total);
            }
            OrderValidator.checkItem(v, "", item);
            if (!v.isEmpty()) {
                throw new ValidationException(v);
            }
            return item;
        }
    }
}
