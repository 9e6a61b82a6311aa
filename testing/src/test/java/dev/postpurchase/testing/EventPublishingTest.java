package dev.postpurchase.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.core.SubmitResult;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.RunStatus;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.event.EventSource;
import dev.postpurchase.core.event.ShopEvent;
import dev.postpurchase.core.event.ShopEventType;
import dev.postpurchase.core.event.Subscription;
import dev.postpurchase.core.event.TransactionInfo;
import dev.postpurchase.core.memory.InMemoryDefinitionSource;
import dev.postpurchase.core.spi.ActionStateStore;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventPublishingTest {
    private final InMemoryDefinitionSource definitions = new InMemoryDefinitionSource();
    private final ActionStateStore store = ActionStateStore.inMemory();
    private final RecordingExecutor postback = new RecordingExecutor("postback");
    private final ActionPipeline pipeline = ActionPipeline.builder()
            .store(store)
            .definitions(definitions)
            .executor(postback)
            .pollInterval(Duration.ofMillis(20))
            .build();

    @AfterEach
    void stop() {
        pipeline.close();
    }

    private static ShopEvent refund(String id, EventSource source) {
        return ShopEvent.builder(id, ShopEventType.REFUND_APPLIED, source, Instant.parse("2026-02-01T10:00:00Z"))
                .order(TestOrders.paidOrder("order-" + id).build())
                .transaction(new TransactionInfo("tx-r", 1000, "EUR", "stripe", null))
                .build();
    }

    @Test
    void anEventRunsTheSubscribedDefinitionsWithTheEventInTheContext() throws Exception {
        definitions.save(TestDefinitions.definition("crm-postback", "postback", ActionLevel.CHECKOUT, "channels"));
        definitions.subscribe(Subscription.of("s1", ShopEventType.REFUND_APPLIED, List.of("crm-postback")));

        SubmitResult result = pipeline.publish(refund("e1", EventSource.SHOP));

        assertThat(result.triggerKey()).isEqualTo("event:e1");
        assertThat(result.runs()).extracting(ActionRun::triggerKind).containsExactly(TriggerKind.EVENT);
        assertThat(postback.awaitExecutions(1, Duration.ofSeconds(10))).isTrue();
        assertThat(postback.executions().get(0).event()).isNotNull();
        assertThat(postback.executions().get(0).event().funnel())
                .as("an event from the shop has no funnel")
                .isNull();
        assertThat(postback.executions().get(0).order().id()).isEqualTo("order-e1");
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(pipeline.runsOfEvent("e1")).extracting(ActionRun::status).containsExactly(RunStatus.SUCCEEDED);
        assertThat(pipeline.publish(refund("e1", EventSource.SHOP)).created()).isFalse();
    }

    @Test
    void sourceFiltersAndSwitchesDecideWhichSubscriptionsRun() {
        definitions.save(TestDefinitions.definition("funnel-only", "postback", ActionLevel.CHECKOUT, "channels"));
        definitions.save(TestDefinitions.definition("disabled-sub", "postback", ActionLevel.CHECKOUT, "channels"));
        definitions.subscribe(new Subscription(
                "s1", ShopEventType.REFUND_APPLIED, List.of("funnel-only"), EnumSet.of(EventSource.FUNNEL), true));
        definitions.subscribe(new Subscription(
                "s2", ShopEventType.REFUND_APPLIED, List.of("disabled-sub"), EnumSet.allOf(EventSource.class), false));

        assertThat(pipeline.publish(refund("from-admin", EventSource.ADMIN)).runs())
                .isEmpty();
        assertThat(pipeline.publish(refund("from-funnel", EventSource.FUNNEL)).runs())
                .extracting(ActionRun::definitionId)
                .containsExactly("funnel-only");
        definitions.setEventEnabled(ShopEventType.REFUND_APPLIED, false);
        assertThat(pipeline.publish(refund("switched-off", EventSource.FUNNEL)).runs())
                .isEmpty();
    }

    @Test
    void eventsSurviveAJsonRoundTripWithTheirNullPayloads() {
        ShopEvent event = refund("json", EventSource.ADMIN);

        ShopEvent back = PostpurchaseJson.read(PostpurchaseJson.write(event), ShopEvent.class, "event");

        assertThat(back).isEqualTo(event);
        assertThat(PostpurchaseJson.write(event)).contains("\"funnel\":null");
    }
}
