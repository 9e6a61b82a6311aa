package dev.postpurchase.webhook.postback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.RunStatus;
import dev.postpurchase.core.event.EventSource;
import dev.postpurchase.core.event.ShopEvent;
import dev.postpurchase.core.event.ShopEventType;
import dev.postpurchase.core.event.Subscription;
import dev.postpurchase.core.event.TransactionInfo;
import dev.postpurchase.core.memory.InMemoryDefinitionSource;
import dev.postpurchase.core.spi.ActionStateStore;
import dev.postpurchase.http.GuardedHttpClient;
import dev.postpurchase.testing.TestOrders;
import dev.postpurchase.webhook.StandardWebhookVerifier;
import dev.postpurchase.webhook.WebhookSecret;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A postback is an event-only action: hung on a product that a paid order contains, it still never runs for the
 * order (nothing is sent, the order is not held back), and runs for the refund event it is subscribed to. With the
 * real {@link PostbackExecutor} against a local server (moved here from the testing module's EventPublishingTest,
 * which used a scripted executor declaring itself event-only).
 */
class PostbackEventOnlyTest {
    private final WebhookSecret secret = WebhookSecret.generate();
    private final InMemoryDefinitionSource definitions = new InMemoryDefinitionSource();
    private MockWebServer server;
    private GuardedHttpClient client;
    private ActionPipeline pipeline;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        client = GuardedHttpClient.builder()
                .allowHttp(true)
                .allowLoopbackForDevelopment()
                .build();
        pipeline = ActionPipeline.builder()
                .store(ActionStateStore.inMemory())
                .definitions(definitions)
                .executor(PostbackExecutor.of(client))
                .pollInterval(Duration.ofMillis(20))
                .build();
    }

    @AfterEach
    void stop() throws Exception {
        pipeline.close();
        client.close();
        server.shutdown();
    }

    @Test
    void anEventOnlyActionRunsForItsEventButNeverForAPaidOrder() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(204));
        definitions.save(ActionDefinition.builder(PostbackExecutor.TYPE)
                .id("refund-channel")
                .name("Refunds of the course")
                .product("product-1") // a product the paid order contains
                .config(PostbackConfig.of(server.url("/refunds").toString(), secret))
                .build());
        definitions.subscribe(Subscription.of("s", ShopEventType.REFUND_APPLIED, List.of("refund-channel")));

        List<ActionRun> forOrder =
                pipeline.submit(TestOrders.paidOrder("paid").build()).runs();
        List<ActionRun> forRefund = pipeline.publish(refund("refund-1")).runs();

        assertThat(forOrder).as("no run for the paid order").isEmpty();
        assertThat(pipeline.progressOfOrder("paid").completed())
                .as("the order is not held back")
                .isTrue();
        assertThat(forRefund).extracting(ActionRun::definitionId).containsExactly("refund-channel");
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(pipeline.runsOfEvent("refund-1")).singleElement().satisfies(run -> assertThat(run.status())
                .isEqualTo(RunStatus.SUCCEEDED));
        RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(request.getPath()).isEqualTo("/refunds");
        String body = request.getBody().readUtf8();
        StandardWebhookVerifier.of(secret)
                .verify(
                        body.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        Map.of(
                                "webhook-id", List.of(request.getHeader("webhook-id")),
                                "webhook-timestamp", List.of(request.getHeader("webhook-timestamp")),
                                "webhook-signature", List.of(request.getHeader("webhook-signature"))));
        assertThat(PostpurchaseJson.mapper().readTree(body).path("type").asText())
                .isEqualTo("refund.applied");
        assertThat(PostpurchaseJson.mapper().readTree(body).path("event_id").asText())
                .isEqualTo("refund-1");
        assertThat(server.getRequestCount()).as("the refund's postback only").isEqualTo(1);
    }

    private static ShopEvent refund(String id) {
        return ShopEvent.builder(id, ShopEventType.REFUND_APPLIED, EventSource.SHOP, Instant.now())
                .order(TestOrders.paidOrder("paid").build())
                .transaction(new TransactionInfo("tx-r", 1000, "EUR", "stripe", null))
                .build();
    }
}
