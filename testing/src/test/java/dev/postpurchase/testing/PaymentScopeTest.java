package dev.postpurchase.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.PaymentScope;
import dev.postpurchase.core.event.EventSource;
import dev.postpurchase.core.event.ShopEvent;
import dev.postpurchase.core.event.ShopEventType;
import dev.postpurchase.core.event.Subscription;
import dev.postpurchase.core.memory.InMemoryDefinitionSource;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.order.PaymentSequence;
import dev.postpurchase.core.spi.ActionStateStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Later payments of a purchase (renewals, instalments) run only the definitions that run on every payment. */
class PaymentScopeTest {
    private final RecordingExecutor grant = new RecordingExecutor("grant");
    private final RecordingExecutor receipt = new RecordingExecutor("receipt", true, PaymentScope.EVERY_PAYMENT);
    private final InMemoryDefinitionSource definitions = new InMemoryDefinitionSource();
    private ActionPipeline pipeline;

    @BeforeEach
    void start() {
        pipeline = ActionPipeline.builder()
                .store(ActionStateStore.inMemory())
                .definitions(definitions)
                .executor(grant)
                .executor(receipt)
                .pollInterval(Duration.ofMillis(20))
                .build();
        definitions.save(TestDefinitions.definition("grant", "grant", ActionLevel.OFFER, "offer-1"));
        definitions.save(TestDefinitions.definition("receipt", "receipt", ActionLevel.CHECKOUT, "checkout-1"));
    }

    @AfterEach
    void stop() {
        pipeline.close();
    }

    @Test
    void aRenewalRunsOnlyTheActionsOfEveryPaymentByTheirExecutorsDefault() {
        pipeline.submit(TestOrders.paidOrder("first").build());
        pipeline.submit(
                TestOrders.paidOrder("renewal").payment(PaymentSequence.RENEWAL).build());
        pipeline.submit(TestOrders.paidOrder("instalment")
                .payment(PaymentSequence.INSTALMENT)
                .build());

        assertThat(definitionIds("first")).containsExactlyInAnyOrder("grant", "receipt");
        assertThat(definitionIds("renewal")).containsExactly("receipt");
        assertThat(definitionIds("instalment")).containsExactly("receipt");
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(pipeline.progressOfOrder("renewal").completed()).isTrue();
        assertThat(grant.executions()).hasSize(1);
        assertThat(receipt.executions()).hasSize(3);
    }

    @Test
    void aDefinitionsOwnChoiceOverridesItsExecutorsDefault() {
        definitions.save(ActionDefinition.builder("grant")
                .id("grant-each-period")
                .offer("offer-1")
                .config(Map.of())
                .runsOn(PaymentScope.EVERY_PAYMENT)
                .build());
        definitions.save(ActionDefinition.builder("receipt")
                .id("receipt-first-only")
                .checkout("checkout-1")
                .config(Map.of())
                .runsOn(PaymentScope.FIRST_PAYMENT_ONLY)
                .build());

        pipeline.submit(
                TestOrders.paidOrder("renewal").payment(PaymentSequence.RENEWAL).build());
        pipeline.submit(TestOrders.paidOrder("first").build());

        assertThat(definitionIds("renewal")).containsExactlyInAnyOrder("grant-each-period", "receipt");
        assertThat(definitionIds("first"))
                .containsExactlyInAnyOrder("grant", "grant-each-period", "receipt", "receipt-first-only");
    }

    @Test
    void anEventRunsItsSubscriptionsWhateverPaymentItsOrderIs() {
        definitions.subscribe(Subscription.of("s-1", ShopEventType.ORDER_COMPLETED, List.of("grant")));
        Order renewal =
                TestOrders.paidOrder("renewal").payment(PaymentSequence.RENEWAL).build();

        pipeline.publish(ShopEvent.builder(
                        "evt-1", ShopEventType.ORDER_COMPLETED, EventSource.SHOP, Instant.parse("2026-01-01T00:00:00Z"))
                .order(renewal)
                .build());

        assertThat(pipeline.runsOfEvent("evt-1"))
                .extracting(ActionRun::definitionId)
                .containsExactly("grant");
    }

    @Test
    void anOrderWrittenBeforeThePaymentFieldExistedIsAFirstPayment() {
        String json = PostpurchaseJson.write(TestOrders.paidOrder("o-1").build());
        String withoutPayment = json.replace(",\"payment\":\"FIRST\"", "");
        String renewal = json.replace("\"payment\":\"FIRST\"", "\"payment\":\"RENEWAL\"");

        assertThat(withoutPayment).doesNotContain("payment\"");
        assertThat(PostpurchaseJson.read(withoutPayment, Order.class, "order").payment())
                .isEqualTo(PaymentSequence.FIRST);
        Order back = PostpurchaseJson.read(renewal, Order.class, "order");
        assertThat(back.payment()).isEqualTo(PaymentSequence.RENEWAL);
        assertThat(PostpurchaseJson.read(PostpurchaseJson.write(back), Order.class, "order"))
                .isEqualTo(back);
    }

    private List<String> definitionIds(String orderId) {
        return pipeline.runsOfOrder(orderId).stream()
                .map(ActionRun::definitionId)
                .toList();
    }
}
