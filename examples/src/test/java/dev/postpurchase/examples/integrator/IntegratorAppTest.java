package dev.postpurchase.examples.integrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.examples.local.LocalDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The integrator app as {@code ./integrator} starts it: on the embedded H2 file and on the local PostgreSQL, the
 * printed {@code curl} lines work: the sample order completes, the refund revokes and reaches the postback channel.
 */
class IntegratorAppTest {
    private static final String PG_URL =
            System.getenv().getOrDefault("PP_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String PG_USER = System.getenv().getOrDefault("PP_TEST_PG_USER", "postgres");
    private static final String PG_PASSWORD = System.getenv().getOrDefault("PP_TEST_PG_PASSWORD", "");

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theAppStartsOnTheEmbeddedStoreAndItsPrintedCurlLinesWork() throws Exception {
        try (IntegratorApp app = IntegratorApp.start(LocalDatabase.Settings.embedded(), 0, Duration.ofMinutes(2))) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            app.printWelcome(new PrintStream(buffer, true, StandardCharsets.UTF_8));
            String printed = buffer.toString(StandardCharsets.UTF_8);
            String base = app.backend().baseUrl();

            assertThat(printed)
                    .contains("store: embedded H2 in target" + java.io.File.separator + "integrator")
                    .contains("Shop backend            " + base)
                    .contains("curl -s -X POST --data @" + app.sampleOrderFile() + " " + base + "/orders")
                    .contains("/orders/" + app.sampleOrderId() + "/refunds")
                    .contains("/definitions/licence-keys/test-webhook")
                    .contains("/runs/stale");
            exerciseThePrintedFlow(app);
        }
    }

    @Test
    void theAppRunsOnPostgresqlWithTheJdbcFlags() throws Exception {
        IntegratorApp.Arguments arguments = IntegratorApp.Arguments.parse(
                new String[] {"--jdbc-url", PG_URL, "--jdbc-user", PG_USER, "--jdbc-password", PG_PASSWORD});
        IntegratorApp app;
        try {
            app = IntegratorApp.start(arguments.database(), 0, Duration.ofMinutes(2));
        } catch (RuntimeException e) {
            throw new AssertionError(
                    "PostgreSQL at " + PG_URL + " is not usable; set PP_TEST_PG_URL, PP_TEST_PG_USER"
                            + " and PP_TEST_PG_PASSWORD to a reachable server",
                    e);
        }
        try (app) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            app.printWelcome(new PrintStream(buffer, true, StandardCharsets.UTF_8));
            assertThat(buffer.toString(StandardCharsets.UTF_8)).contains("store: jdbc:postgresql://");
            exerciseThePrintedFlow(app);
        }
    }

    @Test
    void theCommandLineIsCheckedAndDefaultsToH2OnPort8080() {
        IntegratorApp.Arguments defaults = IntegratorApp.Arguments.parse(new String[0]);
        assertThat(defaults.port()).isEqualTo(8080);
        assertThat(defaults.database().jdbcUrl()).isNull();
        assertThat(IntegratorApp.Arguments.parse(new String[] {"--port", "0"}).port())
                .isZero();
        assertThatThrownBy(() -> IntegratorApp.Arguments.parse(new String[] {"--jdbc-url"}))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("--jdbc-url needs a value");
        assertThatThrownBy(() -> IntegratorApp.Arguments.parse(new String[] {"--h2", "x"}))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("unknown argument --h2");
    }

    /** What the printed curl lines do: the order, its completion, the refund and what the stand-ins received. */
    private void exerciseThePrintedFlow(IntegratorApp app) throws Exception {
        String base = app.backend().baseUrl();
        String id = app.sampleOrderId();
        Path order = app.sampleOrderFile();

        HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(base + "/orders"))
                .POST(HttpRequest.BodyPublishers.ofFile(order))
                .build());

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        await(() -> get(base + "/orders/" + id).contains("\"COMPLETED\""));
        HttpResponse<String> refund = send(HttpRequest.newBuilder(URI.create(base + "/orders/" + id + "/refunds"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build());
        assertThat(refund.statusCode()).isEqualTo(202);
        await(() -> get(app.peers().standInBaseUrl() + "/inspect").contains("refund.applied"));
        JsonNode inspected = PostpurchaseJson.mapper().readTree(get(app.peers().standInBaseUrl() + "/inspect"));
        assertThat(inspected.path("emails")).as("receipt and licence key").hasSize(2);
        assertThat(inspected.path("crm").path("accepted").asInt()).isEqualTo(1);
        assertThat(inspected.path("licenceServer").path("keysIssued")).hasSize(1);
        assertThat(get(base + "/orders/" + id)).contains("\"REFUNDED\"");
        String orderView = get(app.adminUrl() + "api/order?id=" + id);
        assertThat(orderView)
                .as("the admin page shows the order with the refund's runs")
                .contains("SUCCEEDED");
        assertThat(orderView).contains("refund-" + id);
    }

    private String get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET().build()).body();
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 30 s");
            }
            Thread.sleep(50);
        }
    }
}
