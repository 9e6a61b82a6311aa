package dev.postpurchase.webhook.fulfillment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postpurchase.core.ActionExecutors;
import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.order.LineItem;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.order.Totals;
import dev.postpurchase.core.retry.FixedIntervalRetry;
import dev.postpurchase.core.spi.AttemptResult;
import dev.postpurchase.core.spi.DeliveryException;
import dev.postpurchase.core.spi.ExecutionContext;
import dev.postpurchase.core.spi.ExecutionOutcome;
import dev.postpurchase.core.spi.ExecutionOutcome.PermanentFailure;
import dev.postpurchase.core.spi.ExecutionOutcome.RetryableFailure;
import dev.postpurchase.core.spi.ExecutionOutcome.Succeeded;
import dev.postpurchase.core.spi.FulfilledUnit;
import dev.postpurchase.core.spi.FulfillmentMessage;
import dev.postpurchase.http.GuardedHttpClient;
import dev.postpurchase.testing.MutableClock;
import dev.postpurchase.testing.TestOrders;
import dev.postpurchase.testing.TestRuns;
import dev.postpurchase.webhook.CanonicalQuery;
import dev.postpurchase.webhook.SignatureMismatchException;
import dev.postpurchase.webhook.StandardWebhookVerifier;
import dev.postpurchase.webhook.WebhookSecret;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookFulfillmentExecutorTest {
    private static final int LIMIT = 600 * 1024;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:05Z"));
    private final WebhookSecret secret = WebhookSecret.generate();
    private final RecordingFulfillmentDelivery delivery = new RecordingFulfillmentDelivery();
    private MockWebServer server;
    private GuardedHttpClient client;
    private WebhookFulfillmentExecutor executor;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        client = GuardedHttpClient.builder()
                .allowHttp(true)
                .allowLoopbackForDevelopment()
                .build();
        executor = WebhookFulfillmentExecutor.builder()
                .httpClient(client)
                .delivery(delivery)
                .contract(FulfillmentContract.defaults().withResponseTimeout(Duration.ofSeconds(10)))
                .clock(clock)
                .build();
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        server.shutdown();
    }

    private FulfillmentWebhookConfig.Builder config(String path) {
        return FulfillmentWebhookConfig.builder(server.url(path).toString()).secret(secret);
    }

    private static Order order(int quantity) {
        return TestOrders.paidOrder("order-" + quantity)
                .items(List.of(LineItem.builder()
                        .productId("product-1")
                        .offerId("offer-1")
                        .title("Online course")
                        .quantity(quantity)
                        .unitPrice(1999)
                        .build()))
                .build();
    }

    private ActionRun firstAttempt(FulfillmentWebhookConfig config, Order order) {
        return firstAttemptOn(ActionLevel.OFFER, "offer-1", config, order); // every line's offer is offer-1
    }

    private ActionRun firstAttemptOn(ActionLevel level, String target, FulfillmentWebhookConfig config, Order order) {
        ActionDefinition definition = ActionDefinition.builder(WebhookFulfillmentExecutor.TYPE)
                .id("def-fulfil")
                .on(level, target)
                .config(config)
                .build();
        return TestRuns.claimed(
                ActionRun.create(
                        TriggerKind.ORDER, order.id(), definition, executor.defaultRetryPolicy(), clock.instant()),
                "worker-1",
                clock.instant());
    }

    /** The next attempt after a retryable failure, as the pipeline would schedule and claim it. */
    private ActionRun nextAttempt(ActionRun run, ExecutionOutcome outcome) {
        RetryableFailure failure = (RetryableFailure) outcome;
        ActionRun retrying = TestRuns.after(
                run,
                AttemptResult.retry(
                        run,
                        Duration.ZERO,
                        failure.failure().reason(),
                        failure.failure().statusCode(),
                        failure.partialResult()),
                clock.instant());
        return TestRuns.claimed(retrying, "worker-1", clock.instant());
    }

    private ExecutionOutcome execute(ActionRun run, FulfillmentWebhookConfig config, Order order) {
        return ActionExecutors.attempt(executor, new ExecutionContext<>(run, config, order, null, clock));
    }

    private StandardWebhookVerifier verifier() {
        return StandardWebhookVerifier.builder().secret(secret).clock(clock).build();
    }

    private static Map<String, String> headers(RecordedRequest request) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : List.of("webhook-id", "webhook-timestamp", "webhook-signature")) {
            headers.put(name, request.getHeader(name));
        }
        return headers;
    }

    /** The fields of a request, from its query (GET) or its form body (POST). */
    private static Map<String, String> fields(RecordedRequest request, String body) {
        String encoded =
                request.getMethod().equals("GET") ? request.getRequestUrl().encodedQuery() : body;
        Map<String, String> fields = new LinkedHashMap<>();
        CanonicalQuery.parse(encoded).forEach(e -> fields.put(e.getKey(), e.getValue()));
        return fields;
    }

    private RecordedRequest take() throws InterruptedException {
        RecordedRequest request = server.takeRequest(2, TimeUnit.SECONDS);
        assertThat(request).as("a request reached the server").isNotNull();
        return request;
    }

    @Test
    void postsSignedFormFieldsAndHandsTheBodyAndInstructionsToTheDelivery() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(200).setBody("LICENCE-KEY-123"));
        FulfillmentWebhookConfig config = config("/fulfil")
                .instructions("<p>Activate with <b>Settings</b> <script>alert(1)</script></p>")
                .build();
        Order order = order(1);
        ActionRun run = firstAttempt(config, order);

        ExecutionOutcome outcome = execute(run, config, order);

        assertThat(outcome).isInstanceOf(Succeeded.class);
        RecordedRequest request = take();
        String body = request.getBody().readUtf8();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getHeader("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
        assertThat(request.getHeader("webhook-id")).isEqualTo(run.idempotencyKey());
        assertThat(request.getHeader("webhook-timestamp"))
                .isEqualTo(Long.toString(clock.instant().getEpochSecond()));
        assertThat(verifier().verify(body, headers(request)).id()).isEqualTo(run.idempotencyKey());
        assertThat(body).isEqualTo(CanonicalQuery.canonicalize(body));
        assertThat(fields(request, body))
                .containsEntry("test", "false")
                .containsEntry("order_id", "order-1")
                .containsEntry("line", "1")
                .containsEntry("product_id", "product-1")
                .containsEntry("product_title", "Online course")
                .containsEntry("offer_id", "offer-1")
                .containsEntry("quantity", "1")
                .containsEntry("unit_index", "1")
                .containsEntry("unit_count", "1")
                .containsEntry("currency", "EUR")
                .containsEntry("unit_price", "19.99")
                .containsEntry("line_total", "19.99")
                .containsEntry("language", "fi")
                .containsEntry("paid_at", "2026-01-01T00:00:00Z");

        FulfillmentMessage message = delivery.delivered().get(0);
        assertThat(message.runId()).isEqualTo(run.id());
        assertThat(message.idempotencyKey()).isEqualTo(run.idempotencyKey());
        assertThat(message.order()).isEqualTo(order);
        assertThat(message.instructionsHtml())
                .as("as written: the delivery sanitises them")
                .isEqualTo("<p>Activate with <b>Settings</b> <script>alert(1)</script></p>");
        assertThat(message.units())
                .containsExactly(new FulfilledUnit("product-1", "Online course", 1, 1, "LICENCE-KEY-123"));
        assertThat(PostpurchaseJson.mapper()
                        .readTree(((Succeeded) outcome).result())
                        .path("delivered")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void getsWithTheFieldsAsACanonicalQueryKeepingTheUrlsOwnParametersAndSignsIt() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(200).setBody("KEY"));
        FulfillmentWebhookConfig config = FulfillmentWebhookConfig.builder(
                        server.url("/licences/issue").toString() + "?token=s3cr3t&z=last")
                .secret(secret)
                .method(FulfillmentMethod.GET)
                .customField(CustomField.customerName("buyer_name"))
                .build();
        executor.validate(config);
        Order order = order(1);
        ActionRun run = firstAttempt(config, order);

        assertThat(execute(run, config, order)).isInstanceOf(Succeeded.class);

        RecordedRequest request = take();
        assertThat(request.getMethod()).isEqualTo("GET");
        assertThat(request.getBodySize()).isZero();
        assertThat(request.getRequestUrl().encodedPath()).isEqualTo("/licences/issue");
        String query = request.getRequestUrl().encodedQuery();
        assertThat(query).isEqualTo(CanonicalQuery.canonicalize(query)).contains("buyer_name=Aino%20Virtanen");
        assertThat(fields(request, ""))
                .containsEntry("token", "s3cr3t")
                .containsEntry("z", "last")
                .containsEntry("order_id", "order-1")
                .containsEntry("buyer_name", "Aino Virtanen");
        assertThat(verifier().verifyQuery(query, headers(request)).id()).isEqualTo(run.idempotencyKey());
        // The same query, re-encoded and reordered by a proxy, still verifies; a changed value does not.
        String reordered = "z=last&token=s3cr3t&"
                + query.replace("%20", "+").replace("&z=last", "").replace("token=s3cr3t&", "");
        assertThat(verifier().verifyQuery(reordered, headers(request)).id()).isEqualTo(run.idempotencyKey());
        assertThatThrownBy(() -> verifier().verifyQuery(query.replace("order-1", "order-2"), headers(request)))
                .isInstanceOf(SignatureMismatchException.class);
    }

    @Test
    void sendsEveryKindOfCustomField() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(200).setBody("ok"));
        FulfillmentWebhookConfig config = config("/fulfil")
                .customField(CustomField.checkoutHash("checkout_hash"))
                .customField(CustomField.transactionId("txn"))
                .customField(CustomField.customerEmail("email"))
                .customField(CustomField.customerName("name"))
                .customField(CustomField.staticValue("message", "Thanks & welcome: 100% ✓"))
                .build();
        executor.validate(config);
        Order order = order(1);

        assertThat(execute(firstAttempt(config, order), config, order)).isInstanceOf(Succeeded.class);

        RecordedRequest request = take();
        assertThat(fields(request, request.getBody().readUtf8()))
                .containsEntry("checkout_hash", "checkout-1")
                .containsEntry("txn", "tx-order-1")
                .containsEntry("email", "aino.virtanen@example.com")
                .containsEntry("name", "Aino Virtanen")
                .containsEntry("message", "Thanks & welcome: 100% ✓");
    }

    @Test
    void aTracedAttemptSendsItsTraceparentOnEveryRequestOutsideTheSignatureAndAnUntracedOneNone() throws Exception {
        for (int i = 1; i <= 4; i++) {
            server.enqueue(new MockResponse().setResponseCode(200).setBody("KEY-" + i));
        }
        FulfillmentWebhookConfig config =
                config("/fulfil").separateMultibuy(true).build();
        Order order = order(2);
        ActionRun run = firstAttempt(config, order);
        String traceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

        assertThat(dev.postpurchase.core.spi.TraceContext.with(traceParent, () -> execute(run, config, order)))
                .isInstanceOf(Succeeded.class);
        assertThat(execute(run, config, order)).isInstanceOf(Succeeded.class);

        List<RecordedRequest> traced = List.of(take(), take());
        List<RecordedRequest> untraced = List.of(take(), take());
        for (int i = 0; i < 2; i++) {
            RecordedRequest withTrace = traced.get(i);
            RecordedRequest withoutTrace = untraced.get(i);
            assertThat(withTrace.getHeader("traceparent")).isEqualTo(traceParent);
            assertThat(withoutTrace.getHeader("traceparent")).isNull();
            assertThat(withTrace.getHeader("webhook-id")).isEqualTo(run.idempotencyKey() + "_" + (i + 1));
            // same run, same clock: the header changes nothing that is signed
            assertThat(withTrace.getHeader("webhook-signature")).isEqualTo(withoutTrace.getHeader("webhook-signature"));
            assertThat(verifier()
                            .verify(withTrace.getBody().readUtf8(), headers(withTrace))
                            .id())
                    .isEqualTo(run.idempotencyKey() + "_" + (i + 1));
        }
    }

    @Test
    void separateMultibuySendsOneRequestPerUnitWithTheUnitIndexInTheWebhookId() throws Exception {
        for (int i = 1; i <= 3; i++) {
            server.enqueue(new MockResponse().setResponseCode(200).setBody("KEY-" + i));
        }
        FulfillmentWebhookConfig config =
                config("/fulfil").separateMultibuy(true).build();
        Order order = order(3);
        ActionRun run = firstAttempt(config, order);

        assertThat(execute(run, config, order)).isInstanceOf(Succeeded.class);

        for (int i = 1; i <= 3; i++) {
            RecordedRequest request = take();
            String body = request.getBody().readUtf8();
            assertThat(request.getHeader("webhook-id")).isEqualTo(run.idempotencyKey() + "_" + i);
            assertThat(fields(request, body))
                    .containsEntry("unit_index", Integer.toString(i))
                    .containsEntry("quantity", "1")
                    .containsEntry("unit_count", "3");
            verifier().verify(body, headers(request));
        }
        assertThat(delivery.delivered().get(0).units())
                .extracting(FulfilledUnit::unitIndex, FulfilledUnit::quantity, FulfilledUnit::body)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, 1, "KEY-1"),
                        org.assertj.core.groups.Tuple.tuple(2, 1, "KEY-2"),
                        org.assertj.core.groups.Tuple.tuple(3, 1, "KEY-3"));
    }

    @Test
    void withSeparateMultibuyARetryAfterUnitTwoFailedSendsOnlyUnitsTwoAndThree() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(200).setBody("KEY-1"));
        server.enqueue(new MockResponse().setResponseCode(503).setBody("licence server busy"));
        server.enqueue(new MockResponse().setResponseCode(200).setBody("KEY-2"));
        server.enqueue(new MockResponse().setResponseCode(200).setBody("KEY-3"));
        FulfillmentWebhookConfig config =
                config("/fulfil").separateMultibuy(true).build();
        Order order = order(3);
        ActionRun first = firstAttempt(config, order);

        ExecutionOutcome failed = execute(first, config, order);

        assertThat(failed).isInstanceOfSatisfying(RetryableFailure.class, r -> {
            assertThat(r.failure().statusCode()).isEqualTo(503);
            assertThat(r.failure().reason())
                    .startsWith("request 2 of 3 (line 1, unit 2): HTTP 503: licence server busy");
            assertThat(FulfillmentProgress.read(r.partialResult())).containsOnlyKeys("1/1/1");
        });
        assertThat(delivery.calls()).isZero();
        assertThat(take().getHeader("webhook-id")).endsWith("_1");
        assertThat(take().getHeader("webhook-id")).endsWith("_2");

        clock.advance(Duration.ofMinutes(10));
        ExecutionOutcome retried = execute(nextAttempt(first, failed), config, order);

        assertThat(retried).isInstanceOf(Succeeded.class);
        assertThat(take().getHeader("webhook-id")).isEqualTo(first.idempotencyKey() + "_2");
        assertThat(take().getHeader("webhook-id")).isEqualTo(first.idempotencyKey() + "_3");
        assertThat(server.getRequestCount()).isEqualTo(4);
        assertThat(delivery.delivered()).hasSize(1);
        assertThat(delivery.delivered().get(0).units())
                .extracting(FulfilledUnit::body)
                .containsExactly("KEY-1", "KEY-2", "KEY-3");
    }

    @Test
    void withoutSeparateMultibuyEachLineIsOneRequestWithItsQuantityAndAFailedLineIsTheOnlyOneRetried()
            throws Exception {
        server.enqueue(new MockResponse().setResponseCode(200).setBody("COURSE-KEYS"));
        server.enqueue(new MockResponse().setResponseCode(500));
        server.enqueue(new MockResponse().setResponseCode(200).setBody("WORKBOOK-KEY"));
        FulfillmentWebhookConfig config = config("/fulfil").build();
        Order order = TestOrders.paidOrder("order-two-lines").build(); // 2 x product-1, 1 x product-2
        ActionRun first = firstAttempt(config, order);

        ExecutionOutcome failed = execute(first, config, order);

        assertThat(failed).isInstanceOf(RetryableFailure.class);
        RecordedRequest line1 = take();
        assertThat(line1.getHeader("webhook-id")).isEqualTo(first.idempotencyKey() + "_1");
        assertThat(fields(line1, line1.getBody().readUtf8()))
                .containsEntry("line", "1")
                .containsEntry("quantity", "2")
                .containsEntry("unit_count", "2")
                .containsEntry("unit_index", "1");
        take();

        ExecutionOutcome retried = execute(nextAttempt(first, failed), config, order);

        assertThat(retried).isInstanceOf(Succeeded.class);
        RecordedRequest line2 = take();
        assertThat(line2.getHeader("webhook-id")).isEqualTo(first.idempotencyKey() + "_2");
        assertThat(fields(line2, line2.getBody().readUtf8()))
                .containsEntry("line", "2")
                .containsEntry("product_id", "product-2")
                .containsEntry("quantity", "1");
        assertThat(server.getRequestCount()).isEqualTo(3);
        assertThat(delivery.delivered().get(0).units())
                .containsExactly(
                        new FulfilledUnit("product-1", "Online course", 1, 2, "COURSE-KEYS"),
                        new FulfilledUnit("product-2", "Workbook", 1, 1, "WORKBOOK-KEY"));
    }

    @Test
    void onlyTheConfiguredProductsLinesAreFulfilledAndAnOrderWithoutThemIsSkipped() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(200).setBody("WORKBOOK-KEY"));
        FulfillmentWebhookConfig config =
                config("/fulfil").productId("product-2").build();
        Order order = TestOrders.paidOrder("order-two-lines").build();

        assertThat(execute(firstAttempt(config, order), config, order)).isInstanceOf(Succeeded.class);
        assertThat(fields(take(), "")).isEmpty(); // a POST: no query
        assertThat(server.getRequestCount()).isEqualTo(1);

        FulfillmentWebhookConfig other =
                config("/fulfil").productId("product-9").build();
        assertThat(execute(firstAttempt(other, order), other, order))
                .isInstanceOfSatisfying(ExecutionOutcome.Skipped.class, s -> assertThat(s.reason())
                        .isEqualTo("the order has none of the lines of product product-9 sold through offer offer-1"
                                + " to fulfil"));
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aTwoHundredWithAnEmptyBodyFulfilsNothingAndIsRetried() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(200));
        server.enqueue(new MockResponse().setResponseCode(200).setBody(" \r\n"));
        server.enqueue(new MockResponse().setResponseCode(200).setBody("LICENCE-KEY-1"));
        FulfillmentWebhookConfig config = config("/fulfil").build();
        Order order = order(1);
        ActionRun first = firstAttempt(config, order);

        ExecutionOutcome empty = execute(first, config, order);
        ExecutionOutcome blank = execute(nextAttempt(first, empty), config, order);

        for (ExecutionOutcome outcome : List.of(empty, blank)) {
            assertThat(outcome).isInstanceOfSatisfying(RetryableFailure.class, r -> {
                assertThat(r.failure().reason()).contains("HTTP 200 with an empty body");
                assertThat(r.failure().statusCode()).isEqualTo(200);
                assertThat(first.retryPolicy().nextDelay(1, r.failure())).contains(Duration.ofMinutes(10));
            });
        }
        assertThat(delivery.calls()).isZero();
        assertThat(execute(nextAttempt(first, blank), config, order)).isInstanceOf(Succeeded.class);
        assertThat(delivery.delivered().get(0).units().get(0).body()).isEqualTo("LICENCE-KEY-1");
    }

    @Test
    void eachLevelFulfilsItsOwnLinesOfferLevelTheLinesSoldThroughItsOffer() throws Exception {
        Order order = TestOrders.paidOrder("order-bump")
                .items(List.of(
                        LineItem.builder()
                                .productId("course")
                                .offerId("offer-1")
                                .title("Course")
                                .unitPrice(5000)
                                .build(),
                        LineItem.builder()
                                .productId("licence")
                                .offerId("bump-1")
                                .title("Desktop licence")
                                .unitPrice(2000)
                                .build()))
                .build();
        FulfillmentWebhookConfig config = config("/fulfil").build();
        for (int i = 0; i < 5; i++) {
            server.enqueue(new MockResponse().setResponseCode(200).setBody("KEY-" + i));
        }

        ExecutionOutcome bump = execute(firstAttemptOn(ActionLevel.OFFER, "bump-1", config, order), config, order);
        RecordedRequest bumpRequest = take();
        ExecutionOutcome main = execute(firstAttemptOn(ActionLevel.OFFER, "offer-1", config, order), config, order);
        RecordedRequest mainRequest = take();
        ExecutionOutcome checkout =
                execute(firstAttemptOn(ActionLevel.CHECKOUT, "checkout-1", config, order), config, order);
        List<String> checkoutProducts = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            RecordedRequest request = take();
            checkoutProducts.add(fields(request, request.getBody().readUtf8()).get("product_id"));
        }
        assertThat(bump).isInstanceOf(Succeeded.class);
        assertThat(fields(bumpRequest, bumpRequest.getBody().readUtf8()))
                .containsEntry("product_id", "licence")
                .containsEntry("line", "2");
        assertThat(main).isInstanceOf(Succeeded.class);
        assertThat(fields(mainRequest, mainRequest.getBody().readUtf8())).containsEntry("product_id", "course");
        assertThat(checkout).isInstanceOf(Succeeded.class);
        assertThat(checkoutProducts).containsExactly("course", "licence");
        ExecutionOutcome product =
                execute(firstAttemptOn(ActionLevel.PRODUCT, "licence", config, order), config, order);
        RecordedRequest productRequest = take();
        assertThat(product).isInstanceOf(Succeeded.class);
        assertThat(fields(productRequest, productRequest.getBody().readUtf8())).containsEntry("product_id", "licence");
        assertThat(execute(firstAttemptOn(ActionLevel.OFFER, "bump-9", config, order), config, order))
                .isInstanceOfSatisfying(ExecutionOutcome.Skipped.class, s -> assertThat(s.reason())
                        .isEqualTo("the order has none of the lines sold through offer bump-9 to fulfil"));
        assertThat(server.getRequestCount()).isEqualTo(5);
        assertThat(PostpurchaseJson.mapper()
                        .readTree(((Succeeded) bump).result())
                        .path("units")
                        .get(0)
                        .path("product_id")
                        .asText())
                .as("the run's result states the lines it fulfilled")
                .isEqualTo("licence");
    }

    @Test
    void aLineWhoseAmountsAreUnknownIsRequestedWithEmptyPrices() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(200).setBody("KEY"));
        Order order = TestOrders.paidOrder("order-unpriced")
                .items(List.of(LineItem.builder()
                        .productId("product-1")
                        .offerId("offer-1")
                        .title("Online course")
                        .amountsUnknown()
                        .build()))
                .totals(new Totals(9000, 0, 0, 9000))
                .build();
        FulfillmentWebhookConfig config = config("/fulfil").build();

        assertThat(execute(firstAttempt(config, order), config, order)).isInstanceOf(Succeeded.class);
        RecordedRequest request = take();
        assertThat(fields(request, request.getBody().readUtf8()))
                .containsEntry("unit_price", "")
                .containsEntry("line_total", "")
                .containsEntry("currency", "EUR");
    }

    @Test
    void aBodyOfExactly600KbIsAcceptedAndOneByteMoreIsRefusedAndRetried() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(200).setBody(new Buffer().write(new byte[LIMIT + 1])));
        server.enqueue(new MockResponse().setResponseCode(200).setBody("k".repeat(LIMIT)));
        FulfillmentWebhookConfig config = config("/fulfil").build();
        Order order = order(1);
        ActionRun first = firstAttempt(config, order);

        ExecutionOutcome tooLarge = execute(first, config, order);

        assertThat(tooLarge).isInstanceOfSatisfying(RetryableFailure.class, r -> {
            assertThat(r.failure().reason()).endsWith("HTTP 200 with a body larger than 614400 bytes");
            assertThat(r.failure().statusCode()).isEqualTo(200);
            assertThat(first.retryPolicy().nextDelay(1, r.failure())).contains(Duration.ofMinutes(10));
        });
        assertThat(delivery.calls()).isZero();

        ExecutionOutcome exact = execute(nextAttempt(first, tooLarge), config, order);

        assertThat(exact).isInstanceOf(Succeeded.class);
        assertThat(delivery.delivered().get(0).units().get(0).body()).hasSize(LIMIT);
    }

    @Test
    void anAnswerAfterTheTimeoutFailsTheAttemptAsTimedOutAndIsRetried() {
        // Stands for the 31-second answer: the contract timeout is 500 ms here, the answer comes after 2 s.
        server.enqueue(new MockResponse().setResponseCode(200).setBody("late").setHeadersDelay(2, TimeUnit.SECONDS));
        WebhookFulfillmentExecutor impatient = WebhookFulfillmentExecutor.builder()
                .httpClient(client)
                .delivery(delivery)
                .contract(FulfillmentContract.defaults().withResponseTimeout(Duration.ofMillis(500)))
                .build();
        FulfillmentWebhookConfig config = config("/fulfil").build();
        Order order = order(1);
        ActionRun run = firstAttempt(config, order);

        ExecutionOutcome outcome =
                ActionExecutors.attempt(impatient, new ExecutionContext<>(run, config, order, null, clock));

        assertThat(outcome).isInstanceOfSatisfying(RetryableFailure.class, r -> {
            assertThat(r.failure().timedOut()).isTrue();
            assertThat(r.failure().reason()).contains("no answer within 500 ms");
            assertThat(run.retryPolicy().nextDelay(1, r.failure())).contains(Duration.ofMinutes(10));
        });
        assertThat(delivery.calls()).isZero();
    }

    @Test
    void theDefaultContractIs30Seconds600KbAndFourRetriesEveryTenMinutes() {
        WebhookFulfillmentExecutor defaults = WebhookFulfillmentExecutor.builder()
                .httpClient(client)
                .delivery(delivery)
                .build();
        assertThat(defaults.contract())
                .isEqualTo(new FulfillmentContract(Duration.ofSeconds(30), 614_400, Duration.ofMinutes(10), 4));
        assertThat(defaults.defaultRetryPolicy()).isEqualTo(new FixedIntervalRetry(Duration.ofMinutes(10), 4));
        assertThat(defaults.type()).isEqualTo("fulfillment-webhook");
        assertThat(defaults.idempotent()).isTrue();
    }

    @Test
    void theContractTimeoutGovernsTheRequestEvenWhenTheClientsOwnCallTimeoutIsShorter() {
        server.enqueue(
                new MockResponse().setResponseCode(200).setBody("in time").setHeadersDelay(300, TimeUnit.MILLISECONDS));
        try (GuardedHttpClient impatient = GuardedHttpClient.builder()
                .allowHttp(true)
                .allowLoopbackForDevelopment()
                .callTimeout(Duration.ofMillis(100))
                .build()) {
            WebhookFulfillmentExecutor defaults = WebhookFulfillmentExecutor.builder()
                    .httpClient(impatient)
                    .delivery(delivery)
                    .build();
            FulfillmentWebhookConfig config = config("/fulfil").build();
            Order order = order(1);
            ExecutionOutcome outcome = ActionExecutors.attempt(
                    defaults, new ExecutionContext<>(firstAttempt(config, order), config, order, null, clock));
            assertThat(outcome).isInstanceOf(Succeeded.class);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {201, 204, 302, 400, 404, 410, 429, 500})
    void anyStatusButTwoHundredIsRetried(int status) {
        server.enqueue(new MockResponse().setResponseCode(status).setBody(status == 204 ? "" : "nope"));
        FulfillmentWebhookConfig config = config("/fulfil").build();
        Order order = order(1);

        ExecutionOutcome outcome = execute(firstAttempt(config, order), config, order);

        assertThat(outcome).isInstanceOfSatisfying(RetryableFailure.class, r -> {
            assertThat(r.failure().statusCode()).isEqualTo(status);
            assertThat(r.failure().reason()).contains("HTTP " + status).contains("the contract asks for HTTP 200");
        });
        assertThat(delivery.calls()).isZero();
    }

    @Test
    void aDroppedConnectionIsRetried() {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));
        FulfillmentWebhookConfig config = config("/fulfil").build();
        Order order = order(1);

        assertThat(execute(firstAttempt(config, order), config, order))
                .isInstanceOfSatisfying(
                        RetryableFailure.class,
                        r -> assertThat(r.failure().timedOut()).isFalse());
    }

    @Test
    void aRetryableDeliveryFailureIsRetriedWithoutRequestingAnyUnitAgain() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(200).setBody("KEY-1"));
        server.enqueue(new MockResponse().setResponseCode(200).setBody("KEY-2"));
        delivery.failNextRetryably("SMTP 451 try again later");
        FulfillmentWebhookConfig config =
                config("/fulfil").separateMultibuy(true).build();
        Order order = order(2);
        ActionRun first = firstAttempt(config, order);

        ExecutionOutcome failed = execute(first, config, order);

        assertThat(failed).isInstanceOfSatisfying(RetryableFailure.class, r -> {
            assertThat(r.failure().reason()).contains("handing them to the customer failed: SMTP 451");
            assertThat(FulfillmentProgress.read(r.partialResult())).containsOnlyKeys("1/1/1", "1/2/1");
        });
        assertThat(server.getRequestCount()).isEqualTo(2);

        ExecutionOutcome retried = execute(nextAttempt(first, failed), config, order);

        assertThat(retried).isInstanceOf(Succeeded.class);
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(delivery.calls()).isEqualTo(2);
        assertThat(delivery.delivered().get(0).units())
                .extracting(FulfilledUnit::body)
                .containsExactly("KEY-1", "KEY-2");
    }

    @Test
    void aPermanentDeliveryFailureFailsTheRunAndKeepsTheFulfilledUnits() {
        server.enqueue(new MockResponse().setResponseCode(200).setBody("KEY-1"));
        delivery.failNext(new DeliveryException("the customer's address was rejected", false));
        FulfillmentWebhookConfig config = config("/fulfil").build();
        Order order = order(1);

        ExecutionOutcome outcome = execute(firstAttempt(config, order), config, order);

        assertThat(outcome).isInstanceOfSatisfying(PermanentFailure.class, p -> {
            assertThat(p.reason()).contains("address was rejected");
            assertThat(FulfillmentProgress.read(p.partialResult())).containsOnlyKeys("1/1/1");
        });
    }

    @Test
    void anUnexpectedDeliveryExceptionIsRetriedKeepingTheUnits() {
        server.enqueue(new MockResponse().setResponseCode(200).setBody("KEY-1"));
        delivery.failNext(new IllegalStateException("mailer not started"));
        FulfillmentWebhookConfig config = config("/fulfil").build();
        Order order = order(1);

        ExecutionOutcome outcome = execute(firstAttempt(config, order), config, order);

        assertThat(outcome).isInstanceOfSatisfying(RetryableFailure.class, r -> {
            assertThat(r.failure().reason()).endsWith("IllegalStateException");
            assertThat(FulfillmentProgress.read(r.partialResult())).containsOnlyKeys("1/1/1");
        });
    }

    @Test
    void responsesReachTheDeliveryExactlyAsReceivedMarkdownCharactersIncluded() {
        String body = "Key: ABC\\*123 *not bold* `code` <b>& more\r\nline 2 ✓";
        server.enqueue(new MockResponse().setResponseCode(200).setBody(body));
        FulfillmentWebhookConfig config = config("/fulfil").build();
        Order order = order(1);

        assertThat(execute(firstAttempt(config, order), config, order)).isInstanceOf(Succeeded.class);

        assertThat(delivery.delivered().get(0).units().get(0).body()).isEqualTo(body);
    }

    @Test
    void aBlockedAddressFailsForGoodWithoutSendingAByte() {
        try (GuardedHttpClient strict =
                GuardedHttpClient.builder().allowHttp(true).build()) {
            WebhookFulfillmentExecutor strictExecutor = WebhookFulfillmentExecutor.builder()
                    .httpClient(strict)
                    .delivery(delivery)
                    .build();
            FulfillmentWebhookConfig config = FulfillmentWebhookConfig.builder(
                            "http://127.0.0.1:" + server.getPort() + "/fulfil")
                    .secret(secret)
                    .build();
            Order order = order(1);
            ExecutionOutcome outcome = ActionExecutors.attempt(
                    strictExecutor, new ExecutionContext<>(firstAttempt(config, order), config, order, null, clock));
            assertThat(outcome).isInstanceOf(PermanentFailure.class);
            assertThatThrownBy(() -> strictExecutor.validate(config))
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fields())
                            .containsExactly("url"));
        }
        assertThat(server.getRequestCount()).isZero();
        assertThat(delivery.calls()).isZero();
    }

    @Test
    void aRunWithoutAnOrderFailsForGood() {
        FulfillmentWebhookConfig config = config("/fulfil").build();
        ExecutionOutcome outcome = ActionExecutors.attempt(
                executor, new ExecutionContext<>(firstAttempt(config, order(1)), config, null, null, clock));
        assertThat(outcome).isInstanceOf(PermanentFailure.class);
    }
}
