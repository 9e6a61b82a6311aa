package dev.postpurchase.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.memory.InMemoryDefinitionSource;
import dev.postpurchase.http.GuardedHttpClient;
import dev.postpurchase.jdbc.JdbcActionStateStore;
import dev.postpurchase.testing.TestOrders;
import dev.postpurchase.webhook.WebhookConfig;
import dev.postpurchase.webhook.WebhookOrderExecutor;
import dev.postpurchase.webhook.WebhookSecret;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL "restarted" under a running pipeline without disturbing the shared server: every session of the
 * pipeline's pool (its application name is unique) is ended with {@code pg_terminate_backend} several times while
 * runs execute, as a server restart would end them. The pool reconnects, the pipeline finishes, nothing is lost; a
 * run whose outcome could not be written stays RUNNING until its lease expires and is then recovered (the webhook
 * executor is idempotent), so the only duplicates are such runs.
 */
class DatabaseOutageTest {
    private static final Duration LEASE = Duration.ofSeconds(3);
    private HikariDataSource admin;
    private HikariDataSource pool;
    private String prefix;
    private String applicationName;
    private JdbcActionStateStore store;
    private DeliveryReceiver receiver;
    private GuardedHttpClient http;
    private WebhookSecret secret;

    @BeforeEach
    void open() throws Exception {
        admin = Postgres.pool("outage-admin", 2);
        prefix = Postgres.uniquePrefix("outage");
        applicationName = "outage-node-" + prefix;
        pool = Postgres.pool(Postgres.url(), applicationName, 6, 10_000);
        store = Postgres.store(pool, prefix);
        store.migrate();
        secret = WebhookSecret.generate();
        Evidence.secret(secret.encoded());
        receiver = new DeliveryReceiver(secret, 5);
        http = GuardedHttpClient.builder()
                .allowHttp(true)
                .allowLoopbackForDevelopment()
                .build();
    }

    @AfterEach
    void close() {
        receiver.close();
        http.close();
        store.close();
        pool.close();
        Postgres.dropTables(admin, prefix);
        admin.close();
    }

    private int sessions() {
        return (int) Postgres.count(
                admin, "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = '" + applicationName + "'");
    }

    private int terminateSessions() throws Exception {
        return Postgres.strings(
                        admin,
                        "SELECT pg_terminate_backend(pid)::text FROM pg_stat_activity WHERE application_name = '"
                                + applicationName + "'")
                .size();
    }

    @Test
    void thePipelineReconnectsAfterItsDatabaseSessionsAreKilledAndLosesNothing() throws Exception {
        runThroughOutages(
                Soak.size(600, 5_000),
                Soak.size(4, 12),
                this::terminateSessions,
                "Database outage (pg_terminate_backend of every session of the pipeline's pool, mid-run)");
    }

    /**
     * The real thing: the PostgreSQL server itself is restarted once in the middle of the runs (every connection of
     * every pool dies, new ones are refused until it is back). Uses {@code PP_TEST_PG_RESTART_COMMAND}, by default
     * {@code pg_ctlcluster --skip-systemctl-redirect <version> main restart} for the local cluster.
     */
    @Test
    void thePipelineFinishesAcrossARealServerRestartAndLosesNothing() throws Exception {
        List<String> command = restartCommand();
        runThroughOutages(
                Soak.size(300, 2_000),
                1,
                () -> {
                    Process p = new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .start();
                    String output =
                            new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                    assertThat(p.waitFor())
                            .as("restart command %s: %s", command, output)
                            .isZero();
                    return 1;
                },
                "Database restart (the PostgreSQL server restarted once, mid-run)");
    }

    private static List<String> restartCommand() throws Exception {
        String configured = System.getenv("PP_TEST_PG_RESTART_COMMAND");
        if (configured != null && !configured.isBlank()) {
            return List.of("bash", "-c", configured);
        }
        java.nio.file.Path clusters = java.nio.file.Path.of("/etc/postgresql");
        if (!java.nio.file.Files.isDirectory(clusters)) {
            throw new AssertionError(
                    "no local PostgreSQL cluster to restart; set PP_TEST_PG_RESTART_COMMAND to a command"
                            + " that restarts the server of PP_TEST_PG_URL");
        }
        try (var versions = java.nio.file.Files.list(clusters)) {
            String version = versions.map(v -> v.getFileName().toString())
                    .sorted()
                    .findFirst()
                    .orElseThrow();
            return List.of("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart");
        }
    }

    @FunctionalInterface
    private interface Outage {
        int cause() throws Exception;
    }

    private long countRetrying(String sql) throws InterruptedException {
        for (int i = 0; ; i++) {
            try {
                return Postgres.count(admin, sql);
            } catch (RuntimeException e) {
                if (i > 100) {
                    throw e;
                }
                Thread.sleep(100); // the server is restarting
            }
        }
    }

    private void runThroughOutages(int orders, int outages, Outage outage, String title) throws Exception {
        InMemoryDefinitionSource definitions = new InMemoryDefinitionSource();
        definitions.save(ActionDefinition.builder(WebhookOrderExecutor.TYPE)
                .id("crm")
                .checkout("checkout-1")
                .config(WebhookConfig.of(receiver.url(), secret))
                .build());
        long start = System.nanoTime();
        List<Integer> killed = new ArrayList<>();
        try (ActionPipeline submitter = ActionPipeline.builder()
                        .store(Postgres.store(admin, prefix))
                        .definitions(definitions)
                        .executor(
                                WebhookOrderExecutor.builder().httpClient(http).build())
                        .startWorkers(false)
                        .build();
                ActionPipeline pipeline = ActionPipeline.builder()
                        .store(store)
                        .definitions(definitions)
                        .executor(
                                WebhookOrderExecutor.builder().httpClient(http).build())
                        .workers(4)
                        .leaseDuration(LEASE)
                        .pollInterval(Duration.ofMillis(100))
                        .build()) {
            for (int i = 0; i < orders; i++) {
                submitter.submit(TestOrders.paidOrder("outage-order-" + i).build());
            }
            for (int k = 0; k < outages; k++) {
                long target = (long) orders * (k + 1) / (outages + 2);
                while (receiver.deliveries() < target) {
                    Thread.sleep(5);
                }
                // the pipeline works on claimed-ahead runs between outages; strike again once it is back on the
                // database
                long reconnected = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (sessions() == 0 && System.nanoTime() < reconnected) {
                    Thread.sleep(5);
                }
                killed.add(outage.cause());
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (countRetrying("SELECT COUNT(*) FROM " + prefix + "run WHERE status = 'SUCCEEDED'") < orders) {
                assertThat(System.nanoTime())
                        .as("all runs succeeded within 3 minutes")
                        .isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(pipeline.staleRuns()).as("runs left RUNNING").isEmpty();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Integer> deliveries = receiver.countsById();
        long duplicates = receiver.deliveries() - deliveries.size();
        long recovered = Postgres.count(admin, "SELECT COUNT(*) FROM " + prefix + "run WHERE total_attempts > 1");
        assertThat(Postgres.count(admin, "SELECT COUNT(*) FROM " + prefix + "run"))
                .isEqualTo(orders);
        assertThat(deliveries).as("every run delivered").hasSize(orders);
        assertThat(killed).as("sessions ended at each outage").allMatch(n -> n > 0);
        assertThat(duplicates)
                .as("duplicates only from runs whose outcome was lost")
                .isLessThanOrEqualTo(recovered);
        Figures.report(
                title,
                "orders " + orders + " (1 webhook run each), outages " + outages + ", sessions ended per outage "
                        + killed,
                "succeeded " + orders + "/" + orders + ", lost 0, deliveries " + receiver.deliveries() + ", duplicates "
                        + duplicates + ", runs re-attempted " + recovered,
                String.format("wall time %.1f s", seconds));
    }
}
