package dev.postpurchase.kajabi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postpurchase.core.ValidationException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KajabiWebhooksTest {

    @Test
    void parsesTheSeedsPurchaseCreatedPrimaryEventWithOfferLevelAndTransactionAmounts() {
        KajabiWebhook parsed = KajabiWebhooks.parse(Fixtures.read("purchase-created-1-primary.json"));

        assertThat(parsed).isInstanceOf(KajabiPurchaseCreated.class);
        KajabiPurchaseCreated p = (KajabiPurchaseCreated) parsed;
        assertThat(p.kind()).isEqualTo(KajabiWebhookKind.PURCHASE_CREATED);
        assertThat(p.id()).isEqualTo("10001");
        assertThat(p.offer().ids()).containsExactly("11111");
        assertThat(p.offer().titles()).containsExactly("Main Course");
        assertThat(p.offer().internalTitles()).containsExactly("Main Course");
        assertThat(p.offer().quantity()).isEqualTo(1);
        assertThat(p.offer().unitCost()).isEqualTo(new KajabiAmount(5000L, new BigDecimal("50.00")));
        assertThat(p.offer().subtotal()).isEqualTo(new KajabiAmount(5000L, new BigDecimal("50.00")));
        assertThat(p.offer().totalAmount()).isEqualTo(new KajabiAmount(5000L, new BigDecimal("50.00")));
        assertThat(p.member())
                .isEqualTo(new KajabiMember("99999", "member@example.com", "Jane Smith", "Jane", "Smith"));
        KajabiPurchaseTransaction tx = p.transaction();
        assertThat(tx.id()).isEqualTo("55555");
        assertThat(p.transactionId()).isEqualTo("55555");
        assertThat(tx.createdAt()).isEqualTo(Instant.parse("2025-04-01T10:00:00Z"));
        assertThat(tx.offerType()).isEqualTo("one-time");
        assertThat(tx.subtotal().minorUnits()).isEqualTo(9000L);
        assertThat(tx.amountPaid().resolve("USD")).isEqualTo(9000L);
        assertThat(tx.currency()).isEqualTo("USD");
        assertThat(tx.paymentMethod()).isEqualTo("visa");
        assertThat(tx.paymentProcessor()).isEqualTo("Kajabi Payments");
        assertThat(tx.couponCode()).isNull();
        assertThat(p.optIn()).isFalse();
        assertThat(p.trial()).isFalse();
        assertThat(p.affiliate().isPresent()).isFalse();
        assertThat(tx.recurring().isPresent()).isFalse();
    }

    @Test
    void parsesBumpEventsThatCarryNoMemberAndOnlyPartOfTheTransaction() {
        KajabiPurchaseCreated bump = Fixtures.purchase(2);

        assertThat(bump.offer().ids()).containsExactly("22222");
        assertThat(bump.offer().totalAmount().resolve("USD")).isEqualTo(2000L);
        assertThat(bump.member()).isEqualTo(new KajabiMember(null, null, null, null, null));
        assertThat(bump.transaction().id()).isEqualTo("55555");
        assertThat(bump.transaction().amountPaid().minorUnits()).isEqualTo(9000L);
        assertThat(bump.transaction().createdAt()).isNull();
        assertThat(bump.optIn()).isNull();
    }

    @Test
    void parsesEveryPurchaseCreatedFieldIncludingContactAffiliateTrialAndRecurring() {
        KajabiPurchaseCreated p =
                (KajabiPurchaseCreated) KajabiWebhooks.parse(Fixtures.read("purchase-created-all-fields.json"));

        assertThat(p.event()).isEqualTo("purchase.created");
        assertThat(p.offer().titles()).containsExactly("Monthly Membership");
        assertThat(p.offer().internalTitles()).containsExactly("Membership (monthly)");
        assertThat(p.contact())
                .isEqualTo(new KajabiContactDetails(
                        "Mannerheimintie 1",
                        "A 5",
                        "Helsinki",
                        "fi",
                        "Finland",
                        "Uusimaa",
                        "00100",
                        null,
                        null,
                        Map.of("custom_1", "Blue", "custom_how_did_you_hear", "Podcast")));
        assertThat(p.affiliate())
                .isEqualTo(new KajabiAffiliate("conv-9", "aff-3", "Anna Affiliate", "anna@affiliates.example"));
        assertThat(p.optIn()).isTrue();
        assertThat(p.trial()).isTrue();
        KajabiPurchaseTransaction tx = p.transaction();
        assertThat(tx.id()).isEqualTo("66666");
        assertThat(tx.createdAt()).isEqualTo(Instant.parse("2025-05-02T05:30:00Z"));
        assertThat(tx.discountAmount()).isEqualTo(new KajabiAmount(290L, new BigDecimal("2.90")));
        assertThat(tx.couponCode()).isEqualTo("WELCOME10");
        assertThat(tx.quantity()).isEqualTo(1);
        KajabiRecurringPayment r = tx.recurring();
        assertThat(r.id()).isEqualTo("sub_123");
        assertThat(r.createdAt()).isEqualTo(Instant.parse("2025-05-02T05:30:00Z"));
        assertThat(r.paymentAmount()).isEqualTo(new KajabiAmount(2900L, new BigDecimal("29.00")));
        assertThat(r.interval()).isEqualTo("month");
        assertThat(r.intervalCount()).isEqualTo(1);
        assertThat(r.trialPeriodDays()).isEqualTo(7);
        assertThat(r.setupFee()).isEqualTo(new KajabiAmount(0L, new BigDecimal("0.00")));
        assertThat(r.totalPaymentCount()).isNull();
        assertThat(r.paymentsMade()).isNull();
    }

    @Test
    void parsesCommaSeparatedOfferFieldsOfABundledPaymentSucceeded() {
        KajabiPaymentSucceeded p = (KajabiPaymentSucceeded)
                KajabiWebhooks.parse(Fixtures.read("payment-succeeded-primary-plus-two-bumps.json"));

        assertThat(p.kind()).isEqualTo(KajabiWebhookKind.PAYMENT_SUCCEEDED);
        assertThat(p.offer().ids()).containsExactly("11111", "22222", "33333");
        assertThat(p.offer().isMultiple()).isTrue();
        assertThat(p.offer().titles()).containsExactly("Main Course", "Order Bump 1", "Order Bump 2");
        assertThat(p.offer().internalTitles())
                .containsExactly("Main Course - Internal", "Order Bump 1 - Internal", "Order Bump 2 - Internal");
        assertThat(p.offer().types()).containsExactly("one-time", "one-time", "one-time");
        KajabiPaymentTransaction tx = p.paymentTransaction();
        assertThat(tx.id()).isEqualTo("55555");
        assertThat(tx.amountPaid()).isEqualTo(new KajabiAmount(9000L, new BigDecimal("90.00")));
        assertThat(tx.discountAmount()).isEqualTo(new KajabiAmount(0L, new BigDecimal("0.0")));
        assertThat(tx.salesTax().isKnown()).isFalse();
    }

    @Test
    void parsesASingleNumericOfferIdAsOneOffer() {
        KajabiPaymentSucceeded p =
                KajabiWebhooks.parsePaymentSucceeded(Fixtures.read("payment-succeeded-single-offer.json"));

        assertThat(p.offer().ids()).containsExactly("11111");
        assertThat(p.offer().titles()).containsExactly("Main Course");
        assertThat(p.offer().types()).containsExactly("one-time");
        assertThat(p.recurringPayment().isPresent()).isFalse();
    }

    @Test
    void parsesOfferArraysKeepingCommasInsideTitlesAndEveryPaymentSucceededField() {
        KajabiPaymentSucceeded p =
                KajabiWebhooks.parsePaymentSucceeded(Fixtures.read("payment-succeeded-all-fields.json"));

        assertThat(p.id()).isEqualTo("evt_abc123");
        assertThat(p.event()).isEqualTo("payment.succeeded");
        assertThat(p.offer().ids()).containsExactly("501", "502");
        assertThat(p.offer().titles()).containsExactly("Course, Deluxe Edition", "Workbook");
        assertThat(p.offer().types()).containsExactly("payment plan", "one-time");
        assertThat(p.member().email()).isEqualTo("buyer@example.com");
        KajabiPaymentTransaction tx = p.paymentTransaction();
        assertThat(tx.createdAt()).isEqualTo(Instant.parse("2025-06-01T12:00:00Z"));
        assertThat(tx.paymentMethod()).isEqualTo("apple_pay");
        assertThat(tx.salesTax()).isEqualTo(new KajabiAmount(240L, new BigDecimal("2.40")));
        assertThat(tx.feeAmount()).isEqualTo(new KajabiAmount(385L, new BigDecimal("3.85")));
        assertThat(tx.netAmount()).isEqualTo(new KajabiAmount(11855L, new BigDecimal("118.55")));
        assertThat(tx.quantity()).isEqualTo(1);
        KajabiRecurringPayment r = p.recurringPayment();
        assertThat(r)
                .isEqualTo(new KajabiRecurringPayment(
                        "plan-9",
                        Instant.parse("2025-05-01T12:00:00Z"),
                        new KajabiAmount(10000L, new BigDecimal("100.00")),
                        "month",
                        1,
                        null,
                        3,
                        2,
                        new KajabiAmount(500L, new BigDecimal("5.00"))));
        assertThat(p.affiliate()).isEqualTo(new KajabiAffiliate("31", "32", "Al Affiliate", "al@example.com"));
    }

    @Test
    void parsesEveryCartPurchaseField() {
        KajabiCartPurchase cart =
                (KajabiCartPurchase) KajabiWebhooks.parse(Fixtures.read("cart-purchase-all-fields.json"));

        assertThat(cart.kind()).isEqualTo(KajabiWebhookKind.CART_PURCHASE);
        assertThat(cart.id()).isEqualTo("9001");
        assertThat(cart.order().source()).isEqualTo("cart");
        assertThat(cart.order().orderNumber()).isEqualTo("K-1001");
        assertThat(cart.order().items()).hasSize(2);
        KajabiCartItem first = cart.order().items().get(0);
        assertThat(first)
                .isEqualTo(new KajabiCartItem(
                        "Offer",
                        "1201",
                        "Photography Basics",
                        "photo-basics",
                        2,
                        new KajabiAmount(3000L, new BigDecimal("30.00")),
                        new KajabiAmount(6000L, new BigDecimal("60.00")),
                        new KajabiAmount(600L, new BigDecimal("6.00")),
                        new KajabiAmount(540L, new BigDecimal("5.40")),
                        new KajabiAmount(5940L, new BigDecimal("59.40"))));
        assertThat(cart.order().items().get(1).internalTitle()).isNull();
        KajabiPaymentTransaction tx = cart.paymentTransaction();
        assertThat(tx.id()).isEqualTo("880001");
        assertThat(tx.paymentMethodCountry()).isEqualTo("US");
        assertThat(tx.receiptNumber()).isEqualTo("R-2025-0042");
        assertThat(tx.settlementCurrency()).isEqualTo("EUR");
        assertThat(tx.settlementAmount()).isEqualTo(new KajabiAmount(6980L, new BigDecimal("69.80")));
        assertThat(tx.settlementNetAmount()).isEqualTo(new KajabiAmount(6750L, new BigDecimal("67.50")));
        assertThat(tx.invoiceNumber()).isEqualTo("INV-77");
        assertThat(tx.couponCode()).isEqualTo("SUMMER");
        assertThat(cart.member().lastName()).isEqualTo("Cart");
        assertThat(cart.contact().phoneNumber()).isEqualTo("+1 555 0100");
        assertThat(cart.contact().businessNumber()).isEqualTo("US-EIN-12-3456789");
        assertThat(cart.contact().addressState()).isEqualTo("IL");
        assertThat(cart.contact().customFields()).containsExactly(Map.entry("custom_1", "Left-handed"));
    }

    @Test
    void parsesEveryFormSubmissionFieldWithCustomFieldsByTitleAndByHandle() {
        KajabiFormSubmission form =
                (KajabiFormSubmission) KajabiWebhooks.parse(Fixtures.read("form-submission-all-fields.json"));

        assertThat(form)
                .isEqualTo(new KajabiFormSubmission(
                        "314159",
                        "2718",
                        "Free Guide Signup",
                        Map.of("Favourite colour", "Green", "Interests", "[\"Photography\",\"Travel\"]"),
                        "Frankie Form",
                        "frankie@example.com",
                        "+44 20 7946 0000",
                        "+44 7700 900000",
                        "10 Downing Street",
                        null,
                        "London",
                        "Greater London",
                        "GB",
                        "SW1A 2AA",
                        "GB123456789",
                        "Frankie",
                        "Form",
                        Map.of("custom_1", "Green", "custom_150", "last one")));
        assertThat(form.kind()).isEqualTo(KajabiWebhookKind.FORM_SUBMISSION);
    }

    @Test
    void parsesTheOlderFlatLayoutInsideAPayloadWrapper() {
        KajabiPurchaseCreated p =
                (KajabiPurchaseCreated) KajabiWebhooks.parse(Fixtures.read("purchase-created-legacy-flat.json"));

        assertThat(p.id()).isEqualTo("424242");
        assertThat(p.event()).isEqualTo("purchase.created");
        assertThat(p.offer().ids()).containsExactly("8080");
        assertThat(p.offer().titles()).containsExactly("Legacy Course");
        assertThat(p.member()).isEqualTo(new KajabiMember("111", "legacy@example.com", "Lee Legacy", "Lee", "Legacy"));
        assertThat(p.contact().addressLine1()).isEqualTo("Old Road 5");
        assertThat(p.contact().addressCity()).isEqualTo("Tampere");
        assertThat(p.contact().addressZip()).isEqualTo("33100");
        assertThat(p.optIn()).isTrue();
        assertThat(p.transaction().id()).isEqualTo("990099");
        assertThat(p.transaction().createdAt()).isEqualTo(Instant.parse("2024-01-15T09:00:00Z"));
        assertThat(p.transaction().discountAmount().minorUnits()).isEqualTo(2500L);
        assertThat(p.transaction().paymentProcessor()).isEqualTo("Stripe");
    }

    @Test
    void toleratesUnknownFieldsNullsAndWrongTypes() {
        String json =
                """
                {"id": null, "surprise": {"a": [1]}, "offer": {"id": 5, "title": null, "unit_cost": "lots",
                 "total_amount": 12.5, "quantity": "2"},
                 "member": {"email": ["not", "a", "string"], "first_name": 7},
                 "transaction": {"transaction_id": "t-1", "created_at": "yesterday", "amount_paid": null,
                 "currency": "EUR"}, "opt_in": "maybe"}
                """;

        KajabiPurchaseCreated p = (KajabiPurchaseCreated) KajabiWebhooks.parse(json);

        assertThat(p.id()).isNull();
        assertThat(p.offer().ids()).containsExactly("5");
        assertThat(p.offer().titles()).isEmpty();
        assertThat(p.offer().unitCost().isKnown()).isFalse();
        assertThat(p.offer().totalAmount().isKnown()).isFalse();
        assertThat(p.offer().quantity()).isEqualTo(2);
        assertThat(p.member().email()).isNull();
        assertThat(p.member().firstName()).isEqualTo("7");
        assertThat(p.transaction().createdAt()).isNull();
        assertThat(p.transaction().amountPaid()).isEqualTo(KajabiAmount.ABSENT);
        assertThat(p.optIn()).isNull();
    }

    @Test
    void readsAmountsFromDecimalStringsWhenMinorUnitsAreMissing() {
        String json =
                """
                {"offer": {"id": "1", "total_amount_decimal": "19.99"},
                 "member": {"email": "a@example.com"},
                 "payment_transaction": {"id": 1, "currency": "JPY", "amount_paid_decimal": "1500"}}
                """;

        KajabiPaymentSucceeded p = (KajabiPaymentSucceeded) KajabiWebhooks.parse(json);

        assertThat(p.paymentTransaction().amountPaid().resolve("JPY")).isEqualTo(1500L);
        assertThat(p.offer().totalAmount().resolve("EUR")).isEqualTo(1999L);
        assertThat(p.offer().totalAmount().resolve("KWD")).isEqualTo(19990L);
        assertThat(p.offer().totalAmount().resolve(null)).isNull();
    }

    @Test
    void detectsTheKindByEventNameWhenTheShapeIsAmbiguous() {
        assertThat(KajabiWebhooks.parse(
                        "{\"event\": \"payment.succeeded\", \"member\": {\"email\": \"x@example.com\"}}"))
                .isInstanceOf(KajabiPaymentSucceeded.class);
        assertThat(KajabiWebhooks.parse("{\"event\": \"form_submission\", \"email\": \"x@example.com\"}"))
                .isInstanceOf(KajabiFormSubmission.class);
        assertThat(KajabiWebhooks.parse("{\"offer\": {\"id\": 1}}")).isInstanceOf(KajabiPurchaseCreated.class);
        assertThat(KajabiWebhooks.parse("{\"offer\": {\"id\": 1}}", KajabiWebhookKind.PAYMENT_SUCCEEDED))
                .isInstanceOf(KajabiPaymentSucceeded.class);
    }

    @Test
    void aBodyCarryingNothingButItsIdAndEventIsRefusedNotReadIntoAnEmptyRecord() {
        List<String> empty = List.of(
                "{\"event\": \"payment.succeeded\", \"member\": {}}",
                "{\"id\": \"1\", \"event\": \"form_submission\"}",
                "{\"id\": \"1\", \"event\": \"purchase.created\", \"payload\": {}}");

        for (String json : empty) {
            assertThatThrownBy(() -> KajabiWebhooks.parse(json))
                    .as(json)
                    .isInstanceOfSatisfying(ValidationException.class, e -> {
                        assertThat(e.fields()).containsExactly("payload");
                        assertThat(e.getMessage()).contains("carries none of the fields of a Kajabi");
                    });
        }
        assertThatThrownBy(() -> KajabiWebhooks.parseCartPurchase("{\"id\": \"1\"}"))
                .isInstanceOf(ValidationException.class);
    }

    @Test
    void rejectsMalformedJsonWithoutEchoingTheBody() {
        String broken =
                Fixtures.read("purchase-created-1-primary.json").replace("\"Main Course\",", "\"secret@x.com\"");

        assertThatThrownBy(() -> KajabiWebhooks.parse(broken))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("payload")
                .hasMessageContaining("is not valid JSON at line")
                .hasMessageNotContaining("secret@x.com");
    }

    @Test
    void rejectsNonObjectsUnknownShapesAndOversizedBodies() {
        assertThatThrownBy(() -> KajabiWebhooks.parse("[1, 2]"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("must be a JSON object");
        assertThatThrownBy(() -> KajabiWebhooks.parse("{\"hello\": \"world\"}"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("is not a Kajabi Purchase Created");
        String huge = "{\"pad\": \"" + "x".repeat(KajabiWebhooks.MAX_PAYLOAD_CHARS) + "\"}";
        assertThatThrownBy(() -> KajabiWebhooks.parse(huge))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("larger than");
        assertThat(((ValidationException) catchThrowable(() -> KajabiWebhooks.parse("[]"))).fields())
                .isEqualTo(List.of("payload"));
    }

    private static Throwable catchThrowable(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("nothing thrown");
    }

    @Test
    void anEpochDateOutOfRangeIsUnreadableNotAnUntypedError() {
        String payment =
                """
                {"offer":{"id":1,"title":"Course"},"member":{"id":2,"email":"a@example.com","name":"A B"},
                 "payment_transaction":{"id":3,"created_at":99999999999999999,"currency":"USD","amount_paid":100}}""";

        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> KajabiWebhooks.parse(payment));

        assertThat(thrown).satisfiesAnyOf(t -> assertThat(t).isNull(), t -> assertThat(t)
                .isInstanceOf(ValidationException.class));
    }
}
