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
        if (totals == null) {
            v.add(new Violation("totals", "is required"));
        } else if (items.stream().allMatch(item -> item != null)) {
            Totals expected;
            try {
                expected = Totals.exactOf(items);
            } catch (ArithmeticException e) {
                v.add(new Violation("totals", "the item amounts overflow when added up"));
                throw new ValidationException(v);
            }
            check(v, "totals.subtotal", totals.subtotal(), expected.subtotal());
            check(v, "totals.discount", totals.discount(), expected.discount());
            check(v, "totals.tax", totals.tax(), expected.tax());
            check(v, "totals.total", totals.total(), expected.total());
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
        requireText(v, path + ".productId", item.productId());
        requireText(v, path + ".title", item.title());
        if (item.quantity() < 1) {
            v.add(new Violation(path + ".quantity", "must be at least 1"));
        }
        if (item.unitPrice() < 0) {
            v.add(new Violation(path + ".unitPrice", "must not be negative"));
        }
        if (item.discount() < 0) {
            v.add(new Violation(path + ".discount", "must not be negative"));
        }
        if (item.tax() < 0) {
            v.add(new Violation(path + ".tax", "must not be negative"));
        }
        long expected;
        try {
            expected = Math.addExact(
                    Math.subtractExact(Math.multiplyExact(item.unitPrice(), (long) item.quantity()), item.discount()),
                    item.tax());
        } catch (ArithmeticException e) {
            v.add(new Violation(path + ".total", "overflows"));
            return;
        }
        check(v, path + ".total", item.total(), expected);
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
