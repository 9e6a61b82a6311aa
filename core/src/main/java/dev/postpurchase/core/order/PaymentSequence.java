package dev.postpurchase.core.order;

/**
 * Which payment of a purchase a paid order is. A one-time purchase has only a first payment; a subscription is
 * followed by renewals and a payment plan by instalments, and each of those later payments is an {@link Order} of
 * its own (its own id, its own transaction). Definitions choose whether they run on the first payment only or on
 * every payment ({@code ActionDefinition.runsOn}), so a renewal does not grant access, send a welcome email or issue
 * a licence again, while its receipt and webhook still go out.
 */
public enum PaymentSequence {
    /** The first payment of a purchase: every one-time purchase, and the payment that starts a subscription or plan. */
    FIRST,
    /** A later payment of a subscription: the second billing period onwards. */
    RENEWAL,
    /** A later payment of a payment plan: the second instalment onwards. */
    INSTALMENT;

    /** Whether this is the first payment of its purchase. */
    public boolean isFirst() {
        return this == FIRST;
    }
}
