package dev.postpurchase.kajabi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.order.Address;
import dev.postpurchase.core.order.Affiliate;
import dev.postpurchase.core.order.LineItem;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.order.OrderSource;
import dev.postpurchase.core.order.Totals;
import dev.postpurchase.core.order.Transaction;
import dev.postpurchase.core.order.Trial;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KajabiOrderConverterTest {
    private final KajabiOrderConverter converter = KajabiOrderConverter.defaults();

    @Test
    void threePurchaseCreatedEventsOfOneTransactionMakeOneOrderWhoseTotalIsTheTransactionTotal() {
        Order order =
                converter.fromPurchases(List.of(Fixtures.purchase(1), Fixtures.purchase(2), Fixtures.purchase(3)));

        assertThat(order.id()).isEqualTo("kajabi-55555");
        assertThat(order.offerId()).isEqualTo("11111");
        assertThat(order.currency()).isEqualTo("USD");
        assertThat(order.items())
                .containsExactly(
                        new LineItem("11111", "11111", "Main Course", 1, 5000L, 0L, 0L, 5000L),
                        new LineItem("22222", "22222", "Order Bump 1", 1, 2000L, 0L, 0L, 2000L),
                        new LineItem("33333", "33333", "Order Bump 2", 1, 2000L, 0L, 0L, 2000L));
        assertThat(order.totals()).isEqualTo(new Totals(9000, 0, 0, 9000));
        assertThat(order.offerIds()).containsExactly("11111", "22222", "33333");
        assertThat(order.customer().email()).isEqualTo("member@example.com");
        assertThat(order.customer().firstName()).isEqualTo("Jane");
        assertThat(order.customer().lastName()).isEqualTo("Smith");
        assertThat(order.transaction())
                .isEqualTo(new Transaction(
                        "55555", "Kajabi Payments", "visa", null, Instant.parse("2025-04-01T10:00:00Z")));
        assertThat(order.checkoutId()).isEqualTo("kajabi");
        assertThat(order.source()).isEqualTo(OrderSource.SHOP);
        assertThat(order.marketingOptIn()).isFalse();
        assertThat(order.trial()).isNull();
    }

    @Test
    void summingTheTransactionAmountOfEachEventWouldTripleCountButTheOrderCountsOnce() {
        List<KajabiPurchaseCreated> events = List.of(Fixtures.purchase(1), Fixtures.purchase(2), Fixtures.purchase(3));
        long naive = events.stream()
                .mapToLong(e -> e.transaction().amountPaid().resolve("USD"))
                .sum();

        Order order = converter.fromPurchases(events);

        assertThat(naive).isEqualTo(27_000);
        assertThat(order.totals().total()).isEqualTo(9000);
    }

    @Test
    void theOrderIsTheSameWhateverOrderTheEventsArriveInAndDuplicatesCountOnce() {
        Order inOrder =
                converter.fromPurchases(List.of(Fixtures.purchase(1), Fixtures.purchase(2), Fixtures.purchase(3)));

        Order shuffled = converter.fromPurchases(
                List.of(Fixtures.purchase(3), Fixtures.purchase(1), Fixtures.purchase(2), Fixtures.purchase(3)));

        assertThat(shuffled).isEqualTo(inOrder);
    }

    @Test
    void anIncompleteSetGivesAnOrderOfTheOffersPresentNeverMoreThanWasPaid() {
        List<KajabiPurchaseCreated> two = List.of(Fixtures.purchase(2), Fixtures.purchase(1));

        assertThat(KajabiOrderConverter.isComplete(two)).isFalse();
        Order partial = converter.fromPurchases(two);

        assertThat(partial.totals().total()).isEqualTo(7000);
        assertThat(partial.items()).extracting(LineItem::offerId).containsExactly("11111", "22222");
        assertThat(KajabiOrderConverter.isComplete(
                        List.of(Fixtures.purchase(2), Fixtures.purchase(1), Fixtures.purchase(3))))
                .isTrue();
    }

    @Test
    void purchasesOfDifferentTransactionsAreRefusedTogetherAndGroupedByTransaction() {
        KajabiPurchaseCreated other =
                KajabiWebhooks.parsePurchaseCreated(Fixtures.read("purchase-created-all-fields.json"));

        assertThatThrownBy(() -> converter.fromPurchases(List.of(Fixtures.purchase(1), other)))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("belongs to another transaction");
        List<Order> orders = converter.fromPurchasesByTransaction(
                List.of(Fixtures.purchase(1), other, Fixtures.purchase(2), Fixtures.purchase(3)));
        assertThat(orders).extracting(Order::id).containsExactly("kajabi-55555", "kajabi-66666");
        assertThat(orders).extracting(o -> o.totals().total()).containsExactly(9000L, 2610L);
    }

    @Test
    void aPurchaseWithOfferLevelDiscountKeepsCustomerAddressAffiliateTrialAndCustomFields() {
        KajabiPurchaseCreated p =
                KajabiWebhooks.parsePurchaseCreated(Fixtures.read("purchase-created-all-fields.json"));

        Order order = converter.fromPurchases(List.of(p));

        assertThat(order.id()).isEqualTo("kajabi-66666");
        assertThat(order.currency()).isEqualTo("EUR");
        assertThat(order.items())
                .containsExactly(new LineItem("777", "777", "Monthly Membership", 1, 2900L, 290L, 0L, 2610L));
        assertThat(order.totals().total()).isEqualTo(2610);
        assertThat(order.customer().email()).isEqualTo("Matti.Meikalainen@Example.FI");
        assertThat(order.customer().address())
                .isEqualTo(new Address("Mannerheimintie 1", "A 5", "00100", "Helsinki", "Uusimaa", "FI"));
        assertThat(order.customer().customFields())
                .isEqualTo(Map.of("custom_1", "Blue", "custom_how_did_you_hear", "Podcast"));
        assertThat(order.affiliate()).isEqualTo(new Affiliate("aff-3", "Anna Affiliate"));
        assertThat(order.marketingOptIn()).isTrue();
        assertThat(order.trial()).isEqualTo(new Trial(7, Instant.parse("2025-05-09T05:30:00Z")));
        assertThat(order.transaction().coupon()).isEqualTo("WELCOME10");
    }

    @Test
    void aTransactionLevelCouponNotReflectedInOfferAmountsBecomesAnItemDiscountSpreadByTotal() {
        String coupon = Fixtures.read("purchase-created-1-primary.json")
                .replace("\"amount_paid\": 9000", "\"amount_paid\": 8100")
                .replace("\"coupon_code\": null", "\"coupon_code\": \"TENOFF\", \"discount_amount\": 900");
        List<KajabiPurchaseCreated> events = List.of(
                KajabiWebhooks.parsePurchaseCreated(coupon),
                KajabiWebhooks.parsePurchaseCreated(Fixtures.read("purchase-created-2-bump.json")
                        .replace("\"amount_paid\": 9000", "\"amount_paid\": 8100")),
                KajabiWebhooks.parsePurchaseCreated(Fixtures.read("purchase-created-3-bump.json")
                        .replace("\"amount_paid\": 9000", "\"amount_paid\": 8100")));

        Order order = converter.fromPurchases(events);

        assertThat(order.totals()).isEqualTo(new Totals(9000, 900, 0, 8100));
        assertThat(order.items()).extracting(LineItem::discount).containsExactly(500L, 200L, 200L);
    }

    @Test
    void aCouponDoesNotMakeATransactionLookCompleteBeforeItsLastOfferArrives() {
        String coupon = Fixtures.read("purchase-created-1-primary.json")
                .replace("\"amount_paid\": 9000", "\"amount_paid\": 7000");
        KajabiPurchaseCreated first = KajabiWebhooks.parsePurchaseCreated(coupon);
        KajabiPurchaseCreated second = KajabiWebhooks.parsePurchaseCreated(Fixtures.read("purchase-created-2-bump.json")
                .replace("\"amount_paid\": 9000", "\"amount_paid\": 7000"));
        KajabiPurchaseCreated third = KajabiWebhooks.parsePurchaseCreated(Fixtures.read("purchase-created-3-bump.json")
                .replace("\"amount_paid\": 9000", "\"amount_paid\": 7000"));

        assertThat(KajabiOrderConverter.isComplete(List.of(first, second))).isFalse();
        assertThat(KajabiOrderConverter.isComplete(List.of(first, second, third)))
                .isTrue();
        Order order = converter.fromPurchases(List.of(first, second, third));
        assertThat(order.totals()).isEqualTo(new Totals(9000, 2000, 0, 7000));
    }

    @Test
    void theOlderLayoutWithoutOfferAmountsTakesTheTransactionAmounts() {
        KajabiPurchaseCreated legacy =
                KajabiWebhooks.parsePurchaseCreated(Fixtures.read("purchase-created-legacy-flat.json"));

        assertThat(KajabiOrderConverter.isComplete(List.of(legacy))).isTrue();
        Order order = converter.fromPurchases(List.of(legacy));

        assertThat(order.id()).isEqualTo("kajabi-990099");
        assertThat(order.items())
                .containsExactly(new LineItem("8080", "8080", "Legacy Course", 1, 10000L, 2500L, 0L, 7500L));
        assertThat(order.totals().total()).isEqualTo(7500);
        assertThat(order.customer().address())
                .isEqualTo(new Address("Old Road 5", null, "33100", "Tampere", null, "FI"));
        assertThat(order.marketingOptIn()).isTrue();
    }

    @Test
    void aSingleOfferPaymentSucceededMakesAnOrderOfThatOffer() {
        Order order = converter.fromPayment(
                KajabiWebhooks.parsePaymentSucceeded(Fixtures.read("payment-succeeded-single-offer.json")));

        assertThat(order.id()).isEqualTo("kajabi-55555");
        assertThat(order.items())
                .containsExactly(new LineItem("11111", "11111", "Main Course", 1, 5000L, 0L, 0L, 5000L));
        assertThat(order.totals().total()).isEqualTo(5000);
    }

    @Test
    void aBundledPaymentSucceededWithoutOfferPricesInventsNoPriceForItsLines() {
        KajabiPaymentSucceeded bundled =
                KajabiWebhooks.parsePaymentSucceeded(Fixtures.read("payment-succeeded-primary-plus-two-bumps.json"));

        Order order = converter.fromPayment(bundled);

        assertThat(order.id()).isEqualTo("kajabi-55555");
        assertThat(order.items()).extracting(LineItem::offerId).containsExactly("11111", "22222", "33333");
        assertThat(order.items())
                .extracting(LineItem::title)
                .containsExactly("Main Course", "Order Bump 1", "Order Bump 2");
        assertThat(order.items())
                .as("5000/2000/2000 must not become 3000/3000/3000")
                .noneMatch(LineItem::amountsKnown);
        assertThat(order.items()).extracting(LineItem::total).containsOnlyNulls();
        assertThat(order.totals()).isEqualTo(new Totals(9000, 0, 0, 9000));
    }

    @Test
    void theEqualSplitOfUnknownPricesIsAnExplicitOption() {
        KajabiPaymentSucceeded bundled =
                KajabiWebhooks.parsePaymentSucceeded(Fixtures.read("payment-succeeded-primary-plus-two-bumps.json"));
        KajabiOrderConverter splitting =
                KajabiOrderConverter.builder().splitUnknownPricesEqually(true).build();

        Order order = splitting.fromPayment(bundled);

        assertThat(order.items()).extracting(LineItem::total).containsExactly(3000L, 3000L, 3000L);
        assertThat(order.totals().total()).isEqualTo(9000);
    }

    @Test
    void salesTaxAndPaidAmountOfAnUnpricedBundleStayOnTheOrder() {
        Order order = converter.fromPayment(
                KajabiWebhooks.parsePaymentSucceeded(Fixtures.read("payment-succeeded-all-fields.json")));

        assertThat(order.items()).extracting(LineItem::title).containsExactly("Course, Deluxe Edition", "Workbook");
        assertThat(order.items()).noneMatch(LineItem::amountsKnown);
        assertThat(order.totals()).isEqualTo(new Totals(12000, 0, 240, 12240));
        String underpaid = Fixtures.read("payment-succeeded-all-fields.json")
                .replace("\"amount_paid\": 12240", "\"amount_paid\": 12000");
        assertThat(converter
                        .fromPayment(KajabiWebhooks.parsePaymentSucceeded(underpaid))
                        .totals())
                .as("paid less than subtotal + tax: the difference is a discount")
                .isEqualTo(new Totals(12000, 240, 240, 12000));
    }

    @Test
    void aBundledPaymentSucceededIsSplitByListPricesWhenEveryOfferIsPriced() {
        KajabiPaymentSucceeded bundled =
                KajabiWebhooks.parsePaymentSucceeded(Fixtures.read("payment-succeeded-primary-plus-two-bumps.json"));
        Map<String, Long> prices = Map.of("11111", 5000L, "22222", 2000L, "33333", 2000L);
        KajabiOrderConverter priced =
                KajabiOrderConverter.builder().offerPrices(prices::get).build();

        Order order = priced.fromPayment(bundled);

        assertThat(order.items()).extracting(LineItem::total).containsExactly(5000L, 2000L, 2000L);
        assertThat(order)
                .isEqualTo(converter.fromPurchases(
                        List.of(Fixtures.purchase(1), Fixtures.purchase(2), Fixtures.purchase(3))));
    }

    @Test
    void anUnevenSplitPutsTheRemainderOnTheFirstOffersAndTaxFollowsSubtotals() {
        KajabiPaymentSucceeded p =
                KajabiWebhooks.parsePaymentSucceeded(Fixtures.read("payment-succeeded-all-fields.json"));
        KajabiOrderConverter splitting =
                KajabiOrderConverter.builder().splitUnknownPricesEqually(true).build();

        Order order = splitting.fromPayment(p);

        assertThat(order.id()).isEqualTo("kajabi-tx-777");
        assertThat(order.items())
                .containsExactly(
                        new LineItem("501", "501", "Course, Deluxe Edition", 1, 6000L, 0L, 120L, 6120L),
                        new LineItem("502", "502", "Workbook", 1, 6000L, 0L, 120L, 6120L));
        assertThat(order.totals()).isEqualTo(new Totals(12000, 0, 240, 12240));
        assertThat(order.affiliate()).isEqualTo(new Affiliate("32", "Al Affiliate"));

        String odd = Fixtures.read("payment-succeeded-primary-plus-two-bumps.json")
                .replace("9000", "10000")
                .replace("90.00", "100.00");
        Order split = splitting.fromPayment(KajabiWebhooks.parsePaymentSucceeded(odd));
        assertThat(split.items()).extracting(LineItem::total).containsExactly(3334L, 3333L, 3333L);
    }

    @Test
    void aPaymentWithoutOfferFieldsGetsOneItemWithoutAnOffer() {
        String json =
                """
                {"event": "payment.succeeded", "member": {"email": "x@example.com", "name": "Xavier de la Cruz"},
                 "payment_transaction": {"id": 12, "currency": "EUR", "amount_paid": 4200}}
                """;

        Order order = converter.fromPayment(KajabiWebhooks.parsePaymentSucceeded(json));

        assertThat(order.items())
                .containsExactly(new LineItem("kajabi-transaction", null, "Kajabi purchase", 1, 4200L, 0L, 0L, 4200L));
        assertThat(order.offerId()).isNull();
        assertThat(order.customer().firstName()).isEqualTo("Xavier de la");
        assertThat(order.customer().lastName()).isEqualTo("Cruz");
    }

    @Test
    void aCartPurchaseKeepsPerLineAmountsQuantitiesAndContact() {
        KajabiCartPurchase cart = KajabiWebhooks.parseCartPurchase(Fixtures.read("cart-purchase-all-fields.json"));

        Order order = converter.fromCart(cart);

        assertThat(order.id()).isEqualTo("kajabi-880001");
        assertThat(order.items())
                .containsExactly(
                        new LineItem("1201", "1201", "Photography Basics", 2, 3000L, 600L, 540L, 5940L),
                        new LineItem("1202", "1202", "Lightroom Presets", 1, 1500L, 0L, 150L, 1650L));
        assertThat(order.totals()).isEqualTo(new Totals(7500, 600, 690, 7590));
        assertThat(order.customer().phone()).isEqualTo("+1 555 0100");
        assertThat(order.customer().businessId()).isEqualTo("US-EIN-12-3456789");
        assertThat(order.transaction().coupon()).isEqualTo("SUMMER");
        assertThat(order.offerId()).isNull();
    }

    @Test
    void builderSettingsApplyToEveryOrder() {
        KajabiOrderConverter custom = KajabiOrderConverter.builder()
                .checkoutId("site-7")
                .language("fi")
                .checkoutLanguages(List.of("fi", "en"))
                .source(OrderSource.FUNNEL)
                .productIds(offerId -> "product-" + offerId)
                .build();

        Order order = custom.fromPayment(
                KajabiWebhooks.parsePaymentSucceeded(Fixtures.read("payment-succeeded-single-offer.json")));

        assertThat(order.checkoutId()).isEqualTo("site-7");
        assertThat(order.language()).isEqualTo("fi");
        assertThat(order.checkoutLanguages()).containsExactly("fi", "en");
        assertThat(order.source()).isEqualTo(OrderSource.FUNNEL);
        assertThat(order.items().get(0).productId()).isEqualTo("product-11111");
        assertThat(order.items().get(0).offerId()).isEqualTo("11111");
    }

    @Test
    void aMissingTransactionTimeIsTakenFromTheClock() {
        Instant now = Instant.parse("2025-08-01T00:00:00Z");
        KajabiOrderConverter clocked = KajabiOrderConverter.builder()
                .clock(Clock.fixed(now, ZoneOffset.UTC))
                .build();
        String json = Fixtures.read("payment-succeeded-single-offer.json")
                .replace("\"created_at\": \"2025-04-01T10:00:00Z\",", "");

        assertThat(clocked.fromPayment(KajabiWebhooks.parsePaymentSucceeded(json))
                        .transaction()
                        .paidAt())
                .isEqualTo(now);
    }

    @Test
    void invalidInputIsRefusedNamingTheField() {
        String noEmail = Fixtures.read("payment-succeeded-single-offer.json").replace("member@example.com", "nope");
        assertThatThrownBy(() -> converter.fromPayment(KajabiWebhooks.parsePaymentSucceeded(noEmail)))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).fields()).contains("customer.email"));
        String noTx = Fixtures.read("payment-succeeded-single-offer.json").replace("\"id\": 55555,", "");
        assertThatThrownBy(() -> converter.fromPayment(KajabiWebhooks.parsePaymentSucceeded(noTx)))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("payment_transaction.id");
        assertThatThrownBy(() -> converter.fromPurchases(List.of()))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("purchases");
        assertThatThrownBy(() ->
                        KajabiOrderConverter.builder().language("not a tag!").build())
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("language");
        assertThatThrownBy(() -> KajabiOrderConverter.orderId(" "))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("transactionId");
    }
}
