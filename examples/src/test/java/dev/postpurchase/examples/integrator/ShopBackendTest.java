package dev.postpurchase.examples.integrator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.postpurchase.core.ActionExecutors;
import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.PipelineListener;
import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.core.Secret;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.RunQuery;
import dev.postpurchase.core.action.RunStatus;
import dev.postpurchase.core.action.TriggerCompletion;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.crypto.AesGcmSecretCodec;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.spi.ActionExecutor;
import dev.postpurchase.core.spi.Versioned;
import dev.postpurchase.email.CustomEmailConfig;
import dev.postpurchase.email.CustomEmailExecutor;
import dev.postpurchase.email.EmailBlock;
import dev.postpurchase.email.LocalizedEmail;
import dev.postpurchase.email.ReceiptEmailExecutor;
import dev.postpurchase.email.SmtpMailer;
import dev.postpurchase.email.SmtpSecurity;
import dev.postpurchase.examples.local.LocalPeers;
import dev.postpurchase.examples.standins.PostbackChannelStandIn;
import dev.postpurchase.jdbc.JdbcActionStateStore;
import dev.postpurchase.jdbc.JdbcDefinitionSource;
import dev.postpurchase.jdbc.JdbcIntegrationSettings;
import dev.postpurchase.kajabi.KajabiGrantOfferConfig;
import dev.postpurchase.kajabi.KajabiOrderConverter;
import dev.postpurchase.kajabi.KajabiWebhookToken;
import dev.postpurchase.testing.TestCodecs;
import dev.postpurchase.testing.TestOrders;
import dev.postpurchase.webhook.StandardWebhookSigner;
import dev.postpurchase.webhook.StandardWebhookVerifier;
import dev.postpurchase.webhook.WebhookSecret;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The integrator app end to end over HTTP, on a real (H2) database, with the real executors of every action against
 * the loopback stand-ins of {@link LocalPeers}: emails through an in-process SMTP server, the signed CRM webhook,
 * Kajabi and Systeme.io grants and revokes, the licence server of the fulfillment webhook, the postback channel.
 */
class ShopBackendTest {
    private static final KajabiWebhookToken KAJABI_TOKEN = KajabiWebhookToken.of(
            Secret.of("tok_" + UUID.randomUUID().toString().replace("-", "")));
    private static final WebhookSecret INCOMING_SECRET = WebhookSecret.generate();
    /** The application's configuration key: the same after a restart, or nothing stored could be read. */
    private static final byte[] CONFIG_KEY = AesGcmSecretCodec.generateKey();

    private static final String CUSTOMER = "aino.virtanen@example.com";

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> completions = new CopyOnWriteArrayList<>();
    private LocalPeers peers;
    private JdbcDataSource db;
    private JdbcActionStateStore store;
    private JdbcIntegrationSettings integrations;
    private List<ActionExecutor<?>> executors;
    private JdbcDefinitionSource definitions;
    private ShopOrders orders;
    private ActionPipeline pipeline;
    private ShopBackend backend;

    @BeforeEach
    void start() {
        peers = LocalPeers.start();
        db = new JdbcDataSource();
        db.setURL("jdbc:h2:mem:shop-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        store = JdbcActionStateStore.builder()
                .dataSource(db)
                .secretCodec(TestCodecs.aesGcm())
                .build();
        store.migrate();
        integrations = JdbcIntegrationSettings.builder()
                .dataSource(db)
                .secretCodec(codec())
                .build();
        executors = peers.executors(integrations);
        definitions = definitionSource();
        DemoMerchant.configure(definitions, integrations, peers);
        definitions.updateDefinition(
                definitions.checkoutCreated("kajabi").get(0).value().withEnabled(true), 1);
        orders = ShopOrders.create(db);
        pipeline = pipeline(orderNodeExecutors(), "node-b", Duration.ofSeconds(60));
        backend = backend(definitions, pipeline);
    }

    @AfterEach
    void stop() {
        backend.close();
        pipeline.close();
        definitions.close();
        integrations.close();
        store.close();
        peers.close();
    }

    private static AesGcmSecretCodec codec() {
        return AesGcmSecretCodec.builder().currentKey("test", CONFIG_KEY).build();
    }

    /**
     * The executors of the order nodes: every real one except the custom email, which this deployment's dashboard
     * still offers but its order nodes no longer run.
     */
    private List<ActionExecutor<?>> orderNodeExecutors() {
        return executors.stream()
                .filter(e -> !e.type().equals(CustomEmailExecutor.TYPE))
                .toList();
    }

    /** The merchant's configuration in the shop's H2 database, as the integrator wires it. */
    private JdbcDefinitionSource definitionSource() {
        return JdbcDefinitionSource.builder()
                .dataSource(db)
                .executors(ActionExecutors.of(executors))
                .secretCodec(codec())
                .build();
    }

    private ActionPipeline pipeline(List<ActionExecutor<?>> nodeExecutors, String node, Duration lease) {
        return ActionPipeline.builder()
                .store(store)
                .definitions(definitions)
                .executors(nodeExecutors)
                .listener(orders)
                .listener(new PipelineListener() {
                    @Override
                    public void triggerCompleted(TriggerCompletion completion) {
                        completions.add(completion.key());
                    }
                })
                .nodeId(node)
                .leaseDuration(lease)
                .pollInterval(Duration.ofMillis(50))
                .build();
    }

    private ShopBackend backend(JdbcDefinitionSource source, ActionPipeline nodePipeline) {
        return ShopBackend.builder()
                .dataSource(db)
                .store(store)
                .pipeline(nodePipeline)
                .definitions(source)
                .orders(orders)
                .kajabiToken(KAJABI_TOKEN)
                .kajabiMaxWait(Duration.ofMillis(300))
                .kajabiExpiryInterval(Duration.ofMillis(100))
                .incomingVerifier(StandardWebhookVerifier.of(INCOMING_SECRET))
                .start();
    }

    @Test
    void aPaidOrderRunsEveryActionForRealAndTheShopsOrderBecomesCompletedWhenThePipelineReportsIt() throws Exception {
        Order order = DemoMerchant.sampleOrder("order-1");

        HttpResponse<String> created = post("/orders", PostpurchaseJson.write(order));

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(types(json(created).path("actions")))
                .containsExactlyInAnyOrder(
                        "receipt-email",
                        "webhook",
                        "kajabi-grant-offer",
                        "systemeio-grant-access",
                        "fulfillment-webhook");
        await(() -> "COMPLETED".equals(backend.shopOrderStatus("order-1").orElse("")));
        assertThat(json(get("/orders/order-1")).path("status").asText()).isEqualTo("COMPLETED");
        assertThat(completions).containsOnlyOnce("order:order-1");
        assertThat(statuses("order-1")).containsExactly("SUCCEEDED");
        assertThat(peers.crm().acceptedIds()).hasSize(1);
        assertThat(peers.kajabi().hasGrant(DemoMerchant.KAJABI_OFFER, CUSTOMER)).isTrue();
        assertThat(peers.systemeIo().tagsOf(CUSTOMER)).containsExactly(DemoMerchant.COURSE_TAG);
        assertThat(peers.licences().keys()).hasSize(1);
        assertThat(mailsTo(CUSTOMER))
                .as("the receipt and the licence key, by email")
                .hasSize(2)
                .anyMatch(m -> messageId(m).contains(".receipt@"))
                .anyMatch(m -> text(m).contains(peers.licences().keys().get(0)));
        assertThat(post("/orders", PostpurchaseJson.write(order)).statusCode())
                .as("the same order again")
                .isEqualTo(200);
        assertThat(get("/orders/unknown").statusCode()).isEqualTo(404);
    }

    @Test
    void aCompletionNoNodeReportedIsFoundInTheStoreWhenTheBackendStarts() throws Exception {
        // a node whose completion report never reached the shop (as when it dies between the commit and the report)
        backend.close();
        pipeline.close();
        pipeline = ActionPipeline.builder()
                .store(store)
                .definitions(definitions)
                .executors(orderNodeExecutors())
                .pollInterval(Duration.ofMillis(50))
                .build();
        backend = backend(definitions, pipeline);
        post("/orders", PostpurchaseJson.write(DemoMerchant.sampleOrder("order-5")));
        await(() -> pipeline.progressOfOrder("order-5").completed());
        assertThat(backend.shopOrderStatus("order-5")).contains("PAID");

        backend.close();
        backend = backend(definitions, pipeline);

        assertThat(backend.shopOrderStatus("order-5")).contains("COMPLETED");
    }

    @Test
    void anInvalidOrderIsRefusedAndNothingIsWrittenToEitherTable() throws Exception {
        String json = PostpurchaseJson.write(TestOrders.paidOrder("order-bad").build())
                .replace("\"EUR\"", "\"EURO\"");

        HttpResponse<String> refused = post("/orders", json);

        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).contains("\"field\":\"currency\"");
        assertThat(backend.shopOrderStatus("order-bad")).isEmpty();
        assertThat(store.trigger(TriggerKind.ORDER, "order-bad")).isEmpty();
    }

    @Test
    void aBrokenDefinitionDoesNotRefuseThePaidOrderItsRunFailsWithTheReason() throws Exception {
        // valid when saved, but the order nodes no longer run custom emails: the run fails, the order is still paid
        definitions.createDefinition(ActionDefinition.builder(CustomEmailExecutor.TYPE)
                .id("welcome")
                .name("Welcome")
                .checkout(DemoMerchant.CHECKOUT)
                .config(new CustomEmailConfig(
                        Map.of("en", new LocalizedEmail("Welcome", List.of(new EmailBlock.RichText("<p>Hi</p>")))),
                        null))
                .build());

        HttpResponse<String> accepted = post("/orders", PostpurchaseJson.write(DemoMerchant.sampleOrder("order-typo")));

        assertThat(accepted.statusCode()).isEqualTo(201);
        ActionRun broken = run("order-typo", "welcome");
        assertThat(broken.status()).isEqualTo(RunStatus.FAILED);
        assertThat(broken.lastError()).contains("type: unknown action type 'custom-email'");
        await(() -> statuses("order-typo").equals(Set.of("FAILED", "SUCCEEDED")));
        assertThat(backend.shopOrderStatus("order-typo")).contains("PAID");
    }

    @Test
    void aFailingShopWriteRollsBackTheActionsTheSdkAlreadyWrote() throws Exception {
        String longId = "order-" + "x".repeat(200); // fits the SDK's 255 characters, not the shop's 200

        HttpResponse<String> failed = post("/orders", PostpurchaseJson.write(DemoMerchant.sampleOrder(longId)));

        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(store.trigger(TriggerKind.ORDER, longId))
                .as("the SDK's runs were rolled back")
                .isEmpty();
        assertThat(pipeline.runsOfOrder(longId)).isEmpty();
    }

    @Test
    void malformedJsonIsABadRequest() throws Exception {
        assertThat(post("/runs/some-run/rerun", "{not json").statusCode()).isEqualTo(400);
    }

    @Test
    void staffReRunOneActionWithTheDashboardsOptions() throws Exception {
        // the merchant mistyped the Kajabi activation URL
        Versioned<ActionDefinition> grant =
                definitions.findDefinition("kajabi-grant").orElseThrow();
        String goodUrl = grant.value()
                .config(KajabiGrantOfferConfig.class)
                .activationUrl()
                .reveal();
        String mistypedUrl = goodUrl.replace("/webhooks/offers/", "/webhooks/offers/x");
        Versioned<ActionDefinition> mistyped = definitions.updateDefinition(
                grant.value().withConfig(KajabiGrantOfferConfig.of("Grant Kajabi course", Secret.of(mistypedUrl))),
                grant.version());
        post("/orders", PostpurchaseJson.write(DemoMerchant.sampleOrder("order-2")));
        await(() -> statuses("order-2").equals(Set.of("FAILED", "SUCCEEDED")));
        JsonNode actions = json(get("/orders/order-2/actions"));
        String failedRun = find(actions, "kajabi-grant-offer").path("id").asText();
        String succeededRun = find(actions, "receipt-email").path("id").asText();
        assertThat(find(actions, "kajabi-grant-offer").path("lastError").asText())
                .contains("404");

        HttpResponse<String> needsAck = post("/runs/" + succeededRun + "/rerun", "{}");
        HttpResponse<String> acknowledged = post("/runs/" + succeededRun + "/rerun", "{\"acknowledgeSucceeded\":true}");
        HttpResponse<String> sameTemplate = post("/runs/" + failedRun + "/rerun", "{}");
        await(() -> pipeline.run(failedRun).orElseThrow().status() == RunStatus.FAILED
                && pipeline.run(failedRun).orElseThrow().rerunCount() == 1);
        // the merchant fixes the URL in the dashboard; staff re-run that one action with the latest template
        definitions.updateDefinition(
                mistyped.value().withConfig(KajabiGrantOfferConfig.of("Grant Kajabi course", Secret.of(goodUrl))),
                mistyped.version());
        HttpResponse<String> latest = post("/runs/" + failedRun + "/rerun", "{\"useLatestTemplate\":true}");
        HttpResponse<String> unknown = post("/runs/nope/rerun", "{}");

        assertThat(needsAck.statusCode()).isEqualTo(409);
        assertThat(needsAck.body()).contains("acknowledgeSucceeded");
        assertThat(acknowledged.statusCode()).isEqualTo(200);
        assertThat(sameTemplate.statusCode()).isEqualTo(200);
        assertThat(latest.statusCode()).isEqualTo(200);
        assertThat(json(latest).path("status").asText()).isEqualTo("PENDING");
        assertThat(unknown.statusCode()).isEqualTo(404);
        await(() -> statuses("order-2").equals(Set.of("SUCCEEDED")));
        ActionRun fixed = pipeline.run(failedRun).orElseThrow();
        assertThat(fixed.rerunCount()).isEqualTo(2);
        assertThat(fixed.configJson())
                .as("the snapshot is the fixed template")
                .contains(goodUrl)
                .doesNotContain(mistypedUrl);
        assertThat(peers.kajabi().hasGrant(DemoMerchant.KAJABI_OFFER, CUSTOMER))
                .as("granted through the fixed URL")
                .isTrue();
        assertThat(mailsTo(CUSTOMER).stream().filter(m -> messageId(m).contains(".receipt@")))
                .as("the acknowledged re-run sent the receipt again, as a new message")
                .hasSize(2)
                .extracting(ShopBackendTest::messageId)
                .doesNotHaveDuplicates();
        assertThat(pipeline.progressOfOrder("order-2").completed()).isTrue();
        await(() -> "COMPLETED".equals(backend.shopOrderStatus("order-2").orElse("")));
        assertThat(completions).containsOnlyOnce("order:order-2");
    }

    @Test
    void aStuckRunOfADeadNodeIsListedAsStaleAndRunsOnceForced() throws Exception {
        // node A sends receipts through an SMTP server that accepts connections and never answers
        backend.close();
        pipeline.close();
        try (ServerSocket blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ReceiptEmailExecutor hangingReceipt = ReceiptEmailExecutor.create(SmtpMailer.builder()
                    .host("127.0.0.1")
                    .port(blackHole.getLocalPort())
                    .security(SmtpSecurity.NONE)
                    .from("shop@example.com", null)
                    .connectTimeout(Duration.ofSeconds(3))
                    .readTimeout(Duration.ofSeconds(3))
                    .build());
            List<ActionExecutor<?>> nodeAExecutors = new ArrayList<>(orderNodeExecutors());
            nodeAExecutors.replaceAll(e -> e.type().equals(ReceiptEmailExecutor.TYPE) ? hangingReceipt : e);
            ActionPipeline nodeA = pipeline(nodeAExecutors, "node-a", Duration.ofSeconds(1));
            ShopBackend backendA = backend(definitions, nodeA);
            post(backendA, "/orders", PostpurchaseJson.write(DemoMerchant.sampleOrder("order-3")));
            String stuck =
                    run("order-3", "receipt-email-" + DemoMerchant.CHECKOUT).id();
            await(() -> pipeline(nodeA, stuck).status() == RunStatus.RUNNING);
            await(() -> nodeA.runsOfOrder("order-3").stream()
                    .filter(r -> !r.id().equals(stuck))
                    .allMatch(r -> r.status() == RunStatus.SUCCEEDED));

            // node A dies mid-send: its lease is no longer renewed, the run stays RUNNING
            backendA.close();
            nodeA.shutdown(Duration.ofMillis(50));
            pipeline = pipeline(orderNodeExecutors(), "node-b", Duration.ofSeconds(60));
            backend = backend(definitions, pipeline);
            await(() -> {
                try {
                    return json(get("/runs/stale?olderThanSeconds=1"))
                            .findValuesAsText("id")
                            .contains(stuck);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            JsonNode listed = findById(json(get("/runs/stale?olderThanSeconds=1")), stuck);
            assertThat(listed.path("status").asText()).isEqualTo("RUNNING");
            assertThat(listed.path("recoveredAutomatically").asBoolean()).isFalse();
            assertThat(listed.path("forceRerun").path("path").asText()).isEqualTo("/runs/" + stuck + "/rerun");
            await(
                    () -> statuses("order-3").equals(Set.of("RUNNING", "SUCCEEDED")),
                    () -> pipeline.runsOfOrder("order-3").toString());
            assertThat(pipeline.run(stuck).orElseThrow().status())
                    .as("a receipt is not sent twice unless staff say so")
                    .isEqualTo(RunStatus.RUNNING);

            HttpResponse<String> refused = post("/runs/" + stuck + "/rerun", "{}");
            HttpResponse<String> forced = post("/runs/" + stuck + "/rerun", "{\"force\":true}");

            assertThat(refused.statusCode()).isEqualTo(409);
            assertThat(refused.body()).contains("force");
            assertThat(forced.statusCode()).isEqualTo(200);
            await(() -> pipeline.run(stuck).orElseThrow().status() == RunStatus.SUCCEEDED);
            ActionRun done = pipeline.run(stuck).orElseThrow();
            assertThat(done.rerunCount()).isEqualTo(1);
            assertThat(pipeline.attemptsOf(stuck))
                    .as("the forced attempt ran on node B")
                    .anyMatch(a -> "node-b".equals(a.node()));
            assertThat(mailsTo(CUSTOMER).stream().filter(m -> messageId(m).contains(".receipt@")))
                    .as("the forced run is a new delivery with its own Message-ID")
                    .singleElement()
                    .satisfies(m -> assertThat(messageId(m)).contains("_r1.receipt@"));
            await(() -> "COMPLETED".equals(backend.shopOrderStatus("order-3").orElse("")));
            assertThat(json(get("/runs/stale?olderThanSeconds=1")).findValuesAsText("id"))
                    .doesNotContain(stuck);
        }
    }

    @Test
    void aRefundRevokesAccessAndNotifiesThePostbackChannel() throws Exception {
        post("/orders", PostpurchaseJson.write(DemoMerchant.sampleOrder("order-4")));
        await(() -> "COMPLETED".equals(backend.shopOrderStatus("order-4").orElse("")));
        assertThat(peers.kajabi().hasGrant(DemoMerchant.KAJABI_OFFER, CUSTOMER)).isTrue();

        HttpResponse<String> refunded = post("/orders/order-4/refunds", "{}");
        HttpResponse<String> again = post("/orders/order-4/refunds", "{}");
        HttpResponse<String> unknown = post("/orders/nope/refunds", "{}");
        HttpResponse<String> badId = post("/orders/order-4/refunds", "{\"id\":\"../x\"}");

        assertThat(refunded.statusCode()).isEqualTo(202);
        String eventId = json(refunded).path("eventId").asText();
        assertThat(types(json(refunded).path("actions")))
                .containsExactlyInAnyOrder("kajabi-revoke-offer", "systemeio-revoke-access", "postback");
        assertThat(again.statusCode()).as("the same refund is published once").isEqualTo(200);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(badId.statusCode()).isEqualTo(422);
        assertThat(backend.shopOrderStatus("order-4")).contains("REFUNDED");
        await(() -> {
            List<ActionRun> runs = pipeline.runsOfEvent(eventId);
            return !runs.isEmpty() && runs.stream().allMatch(r -> r.status() == RunStatus.SUCCEEDED);
        });
        assertThat(json(get("/events/" + eventId + "/actions"))).hasSize(3);
        assertThat(peers.kajabi().hasGrant(DemoMerchant.KAJABI_OFFER, CUSTOMER)).isFalse();
        assertThat(peers.systemeIo().tagsOf(CUSTOMER)).isEmpty();
        assertThat(peers.postbacks().received())
                .extracting(PostbackChannelStandIn.Notification::type, PostbackChannelStandIn.Notification::eventId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("refund.applied", eventId));
        assertThat(peers.postbacks().rejected()).isZero();
        assertThat(backend.shopOrderStatus("order-4"))
                .as("completing the refund's actions does not make the order completed again")
                .contains("REFUNDED");
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

        HttpResponse<String> wrongToken = post("/kajabi/webhooks/guessed-token", payment);
        HttpResponse<String> accepted =
                post("/kajabi/webhooks/" + KAJABI_TOKEN.secret().reveal(), payment);
        HttpResponse<String> again =
                post("/kajabi/webhooks/" + KAJABI_TOKEN.secret().reveal(), payment);

        assertThat(wrongToken.statusCode()).isEqualTo(404);
        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(again.statusCode())
                .as("Kajabi redelivers; the order is recorded once")
                .isEqualTo(200);
        String orderId = KajabiOrderConverter.orderId("55555");
        await(() -> "COMPLETED".equals(backend.shopOrderStatus(orderId).orElse("")));
        assertThat(mailsTo("member@example.com")).singleElement().satisfies(m -> assertThat(text(m))
                .contains("50.00"));
    }

    @Test
    void anIncompleteKajabiTransactionIsRecordedByTheScheduledExpiry() throws Exception {
        // the primary offer of a 90.00 transaction arrives; its order bump (40.00) never does
        String primary =
                """
                {"id":10001,
                 "offer":{"id":11111,"title":"Main Course","quantity":1,"unit_cost":5000,"subtotal":5000,
                   "total_amount":5000},
                 "member":{"id":99999,"email":"member@example.com","name":"Jane Smith","first_name":"Jane",
                   "last_name":"Smith"},
                 "transaction":{"transaction_id":77777,"transaction_created_at":"2025-04-01T10:00:00Z",
                   "offer_type":"one-time","subtotal":9000,"amount_paid":9000,"currency":"USD",
                   "payment_method":"visa","payment_processor":"Kajabi Payments"},
                 "opt_in":false,"trial":false}""";
        String orderId = KajabiOrderConverter.orderId("77777");

        HttpResponse<String> waiting =
                post("/kajabi/webhooks/" + KAJABI_TOKEN.secret().reveal(), primary);

        assertThat(waiting.statusCode()).isEqualTo(202);
        assertThat(waiting.body()).contains("no order yet");
        assertThat(backend.shopOrderStatus(orderId))
                .as("waiting for the rest of the transaction")
                .isEmpty();
        await(() -> backend.shopOrderStatus(orderId).isPresent());
        assertThat(backend.kajabiPendingTransactions()).isZero();
        Order recorded = PostpurchaseJson.read(
                store.trigger(TriggerKind.ORDER, orderId).orElseThrow().payloadJson(), Order.class, "order");
        assertThat(recorded.items()).hasSize(1);
        assertThat(recorded.totals().total())
                .as("what the offers that arrived cost, never more")
                .isEqualTo(5000);
        await(() -> "COMPLETED".equals(backend.shopOrderStatus(orderId).orElse("")));
    }

    @Test
    void testWebhookIsOfferedForAFulfillmentDefinitionAndCreatesNoRun() throws Exception {
        JsonNode productActions = json(get("/products/" + DemoMerchant.LICENCE + "/actions"));
        JsonNode licence = findById(productActions, "licence-keys");
        assertThat(licence.path("testWebhook").path("path").asText())
                .isEqualTo("/definitions/licence-keys/test-webhook");
        assertThat(findById(json(get("/checkouts/" + DemoMerchant.CHECKOUT + "/actions")), "crm-webhook")
                        .has("testWebhook"))
                .isFalse();

        HttpResponse<String> tested =
                post(licence.path("testWebhook").path("path").asText(), "");
        HttpResponse<String> notFulfillment = post("/definitions/crm-webhook/test-webhook", "");
        HttpResponse<String> missing = post("/definitions/nope/test-webhook", "");

        assertThat(tested.statusCode()).isEqualTo(200);
        JsonNode result = json(tested);
        assertThat(result.path("metContract").asBoolean()).isTrue();
        assertThat(result.path("status").asInt()).isEqualTo(200);
        assertThat(peers.licences().keys()).hasSize(1);
        assertThat(result.path("bodyPrefix").asText())
                .isEqualTo(peers.licences().keys().get(0));
        assertThat(result.path("webhookId").asText()).startsWith("msg_test_");
        assertThat(notFulfillment.statusCode()).isEqualTo(422);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(pipeline.findRuns(RunQuery.builder().build()).runs())
                .as("no run")
                .isEmpty();
        assertThat(peers.smtp().getReceivedMessages())
                .as("nothing reached a customer")
                .isEmpty();
    }

    @Test
    void aNewCheckoutGetsItsReceiptDisabledAndTheMerchantsSwitchSurvivesARestart() throws Exception {
        HttpResponse<String> created = post("/checkouts", "{\"id\":\"checkout-9\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode receiptAction = json(created).get(0);
        assertThat(receiptAction.path("type").asText()).isEqualTo("receipt-email");
        assertThat(receiptAction.path("enabled").asBoolean()).isFalse();
        assertThat(receiptAction.has("configJson")).isFalse();
        String path = "/definitions/" + receiptAction.path("id").asText() + "/enabled";

        HttpResponse<String> enabled = post(path, "{\"enabled\":true,\"version\":1}");
        HttpResponse<String> stale = post(path, "{\"enabled\":false,\"version\":1}");
        HttpResponse<String> incomplete = post(path, "{\"enabled\":false}");
        HttpResponse<String> missing = post("/definitions/nope/enabled", "{\"enabled\":true,\"version\":1}");
        HttpResponse<String> again = post("/checkouts", "{\"id\":\"checkout-9\"}");

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
        backend = backend(definitions, pipeline);

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

        HttpResponse<String> good = post(backend, "/incoming/webhooks", body, headers);
        HttpResponse<String> tampered = post(backend, "/incoming/webhooks", body.replace("msg_1", "msg_2"), headers);
        HttpResponse<String> unsigned = post("/incoming/webhooks", body);

        assertThat(good.statusCode()).isEqualTo(204);
        assertThat(tampered.statusCode()).isEqualTo(401);
        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(backend.receivedWebhooks()).extracting(w -> w.id()).containsExactly(id);
    }

    private Set<String> statuses(String orderId) {
        Set<String> result = new TreeSet<>();
        pipeline.runsOfOrder(orderId).forEach(r -> result.add(r.status().name()));
        return result;
    }

    private ActionRun run(String orderId, String definitionId) {
        return store.runs(TriggerKind.ORDER, orderId).stream()
                .filter(r -> r.definitionId().equals(definitionId))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no run of " + definitionId + " for " + orderId));
    }

    private static ActionRun pipeline(ActionPipeline node, String runId) {
        return node.run(runId).orElseThrow();
    }

    private static List<String> types(JsonNode actions) {
        List<String> types = new ArrayList<>();
        actions.forEach(a -> types.add(a.path("type").asText()));
        return types;
    }

    private static JsonNode find(JsonNode actions, String type) {
        for (JsonNode a : actions) {
            if (a.path("type").asText().equals(type)) {
                return a;
            }
        }
        throw new AssertionError("no " + type + " action in " + actions);
    }

    private static JsonNode findById(JsonNode items, String id) {
        for (JsonNode a : items) {
            if (a.path("id").asText().equals(id)) {
                return a;
            }
        }
        throw new AssertionError("no " + id + " in " + items);
    }

    private List<MimeMessage> mailsTo(String address) throws MessagingException {
        List<MimeMessage> result = new ArrayList<>();
        for (MimeMessage m : peers.smtp().getReceivedMessages()) {
            if (m.getRecipients(Message.RecipientType.TO)[0].toString().contains(address)) {
                result.add(m);
            }
        }
        return result;
    }

    private static String messageId(MimeMessage message) {
        try {
            return String.valueOf(message.getMessageID());
        } catch (MessagingException e) {
            throw new AssertionError(e);
        }
    }

    /** The decoded text of every text part: what the customer reads, whatever the transfer encoding. */
    private static String text(jakarta.mail.Part part) {
        try {
            Object content = part.getContent();
            if (content instanceof jakarta.mail.Multipart multipart) {
                StringBuilder text = new StringBuilder();
                for (int i = 0; i < multipart.getCount(); i++) {
                    text.append(text(multipart.getBodyPart(i))).append('\n');
                }
                return text.toString();
            }
            return content instanceof String s ? s : "";
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return post(backend, path, body, Map.of());
    }

    private HttpResponse<String> post(ShopBackend target, String path, String body) throws Exception {
        return post(target, path, body, Map.of());
    }

    private HttpResponse<String> post(ShopBackend target, String path, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.baseUrl() + path))
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
        await(condition, () -> "");
    }

    private static void await(BooleanSupplier condition, java.util.function.Supplier<String> state)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s " + state.get());
            }
            Thread.sleep(20);
        }
    }
}
