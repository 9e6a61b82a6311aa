package dev.postpurchase.core.event;

/** The event catalog of the system notifications. {@link #wireName()} is the name used in payloads. */
public enum ShopEventType {
    ORDER_COMPLETED("order.completed"),
    CONTACT_CREATED("contact.created"),
    SHIPPING_TRACKING_UPDATED("shipping.tracking_updated"),
    PRODUCT_CONFLICT("product.conflict"),
    TRANSACTION_DECLINED("transaction.declined"),
    REFUND_APPLIED("refund.applied"),
    SUBSCRIPTION_CANCELED("subscription.canceled"),
    CUSTOMER_CREATED("customer.created"),
    TRANSACTION_APPROVED("transaction.approved"),
    SURVEY_COMPLETED("survey.completed");

    private final String wireName;

    ShopEventType(String wireName) {
        this.wireName = wireName;
    }

    /** For example {@code refund.applied}. */
    public String wireName() {
        return wireName;
    }
}
