package dev.postpurchase.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.postpurchase.admin.internal.ConfigSchemas;
import dev.postpurchase.core.ActionExecutors;
import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.memory.InMemoryDefinitionSource;
import dev.postpurchase.core.spi.ActionStateStore;
import dev.postpurchase.http.GuardedHttpClient;
import dev.postpurchase.kajabi.KajabiGrantOfferConfig;
import dev.postpurchase.systemeio.GrantSystemeIoAccessConfig;
import dev.postpurchase.webhook.WebhookConfig;
import dev.postpurchase.webhook.WebhookSecret;
import dev.postpurchase.webhook.fulfillment.FulfillmentMethod;
import dev.postpurchase.webhook.fulfillment.FulfillmentTestResult;
import dev.postpurchase.webhook.fulfillment.FulfillmentWebhookConfig;
import dev.postpurchase.webhook.fulfillment.FulfillmentWebhookExecutor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;

/** The page with the SDK's own executors: their config forms and the fulfillment webhook's "Test webhook". */
class RealExecutorsTest {

    @Test
    void theWebhookFormsHaveWriteOnlySecretsAndTheFulfillmentMethodAsAChoice() {
        JsonNode webhook = ConfigSchemas.of(WebhookConfig.class);
        assertThat(webhook.at("/properties/secret/writeOnly").asBoolean()).isTrue();
        assertThat(webhook.at("/properties/previousSecret/writeOnly").asBoolean())
                .isTrue();
        assertThat(webhook.path("required").toString())
                .contains("url", "secret")
                .doesNotContain("previousSecret");

        JsonNode fulfillment = ConfigSchemas.of(FulfillmentWebhookConfig.class);
        assertThat(fulfillment.at("/properties/method/enum").toString()).contains("GET", "POST");
        assertThat(fulfillment.at("/properties/customFields/type").asText()).isEqualTo("array");
        assertThat(fulfillment.at("/properties/customFields/items/type").asText())
                .isEqualTo("object");
        assertThat(fulfillment.at("/properties/separateMultibuy/type").asText()).isEqualTo("boolean");
        assertThat(fulfillment.at("/properties/secret/writeOnly").asBoolean()).isTrue();
    }

    @Test
    void theKajabiAndSystemeIoFormsComeFromTheirConfigRecords() {
        JsonNode kajabi = ConfigSchemas.of(KajabiGrantOfferConfig.class);
        assertThat(kajabi.at("/properties/activationUrl/writeOnly").asBoolean()).isTrue();
        assertThat(kajabi.at("/properties/sendOfferGrantEmail/type").asText()).isEqualTo("boolean");
        assertThat(kajabi.at("/properties/externalUserId/enum").isArray()).isTrue();
        JsonNode systemeio = ConfigSchemas.of(GrantSystemeIoAccessConfig.class);
        assertThat(systemeio.at("/properties/tags/items/type").asText()).isEqualTo("string");
    }

    @Test
    void testWebhookShowsTheFulfillmentAnswerExactlyAsReceivedAndNeverTheSigningSecret() throws IOException {
        try (MockWebServer receiver = new MockWebServer();
                GuardedHttpClient client = GuardedHttpClient.builder()
                        .allowHttp(true)
                        .allowLoopbackForDevelopment()
                        .build()) {
            receiver.start(InetAddress.getByName("127.0.0.1"), 0);
            String answer = "<license>KEY-1 & <b>bold</b></license>";
            receiver.enqueue(new MockResponse().setResponseCode(200).setBody(answer));
            FulfillmentWebhookExecutor fulfillment = FulfillmentWebhookExecutor.of(client, message -> {});
            WebhookSecret secret = WebhookSecret.generate();
            FulfillmentWebhookConfig config = FulfillmentWebhookConfig.builder(
                            receiver.url("/licences").toString())
                    .method(FulfillmentMethod.POST)
                    .secret(secret)
                    .instructions("Your licence")
                    .build();
            InMemoryDefinitionSource definitions =
                    new InMemoryDefinitionSource(ActionExecutors.of(List.of(fulfillment)));
            definitions.createDefinition(ActionDefinition.builder(fulfillment.type())
                    .id("licence")
                    .name("Licence")
                    .product("product-1")
                    .config(config)
                    .build());
            try (ActionPipeline pipeline = ActionPipeline.builder()
                    .store(ActionStateStore.inMemory())
                    .definitions(definitions)
                    .executor(fulfillment)
                    .startWorkers(false)
                    .build()) {
                AdminPage page = AdminPage.builder()
                        .pipeline(pipeline)
                        .definitions(definitions)
                        .authorizer(AdminApiTest.headerAuthorizer())
                        .tester(fulfillment.type(), definition -> {
                            FulfillmentTestResult r =
                                    fulfillment.testWebhook(definition.config(FulfillmentWebhookConfig.class));
                            return new TestOutcome(
                                    r.metContract(),
                                    r.status(),
                                    r.bodyPrefix(),
                                    r.elapsed().toMillis(),
                                    r.problem());
                        })
                        .build();
                try (AdminServer server = AdminServer.start(page, new InetSocketAddress("127.0.0.1", 0))) {
                    TestClient staff = new TestClient(server.url(), "ann:OPERATOR").login();
                    TestClient.Reply definition = staff.get("api/definition?id=licence");
                    assertThat(definition.body()).doesNotContain(secret.encoded());
                    assertThat(definition.json().path("secretsSet").toString()).contains("secret");

                    TestClient.Reply test = staff.post("api/definition/test?id=licence", "{}");
                    assertThat(test.status()).as(test.body()).isEqualTo(200);
                    assertThat(test.json().path("ok").asBoolean()).isTrue();
                    assertThat(test.json().path("status").asInt()).isEqualTo(200);
                    assertThat(test.json().path("body").asText()).isEqualTo(answer);
                    assertThat(test.body()).doesNotContain(secret.encoded());
                }
            }
            assertThat(receiver.getRequestCount()).isEqualTo(1);
        }
    }
}
