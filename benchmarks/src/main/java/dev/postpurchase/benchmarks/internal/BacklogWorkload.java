package dev.postpurchase.benchmarks.internal;

import com.zaxxer.hikari.HikariDataSource;
import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.PipelineListener;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.TriggerCompletion;
import dev.postpurchase.core.memory.InMemoryDefinitionSource;
import dev.postpurchase.core.spi.ClaimRequest;
import dev.postpurchase.jdbc.JdbcActionStateStore;
import dev.postpurchase.jdbc.JdbcDialect;
import dev.postpurchase.testing.TestCodecs;
import dev.postpurchase.testing.TestDefinitions;
import dev.postpurchase.testing.TestOrders;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Workload 4: PostgreSQL with a history. For each size, the run table is filled with that many finished runs (95 %
 * SUCCEEDED, 5 % FAILED, each with its own completed trigger) plus 1 % of that many PENDING runs awaiting a retry an
 * hour from now, inserted by bulk SQL (INSERT ... SELECT generate_series) from a template row the API wrote, then
 * VACUUM ANALYZE. Per repetition:
 *
 * <ul>
 *   <li>claim latency: {@code due} due runs are submitted, then claimed {@code workers} at a time straight through
 *       the store's {@code claim}, each call timed; {@code nextDueAt} is timed too;
 *   <li>drain: {@code due} more runs preloaded and executed by a pipeline, runs/s;
 *   <li>submit-to-start latency through a running pipeline at a steady rate.
 * </ul>
 *
 * Run it in a JVM with {@code -Xmx256m}: finishing at all shows the heap stayed under it; the peaks are recorded.
 */
public final class BacklogWorkload {
    private static final String RUN = OursContender.PREFIX + "run";
    private static final String TRIGGER = OursContender.PREFIX + "trigger";

    private BacklogWorkload() {}

    public static Results run(List<Integer> sizes, int reps, int workers, int due, int latencyJobs, int latencyRate) {
        Results results = new Results("backlog");
        results.setting("sizes", sizes);
        results.setting("workers", workers);
        results.setting("dueRunsPerRepetition", due);
        results.setting("repetitions", reps);
        results.setting("maxHeap", String.format("%.0f MiB", HeapWatcher.maxHeapMiB()));
        results.setting("latency", latencyJobs + " orders at " + latencyRate + "/s");
        Pg.ensureDatabase();
        InMemoryDefinitionSource definitions = new InMemoryDefinitionSource();
        definitions.save(
                TestDefinitions.definition("d-checkout", NoOpExecutor.TYPE, ActionLevel.CHECKOUT, "checkout-1"));
        try (HikariDataSource admin = Pg.pool("bench-admin", 2);
                HikariDataSource ds = Pg.pool("pp-node1", workers + 3)) {
            JdbcActionStateStore store = JdbcActionStateStore.builder()
                    .dataSource(ds)
                    .secretCodec(TestCodecs.aesGcm())
                    .dialect(JdbcDialect.POSTGRESQL)
                    .tablePrefix(OursContender.PREFIX)
                    .build();
            OursContender.recreateSchema(admin);
            for (int size : sizes) {
                String label = size >= 1_000_000 ? (size / 1_000_000) + "M" : (size / 1000) + "k";
                long t0 = System.nanoTime();
                fill(admin, store, definitions, size);
                results.add(label + ".fillSeconds", "s", (System.nanoTime() - t0) / 1e9);
                results.add(
                        label + ".tableMiB",
                        "MiB",
                        Pg.queryLong(
                                        admin,
                                        "SELECT pg_total_relation_size('" + RUN + "') + pg_total_relation_size('"
                                                + TRIGGER + "')")
                                / 1048576.0);
                for (int rep = 1; rep <= reps; rep++) {
                    System.out.println(label + " repetition " + rep + " (load " + Machine.loadAverage() + ")");
                    try (HeapWatcher heap = new HeapWatcher()) {
                        claimLatency(label, rep, admin, store, definitions, workers, due, results);
                        drain(label, rep, admin, store, definitions, workers, due, results);
                        latency(label, rep, admin, store, definitions, workers, latencyJobs, latencyRate, results);
                        results.add(label + ".heap.peakUsed", "MiB", heap.peakUsedMiB());
                        results.add(label + ".heap.peakAfterGc", "MiB", heap.peakAfterGcMiB());
                    }
                }
            }
            Pg.execute(admin, "TRUNCATE " + RUN + ", " + TRIGGER);
        }
        return results;
    }

    /** Empties the tables and fills them with {@code size} finished runs (5 % FAILED) and 1 % future retries. */
    private static void fill(
            DataSource admin, JdbcActionStateStore store, InMemoryDefinitionSource definitions, int size) {
        fill(admin, store, definitions, size, 20);
    }

    /**
     * Empties the tables and fills them with {@code size} finished runs, every {@code failEvery}-th FAILED and the
     * others SUCCEEDED, and 1 % of {@code size} PENDING runs awaiting a retry an hour from now.
     */
    static void fill(
            DataSource admin,
            JdbcActionStateStore store,
            InMemoryDefinitionSource definitions,
            int size,
            int failEvery) {
        OursContender.recreateSchema(admin);
        ActionPipeline template = submitter(store, definitions);
        template.submit(TestOrders.paidOrder("template").build());
        template.close();
        int retries = Math.max(1, size / 100);
        String n = String.valueOf(size);
        Map<String, String> triggerValues = Map.of(
                "trigger_key", "'order:h' || g",
                "trigger_id", "'h' || g",
                "order_id", "'h' || g",
                "payload_json", "'{\"id\":\"h' || g || '\"}'",
                "created_at", "now() - g * interval '1 second'",
                "completed_at", "CASE WHEN g % " + failEvery + " = 0 OR g > " + n + " THEN NULL ELSE now() END");
        Map<String, String> runValues = Map.ofEntries(
                Map.entry("id", "md5('h' || g)::uuid::text"),
                Map.entry("trigger_key", "'order:h' || g"),
                Map.entry("trigger_id", "'h' || g"),
                Map.entry(
                        "status",
                        "CASE WHEN g > " + n + " THEN 'PENDING' WHEN g % " + failEvery
                                + " = 0 THEN 'FAILED' ELSE 'SUCCEEDED' END"),
                Map.entry("attempts", "1"),
                Map.entry("total_attempts", "1"),
                Map.entry("next_attempt_at", "CASE WHEN g > " + n + " THEN now() + interval '1 hour' END"),
                Map.entry("last_error", "CASE WHEN g % " + failEvery + " = 0 OR g > " + n + " THEN 'HTTP 503' END"),
                Map.entry("last_status_code", "CASE WHEN g % " + failEvery + " = 0 OR g > " + n + " THEN 503 END"),
                Map.entry("created_at", "now() - g * interval '1 second'"),
                Map.entry("updated_at", "now() - g * interval '1 second'"),
                Map.entry("version", "3"),
                // the template's sealed snapshot is bound to its own run id; copies carry a bare JSON snapshot, the
                // form a run written before sealing has, which reads without decryption
                Map.entry("config_json", "'{}'"));
        Pg.execute(
                admin,
                copyOfTemplate(admin, TRIGGER, "t", triggerValues, size + retries),
                copyOfTemplate(admin, RUN, "r", runValues, size + retries),
                "DELETE FROM " + RUN + " WHERE trigger_id = 'template'",
                "DELETE FROM " + TRIGGER + " WHERE trigger_id = 'template'",
                "VACUUM ANALYZE " + RUN,
                "VACUUM ANALYZE " + TRIGGER);
    }

    /**
     * An INSERT ... SELECT copying the template row of {@code table} {@code rows} times over generate_series(1, rows)
     * as g, with the given column expressions replacing the template's values. Every other column (whatever the
     * schema of the code under test has) is copied from the template, so the statement follows schema changes.
     */
    private static String copyOfTemplate(
            DataSource admin, String table, String alias, Map<String, String> values, int rows) {
        List<String> columns = new ArrayList<>();
        try (Connection c = admin.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT column_name FROM information_schema.columns"
                        + " WHERE table_schema = 'public' AND table_name = ? ORDER BY ordinal_position")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the columns of " + table, e);
        }
        List<String> select = new ArrayList<>();
        for (String column : columns) {
            select.add(values.getOrDefault(column, alias + "." + column));
        }
        return "INSERT INTO " + table + " (" + String.join(", ", columns) + ") SELECT " + String.join(", ", select)
                + " FROM generate_series(1, " + rows + ") g, " + table + " " + alias + " WHERE " + alias
                + ".trigger_id = 'template'";
    }

    static ActionPipeline submitter(JdbcActionStateStore store, InMemoryDefinitionSource definitions) {
        return ActionPipeline.builder()
                .store(store)
                .definitions(definitions)
                .executor(new NoOpExecutor())
                .startWorkers(false)
                .build();
    }

    private static void removeTestRuns(DataSource admin, String prefix) {
        Pg.execute(
                admin,
                "DELETE FROM " + RUN + " WHERE trigger_id LIKE '" + prefix + "%'",
                "DELETE FROM " + TRIGGER + " WHERE trigger_id LIKE '" + prefix + "%'");
    }

    private static void claimLatency(
            String label,
            int rep,
            DataSource admin,
            JdbcActionStateStore store,
            InMemoryDefinitionSource definitions,
            int workers,
            int due,
            Results results) {
        String prefix = "c" + label + rep + "-";
        ActionPipeline submitter = submitter(store, definitions);
        for (int i = 0; i < due; i++) {
            submitter.submit(TestOrders.paidOrder(prefix + i).build());
        }
        submitter.close();
        List<Long> claims = new ArrayList<>();
        int claimed = 0;
        while (true) {
            Instant now = Instant.now();
            long t = System.nanoTime();
            List<ActionRun> runs = store.claim(ClaimRequest.due("bench", workers, Set.of(NoOpExecutor.TYPE), now));
            long took = System.nanoTime() - t;
            if (runs.isEmpty()) {
                break;
            }
            claims.add(took);
            claimed += runs.size();
        }
        long[] nextDue = new long[50];
        for (int i = 0; i < nextDue.length; i++) {
            long t = System.nanoTime();
            store.untilNextDue(Instant.now());
            nextDue[i] = System.nanoTime() - t;
        }
        if (claimed != due) {
            results.note(label + ": claimed " + claimed + " of " + due + " due runs");
        }
        long[] samples = claims.stream().mapToLong(Long::longValue).toArray();
        results.add(label + ".claim.p50", "ms", Stats.percentile(samples, 50) / 1e6);
        results.add(label + ".claim.p99", "ms", Stats.percentile(samples, 99) / 1e6);
        results.add(label + ".nextDueAt.p50", "ms", Stats.percentile(nextDue, 50) / 1e6);
        removeTestRuns(admin, prefix);
    }

    private static void drain(
            String label,
            int rep,
            DataSource admin,
            JdbcActionStateStore store,
            InMemoryDefinitionSource definitions,
            int workers,
            int due,
            Results results) {
        String prefix = "d" + label + rep + "-";
        ActionPipeline submitter = submitter(store, definitions);
        for (int i = 0; i < due; i++) {
            submitter.submit(TestOrders.paidOrder(prefix + i).build());
        }
        submitter.close();
        DrainClock clock = new DrainClock();
        CountDownLatch done = new CountDownLatch(due);
        NoOpExecutor executor = new NoOpExecutor();
        executor.onStart(clock::started);
        ActionPipeline pipeline = ActionPipeline.builder()
                .store(store)
                .definitions(definitions)
                .executor(executor)
                .workers(workers)
                .listener(new PipelineListener() {
                    @Override
                    public void triggerCompleted(TriggerCompletion trigger) {
                        clock.done();
                        done.countDown();
                    }
                })
                .build();
        try {
            if (!done.await(2, TimeUnit.MINUTES)) {
                throw new IllegalStateException("backlog drain did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        pipeline.shutdown(Duration.ofSeconds(10));
        results.add(
                label + ".drain.throughput", "runs/s", due / ((clock.lastDoneNanos() - clock.firstStartNanos()) / 1e9));
        removeTestRuns(admin, prefix);
    }

    private static void latency(
            String label,
            int rep,
            DataSource admin,
            JdbcActionStateStore store,
            InMemoryDefinitionSource definitions,
            int workers,
            int jobs,
            int rate,
            Results results) {
        String prefix = "l" + label + rep + "-";
        StartProbe probe = new StartProbe(jobs);
        NoOpExecutor executor = new NoOpExecutor();
        executor.probe(probe);
        ActionPipeline pipeline = ActionPipeline.builder()
                .store(store)
                .definitions(definitions)
                .executor(executor)
                .workers(workers)
                .build();
        Paced.run(jobs, rate, i -> {
            String id = prefix + i;
            probe.submitting(id);
            pipeline.submit(TestOrders.paidOrder(id).build());
        });
        pipeline.awaitIdle(Duration.ofSeconds(30));
        pipeline.shutdown(Duration.ofSeconds(10));
        results.add(label + ".latency.p50", "ms", probe.percentileMillis(50));
        results.add(label + ".latency.p99", "ms", probe.percentileMillis(99));
        removeTestRuns(admin, prefix);
    }
}
