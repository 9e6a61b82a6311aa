package dev.postpurchase.webhook.internal;

import dev.postpurchase.core.order.Customer;
import dev.postpurchase.core.order.LineItem;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.order.OrderSource;
import dev.postpurchase.core.order.Transaction;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** The made-up order a "Test webhook" sends: ids and names that say it is a test, one line of one product. */
public final class SampleOrders {
    private SampleOrders() {}

    /** One line of {@code productId} (or {@code sample-product}) at 10.00 EUR, paid at {@code now}. */
    public static Order sample(@Nullable String productId, Instant now) {
        Objects.requireNonNull(now, "now");
        return Order.builder()
                .id("test-order")
                .checkoutId("test-checkout")
                .source(OrderSource.SHOP)
                .language("en")
                .checkoutLanguages(List.of("en"))
                .currency("EUR")
                .customer(Customer.builder("test.customer@example.com")
                        .firstName("Test")
                        .lastName("Customer")
                        .build())
                .item(LineItem.builder()
                        .productId(productId == null ? "sample-product" : productId)
                        .title("Sample product")
                        .unitPrice(1000)
                        .build())
                .transaction(
                        new Transaction("test-transaction", "test", "test", null, now.truncatedTo(ChronoUnit.SECONDS)))
                .build();
    }
}
