package dev.postpurchase.examples.readme;

import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.RerunOptions;
import dev.postpurchase.core.memory.InMemoryDefinitionSource;
import dev.postpurchase.core.order.Customer;
import dev.postpurchase.core.order.LineItem;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.order.Transaction;
import dev.postpurchase.core.spi.ActionStateStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The README's "Use it" sample. */
public final class QuickUsage {
    private QuickUsage() {}

    public static List<ActionRun> run() {
        // README:start quick-usage
        InMemoryDefinitionSource definitions = new InMemoryDefinitionSource();
        try (ActionPipeline pipeline = ActionPipeline.builder()
                .store(ActionStateStore.inMemory())
                .definitions(definitions)
                .executor(new SlackNotifier())
                .build()) {
            definitions.save(ActionDefinition.builder("slack")
                    .id("notify-sales")
                    .name("Tell #sales")
                    .checkout("checkout-1")
                    .config(new SlackNotifier.Config("#sales"))
                    .build());

            Order order = Order.builder()
                    .id("order-1001")
                    .checkoutId("checkout-1")
                    .currency("EUR")
                    .language("fi")
                    .customer(Customer.builder("aino@example.com")
                            .firstName("Aino")
                            .build())
                    .item(LineItem.builder()
                            .productId("course-1")
                            .offerId("offer-1")
                            .title("Online course")
                            .quantity(1)
                            .unitPrice(9900) // minor units: 99.00
                            .discount(0)
                            .tax(1916)
                            .build())
                    .transaction(new Transaction("tx-1", "stripe", "card", null, Instant.now()))
                    .build();

            pipeline.submit(order); // idempotent: submitting order-1001 again creates nothing
            pipeline.awaitIdle(Duration.ofSeconds(10));

            List<ActionRun> runs = pipeline.runsOfOrder("order-1001");
            runs.forEach(run -> System.out.println(run.name() + ": " + run.status()));
            pipeline.rerun(runs.get(0).id(), RerunOptions.defaults().acknowledgeSucceeded(true));
            // README:end quick-usage
            pipeline.awaitIdle(Duration.ofSeconds(10));
            return pipeline.runsOfOrder("order-1001");
        }
    }
}
