package dev.postpurchase.kajabi;

import org.jspecify.annotations.Nullable;

/**
 * A Payment Succeeded payload: one payment, including subscription renewals, payment-plan installments and cart
 * orders. Since the multiple-order-bump change a primary offer and its one-time bumps are <em>one</em> payment: the
 * {@link #offer()} fields then hold comma-separated values, and the transaction amounts cover every offer without a
 * per-offer breakdown. Kajabi documents that the offer group may also be left out for orders with several offers;
 * it is then an offer with no ids.
 *
 * @param id the event id
 * @param event the event name, for example {@code payment.succeeded}
 * @param recurringPayment the subscription or payment plan paid, {@link KajabiRecurringPayment#isPresent()} false for
 *     one-time payments
 * @param affiliate the credited affiliate, {@link KajabiAffiliate#isPresent()} false when none
 */
public record KajabiPaymentSucceeded(
        @Nullable String id,
        @Nullable String event,
        KajabiOffer offer,
        KajabiMember member,
        KajabiPaymentTransaction paymentTransaction,
        KajabiRecurringPayment recurringPayment,
        KajabiAffiliate affiliate)
        implements KajabiWebhook {

    @Override
    public KajabiWebhookKind kind() {
        return KajabiWebhookKind.PAYMENT_SUCCEEDED;
    }
}
