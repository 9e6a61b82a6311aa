package dev.postpurchase.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postpurchase.core.ActionExecutors;
import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.core.Secret;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.RunStatus;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.memory.InMemoryDefinitionSource;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.spi.ActionStateStore;
import dev.postpurchase.core.spi.AttemptResult;
import dev.postpurchase.core.spi.ExecutionContext;
import dev.postpurchase.core.spi.ExecutionOutcome;
import dev.postpurchase.core.spi.ExecutionOutcome.PermanentFailure;
import dev.postpurchase.core.spi.ExecutionOutcome.RetryableFailure;
import dev.postpurchase.core.spi.ExecutionOutcome.Succeeded;
import dev.postpurchase.http.GuardedHttpClient;
import dev.postpurchase.testing.MutableClock;
import dev.postpurchase.testing.TestOrders;
import dev.postpurchase.testing.TestRuns;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookOrderExecutorTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:05Z"));
    private final WebhookSecret secret = WebhookSecret.generate();
    private final Order order = TestOrders.paidOrder("order-1").build();
    private MockWebServer server;
    private GuardedHttpClient client;
    private WebhookOrderExecutor executor;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        client = GuardedHttpClient.builder()
                .allowHttp(true)
                .allowLoopbackForDevelopment()
                .readTimeout(Duration.ofMillis(500))
                .build();
        executor = WebhookOrderExecutor.builder().httpClient(client).build();
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        server.shutdown();
    }

    private WebhookConfig config() {
        return WebhookConfig.of(server.url("/hooks/orders").toString(), secret);
    }

    private ActionDefinition definition(WebhookConfig config) {
        return ActionDefinition.builder(WebhookOrderExecutor.TYPE)
                .id("def-webhook")
                .name("CRM webhook")
                .checkout("checkout-1")
                .config(config)
                .build();
    }

    private ActionRun firstAttempt(WebhookConfig config) {
        return TestRuns.claimed(
                ActionRun.create(
                        TriggerKind.ORDER,
                        order.id(),
                        definition(config),
                        executor.defaultRetryPolicy(),
                        clock.instant()),
                "worker-1",
                clock.instant());
    }

    private ExecutionOutcome execute(ActionRun run, WebhookConfig config) {
        return ActionExecutors.attempt(executor, new ExecutionContext<>(run, config, order, null, clock));
    }

    private StandardWebhookVerifier verifier(WebhookSecret... secrets) {
        StandardWebhookVerifier.Builder b = StandardWebhookVerifier.builder().clock(clock);
        for (WebhookSecret s : secrets) {
            b.secret(s);
        }
        return b.build();
    }

    private static Map<String, String> signedHeaders(RecordedRequest request) {
        return Map.of(
                "webhook-id", request.getHeader("webhook-id"),
                "webhook-timestamp", request.getHeader("webhook-timestamp"),
                "webhook-signature", request.getHeader("webhook-signature"));
    }

    @Test
    void aWebhookFiredByAnEventSendsThatEventsTypeNotOrderPaid() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(200));
        WebhookConfig config = config();
        dev.postpurchase.core.event.ShopEvent refund = dev.postpurchase.core.event.ShopEvent.builder(
                        "refund-1",
                        dev.postpurchase.core.event.ShopEventType.REFUND_APPLIED,
                        dev.postpurchase.core.event.EventSource.FUNNEL,
                        clock.instant())
                .order(order)
                .build();

        ExecutionOutcome outcome = ActionExecutors.attempt(
                executor, new ExecutionContext<>(firstAttempt(config), config, order, refund, clock));

        assertThat(outcome).isInstanceOf(Succeeded.class);
        String json = server.takeRequest(1, TimeUnit.SECONDS).getBody().readUtf8();
        assertThat(json).contains("\"type\":\"refund.applied\"").doesNotContain("order.paid");
    }

    @Test
    void testWebhookSendsOneSignedSampleDeliveryAndReportsTheAnswer() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(202).setBody("got it"));
        WebhookOrderExecutor testing =
                WebhookOrderExecutor.builder().httpClient(client).clock(clock).build();

        WebhookTestResult result = testing.testWebhook(config());

        assertThat(result.delivered()).isTrue();
        assertThat(result.status()).isEqualTo(202);
        assertThat(result.bodyPrefix()).isEqualTo("got it");
        assertThat(result.problem()).isNull();
        assertThat(result.webhookId()).startsWith("msg_test_");
        RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
        byte[] body = request.getBody().readByteArray();
        assertThat(verifier(secret).verify(body, signedHeaders(request)).id()).isEqualTo(result.webhookId());
        String json = new String(body, java.nio.charset.StandardCharsets.UTF_8);
        assertThat(PayloadSchema.errors(json)).isEmpty();
        assertThat(json).contains("\"test-order\"", "test.customer@example.com");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void testWebhookReportsARefusalAsARunWouldRecordIt() {
        server.enqueue(new MockResponse().setResponseCode(410).setBody("gone"));

        WebhookTestResult result = executor.testWebhook(config());

        assertThat(result.delivered()).isFalse();
        assertThat(result.status()).isEqualTo(410);
        assertThat(result.problem()).contains("410");
        assertThatThrownBy(() -> executor.testWebhook(WebhookConfig.of("ftp://example.com/hook", secret)))
                .isInstanceOf(dev.postpurchase.core.ValidationException.class);
    }

    @Test
    void postsTheSignedOrderPayloadThatVerifiesIndependently() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(200).setBody("thanks"));
        WebhookConfig config = config();
        ActionRun run = firstAttempt(config);

        ExecutionOutcome outcome = execute(run, config);

        assertThat(outcome).isEqualTo(new Succeeded("HTTP 200: thanks"));
        RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getPath()).isEqualTo("/hooks/orders");
        assertThat(request.getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(request.getHeader("webhook-id")).isEqualTo(run.idempotencyKey());
        assertThat(request.getHeader("webhook-timestamp"))
                .isEqualTo(Long.toString(clock.instant().getEpochSecond()));
        byte[] body = request.getBody().readByteArray();
        assertThat(request.getHeader("webhook-signature"))
                .isEqualTo(StandardWebhooksTest.independentSignature(
                        secret.encoded(), run.idempotencyKey(), clock.instant().getEpochSecond(), body));
        assertThat(verifier(secret).verify(body, signedHeaders(request)).id()).isEqualTo(run.idempotencyKey());
        assertThat(PayloadSchema.errors(new String(body, java.nio.charset.StandardCharsets.UTF_8)))
                .isEmpty();
        assertThat(PostpurchaseJson.mapper().readTree(body).get("id").asText()).isEqualTo(run.idempotencyKey());
    }

    @Test
    void aTracedAttemptSendsItsTraceparentAndAnUntracedOneNone() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(204));
        server.enqueue(new MockResponse().setResponseCode(204));
        WebhookConfig config = config();
        String traceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

        dev.postpurchase.core.spi.TraceContext.with(traceParent, () -> execute(firstAttempt(config), config));
        execute(firstAttempt(config), config);

        assertThat(server.takeRequest(1, TimeUnit.SECONDS).getHeader("traceparent"))
                .isEqualTo(traceParent);
        assertThat(server.takeRequest(1, TimeUnit.SECONDS).getHeader("traceparent"))
                .isNull();
    }

    @Test
    void aRetryKeepsTheWebhookIdAndBodyButSignsAFreshTimestamp() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(503).setBody("busy"));
        server.enqueue(new MockResponse().setResponseCode(204));
        WebhookConfig config = config();
        ActionRun first = firstAttempt(config);

        assertThat(execute(first, config)).isInstanceOf(RetryableFailure.class);
        clock.advance(Duration.ofMinutes(7));
        ActionRun retrying = TestRuns.after(
                first, AttemptResult.retry(first, Duration.ZERO, "HTTP 503: busy", 503, null), clock.instant());
        ActionRun second = TestRuns.claimed(retrying, "worker-2", clock.instant());
        assertThat(execute(second, config)).isEqualTo(new Succeeded("HTTP 204"));

        RecordedRequest r1 = server.takeRequest(1, TimeUnit.SECONDS);
        RecordedRequest r2 = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(r2.getHeader("webhook-id")).isEqualTo(r1.getHeader("webhook-id"));
        assertThat(Long.parseLong(r2.getHeader("webhook-timestamp"))
                        - Long.parseLong(r1.getHeader("webhook-timestamp")))
                .isEqualTo(420);
        assertThat(r2.getHeader("webhook-signature")).isNotEqualTo(r1.getHeader("webhook-signature"));
        byte[] body1 = r1.getBody().readByteArray();
        byte[] body2 = r2.getBody().readByteArray();
        assertThat(body2).isEqualTo(body1);
        // The second attempt verifies now; the first, seven minutes old, would be refused as a replay.
        assertThat(verifier(secret).verify(body2, signedHeaders(r2)).id()).isEqualTo(r1.getHeader("webhook-id"));
        assertThatThrownBy(() -> verifier(secret).verify(body1, signedHeaders(r1)))
                .isInstanceOf(InvalidTimestampException.class);
    }

    @Test
    void duringRotationBothSecretsVerify() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(200));
        WebhookSecret next = WebhookSecret.generate();
        WebhookConfig config = config().rotate(next);
        execute(firstAttempt(config), config);

        RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
        byte[] body = request.getBody().readByteArray();
        assertThat(request.getHeader("webhook-signature").split(" ")).hasSize(2);
        assertThat(verifier(secret).verify(body, signedHeaders(request))).isNotNull();
        assertThat(verifier(next).verify(body, signedHeaders(request))).isNotNull();
    }

    @Test
    void a410MeansTheEndpointIsGoneForGood() {
        server.enqueue(new MockResponse().setResponseCode(410));
        WebhookConfig config = config();
        assertThat(execute(firstAttempt(config), config))
                .isInstanceOfSatisfying(
                        PermanentFailure.class, p -> assertThat(p.statusCode()).isEqualTo(410));
    }

    @Test
    void a429IsRetriedAfterTheRequestedDelay() {
        server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "90"));
        WebhookConfig config = config();
        assertThat(execute(firstAttempt(config), config)).isInstanceOfSatisfying(RetryableFailure.class, r -> {
            assertThat(r.failure().statusCode()).isEqualTo(429);
            assertThat(r.failure().retryAfter()).isEqualTo(Duration.ofSeconds(90));
        });
    }

    @Test
    void a500IsRetryableAndRecordsABodyPrefix() {
        server.enqueue(new MockResponse().setResponseCode(500).setBody("database down " + "x".repeat(5000)));
        WebhookConfig config = config();
        assertThat(execute(firstAttempt(config), config)).isInstanceOfSatisfying(RetryableFailure.class, r -> {
            assertThat(r.failure().statusCode()).isEqualTo(500);
            assertThat(r.failure().reason())
                    .startsWith("HTTP 500: database down")
                    .hasSizeLessThan(520);
        });
    }

    @Test
    void a400IsPermanent() {
        server.enqueue(new MockResponse().setResponseCode(400).setBody("bad payload"));
        WebhookConfig config = config();
        assertThat(execute(firstAttempt(config), config))
                .isEqualTo(new PermanentFailure("HTTP 400: bad payload", 400, null));
    }

    @Test
    void aRedirectFailsAndIsNotFollowed() {
        server.enqueue(new MockResponse().setResponseCode(307).setHeader("Location", server.url("/elsewhere")));
        server.enqueue(new MockResponse().setResponseCode(200));
        WebhookConfig config = config();
        assertThat(execute(firstAttempt(config), config)).isInstanceOfSatisfying(PermanentFailure.class, p -> {
            assertThat(p.statusCode()).isEqualTo(307);
            assertThat(p.reason()).contains("redirects are not followed");
        });
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aTimeoutIsRetryableAndFlagged() {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        WebhookConfig config = config();
        assertThat(execute(firstAttempt(config), config))
                .isInstanceOfSatisfying(
                        RetryableFailure.class,
                        r -> assertThat(r.failure().timedOut()).isTrue());
    }

    @Test
    void aBlockedTargetFailsForGoodWithoutSendingAnything() {
        GuardedHttpClient strict = GuardedHttpClient.builder().allowHttp(true).build();
        WebhookOrderExecutor strictExecutor =
                WebhookOrderExecutor.builder().httpClient(strict).build();
        WebhookConfig config = config();
        ExecutionOutcome outcome = ActionExecutors.attempt(
                strictExecutor, new ExecutionContext<>(firstAttempt(config), config, order, null, clock));
        assertThat(outcome).isInstanceOf(PermanentFailure.class);
        assertThat(server.getRequestCount()).isZero();
        strict.close();
    }

    @Test
    void validationNamesEveryBadFieldAndToStringHidesSecrets() {
        GuardedHttpClient httpsOnly = GuardedHttpClient.createDefault();
        WebhookOrderExecutor strictExecutor =
                WebhookOrderExecutor.builder().httpClient(httpsOnly).build();
        assertThatThrownBy(() -> strictExecutor.validate(
                        new WebhookConfig("http://crm.example/hook", Secret.of("whsec_short"), Secret.of("nope!"))))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fields())
                        .containsExactly("url", "secret", "previousSecret"));
        assertThatThrownBy(() -> strictExecutor.validate(WebhookConfig.of("https://crm.example/a\r\nX: y", secret)))
                .isInstanceOfSatisfying(
                        ValidationException.class, e -> assertThat(e.fields()).containsExactly("url"));
        assertThatThrownBy(() -> strictExecutor.validate(WebhookConfig.of("https://169.254.169.254/latest", secret)))
                .isInstanceOfSatisfying(
                        ValidationException.class, e -> assertThat(e.fields()).containsExactly("url"));
        strictExecutor.validate(WebhookConfig.of("https://crm.example/hooks", secret));

        WebhookConfig config = WebhookConfig.of("https://crm.example/hooks/T0k3nS3cr3t?key=abc", secret)
                .rotate();
        assertThat(config.toString())
                .doesNotContain(secret.encoded())
                .doesNotContain(config.secret().reveal())
                .doesNotContain("T0k3nS3cr3t")
                .doesNotContain("key=abc");
        WebhookConfig roundTrip = PostpurchaseJson.read(PostpurchaseJson.write(config), WebhookConfig.class, "config");
        assertThat(roundTrip).isEqualTo(config);
        assertThat(roundTrip.signingSecrets())
                .containsExactly(WebhookSecret.parse(config.secret().reveal()), secret);
        httpsOnly.close();
    }

    @Test
    void aHostNameResolvingOnlyToBlockedAddressesIsRefusedWhenSavedNamingTheDevelopmentSwitch() {
        try (GuardedHttpClient httpsOnly = GuardedHttpClient.createDefault()) {
            WebhookOrderExecutor strictExecutor =
                    WebhookOrderExecutor.builder().httpClient(httpsOnly).build();

            assertThatThrownBy(() -> strictExecutor.validate(WebhookConfig.of("https://localhost/hook", secret)))
                    .isInstanceOfSatisfying(ValidationException.class, e -> {
                        assertThat(e.fields()).containsExactly("url");
                        assertThat(e.getMessage()).contains("blocked address").contains("allowForDevelopment");
                    });
            assertThatThrownBy(() -> strictExecutor.validate(WebhookConfig.of("http://crm.example/hook", secret)))
                    .hasMessageContaining("must use https")
                    .hasMessageContaining("allowHttp(true)");
        }
    }

    @Test
    void theBuilderNamesAMissingHttpClient() {
        assertThatThrownBy(() -> WebhookOrderExecutor.builder().build())
                .isInstanceOfSatisfying(
                        ValidationException.class, e -> assertThat(e.fields()).containsExactly("httpClient"));
    }

    @Test
    void declaresItselfIdempotentWithAnExponentialDefaultPolicy() {
        assertThat(executor.type()).isEqualTo("webhook");
        assertThat(executor.idempotent()).isTrue();
        assertThat(executor.defaultRetryPolicy()).isEqualTo(WebhookOrderExecutor.DEFAULT_RETRY_POLICY);
    }

    @Test
    void aPaidOrderRunsThroughThePipelineToSucceededAfterARetry() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(502));
        server.enqueue(new MockResponse().setResponseCode(200).setBody("ok"));
        InMemoryDefinitionSource definitions = new InMemoryDefinitionSource();
        definitions.save(definition(config()));
        try (ActionPipeline pipeline = ActionPipeline.builder()
                .store(ActionStateStore.inMemory())
                .definitions(definitions)
                .executor(executor)
                .clock(clock)
                .pollInterval(Duration.ofMillis(20))
                .build()) {
            pipeline.submit(order);
            assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();
            ActionRun waiting = pipeline.runsOfOrder(order.id()).get(0);
            assertThat(waiting.awaitingRetry()).isTrue();
            assertThat(waiting.lastStatusCode()).isEqualTo(502);

            clock.advance(Duration.ofSeconds(30));
            pipeline.wakeUp();
            assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();

            List<ActionRun> runs = pipeline.runsOfOrder(order.id());
            assertThat(runs).hasSize(1);
            assertThat(runs.get(0).status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(runs.get(0).result()).isEqualTo("HTTP 200: ok");
            assertThat(pipeline.progressOfOrder(order.id()).completed()).isTrue();

            RecordedRequest r1 = server.takeRequest(1, TimeUnit.SECONDS);
            RecordedRequest r2 = server.takeRequest(1, TimeUnit.SECONDS);
            assertThat(r1.getHeader("webhook-id"))
                    .isEqualTo(r2.getHeader("webhook-id"))
                    .isEqualTo(runs.get(0).idempotencyKey());
            assertThat(r2.getHeader("webhook-timestamp")).isNotEqualTo(r1.getHeader("webhook-timestamp"));
            byte[] body = r2.getBody().readByteArray();
            assertThat(verifier(secret).verify(body, signedHeaders(r2)).id())
                    .isEqualTo(runs.get(0).idempotencyKey());
        }
    }
}
