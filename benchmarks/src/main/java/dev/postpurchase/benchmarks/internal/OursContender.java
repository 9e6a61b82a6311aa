package dev.postpurchase.benchmarks.internal;

import com.zaxxer.hikari.HikariDataSource;
import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.PipelineListener;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.action.TriggerCompletion;
import dev.postpurchase.core.memory.InMemoryDefinitionSource;
import dev.postpurchase.core.spi.ActionStateStore;
import dev.postpurchase.jdbc.JdbcActionStateStore;
import dev.postpurchase.jdbc.JdbcDialect;
import dev.postpurchase.jdbc.JdbcSchema;
import dev.postpurchase.testing.TestCodecs;
import dev.postpurchase.testing.TestDefinitions;
import dev.postpurchase.testing.TestOrders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Our pipeline on the JDBC store: {@code nodes} pipelines in this JVM, each with its own pool and {@code workers}
 * workers, sharing the tables. One no-op action per order (a checkout-level definition), so one run per job. A job
 * is done when its order is COMPLETED (after the run's SUCCEEDED write and the completion check).
 */
public final class OursContender implements Contender {
    static final String PREFIX = "bench_";

    private final DataSource admin;
    private final int nodes;
    private final int workers;
    private final boolean submitFromOtherNode;
    private final InMemoryDefinitionSource definitions = new InMemoryDefinitionSource();
    private final List<ActionPipeline> pipelines = new ArrayList<>();
    private final List<HikariDataSource> pools = new ArrayList<>();
    private @Nullable ActionPipeline submitter;
    private @Nullable Map<String, CountingStore> counting;
    private int batch;

    /**
     * @param submitFromOtherNode in the latency test, submit through a separate submit-only pipeline with its own
     *     pool, so workers learn of new runs from PostgreSQL's notification rather than a local wake-up
     */
    public OursContender(DataSource admin, int nodes, int workers, boolean submitFromOtherNode) {
        this.admin = admin;
        this.nodes = nodes;
        this.workers = workers;
        this.submitFromOtherNode = submitFromOtherNode;
        definitions.save(
                TestDefinitions.definition("d-checkout", NoOpExecutor.TYPE, ActionLevel.CHECKOUT, "checkout-1"));
    }

    @Override
    public String name() {
        return "ours." + nodes + "node" + (submitFromOtherNode ? ".remote-submit" : "");
    }

    @Override
    public String describe() {
        return nodes + " pipeline(s) x " + workers
                + " workers, claimBatch default (64, claimed ahead as the pace needs), pollInterval 1 s (default),"
                + " LISTEN/NOTIFY on, pool of " + (workers + 3) + " per pipeline";
    }

    /** Counts the store calls of the worker pipelines from now on (for the profiling run). */
    public void countStoreCalls() {
        counting = new java.util.LinkedHashMap<>();
    }

    /** The store-call report of each worker pipeline since {@link #countStoreCalls()}, then counting restarts. */
    public String storeCallReport(int jobs) {
        StringBuilder s = new StringBuilder();
        if (counting != null) {
            counting.forEach(
                    (node, store) -> s.append("### ").append(node).append('\n').append(store.report(jobs)));
            counting = new java.util.LinkedHashMap<>();
        }
        return s.toString();
    }

    @Override
    public void reset() {
        recreateSchema(admin);
        batch++;
    }

    /**
     * Drops our tables and migrates them afresh: the benchmark always runs on the schema of the code under test and
     * on empty tables.
     */
    static void recreateSchema(DataSource admin) {
        for (String statement : JdbcSchema.dropStatements(JdbcDialect.POSTGRESQL, PREFIX)) {
            Pg.execute(admin, statement);
        }
        try (HikariDataSource ds = Pg.pool("pp-migrate", 1)) {
            store(ds).migrate();
        }
    }

    private static JdbcActionStateStore store(DataSource ds) {
        return JdbcActionStateStore.builder()
                .dataSource(ds)
                .secretCodec(TestCodecs.aesGcm())
                .dialect(JdbcDialect.POSTGRESQL)
                .tablePrefix(PREFIX)
                .build();
    }

    private ActionPipeline pipeline(DataSource ds, boolean startWorkers, NoOpExecutor executor, String node) {
        return pipeline(ds, startWorkers, executor, node, new PipelineListener() {});
    }

    private ActionPipeline pipeline(
            DataSource ds, boolean startWorkers, NoOpExecutor executor, String node, PipelineListener listener) {
        ActionStateStore store = store(ds);
        if (counting != null && startWorkers) {
            store = counting.computeIfAbsent(node, n -> new CountingStore(store(ds)));
        }
        return ActionPipeline.builder()
                .store(store)
                .definitions(definitions)
                .executor(executor)
                .workers(workers)
                .nodeId(node)
                .startWorkers(startWorkers)
                .listener(listener)
                .build();
    }

    @Override
    public void enqueue(int jobs) {
        try (HikariDataSource ds = Pg.pool("pp-submit", 4)) {
            ActionPipeline p = pipeline(ds, false, new NoOpExecutor(), "submitter");
            Submitters.submitAll(
                    p, jobs, 4, i -> TestOrders.paidOrder("b" + batch + "-" + i).build());
            p.close();
        }
    }

    @Override
    public void start(DrainClock clock) {
        NoOpExecutor executor = new NoOpExecutor();
        executor.onStart(clock::started);
        PipelineListener listener = new PipelineListener() {
            @Override
            public void triggerCompleted(TriggerCompletion trigger) {
                clock.done();
            }
        };
        List<HikariDataSource> nodePools = new ArrayList<>();
        for (int n = 1; n <= nodes; n++) {
            nodePools.add(Pg.pool("pp-node" + n, workers + 3));
        }
        pools.addAll(nodePools);
        for (int n = 0; n < nodes; n++) {
            pipelines.add(pipeline(nodePools.get(n), true, executor, "node-" + (n + 1), listener));
        }
    }

    @Override
    public boolean awaitDone(int jobs, DrainClock clock, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (clock.doneCount() < jobs) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Pg.sleep(2);
        }
        return true;
    }

    @Override
    public void stop() {
        for (ActionPipeline p : pipelines) {
            p.shutdown(Duration.ofSeconds(10));
            p.store().close();
        }
        pipelines.clear();
        if (submitter != null) {
            submitter.close();
            submitter.store().close();
            submitter = null;
        }
        pools.forEach(HikariDataSource::close);
        pools.clear();
    }

    @Override
    public List<String> workerPoolNames() {
        List<String> names = new ArrayList<>();
        for (int n = 1; n <= nodes; n++) {
            names.add("pp-node" + n);
        }
        return names;
    }

    @Override
    public void startForLatency(StartProbe probe) {
        NoOpExecutor executor = new NoOpExecutor();
        executor.probe(probe);
        for (int n = 1; n <= nodes; n++) {
            HikariDataSource ds = Pg.pool("pp-node" + n, workers + 3);
            pools.add(ds);
            pipelines.add(pipeline(ds, true, executor, "node-" + n));
        }
        if (submitFromOtherNode) {
            HikariDataSource ds = Pg.pool("pp-web", 2);
            pools.add(ds);
            submitter = pipeline(ds, false, executor, "web");
        }
        batch++;
    }

    private int latencyCounter;

    @Override
    public void submitOne(String key) {
        ActionPipeline target = submitter != null ? submitter : pipelines.get(latencyCounter++ % pipelines.size());
        target.submit(TestOrders.paidOrder(key).build());
    }
}
