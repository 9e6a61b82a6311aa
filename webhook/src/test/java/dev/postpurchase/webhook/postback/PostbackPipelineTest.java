package dev.postpurchase.webhook.postback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.ConflictException;
import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.core.Secret;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.RerunOptions;
import dev.postpurchase.core.action.RunStatus;
import dev.postpurchase.core.event.EventSource;
import dev.postpurchase.core.event.ShopEvent;
import dev.postpurchase.core.event.ShopEventType;
import dev.postpurchase.core.event.Subscription;
import dev.postpurchase.core.event.TransactionInfo;
import dev.postpurchase.core.memory.InMemoryDefinitionSource;
import dev.postpurchase.core.order.OrderSource;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.retry.StatusCodeRetry;
import dev.postpurchase.core.spi.ActionStateStore;
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
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Postbacks routed by real subscriptions through a real {@link ActionPipeline}, under a controllable clock. */
class PostbackPipelineTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
    private final WebhookSecret secret = WebhookSecret.generate();
    private final InMemoryDefinitionSource definitions = new InMemoryDefinitionSource();
    private MockWebServer server;
    private GuardedHttpClient client;
    private final List<ActionPipeline> pipelines = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        client = GuardedHttpClient.builder()
                .allowHttp(true)
                .allowLoopbackForDevelopment()
                .build();
    }

    @AfterEach
    void stop() throws IOException {
        pipelines.forEach(ActionPipeline::close);
        client.close();
        server.shutdown();
    }

    private WebhookPostbackExecutor.Builder executor() {
        return WebhookPostbackExecutor.builder().httpClient(client).timeout(Duration.ofSeconds(10));
    }

    private ActionPipeline pipeline(WebhookPostbackExecutor executor) {
        ActionPipeline pipeline = ActionPipeline.builder()
                .store(ActionStateStore.inMemory())
                .definitions(definitions)
                .executor(executor)
                .clock(clock)
                .pollInterval(Duration.ofMillis(20))
                .build();
        pipelines.add(pipeline);
        return pipeline;
    }

    private void channel(ActionPipeline pipeline, String id, String path) {
        ActionDefinition definition = ActionDefinition.builder(WebhookPostbackExecutor.TYPE)
                .id(id)
                .name("channel " + id)
                .checkout("channels")
                .config(PostbackConfig.of(server.url(path).toString(), secret))
                .build();
        pipeline.executors().validate(definition);
        definitions.save(definition);
    }

    private ShopEvent refund(String id, EventSource source) {
        return ShopEvent.builder(id, ShopEventType.REFUND_APPLIED, source, clock.instant())
                .order(TestOrders.paidOrder("order-" + id)
                        .source(source == EventSource.ADMIN ? OrderSource.ADMIN : OrderSource.SHOP)
                        .build())
                .transaction(new TransactionInfo("tx-" + id, 1000, "EUR", "stripe", null))
                .build();
    }

    private ActionRun onlyRun(ActionPipeline pipeline, String eventId) {
        List<ActionRun> runs = pipeline.runsOfEvent(eventId);
        assertThat(runs).hasSize(1);
        return runs.get(0);
    }

    private static void idle(ActionPipeline pipeline) {
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();
    }

    private void advance(ActionPipeline pipeline, Duration by) {
        clock.advance(by);
        pipeline.wakeUp();
        idle(pipeline);
    }

    private static Map<String, String> signatureHeaders(RecordedRequest request) {
        return Map.of(
                "webhook-id", request.getHeader("webhook-id"),
                "webhook-timestamp", request.getHeader("webhook-timestamp"),
                "webhook-signature", request.getHeader("webhook-signature"));
    }

    @Test
    void aTracedAttemptSendsItsTraceparentWithThePostback() throws Exception {
        String attemptTrace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        ActionPipeline pipeline = ActionPipeline.builder()
                .store(ActionStateStore.inMemory())
                .definitions(definitions)
                .executor(executor().build())
                .clock(clock)
                .pollInterval(Duration.ofMillis(20))
                .observer(new dev.postpurchase.core.spi.PipelineObserver() {
                    @Override
                    public AttemptObservation attemptStarted(
                            ActionRun run, java.time.Instant startedAt, @Nullable String traceParent) {
                        return new AttemptObservation() {
                            @Override
                            public void finished(dev.postpurchase.core.action.AttemptRecord attempt, Duration took) {}

                            @Override
                            public String traceParent() {
                                return attemptTrace;
                            }
                        };
                    }
                })
                .build();
        pipelines.add(pipeline);
        channel(pipeline, "traced", "/postbacks/traced");
        definitions.subscribe(Subscription.of("s-t", ShopEventType.REFUND_APPLIED, List.of("traced")));
        server.enqueue(new MockResponse().setResponseCode(204));

        pipeline.publish(refund("traced-refund", EventSource.SHOP));
        idle(pipeline);

        assertThat(server.takeRequest(1, TimeUnit.SECONDS).getHeader("traceparent"))
                .isEqualTo(attemptTrace);
    }

    @Test
    void aSubscribedChannelGetsTheSignedEventOnlyForTheSourcesItListens() throws Exception {
        ActionPipeline pipeline = pipeline(executor().build());
        channel(pipeline, "shop-and-funnel", "/postbacks/a");
        channel(pipeline, "every-source", "/postbacks/b");
        definitions.subscribe(new Subscription(
                "s-a",
                ShopEventType.REFUND_APPLIED,
                List.of("shop-and-funnel"),
                EnumSet.of(EventSource.SHOP, EventSource.FUNNEL),
                true));
        definitions.subscribe(Subscription.of("s-b", ShopEventType.REFUND_APPLIED, List.of("every-source")));
        server.enqueue(new MockResponse().setResponseCode(200));
        server.enqueue(new MockResponse().setResponseCode(200));
        server.enqueue(new MockResponse().setResponseCode(204));

        assertThat(pipeline.publish(refund("admin-refund", EventSource.ADMIN)).runs())
                .extracting(ActionRun::definitionId)
                .containsExactly("every-source");
        idle(pipeline);
        RecordedRequest adminDelivery = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(adminDelivery.getPath()).isEqualTo("/postbacks/b");
        assertThat(adminDelivery.getHeader("Content-Type")).isEqualTo("application/json");
        byte[] body = adminDelivery.getBody().readByteArray();
        ActionRun adminRun = onlyRun(pipeline, "admin-refund");
        assertThat(StandardWebhookVerifier.builder()
                        .secret(secret)
                        .clock(clock)
                        .build()
                        .verify(body, signatureHeaders(adminDelivery))
                        .id())
                .isEqualTo(adminRun.idempotencyKey());
        var json = PostpurchaseJson.mapper().readTree(body);
        assertThat(json.get("type").asText()).isEqualTo("refund.applied");
        assertThat(json.get("source").asText()).isEqualTo("admin");
        assertThat(json.get("id").asText()).isEqualTo(adminRun.idempotencyKey());
        assertThat(json.at("/data/funnel").isNull())
                .as("an admin order has no funnel")
                .isTrue();
        assertThat(json.at("/data/order/order_id").asText()).isEqualTo("order-admin-refund");
        assertThat(adminRun.status()).isEqualTo(RunStatus.SUCCEEDED);

        assertThat(pipeline.publish(refund("shop-refund", EventSource.SHOP)).runs())
                .extracting(ActionRun::definitionId)
                .containsExactlyInAnyOrder("shop-and-funnel", "every-source");
        idle(pipeline);
        assertThat(server.getRequestCount()).isEqualTo(3);
        assertThat(pipeline.runsOfEvent("shop-refund"))
                .extracting(ActionRun::status)
                .containsOnly(RunStatus.SUCCEEDED);
    }

    @Test
    void aDisabledSubscriptionOrAnEventTypeSwitchedOffNotifiesNobody() {
        ActionPipeline pipeline = pipeline(executor().build());
        channel(pipeline, "crm", "/postbacks/crm");
        channel(pipeline, "erp", "/postbacks/erp");
        definitions.subscribe(new Subscription(
                "off", ShopEventType.REFUND_APPLIED, List.of("erp"), EnumSet.allOf(EventSource.class), false));
        definitions.subscribe(Subscription.of("on", ShopEventType.REFUND_APPLIED, List.of("crm")));
        server.enqueue(new MockResponse().setResponseCode(200));

        definitions.setEventEnabled(ShopEventType.REFUND_APPLIED, false);
        assertThat(pipeline.publish(refund("while-off", EventSource.SHOP)).runs())
                .isEmpty();

        definitions.setEventEnabled(ShopEventType.REFUND_APPLIED, true);
        assertThat(pipeline.publish(refund("while-on", EventSource.SHOP)).runs())
                .extracting(ActionRun::definitionId)
                .containsExactly("crm");
        assertThat(pipeline.publish(ShopEvent.builder(
                                        "other-type", ShopEventType.CONTACT_CREATED, EventSource.SHOP, clock.instant())
                                .build())
                        .runs())
                .isEmpty();
        idle(pipeline);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aListedStatusIsRetriedAtMostThreeTimesAfterTheDelay() throws Exception {
        ActionPipeline pipeline = pipeline(executor().build());
        channel(pipeline, "crm", "/postbacks/crm");
        definitions.subscribe(Subscription.of("s", ShopEventType.REFUND_APPLIED, List.of("crm")));
        for (int i = 0; i < 5; i++) {
            server.enqueue(new MockResponse().setResponseCode(503).setBody("busy"));
        }

        pipeline.publish(refund("e-retry", EventSource.SHOP));
        idle(pipeline);
        for (int attempt = 1; attempt <= 3; attempt++) {
            ActionRun waiting = onlyRun(pipeline, "e-retry");
            assertThat(waiting.awaitingRetry()).isTrue();
            assertThat(waiting.attempts()).isEqualTo(attempt);
            assertThat(waiting.nextAttemptAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(1)));
            advance(pipeline, Duration.ofSeconds(59));
            assertThat(server.getRequestCount()).isEqualTo(attempt);
            advance(pipeline, Duration.ofSeconds(1));
        }

        ActionRun failed = onlyRun(pipeline, "e-retry");
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.attempts()).isEqualTo(4);
        assertThat(failed.lastStatusCode()).isEqualTo(503);
        assertThat(failed.lastError()).startsWith("gave up after 4 attempts: HTTP 503: busy");
        advance(pipeline, Duration.ofHours(1));
        assertThat(server.getRequestCount()).isEqualTo(4);
        for (int i = 0; i < 4; i++) {
            assertThat(server.takeRequest(1, TimeUnit.SECONDS).getHeader("webhook-id"))
                    .isEqualTo(failed.idempotencyKey());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 400, 401, 404, 410, 501})
    void aStatusNotListedFailsAtOnce(int status) {
        ActionPipeline pipeline = pipeline(executor().build());
        channel(pipeline, "crm", "/postbacks/crm");
        definitions.subscribe(Subscription.of("s", ShopEventType.REFUND_APPLIED, List.of("crm")));
        server.enqueue(new MockResponse().setResponseCode(status));

        pipeline.publish(refund("e-" + status, EventSource.SHOP));
        idle(pipeline);

        ActionRun failed = onlyRun(pipeline, "e-" + status);
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.attempts()).isEqualTo(1);
        assertThat(failed.lastStatusCode()).isEqualTo(status);
        advance(pipeline, Duration.ofHours(1));
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void theRetriedStatusCodesAreConfigurable() {
        ActionPipeline pipeline = pipeline(executor()
                .retryStatusCodes(Set.of(404))
                .retryDelay(Duration.ofSeconds(10))
                .build());
        channel(pipeline, "crm", "/postbacks/crm");
        definitions.subscribe(Subscription.of("s", ShopEventType.REFUND_APPLIED, List.of("crm")));
        server.enqueue(new MockResponse().setResponseCode(404));
        server.enqueue(new MockResponse().setResponseCode(503));

        pipeline.publish(refund("e-404", EventSource.SHOP));
        idle(pipeline);
        assertThat(onlyRun(pipeline, "e-404").awaitingRetry()).isTrue();
        advance(pipeline, Duration.ofSeconds(10));

        ActionRun failed = onlyRun(pipeline, "e-404");
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.lastStatusCode()).isEqualTo(503);
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void aTimedOutDeliveryFailsWithoutAutomaticRetryAndAManualRetryIsHeldToTheSameTimeLimit() throws Exception {
        // Stands for the 30-second timeout: 500 ms here, the channel answers after 2 s.
        ActionPipeline pipeline =
                pipeline(executor().timeout(Duration.ofMillis(500)).build());
        channel(pipeline, "slow", "/postbacks/slow");
        definitions.subscribe(Subscription.of("s", ShopEventType.TRANSACTION_APPROVED, List.of("slow")));
        server.enqueue(new MockResponse().setResponseCode(200).setHeadersDelay(2, TimeUnit.SECONDS));
        server.enqueue(new MockResponse().setResponseCode(200).setHeadersDelay(2, TimeUnit.SECONDS));
        server.enqueue(new MockResponse().setResponseCode(200));
        ShopEvent approved = ShopEvent.builder(
                        "e-slow", ShopEventType.TRANSACTION_APPROVED, EventSource.FUNNEL, clock.instant())
                .transaction(new TransactionInfo("tx-1", 4900, "EUR", "stripe", null))
                .build();

        pipeline.publish(approved);
        idle(pipeline);

        ActionRun failed = onlyRun(pipeline, "e-slow");
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.attempts()).isEqualTo(1);
        assertThat(failed.lastError()).startsWith("timed out, not retried automatically: no answer within 500 ms");
        advance(pipeline, Duration.ofHours(2));
        assertThat(server.getRequestCount()).isEqualTo(1);

        pipeline.rerun(failed.id(), RerunOptions.defaults());
        idle(pipeline);

        ActionRun manualTimedOut = onlyRun(pipeline, "e-slow");
        assertThat(manualTimedOut.status())
                .as("the manual retry meets the same slow channel and the same limit")
                .isEqualTo(RunStatus.FAILED);
        assertThat(manualTimedOut.lastError())
                .startsWith("timed out, not retried automatically: no answer within 500 ms");
        assertThat(pipeline.attemptsOf(failed.id()))
                .extracting(a -> a.outcome().name())
                .containsExactly("FAILED", "FAILED");
        assertThat(pipeline.attemptsOf(failed.id()))
                .allSatisfy(a -> assertThat(a.durationMillis()).isGreaterThanOrEqualTo(450L));

        pipeline.rerun(failed.id(), RerunOptions.defaults());
        idle(pipeline);

        assertThat(onlyRun(pipeline, "e-slow").status()).isEqualTo(RunStatus.SUCCEEDED);
        RecordedRequest first = server.takeRequest(1, TimeUnit.SECONDS);
        server.takeRequest(1, TimeUnit.SECONDS);
        RecordedRequest manual = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(manual.getHeader("webhook-id")).isEqualTo(first.getHeader("webhook-id"));
        assertThat(manual.getBody().readUtf8()).isEqualTo(first.getBody().readUtf8());
    }

    @Test
    void staffMayRetryByHandOnlyThePostbacksOfTheEventsTheSeedLists() {
        ActionPipeline pipeline = pipeline(executor().build());
        channel(pipeline, "ch", "/postbacks/ch");
        definitions.subscribe(Subscription.of("s1", ShopEventType.SUBSCRIPTION_CANCELED, List.of("ch")));
        definitions.subscribe(Subscription.of("s2", ShopEventType.REFUND_APPLIED, List.of("ch")));
        server.enqueue(new MockResponse().setResponseCode(410));
        server.enqueue(new MockResponse().setResponseCode(410));
        server.enqueue(new MockResponse().setResponseCode(200));
        pipeline.publish(
                ShopEvent.builder("e-cancel", ShopEventType.SUBSCRIPTION_CANCELED, EventSource.FUNNEL, clock.instant())
                        .order(TestOrders.paidOrder("order-cancel").build())
                        .build());
        idle(pipeline);
        pipeline.publish(refund("e-refund", EventSource.FUNNEL));
        idle(pipeline);
        ActionRun cancelled = onlyRun(pipeline, "e-cancel");
        ActionRun refunded = onlyRun(pipeline, "e-refund");
        assertThat(cancelled.status()).isEqualTo(RunStatus.FAILED);
        assertThat(refunded.status()).isEqualTo(RunStatus.FAILED);

        assertThat(pipeline.previewRerun(cancelled.id(), RerunOptions.defaults())
                        .blockedBy())
                .contains("subscription.canceled events cannot be retried by hand")
                .contains("refund.applied");
        assertThatThrownBy(() -> pipeline.rerun(cancelled.id(), RerunOptions.defaults()))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("manualRetryEvents");
        assertThat(pipeline.previewRerun(refunded.id(), RerunOptions.defaults()).allowed())
                .isTrue();
        pipeline.rerun(refunded.id(), RerunOptions.defaults());
        idle(pipeline);

        assertThat(onlyRun(pipeline, "e-refund").status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(onlyRun(pipeline, "e-cancel").status()).isEqualTo(RunStatus.FAILED);
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void theEventsStaffMayRetryByHandAreConfigurable() {
        ActionPipeline pipeline = pipeline(executor()
                .manualRetryEvents(EnumSet.of(ShopEventType.SUBSCRIPTION_CANCELED))
                .build());
        channel(pipeline, "ch", "/postbacks/ch");
        definitions.subscribe(Subscription.of("s1", ShopEventType.SUBSCRIPTION_CANCELED, List.of("ch")));
        server.enqueue(new MockResponse().setResponseCode(410));
        server.enqueue(new MockResponse().setResponseCode(200));
        pipeline.publish(
                ShopEvent.builder("e-cancel", ShopEventType.SUBSCRIPTION_CANCELED, EventSource.FUNNEL, clock.instant())
                        .order(TestOrders.paidOrder("order-cancel").build())
                        .build());
        idle(pipeline);

        pipeline.rerun(onlyRun(pipeline, "e-cancel").id(), RerunOptions.defaults());
        idle(pipeline);

        assertThat(onlyRun(pipeline, "e-cancel").status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    void aConnectionFailureIsNotRetriedAutomatically() {
        ActionPipeline pipeline = pipeline(executor().build());
        channel(pipeline, "gone", "/postbacks/gone");
        definitions.subscribe(Subscription.of("s", ShopEventType.REFUND_APPLIED, List.of("gone")));
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));

        pipeline.publish(refund("e-dropped", EventSource.SHOP));
        idle(pipeline);

        assertThat(onlyRun(pipeline, "e-dropped").status()).isEqualTo(RunStatus.FAILED);
    }

    @Test
    void theDefaultsAreThirtySecondsAndThreeRetriesOnTheListedCodes() {
        WebhookPostbackExecutor defaults =
                WebhookPostbackExecutor.builder().httpClient(client).build();
        assertThat(defaults.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.defaultRetryPolicy())
                .isEqualTo(RetryPolicy.onStatusCodes(Set.of(408, 429, 500, 502, 503, 504), Duration.ofMinutes(1), 3));
        assertThat(StatusCodeRetry.DEFAULT_CODES).containsExactlyInAnyOrder(408, 429, 500, 502, 503, 504);
        assertThat(defaults.type()).isEqualTo("postback");
        assertThat(defaults.idempotent()).isTrue();
    }

    @Test
    void validationNamesEveryBadFieldAndToStringHidesSecrets() {
        try (GuardedHttpClient httpsOnly = GuardedHttpClient.createDefault()) {
            WebhookPostbackExecutor strict =
                    WebhookPostbackExecutor.builder().httpClient(httpsOnly).build();
            assertThatThrownBy(() ->
                            strict.validate(new PostbackConfig("http://crm.example/postback", Secret.of("nope"), null)))
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fields())
                            .containsExactly("url", "secret"));
            strict.validate(PostbackConfig.create("https://crm.example/postback"));
        }
        PostbackConfig config = PostbackConfig.of("https://crm.example/p/T0k3nS3cr3t?key=abc", secret)
                .rotate();
        assertThat(config.toString())
                .doesNotContain(secret.encoded())
                .doesNotContain(config.secret().reveal())
                .doesNotContain("T0k3nS3cr3t")
                .doesNotContain("key=abc");
        assertThat(config.signingSecrets()).hasSize(2).endsWith(secret);
        assertThat(PostpurchaseJson.read(PostpurchaseJson.write(config), PostbackConfig.class, "config"))
                .isEqualTo(config);
    }
}
