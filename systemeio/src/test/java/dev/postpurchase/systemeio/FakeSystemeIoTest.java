package dev.postpurchase.systemeio;

import dev.postpurchase.core.Secret;
import dev.postpurchase.core.memory.InMemoryIntegrationSettings;
import dev.postpurchase.core.order.Customer;
import dev.postpurchase.core.order.LineItem;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.order.Transaction;
import dev.postpurchase.core.spi.IntegrationSettings;
import dev.postpurchase.http.GuardedHttpClient;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Starts a MockWebServer playing Systeme.io and an integration pointed at it. The guarded HTTP client allows plain
 * http and loopback only through its development allow-list; the throttle is wide open so no test waits.
 */
abstract class FakeSystemeIoTest {
    protected final FakeSystemeIo fake = new FakeSystemeIo();
    protected final MockWebServer server = new MockWebServer();
    protected final InMemoryIntegrationSettings settings = IntegrationSettings.inMemory();
    protected GuardedHttpClient http;
    protected SystemeIoIntegration integration;

    @BeforeEach
    void startFake() throws IOException {
        server.setDispatcher(fake);
        server.start();
        http = GuardedHttpClient.builder()
                .allowHttp(true)
                .allowLoopbackForDevelopment()
                .callTimeout(Duration.ofSeconds(5))
                .build();
        settings.enable(SystemeIoIntegration.ID, Secret.of(FakeSystemeIo.KEY));
        integration = integrationWith(fastThrottle());
    }

    @AfterEach
    void stopFake() throws IOException {
        integration.close();
        http.close();
        server.shutdown();
    }

    protected SystemeIoIntegration integrationWith(SystemeIoThrottle throttle) {
        return SystemeIoIntegration.builder()
                .settings(settings)
                .http(http)
                .baseUrl(baseUrl())
                .throttle(throttle)
                .build();
    }

    protected static SystemeIoThrottle fastThrottle() {
        return SystemeIoThrottle.builder()
                .permitsPerSecond(10_000)
                .burst(10_000)
                .build();
    }

    protected String baseUrl() {
        return "http://127.0.0.1:" + server.getPort();
    }

    protected SystemeIoClient client() {
        return integration.client(Secret.of(FakeSystemeIo.KEY));
    }

    static Order order(String id, String email, String productId) {
        return order(id, email, productId, "en-GB");
    }

    static Order order(String id, String email, String productId, String language) {
        return Order.builder()
                .id(id)
                .checkoutId("checkout-1")
                .offerId("offer-1")
                .language(language)
                .currency("EUR")
                .customer(Customer.builder(email)
                        .firstName("Ada")
                        .lastName("Lovelace")
                        .phone("+358401234567")
                        .build())
                .item(LineItem.builder()
                        .productId(productId)
                        .offerId("offer-1")
                        .title("Analytical Engine course")
                        .unitPrice(9900)
                        .build())
                .transaction(new Transaction("tx-" + id, "stripe", "card", null, Instant.parse("2025-03-01T12:00:00Z")))
                .build();
    }
}
