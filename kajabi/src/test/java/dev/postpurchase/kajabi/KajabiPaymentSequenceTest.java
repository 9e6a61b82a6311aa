package dev.postpurchase.kajabi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.order.PaymentSequence;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Payment Succeeded fires for every payment; the converter tells the first payment of a purchase from later ones. */
class KajabiPaymentSequenceTest {
    private final KajabiOrderConverter converter = KajabiOrderConverter.defaults();

    @Test
    void theFirstPaymentOfAMonthlySubscriptionIsFirstAndTheNextOnesAreRenewals() {
        List<PaymentSequence> sequences =
                List.of("2025-05-01T09:00:05Z", "2025-06-01T09:00:07Z", "2025-07-01T09:00:03Z").stream()
                        .map(paidAt ->
                                convert(subscriptionPayment(paidAt, "\"interval\": \"month\", \"interval_count\": 1")))
                        .map(Order::payment)
                        .toList();

        assertThat(sequences).containsExactly(PaymentSequence.FIRST, PaymentSequence.RENEWAL, PaymentSequence.RENEWAL);
    }

    @Test
    void aFirstChargeRetriedForDaysIsStillTheFirstButAWeeklyRenewalIsNot() {
        assertThat(convert(subscriptionPayment("2025-05-06T12:00:00Z", "\"interval\": \"month\""))
                        .payment())
                .as("five days of dunning on a monthly plan")
                .isEqualTo(PaymentSequence.FIRST);
        assertThat(convert(subscriptionPayment("2025-05-08T09:00:00Z", "\"interval\": \"week\""))
                        .payment())
                .isEqualTo(PaymentSequence.RENEWAL);
    }

    @Test
    void aFreeTrialMovesTheFirstChargeButAPaidTrialChargesAtOnce() {
        String trial = "\"interval\": \"month\", \"trial_period_days\": 14";

        assertThat(convert(subscriptionPayment("2025-05-15T09:00:00Z", trial)).payment())
                .isEqualTo(PaymentSequence.FIRST);
        assertThat(convert(subscriptionPayment("2025-06-15T09:00:00Z", trial)).payment())
                .isEqualTo(PaymentSequence.RENEWAL);
        assertThat(convert(subscriptionPayment("2025-05-01T09:00:01Z", trial + ", \"setup_fee\": 500"))
                        .payment())
                .as("the setup fee of a paid trial")
                .isEqualTo(PaymentSequence.FIRST);
        assertThat(convert(subscriptionPayment("2025-05-15T09:00:00Z", trial + ", \"setup_fee\": 500"))
                        .payment())
                .as("the first billing after a paid trial")
                .isEqualTo(PaymentSequence.RENEWAL);
    }

    @Test
    void aPaymentPlansSecondPaymentIsAnInstalment() {
        Order second = converter.fromPayment(
                KajabiWebhooks.parsePaymentSucceeded(Fixtures.read("payment-succeeded-all-fields.json")));
        Order first = converter.fromPayment(
                KajabiWebhooks.parsePaymentSucceeded(Fixtures.read("payment-succeeded-all-fields.json")
                        .replace("\"payments_made\": 2", "\"payments_made\": 1")
                        .replace("2025-06-01 12:00:00 UTC", "2025-05-01 12:00:09 UTC")));

        assertThat(second.payment()).isEqualTo(PaymentSequence.INSTALMENT);
        assertThat(first.payment()).isEqualTo(PaymentSequence.FIRST);
    }

    @Test
    void oneTimePaymentsPurchasesAndCartsAreFirstPayments() {
        assertThat(converter
                        .fromPayment(KajabiWebhooks.parsePaymentSucceeded(
                                Fixtures.read("payment-succeeded-single-offer.json")))
                        .payment())
                .isEqualTo(PaymentSequence.FIRST);
        assertThat(converter
                        .fromPurchases(List.of(
                                KajabiWebhooks.parsePurchaseCreated(Fixtures.read("purchase-created-all-fields.json"))))
                        .payment())
                .isEqualTo(PaymentSequence.FIRST);
        assertThat(converter
                        .fromCart(KajabiWebhooks.parseCartPurchase(Fixtures.read("cart-purchase-all-fields.json")))
                        .payment())
                .isEqualTo(PaymentSequence.FIRST);
    }

    @Test
    void withoutTheSubscriptionsStartThePaymentCountsAsTheFirst() {
        String json = subscriptionPayment("2025-09-01T09:00:00Z", "\"interval\": \"month\"")
                .replace("\"created_at\": \"2025-05-01T09:00:00Z\", ", "");

        assertThat(convert(json).payment()).isEqualTo(PaymentSequence.FIRST);
    }

    private Order convert(String json) {
        return converter.fromPayment(KajabiWebhooks.parsePaymentSucceeded(json));
    }

    /** A Payment Succeeded of a subscription created on 1 May 2025 at 09:00 UTC. */
    private static String subscriptionPayment(String paidAt, String recurringFields) {
        return """
                {"id": "evt-1", "event": "payment.succeeded",
                 "offer": {"id": 777, "title": "Membership", "type": "subscription"},
                 "member": {"email": "ada@example.com", "first_name": "Ada"},
                 "payment_transaction": {"id": "tx-%1$s", "created_at": "%1$s", "currency": "EUR",
                                         "amount_paid": 2900, "subtotal": 2900},
                 "recurring_payment": {"id": "sub-42", "created_at": "2025-05-01T09:00:00Z", %2$s}}
                """
                .formatted(paidAt, recurringFields);
    }
}
