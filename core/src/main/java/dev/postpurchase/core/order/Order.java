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
 * customer email, a quantity below 1, item totals that do not equal {@code unitPrice * quantity - discount + tax},
 * and order totals that are not the sums of the items. Money is {@code long} minor units of {@link #currency()}.
 *
 * @param id the shop's order id; submitting the same id twice creates its actions once
 * @param checkoutId the checkout the order was placed in; its checkout-level actions apply
 * @param offerId the offer the order was placed through, if any; its offer-level actions apply
 * @param language the customer's language as a BCP 47 tag, for example {@code fi} or {@code en-US}
 * @param checkoutLanguages the checkout's supported languages, first one the default; used for fallbacks
 * @param marketingOptIn whether the customer opted in to marketing
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
        @Nullable Trial trial) {

    public Order {
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

        /** Sets totals explicitly; they are still checked against the items. */
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

        /** Validates and builds; throws {@link ValidationException} naming every bad field. */
        @SuppressWarnings("NullAway")
        public Order build() {
            Totals computed = totals != null ? totals : Totals.of(items);
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
                    trial);
        }
    }
}
