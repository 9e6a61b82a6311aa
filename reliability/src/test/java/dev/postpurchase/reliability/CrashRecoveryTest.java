package dev.postpurchase.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.memory.InMemoryDefinitionSource;
import dev.postpurchase.http.GuardedHttpClient;
import dev.postpurchase.jdbc.JdbcActionStateStore;
import dev.postpurchase.testing.TestOrders;
import dev.postpurchase.webhook.WebhookConfig;
import dev.postpurchase.webhook.WebhookOrderExecutor;
import dev.postpurchase.webhook.WebhookSecret;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pipeline nodes as separate JVM processes ({@link PipelineNodeMain}) on PostgreSQL, delivering signed webhooks with
 * the real {@link WebhookOrderExecutor} to a receiver that counts deliveries by {@code webhook-id}.
 */
class CrashRecoveryTest {
    private static final int WORKERS = 6;
    private static final Duration LEASE = Duration.ofSeconds(5);

    private final Random random = new Random();
    private HikariDataSource pool;
    private String prefix;
    private JdbcActionStateStore store;
    private WebhookSecret secret;
    private DeliveryReceiver receiver;
    private GuardedHttpClient http;
    private Nodes nodes;

    @BeforeEach
    void open() throws Exception {
        pool = Postgres.pool("crash-test", 4);
        prefix = Postgres.uniquePrefix("crash");
        store = Postgres.store(pool, prefix);
        store.migrate();
        secret = WebhookSecret.generate();
        Evidence.secret(secret.encoded());
        receiver = new DeliveryReceiver(secret, 15);
        http = GuardedHttpClient.builder()
                .allowHttp(true)
                .allowLoopbackForDevelopment()
                .build();
        nodes = new Nodes(prefix, WORKERS, LEASE);
    }

    @AfterEach
    void close() throws Exception {
        nodes.close();
        receiver.close();
        http.close();
        store.close();
        Postgres.dropTables(pool, prefix);
        pool.close();
    }

    /** Two webhook actions per order: one on the checkout, one on the offer. */
    private ActionPipeline submitter() {
        InMemoryDefinitionSource definitions = new InMemoryDefinitionSource();
        WebhookConfig config = WebhookConfig.of(receiver.url(), secret);
        definitions.save(ActionDefinition.builder(WebhookOrderExecutor.TYPE)
                .id("crm-webhook")
                .name("CRM")
                .checkout("checkout-1")
                .config(config)
                .build());
        definitions.save(ActionDefinition.builder(WebhookOrderExecutor.TYPE)
                .id("offer-webhook")
                .name("Offer hook")
                .offer("offer-1")
                .config(config)
                .build());
        return ActionPipeline.builder()
                .store(store)
                .definitions(definitions)
                .executor(WebhookOrderExecutor.builder().httpClient(http).build())
                .startWorkers(false)
                .build();
    }

    /** Submits {@code orders} orders from a background thread, a small batch every few milliseconds. */
    private Thread submitInBackground(
            ActionPipeline submitter, String tag, int orders, AtomicReference<Throwable> error) {
        Thread thread = new Thread(
                () -> {
                    try {
                        for (int i = 0; i < orders; i++) {
                            submitter.submit(TestOrders.paidOrder(tag + "-" + i).build());
                            if (i % 50 == 49) {
                                Thread.sleep(20);
                            }
                        }
                    } catch (Throwable t) {
                        error.set(t);
                    }
                },
                "submitter");
        thread.start();
        return thread;
    }

    private long count(String where) {
        return Postgres.count(pool, "SELECT COUNT(*) FROM " + prefix + "run" + where);
    }

    private void awaitAllSucceeded(long runs, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count(" WHERE status = 'SUCCEEDED'") < runs) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not every run succeeded within " + timeout + ": "
                        + Postgres.counts(pool, "SELECT status, COUNT(*) FROM " + prefix + "run GROUP BY status"));
            }
            Thread.sleep(100);
        }
    }

    private static String webhookId(String runId) {
        return "msg_" + runId.replace("-", "");
    }

    @Test
    void nodesKilledAtRandomMomentsLoseNothingAndDuplicateOnlyDeliveriesInFlightAtAKill() throws Exception {
        int orders = Soak.size(2_000, 20_000);
        int kills = Soak.size(4, 12);
        long runs = 2L * orders;
        long start = System.nanoTime();
        String[] names = {"a", "b", "c"};
        Process[] live = new Process[names.length];
        int[] incarnation = new int[names.length];
        for (int n = 0; n < names.length; n++) {
            live[n] = nodes.start("crash-" + names[n] + "-0");
        }
        AtomicReference<Throwable> submitError = new AtomicReference<>();
        Set<String> inFlightAtKills = new HashSet<>();
        List<Integer> inFlightPerKill = new ArrayList<>();
        try (ActionPipeline submitter = submitter()) {
            Thread submitting = submitInBackground(submitter, "crash-order", orders, submitError);
            for (int k = 0; k < kills; k++) {
                // a random moment while work is still arriving or being executed
                long before = receiver.deliveries();
                long target = before + 1 + random.nextInt((int) Math.max(2, runs / (kills + 2)));
                long waitDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (receiver.deliveries() < Math.min(target, runs - 1) && System.nanoTime() < waitDeadline) {
                    Thread.sleep(2);
                }
                Thread.sleep(random.nextInt(40));
                int victim = random.nextInt(names.length);
                String victimId = "crash-" + names[victim] + "-" + incarnation[victim];
                Nodes.kill(live[victim]);
                List<String> held = Postgres.strings(
                        pool,
                        "SELECT id FROM " + prefix + "run WHERE status = 'RUNNING' AND owner_id = '" + victimId + "'");
                inFlightPerKill.add(held.size());
                held.forEach(id -> inFlightAtKills.add(webhookId(id)));
                incarnation[victim]++;
                live[victim] = nodes.start("crash-" + names[victim] + "-" + incarnation[victim]);
            }
            submitting.join(TimeUnit.MINUTES.toMillis(5));
            assertThat(submitError.get()).as("submitting").isNull();
        }
        awaitAllSucceeded(runs, Duration.ofMinutes(Soak.size(3, 20)));
        for (int n = 0; n < names.length; n++) {
            Nodes.stop(live[n], "crash-" + names[n] + "-" + incarnation[n]);
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        assertThat(count("")).as("runs created").isEqualTo(runs);
        assertThat(count(" WHERE status <> 'SUCCEEDED'"))
                .as("runs not terminal")
                .isZero();
        Map<String, Integer> deliveries = receiver.countsById();
        Set<String> expectedIds = Postgres.strings(pool, "SELECT id FROM " + prefix + "run").stream()
                .map(CrashRecoveryTest::webhookId)
                .collect(Collectors.toSet());
        Set<String> lost = new HashSet<>(expectedIds);
        lost.removeAll(deliveries.keySet());
        assertThat(lost).as("runs never delivered").isEmpty();
        assertThat(deliveries.keySet()).as("deliveries of unknown ids").isSubsetOf(expectedIds);
        Map<String, Integer> duplicated = deliveries.entrySet().stream()
                .filter(e -> e.getValue() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        long duplicates = duplicated.values().stream().mapToLong(v -> v - 1).sum();
        assertThat(duplicated.keySet())
                .as("every duplicated webhook-id was in flight on a killed node")
                .isSubsetOf(inFlightAtKills);
        assertThat(duplicated.values())
                .as("a delivery repeats at most once per kill")
                .allMatch(v -> v <= 1 + kills);
        // a duplicate is a run the killed node had delivered but not yet recorded: executing at the kill, or finished
        // with its outcome waiting for the group commit (the workers keep going while a batch is written), so the
        // bound is what the node held at each kill, not its worker count
        long heldAtKills =
                inFlightPerKill.stream().mapToLong(Integer::longValue).sum();
        assertThat(duplicates)
                .as("duplicates bounded by the runs the killed nodes held at the kills")
                .isLessThanOrEqualTo(heldAtKills);
        assertThat(inFlightPerKill)
                .as(
                        "a node holds at most its workers' runs plus what it claimed ahead (at most claimBatch, default 64)")
                .allMatch(n -> n <= WORKERS + 64);
        assertThat(receiver.rejected()).as("deliveries with a bad signature").isZero();
        long attempts = Postgres.count(pool, "SELECT COALESCE(SUM(total_attempts), 0) FROM " + prefix + "run");

        Figures.report(
                "Crash: kill -9 of pipeline nodes (3 JVMs on PostgreSQL, webhook executor, " + WORKERS
                        + " workers each, lease " + LEASE.toSeconds() + " s)",
                "orders " + orders + ", runs " + runs + ", kills " + kills + " (node restarted after each)",
                "runs held by the killed node at each kill: " + inFlightPerKill + " (total " + inFlightAtKills.size()
                        + ")",
                "terminal " + count(" WHERE status IN ('SUCCEEDED','FAILED')") + "/" + runs + ", succeeded "
                        + count(" WHERE status = 'SUCCEEDED'") + ", lost " + lost.size(),
                "deliveries " + receiver.deliveries() + ", distinct webhook-ids " + deliveries.size()
                        + ", duplicate deliveries " + duplicates + " (" + duplicated.size()
                        + " ids, all among those in flight at a kill; workers x kills = " + WORKERS * kills
                        + ", runs held at the kills = "
                        + inFlightPerKill.stream().mapToInt(Integer::intValue).sum()
                        + ")",
                "attempts recorded " + attempts + " (runs re-attempted after recovery: "
                        + count(" WHERE total_attempts > 1") + "), bad signatures 0",
                "deliveries by node incarnation: " + receiver.countsByNode(),
                String.format("wall time %.1f s", seconds));
    }

    @Test
    void threeNodesWithoutCrashesExecuteEveryRunExactlyOnce() throws Exception {
        int orders = Soak.size(1_500, 10_000);
        long runs = 2L * orders;
        long start = System.nanoTime();
        List<Process> live = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            live.add(nodes.start("steady-" + name));
        }
        AtomicReference<Throwable> submitError = new AtomicReference<>();
        try (ActionPipeline submitter = submitter()) {
            Thread submitting = submitInBackground(submitter, "steady-order", orders, submitError);
            submitting.join(TimeUnit.MINUTES.toMillis(5));
            assertThat(submitError.get()).as("submitting").isNull();
        }
        awaitAllSucceeded(runs, Duration.ofMinutes(Soak.size(3, 20)));
        List<String> names = List.of("steady-a", "steady-b", "steady-c");
        for (int i = 0; i < live.size(); i++) {
            Nodes.stop(live.get(i), names.get(i));
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        Map<String, Integer> deliveries = receiver.countsById();
        assertThat(deliveries).hasSize((int) runs);
        assertThat(deliveries.values()).as("deliveries per webhook-id").containsOnly(1);
        assertThat(count(" WHERE status = 'SUCCEEDED' AND total_attempts = 1"))
                .as("runs that succeeded on their first and only attempt")
                .isEqualTo(runs);
        Map<String, Integer> byNode = receiver.countsByNode();
        assertThat(byNode).hasSize(3);
        assertThat(Postgres.count(pool, "SELECT COUNT(*) FROM " + prefix + "trigger WHERE completed_at IS NULL"))
                .as("orders not marked completed")
                .isZero();
        List<ActionRun> sample = store.runs(TriggerKind.ORDER, "steady-order-0");
        sample.forEach(r -> Evidence.text(r.result()));

        Figures.report(
                "Several nodes, no crash (3 JVMs on one PostgreSQL database, webhook executor, " + WORKERS
                        + " workers each)",
                "orders " + orders + ", runs " + runs + ", deliveries " + receiver.deliveries() + ", distinct "
                        + deliveries.size() + ", duplicates " + (receiver.deliveries() - deliveries.size())
                        + ", lost " + (runs - deliveries.size()),
                "attempts: every run exactly 1; deliveries by node: " + byNode,
                String.format("wall time %.1f s (%.0f runs/s)", seconds, runs / seconds));
    }
}
