package dev.postpurchase.webhook.fulfillment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.RerunOptions;
import dev.postpurchase.core.action.RunCounts;
import dev.postpurchase.core.action.RunQuery;
import dev.postpurchase.core.action.RunStatus;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.memory.InMemoryDefinitionSource;
import dev.postpurchase.core.order.LineItem;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.ActionStateStore;
import dev.postpurchase.core.spi.FulfilledUnit;
import dev.postpurchase.http.GuardedHttpClient;
import dev.postpurchase.testing.MutableClock;
import dev.postpurchase.testing.TestOrders;
import dev.postpurchase.webhook.StandardWebhookVerifier;
import dev.postpurchase.webhook.WebhookSecret;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fulfillment webhook inside a real {@link ActionPipeline}, under a clock that moves only when told. */
class FulfillmentPipelineTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:05Z"));
    private final WebhookSecret secret = WebhookSecret.generate();
    private final RecordingFulfillmentDelivery delivery = new RecordingFulfillmentDelivery();
    private final InMemoryDefinitionSource definitions = new InMemoryDefinitionSource();
    private MockWebServer server;
    private GuardedHttpClient client;
    private FulfillmentWebhookExecutor executor;
    private ActionPipeline pipeline;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        client = GuardedHttpClient.builder()
                .allowHttp(true)
                .allowLoopbackForDevelopment()
                .build();
        executor = FulfillmentWebhookExecutor.builder()
                .client(client)
                .delivery(delivery)
                .contract(FulfillmentContract.defaults().withResponseTimeout(Duration.ofSeconds(10)))
                .clock(clock)
                .build();
        pipeline = ActionPipeline.builder()
                .store(ActionStateStore.inMemory())
                .definitions(definitions)
                .executor(executor)
                .clock(clock)
                .pollInterval(Duration.ofMillis(20))
                .build();
    }

    @AfterEach
    void stop() throws IOException {
        pipeline.close();
        client.close();
        server.shutdown();
    }

    private void define(FulfillmentWebhookConfig config, RetryPolicy policy) {
        pipeline.executors()
                .validate(definitions.save(ActionDefinition.builder(FulfillmentWebhookExecutor.TYPE)
                        .id("def-licence")
                        .name("Licence server")
                        .product("product-1")
                        .config(config)
                        .retryPolicy(policy)
                        .build()));
    }

    private FulfillmentWebhookConfig.Builder config() {
        return FulfillmentWebhookConfig.builder(server.url("/licences").toString())
                .secret(secret)
                .productId("product-1");
    }

    private static Order order(String id, int quantity) {
        return TestOrders.paidOrder(id)
                .items(List.of(LineItem.builder()
                        .productId("product-1")
                        .offerId("offer-1")
                        .title("Online course")
                        .quantity(quantity)
                        .unitPrice(1999)
                        .build()))
                .build();
    }

    private ActionRun onlyRun(Order order) {
        List<ActionRun> runs = pipeline.runsOfOrder(order.id());
        assertThat(runs).hasSize(1);
        return runs.get(0);
    }

    private void advanceAndRun(Duration by) {
        clock.advance(by);
        pipeline.wakeUp();
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void aFailingServerIsTriedFiveTimesTenMinutesApartThenTheRunFails() throws Exception {
        for (int i = 0; i < 6; i++) {
            server.enqueue(new MockResponse().setResponseCode(500).setBody("down"));
        }
        define(config().build(), executor.defaultRetryPolicy());
        Order order = order("order-retries", 1);
        Instant submitted = clock.instant();

        pipeline.submit(order);
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();

        List<Instant> scheduled = new ArrayList<>();
        for (int attempt = 1; attempt <= 4; attempt++) {
            ActionRun waiting = onlyRun(order);
            assertThat(waiting.status()).isEqualTo(RunStatus.PENDING);
            assertThat(waiting.attempts()).isEqualTo(attempt);
            assertThat(waiting.lastStatusCode()).isEqualTo(500);
            scheduled.add(waiting.nextAttemptAt());
            // One minute early nothing happens.
            advanceAndRun(Duration.ofMinutes(9));
            assertThat(server.getRequestCount()).isEqualTo(attempt);
            advanceAndRun(Duration.ofMinutes(1));
        }
        ActionRun failed = onlyRun(order);
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.attempts()).isEqualTo(5);
        assertThat(failed.lastError()).startsWith("gave up after 5 attempts").contains("HTTP 500");
        assertThat(scheduled)
                .containsExactly(
                        submitted.plus(Duration.ofMinutes(10)),
                        submitted.plus(Duration.ofMinutes(20)),
                        submitted.plus(Duration.ofMinutes(30)),
                        submitted.plus(Duration.ofMinutes(40)));

        advanceAndRun(Duration.ofHours(1));
        assertThat(server.getRequestCount()).isEqualTo(5);
        List<Long> timestamps = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
            assertThat(request.getHeader("webhook-id")).isEqualTo(failed.idempotencyKey());
            timestamps.add(Long.parseLong(request.getHeader("webhook-timestamp")));
        }
        for (int i = 1; i < 5; i++) {
            assertThat(timestamps.get(i) - timestamps.get(i - 1)).isEqualTo(600);
        }
        assertThat(delivery.calls()).isZero();
    }

    @Test
    void aConfiguredIntervalAndCountReplaceTheDefaults() {
        for (int i = 0; i < 3; i++) {
            server.enqueue(new MockResponse().setResponseCode(503));
        }
        define(config().build(), RetryPolicy.fixed(Duration.ofMinutes(2), 1));
        Order order = order("order-custom-retries", 1);

        pipeline.submit(order);
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(onlyRun(order).nextAttemptAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(2)));
        advanceAndRun(Duration.ofMinutes(2));

        assertThat(onlyRun(order).status()).isEqualTo(RunStatus.FAILED);
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void separateMultibuyThroughThePipelineRetriesOnlyTheMissingUnitsAndDeliversAllThree() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(200).setBody("KEY-1"));
        server.enqueue(new MockResponse().setResponseCode(502));
        server.enqueue(new MockResponse().setResponseCode(200).setBody("KEY-2"));
        server.enqueue(new MockResponse().setResponseCode(200).setBody("KEY-3"));
        define(config().separateMultibuy(true).instructions("<p>Thanks!</p>").build(), executor.defaultRetryPolicy());
        Order order = order("order-multibuy", 3);

        pipeline.submit(order);
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();
        ActionRun waiting = onlyRun(order);
        assertThat(waiting.awaitingRetry()).isTrue();
        assertThat(FulfillmentProgress.read(waiting.result())).containsOnlyKeys("1/1/1");

        advanceAndRun(Duration.ofMinutes(10));

        ActionRun done = onlyRun(order);
        assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(pipeline.progressOfOrder(order.id()).completed()).isTrue();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(server.takeRequest(1, TimeUnit.SECONDS).getHeader("webhook-id"));
        }
        String key = done.idempotencyKey();
        assertThat(ids).containsExactly(key + "_1", key + "_2", key + "_2", key + "_3");
        assertThat(delivery.delivered()).hasSize(1);
        assertThat(delivery.delivered().get(0).instructionsHtml()).isEqualTo("<p>Thanks!</p>");
        assertThat(delivery.delivered().get(0).units())
                .extracting(FulfilledUnit::body)
                .containsExactly("KEY-1", "KEY-2", "KEY-3");
        assertThat(FulfillmentProgress.read(done.result())).hasSize(3);
    }

    @Test
    void aManualRerunOfAFailedRunRequestsOnlyTheUnitsStillMissing() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(200).setBody("KEY-1"));
        server.enqueue(new MockResponse().setResponseCode(500));
        server.enqueue(new MockResponse().setResponseCode(200).setBody("KEY-2"));
        define(config().separateMultibuy(true).build(), RetryPolicy.none());
        Order order = order("order-rerun", 2);

        pipeline.submit(order);
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();
        ActionRun failed = onlyRun(order);
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);

        pipeline.rerun(failed.id(), RerunOptions.defaults());
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();

        assertThat(onlyRun(order).status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(server.getRequestCount()).isEqualTo(3);
        assertThat(delivery.delivered().get(0).units())
                .extracting(FulfilledUnit::body)
                .containsExactly("KEY-1", "KEY-2");
    }

    @Test
    void testWebhookReportsWhatTheServerAnsweredWithoutCreatingARun() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(200).setBody("TEST-KEY\nsecond line"));
        FulfillmentWebhookConfig config = config().method(FulfillmentMethod.GET)
                .customField(CustomField.customerName("name"))
                .build();
        define(config, RetryPolicy.none()); // the merchant tests the definition the pipeline would run

        FulfillmentTestResult result = executor.testWebhook(config);
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();

        assertThat(result.metContract()).isTrue();
        assertThat(result.problem()).isNull();
        assertThat(result.status()).isEqualTo(200);
        assertThat(result.bodyPrefix()).isEqualTo("TEST-KEY second line");
        assertThat(result.bodyBytes()).isEqualTo(20);
        assertThat(result.elapsed()).isPositive();
        assertThat(result.webhookId()).startsWith("msg_test_");
        RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
        String query = request.getRequestUrl().encodedQuery();
        assertThat(query).contains("test=true", "product_id=product-1", "name=Test%20Customer");
        StandardWebhookVerifier.builder()
                .secret(secret)
                .clock(clock)
                .build()
                .verifyQuery(
                        query,
                        Map.of(
                                "webhook-id", request.getHeader("webhook-id"),
                                "webhook-timestamp", request.getHeader("webhook-timestamp"),
                                "webhook-signature", request.getHeader("webhook-signature")));
        assertThat(request.getHeader("webhook-id")).isEqualTo(result.webhookId());
        assertThat(server.getRequestCount())
                .as("one test request, nothing else")
                .isEqualTo(1);
        assertThat(pipeline.findRuns(RunQuery.builder().build()).runs())
                .as("no run of any trigger")
                .isEmpty();
        assertThat(pipeline.store().trigger(TriggerKind.ORDER, "test-order"))
                .as("the sample order was not recorded")
                .isEmpty();
        assertThat(pipeline.countRuns()).isEqualTo(new RunCounts(0, 0, 0, 0, 0));
        assertThat(pipeline.store().untilNextDue(clock.instant())).isEmpty();
        assertThat(delivery.calls()).as("nothing handed to a customer").isZero();
    }

    @Test
    void testWebhookReportsABrokenContract() {
        server.enqueue(new MockResponse().setResponseCode(503).setBody("maintenance"));
        server.enqueue(new MockResponse().setResponseCode(200).setBody("late").setHeadersDelay(2, TimeUnit.SECONDS));
        FulfillmentWebhookConfig config = config().build();

        FulfillmentTestResult unavailable = executor.testWebhook(config);
        assertThat(unavailable.metContract()).isFalse();
        assertThat(unavailable.status()).isEqualTo(503);
        assertThat(unavailable.bodyPrefix()).isEqualTo("maintenance");
        assertThat(unavailable.problem()).contains("HTTP 503");

        FulfillmentWebhookExecutor impatient = FulfillmentWebhookExecutor.builder()
                .client(client)
                .delivery(delivery)
                .contract(FulfillmentContract.defaults().withResponseTimeout(Duration.ofMillis(500)))
                .build();
        FulfillmentTestResult late = impatient.testWebhook(config);
        assertThat(late.metContract()).isFalse();
        assertThat(late.status()).isNull();
        assertThat(late.problem()).contains("no answer within 500 ms");
        assertThat(late.webhookId()).isNotEqualTo(unavailable.webhookId());
    }
}
