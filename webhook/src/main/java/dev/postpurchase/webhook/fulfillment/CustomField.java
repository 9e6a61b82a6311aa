package dev.postpurchase.webhook.fulfillment;

import dev.postpurchase.core.order.Order;
import org.jspecify.annotations.Nullable;

/**
 * An extra field the merchant adds to every fulfillment request, sent under {@code name} next to the standard fields
 * ({@link FulfillmentFields}). Validated by {@link FulfillmentWebhookConfig#validate}.
 *
 * @param name the parameter name: a letter, then up to 63 letters, digits, {@code _}, {@code -} or {@code .}; not one
 *     of the standard field names and unique in the config
 * @param kind where the value comes from
 * @param value the fixed value for {@link CustomFieldKind#STATIC} (at most 2000 characters); null for the others
 */
public record CustomField(String name, CustomFieldKind kind, @Nullable String value) {

    /** The checkout hash (checkout id) under {@code name}. */
    public static CustomField checkoutHash(String name) {
        return new CustomField(name, CustomFieldKind.CHECKOUT_HASH, null);
    }

    /** The transaction id under {@code name}. */
    public static CustomField transactionId(String name) {
        return new CustomField(name, CustomFieldKind.TRANSACTION_ID, null);
    }

    /** The customer's email under {@code name}. */
    public static CustomField customerEmail(String name) {
        return new CustomField(name, CustomFieldKind.CUSTOMER_EMAIL, null);
    }

    /** The customer's name under {@code name}. */
    public static CustomField customerName(String name) {
        return new CustomField(name, CustomFieldKind.CUSTOMER_NAME, null);
    }

    /** A fixed value under {@code name}. */
    public static CustomField staticValue(String name, String value) {
        return new CustomField(name, CustomFieldKind.STATIC, value);
    }

    /** The value this field has for {@code order}. */
    public String valueFor(Order order) {
        return switch (kind) {
            case CHECKOUT_HASH -> order.checkoutId();
            case TRANSACTION_ID -> order.transaction().id();
            case CUSTOMER_EMAIL -> order.customer().email();
            case CUSTOMER_NAME -> {
                String first = order.customer().firstName();
                String last = order.customer().lastName();
                yield ((first == null ? "" : first.strip()) + " " + (last == null ? "" : last.strip())).strip();
            }
            case STATIC -> value == null ? "" : value;
        };
    }
}
