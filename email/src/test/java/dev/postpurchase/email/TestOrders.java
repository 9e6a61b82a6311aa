package dev.postpurchase.email;

import dev.postpurchase.core.order.Customer;
import dev.postpurchase.core.order.LineItem;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.order.Totals;
import dev.postpurchase.core.order.Transaction;
import java.time.Instant;
import java.util.List;

/** Orders for the tests. */
final class TestOrders {
    static final Instant PAID_AT = Instant.parse("2026-03-05T10:15:30Z");

    private TestOrders() {}

    /** A Finnish customer paying in euros: 2 × 19,99 € with a 5,00 € discount and 4,80 € tax, plus a 9,90 € item. */
    static Order.Builder finnishEuroOrder() {
        return Order.builder()
                .id("ORD-1001")
                .checkoutId("chk-1")
                .language("fi")
                .checkoutLanguages(List.of("fi", "en"))
                .currency("EUR")
                .customer(Customer.builder("anna.virtanen@example.fi")
                        .firstName("Anna")
                        .lastName("Virtanen")
                        .customField("company_size", "10")
                        .build())
                .item(LineItem.builder()
                        .productId("prod-course")
                        .offerId("offer-1")
                        .title("Verkkokurssi: Perusteet")
                        .quantity(2)
                        .unitPrice(1999)
                        .discount(500)
                        .tax(480)
                        .build())
                .item(LineItem.builder()
                        .productId("prod-ebook")
                        .title("E-kirja")
                        .unitPrice(990)
                        .build())
                .transaction(new Transaction("tx-77", "stripe", "card", "KEVAT5", PAID_AT));
    }

    static Order finnishEuro() {
        return finnishEuroOrder().build();
    }

    /**
     * An English customer paying $90.00 for a course and two bumps whose prices the source did not state (a bundled
     * Kajabi payment): the lines carry no amounts, the order only its totals.
     */
    static Order unpricedBundle() {
        Order.Builder builder = Order.builder()
                .id("ORD-BUNDLE")
                .checkoutId("chk-1")
                .language("en")
                .currency("USD")
                .customer(Customer.builder("jane@example.com").firstName("Jane").build())
                .totals(new Totals(9000, 0, 0, 9000))
                .transaction(new Transaction("tx-b", "Kajabi Payments", "visa", null, PAID_AT));
        for (String title : List.of("Main Course", "Order Bump 1", "Order Bump 2")) {
            builder.item(LineItem.builder()
                    .productId(title)
                    .title(title)
                    .amountsUnknown()
                    .build());
        }
        return builder.build();
    }

    /** An English customer paying 1,500 yen. */
    static Order japaneseYen() {
        return Order.builder()
                .id("ORD-JP-1")
                .checkoutId("chk-jp")
                .language("en")
                .checkoutLanguages(List.of("en"))
                .currency("JPY")
                .customer(Customer.builder("ken@example.jp").firstName("Ken").build())
                .item(LineItem.builder()
                        .productId("prod-a")
                        .title("Sticker pack")
                        .quantity(3)
                        .unitPrice(500)
                        .build())
                .transaction(new Transaction("tx-jp", "stripe", "card", null, PAID_AT))
                .build();
    }

    /** A Swedish customer paying in Kuwaiti dinars (three minor digits). */
    static Order kuwaitiDinar() {
        return Order.builder()
                .id("ORD-KW-1")
                .checkoutId("chk-kw")
                .language("sv")
                .checkoutLanguages(List.of("sv"))
                .currency("KWD")
                .customer(Customer.builder("sara@example.se").firstName("Sara").build())
                .item(LineItem.builder()
                        .productId("prod-b")
                        .title("Kurs")
                        .unitPrice(12345)
                        .build())
                .transaction(new Transaction("tx-kw", null, null, null, PAID_AT))
                .build();
    }

    /** A customer whose name tries to inject HTML and headers. */
    static Order hostileCustomer(String language) {
        return finnishEuroOrder()
                .id("ORD-EVIL")
                .language(language)
                .customer(Customer.builder("victim@example.com")
                        .firstName("<script>alert('x')</script>")
                        .lastName("Bcc: evil@example.org\r\nX-Evil: 1")
                        .build())
                .build();
    }
}
