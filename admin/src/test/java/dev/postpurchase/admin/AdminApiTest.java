package dev.postpurchase.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.Secret;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.RunStatus;
import dev.postpurchase.core.event.EventSource;
import dev.postpurchase.core.event.ShopEvent;
import dev.postpurchase.core.event.ShopEventType;
import dev.postpurchase.core.event.Subscription;
import dev.postpurchase.core.memory.InMemoryDefinitionSource;
import dev.postpurchase.core.memory.InMemoryIntegrationSettings;
import dev.postpurchase.core.spi.ActionStateStore;
import dev.postpurchase.core.spi.IntegrationSetting;
import dev.postpurchase.testing.TestOrders;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JSON API over the standalone server, on the in-memory store, as a staff member's browser calls it. */
class AdminApiTest {
    static final String TOKEN = "tok_s3cr3t_value_never_shown";
    static final String NEW_TOKEN = "tok_rotated_value_never_shown";

    ActionPipeline pipeline;
    InMemoryDefinitionSource definitions;
    InMemoryIntegrationSettings integrations;
    AdminServer server;
    TestClient ann;
    final AtomicReference<ActionDefinition> tested = new AtomicReference<>();

    static AdminAuthorizer headerAuthorizer() {
        // for tests: "name:ROLE" in a header (a real app reads its own session)
        return request -> request.header("X-Test-User").map(v -> {
            String[] parts = v.split(":");
            return new AdminPrincipal(parts[0], AdminRole.valueOf(parts[1]));
        });
    }

    static ActionDefinition hook(String id, String productId, HookExecutor.Outcome outcome, String token) {
        return ActionDefinition.builder(HookExecutor.TYPE)
                .id(id)
                .name("Hook " + id)
                .product(productId)
                .config(new HookExecutor.HookConfig(
                        "https://receiver.example/" + id, Secret.of(token), outcome, null, List.of("a")))
                .build();
    }

    @BeforeEach
    void start() {
        HookExecutor executor = new HookExecutor();
        integrations = new InMemoryIntegrationSettings();
        integrations.save(IntegrationSetting.enabled("systemeio", Secret.of(TOKEN)));
        definitions = new InMemoryDefinitionSource(dev.postpurchase.core.ActionExecutors.of(List.of(executor)));
        definitions.createDefinition(hook("grant", "product-1", HookExecutor.Outcome.FAIL, TOKEN));
        definitions.createDefinition(hook("notify", "product-2", HookExecutor.Outcome.OK, TOKEN));
        definitions.createDefinition(hook("on-refund", "product-9", HookExecutor.Outcome.OK, TOKEN));
        definitions.createSubscription(Subscription.of("refunds", ShopEventType.REFUND_APPLIED, List.of("on-refund")));
        pipeline = ActionPipeline.builder()
                .store(ActionStateStore.inMemory())
                .definitions(definitions)
                .executor(executor)
                .pollInterval(Duration.ofMillis(20))
                .build();
        AdminPage page = AdminPage.builder()
                .pipeline(pipeline)
                .definitions(definitions)
                .integrations(integrations)
                .authorizer(headerAuthorizer())
                .tester(HookExecutor.TYPE, definition -> {
                    tested.set(definition);
                    return new TestOutcome(true, 200, "<p>hello</p>", 12, null);
                })
                .build();
        server = AdminServer.start(page, new InetSocketAddress("127.0.0.1", 0), "/admin");
        ann = new TestClient(server.url(), "ann:OPERATOR").login();
    }

    @AfterEach
    void stop() {
        server.close();
        pipeline.close();
    }

    private void submitOrderWithRefund() {
        pipeline.submit(TestOrders.paidOrder("o-1").build());
        pipeline.publish(ShopEvent.builder("refund-1", ShopEventType.REFUND_APPLIED, EventSource.SHOP, Instant.now())
                .order(TestOrders.paidOrder("o-1").build())
                .build());
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();
    }

    private String runId(String definitionId) {
        return ActionRun.idFor(dev.postpurchase.core.action.TriggerKind.ORDER, "o-1", definitionId);
    }

    @Test
    void aPageWithoutAnAuthorizerIsRefusedWhenBuilt() {
        assertThatThrownBy(() -> AdminPage.builder().pipeline(pipeline).build())
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).fields()).containsExactly("authorizer"));
    }

    @Test
    void unauthenticatedRequestsAreRefusedEverywhere() {
        TestClient stranger = new TestClient(server.url(), null);
        assertThat(stranger.get("api/overview").status()).isEqualTo(401);
        assertThat(stranger.get("api/session").status()).isEqualTo(401);
        assertThat(stranger.get("").status()).isEqualTo(401);
        assertThat(stranger.send("POST", "api/run/rerun?id=x", "{}", null).status())
                .isEqualTo(401);
    }

    @Test
    void aStateChangingCallNeedsTheCsrfTokenOfTheSameStaffMember() {
        submitOrderWithRefund();
        String path = "api/run/retry-now?id=" + runId("grant");
        assertThat(ann.send("POST", path, "{}", null).status()).isEqualTo(403);
        assertThat(ann.send("POST", path, "{}", "forged.token").status()).isEqualTo(403);
        // another staff member's valid token is no good either
        TestClient bob = new TestClient(server.url(), "bob:OPERATOR").login();
        assertThat(ann.send("POST", path, "{}", bob.csrfToken).status()).isEqualTo(403);
        // with the right token the call goes through (and is refused on its merits: the run is FAILED, not waiting)
        assertThat(ann.post(path, "{}").status()).isEqualTo(409);
    }

    @Test
    void aReadOnlyStaffMemberSeesButCannotChange() {
        submitOrderWithRefund();
        TestClient rob = new TestClient(server.url(), "rob:READ_ONLY").login();
        assertThat(rob.get("api/order?id=o-1").status()).isEqualTo(200);
        TestClient.Reply r = rob.post("api/run/rerun?id=" + runId("grant"), "{}");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().path("error").asText()).contains("read-only");
        assertThat(pipeline.run(runId("grant")).orElseThrow().status()).isEqualTo(RunStatus.FAILED);
    }

    @Test
    void everyAnswerCarriesAStrictContentSecurityPolicy() {
        for (TestClient.Reply r : List.of(ann.get(""), ann.get("assets/app.js"), ann.get("api/overview"))) {
            assertThat(r.header("Content-Security-Policy"))
                    .contains("default-src 'self'")
                    .contains("script-src 'self'")
                    .contains("style-src 'self'")
                    .contains("frame-ancestors 'none'")
                    .doesNotContain("unsafe-inline")
                    .doesNotContain("unsafe-eval");
            assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        }
        assertThat(ann.get("").body())
                .doesNotContain("<script>")
                .doesNotContain(" style=")
                .doesNotContain(" on");
        assertThat(ann.get("assets/app.js").body()).doesNotContain("innerHTML").doesNotContain("eval(");
        TestClient.Reply session = new TestClient(server.url(), "ann:OPERATOR").get("api/session");
        assertThat(session.header("Set-Cookie"))
                .contains("HttpOnly")
                .contains("SameSite=Strict")
                .contains("Path=/admin/");
    }

    @Test
    void theOverviewCountsAndTheFailedListFindTheFailedAction() {
        submitOrderWithRefund();
        JsonNode counts = ann.get("api/overview").json();
        assertThat(counts.path("failed").asLong()).isEqualTo(1);
        JsonNode failed = ann.get("api/runs?status=FAILED").json().path("runs");
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).path("definitionId").asText()).isEqualTo("grant");
        assertThat(failed.get(0).path("lastError").asText()).contains("500");
        assertThat(ann.get("api/runs?status=FAILED&order=o-2").json().path("runs"))
                .isEmpty();
        assertThat(ann.get("api/runs?status=SUCCEEDED&type=hook&from=2000-01-01")
                        .json()
                        .path("runs"))
                .hasSize(2);
        assertThat(ann.get("api/runs?status=BOGUS").status()).isEqualTo(422);
    }

    @Test
    void theOrderViewShowsEveryActionIncludingTheRunsOfEventsAboutTheOrder() {
        submitOrderWithRefund();
        JsonNode order = ann.get("api/order?id=o-1").json();
        assertThat(order.path("completed").asBoolean()).isFalse();
        assertThat(order.path("runs").findValuesAsText("definitionId"))
                .containsExactlyInAnyOrder("grant", "notify", "on-refund");
        assertThat(order.path("runs").findValuesAsText("triggerKind")).contains("EVENT");
        assertThat(ann.get("api/order?id=nope").status()).isEqualTo(404);
    }

    @Test
    void aRunShowsItsAttemptsAndItsResultExactlyAsReceivedButNeverItsConfig() {
        submitOrderWithRefund();
        TestClient.Reply r = ann.get("api/run?id=" + runId("notify"));
        JsonNode run = r.json();
        assertThat(run.path("result").asText()).isEqualTo(HookExecutor.RESULT);
        assertThat(run.path("history")).hasSize(1);
        assertThat(run.path("history").get(0).path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(r.body()).doesNotContain(TOKEN).doesNotContain("configJson");
        JsonNode failed = ann.get("api/run?id=" + runId("grant")).json();
        assertThat(failed.path("history").get(0).path("statusCode").asInt()).isEqualTo(500);
    }

    @Test
    void theRerunPreviewSummarisesTheLatestTemplateWithSecretsMaskedAndTheRerunSucceeds() {
        submitOrderWithRefund();
        definitions.updateDefinition(hook("grant", "product-1", HookExecutor.Outcome.OK, NEW_TOKEN), 1);
        String id = runId("grant");
        TestClient.Reply preview = ann.post("api/run/preview?id=" + id, "{\"useLatestTemplate\":true}");
        assertThat(preview.status()).isEqualTo(200);
        assertThat(preview.json().path("allowed").asBoolean()).isTrue();
        assertThat(preview.json().path("templateChanges").findValuesAsText("field"))
                .contains("outcome", "token");
        assertThat(preview.body()).doesNotContain(TOKEN).doesNotContain(NEW_TOKEN);

        TestClient.Reply rerun = ann.post("api/run/rerun?id=" + id, "{\"useLatestTemplate\":true}");
        assertThat(rerun.status()).isEqualTo(200);
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(pipeline.run(id).orElseThrow().status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    void reRunningASucceededActionNeedsItsAcknowledgement() {
        submitOrderWithRefund();
        String id = runId("notify");
        JsonNode preview = ann.post("api/run/preview?id=" + id, "{}").json();
        assertThat(preview.path("allowed").asBoolean()).isFalse();
        assertThat(preview.path("warnings").toString()).contains("side effects");
        assertThat(ann.post("api/run/rerun?id=" + id, "{}").status()).isEqualTo(409);
        assertThat(ann.post("api/run/rerun?id=" + id, "{\"acknowledgeSucceeded\":true}")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void theSchemaOfAnExecutorsConfigMarksSecretsWriteOnlyWithTypesRequiredAndEnums() {
        JsonNode types = ann.get("api/types").json();
        JsonNode schema = types.get(0).path("schema");
        assertThat(schema.path("properties").path("token").path("writeOnly").asBoolean())
                .isTrue();
        assertThat(schema.path("properties").path("outcome").path("enum").toString())
                .contains("OK", "FAIL");
        assertThat(schema.path("properties")
                        .path("tags")
                        .path("items")
                        .path("type")
                        .asText())
                .isEqualTo("string");
        assertThat(schema.path("required").toString())
                .contains("url", "token", "outcome")
                .doesNotContain("note");
        assertThat(types.get(0).path("testable").asBoolean()).isTrue();
    }

    @Test
    void aDefinitionIsSentWithoutItsSecretsAndKeepsThemWhenTheEditorLeavesThemEmpty() {
        TestClient.Reply get = ann.get("api/definition?id=grant");
        assertThat(get.body()).doesNotContain(TOKEN);
        JsonNode d = get.json();
        assertThat(d.path("secretsSet").toString()).contains("token");
        assertThat(d.path("config").path("token").isNull()).isTrue();

        String edit = "{\"version\":1,\"name\":\"Renamed\",\"level\":\"PRODUCT\",\"targetId\":\"product-1\","
                + "\"enabled\":true,\"config\":{\"url\":\"https://receiver.example/new\",\"token\":null,"
                + "\"outcome\":\"OK\",\"tags\":[\"x\"]}}";
        TestClient.Reply saved = ann.put("api/definition?id=grant", edit);
        assertThat(saved.status()).as(saved.body()).isEqualTo(200);
        assertThat(saved.body()).doesNotContain(TOKEN);
        ActionDefinition stored = definitions.byId("grant").orElseThrow();
        assertThat(stored.name()).isEqualTo("Renamed");
        assertThat(stored.config(HookExecutor.HookConfig.class).token()).isEqualTo(Secret.of(TOKEN));

        String rotate = edit.replace("\"version\":1", "\"version\":2").replace("null", "\"" + NEW_TOKEN + "\"");
        assertThat(ann.put("api/definition?id=grant", rotate).status()).isEqualTo(200);
        assertThat(definitions
                        .byId("grant")
                        .orElseThrow()
                        .config(HookExecutor.HookConfig.class)
                        .token())
                .isEqualTo(Secret.of(NEW_TOKEN));
        // a stale editor loses
        assertThat(ann.put("api/definition?id=grant", rotate).status()).isEqualTo(409);
    }

    @Test
    void aRefusedSaveNamesEveryBadFieldAndStoresNothing() {
        String bad = "{\"id\":\"new-1\",\"type\":\"hook\",\"name\":\"New\",\"level\":\"PRODUCT\",\"targetId\":\"p\","
                + "\"config\":{\"url\":\"http://plain.example\",\"token\":\"t\",\"outcome\":\"OK\",\"tags\":[]}}";
        TestClient.Reply r = ann.post("api/definition", bad);
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().path("violations").findValuesAsText("field")).contains("config.url");
        assertThat(definitions.findDefinition("new-1")).isEmpty();

        TestClient.Reply created = ann.post("api/definition", bad.replace("http://", "https://"));
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        assertThat(created.body()).doesNotContain("\"t\"");
        assertThat(definitions.findDefinition("new-1")).isPresent();
    }

    @Test
    void definitionsAndSubscriptionsAreEnabledAndDisabledWithTheirVersion() {
        JsonNode list = ann.get("api/definitions").json().path("definitions");
        assertThat(list.findValuesAsText("id")).contains("grant", "notify", "on-refund");
        assertThat(ann.post("api/definition/enabled?id=notify", "{\"enabled\":false,\"version\":1}")
                        .status())
                .isEqualTo(200);
        assertThat(definitions.byId("notify").orElseThrow().enabled()).isFalse();

        assertThat(ann.post("api/subscription/enabled?id=refunds", "{\"enabled\":false,\"version\":1}")
                        .status())
                .isEqualTo(200);
        assertThat(definitions.findSubscription("refunds").orElseThrow().value().enabled())
                .isFalse();
        assertThat(ann.post("api/event/enabled?type=REFUND_APPLIED", "{\"enabled\":false}")
                        .status())
                .isEqualTo(200);
        JsonNode events = ann.get("api/subscriptions").json().path("events");
        assertThat(events.toString()).contains("\"type\":\"REFUND_APPLIED\",\"enabled\":false");
    }

    @Test
    void testWebhookSendsTheStoredDefinitionAndShowsTheAnswer() {
        JsonNode r = ann.post("api/definition/test?id=notify", "{}").json();
        assertThat(r.path("ok").asBoolean()).isTrue();
        assertThat(r.path("body").asText()).isEqualTo("<p>hello</p>");
        assertThat(tested.get().config(HookExecutor.HookConfig.class).token()).isEqualTo(Secret.of(TOKEN));
    }

    @Test
    void bulkOperationsCountInADryRunBeforeTheyChangeAnything() {
        submitOrderWithRefund();
        JsonNode dry = ann.post("api/runs/retry-now-all?status=FAILED", "{\"dryRun\":true}")
                .json();
        assertThat(dry.path("matched").asInt()).isEqualTo(1);
        assertThat(dry.path("done").asInt()).isZero();
        JsonNode rerun = ann.post("api/runs/rerun-all?status=FAILED", "{\"dryRun\":false,\"cap\":10}")
                .json();
        assertThat(rerun.path("done").asInt()).isEqualTo(1);
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(pipeline.run(runId("grant")).orElseThrow().rerunCount()).isEqualTo(1);
    }

    @Test
    void integrationKeysAreWriteOnlySetReplacedOrRemovedButNeverShown() {
        TestClient.Reply list = ann.get("api/integrations");
        assertThat(list.body()).doesNotContain(TOKEN);
        assertThat(list.json().path("integrations").get(0).path("apiKeySet").asBoolean())
                .isTrue();

        assertThat(ann.post("api/integration?id=systemeio", "{\"enabled\":false}")
                        .status())
                .isEqualTo(200);
        IntegrationSetting kept = integrations.find("systemeio").orElseThrow();
        assertThat(kept.enabled()).isFalse();
        assertThat(kept.apiKey()).isEqualTo(Secret.of(TOKEN));

        TestClient.Reply replaced =
                ann.post("api/integration?id=systemeio", "{\"enabled\":true,\"apiKey\":\"" + NEW_TOKEN + "\"}");
        assertThat(replaced.body()).doesNotContain(NEW_TOKEN);
        assertThat(integrations.find("systemeio").orElseThrow().apiKey()).isEqualTo(Secret.of(NEW_TOKEN));

        assertThat(ann.post("api/integration?id=systemeio", "{\"enabled\":true,\"clearApiKey\":true}")
                        .status())
                .isEqualTo(200);
        assertThat(integrations.find("systemeio").orElseThrow().apiKey()).isNull();
    }

    @Test
    void aDefinitionIsDeletedWithItsVersionUnlessASubscriptionNamesIt() {
        assertThat(ann.post("api/definition/delete?id=on-refund", "{\"version\":1}")
                        .status())
                .isEqualTo(409);
        assertThat(ann.post("api/definition/delete?id=notify", "{\"version\":7}")
                        .status())
                .isEqualTo(409);
        assertThat(ann.post("api/definition/delete?id=notify", "{\"version\":1}")
                        .status())
                .isEqualTo(200);
        assertThat(definitions.findDefinition("notify")).isEmpty();
    }

    @Test
    void subscriptionsAreCreatedEditedAndDeletedWithViolationsByField() {
        TestClient.Reply bad = ann.post(
                "api/subscription",
                "{\"id\":\"declines\",\"eventType\":\"TRANSACTION_DECLINED\",\"definitionIds\":[],\"sources\":[]}");
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.json().path("violations").findValuesAsText("field")).contains("definitionIds", "sources");

        String good = "{\"id\":\"declines\",\"eventType\":\"TRANSACTION_DECLINED\",\"definitionIds\":[\"notify\"],"
                + "\"sources\":[\"SHOP\"]}";
        assertThat(ann.post("api/subscription", good).status()).isEqualTo(200);
        TestClient.Reply edited = ann.put(
                "api/subscription?id=declines",
                good.replace("[\"SHOP\"]", "[\"SHOP\",\"FUNNEL\"]").replace("}", ",\"version\":1}"));
        assertThat(edited.status()).as(edited.body()).isEqualTo(200);
        assertThat(definitions
                        .findSubscription("declines")
                        .orElseThrow()
                        .value()
                        .sources())
                .hasSize(2);
        assertThat(ann.post("api/subscription/delete?id=declines", "{\"version\":2}")
                        .status())
                .isEqualTo(200);
        assertThat(definitions.findSubscription("declines")).isEmpty();
    }

    @Test
    void everyStaffActionIsLoggedWithWhoDidItAndNeverASecret() {
        submitOrderWithRefund();
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            ann.post("api/run/rerun?id=" + runId("grant"), "{\"useLatestTemplate\":true}");
            ann.post("api/integration?id=kajabi", "{\"enabled\":true,\"apiKey\":\"" + NEW_TOKEN + "\"}");
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(log)
                .contains("dev.postpurchase.admin.audit")
                .contains("ann (OPERATOR) re-ran run " + runId("grant") + " (latest template: true")
                .contains("ann (OPERATOR) saved integration kajabi: enabled; API key set")
                .doesNotContain(NEW_TOKEN);
    }

    @Test
    void aBareMountPointRedirectsToTheTrailingSlash() {
        String base = server.url();
        TestClient.Reply r = new TestClient(base.substring(0, base.length() - 1), "ann:OPERATOR").get("");
        assertThat(r.status()).isEqualTo(302);
        assertThat(r.header("Location")).isEqualTo("/admin/");
        assertThat(ann.get("").body()).contains("assets/app.js");
    }
}
