package dev.postpurchase.core.action;

import dev.postpurchase.core.order.PaymentSequence;

/**
 * Which payments of a purchase an action runs on. Each paid order says whether it is the first payment of its
 * purchase or a later one ({@link dev.postpurchase.core.order.Order#payment()}: a subscription renewal, a payment-plan
 * instalment). A definition states its scope with {@code ActionDefinition.Builder#runsOn}; when it states none, its
 * executor's {@code ActionExecutor#defaultPaymentScope()} applies: every payment for receipts and webhooks, the first
 * payment only for everything else (grants, fulfillment, custom emails). Applies to paid orders only: a shop event
 * runs the definitions subscribed to it.
 */
public enum PaymentScope {
    /** Runs for the first payment of a purchase only: a renewal does not grant, welcome or fulfil again. */
    FIRST_PAYMENT_ONLY,
    /** Runs for every payment: the first one, each renewal and each instalment. */
    EVERY_PAYMENT;

    /** Whether an action of this scope runs for a paid order that is the given payment of its purchase. */
    public boolean covers(PaymentSequence payment) {
        return this == EVERY_PAYMENT || payment.isFirst();
    }
}
