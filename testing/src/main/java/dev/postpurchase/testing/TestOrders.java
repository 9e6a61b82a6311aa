package dev.postpurchase.testing;

import dev.postpurchase.core.order.Address;
import dev.postpurchase.core.order.Customer;
import dev.postpurchase.core.order.LineItem;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.order.OrderSource;
import dev.postpurchase.core.order.Transaction;
import java.time.Instant;
import java.util.List;

/** Valid orders for tests, as builders to adjust. */
public final class TestOrders {
    private TestOrders() {}

    /**
     * A paid EUR order in checkout {@code checkout-1} through offer {@code offer-1}: two units of {@code product-1}
     * (19.99 each, 2.00 discount, 24% tax included as 9.11) and one {@code product-2} (49.00), by Aino Virtanen.
     */
    public static Order.Builder paidOrder(String id) {
        return Order.builder()
                .id(id)
                .checkoutId("checkout-1")
                .offerId("offer-1")
                .source(OrderSource.SHOP)
                .language("fi")
                .checkoutLanguages(List.of("fi", "en", "sv"))
                .currency("EUR")
                .customer(customer("aino.virtanen@example.com"))
                .item(LineItem.builder()
                        .productId("product-1")
                        .offerId("offer-1")
                        .title("Online course")
                        .quantity(2)
                        .unitPrice(1999)
                        .discount(200)
                        .tax(911)
                        .build())
                .item(LineItem.builder()
                        .productId("product-2")
                        .offerId("offer-1")
                        .title("Workbook")
                        .unitPrice(4900)
                        .build())
                .transaction(new Transaction("tx-" + id, "stripe", "card", null, Instant.parse("2026-01-01T00:00:00Z")))
                .marketingOptIn(true);
    }

    /** {@link #paidOrder(String)} with one item of {@code productId}. */
    public static Order.Builder singleItemOrder(String id, String productId) {
        return paidOrder(id)
                .items(List.of(LineItem.builder()
                        .productId(productId)
                        .offerId("offer-1")
                        .title("Product " + productId)
                        .unitPrice(1000)
                        .build()));
    }

    public static Customer customer(String email) {
        return Customer.builder(email)
                .firstName("Aino")
                .lastName("Virtanen")
                .phone("+358401234567")
                .address(new Address("Mannerheimintie 1", null, "00100", "Helsinki", null, "FI"))
                .customField("company-size", "10")
                .build();
    }
}
