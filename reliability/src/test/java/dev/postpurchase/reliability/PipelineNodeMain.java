package dev.postpurchase.reliability;

import com.zaxxer.hikari.HikariDataSource;
import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.memory.InMemoryDefinitionSource;
import dev.postpurchase.http.GuardedHttpClient;
import dev.postpurchase.jdbc.JdbcActionStateStore;
import dev.postpurchase.webhook.WebhookOrderExecutor;
import java.io.IOException;
import java.time.Duration;

/**
 * One application node in its own JVM, for {@link CrashRecoveryTest}: a pipeline on the shared PostgreSQL tables
 * executing the real {@link WebhookOrderExecutor} through a {@link GuardedHttpClient} that allows loopback (the
 * test's receiver) for development. It prints {@code ready}, works until its standard input is closed (then shuts
 * down gracefully and exits 0), and is otherwise ended by {@code kill -9} ({@link Process#destroyForcibly()}).
 *
 * <p>Arguments: jdbcUrl user password tablePrefix nodeId workers leaseMillis
 */
public final class PipelineNodeMain {
    private PipelineNodeMain() {}

    public static void main(String[] args) throws IOException {
        String url = args[0];
        String user = args[1];
        String password = args[2];
        String prefix = args[3];
        String nodeId = args[4];
        int workers = Integer.parseInt(args[5]);
        Duration lease = Duration.ofMillis(Long.parseLong(args[6]));

        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        try (HikariDataSource pool = Postgres.pool(url, nodeId, workers + 3, 10_000);
                JdbcActionStateStore store = Postgres.store(pool, prefix);
                GuardedHttpClient http = GuardedHttpClient.builder()
                        .allowHttp(true)
                        .allowLoopbackForDevelopment()
                        .userAgent("postpurchase-node/" + nodeId)
                        .connectTimeout(Duration.ofSeconds(5))
                        .readTimeout(Duration.ofSeconds(10))
                        .callTimeout(Duration.ofSeconds(10))
                        .build()) {
            ActionPipeline pipeline = ActionPipeline.builder()
                    .store(store)
                    .definitions(new InMemoryDefinitionSource())
                    .executor(WebhookOrderExecutor.builder().httpClient(http).build())
                    .nodeId(nodeId)
                    .workers(workers)
                    .leaseDuration(lease)
                    .heartbeatInterval(Duration.ofMillis(Math.max(100, lease.toMillis() / 5)))
                    .pollInterval(Duration.ofMillis(200))
                    .build();
            System.out.println(nodeId + " ready");
            System.out.flush();
            while (System.in.read() >= 0) {
                // the test closes our standard input to stop us gracefully
            }
            boolean finished = pipeline.shutdown(Duration.ofSeconds(10));
            System.out.println(nodeId + " stopped" + (finished ? "" : " with runs still in flight"));
        }
        System.exit(0);
    }
}
