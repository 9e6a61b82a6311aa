package dev.postpurchase.core.order;

import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.Violation;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Collects every violation of an order before it is constructed. */
final class OrderValidator {
    private OrderValidator() {}

    static void validate(
            @Nullable String id,
            @Nullable String checkoutId,
            @Nullable OrderSource source,
            @Nullable String language,
            List<@Nullable String> checkoutLanguages,
            @Nullable String currency,
            @Nullable Customer customer,
            List<@Nullable LineItem> items,
            @Nullable Totals totals,
            @Nullable Transaction transaction) {
        List<Violation> v = new ArrayList<>();
        requireText(v, "id", id);
        requireText(v, "checkoutId", checkoutId);
        if (source == null) {
            v.add(new Violation("source", "is required"));
        }
        if (!Formats.isLanguageTag(language)) {
            v.add(new Violation("language", "must be a BCP 47 language tag such as 'en' or 'fi-FI'"));
        }
        for (int i = 0; i < checkoutLanguages.size(); i++) {
            if (!Formats.isLanguageTag(checkoutLanguages.get(i))) {
                v.add(new Violation("checkoutLanguages[" + i + "]", "must be a BCP 47 language tag"));
            }
        }
        if (!Formats.isCurrency(currency)) {
            v.add(new Violation("currency", "must be an ISO 4217 currency code such as 'EUR'"));
        }
        if (customer == null) {
            v.add(new Violation("customer", "is required"));
        } else if (!Formats.isEmail(customer.email())) {
            v.add(new Violation("customer.email", "must be a valid email address"));
        }
        if (items.isEmpty()) {
            v.add(new Violation("items", "must contain at least one item"));
        }
        for (int i = 0; i < items.size(); i++) {
            validateItem(v, "items[" + i + "]", items.get(i));
        }
        boolean itemsPresent = items.stream().allMatch(item -> item != null);
        boolean allKnown = itemsPresent && items.stream().allMatch(item -> item != null && item.amountsKnown());
        if (totals == null) {
            v.add(new Violation(
                    "totals",
                    allKnown || !itemsPresent
                            ? "is required"
                            : "is required when a line's amounts are unknown: the order states what was paid"));
        } else {
            nonNegative(v, "totals.subtotal", totals.subtotal());
            nonNegative(v, "totals.discount", totals.discount());
            nonNegative(v, "totals.tax", totals.tax());
            nonNegative(v, "totals.total", totals.total());
            if (itemsPresent) {
                Totals known;
                try {
                    known = Totals.exactOf(items);
                } catch (ArithmeticException e) {
                    v.add(new Violation("totals", "the item amounts overflow when added up"));
                    throw new ValidationException(v);
                }
                if (allKnown) {
                    check(v, "totals.subtotal", totals.subtotal(), known.subtotal());
                    check(v, "totals.discount", totals.discount(), known.discount());
                    check(v, "totals.tax", totals.tax(), known.tax());
                    check(v, "totals.total", totals.total(), known.total());
                } else {
                    checkStatedTotals(v, totals, known);
                }
            }
        }
        if (transaction == null) {
            v.add(new Violation("transaction", "is required"));
        } else {
            requireText(v, "transaction.id", transaction.id());
            if (transaction.paidAt() == null) {
                v.add(new Violation("transaction.paidAt", "is required"));
            }
        }
        if (!v.isEmpty()) {
            throw new ValidationException(v);
        }
    }

    private static void validateItem(List<Violation> v, String path, @Nullable LineItem item) {
        if (item == null) {
            v.add(new Violation(path, "is required"));
            return;
        }
        checkItem(v, path + ".", item);
    }

    /** Adds every violation of {@code item} to {@code v}, field names prefixed by {@code path} (may be empty). */
    static void checkItem(List<Violation> v, String path, LineItem item) {
        requireText(v, path + "productId", item.productId());
        requireText(v, path + "title", item.title());
        if (item.quantity() < 1) {
            v.add(new Violation(path + "quantity", "must be at least 1"));
        }
        Long unitPrice = item.unitPrice();
        Long discount = item.discount();
        Long tax = item.tax();
        Long total = item.total();
        if (unitPrice == null && discount == null && tax == null && total == null) {
            return;
        }
        if (unitPrice == null || discount == null || tax == null || total == null) {
            requirePartOfKnownAmounts(v, path + "unitPrice", unitPrice);
            requirePartOfKnownAmounts(v, path + "discount", discount);
            requirePartOfKnownAmounts(v, path + "tax", tax);
            requirePartOfKnownAmounts(v, path + "total", total);
            return;
        }
        nonNegative(v, path + "unitPrice", unitPrice);
        nonNegative(v, path + "discount", discount);
        nonNegative(v, path + "tax", tax);
        long expected;
        try {
            expected = Math.addExact(
                    Math.subtractExact(Math.multiplyExact(unitPrice.longValue(), (long) item.quantity()), discount),
                    tax);
        } catch (ArithmeticException e) {
            v.add(new Violation(path + "total", "overflows"));
            return;
        }
        if (total != expected) {
            v.add(new Violation(path + "total", "is " + total + " but the amounts add up to " + expected));
        } else if (total < 0) {
            v.add(new Violation(
                    path + "total",
                    "is " + total + ": the discount " + discount + " is larger than the subtotal plus tax "
                            + (expected + discount)));
        }
    }

    private static void requirePartOfKnownAmounts(List<Violation> v, String field, @Nullable Long value) {
        if (value == null) {
            v.add(new Violation(field, "is required: a line's amounts are either all known or all unknown (null)"));
        }
    }

    /**
     * Totals an order states because a line's amounts are unknown: consistent in themselves, and at least what the
     * lines with known amounts add up to (no amount is negative, so the unknown lines cannot take anything away).
     */
    private static void checkStatedTotals(List<Violation> v, Totals totals, Totals known) {
        try {
            long expected = Math.addExact(Math.subtractExact(totals.subtotal(), totals.discount()), totals.tax());
            if (totals.total() != expected) {
                v.add(new Violation(
                        "totals.total", "is " + totals.total() + " but subtotal - discount + tax is " + expected));
            }
        } catch (ArithmeticException e) {
            v.add(new Violation("totals", "the totals overflow when added up"));
        }
        atLeast(v, "totals.subtotal", totals.subtotal(), known.subtotal());
        atLeast(v, "totals.discount", totals.discount(), known.discount());
        atLeast(v, "totals.tax", totals.tax(), known.tax());
        atLeast(v, "totals.total", totals.total(), known.total());
    }

    private static void atLeast(List<Violation> v, String field, long actual, long known) {
        if (actual >= 0 && actual < known) { // a negative one is named already
            v.add(new Violation(
                    field, "is " + actual + " but the lines with known amounts already add up to " + known));
        }
    }

    private static void nonNegative(List<Violation> v, String field, long value) {
        if (value < 0) {
            v.add(new Violation(field, "must not be negative"));
        }
    }

    private static void check(List<Violation> v, String field, long actual, long expected) {
        if (actual != expected) {
            v.add(new Violation(field, "is " + actual + " but the amounts add up to " + expected));
        }
    }

    private static void requireText(List<Violation> v, String field, @Nullable String value) {
        if (value == null || value.isBlank()) {
            v.add(new Violation(field, "is required"));
        } else if (Formats.hasControlCharacters(value)) {
            v.add(new Violation(field, "must not contain control characters"));
        }
    }
}
