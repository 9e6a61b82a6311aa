package dev.postpurchase.webhook.fulfillment;

/** How the fulfillment request is sent. */
public enum FulfillmentMethod {
    /** The fields in the query string, in canonical form; signed over the canonical query string. */
    GET,
    /** The fields as an {@code application/x-www-form-urlencoded} body in canonical form; signed over the body. */
    POST
}
