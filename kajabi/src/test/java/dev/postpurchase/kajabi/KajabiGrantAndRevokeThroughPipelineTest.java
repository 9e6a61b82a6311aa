package dev.postpurchase.kajabi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.postpurchase.core.ActionExecutors;
import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.IntegrationNotEnabledException;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.RunStatus;
import dev.postpurchase.core.event.EventSource;
import dev.postpurchase.core.event.ShopEvent;
import dev.postpurchase.core.event.ShopEventType;
import dev.postpurchase.core.event.Subscription;
import dev.postpurchase.core.event.TransactionInfo;
import dev.postpurchase.core.memory.InMemoryDefinitionSource;
import dev.postpurchase.core.memory.InMemoryIntegrationSettings;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.spi.ActionStateStore;
import dev.postpurchase.core.spi.IntegrationSettings;
import dev.postpurchase.testing.MutableClock;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Order → grant, refund event → revoke, through a real pipeline, with MockWebServer playing Kajabi. */
class KajabiGrantAndRevokeThroughPipelineTest {
    private final KajabiMock kajabi = new KajabiMock();
    private final InMemoryIntegrationSettings settings =
            IntegrationSettings.inMemory().enable("kajabi");
    private final MutableClock clock = new MutableClock(KajabiMock.NOW);
    private final KajabiGrantOfferExecutor grant = KajabiGrantOfferExecutor.builder()
            .integrationSettings(settings)
            .httpClient(kajabi.client)
            .allowDevelopmentBaseUrl(kajabi.base)
            .build();
    private final KajabiRevokeOfferExecutor revoke = KajabiRevokeOfferExecutor.builder()
            .integrationSettings(settings)
            .httpClient(kajabi.client)
            .allowDevelopmentBaseUrl(kajabi.base)
            .build();
    private final ActionExecutors executors = ActionExecutors.of(List.of(grant, revoke));
    private final InMemoryDefinitionSource definitions = new InMemoryDefinitionSource(executors::validate);
    private final Order order = KajabiMock.order("order-1", "Jane.Smith@Example.com", "Jane", "Smith");
    private ActionDefinition grantDefinition;
    private ActionPipeline pipeline;

    @BeforeEach
    void start() {
        grantDefinition = definitions.save(ActionDefinition.builder(KajabiGrantOfferExecutor.TYPE)
                .id("grant-main")
                .name("Grant main course")
                .offer("offer-main")
                .config(KajabiGrantOfferConfig.of("Grant main course", kajabi.activationUrl())
                        .withSendOfferGrantEmail(true))
                .build());
        ActionDefinition revokeDefinition = definitions.save(ActionDefinition.builder(KajabiRevokeOfferExecutor.TYPE)
                .id("revoke-main")
                .name("Revoke main course")
                .checkout("event-only")
                .config(KajabiRevokeOfferConfig.forGrant(grantDefinition))
                .build());
        definitions.subscribe(Subscription.of(
                "kajabi-revoke-on-refund", ShopEventType.REFUND_APPLIED, List.of(revokeDefinition.id())));
        pipeline = ActionPipeline.builder()
                .store(ActionStateStore.inMemory())
                .definitions(definitions)
                .executor(grant)
                .executor(revoke)
                .clock(clock)
                .pollInterval(Duration.ofMillis(50))
                .build();
    }

    @AfterEach
    void stop() throws IOException {
        pipeline.close();
        kajabi.close();
    }

    private ShopEvent refund() {
        return ShopEvent.builder("refund-1", ShopEventType.REFUND_APPLIED, EventSource.SHOP, KajabiMock.NOW)
                .order(order)
                .transaction(new TransactionInfo("refund-tx", 9900, "EUR", "stripe", null))
                .build();
    }

    @Test
    void aPaidOrderGrantsTheOfferAndItsRefundRevokesItForTheSameMember() {
        kajabi.answer(200, "{\"status\":\"ok\"}");
        kajabi.answer(200, "{\"status\":\"ok\"}");

        pipeline.submit(order);
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();
        RecordedRequest granted = kajabi.take();
        pipeline.publish(refund());
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();
        RecordedRequest revoked = kajabi.take();

        assertThat(granted.getRequestUrl().encodedPath()).endsWith("/activate");
        assertThat(granted.getRequestUrl().query()).isEqualTo("send_offer_grant_email=true");
        assertThat(revoked.getRequestUrl().encodedPath()).endsWith("/deactivate");
        assertThat(revoked.getRequestUrl().query()).isNull();
        JsonNode grantBody = KajabiMock.json(granted);
        JsonNode revokeBody = KajabiMock.json(revoked);
        assertThat(revokeBody).isEqualTo(grantBody);
        assertThat(grantBody.get("external_user_id").asText()).isEqualTo("jane.smith@example.com");
        List<ActionRun> orderRuns = pipeline.runsOfOrder("order-1");
        assertThat(orderRuns).extracting(ActionRun::definitionId).containsExactly("grant-main");
        assertThat(orderRuns.get(0).status()).isEqualTo(RunStatus.SUCCEEDED);
        List<ActionRun> eventRuns = pipeline.runsOfEvent("refund-1");
        assertThat(eventRuns).extracting(ActionRun::definitionId).containsExactly("revoke-main");
        assertThat(eventRuns.get(0).status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(pipeline.progressOfOrder("order-1").completed()).isTrue();
    }

    @Test
    void resubmittingTheOrderAndRepublishingTheRefundCallKajabiOnceEach() {
        kajabi.answer(200, "{}");
        kajabi.answer(200, "{}");

        pipeline.submit(order);
        pipeline.submit(order);
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();
        pipeline.publish(refund());
        pipeline.publish(refund());
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();

        assertThat(kajabi.server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void aGrantWaitingForARetryFailsWithAClearReasonOnceKajabiIsDisabled() {
        kajabi.answer(503, "{\"error\":\"maintenance\"}");

        pipeline.submit(order);
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();
        ActionRun waiting = pipeline.runsOfOrder("order-1").get(0);
        assertThat(waiting.awaitingRetry()).isTrue();
        assertThat(waiting.lastStatusCode()).isEqualTo(503);

        settings.disable("kajabi");
        clock.advance(Duration.ofHours(1));
        pipeline.wakeUp();
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();

        ActionRun failed = pipeline.runsOfOrder("order-1").get(0);
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.lastError()).containsIgnoringCase("kajabi integration is disabled");
        assertThat(kajabi.server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aGrantRetriedAfterA503SucceedsAndAnAlreadyGrantedReRunStaysSucceeded() {
        kajabi.answer(503, "");
        kajabi.answer(200, "{}");
        kajabi.answer(422, "{\"errors\":[\"The offer has already been granted to this member\"]}");

        pipeline.submit(order);
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();
        clock.advance(Duration.ofHours(1));
        pipeline.wakeUp();
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();
        ActionRun succeeded = pipeline.runsOfOrder("order-1").get(0);
        assertThat(succeeded.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(succeeded.totalAttempts()).isEqualTo(2);

        pipeline.rerun(succeeded.id(), new dev.postpurchase.core.action.RerunOptions(false, true, false));
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();

        ActionRun again = pipeline.runsOfOrder("order-1").get(0);
        assertThat(again.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(again.result()).contains("already been granted");
        assertThat(kajabi.server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void aRevokeDefinitionOnTheOfferNeverRunsForAPaidOrder() {
        definitions.save(ActionDefinition.builder(KajabiRevokeOfferExecutor.TYPE)
                .id("revoke-misplaced")
                .name("Revoke hung on the offer")
                .offer("offer-main")
                .config(KajabiRevokeOfferConfig.forGrant(grantDefinition))
                .build());
        kajabi.answer(200, "{}");

        pipeline.submit(order);
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();

        assertThat(pipeline.runsOfOrder("order-1"))
                .extracting(ActionRun::definitionId)
                .doesNotContain("revoke-misplaced");
        assertThat(kajabi.server.getRequestCount()).isEqualTo(1);
        assertThat(kajabi.take().getRequestUrl().encodedPath()).endsWith("/activate");
    }

    @Test
    void savingAKajabiDefinitionWhileKajabiIsDisabledIsRefused() {
        settings.disable("kajabi");

        assertThatThrownBy(() -> definitions.save(ActionDefinition.builder(KajabiGrantOfferExecutor.TYPE)
                        .id("grant-other")
                        .offer("offer-other")
                        .config(KajabiGrantOfferConfig.of("other", kajabi.activationUrl()))
                        .build()))
                .isInstanceOf(IntegrationNotEnabledException.class);
        assertThat(definitions.byId("grant-other")).isEmpty();
    }
}
