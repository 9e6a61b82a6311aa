package dev.postpurchase.webhook.fulfillment;

import java.util.Set;

/**
 * The names of the standard fields of every fulfillment request; {@code FULFILLMENT.md} describes each. Custom
 * fields may not reuse them.
 */
public final class FulfillmentFields {
    /** {@code true} for a request of {@link WebhookFulfillmentExecutor#testWebhook}, else {@code false}. */
    public static final String TEST = "test";

    /** The shop's order id. */
    public static final String ORDER_ID = "order_id";

    /** The 1-based index of the order line among the order's lines. */
    public static final String LINE = "line";

    /** The product of the line. */
    public static final String PRODUCT_ID = "product_id";

    /** The title of the line. */
    public static final String PRODUCT_TITLE = "product_title";

    /** The offer of the line, empty when none. */
    public static final String OFFER_ID = "offer_id";

    /** How many units this request covers: the line's quantity, or 1 with separate multibuy. */
    public static final String QUANTITY = "quantity";

    /** The 1-based unit this request is for with separate multibuy; 1 otherwise. */
    public static final String UNIT_INDEX = "unit_index";

    /** The line's whole quantity. */
    public static final String UNIT_COUNT = "unit_count";

    /** The ISO 4217 currency of the order. */
    public static final String CURRENCY = "currency";

    /** The price of one unit as a decimal string, for example {@code 19.99}. */
    public static final String UNIT_PRICE = "unit_price";

    /** The line's total (after discount, with tax) as a decimal string. */
    public static final String LINE_TOTAL = "line_total";

    /** The customer's language, a BCP 47 tag. */
    public static final String LANGUAGE = "language";

    /** When the order was paid, ISO 8601 UTC. */
    public static final String PAID_AT = "paid_at";

    /** Every standard field name. */
    public static final Set<String> STANDARD_NAMES = Set.of(
            TEST,
            ORDER_ID,
            LINE,
            PRODUCT_ID,
            PRODUCT_TITLE,
            OFFER_ID,
            QUANTITY,
            UNIT_INDEX,
            UNIT_COUNT,
            CURRENCY,
            UNIT_PRICE,
            LINE_TOTAL,
            LANGUAGE,
            PAID_AT);

    private FulfillmentFields() {}
}
