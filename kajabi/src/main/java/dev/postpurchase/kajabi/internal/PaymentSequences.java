package dev.postpurchase.kajabi.internal;

import dev.postpurchase.core.order.PaymentSequence;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Tells a first payment of a Kajabi subscription or payment plan from a later one. Kajabi sends Payment Succeeded
 * for every payment and states no sequence number for subscriptions, so the payment's time is compared with the
 * subscription's start; a payment plan also counts its payments ({@code payments_made}).
 */
public final class PaymentSequences {
    private static final Duration DEFAULT_INTERVAL = Duration.ofDays(28);

    private PaymentSequences() {}

    /**
     * The sequence of one payment.
     *
     * <ul>
     *   <li>No recurring fields at all: a one-time purchase, {@link PaymentSequence#FIRST}.
     *   <li>A later payment when {@code paymentsMade} is at least 2, or when the payment was made at least half a
     *       billing interval after the subscription's first charge. The first charge is {@code createdAt}, plus the
     *       trial days unless a setup fee was charged at once (a paid trial). The billing interval is {@code
     *       intervalCount} × {@code interval} (day 1, week 7, month 28, year 365 days; a month when not sent).
     *   <li>A later payment is an {@link PaymentSequence#INSTALMENT} for a payment plan (a total payment count or
     *       payments made stated, or an offer type naming a payment plan), else a {@link PaymentSequence#RENEWAL}.
     *   <li>Without a subscription start or a payment time (and no payment count of 2 or more) the payment counts as
     *       the first: the one-off actions run, as they did before renewals were told apart.
     * </ul>
     *
     * @param recurringPresent whether the payload had any recurring field
     * @param offerTypes the offer's types as sent ({@code subscription}, {@code payment plan}, ...)
     */
    public static PaymentSequence of(
            boolean recurringPresent,
            @Nullable Instant subscriptionCreatedAt,
            @Nullable Instant paidAt,
            @Nullable String interval,
            @Nullable Integer intervalCount,
            @Nullable Integer trialPeriodDays,
            boolean setupFeeCharged,
            @Nullable Integer totalPaymentCount,
            @Nullable Integer paymentsMade,
            List<String> offerTypes) {
        if (!recurringPresent) {
            return PaymentSequence.FIRST;
        }
        boolean later = paymentsMade != null && paymentsMade >= 2;
        if (!later && subscriptionCreatedAt != null && paidAt != null) {
            Instant firstCharge = subscriptionCreatedAt;
            if (trialPeriodDays != null && trialPeriodDays > 0 && !setupFeeCharged) {
                firstCharge = firstCharge.plus(Duration.ofDays(trialPeriodDays));
            }
            Duration half = billingInterval(interval, intervalCount).dividedBy(2);
            later = !paidAt.isBefore(firstCharge.plus(half));
        }
        if (!later) {
            return PaymentSequence.FIRST;
        }
        boolean plan = totalPaymentCount != null
                || paymentsMade != null
                || offerTypes.stream().anyMatch(t -> t.toLowerCase(Locale.ROOT).contains("plan"));
        return plan ? PaymentSequence.INSTALMENT : PaymentSequence.RENEWAL;
    }

    private static Duration billingInterval(@Nullable String interval, @Nullable Integer count) {
        int n = count == null || count < 1 ? 1 : count;
        if (interval == null) {
            return DEFAULT_INTERVAL.multipliedBy(n);
        }
        String unit = interval.strip().toLowerCase(Locale.ROOT);
        if (unit.startsWith("day")) {
            return Duration.ofDays(n);
        }
        if (unit.startsWith("week")) {
            return Duration.ofDays(7L * n);
        }
        if (unit.startsWith("year") || unit.startsWith("annual")) {
            return Duration.ofDays(365L * n);
        }
        return DEFAULT_INTERVAL.multipliedBy(n);
    }
}
