package dev.postpurchase.kajabi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.order.Order;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Deliveries of hooks created through Kajabi's public API ({@code /v1/hooks}), one per sample kind of Kajabi's
 * OpenAPI document (fixtures {@code api-hook-*.json}, see the fixtures' README): each parses into the record of the
 * matching offer webhook carrying the sample's values, or is refused naming {@code payload}.
 */
class KajabiApiHooksTest {
    private static final Instant NOW = Instant.parse("2025-08-01T00:00:00Z");
    private final KajabiOrderConverter converter = KajabiOrderConverter.builder()
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .build();

    @Test
    void thePurchaseSampleIsAPurchaseCreatedWithTheSamplesOfferCustomerAndAmount() {
        KajabiWebhook parsed = KajabiWebhooks.parse(Fixtures.read("api-hook-purchase.json"));

        assertThat(parsed).isInstanceOf(KajabiPurchaseCreated.class);
        KajabiPurchaseCreated p = (KajabiPurchaseCreated) parsed;
        assertThat(p.id()).isEqualTo("hash_id");
        assertThat(p.event()).isEqualTo("purchase");
        assertThat(p.transactionId()).isEqualTo("hash_id");
        assertThat(p.offer())
                .isEqualTo(new KajabiOffer(
                        List.of("0"),
                        List.of("Kajabi Test Offer"),
                        List.of(),
                        List.of("one-time"),
                        1,
                        new KajabiAmount(1000L, null),
                        KajabiAmount.ABSENT,
                        new KajabiAmount(1000L, null)));
        assertThat(p.member()).isEqualTo(new KajabiMember("0", "john.doe@example.com", "John Doe", null, null));
        assertThat(p.optIn()).isFalse();
        assertThat(p.trial()).isNull();
        assertThat(p.affiliate().isPresent()).isFalse();
        assertThat(p.contact())
                .isEqualTo(new KajabiContactDetails(null, null, null, null, null, null, null, null, null, Map.of()));
        KajabiPurchaseTransaction tx = p.transaction();
        assertThat(tx.id()).isNull();
        assertThat(tx.createdAt()).isEqualTo(Instant.parse("2025-07-31T16:59:27.580Z"));
        assertThat(tx.offerType()).isEqualTo("one-time");
        assertThat(tx.currency()).isEqualTo("USD");
        assertThat(tx.couponCode()).isNull();
        assertThat(tx.quantity()).isEqualTo(1);
        assertThat(tx.amountPaid().isKnown()).isFalse();
        assertThat(tx.recurring().isPresent()).isFalse();
    }

    @Test
    void thePaymentSucceededSampleIsAPaymentSucceededWithTheSamplesTransactionAndCustomer() {
        KajabiWebhook parsed = KajabiWebhooks.parse(Fixtures.read("api-hook-payment-succeeded.json"));

        assertThat(parsed).isInstanceOf(KajabiPaymentSucceeded.class);
        KajabiPaymentSucceeded p = (KajabiPaymentSucceeded) parsed;
        assertThat(p.id()).isEqualTo("hash_id");
        assertThat(p.event()).isEqualTo("payment_succeeded");
        // The sample's transaction names no offer ("offer": {"data": null}), as Kajabi does for bundled payments.
        assertThat(p.offer().ids()).isEmpty();
        assertThat(p.member()).isEqualTo(new KajabiMember("0", "john.doe@example.com", "John Doe", null, null));
        KajabiPaymentTransaction tx = p.paymentTransaction();
        assertThat(tx.id()).isEqualTo("0");
        assertThat(tx.createdAt()).isEqualTo(Instant.parse("2025-07-31T17:10:19.285Z"));
        assertThat(tx.currency()).isEqualTo("USD");
        assertThat(tx.amountPaid()).isEqualTo(new KajabiAmount(1000L, null));
        assertThat(tx.salesTax()).isEqualTo(new KajabiAmount(0L, null));
        assertThat(tx.subtotal().isKnown()).isFalse();
        assertThat(p.recurringPayment().isPresent()).isFalse();
    }

    @Test
    void theOrderCreatedSampleIsACartPurchaseWithTheSamplesItemsAmountsAndPayment() {
        KajabiWebhook parsed = KajabiWebhooks.parse(Fixtures.read("api-hook-order-created.json"));

        assertThat(parsed).isInstanceOf(KajabiCartPurchase.class);
        KajabiCartPurchase cart = (KajabiCartPurchase) parsed;
        assertThat(cart.id()).isEqualTo("0");
        assertThat(cart.order().orderNumber()).isEqualTo("0");
        assertThat(cart.order().items())
                .containsExactly(new KajabiCartItem(
                        "Offer",
                        "0",
                        "Kajabi Test Offer",
                        null,
                        1,
                        KajabiAmount.ABSENT,
                        new KajabiAmount(800L, null),
                        new KajabiAmount(0L, null),
                        new KajabiAmount(200L, null),
                        new KajabiAmount(1000L, null)));
        KajabiPaymentTransaction tx = cart.paymentTransaction();
        assertThat(tx.id()).isEqualTo("0");
        assertThat(tx.createdAt()).isEqualTo(Instant.parse("2025-07-31T17:13:05.247Z"));
        assertThat(tx.currency()).isEqualTo("USD");
        assertThat(tx.subtotal()).isEqualTo(new KajabiAmount(800L, null));
        assertThat(tx.discountAmount()).isEqualTo(new KajabiAmount(0L, null));
        assertThat(tx.salesTax()).isEqualTo(new KajabiAmount(200L, null));
        assertThat(tx.amountPaid()).isEqualTo(new KajabiAmount(1000L, null));
        assertThat(cart.member()).isEqualTo(new KajabiMember("0", "john.doe@example.com", "John Doe", null, null));
    }

    @Test
    void theFormSubmissionSampleKeepsItsEmailNameAndForm() {
        KajabiWebhook parsed = KajabiWebhooks.parse(Fixtures.read("api-hook-form-submission.json"));

        assertThat(parsed)
                .isEqualTo(new KajabiFormSubmission(
                        "hash_id",
                        "0",
                        "Sample Form",
                        Map.of(),
                        "John Doe",
                        "john.doe@example.com",
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        Map.of()));
    }

    @Test
    void tagAddedAndTagRemovedAreRefusedNamingPayload() {
        for (String event : List.of("tag_added", "tag_removed")) {
            String delivery = Fixtures.read("api-hook-" + event.replace('_', '-') + ".json");

            assertThatThrownBy(() -> KajabiWebhooks.parse(delivery))
                    .isInstanceOfSatisfying(ValidationException.class, e -> {
                        assertThat(e.fields()).containsExactly("payload");
                        assertThat(e.getMessage())
                                .contains("Kajabi " + event + " delivery")
                                .doesNotContain("sample@example.com");
                    });
            assertThatThrownBy(() -> KajabiWebhooks.parse(delivery, KajabiWebhookKind.FORM_SUBMISSION))
                    .isInstanceOf(ValidationException.class);
        }
    }

    @Test
    void theTypedParsersReadTheirEventAndRefuseAnotherNamingPayload() {
        assertThat(KajabiWebhooks.parsePurchaseCreated(Fixtures.read("api-hook-purchase.json"))
                        .offer()
                        .ids())
                .containsExactly("0");
        assertThat(KajabiWebhooks.parseFormSubmission(Fixtures.read("api-hook-form-submission.json"))
                        .email())
                .isEqualTo("john.doe@example.com");

        assertThatThrownBy(() -> KajabiWebhooks.parsePurchaseCreated(Fixtures.read("api-hook-form-submission.json")))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.fields()).containsExactly("payload");
                    assertThat(e.getMessage())
                            .contains("is a Kajabi form_submission delivery, not a Purchase Created payload");
                });
        assertThatThrownBy(() -> KajabiWebhooks.parse(
                        Fixtures.read("api-hook-order-created.json"), KajabiWebhookKind.PAYMENT_SUCCEEDED))
                .isInstanceOf(ValidationException.class);
    }

    @Test
    void aDeliveryWithoutWhatItsEventNeedsIsRefusedNamingPayload() {
        Map<String, String> refused = Map.of(
                "{\"id\": \"h\", \"event\": \"form_submission\", \"payload\": []}",
                "without its form_submissions resource",
                "{\"id\": \"h\", \"payload\": [{\"id\": \"1\", \"type\": \"purchases\"}]}",
                "without an event name",
                "{\"id\": \"h\", \"event\": \"contact_created\", \"payload\": [{\"id\": \"1\", \"type\": \"contacts\"}]}",
                "unknown event",
                "{\"event\": \"purchase\", \"payload\": [{\"id\": \"1\", \"type\": \"purchases\"},"
                        + " {\"id\": \"2\", \"type\": \"purchases\"}]}",
                "with 2 purchases resources",
                "{\"event\": \"payment_succeeded\", \"payload\": [{\"id\": \"1\", \"type\": \"transactions\","
                        + " \"attributes\": {\"state\": \"failed\", \"amount_in_cents\": 1000}}]}",
                "in state 'failed', not succeeded",
                "{\"event\": \"order_created\", \"payload\": [{\"id\": \"1\", \"type\": \"orders\", \"relationships\":"
                        + " {\"order_items\": {\"data\": [{\"id\": \"9\", \"type\": \"order_items\"}]}}}]}",
                "names a order_items resource it does not include",
                "{\"id\": \"h\", \"event\": \"purchase\", \"payload\": [{\"id\": \"1\", \"type\": \"purchases\"}]}",
                "carries none of the fields of a Kajabi Purchase Created payload");

        refused.forEach((json, reason) -> assertThatThrownBy(() -> KajabiWebhooks.parse(json))
                .as(json)
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.fields()).containsExactly("payload");
                    assertThat(e.getMessage()).contains(reason);
                }));
    }

    @Test
    void aBundledPaymentNamesTheOffersOfItsPurchases() {
        String json =
                """
                {"id": "h", "event": "payment_succeeded", "payload": [
                  {"id": "7", "type": "transactions", "attributes": {"state": "succeeded", "amount_in_cents": 9000,
                   "currency": "USD"}, "relationships": {"offer": {"data": null},
                   "purchases": {"data": [{"id": "1", "type": "purchases"}, {"id": "2", "type": "purchases"}]}}},
                  {"id": "1", "type": "purchases", "relationships": {"offer": {"data": {"id": "11", "type": "offers"}}}},
                  {"id": "2", "type": "purchases", "relationships": {"offer": {"data": {"id": "22", "type": "offers"}}}},
                  {"id": "11", "type": "offers", "attributes": {"title": "Main Course", "one_time": true}},
                  {"id": "22", "type": "offers", "attributes": {"title": "Order Bump", "one_time": true}}]}
                """;

        KajabiPaymentSucceeded p = KajabiWebhooks.parsePaymentSucceeded(json);

        assertThat(p.offer().ids()).containsExactly("11", "22");
        assertThat(p.offer().titles()).containsExactly("Main Course", "Order Bump");
        assertThat(p.offer().types()).containsExactly("one-time", "one-time");
    }

    @Test
    void anOfferOrCustomerTheDeliveryDoesNotIncludeKeepsItsId() {
        String json =
                """
                {"id": "h", "event": "purchase", "payload": [
                  {"id": "5", "type": "purchases", "attributes": {"amount_in_cents": 2500, "currency": "EUR"},
                   "relationships": {"offer": {"data": {"id": "77", "type": "offers"}},
                                     "customer": {"data": {"id": "88", "type": "customers"}}}}]}
                """;

        KajabiPurchaseCreated p = KajabiWebhooks.parsePurchaseCreated(json);

        assertThat(p.offer().ids()).containsExactly("77");
        assertThat(p.offer().titles()).isEmpty();
        assertThat(p.offer().totalAmount()).isEqualTo(new KajabiAmount(2500L, null));
        assertThat(p.offer().unitCost().isKnown()).isFalse();
        assertThat(p.member()).isEqualTo(new KajabiMember("88", null, null, null, null));
    }

    @Test
    void thePurchaseSampleBecomesTheOrderItsOfferWebhookFormMakes() {
        KajabiPurchaseCreated api = KajabiWebhooks.parsePurchaseCreated(Fixtures.read("api-hook-purchase.json"));
        KajabiPurchaseCreated offerWebhook = KajabiWebhooks.parsePurchaseCreated(
                """
                {"id": "hash_id", "event": "purchase",
                 "offer": {"id": "0", "title": "Kajabi Test Offer", "quantity": 1, "unit_cost": 1000,
                           "total_amount": 1000},
                 "member": {"id": "0", "email": "john.doe@example.com", "name": "John Doe"},
                 "transaction": {"created_at": "2025-07-31T16:59:27.580Z", "offer_type": "one-time",
                                 "currency": "USD", "quantity": 1},
                 "opt_in": false}
                """);

        Order order = converter.fromPurchases(List.of(api));

        assertThat(order).isEqualTo(converter.fromPurchases(List.of(offerWebhook)));
        assertThat(order.id()).isEqualTo("kajabi-hash_id");
        assertThat(order.customer().email()).isEqualTo("john.doe@example.com");
        assertThat(order.customer().firstName()).isEqualTo("John");
        assertThat(order.customer().lastName()).isEqualTo("Doe");
        assertThat(order.currency()).isEqualTo("USD");
        assertThat(order.offerIds()).containsExactly("0");
        assertThat(order.items()).singleElement().satisfies(item -> assertThat(item.title())
                .isEqualTo("Kajabi Test Offer"));
        assertThat(order.totals().total()).isEqualTo(1000);
        assertThat(order.transaction().paidAt()).isEqualTo(Instant.parse("2025-07-31T16:59:27.580Z"));
        // One purchase is a whole transaction: the collector hands its order out at once.
        Optional<Order> collected =
                KajabiPurchaseCollector.builder().converter(converter).build().add(api);
        assertThat(collected).contains(order);
    }

    @Test
    void thePaymentSucceededSampleBecomesTheOrderItsOfferWebhookFormMakes() {
        KajabiPaymentSucceeded api =
                KajabiWebhooks.parsePaymentSucceeded(Fixtures.read("api-hook-payment-succeeded.json"));
        KajabiPaymentSucceeded offerWebhook = KajabiWebhooks.parsePaymentSucceeded(
                """
                {"id": "hash_id", "event": "payment_succeeded",
                 "member": {"id": "0", "email": "john.doe@example.com", "name": "John Doe"},
                 "payment_transaction": {"id": "0", "created_at": "2025-07-31T17:10:19.285Z", "currency": "USD",
                                         "amount_paid": 1000, "sales_tax": 0}}
                """);

        Order order = converter.fromPayment(api);

        assertThat(order).isEqualTo(converter.fromPayment(offerWebhook));
        assertThat(order.id()).isEqualTo("kajabi-0");
        assertThat(order.customer().email()).isEqualTo("john.doe@example.com");
        assertThat(order.totals().total()).isEqualTo(1000);
        assertThat(order.transaction().paidAt()).isEqualTo(Instant.parse("2025-07-31T17:10:19.285Z"));
    }

    @Test
    void theOrderCreatedSampleBecomesTheOrderItsCartPurchaseFormMakes() {
        KajabiCartPurchase api = KajabiWebhooks.parseCartPurchase(Fixtures.read("api-hook-order-created.json"));
        KajabiCartPurchase offerWebhook = KajabiWebhooks.parseCartPurchase(
                """
                {"order": {"id": "0", "order_number": 0, "order_items": [
                   {"type": "Offer", "id": 0, "title": "Kajabi Test Offer", "quantity": 1, "subtotal": 800,
                    "discount_amount": 0, "sales_tax": 200, "total_amount": 1000}]},
                 "payment_transaction": {"id": "0", "created_at": "2025-07-31T17:13:05.247Z", "currency": "USD",
                   "subtotal": 800, "discount_amount": 0, "sales_tax": 200, "amount_paid": 1000},
                 "member": {"id": "0", "email": "john.doe@example.com", "name": "John Doe"}}
                """);

        Order order = converter.fromCart(api);

        assertThat(order).isEqualTo(converter.fromCart(offerWebhook));
        assertThat(order.id()).isEqualTo("kajabi-0");
        assertThat(order.customer().email()).isEqualTo("john.doe@example.com");
        assertThat(order.items()).singleElement().satisfies(item -> {
            assertThat(item.offerId()).isEqualTo("0");
            assertThat(item.title()).isEqualTo("Kajabi Test Offer");
        });
        assertThat(order.totals().tax()).isEqualTo(200);
        assertThat(order.totals().total()).isEqualTo(1000);
    }
}
