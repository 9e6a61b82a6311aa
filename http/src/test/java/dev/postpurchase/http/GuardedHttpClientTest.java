package dev.postpurchase.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.spi.ExecutionOutcome;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.Dns;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GuardedHttpClientTest {
    private MockWebServer server;
    private int port;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        port = server.getPort();
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    private GuardedHttpClient.Builder loopbackAllowed() {
        return GuardedHttpClient.builder().allowHttp(true).allowLoopbackForDevelopment();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    @Test
    void postsToAnAllowListedLoopbackServerAndReadsTheResponse() throws Exception {
        server.enqueue(new MockResponse()
                .setResponseCode(201)
                .setHeader("X-Answer", "42")
                .setBody("created"));
        try (GuardedHttpClient client =
                loopbackAllowed().userAgent("test-agent/1").build()) {
            HttpResult result = client.execute(HttpRequestSpec.builder("POST", url("/hooks"))
                    .header("webhook-id", "msg_1")
                    .body("{\"a\":1}".getBytes(StandardCharsets.UTF_8), "application/json")
                    .build());

            assertThat(result.status()).isEqualTo(201);
            assertThat(result.header("x-answer")).isEqualTo("42");
            assertThat(result.bodyAsString()).isEqualTo("created");
            assertThat(result.bodyTruncated()).isFalse();
            RecordedRequest recorded = server.takeRequest(1, TimeUnit.SECONDS);
            assertThat(recorded.getMethod()).isEqualTo("POST");
            assertThat(recorded.getHeader("webhook-id")).isEqualTo("msg_1");
            assertThat(recorded.getHeader("Content-Type")).isEqualTo("application/json");
            assertThat(recorded.getHeader("User-Agent")).isEqualTo("test-agent/1");
            assertThat(recorded.getBody().readUtf8()).isEqualTo("{\"a\":1}");
        }
    }

    @Test
    void refusesLoopbackWithoutTheAllowListBeforeAnyByteIsSent() {
        server.enqueue(new MockResponse().setBody("should never be served"));
        try (GuardedHttpClient client =
                GuardedHttpClient.builder().allowHttp(true).build()) {
            assertThatThrownBy(() -> client.execute(HttpRequestSpec.get(url("/"))))
                    .isInstanceOf(BlockedAddressException.class)
                    .hasMessageContaining("loopback");
            assertThatThrownBy(() -> client.execute(HttpRequestSpec.get("http://localhost:" + port + "/")))
                    .isInstanceOf(BlockedAddressException.class)
                    .hasMessageContaining("loopback");
        }
        assertThat(server.getRequestCount()).isZero();
    }

    @org.junit.jupiter.api.Test
    void anOverlongHexHostIsNotAnIpLiteralAndNeverAnUntypedError() {
        try (GuardedHttpClient client = GuardedHttpClient.builder().build()) {
            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
                    () -> client.validateUrl("https://0xffffffffffffffff/x"));
            assertThat(thrown).satisfiesAnyOf(t -> assertThat(t).isNull(), t -> assertThat(t)
                    .isInstanceOf(HttpCallException.class));
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "127.0.0.1",
                "127.1",
                "[::1]",
                "[::ffff:127.0.0.1]",
                "[::ffff:7f00:1]",
                "[::127.0.0.1]",
                "169.254.169.254",
                "[::ffff:169.254.169.254]",
                "10.0.0.1",
                "172.16.0.1",
                "192.168.1.1",
                "100.64.0.1",
                "0.0.0.0",
                "[::]",
                "[fd00::1]",
                "[fe80::1]",
                "[64:ff9b::7f00:1]",
                "[64:ff9b::a9fe:a9fe]",
                "[2002:7f00:1::]",
                "[2001:0:4136:e378:8000:63bf:3fff:fdd2]",
                "2130706433",
                "0x7f000001",
                "0x7f.1",
                "0x7f.0.0.1",
                "0177.0.0.1",
                "017700000001",
                "224.0.0.1",
                "255.255.255.255"
            })
    void refusesEveryBlockedAddressFormBeforeAnyByteIsSent(String host) {
        server.enqueue(new MockResponse().setBody("should never be served"));
        String target = "http://" + host + ":" + port + "/latest/meta-data";
        try (GuardedHttpClient client =
                GuardedHttpClient.builder().allowHttp(true).build()) {
            assertThatThrownBy(() -> client.validateUrl(target)).isInstanceOf(BlockedAddressException.class);
            assertThatThrownBy(() -> client.execute(HttpRequestSpec.get(target)))
                    .isInstanceOf(BlockedAddressException.class);
        }
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void refusesAHostNameThatResolvesToAPrivateAddress() throws Exception {
        Dns resolver = fixedDns(Map.of(
                "internal.example", List.of(InetAddress.getByAddress("internal.example", new byte[] {10, 0, 0, 5})),
                "sneaky.example", List.of(InetAddress.getByAddress("sneaky.example", new byte[] {127, 0, 0, 1}))));
        try (GuardedHttpClient client =
                GuardedHttpClient.builder().allowHttp(true).dns(resolver).build()) {
            assertThatThrownBy(() -> client.execute(HttpRequestSpec.get("http://internal.example:" + port + "/")))
                    .isInstanceOf(BlockedAddressException.class)
                    .hasMessageContaining("10.0.0.5")
                    .hasMessageContaining("private");
            assertThatThrownBy(() -> client.execute(HttpRequestSpec.get("http://sneaky.example:" + port + "/")))
                    .isInstanceOf(BlockedAddressException.class)
                    .hasMessageContaining("loopback");
        }
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void dropsTheBlockedAddressesOfAHostWithMixedRecordsAndUsesTheRest() throws Exception {
        server.enqueue(new MockResponse().setBody("ok"));
        Dns resolver = fixedDns(Map.of(
                "mixed.example",
                List.of(
                        InetAddress.getByAddress("mixed.example", new byte[] {10, 0, 0, 5}),
                        InetAddress.getByAddress("mixed.example", new byte[] {127, 0, 0, 1}))));
        // Only 127.0.0.1 is exempted; if 10.0.0.5 were not dropped it would be tried first and fail, as OkHttp's
        // silent fallback to the next address is switched off.
        try (GuardedHttpClient client = GuardedHttpClient.builder()
                .allowHttp(true)
                .allowForDevelopment("127.0.0.1")
                .connectTimeout(Duration.ofMillis(300))
                .dns(resolver)
                .build()) {
            HttpResult result = client.execute(HttpRequestSpec.get("http://mixed.example:" + port + "/"));
            assertThat(result.status()).isEqualTo(200);
        }
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void doesNotFollowARedirectToAnInternalAddress() {
        server.enqueue(new MockResponse()
                .setResponseCode(302)
                .setHeader("Location", "http://169.254.169.254/latest/meta-data/iam/security-credentials/"));
        server.enqueue(new MockResponse().setBody("second request must not happen"));
        try (GuardedHttpClient client = loopbackAllowed().build()) {
            HttpResult result = client.execute(HttpRequestSpec.get(url("/start")));
            assertThat(result.status()).isEqualTo(302);
            ExecutionOutcome outcome = HttpOutcomes.of(result);
            assertThat(outcome).isInstanceOf(ExecutionOutcome.PermanentFailure.class);
            assertThat(((ExecutionOutcome.PermanentFailure) outcome).reason())
                    .contains("redirects are not followed")
                    .doesNotContain("169.254");
        }
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void cutsAnOversizedBodyAtTheLimit() {
        server.enqueue(new MockResponse().setBody(new Buffer().write(new byte[512 * 1024])));
        try (GuardedHttpClient client = loopbackAllowed().maxResponseBytes(1000).build()) {
            HttpResult result = client.execute(HttpRequestSpec.get(url("/big")));
            assertThat(result.status()).isEqualTo(200);
            assertThat(result.bodyLength()).isEqualTo(1000);
            assertThat(result.bodyTruncated()).isTrue();
        }
    }

    @Test
    void keepsABodyOfExactlyTheLimitWhole() {
        server.enqueue(new MockResponse().setBody("x".repeat(1000)));
        try (GuardedHttpClient client = loopbackAllowed().maxResponseBytes(1000).build()) {
            HttpResult result = client.execute(HttpRequestSpec.get(url("/exact")));
            assertThat(result.bodyLength()).isEqualTo(1000);
            assertThat(result.bodyTruncated()).isFalse();
        }
    }

    @Test
    void rejectsAnOversizedBodyWhenConfiguredTo() {
        server.enqueue(new MockResponse().setBody("y".repeat(5000)));
        try (GuardedHttpClient client = loopbackAllowed()
                .maxResponseBytes(1000)
                .rejectOversizedResponses(true)
                .build()) {
            assertThatThrownBy(() -> client.execute(HttpRequestSpec.get(url("/big"))))
                    .isInstanceOfSatisfying(HttpResponseTooLargeException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(200);
                        assertThat(e.limitBytes()).isEqualTo(1000);
                    });
        }
    }

    @Test
    void aServerThatNeverAnswersHitsTheReadTimeout() {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        try (GuardedHttpClient client =
                loopbackAllowed().readTimeout(Duration.ofMillis(200)).build()) {
            assertThatThrownBy(() -> client.execute(HttpRequestSpec.get(url("/slow"))))
                    .isInstanceOf(HttpTimeoutException.class);
        }
    }

    @Test
    void aBodyTricklingInSlowlyIsCutByTheCallTimeout() {
        server.enqueue(new MockResponse().setBody("z".repeat(10_000)).throttleBody(100, 100, TimeUnit.MILLISECONDS));
        long start = System.nanoTime();
        try (GuardedHttpClient client = loopbackAllowed()
                .readTimeout(Duration.ofSeconds(5))
                .callTimeout(Duration.ofMillis(400))
                .build()) {
            assertThatThrownBy(() -> client.execute(HttpRequestSpec.get(url("/trickle"))))
                    .isInstanceOf(HttpTimeoutException.class);
        }
        // The whole body would take ten seconds; the call gave up long before.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aRequestsOwnBodyLimitReplacesTheClientsBothWays() {
        server.enqueue(new MockResponse().setBody("a".repeat(3000)));
        server.enqueue(new MockResponse().setBody("b".repeat(3000)));
        try (GuardedHttpClient client = loopbackAllowed().maxResponseBytes(1000).build()) {
            HttpResult larger = client.execute(HttpRequestSpec.builder("GET", url("/larger"))
                    .maxResponseBytes(3000)
                    .build());
            assertThat(larger.bodyLength()).isEqualTo(3000);
            assertThat(larger.bodyTruncated()).isFalse();

            HttpResult smaller = client.execute(HttpRequestSpec.builder("GET", url("/smaller"))
                    .maxResponseBytes(2999)
                    .build());
            assertThat(smaller.bodyLength()).isEqualTo(2999);
            assertThat(smaller.bodyTruncated()).isTrue();
        }
    }

    @Test
    void aRequestsOwnBodyLimitIsReportedWhenOversizedResponsesAreRejected() {
        server.enqueue(new MockResponse().setBody("c".repeat(101)));
        try (GuardedHttpClient client =
                loopbackAllowed().rejectOversizedResponses(true).build()) {
            assertThatThrownBy(() -> client.execute(HttpRequestSpec.builder("GET", url("/big"))
                            .maxResponseBytes(100)
                            .build()))
                    .isInstanceOfSatisfying(HttpResponseTooLargeException.class, e -> assertThat(e.limitBytes())
                            .isEqualTo(100));
        }
    }

    @Test
    void aRequestsOwnCallTimeoutReplacesTheClientsBothWays() {
        server.enqueue(new MockResponse().setBody("slow").setHeadersDelay(300, TimeUnit.MILLISECONDS));
        server.enqueue(new MockResponse().setBody("slow").setHeadersDelay(300, TimeUnit.MILLISECONDS));
        try (GuardedHttpClient client =
                loopbackAllowed().callTimeout(Duration.ofMillis(100)).build()) {
            HttpResult longer = client.execute(HttpRequestSpec.builder("GET", url("/longer"))
                    .callTimeout(Duration.ofSeconds(5))
                    .build());
            assertThat(longer.bodyAsString()).isEqualTo("slow");
        }
        try (GuardedHttpClient client = loopbackAllowed().build()) {
            assertThatThrownBy(() -> client.execute(HttpRequestSpec.builder("GET", url("/shorter"))
                            .callTimeout(Duration.ofMillis(100))
                            .build()))
                    .isInstanceOf(HttpTimeoutException.class);
        }
    }

    @Test
    void refusesANonPositiveCallTimeoutOrAnOutOfRangeBodyLimitOnARequest() {
        assertThatThrownBy(() -> HttpRequestSpec.builder("GET", url("/"))
                        .callTimeout(Duration.ZERO)
                        .build())
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("callTimeout:");
        assertThatThrownBy(() -> HttpRequestSpec.builder("GET", url("/"))
                        .maxResponseBytes(0)
                        .build())
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("maxResponseBytes:");
    }

    @Test
    void aRefusedConnectionIsAConnectionFailure() throws IOException {
        MockWebServer closed = new MockWebServer();
        closed.start(InetAddress.getByName("127.0.0.1"), 0);
        int closedPort = closed.getPort();
        closed.shutdown();
        try (GuardedHttpClient client = loopbackAllowed().build()) {
            assertThatThrownBy(() -> client.execute(HttpRequestSpec.get("http://127.0.0.1:" + closedPort + "/")))
                    .isInstanceOf(HttpConnectionException.class);
        }
    }

    @Test
    void refusesCrOrLfInAHeaderValueOrName() {
        assertThatThrownBy(() -> HttpRequestSpec.builder("POST", url("/"))
                        .header("X-Note", "a\r\nX-Injected: 1")
                        .build())
                .isInstanceOf(InvalidHeaderException.class)
                .hasMessageContaining("X-Note")
                .hasMessageNotContaining("X-Injected");
        assertThatThrownBy(() -> HttpRequestSpec.builder("POST", url("/"))
                        .header("X-Note\nX-Injected", "1")
                        .build())
                .isInstanceOf(InvalidHeaderException.class);
        assertThatThrownBy(() -> HttpRequestSpec.builder("POST", url("/"))
                        .body(new byte[0], "application/json\r\nX-Injected: 1")
                        .build())
                .isInstanceOf(InvalidHeaderException.class);
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void refusesCrOrLfInAUrl() {
        assertThatThrownBy(() -> HttpRequestSpec.get(url("/a\r\nX-Injected: 1")))
                .isInstanceOf(InvalidUrlException.class)
                .hasMessageContaining("CR, LF");
        try (GuardedHttpClient client = loopbackAllowed().build()) {
            assertThatThrownBy(() -> client.validateUrl(url("/a\nb"))).isInstanceOf(InvalidUrlException.class);
        }
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void refusesPlainHttpUserInfoAndGarbageUnlessAllowed() {
        try (GuardedHttpClient client = GuardedHttpClient.createDefault()) {
            assertThatThrownBy(() -> client.validateUrl("http://shop.example/hook"))
                    .isInstanceOf(InvalidUrlException.class)
                    .hasMessageContaining("https");
            assertThatThrownBy(() -> client.validateUrl("https://user:pw@shop.example/hook"))
                    .isInstanceOf(InvalidUrlException.class)
                    .hasMessageContaining("user info")
                    .hasMessageNotContaining("pw");
            assertThatThrownBy(() -> client.validateUrl("ftp://shop.example/hook"))
                    .isInstanceOf(InvalidUrlException.class);
            assertThat(client.validateUrl("https://shop.example/hook").host()).isEqualTo("shop.example");
        }
    }

    @Test
    void keepsUrlSecretsOutOfInvalidUrlErrors() {
        try (GuardedHttpClient strict = GuardedHttpClient.builder().build()) {
            assertThatThrownBy(() -> strict.validateUrl("http://shop.example/hooks/Sx9tOkEn81k2?api_key=topsecret"))
                    .isInstanceOfSatisfying(InvalidUrlException.class, e -> {
                        assertThat(e.getMessage()).contains("https").doesNotContain("topsecret");
                        assertThat(e.getMessage()).doesNotContain("Sx9tOkEn81k2");
                        assertThat(e.redactedUrl()).isEqualTo("http://shop.example/hooks/***?***");
                    });
            assertThatThrownBy(() -> strict.validateUrl("https://user:hunter2@shop.example/hook?token=topsecret"))
                    .isInstanceOfSatisfying(InvalidUrlException.class, e -> {
                        assertThat(e.getMessage()).contains("user info").doesNotContain("hunter2");
                        assertThat(e.getMessage()).doesNotContain("topsecret");
                        assertThat(e.redactedUrl()).doesNotContain("hunter2").doesNotContain("topsecret");
                    });
        }
    }

    @Test
    void keepsUrlSecretsOutOfExceptionsAndReasons() {
        String secretUrl = "http://127.0.0.1:" + port + "/hooks/Sx9tOkEn81k2/activate?api_key=topsecret";
        try (GuardedHttpClient strict =
                GuardedHttpClient.builder().allowHttp(true).build()) {
            assertThatThrownBy(() -> strict.execute(HttpRequestSpec.get(secretUrl)))
                    .isInstanceOfSatisfying(BlockedAddressException.class, e -> {
                        assertThat(e.getMessage()).doesNotContain("topsecret").doesNotContain("Sx9tOkEn81k2");
                        assertThat(e.redactedUrl()).isEqualTo("http://127.0.0.1:" + port + "/hooks/***/activate?***");
                    });
        }
        server.enqueue(new MockResponse().setResponseCode(500).setBody("boom"));
        try (GuardedHttpClient client = loopbackAllowed().build()) {
            ExecutionOutcome outcome = HttpOutcomes.call(client, HttpRequestSpec.get(secretUrl));
            assertThat(outcome.toString()).doesNotContain("topsecret").doesNotContain("Sx9tOkEn81k2");
        }
        HttpRequestSpec spec = HttpRequestSpec.builder("POST", secretUrl)
                .header("Authorization", "Bearer hunter2")
                .build();
        assertThat(spec.toString())
                .contains("Authorization")
                .doesNotContain("hunter2")
                .doesNotContain("topsecret");
    }

    @Test
    void sendsThroughAProxyOnlyWhenOneIsConfigured() throws Exception {
        server.enqueue(new MockResponse().setBody("via proxy"));
        Proxy proxy = new Proxy(Proxy.Type.HTTP, new InetSocketAddress("127.0.0.1", port));
        try (GuardedHttpClient client =
                GuardedHttpClient.builder().allowHttp(true).proxy(proxy).build()) {
            HttpResult result = client.execute(HttpRequestSpec.get("http://shop.example/hook"));
            assertThat(result.bodyAsString()).isEqualTo("via proxy");
        }
        RecordedRequest recorded = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(recorded.getRequestLine()).isEqualTo("GET http://shop.example/hook HTTP/1.1");
    }

    private static Dns fixedDns(Map<String, List<InetAddress>> table) {
        return hostname -> {
            List<InetAddress> addresses = table.get(hostname);
            if (addresses == null) {
                throw new UnknownHostException(hostname);
            }
            return addresses;
        };
    }
}
