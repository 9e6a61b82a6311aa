package dev.postpurchase.examples.integrator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.postpurchase.core.ActionExecutors;
import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.core.Secret;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.RunStatus;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.crypto.AesGcmSecretCodec;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.ExecutionOutcome;
import dev.postpurchase.email.EmailReceiptExecutor;
import dev.postpurchase.email.SmtpMailer;
import dev.postpurchase.email.SmtpSecurity;
import dev.postpurchase.jdbc.JdbcActionStateStore;
import dev.postpurchase.jdbc.JdbcDefinitionSource;
import dev.postpurchase.kajabi.KajabiOrderConverter;
import dev.postpurchase.kajabi.KajabiWebhookToken;
import dev.postpurchase.testing.RecordingExecutor;
import dev.postpurchase.testing.ScriptedExecutor;
import dev.postpurchase.testing.TestCodecs;
import dev.postpurchase.testing.TestDefinitions;
import dev.postpurchase.testing.TestOrders;
import dev.postpurchase.webhook.StandardWebhookSigner;
import dev.postpurchase.webhook.StandardWebhookVerifier;
import dev.postpurchase.webhook.WebhookSecret;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The integrator app end to end over HTTP, on a real (H2) database. */
class ShopBackendTest {
    private static final KajabiWebhookToken KAJABI_TOKEN = KajabiWebhookToken.of(
            Secret.of("tok_" + UUID.randomUUID().toString().replace("-", "")));
    private static final WebhookSecret INCOMING_SECRET = WebhookSecret.generate();
    /** The application's configuration key: the same after a restart, or nothing stored could be read. */
    private static final byte[] CONFIG_KEY = AesGcmSecretCodec.generateKey();

    private final HttpClient http = HttpClient.newHttpClient();
    private final RecordingExecutor receipt = new RecordingExecutor("receipt");
    private final ScriptedExecutor crm = new ScriptedExecutor("crm", true, RetryPolicy.none())
            .thenReturn(ExecutionOutcome.permanent("CRM said 400: unknown list", 400));
    private final ScriptedExecutor slow = new ScriptedExecutor("slow", false, RetryPolicy.none());
    /** An action type this deployment's dashboard still knows but its order nodes no longer run. */
    private final RecordingExecutor retired = new RecordingExecutor("retired");

    private final EmailReceiptExecutor receiptEmail = EmailReceiptExecutor.builder()
            .transport(SmtpMailer.builder()
                    .host("127.0.0.1")
                    .port(2525)
                    .security(SmtpSecurity.NONE)
                    .from("shop@example.com", null)
                    .build())
            .build();
    private JdbcDataSource db;
    private JdbcActionStateStore store;
    private JdbcDefinitionSource definitions;
    private ActionPipeline pipeline;
    private ShopBackend backend;

    @BeforeEach
    void start() {
        db = new JdbcDataSource();
        db.setURL("jdbc:h2:mem:shop-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        store = JdbcActionStateStore.builder()
                .dataSource(db)
                .secretCodec(TestCodecs.aesGcm())
                .build();
        store.migrate();
        definitions = definitionSource();
        pipeline = ActionPipeline.builder()
                .store(store)
                .definitions(definitions)
                .executor(receipt)
                .executor(crm)
                .executor(slow)
                .pollInterval(Duration.ofMillis(50))
                .build();
        definitions.createDefinition(
                TestDefinitions.definition("receipt", "receipt", ActionLevel.CHECKOUT, "checkout-1"));
        definitions.createDefinition(TestDefinitions.definition("crm", "crm", ActionLevel.PRODUCT, "product-1"));
        definitions.createDefinition(
                TestDefinitions.definition("kajabi-receipt", "receipt", ActionLevel.CHECKOUT, "kajabi"));
        backend = backend(definitions);
    }

    @AfterEach
    void stop() {
        backend.close();
        pipeline.close();
        definitions.close();
        store.close();
    }

    /** The merchant's configuration in the shop's H2 database, as the integrator wires it. */
    private JdbcDefinitionSource definitionSource() {
        return JdbcDefinitionSource.builder()
                .dataSource(db)
                .executors(ActionExecutors.of(List.of(receipt, crm, slow, retired, receiptEmail)))
                .secretCodec(AesGcmSecretCodec.builder()
                        .currentKey("test", CONFIG_KEY)
                        .build())
                .build();
    }

    private ShopBackend backend(JdbcDefinitionSource source) {
        return new ShopBackend(
                db,
                store,
                pipeline,
                source,
                KAJABI_TOKEN,
                KajabiOrderConverter.defaults(),
                StandardWebhookVerifier.of(INCOMING_SECRET));
    }

    @Test
    void aPaidOrderIsRecordedWithItsActionsAndTheyRun() throws Exception {
        Order order = TestOrders.paidOrder("order-1").build();

        HttpResponse<String> created = post("/orders", PostpurchaseJson.write(order), Map.of());

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(json(created).path("actions")).hasSize(2);
        assertThat(backend.shopOrderStatus("order-1")).contains("PAID");
        await(() ->
                statuses("order-1").contains("FAILED") && statuses("order-1").contains("SUCCEEDED"));
        JsonNode actions = json(get("/orders/order-1/actions"));
        JsonNode failed = find(actions, "crm");
        assertThat(failed.path("status").asText()).isEqualTo("FAILED");
        assertThat(failed.path("lastError").asText()).isEqualTo("CRM said 400: unknown list");
        assertThat(failed.has("configJson")).as("snapshots may hold secrets").isFalse();
        assertThat(post("/orders", PostpurchaseJson.write(order), Map.of()).statusCode())
                .as("the same order again")
                .isEqualTo(200);
    }

    @Test
    void anInvalidOrderIsRefusedAndNothingIsWrittenToEitherTable() throws Exception {
        String json = PostpurchaseJson.write(TestOrders.paidOrder("order-bad").build())
                .replace("\"EUR\"", "\"EURO\"");

        HttpResponse<String> refused = post("/orders", json, Map.of());

        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).contains("\"field\":\"currency\"");
        assertThat(backend.shopOrderStatus("order-bad")).isEmpty();
    }

    @Test
    void aBrokenDefinitionDoesNotRefuseThePaidOrderItsRunFailsWithTheReason() throws Exception {
        // valid when saved, but the order nodes no longer run this type: the run fails, the order is still paid
        definitions.createDefinition(
                TestDefinitions.definition("broken", "retired", ActionLevel.CHECKOUT, "checkout-1"));

        HttpResponse<String> accepted = post(
                "/orders",
                PostpurchaseJson.write(TestOrders.paidOrder("order-typo").build()),
                Map.of());

        assertThat(accepted.statusCode()).isEqualTo(201);
        assertThat(backend.shopOrderStatus("order-typo")).isPresent();
        ActionRun broken = store.runs(TriggerKind.ORDER, "order-typo").stream()
                .filter(r -> r.definitionId().equals("broken"))
                .findFirst()
                .orElseThrow();
        assertThat(broken.status()).isEqualTo(RunStatus.FAILED);
        assertThat(broken.lastError()).contains("type: unknown action type 'retired'");
    }

    @Test
    void aFailingShopWriteRollsBackTheActionsTheSdkAlreadyWrote() throws Exception {
        String longId = "order-" + "x".repeat(200); // fits the SDK's 255 characters, not the shop's 200

        HttpResponse<String> failed = post(
                "/orders", PostpurchaseJson.write(TestOrders.paidOrder(longId).build()), Map.of());

        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(store.trigger(TriggerKind.ORDER, longId))
                .as("the SDK's runs were rolled back")
                .isEmpty();
        assertThat(pipeline.runsOfOrder(longId)).isEmpty();
    }

    @Test
    void malformedJsonIsABadRequest() throws Exception {
        assertThat(post("/runs/some-run/rerun", "{not json", Map.of()).statusCode())
                .isEqualTo(400);
    }

    @Test
    void staffReRunOneActionWithTheDashboardsOptions() throws Exception {
        post("/orders", PostpurchaseJson.write(TestOrders.paidOrder("order-2").build()), Map.of());
        await(() -> statuses("order-2").equals(java.util.Set.of("FAILED", "SUCCEEDED")));
        JsonNode actions = json(get("/orders/order-2/actions"));
        String failedRun = find(actions, "crm").path("id").asText();
        String succeededRun = find(actions, "receipt").path("id").asText();

        HttpResponse<String> needsAck = post("/runs/" + succeededRun + "/rerun", "{}", Map.of());
        HttpResponse<String> acknowledged =
                post("/runs/" + succeededRun + "/rerun", "{\"acknowledgeSucceeded\":true}", Map.of());
        HttpResponse<String> fixed = post("/runs/" + failedRun + "/rerun", "{\"useLatestTemplate\":true}", Map.of());
        HttpResponse<String> unknown = post("/runs/nope/rerun", "{}", Map.of());

        assertThat(needsAck.statusCode()).isEqualTo(409);
        assertThat(needsAck.body()).contains("acknowledgeSucceeded");
        assertThat(acknowledged.statusCode()).isEqualTo(200);
        assertThat(fixed.statusCode()).isEqualTo(200);
        assertThat(json(fixed).path("status").asText()).isEqualTo("PENDING");
        assertThat(unknown.statusCode()).isEqualTo(404);
        await(() -> statuses("order-2").equals(java.util.Set.of("SUCCEEDED")));
        assertThat(pipeline.progressOfOrder("order-2").completed()).isTrue();
    }

    @Test
    void aStuckRunNeedsForce() throws Exception {
        slow.holdExecutions();
        definitions.createDefinition(TestDefinitions.definition("slow", "slow", ActionLevel.OFFER, "offer-1"));
        try {
            post(
                    "/orders",
                    PostpurchaseJson.write(TestOrders.paidOrder("order-3").build()),
                    Map.of());
            assertThat(slow.awaitEntered(Duration.ofSeconds(10))).isTrue();
            String stuck = find(json(get("/orders/order-3/actions")), "slow")
                    .path("id")
                    .asText();

            HttpResponse<String> refused = post("/runs/" + stuck + "/rerun", "{}", Map.of());
            HttpResponse<String> forced = post("/runs/" + stuck + "/rerun", "{\"force\":true}", Map.of());

            assertThat(refused.statusCode()).isEqualTo(409);
            assertThat(refused.body()).contains("force");
            assertThat(forced.statusCode()).isEqualTo(200);
        } finally {
            slow.release();
        }
    }

    @Test
    void kajabisWebhooksBecomeOrdersOnlyWithTheRightToken() throws Exception {
        String payment =
                """
                {"offer":{"id":11111,"title":"Main Course"},
                 "member":{"id":99999,"email":"member@example.com","name":"Jane Smith","first_name":"Jane","last_name":"Smith"},
                 "payment_transaction":{"id":55555,"created_at":"2025-04-01T10:00:00Z","currency":"USD",
                   "amount_paid":5000,"subtotal":5000,"discount_amount":0,"payment_method":"visa",
                   "payment_processor":"Kajabi Payments"}}""";

        HttpResponse<String> wrongToken = post("/kajabi/webhooks/guessed-token", payment, Map.of());
        HttpResponse<String> accepted =
                post("/kajabi/webhooks/" + KAJABI_TOKEN.secret().reveal(), payment, Map.of());
        HttpResponse<String> again =
                post("/kajabi/webhooks/" + KAJABI_TOKEN.secret().reveal(), payment, Map.of());

        assertThat(wrongToken.statusCode()).isEqualTo(404);
        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(again.statusCode())
                .as("Kajabi redelivers; the order is recorded once")
                .isEqualTo(200);
        String orderId = KajabiOrderConverter.orderId("55555");
        assertThat(backend.shopOrderStatus(orderId)).contains("PAID");
        await(() -> statuses(orderId).equals(java.util.Set.of("SUCCEEDED")));
        assertThat(receipt.executions().stream()
                        .filter(e -> e.order() != null && e.order().id().equals(orderId))
                        .findFirst()
                        .orElseThrow()
                        .order()
                        .totals()
                        .total())
                .isEqualTo(5000);
    }

    @Test
    void aNewCheckoutGetsItsReceiptDisabledAndTheMerchantsSwitchSurvivesARestart() throws Exception {
        HttpResponse<String> created = post("/checkouts", "{\"id\":\"checkout-9\"}", Map.of());
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode receiptAction = json(created).get(0);
        assertThat(receiptAction.path("type").asText()).isEqualTo("receipt-email");
        assertThat(receiptAction.path("enabled").asBoolean()).isFalse();
        assertThat(receiptAction.has("configJson")).isFalse();
        String path = "/definitions/" + receiptAction.path("id").asText() + "/enabled";

        HttpResponse<String> enabled = post(path, "{\"enabled\":true,\"version\":1}", Map.of());
        HttpResponse<String> stale = post(path, "{\"enabled\":false,\"version\":1}", Map.of());
        HttpResponse<String> incomplete = post(path, "{\"enabled\":false}", Map.of());
        HttpResponse<String> missing = post("/definitions/nope/enabled", "{\"enabled\":true,\"version\":1}", Map.of());
        HttpResponse<String> again = post("/checkouts", "{\"id\":\"checkout-9\"}", Map.of());

        assertThat(enabled.statusCode()).isEqualTo(200);
        assertThat(json(enabled).path("version").asLong()).isEqualTo(2);
        assertThat(stale.statusCode()).as("someone saved it since version 1").isEqualTo(409);
        assertThat(incomplete.statusCode()).isEqualTo(422);
        assertThat(incomplete.body()).contains("\"field\":\"version\"");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(again).get(0).path("enabled").asBoolean())
                .as("creating the checkout again keeps the merchant's choice")
                .isTrue();

        backend.close();
        definitions.close();
        definitions = definitionSource();
        backend = backend(definitions);

        HttpResponse<String> listed = get("/checkouts/checkout-9/actions");
        assertThat(listed.statusCode()).isEqualTo(200);
        JsonNode afterRestart = json(listed);
        assertThat(afterRestart.isArray()).isTrue();
        assertThat(afterRestart).hasSize(1);
        assertThat(afterRestart.get(0).path("enabled").asBoolean()).isTrue();
        assertThat(afterRestart.get(0).path("version").asLong()).isEqualTo(2);
    }

    @Test
    void incomingWebhooksAreVerifiedOnTheRawBody() throws Exception {
        String body = "{\"type\":\"order.paid\",\"id\":\"msg_1\"}";
        String id = "msg_" + UUID.randomUUID().toString().replace("-", "");
        long now = Instant.now().getEpochSecond();
        Map<String, String> headers =
                StandardWebhookSigner.of(INCOMING_SECRET).headers(id, now, body.getBytes(StandardCharsets.UTF_8));

        HttpResponse<String> good = post("/incoming/webhooks", body, headers);
        HttpResponse<String> tampered = post("/incoming/webhooks", body.replace("msg_1", "msg_2"), headers);
        HttpResponse<String> unsigned = post("/incoming/webhooks", body, Map.of());

        assertThat(good.statusCode()).isEqualTo(204);
        assertThat(tampered.statusCode()).isEqualTo(401);
        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(backend.receivedWebhooks()).extracting(w -> w.id()).containsExactly(id);
    }

    private java.util.Set<String> statuses(String orderId) {
        java.util.Set<String> result = new java.util.TreeSet<>();
        pipeline.runsOfOrder(orderId).forEach(r -> result.add(r.status().name()));
        return result;
    }

    private static JsonNode find(JsonNode actions, String type) {
        for (JsonNode a : actions) {
            if (a.path("type").asText().equals(type)) {
                return a;
            }
        }
        throw new AssertionError("no " + type + " action in " + actions);
    }

    private HttpResponse<String> post(String path, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(backend.baseUrl() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(backend.baseUrl() + path))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return PostpurchaseJson.mapper().readTree(response.body());
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 15 s");
            }
            Thread.sleep(20);
        }
    }
}
