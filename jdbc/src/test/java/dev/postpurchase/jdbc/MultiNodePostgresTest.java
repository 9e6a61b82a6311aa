package dev.postpurchase.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.PipelineListener;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.RerunOptions;
import dev.postpurchase.core.action.RunStatus;
import dev.postpurchase.core.action.Trigger;
import dev.postpurchase.core.action.TriggerCompletion;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.memory.InMemoryDefinitionSource;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.ActionExecutor;
import dev.postpurchase.core.spi.ExecutionOutcome;
import dev.postpurchase.testing.ScriptedExecutor;
import dev.postpurchase.testing.TestDefinitions;
import dev.postpurchase.testing.TestOrders;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several pipelines in this JVM, each with its own connection pool and store, share one PostgreSQL database like
 * separate application nodes: every run executes exactly once, and a node that dies mid-run leaves its idempotent
 * runs to the others.
 */
class MultiNodePostgresTest {
    private static StoreFixture db;

    private final ConcurrentMap<String, AtomicInteger> counts = CountingExecutor.newCounts();
    private final ConcurrentMap<String, String> lastNode = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, AtomicInteger> completions = new ConcurrentHashMap<>();
    private final InMemoryDefinitionSource definitions = new InMemoryDefinitionSource();
    private final List<Node> nodes = new ArrayList<>();

    /** One application node: its pool, store, pipeline and executors. */
    private record Node(
            String name,
            HikariDataSource pool,
            KillableDataSource dataSource,
            JdbcActionStateStore store,
            ActionPipeline pipeline,
            CountingExecutor counted,
            CountingExecutor once) {

        void kill() {
            dataSource.kill();
            try (Connection c = db.dataSource.getConnection();
                    Statement s = c.createStatement()) {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '" + name
                        + "'");
            } catch (SQLException e) {
                throw new AssertionError(e);
            }
        }

        void stop() {
            pipeline.shutdown(Duration.ofSeconds(2));
            store.close();
            pool.close();
        }
    }

    @BeforeAll
    static void openDatabase() {
        db = StoreFixture.open(JdbcDialect.POSTGRESQL);
    }

    @AfterAll
    static void dropTables() {
        if (db != null) {
            db.close();
        }
    }

    @BeforeEach
    void emptyTables() {
        db.freshStore();
        definitions.save(TestDefinitions.definition("receipt", "counted", ActionLevel.CHECKOUT, "checkout-1"));
    }

    @AfterEach
    void stopNodes() {
        nodes.forEach(Node::stop);
    }

    @Test
    void everyRunExecutesExactlyOnceAcrossThreeNodesAndEachOrderCompletesOnce() throws Exception {
        definitions.save(TestDefinitions.definition("grant", "counted", ActionLevel.PRODUCT, "product-1"));
        for (String name : List.of("node-a", "node-b", "node-c")) {
            start(name, Duration.ofSeconds(30), null);
        }
        int orders = 150;
        ExecutorService submitters = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> submitted = new ArrayList<>();
            for (int n = 0; n < 3; n++) {
                ActionPipeline pipeline = nodes.get(n).pipeline();
                submitted.add(submitters.submit(() -> {
                    for (int i = 0; i < orders; i++) {
                        // every node submits every order: the store creates each once
                        pipeline.submit(TestOrders.paidOrder("order-" + i).build());
                    }
                }));
            }
            for (Future<?> f : submitted) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            submitters.shutdownNow();
        }

        await(() -> countRuns("status = 'SUCCEEDED'") == 2L * orders, Duration.ofSeconds(45));

        assertThat(counts).hasSize(2 * orders);
        assertThat(counts.values()).allSatisfy(c -> assertThat(c).hasValue(1));
        await(() -> completions.size() == orders, Duration.ofSeconds(10));
        assertThat(completions.values()).allSatisfy(c -> assertThat(c).hasValue(1));
        int total = nodes.stream().mapToInt(n -> n.counted().started()).sum();
        assertThat(total).isEqualTo(2 * orders);
        System.out.println("executions per node: "
                + nodes.stream()
                        .map(n -> n.name() + "=" + n.counted().started())
                        .toList());
    }

    @Test
    void nodesWhoseClocksDisagreeByFourMinutesStillRunEveryActionExactlyOnceAndLeaveNothingStuck() throws Exception {
        definitions.save(TestDefinitions.definition("grant", "counted", ActionLevel.PRODUCT, "product-1"));
        Duration lease = Duration.ofSeconds(2);
        Duration work = Duration.ofMillis(150); // long enough for a node judging by its own clock to steal leases
        Map<String, Duration> skews = Map.of(
                "node-behind",
                Duration.ofMinutes(-2),
                "node-exact",
                Duration.ZERO,
                "node-ahead",
                Duration.ofMinutes(2));
        skews.forEach((name, skew) -> start(name, lease, null, Clock.offset(Clock.systemUTC(), skew), work));
        int orders = 40;
        for (int i = 0; i < orders; i++) {
            nodes.get(i % nodes.size())
                    .pipeline()
                    .submit(TestOrders.paidOrder("skew-" + i).build());
        }

        await(() -> countRuns("status = 'SUCCEEDED'") == 2L * orders, Duration.ofSeconds(60));

        assertThat(counts).hasSize(2 * orders);
        assertThat(counts.values()).as("no lease was stolen").allSatisfy(c -> assertThat(c)
                .hasValue(1));
        await(() -> completions.size() == orders, Duration.ofSeconds(10));
        assertThat(completions.values()).allSatisfy(c -> assertThat(c).hasValue(1));
        assertThat(countRuns("total_attempts <> 1")).isZero();
        System.out.println("executions per node with skewed clocks: "
                + nodes.stream()
                        .map(n -> n.name() + "=" + n.counted().started())
                        .toList());
    }

    @Test
    void runsAndRetriesAreDueByTheDatabaseClockSoANodeBehindTakesWhatANodeAheadCreated() throws Exception {
        definitions.save(TestDefinitions.definition("flaky", "flaky", ActionLevel.PRODUCT, "product-1"));
        ScriptedExecutor flaky = new ScriptedExecutor("flaky", true, RetryPolicy.fixed(Duration.ofSeconds(1), 2))
                .thenReturn(ExecutionOutcome.retry("first attempt fails"), ExecutionOutcome.succeeded());
        Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(2));
        ActionPipeline submitter = ActionPipeline.builder()
                .store(db.newStore())
                .definitions(definitions)
                .executor(flaky)
                .executor(new CountingExecutor("counted", true, "web", counts, lastNode, null, Duration.ZERO))
                .clock(ahead)
                .startWorkers(false)
                .build();
        List<ActionRun> created =
                submitter.submit(TestOrders.paidOrder("skew-retry").build()).runs();
        for (ActionRun run : created) {
            assertThat(Duration.between(dbNow(), run.nextAttemptAt()))
                    .as("due now by the database's clock, not two minutes ahead")
                    .isLessThan(Duration.ofSeconds(5));
        }
        String runId = created.stream()
                .filter(r -> r.type().equals("flaky"))
                .findFirst()
                .orElseThrow()
                .id();

        Node behind = start(
                "node-behind",
                Duration.ofSeconds(5),
                null,
                Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-2)),
                Duration.ZERO,
                flaky);

        await(() -> behind.store().run(runId).orElseThrow().awaitingRetry(), Duration.ofSeconds(15));
        ActionRun waiting = behind.store().run(runId).orElseThrow();
        assertThat(Duration.between(dbNow(), waiting.nextAttemptAt()))
                .as("retry due a second after the failure by the database's clock")
                .isLessThan(Duration.ofSeconds(5));
        await(() -> behind.store().run(runId).orElseThrow().status() == RunStatus.SUCCEEDED, Duration.ofSeconds(15));
        assertThat(flaky.calls()).isEqualTo(2);
        await(() -> completions.containsKey("order:skew-retry"), Duration.ofSeconds(10));
    }

    @Test
    void idempotentRunsOfANodeThatDiesMidRunAreRecoveredByTheOthersAndTheRestWaitForAForcedReRun() throws Exception {
        definitions.save(TestDefinitions.definition("license", "once", ActionLevel.PRODUCT, "product-1"));
        CountDownLatch hang = new CountDownLatch(1);
        Duration lease = Duration.ofMillis(1500);
        Node dying = start("node-dying", lease, hang);
        for (int i = 0; i < 4; i++) {
            dying.pipeline().submit(TestOrders.paidOrder("crash-" + i).build());
        }
        await(() -> dying.counted().started() + dying.once().started() == 8, Duration.ofSeconds(15));
        assertThat(countRuns("status = 'RUNNING' AND owner_id = 'node-dying'")).isEqualTo(8);

        dying.kill();
        Node b = start("node-b", lease, null);
        start("node-c", lease, null);

        await(() -> countRuns("status = 'SUCCEEDED'") == 4, Duration.ofSeconds(20));
        List<ActionRun> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            runs.addAll(b.pipeline().runsOfOrder("crash-" + i));
        }
        for (ActionRun run : runs) {
            if (run.type().equals("counted")) {
                assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
                assertThat(run.totalAttempts()).isEqualTo(2);
                assertThat(counts.get(run.id()))
                        .as("once on the dead node, once on a survivor")
                        .hasValue(2);
                assertThat(lastNode.get(run.id())).isIn("node-b", "node-c");
            } else {
                assertThat(run.status()).isEqualTo(RunStatus.RUNNING);
                assertThat(run.owner()).isEqualTo("node-dying");
                assertThat(counts.get(run.id())).hasValue(1);
            }
        }
        List<String> stale =
                b.pipeline().staleRuns().stream().map(ActionRun::id).toList();
        List<String> notIdempotent = runs.stream()
                .filter(r -> r.type().equals("once"))
                .map(ActionRun::id)
                .toList();
        assertThat(stale).containsExactlyInAnyOrderElementsOf(notIdempotent);

        ActionRun forced =
                b.pipeline().rerun(notIdempotent.get(0), RerunOptions.defaults().force(true));
        await(
                () -> b.pipeline().run(forced.id()).orElseThrow().status() == RunStatus.SUCCEEDED,
                Duration.ofSeconds(10));
        String forcedOrder = forced.triggerId();
        await(() -> completions.containsKey(Trigger.key(TriggerKind.ORDER, forcedOrder)), Duration.ofSeconds(10));

        hang.countDown();
        dying.pipeline().shutdown(Duration.ofSeconds(2));
        for (ActionRun run : runs) {
            if (run.type().equals("counted")) {
                assertThat(b.pipeline().run(run.id()).orElseThrow().status())
                        .as("the dead node's late outcome is discarded")
                        .isEqualTo(RunStatus.SUCCEEDED);
            }
        }
    }

    private Node start(String name, Duration lease, @Nullable CountDownLatch hang) {
        return start(name, lease, hang, Clock.systemUTC(), Duration.ZERO);
    }

    private Node start(
            String name,
            Duration lease,
            @Nullable CountDownLatch hang,
            Clock clock,
            Duration work,
            ActionExecutor<?>... extra) {
        HikariDataSource pool = db.separatePoolNamed(name, 6);
        KillableDataSource dataSource = new KillableDataSource(pool);
        JdbcActionStateStore store = db.storeOn(dataSource);
        CountingExecutor counted = new CountingExecutor("counted", true, name, counts, lastNode, hang, work);
        CountingExecutor once = new CountingExecutor("once", false, name, counts, lastNode, hang, work);
        ActionPipeline pipeline = ActionPipeline.builder()
                .store(store)
                .definitions(definitions)
                .executor(counted)
                .executor(once)
                .executors(List.of(extra))
                .clock(clock)
                .nodeId(name)
                .workers(8)
                .leaseDuration(lease)
                .pollInterval(Duration.ofMillis(250))
                .listener(new PipelineListener() {
                    @Override
                    public void triggerCompleted(TriggerCompletion completion) {
                        completions
                                .computeIfAbsent(completion.key(), k -> new AtomicInteger())
                                .incrementAndGet();
                    }
                })
                .build();
        Node node = new Node(name, pool, dataSource, store, pipeline, counted, once);
        nodes.add(node);
        return node;
    }

    private static Instant dbNow() {
        try (Connection c = db.dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT now()")) {
            rs.next();
            return rs.getObject(1, java.time.OffsetDateTime.class).toInstant();
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static long countRuns(String condition) {
        try (Connection c = db.dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + db.prefix + "run WHERE " + condition)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(20);
        }
    }
}
