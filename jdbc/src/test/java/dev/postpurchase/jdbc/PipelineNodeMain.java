package dev.postpurchase.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.memory.InMemoryDefinitionSource;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.ActionExecutor;
import dev.postpurchase.core.spi.ExecutionContext;
import dev.postpurchase.core.spi.ExecutionOutcome;
import dev.postpurchase.testing.NoConfig;
import dev.postpurchase.testing.TestCodecs;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * One application node in its own JVM, for {@link MultiProcessPostgresTest}: runs a pipeline on the shared
 * PostgreSQL tables with an executor that records every execution in {@code <prefix>executions}, and exits 0 once
 * the expected number of runs has SUCCEEDED (2 after 60 s). In {@code hang} mode every execution blocks forever
 * after being recorded, so the test can kill the process mid-run.
 *
 * <p>Arguments: url user password prefix nodeId mode(count|hang) expectedSucceeded leaseMillis
 */
public final class PipelineNodeMain {
    private PipelineNodeMain() {}

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String user = args[1];
        String password = args[2];
        String prefix = args[3];
        String nodeId = args[4];
        boolean hang = args[5].equals("hang");
        long expected = Long.parseLong(args[6]);
        Duration lease = Duration.ofMillis(Long.parseLong(args[7]));

        TestDatabases.Settings settings = new TestDatabases.Settings(url, user, password, TestDatabases.PG_URL);
        try (HikariDataSource pool = TestDatabases.pool(settings, nodeId, 6, nodeId);
                JdbcActionStateStore store = JdbcActionStateStore.builder()
                        .dataSource(pool)
                        .secretCodec(TestCodecs.aesGcm())
                        .tablePrefix(prefix)
                        .build()) {
            ActionPipeline pipeline = ActionPipeline.builder()
                    .store(store)
                    .definitions(new InMemoryDefinitionSource())
                    .executor(new RecordingToDatabase(pool, prefix, nodeId, hang))
                    .nodeId(nodeId)
                    .workers(8)
                    .leaseDuration(lease)
                    .pollInterval(Duration.ofMillis(250))
                    .build();
            System.out.println(nodeId + " ready");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (succeeded(pool, prefix) < expected) {
                if (System.nanoTime() > deadline) {
                    System.out.println(nodeId + " timed out");
                    System.exit(2);
                }
                Thread.sleep(50);
            }
            pipeline.shutdown(Duration.ofSeconds(5));
            System.out.println(nodeId + " done");
        }
        System.exit(0);
    }

    private static long succeeded(DataSource dataSource, String prefix) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + prefix + "run WHERE status = 'SUCCEEDED'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Records each execution in the database, so executions across processes can be counted. */
    private static final class RecordingToDatabase implements ActionExecutor<NoConfig> {
        private final DataSource dataSource;
        private final String prefix;
        private final String nodeId;
        private final boolean hang;

        RecordingToDatabase(DataSource dataSource, String prefix, String nodeId, boolean hang) {
            this.dataSource = dataSource;
            this.prefix = prefix;
            this.nodeId = nodeId;
            this.hang = hang;
        }

        @Override
        public String type() {
            return "counted";
        }

        @Override
        public Class<NoConfig> configType() {
            return NoConfig.class;
        }

        @Override
        public ExecutionOutcome execute(ExecutionContext<NoConfig> context) {
            try (Connection c = dataSource.getConnection();
                    PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO " + prefix + "executions (run_id, node_id) VALUES (?, ?)")) {
                ps.setString(1, context.run().id());
                ps.setString(2, nodeId);
                ps.executeUpdate();
            } catch (SQLException e) {
                return ExecutionOutcome.retry("could not record: " + e.getSQLState());
            }
            while (hang) {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return ExecutionOutcome.retry("interrupted");
                }
            }
            return ExecutionOutcome.succeeded("done by " + nodeId);
        }

        @Override
        public boolean idempotent() {
            return true;
        }

        @Override
        public RetryPolicy defaultRetryPolicy() {
            return RetryPolicy.fixed(Duration.ofMillis(200), 3);
        }
    }
}
