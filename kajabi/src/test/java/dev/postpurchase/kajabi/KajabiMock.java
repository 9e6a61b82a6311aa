package dev.postpurchase.kajabi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.core.Secret;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.event.ShopEvent;
import dev.postpurchase.core.order.Customer;
import dev.postpurchase.core.order.LineItem;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.order.Transaction;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.ExecutionContext;
import dev.postpurchase.http.GuardedHttpClient;
import dev.postpurchase.testing.TestRuns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.jspecify.annotations.Nullable;

/** A MockWebServer playing Kajabi's checkout host, the client allowed to reach it, and test data. */
final class KajabiMock implements AutoCloseable {
    static final String TOKEN = "oD8Dhsn5yeg8ZynT";
    static final String OFFER = "2150333211";
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    final MockWebServer server = new MockWebServer();
    final GuardedHttpClient client;
    final String base;

    KajabiMock() {
        this(Duration.ofSeconds(5));
    }

    KajabiMock(Duration readTimeout) {
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        base = server.url("/").toString();
        client = GuardedHttpClient.builder()
                .allowHttp(true)
                .allowLoopbackForDevelopment()
                .connectTimeout(Duration.ofSeconds(5))
                .readTimeout(readTimeout)
                .callTimeout(readTimeout.plusSeconds(5))
                .build();
    }

    Secret activationUrl() {
        return Secret.of(base + "webhooks/offers/" + TOKEN + "/" + OFFER + "/activate");
    }

    Secret deactivationUrl() {
        return Secret.of(base + "webhooks/offers/" + TOKEN + "/" + OFFER + "/deactivate");
    }

    void answer(int status, String body) {
        server.enqueue(new MockResponse()
                .setResponseCode(status)
                .setHeader("Content-Type", "application/json")
                .setBody(body));
    }

    void answer(MockResponse response) {
        server.enqueue(response);
    }

    RecordedRequest take() {
        try {
            RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
            if (request == null) {
                throw new AssertionError("Kajabi received no request");
            }
            return request;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static JsonNode json(RecordedRequest request) {
        try {
            return PostpurchaseJson.mapper().readTree(request.getBody().readUtf8());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Order order(String id, String email, @Nullable String first, @Nullable String last) {
        return Order.builder()
                .id(id)
                .checkoutId("checkout-1")
                .offerId("offer-main")
                .currency("EUR")
                .customer(
                        Customer.builder(email).firstName(first).lastName(last).build())
                .item(LineItem.builder()
                        .productId("course-1")
                        .offerId("offer-main")
                        .title("Course")
                        .unitPrice(9900)
                        .build())
                .transaction(new Transaction("tx-" + id, "stripe", "card", null, NOW))
                .build();
    }

    static <C> ExecutionContext<C> context(String type, C config, Order order, @Nullable ShopEvent event) {
        ActionDefinition definition = ActionDefinition.builder(type)
                .id("definition-1")
                .name("Kajabi test")
                .offer("offer-main")
                .config(config)
                .build();
        TriggerKind kind = event == null ? TriggerKind.ORDER : TriggerKind.EVENT;
        String triggerId = event == null ? order.id() : event.id();
        ActionRun run = TestRuns.claimed(
                ActionRun.create(kind, triggerId, definition, RetryPolicy.none(), NOW), "test-node", NOW);
        return new ExecutionContext<>(run, config, order, event, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Override
    public void close() throws IOException {
        client.close();
        server.shutdown();
    }
}
