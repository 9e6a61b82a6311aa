package dev.postpurchase.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.RunStatus;
import dev.postpurchase.core.memory.InMemoryDefinitionSource;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.ActionStateStore;
import dev.postpurchase.http.GuardedHttpClient;
import dev.postpurchase.testing.TestOrders;
import dev.postpurchase.webhook.WebhookConfig;
import dev.postpurchase.webhook.WebhookOrderExecutor;
import dev.postpurchase.webhook.WebhookSecret;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import okio.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The webhook executor through a pipeline against receivers that misbehave: 5xx, 429 with Retry-After, answers
 * slower than the timeout, connection resets, bodies over the limit, receivers that never answer or never finish.
 * Each run ends as its policy says (here {@code fixed(1 ms, 2)}: three attempts), and threads, file descriptors and
 * heap stay flat over many rounds. The receivers run in their own JVM ({@link ReceiverPeerMain}), so every thread
 * and socket counted here is the SDK's (or the test's).
 */
class ReceiverFaultsTest {
    private static final int ATTEMPTS = 3;
    private static final WebhookSecret SECRET = WebhookSecret.generate();
    private static final Logger MOCK_WEB_SERVER_LOG = Logger.getLogger(MockWebServer.class.getName());
    private static GuardedHttpClient http;
    private static ReceiverPeerMain.Peer peer;
    private static final InMemoryDefinitionSource definitions = new InMemoryDefinitionSource();
    private static ActionPipeline pipeline;
    private static final AtomicInteger orderCounter = new AtomicInteger();

    /** A receiver behaviour, what its runs must end as, and a fragment of their last error. */
    record Scenario(
            String name,
            Function<Integer, MockResponse> responseForAttempt,
            RunStatus expectedStatus,
            int expectedAttempts,
            String reasonFragment) {}

    static final List<Scenario> SCENARIOS = List.of(
            new Scenario(
                    "503-always",
                    n -> new MockResponse().setResponseCode(503).setBody("down for maintenance"),
                    RunStatus.FAILED,
                    ATTEMPTS,
                    "HTTP 503"),
            new Scenario(
                    "503-then-200",
                    n -> n == 1 ? new MockResponse().setResponseCode(503) : new MockResponse().setResponseCode(200),
                    RunStatus.SUCCEEDED,
                    2,
                    ""),
            new Scenario("410-gone", n -> new MockResponse().setResponseCode(410), RunStatus.FAILED, 1, "HTTP 410"),
            new Scenario(
                    "302-redirect",
                    n -> new MockResponse().setResponseCode(302).setHeader("Location", "http://127.0.0.2:1/internal"),
                    RunStatus.FAILED,
                    1,
                    "redirects are not followed"),
            new Scenario(
                    "slower-than-timeout",
                    n -> new MockResponse().setResponseCode(200).setHeadersDelay(5, TimeUnit.SECONDS),
                    RunStatus.FAILED,
                    ATTEMPTS,
                    "timed out"),
            new Scenario(
                    "reset-at-start",
                    n -> new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START),
                    RunStatus.FAILED,
                    ATTEMPTS,
                    "connection failure"),
            new Scenario(
                    "reset-during-body",
                    n -> new MockResponse()
                            .setResponseCode(200)
                            .setBody("x".repeat(64 * 1024))
                            .setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY),
                    RunStatus.FAILED,
                    ATTEMPTS,
                    ""),
            new Scenario(
                    "body-over-limit",
                    n -> new MockResponse().setResponseCode(200).setBody(new Buffer().write(new byte[256 * 1024])),
                    RunStatus.FAILED,
                    ATTEMPTS,
                    "larger than"),
            new Scenario(
                    "never-answers",
                    n -> new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE),
                    RunStatus.FAILED,
                    ATTEMPTS,
                    "timed out"),
            new Scenario(
                    "never-finishes-body",
                    n -> new MockResponse()
                            .setResponseCode(200)
                            .setBody(new Buffer().write(new byte[4 * 1024]))
                            .throttleBody(64, 100, TimeUnit.MILLISECONDS),
                    RunStatus.FAILED,
                    ATTEMPTS,
                    "timed out"),
            new Scenario(
                    "429-retry-after-then-200",
                    n -> n == 1
                            ? new MockResponse().setResponseCode(429).setHeader("Retry-After", "1")
                            : new MockResponse().setResponseCode(200),
                    RunStatus.SUCCEEDED,
                    2,
                    ""));

    @BeforeAll
    static void start() throws Exception {
        MOCK_WEB_SERVER_LOG.setLevel(Level.OFF);
        Evidence.secret(SECRET.encoded());
        http = GuardedHttpClient.builder()
                .allowHttp(true)
                .allowForDevelopment("127.0.0.1/32")
                .connectTimeout(Duration.ofSeconds(1))
                .readTimeout(Duration.ofSeconds(1))
                .callTimeout(Duration.ofMillis(2500))
                .maxResponseBytes(16 * 1024)
                .rejectOversizedResponses(true)
                .build();
        peer = ReceiverPeerMain.launch();
        for (Scenario scenario : SCENARIOS) {
            String url = "http://127.0.0.1:" + peer.ports().get(scenario.name()) + "/hooks";
            definitions.save(ActionDefinition.builder(WebhookOrderExecutor.TYPE)
                    .id("hook-" + scenario.name())
                    .product("product-" + scenario.name())
                    .config(WebhookConfig.of(url, SECRET))
                    .retryPolicy(RetryPolicy.fixed(Duration.ofMillis(1), ATTEMPTS - 1))
                    .build());
        }
        pipeline = ActionPipeline.builder()
                .store(ActionStateStore.inMemory())
                .definitions(definitions)
                .executor(WebhookOrderExecutor.builder().httpClient(http).build())
                .workers(32)
                .pollInterval(Duration.ofMillis(20))
                .build();
    }

    @AfterAll
    static void stop() throws Exception {
        pipeline.close();
        http.close();
        peer.close();
    }

    /** Submits {@code orders} orders hitting {@code scenario}'s receiver and waits until every run is terminal. */
    private static List<ActionRun> run(Scenario scenario, int orders) throws InterruptedException {
        return await(submit(scenario, orders));
    }

    private static List<String> submit(Scenario scenario, int orders) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < orders; i++) {
            String id = scenario.name() + "-" + orderCounter.incrementAndGet();
            ids.add(id);
            pipeline.submit(
                    TestOrders.singleItemOrder(id, "product-" + scenario.name()).build());
        }
        return ids;
    }

    private static List<ActionRun> await(List<String> ids) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        List<ActionRun> runs = new ArrayList<>();
        for (String id : ids) {
            while (true) {
                ActionRun run = pipeline.runsOfOrder(id).get(0);
                if (run.status() == RunStatus.SUCCEEDED || run.status() == RunStatus.FAILED) {
                    runs.add(run);
                    Evidence.text(run.lastError());
                    Evidence.text(run.result());
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("run of " + id + " not terminal within 120 s: " + run.status());
                }
                Thread.sleep(10);
            }
        }
        return runs;
    }

    private static void assertEndsAsPolicySays(Scenario scenario, List<ActionRun> runs) {
        for (ActionRun run : runs) {
            assertThat(run.status()).as(scenario.name()).isEqualTo(scenario.expectedStatus());
            assertThat(run.totalAttempts()).as(scenario.name() + " attempts").isEqualTo(scenario.expectedAttempts());
            if (scenario.expectedStatus() == RunStatus.FAILED) {
                assertThat(run.lastError()).as(scenario.name()).contains(scenario.reasonFragment());
            }
        }
    }

    private static Scenario scenario(String name) {
        return SCENARIOS.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void a503IsRetriedByThePolicyThenFailsWithTheStatus() throws Exception {
        List<ActionRun> runs = run(scenario("503-always"), 3);
        assertEndsAsPolicySays(scenario("503-always"), runs);
        assertThat(runs).allMatch(r -> r.lastStatusCode() == 503);
        assertThat(runs.get(0).lastError()).startsWith("gave up after 3 attempts");
        assertEndsAsPolicySays(scenario("503-then-200"), run(scenario("503-then-200"), 3));
    }

    @Test
    void a429WithRetryAfterIsRetriedNoEarlierThanAsked() throws Exception {
        Scenario scenario = scenario("429-retry-after-then-200");
        List<String> ids = new ArrayList<>();
        long before = System.currentTimeMillis();
        List<ActionRun> runs = run(scenario, 2);
        long elapsed = System.currentTimeMillis() - before;
        assertEndsAsPolicySays(scenario, runs);
        runs.forEach(r -> ids.add(r.id()));
        assertThat(elapsed).as("the second attempt waited for Retry-After: 1").isGreaterThanOrEqualTo(1000);
        assertThat(peer.requests(scenario.name())).isGreaterThanOrEqualTo(4);
    }

    @Test
    void goneAndRedirectsFailAtOnceWithoutFollowing() throws Exception {
        assertEndsAsPolicySays(scenario("410-gone"), run(scenario("410-gone"), 2));
        assertEndsAsPolicySays(scenario("302-redirect"), run(scenario("302-redirect"), 2));
    }

    @Test
    void slowSilentAndEndlessReceiversTimeOutAndAreRetriedByThePolicy() throws Exception {
        for (String name : List.of("slower-than-timeout", "never-answers", "never-finishes-body")) {
            List<ActionRun> runs = run(scenario(name), 2);
            assertEndsAsPolicySays(scenario(name), runs);
        }
    }

    @Test
    void resetConnectionsAndOversizedBodiesAreRetriedByThePolicy() throws Exception {
        for (String name : List.of("reset-at-start", "reset-during-body", "body-over-limit")) {
            assertEndsAsPolicySays(scenario(name), run(scenario(name), 2));
        }
    }

    /** Every scenario at once, {@code orders} orders each; checks each run ended as its policy says. */
    private static List<List<ActionRun>> round(int orders) throws InterruptedException {
        Map<Scenario, List<String>> submitted = new LinkedHashMap<>();
        for (Scenario scenario : SCENARIOS) {
            submitted.put(scenario, submit(scenario, orders));
        }
        List<List<ActionRun>> out = new ArrayList<>();
        for (Map.Entry<Scenario, List<String>> e : submitted.entrySet()) {
            List<ActionRun> done = await(e.getValue());
            assertEndsAsPolicySays(e.getKey(), done);
            out.add(done);
        }
        return out;
    }

    @Test
    void threadsSocketsAndHeapStayFlatOverManyRounds() throws Exception {
        int rounds = Soak.size(5, 40);
        int ordersPerScenario = 6;
        round(ordersPerScenario); // warm-up: worker pool, client connection pool, server threads, classes
        Resources before = Resources.measure();
        long start = System.nanoTime();
        int runs = 0;
        int attempts = 0;
        for (int round = 0; round < rounds; round++) {
            for (List<ActionRun> done : round(ordersPerScenario)) {
                runs += done.size();
                attempts += done.stream().mapToInt(ActionRun::totalAttempts).sum();
            }
        }
        // connections the client dropped on timeouts end on the server side only when its delays run out (5 s)
        long settleStart = System.nanoTime();
        Resources after = Resources.measure();
        while ((after.threads() > before.threads() + 12 || after.fileDescriptors() > before.fileDescriptors() + 24)
                && System.nanoTime() - settleStart < TimeUnit.SECONDS.toNanos(15)) {
            Thread.sleep(250);
            after = Resources.measure();
        }
        double settled = (System.nanoTime() - settleStart) / 1e9;
        double seconds = (System.nanoTime() - start) / 1e9;

        assertThat(after.threads())
                .as("threads; now: "
                        + Thread.getAllStackTraces().keySet().stream()
                                .map(Thread::getName)
                                .sorted()
                                .toList())
                .isLessThanOrEqualTo(before.threads() + 12);
        assertThat(after.fileDescriptors())
                .as("file descriptors; receivers " + peer.ports() + ", sockets " + Resources.sockets() + ", kinds "
                        + Resources.descriptorKinds())
                .isLessThanOrEqualTo(before.fileDescriptors() + 24);
        assertThat(after.heapBytes()).as("heap").isLessThanOrEqualTo(before.heapBytes() + 48L * 1024 * 1024);
        Figures.report(
                "Receivers misbehaving (webhook executor through a pipeline, policy fixed(1 ms, 2) = 3 attempts)",
                "scenarios: 503 (FAILED after 3), 503 then 200 (SUCCEEDED on 2nd), 410 and 302 (FAILED after 1, no"
                        + " redirect followed), headers after 5 s > 1 s read timeout, NO_RESPONSE,"
                        + " 4 KiB body throttled to 64 B/100 ms (6.4 s) > 2.5 s call timeout (FAILED after 3, timed out),"
                        + " DISCONNECT_AT_START, DISCONNECT_DURING_RESPONSE_BODY, 256 KiB body > 16 KiB limit"
                        + " (FAILED after 3), 429 Retry-After 1 s then 200 (SUCCEEDED, waited >= 1 s)",
                "rounds " + rounds + " x " + SCENARIOS.size() + " scenarios x " + ordersPerScenario + " orders: runs "
                        + runs + ", attempts " + attempts + ", every run ended as its policy says",
                "before: " + before + "; after: " + after
                        + String.format(" (%.1f s, settled in %.1f s)", seconds, settled),
                "bounds asserted: threads +12, fds +24, heap +48 MiB (receivers in a separate JVM)");
    }
}
