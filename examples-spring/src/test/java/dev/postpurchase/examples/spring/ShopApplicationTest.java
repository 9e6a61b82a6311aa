package dev.postpurchase.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpurchase.core.ActionPipeline;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A new Spring Boot application with the starter and one property ({@code postpurchase.secret-key}) gets a working
 * pipeline: a paid order posted to the endpoint is recorded with its action, which runs and succeeds.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ShopApplicationTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    ThankYouNotifier notifier;

    @Autowired
    ActionPipeline pipeline;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aPaidOrderPostedToTheEndpointGetsItsActionRun() throws Exception {
        HttpResponse<String> paid = post(
                "/orders/paid",
                """
                {"id": "order-1", "email": "aino@example.com", "productId": "course-1",
                 "title": "Online course", "amountCents": 9900, "currency": "EUR"}""");

        assertThat(paid.statusCode()).isEqualTo(200);
        assertThat(paid.body()).contains("\"actions\":[\"Thank the buyer\"]");
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(notifier.sent()).containsExactly("Thank you for your order, aino@example.com (order order-1)");
        assertThat(get("/orders/order-1/actions").body())
                .contains("\"status\":\"SUCCEEDED\"")
                .contains("\"action\":\"Thank the buyer\"");
    }

    @Test
    void whenTheLastStepOfThePaymentCallbackFailsNeitherTheOrderNorItsActionsAreRecorded() throws Exception {
        HttpResponse<String> soldOut = post(
                "/orders/paid",
                """
                {"id": "order-2", "email": "aino@example.com", "productId": "sold-out",
                 "title": "Sold-out course", "amountCents": 9900, "currency": "EUR"}""");

        assertThat(soldOut.statusCode()).isEqualTo(500);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM shop_order WHERE id = 'order-2'", Integer.class))
                .isZero();
        assertThat(pipeline.runsOfOrder("order-2")).isEmpty();
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(notifier.sent()).noneMatch(message -> message.contains("order-2"));
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theAdminPageIsMountedAndLetsOnlyStaffIn() throws Exception {
        HttpResponse<String> stranger = get("/admin/api/overview");
        HttpResponse<String> staff = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/admin/api/overview"))
                        .header("Cookie", "shop_staff=example-staff-token-change-me")
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(stranger.statusCode()).isEqualTo(401);
        assertThat(staff.statusCode()).isEqualTo(200);
        assertThat(staff.body()).contains("\"failed\"");
        assertThat(staff.headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(csp -> assertThat(csp).contains("default-src 'self'"));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
