package dev.postpurchase.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.postpurchase.core.order.Affiliate;
import dev.postpurchase.core.order.Customer;
import dev.postpurchase.core.order.LineItem;
import dev.postpurchase.core.order.Money;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.order.OrderSource;
import dev.postpurchase.core.order.Totals;
import dev.postpurchase.core.order.Transaction;
import dev.postpurchase.core.order.Trial;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrderTest {
    private static Order.Builder valid() {
        return Order.builder()
                .id("o-1")
                .checkoutId("c-1")
                .offerId("offer-1")
                .source(OrderSource.FUNNEL)
                .language("fi-FI")
                .checkoutLanguages(List.of("fi", "en"))
                .currency("EUR")
                .customer(Customer.builder("aino@example.com")
                        .firstName("Aino")
                        .lastName("Virtanen")
                        .customField("q", "a")
                        .build())
                .item(LineItem.builder()
                        .productId("p-1")
                        .offerId("offer-1")
                        .title("Course")
                        .quantity(2)
                        .unitPrice(1999)
                        .discount(200)
                        .tax(911)
                        .build())
                .item(LineItem.builder()
                        .productId("p-2")
                        .offerId("bump-1")
                        .title("Workbook")
                        .unitPrice(4900)
                        .build())
                .transaction(
                        new Transaction("tx-1", "stripe", "card", "SPRING", Instant.parse("2026-01-02T03:04:05.123Z")))
                .affiliate(new Affiliate("aff-1", "Partner"))
                .marketingOptIn(true)
                .trial(new Trial(14, Instant.parse("2026-01-16T00:00:00Z")));
    }

    @Test
    void aValidOrderComputesItsTotalsFromItsItems() {
        Order order = valid().build();

        assertThat(order.totals()).isEqualTo(new Totals(8898, 200, 911, 9609));
        assertThat(order.items().get(0).total()).isEqualTo(1999 * 2 - 200 + 911);
        assertThat(order.offerIds()).containsExactly("offer-1", "bump-1");
        assertThat(order.productIds()).containsExactly("p-1", "p-2");
    }

    @Test
    void everyBadFieldIsNamedAtOnce() {
        ValidationException e = catchThrowableOfType(ValidationException.class, () -> valid().id(" ")
                .currency("EURO")
                .language("not a tag!")
                .customer(Customer.builder("not-an-email").build())
                .items(List.of(new LineItem("p-1", null, "Course", 0, 1000L, 0L, 0L, 999L)))
                .totals(new Totals(1, 2, 3, 4))
                .build());

        assertThat(e.fields())
                .contains(
                        "id",
                        "currency",
                        "language",
                        "customer.email",
                        "items[0].quantity",
                        "items[0].total",
                        "totals.subtotal",
                        "totals.discount",
                        "totals.tax",
                        "totals.total");
        assertThat(e.getMessage()).contains("customer.email").contains("items[0].quantity");
    }

    @Test
    void anItemTotalThatDoesNotAddUpIsRefused() {
        assertThatThrownBy(() -> valid().items(List.of(new LineItem("p", null, "t", 2, 1000L, 100L, 50L, 2000L)))
                        .build())
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("items[0].total: is 2000 but the amounts add up to 1950");
    }

    @Test
    void aDiscountLargerThanTheLineIsRefusedInsteadOfANegativeTotal() {
        ValidationException e = catchThrowableOfType(ValidationException.class, () -> valid().items(
                        List.of(new LineItem("p", null, "t", 1, 100L, 200L, 0L, -100L)))
                .build());

        assertThat(e).as("an order whose total is -100").isNotNull();
        assertThat(e.fields()).contains("items[0].total", "totals.total");
        assertThat(e.getMessage()).contains("items[0].total: is -100");
    }

    @Test
    void theLineBuilderRefusesADiscountLargerThanTheLineNamingTheTotal() {
        ValidationException e = catchThrowableOfType(ValidationException.class, () -> LineItem.builder()
                .productId("p")
                .title("t")
                .unitPrice(100)
                .discount(200)
                .build());

        assertThat(e.fields()).containsExactly("total");
        assertThat(e.getMessage())
                .contains("total: is -100: the discount 200 is larger than the subtotal plus tax 100");
    }

    @Test
    void negativeOrderTotalsAreRefusedNamingTheField() {
        ValidationException e =
                catchThrowableOfType(ValidationException.class, () -> valid().items(List.of(LineItem.builder()
                                .productId("p")
                                .title("t")
                                .amountsUnknown()
                                .build()))
                        .totals(new Totals(100, 200, 0, -100))
                        .build());

        assertThat(e).isNotNull();
        assertThat(e.fields()).containsExactly("totals.total");
    }

    @Test
    void theLineBuilderNamesEveryAmountAndComputesTheTotal() {
        LineItem item = LineItem.builder()
                .productId("p-1")
                .offerId("offer-1")
                .title("Course")
                .quantity(2)
                .unitPrice(1999)
                .discount(200)
                .tax(911)
                .build();

        assertThat(item).isEqualTo(new LineItem("p-1", "offer-1", "Course", 2, 1999L, 200L, 911L, 4709L));
        assertThat(item.subtotal()).isEqualTo(3998);
        assertThat(catchThrowableOfType(ValidationException.class, () -> LineItem.builder()
                                .productId("p-1")
                                .title("Course")
                                .build())
                        .fields())
                .as("a forgotten price is not an unknown price")
                .containsExactly("unitPrice");
        assertThat(catchThrowableOfType(ValidationException.class, () -> LineItem.builder()
                                .productId("p-1")
                                .title("Course")
                                .unitPrice(100)
                                .amountsUnknown()
                                .build())
                        .fields())
                .containsExactly("unitPrice");
    }

    @Test
    void aLineWithUnknownAmountsNeedsTheOrdersOwnConsistentTotals() {
        LineItem unknown = LineItem.builder()
                .productId("p-2")
                .offerId("bump-1")
                .title("Workbook")
                .amountsUnknown()
                .build();
        LineItem known = LineItem.builder()
                .productId("p-1")
                .title("Course")
                .unitPrice(5000)
                .build();

        Order order = valid().items(List.of(known, unknown))
                .totals(new Totals(9000, 0, 0, 9000))
                .build();

        assertThat(PostpurchaseJson.read(PostpurchaseJson.write(order), Order.class, "order"))
                .as("stored and read back as a trigger payload")
                .isEqualTo(order);
        assertThat(unknown.amountsKnown()).isFalse();
        assertThat(unknown.total()).isNull();
        assertThat(order.totals().total()).isEqualTo(9000);
        assertThat(catchThrowableOfType(ValidationException.class, () -> valid().items(List.of(known, unknown))
                                .build())
                        .fields())
                .containsExactly("totals");
        assertThat(catchThrowableOfType(ValidationException.class, () -> valid().items(List.of(known, unknown))
                                .totals(new Totals(4000, 0, 0, 4000))
                                .build())
                        .fields())
                .as("less than the known line alone")
                .containsExactly("totals.subtotal", "totals.total");
        assertThat(catchThrowableOfType(ValidationException.class, () -> valid().items(List.of(known, unknown))
                                .totals(new Totals(9000, 0, 0, 8000))
                                .build())
                        .fields())
                .containsExactly("totals.total");
        assertThat(catchThrowableOfType(ValidationException.class, () -> valid().items(
                                        List.of(new LineItem("p", null, "t", 1, 100L, null, 0L, 100L)))
                                .totals(new Totals(100, 0, 0, 100))
                                .build())
                        .fields())
                .as("a line's amounts are all known or all unknown")
                .containsExactly("items[0].discount");
    }

    @Test
    void unknownCurrencyCodesAndLowerCaseCodesAreRefused() {
        assertThat(catchThrowableOfType(ValidationException.class, () -> valid().currency("XYZ")
                                .build())
                        .fields())
                .containsExactly("currency");
        assertThat(catchThrowableOfType(ValidationException.class, () -> valid().currency("eur")
                                .build())
                        .fields())
                .containsExactly("currency");
    }

    @Test
    void nullItemsAndLanguagesAreNamedNotThrownAsNullPointers() {
        java.util.List<LineItem> items = new java.util.ArrayList<>();
        items.add(null);
        java.util.List<String> languages = new java.util.ArrayList<>();
        languages.add(null);

        assertThat(catchThrowableOfType(ValidationException.class, () -> valid().items(items)
                                .checkoutLanguages(languages)
                                .build())
                        .fields())
                .contains("items[0]", "checkoutLanguages[0]");
        String json = PostpurchaseJson.write(valid().build()).replaceFirst("\"items\":\\[\\{", "\"items\":[null,{");
        assertThat(catchThrowableOfType(
                                ValidationException.class, () -> PostpurchaseJson.read(json, Order.class, "order"))
                        .fields())
                .contains("items[0]");
    }

    @Test
    void amountsThatOverflowWhenAddedUpAreRefused() {
        long half = Long.MAX_VALUE / 2 + 1;

        assertThat(catchThrowableOfType(ValidationException.class, () -> valid().items(List.of(
                                        new LineItem("p-1", null, "a", 1, half, 0L, 0L, half),
                                        new LineItem("p-2", null, "b", 1, half, 0L, 0L, half)))
                                .totals(new Totals(0, 0, 0, 0))
                                .build())
                        .fields())
                .contains("totals");
    }

    @Test
    void aJsonNullIsAValidationErrorNotANullValue() {
        assertThat(catchThrowableOfType(
                                ValidationException.class, () -> PostpurchaseJson.read("null", Order.class, "order"))
                        .fields())
                .containsExactly("order");
        String trailing = PostpurchaseJson.write(valid().build()) + " {}";
        assertThat(catchThrowableOfType(
                                ValidationException.class, () -> PostpurchaseJson.read(trailing, Order.class, "order"))
                        .fields())
                .containsExactly("order");
    }

    @Test
    void nullCustomFieldsAreNamed() {
        assertThat(catchThrowableOfType(ValidationException.class, () -> Customer.builder("a@example.com")
                                .customField(null, "x"))
                        .fields())
                .containsExactly("customer.customFields");
    }

    @Test
    void controlCharactersInIdsAreRefused() {
        assertThat(catchThrowableOfType(ValidationException.class, () -> valid().id("o-1\r\nX: y")
                                .build())
                        .fields())
                .containsExactly("id");
    }

    @Test
    void jsonRoundTripIsLossless() {
        Order order = valid().build();

        String json = PostpurchaseJson.write(order);
        Order back = PostpurchaseJson.read(json, Order.class, "order");

        assertThat(back).isEqualTo(order);
        assertThat(json).contains("\"paidAt\":\"2026-01-02T03:04:05.123Z\"");
    }

    @Test
    void invalidJsonOrdersSurfaceAsTheValidationException() {
        String json = PostpurchaseJson.write(valid().build()).replace("aino@example.com", "broken");

        assertThatThrownBy(() -> PostpurchaseJson.read(json, Order.class, "order"))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).fields()).containsExactly("customer.email"));
    }

    @Test
    void moneyIsFormattedWithTheCurrencysMinorUnits() {
        assertThat(Money.toDecimalString(1999, "EUR")).isEqualTo("19.99");
        assertThat(Money.toDecimalString(500, "JPY")).isEqualTo("500");
        assertThat(Money.toDecimalString(1500, "KWD")).isEqualTo("1.500");
        assertThat(Money.toDecimalString(-5, "EUR")).isEqualTo("-0.05");
    }

    @Test
    void aCustomerWithoutANameIsShownByEmail() {
        assertThat(Customer.builder("a@example.com").build().displayName()).isEqualTo("a@example.com");
        assertThat(Customer.builder("a@example.com").firstName("Aino").build().displayName())
                .isEqualTo("Aino");
    }
}
