package dev.postpurchase.webhook.fulfillment;

/** Where the value of a {@link CustomField} comes from. */
public enum CustomFieldKind {
    /** The order's checkout hash, which is its checkout id. */
    CHECKOUT_HASH,
    /** The id of the payment transaction. */
    TRANSACTION_ID,
    /** The customer's email address. */
    CUSTOMER_EMAIL,
    /** The customer's first and last name joined by a space; empty when the checkout did not collect them. */
    CUSTOMER_NAME,
    /** A fixed value or message set by the merchant. */
    STATIC
}
