package dev.postpurchase.kajabi;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The recurring-payment fields of a subscription or payment plan: Payment Succeeded's {@code recurring_payment}
 * group, and the recurring fields of a Purchase Created transaction ({@code subscription_id}, {@code
 * interval_payment_amount}, ...). Every field may be missing.
 *
 * @param id the subscription or payment plan id
 * @param createdAt when the subscription or payment plan was created
 * @param paymentAmount the amount charged at each billing interval
 * @param interval the billing interval, for example {@code week}
 * @param intervalCount how many intervals between payments
 * @param trialPeriodDays trial days before billing starts, 1 to 365
 * @param totalPaymentCount for payment plans: the number of installments
 * @param paymentsMade for payment plans: installments paid so far (Payment Succeeded only)
 * @param setupFee the amount charged at once on purchase
 */
public record KajabiRecurringPayment(
        @Nullable String id,
        @Nullable Instant createdAt,
        KajabiAmount paymentAmount,
        @Nullable String interval,
        @Nullable Integer intervalCount,
        @Nullable Integer trialPeriodDays,
        @Nullable Integer totalPaymentCount,
        @Nullable Integer paymentsMade,
        KajabiAmount setupFee) {

    public KajabiRecurringPayment {
        paymentAmount = paymentAmount == null ? KajabiAmount.ABSENT : paymentAmount;
        setupFee = setupFee == null ? KajabiAmount.ABSENT : setupFee;
    }

    /** Whether any recurring field was sent. */
    public boolean isPresent() {
        return id != null
                || createdAt != null
                || paymentAmount.isKnown()
                || interval != null
                || intervalCount != null
                || trialPeriodDays != null
                || totalPaymentCount != null
                || paymentsMade != null
                || setupFee.isKnown();
    }
}
