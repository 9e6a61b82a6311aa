package dev.postpurchase.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpurchase.core.ActionExecutors;
import dev.postpurchase.core.Secret;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.memory.InMemoryIntegrationSettings;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.spi.ActionExecutor;
import dev.postpurchase.core.spi.ExecutionContext;
import dev.postpurchase.core.spi.ExecutionOutcome;
import dev.postpurchase.email.FulfillmentEmailDelivery;
import dev.postpurchase.email.SmtpMailer;
import dev.postpurchase.email.SmtpSecurity;
import dev.postpurchase.http.GuardedHttpClient;
import dev.postpurchase.kajabi.KajabiGrantOfferConfig;
import dev.postpurchase.kajabi.KajabiGrantOfferExecutor;
import dev.postpurchase.systemeio.SystemeIoGrantAccessConfig;
import dev.postpurchase.systemeio.SystemeIoIntegration;
import dev.postpurchase.testing.TestOrders;
import dev.postpurchase.webhook.WebhookConfig;
import dev.postpurchase.webhook.WebhookOrderExecutor;
import dev.postpurchase.webhook.WebhookSecret;
import dev.postpurchase.webhook.fulfillment.FulfillmentWebhookConfig;
import dev.postpurchase.webhook.fulfillment.WebhookFulfillmentExecutor;
import dev.postpurchase.webhook.postback.PostbackConfig;
import dev.postpurchase.webhook.postback.WebhookPostbackExecutor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Dns;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SSRF through every merchant-configured URL (webhook, postback, fulfillment webhook, Systeme.io base URL, Kajabi
 * offer URL): every address form of the webhook reference (§3), names resolving to internal addresses, and
 * redirects to them. An "internal service" listens on 127.0.0.2 (and ::1), which the development allow-list (only
 * 127.0.0.1/32) does not exempt: it must never see a connection.
 */
class SsrfTest {
    private ServerSocket internal;
    private ServerSocket internalV6;
    private final AtomicInteger internalConnections = new AtomicInteger();
    private GuardedHttpClient http;
    private SmtpMailer mailer;
    private int port;

    /** Names an attacker controls: each resolves to internal addresses only, or to a mix. */
    private static final Map<String, List<String>> ZONE = Map.of(
            "internal.attacker.test", List.of("127.0.0.2"),
            "metadata.attacker.test", List.of("169.254.169.254"),
            "v6.attacker.test", List.of("::1"),
            "mixed.attacker.test", List.of("10.0.0.7", "127.0.0.2", "192.168.0.1"),
            "checkout.kajabi.com", List.of("127.0.0.2"));

    @BeforeEach
    void start() throws IOException {
        internal = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.2"));
        port = internal.getLocalPort();
        Thread accept = new Thread(() -> acceptAll(internal), "internal-service");
        accept.setDaemon(true);
        accept.start();
        try {
            internalV6 = new ServerSocket(port, 50, InetAddress.getByName("::1"));
            Thread acceptV6 = new Thread(() -> acceptAll(internalV6), "internal-service-v6");
            acceptV6.setDaemon(true);
            acceptV6.start();
        } catch (IOException e) {
            internalV6 = null; // no IPv6 loopback here; the v6 forms are still refused, only not observed
        }
        Dns dns = host -> {
            List<String> addresses = ZONE.get(host);
            if (addresses == null) {
                throw new UnknownHostException(host);
            }
            List<InetAddress> out = new ArrayList<>();
            for (String a : addresses) {
                out.add(InetAddress.getByName(a));
            }
            return out;
        };
        http = GuardedHttpClient.builder()
                .allowHttp(true)
                .allowForDevelopment("127.0.0.1/32")
                .dns(dns)
                .connectTimeout(Duration.ofMillis(500))
                .callTimeout(Duration.ofSeconds(2))
                .build();
        mailer = SmtpMailer.builder()
                .host("127.0.0.1")
                .port(1)
                .security(SmtpSecurity.NONE)
                .from("shop@example.com", "Shop")
                .localHostName("localhost")
                .build();
    }

    private void acceptAll(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                internalConnections.incrementAndGet();
                s.close();
            } catch (IOException e) {
                return;
            }
        }
    }

    @AfterEach
    void stop() throws IOException {
        http.close();
        mailer.close();
        internal.close();
        if (internalV6 != null) {
            internalV6.close();
        }
    }

    /** Every form of §3 and the README's list, aimed at the internal service's port where it can be. */
    private List<String> hosts() {
        return List.of(
                "127.0.0.2",
                "2130706434",
                "0x7f000002",
                "0x7f.0.0.2",
                "0177.0.0.2",
                "127.2",
                "[::ffff:127.0.0.2]",
                "[::ffff:7f00:2]",
                "[::1]",
                "[0:0:0:0:0:0:0:1]",
                "[64:ff9b::7f00:2]",
                "[2002:7f00:2::]",
                "[2001:0:4136:e378:8000:63bf:80ff:fffd]",
                "[fd00::1]",
                "[fe80::1]",
                "169.254.169.254",
                "100.64.0.1",
                "0.0.0.0",
                "10.0.0.1",
                "172.16.0.1",
                "192.168.1.1",
                "198.18.0.1",
                "internal.attacker.test",
                "metadata.attacker.test",
                "v6.attacker.test",
                "mixed.attacker.test");
    }

    private static dev.postpurchase.core.event.ShopEvent refund(Order order) {
        return dev.postpurchase.core.event.ShopEvent.builder(
                        "evt-" + order.id(),
                        dev.postpurchase.core.event.ShopEventType.REFUND_APPLIED,
                        dev.postpurchase.core.event.EventSource.SHOP,
                        java.time.Instant.now())
                .order(order)
                .build();
    }

    private static ActionRun run(String type, Object config) {
        ActionDefinition definition = ActionDefinition.builder(type)
                .id("ssrf-" + type)
                .product("product-1")
                .config(config)
                .build();
        return ActionRun.create(
                type.equals("postback") ? TriggerKind.EVENT : TriggerKind.ORDER,
                "ssrf-order",
                definition,
                dev.postpurchase.core.retry.RetryPolicy.none(),
                java.time.Instant.now());
    }

    /**
     * The config is refused when saved, or, for names (which only resolve when called), the call is refused as a
     * blocked address and fails for good.
     */
    private <C> String refusedEverywhere(ActionExecutor<C> executor, C config, Order order) {
        return refusedEverywhere(executor, config, order, null);
    }

    private <C> String refusedEverywhere(
            ActionExecutor<C> executor, C config, Order order, dev.postpurchase.core.event.@Nullable ShopEvent event) {
        ActionDefinition definition = ActionDefinition.builder(executor.type())
                .id("def")
                .product("product-1")
                .config(config)
                .build();
        try {
            ActionExecutors.of(List.of(executor)).validate(definition);
        } catch (ValidationException e) {
            Evidence.exception(e);
            return "refused on save";
        }
        ExecutionOutcome outcome = ActionExecutors.attempt(
                executor,
                new ExecutionContext<>(run(executor.type(), config), config, order, event, Clock.systemUTC()));
        assertThat(outcome).isInstanceOf(ExecutionOutcome.PermanentFailure.class);
        String reason = ((ExecutionOutcome.PermanentFailure) outcome).reason();
        Evidence.text(reason);
        assertThat(reason).containsAnyOf("blocked", "refused");
        return "refused on call";
    }

    @Test
    void everyAddressFormIsRefusedThroughEveryMerchantUrlBeforeAnyByteIsSent() throws Exception {
        WebhookSecret secret = WebhookSecret.generate();
        Evidence.secret(secret.encoded());
        String apiKey = Evidence.secret("ssrf-api-key-" + java.util.UUID.randomUUID());
        InMemoryIntegrationSettings settings = new InMemoryIntegrationSettings()
                .enable(KajabiGrantOfferExecutor.INTEGRATION)
                .enable(SystemeIoIntegration.ID, Secret.of(apiKey));
        Order order = TestOrders.paidOrder("ssrf-order").build();
        WebhookOrderExecutor webhook =
                WebhookOrderExecutor.builder().httpClient(http).build();
        WebhookPostbackExecutor postback =
                WebhookPostbackExecutor.builder().httpClient(http).build();
        WebhookFulfillmentExecutor fulfillment = WebhookFulfillmentExecutor.builder()
                .httpClient(http)
                .delivery(FulfillmentEmailDelivery.create(mailer))
                .build();
        int onSave = 0;
        int onCall = 0;
        int checks = 0;
        for (String host : hosts()) {
            String url = "http://" + host + ":" + port + "/hook";
            List<String> outcomes = List.of(
                    refusedEverywhere(webhook, WebhookConfig.of(url, secret), order),
                    refusedEverywhere(postback, PostbackConfig.of(url, secret), order, refund(order)),
                    refusedEverywhere(
                            fulfillment,
                            FulfillmentWebhookConfig.builder(url).secret(secret).build(),
                            order));
            for (String o : outcomes) {
                checks++;
                if (o.equals("refused on save")) {
                    onSave++;
                } else {
                    onCall++;
                }
            }
            // Systeme.io: the base URL is refused when the integration is built, or every call is refused
            String base = "http://" + host + ":" + port;
            checks++;
            try (SystemeIoIntegration systemeIo = SystemeIoIntegration.builder()
                    .settings(settings)
                    .http(http)
                    .baseUrl(base)
                    .build()) {
                SystemeIoGrantAccessConfig config = SystemeIoGrantAccessConfig.of("Course", List.of("course-a"));
                ExecutionOutcome outcome = ActionExecutors.attempt(
                        systemeIo.grantAccessExecutor(),
                        new ExecutionContext<>(
                                run("systemeio-grant-access", config), config, order, null, Clock.systemUTC()));
                assertThat(outcome).as(base).isNotInstanceOf(ExecutionOutcome.Succeeded.class);
                onCall++;
            } catch (ValidationException e) {
                Evidence.exception(e);
                onSave++;
            }
        }
        // Kajabi: only https://checkout.kajabi.com/... is accepted; that name resolving to an internal address
        // is refused at call time, and a development base URL naming an internal host is filtered all the same
        String token = Evidence.secret(
                "ssrftok" + java.util.UUID.randomUUID().toString().replace("-", ""));
        KajabiGrantOfferExecutor kajabi = KajabiGrantOfferExecutor.builder()
                .integrationSettings(settings)
                .httpClient(http)
                .allowDevelopmentBaseUrl("http://internal.attacker.test:" + port)
                .build();
        for (String url : List.of(
                "https://checkout.kajabi.com/webhooks/offers/" + token + "/2150/activate",
                "http://internal.attacker.test:" + port + "/webhooks/offers/" + token + "/2150/activate",
                "https://127.0.0.2/webhooks/offers/" + token + "/2150/activate")) {
            checks++;
            String outcome = refusedEverywhere(kajabi, KajabiGrantOfferConfig.of("Grant", Secret.of(url)), order);
            if (outcome.equals("refused on save")) {
                onSave++;
            } else {
                onCall++;
            }
        }
        Thread.sleep(200);
        assertThat(internalConnections.get())
                .as("connections reaching the internal service")
                .isZero();
        Figures.report(
                "SSRF through every merchant-configured URL",
                hosts().size() + " address forms (IPv4 dotted, decimal, hex, octal, short; IPv4-mapped, NAT64, 6to4,"
                        + " Teredo, ULA, link-local IPv6; metadata, CGNAT, private, benchmarking; names resolving to"
                        + " internal or mixed addresses) x webhook, postback, fulfillment and Systeme.io URLs, plus 3"
                        + " Kajabi offer URLs",
                "checks " + checks + ": refused when saved " + onSave + ", refused when called " + onCall
                        + ", connections reaching the internal service on 127.0.0.2/::1 port " + port + ": 0"
                        + (internalV6 == null ? " (no IPv6 loopback: ::1 not observed)" : ""));
    }

    @Test
    void aRedirectToAnInternalAddressIsNeverFollowed() throws Exception {
        WebhookSecret secret = WebhookSecret.generate();
        Evidence.secret(secret.encoded());
        Order order = TestOrders.paidOrder("redirect-order").build();
        try (MockWebServer outside = new MockWebServer()) {
            outside.start(InetAddress.getByName("127.0.0.1"), 0);
            for (int i = 0; i < 6; i++) {
                outside.enqueue(new MockResponse()
                        .setResponseCode(i % 3 == 0 ? 302 : i % 3 == 1 ? 307 : 301)
                        .setHeader("Location", "http://127.0.0.2:" + port + "/admin"));
            }
            String url = "http://127.0.0.1:" + outside.getPort() + "/hook";
            List<ExecutionOutcome> outcomes = new ArrayList<>();
            WebhookConfig webhookConfig = WebhookConfig.of(url, secret);
            outcomes.add(ActionExecutors.attempt(
                    WebhookOrderExecutor.builder().httpClient(http).build(),
                    new ExecutionContext<>(
                            run("webhook", webhookConfig), webhookConfig, order, null, Clock.systemUTC())));
            PostbackConfig postbackConfig = PostbackConfig.of(url, secret);
            outcomes.add(ActionExecutors.attempt(
                    WebhookPostbackExecutor.builder().httpClient(http).build(),
                    new ExecutionContext<>(
                            run("postback", postbackConfig), postbackConfig, order, refund(order), Clock.systemUTC())));
            FulfillmentWebhookConfig fulfillmentConfig =
                    FulfillmentWebhookConfig.builder(url).secret(secret).build();
            outcomes.add(ActionExecutors.attempt(
                    WebhookFulfillmentExecutor.builder()
                            .httpClient(http)
                            .delivery(FulfillmentEmailDelivery.create(mailer))
                            .build(),
                    new ExecutionContext<>(
                            run("fulfillment-webhook", fulfillmentConfig),
                            fulfillmentConfig,
                            order,
                            null,
                            Clock.systemUTC())));
            assertThat(outside.getRequestCount()).isGreaterThanOrEqualTo(3);
            for (ExecutionOutcome outcome : outcomes) {
                assertThat(outcome).isNotInstanceOf(ExecutionOutcome.Succeeded.class);
            }
            assertThat(outcomes.get(0)).isInstanceOf(ExecutionOutcome.PermanentFailure.class);
        }
        Thread.sleep(200);
        assertThat(internalConnections.get()).isZero();
        Figures.report(
                "SSRF by redirect",
                "302, 307 and 301 to http://127.0.0.2 answered to the webhook, postback and fulfillment executors:"
                        + " none followed, 0 connections to the internal address");
    }
}
