package dev.postpurchase.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.action.RunStatus;
import dev.postpurchase.core.memory.InMemoryDefinitionSource;
import dev.postpurchase.testing.RecordingExecutor;
import dev.postpurchase.testing.TestDefinitions;
import dev.postpurchase.testing.TestOrders;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Separate JVM processes ({@link PipelineNodeMain}) share one PostgreSQL database: every run executes exactly once
 * across them, and a process killed mid-run (kill -9) leaves its runs to another process.
 */
class MultiProcessPostgresTest {
    private static StoreFixture db;
    private final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void openDatabase() throws SQLException {
        db = StoreFixture.open(JdbcDialect.POSTGRESQL);
        AbstractJdbcStoreTest.execute(
                db.dataSource,
                "CREATE TABLE " + db.prefix + "executions (run_id VARCHAR(64) NOT NULL, node_id VARCHAR(64) NOT NULL)");
    }

    @AfterAll
    static void dropTables() {
        if (db != null) {
            TestDatabases.dropTables(db.dataSource, db.prefix, "executions");
            db.close();
        }
    }

    @BeforeEach
    void emptyTables() throws SQLException {
        db.freshStore();
        AbstractJdbcStoreTest.execute(db.dataSource, "DELETE FROM " + db.prefix + "executions");
    }

    @AfterEach
    void killProcesses() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void everyRunExecutesExactlyOnceAcrossThreeProcesses() throws Exception {
        int orders = 60;
        List<Process> nodes = new ArrayList<>();
        for (String node : List.of("proc-a", "proc-b", "proc-c")) {
            nodes.add(launch(node, "count", 2L * orders, 30_000));
        }
        try (ActionPipeline submitter = submitter()) {
            for (int i = 0; i < orders; i++) {
                submitter.submit(TestOrders.paidOrder("proc-order-" + i).build());
            }
        }

        for (Process node : nodes) {
            assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(node.exitValue()).as(log(node)).isZero();
        }
        Map<String, Integer> executionsByRun = executions("run_id");
        assertThat(executionsByRun).hasSize(2 * orders);
        assertThat(executionsByRun.values()).containsOnly(1);
        System.out.println("executions per process: " + executions("node_id"));
        assertThat(statuses()).containsOnly(RunStatus.SUCCEEDED);
    }

    @Test
    void aProcessKilledMidRunLeavesItsIdempotentRunsToAnotherProcess() throws Exception {
        try (ActionPipeline submitter = submitter()) {
            for (int i = 0; i < 4; i++) {
                submitter.submit(TestOrders.paidOrder("kill-order-" + i).build());
            }
        }
        Process doomed = launch("proc-doomed", "hang", 8, 1500);
        MultiNodePostgresTest.await(
                () -> count("executions WHERE node_id = 'proc-doomed'") == 8, Duration.ofSeconds(30));
        assertThat(count("run WHERE status = 'RUNNING' AND owner_id = 'proc-doomed'"))
                .isEqualTo(8);

        doomed.destroyForcibly();
        assertThat(doomed.waitFor(10, TimeUnit.SECONDS)).isTrue();
        Process survivor = launch("proc-survivor", "count", 8, 1500);

        assertThat(survivor.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(survivor.exitValue()).as(log(survivor)).isZero();
        assertThat(executions("run_id").values()).hasSize(8).containsOnly(2);
        assertThat(executions("node_id")).containsEntry("proc-doomed", 8).containsEntry("proc-survivor", 8);
        assertThat(statuses()).containsOnly(RunStatus.SUCCEEDED);
    }

    private ActionPipeline submitter() {
        InMemoryDefinitionSource definitions = new InMemoryDefinitionSource();
        definitions.save(TestDefinitions.definition("receipt", "counted", ActionLevel.CHECKOUT, "checkout-1"));
        definitions.save(TestDefinitions.definition("grant", "counted", ActionLevel.PRODUCT, "product-1"));
        return ActionPipeline.builder()
                .store(db.newStore())
                .definitions(definitions)
                .executor(new RecordingExecutor("counted"))
                .startWorkers(false)
                .build();
    }

    private Process launch(String nodeId, String mode, long expectedSucceeded, long leaseMillis) throws Exception {
        TestDatabases.Settings s = db.settings;
        Path log = Path.of("target", "nodes", nodeId + ".log");
        Files.createDirectories(log.getParent());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        "-XX:TieredStopAtLevel=1",
                        "-Xshare:auto",
                        PipelineNodeMain.class.getName(),
                        s.url(),
                        s.user(),
                        s.password(),
                        db.prefix,
                        nodeId,
                        mode,
                        Long.toString(expectedSucceeded),
                        Long.toString(leaseMillis))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private static String log(Process process) {
        return "see the node logs in target" + File.separator + "nodes (pid " + process.pid() + ")";
    }

    private static List<RunStatus> statuses() {
        List<RunStatus> result = new ArrayList<>();
        try (Connection c = db.dataSource.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT status FROM " + db.prefix + "run")) {
            while (rs.next()) {
                result.add(RunStatus.valueOf(rs.getString(1)));
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        return result;
    }

    private static long count(String fromWhere) {
        try (Connection c = db.dataSource.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + db.prefix + fromWhere)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, Integer> executions(String column) {
        Map<String, Integer> result = new HashMap<>();
        try (Connection c = db.dataSource.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT " + column + ", COUNT(*) FROM " + db.prefix + "executions GROUP BY " + column)) {
            while (rs.next()) {
                result.put(rs.getString(1), rs.getInt(2));
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        return result;
    }
}
