package dev.postpurchase.core.order;

import dev.postpurchase.core.ValidationException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A paid order, immutable and validated when constructed. Construction throws {@link ValidationException} naming
 * every bad field at once: blank ids, an unknown ISO 4217 currency, a language that is not a BCP 47 tag, an invalid
 * customer email, a quantity below 1, negative amounts, item totals that do not equal {@code unitPrice * quantity -
 * discount + tax} or are negative (a discount larger than the line), and order totals that are negative or not the
 * sums of the items. Money is {@code long} minor units of {@link #currency()}.
 *
 * <p>A line may have unknown amounts ({@link LineItem.Builder#amountsUnknown()}) when the source only states what the
 * whole payment came to; the order then states its {@link Totals} itself ({@link Builder#totals}), and they must be
 * consistent ({@code total == subtotal - discount + tax}) and at least what the lines with known amounts add up to.
 *
 * @param id the shop's order id; submitting the same id twice creates its actions once
 * @param checkoutId the checkout the order was placed in; its checkout-level actions apply
 * @param offerId the offer the order was placed through, if any; its offer-level actions apply
 * @param language the customer's language as a BCP 47 tag, for example {@code fi} or {@code en-US}
 * @param checkoutLanguages the checkout's supported languages, first one the default; used for fallbacks
 * @param marketingOptIn whether the customer opted in to marketing
 * @param payment whether this is the first payment of its purchase or a later one (a subscription renewal, a
 *     payment-plan instalment); {@link PaymentSequence#FIRST} when not given, also for order JSON written before
 *     the field existed
 */
public record Order(
        String id,
        String checkoutId,
        @Nullable String offerId,
        OrderSource source,
        String language,
        List<String> checkoutLanguages,
        String currency,
        Customer customer,
        List<LineItem> items,
        Totals totals,
        Transaction transaction,
        @Nullable Affiliate affiliate,
        boolean marketingOptIn,
        @Nullable Trial trial,
        PaymentSequence payment) {

    public Order {
        payment = payment == null ? PaymentSequence.FIRST : payment;
        items = items == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(items));
        checkoutLanguages = checkoutLanguages == null
                ? List.of()
                : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(checkoutLanguages));
        OrderValidator.validate(
                id, checkoutId, source, language, checkoutLanguages, currency, customer, items, totals, transaction);
    }

    /** The distinct offers of this order: the order's own offer, then each item's offer, in order of appearance. */
    public Set<String> offerIds() {
        Set<String> offers = new LinkedHashSet<>();
        if (offerId != null) {
            offers.add(offerId);
        }
        for (LineItem item : items) {
            if (item.offerId() != null) {
                offers.add(item.offerId());
            }
        }
        return offers;
    }

    /** The distinct products of this order in order of appearance. */
    public Set<String> productIds() {
        Set<String> products = new LinkedHashSet<>();
        for (LineItem item : items) {
            products.add(item.productId());
        }
        return products;
    }

    /** Starts an order; {@link Builder#build()} computes totals from the items unless they were set. */
    public static Builder builder() {
        return new Builder();
    }

    /** Mutable, not thread-safe builder of {@link Order}. */
    public static final class Builder {
        private @Nullable String id;
        private @Nullable String checkoutId;
        private @Nullable String offerId;
        private OrderSource source = OrderSource.SHOP;
        private String language = "en";
        private final List<String> checkoutLanguages = new ArrayList<>();
        private @Nullable String currency;
        private @Nullable Customer customer;
        private final List<LineItem> items = new ArrayList<>();
        private @Nullable Totals totals;
        private @Nullable Transaction transaction;
        private @Nullable Affiliate affiliate;
        private boolean marketingOptIn;
        private @Nullable Trial trial;
        private PaymentSequence payment = PaymentSequence.FIRST;

        private Builder() {}

        public Builder id(String value) {
            this.id = value;
            return this;
        }

        public Builder checkoutId(String value) {
            this.checkoutId = value;
            return this;
        }

        public Builder offerId(@Nullable String value) {
            this.offerId = value;
            return this;
        }

        public Builder source(OrderSource value) {
            this.source = value;
            return this;
        }

        public Builder language(String value) {
            this.language = value;
            return this;
        }

        public Builder checkoutLanguages(List<String> values) {
            checkoutLanguages.clear();
            checkoutLanguages.addAll(values);
            return this;
        }

        public Builder currency(String value) {
            this.currency = value;
            return this;
        }

        public Builder customer(Customer value) {
            this.customer = value;
            return this;
        }

        public Builder item(LineItem value) {
            items.add(value);
            return this;
        }

        public Builder items(List<LineItem> values) {
            items.clear();
            items.addAll(values);
            return this;
        }

        /**
         * Sets totals explicitly; they are still checked against the items. Required when a line's amounts are
         * unknown; otherwise computed from the items by default.
         */
        public Builder totals(Totals value) {
            this.totals = value;
            return this;
        }

        public Builder transaction(Transaction value) {
            this.transaction = value;
            return this;
        }

        public Builder affiliate(@Nullable Affiliate value) {
            this.affiliate = value;
            return this;
        }

        public Builder marketingOptIn(boolean value) {
            this.marketingOptIn = value;
            return this;
        }

        public Builder trial(@Nullable Trial value) {
            this.trial = value;
            return this;
        }

        /** Which payment of its purchase the order is; default {@link PaymentSequence#FIRST}. */
        public Builder payment(PaymentSequence value) {
            this.payment = value;
            return this;
        }

        /** Validates and builds; throws {@link ValidationException} naming every bad field. */
        @SuppressWarnings("NullAway")
        public Order build() {
            Totals computed = totals != null
                    ? totals
                    : items.stream().allMatch(item -> item == null || item.amountsKnown()) ? Totals.of(items) : null;
            return new Order(
                    id,
                    checkoutId,
                    offerId,
                    source,
                    language,
                    checkoutLanguages,
                    currency,
                    customer,
                    items,
                    computed,
                    transaction,
                    affiliate,
                    marketingOptIn,
                    trial,
                    payment);
        }
    }
}
