package dev.postpurchase.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.PipelineListener;
import dev.postpurchase.core.StoreException;
import dev.postpurchase.core.SubmitResult;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.AttemptRecord;
import dev.postpurchase.core.action.RunPage;
import dev.postpurchase.core.action.RunQuery;
import dev.postpurchase.core.action.RunState;
import dev.postpurchase.core.action.RunStatus;
import dev.postpurchase.core.action.Trigger;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.memory.InMemoryDefinitionSource;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.ActionStateStore;
import dev.postpurchase.core.spi.AttemptResult;
import dev.postpurchase.core.spi.ClaimRequest;
import dev.postpurchase.core.spi.CreateResult;
import dev.postpurchase.core.spi.DefinitionSource;
import dev.postpurchase.core.spi.RecordedOutcomes;
import dev.postpurchase.core.spi.Requeue;
import dev.postpurchase.testing.RecordingListener;
import dev.postpurchase.testing.TestCodecs;
import dev.postpurchase.testing.TestDefinitions;
import dev.postpurchase.testing.TestOrders;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What the JDBC store promises beyond the contract kit, proved on each dialect by a subclass: migrations, the
 * transactional outbox, field fidelity, index use with a large history, retention batches, claiming across pools,
 * and how SQL failures surface.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractJdbcStoreTest {
    static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    StoreFixture db;
    JdbcActionStateStore store;

    abstract JdbcDialect dialect();

    @BeforeAll
    void openDatabase() {
        db = StoreFixture.open(dialect());
        try (Connection c = db.dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + db.prefix + "orders (id VARCHAR(100) NOT NULL PRIMARY KEY,"
                    + " status VARCHAR(20) NOT NULL)");
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    @AfterAll
    void dropTables() {
        if (db != null) {
            db.close();
        }
    }

    @BeforeEach
    void emptyTables() throws SQLException {
        store = db.freshStore();
        execute("DELETE FROM " + db.prefix + "orders");
    }

    // ---- dialect and schema ------------------------------------------------------------------------------

    @Test
    void theDialectIsDetectedFromTheConnectionMetadata() {
        JdbcActionStateStore detected = JdbcActionStateStore.builder()
                .dataSource(db.dataSource)
                .secretCodec(TestCodecs.aesGcm())
                .tablePrefix(db.prefix)
                .build();

        assertThat(detected.dialect()).isEqualTo(dialect());
        assertThat(detected.tablePrefix()).isEqualTo(db.prefix);
    }

    @Test
    void migratingAgainChangesNothingAndTheVersionIsRecordedOnce() throws SQLException {
        assertThat(store.migrate()).isEqualTo(JdbcSchema.latestVersion());
        assertThat(store.migrate()).isEqualTo(JdbcSchema.latestVersion());

        assertThat(store.installedSchemaVersion()).isEqualTo(JdbcSchema.latestVersion());
        assertThat(queryLong("SELECT COUNT(*) FROM " + db.prefix + "schema_version"))
                .isEqualTo(JdbcSchema.latestVersion());
    }

    @Test
    void severalNodesMigratingAFreshPrefixAtOnceInstallTheSchemaOnce() throws Exception {
        String prefix = TestDatabases.uniquePrefix();
        try {
            List<Integer> versions = race(4, () -> JdbcActionStateStore.builder()
                    .dataSource(db.dataSource)
                    .secretCodec(TestCodecs.aesGcm())
                    .dialect(dialect())
                    .tablePrefix(prefix)
                    .build()
                    .migrate());

            assertThat(versions).containsOnly(JdbcSchema.latestVersion());
            assertThat(queryLong("SELECT COUNT(*) FROM " + prefix + "schema_version"))
                    .isEqualTo(JdbcSchema.latestVersion());
            JdbcActionStateStore other = JdbcActionStateStore.builder()
                    .dataSource(db.dataSource)
                    .secretCodec(TestCodecs.aesGcm())
                    .dialect(dialect())
                    .tablePrefix(prefix)
                    .build();
            ActionRun run = run("migrated", "def-1", T0);
            assertThat(other.create(trigger("migrated"), List.of(run)).created())
                    .isTrue();
            assertThat(other.claim(ClaimRequest.due("n", 5, Set.of("counted"), T0)))
                    .extracting(ActionRun::id)
                    .containsExactly(run.id());
        } finally {
            TestDatabases.dropTables(db.dataSource, prefix);
        }
    }

    @Test
    void theSchemaVersionIsZeroBeforeAnyMigration() {
        JdbcActionStateStore unmigrated = JdbcActionStateStore.builder()
                .dataSource(db.dataSource)
                .secretCodec(TestCodecs.aesGcm())
                .dialect(dialect())
                .tablePrefix(TestDatabases.uniquePrefix())
                .build();

        assertThat(unmigrated.installedSchemaVersion()).isZero();
    }

    @Test
    void aPipelineOnTablesThatAreMissingOrOlderThanTheReleaseFailsAtBuildSayingToMigrate() throws SQLException {
        String prefix = TestDatabases.uniquePrefix();
        JdbcActionStateStore unmigrated = JdbcActionStateStore.builder()
                .dataSource(db.dataSource)
                .secretCodec(TestCodecs.aesGcm())
                .dialect(dialect())
                .tablePrefix(prefix)
                .build();
        try {
            assertThatThrownBy(() -> pipelineOn(unmigrated))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("not installed")
                    .hasMessageContaining("store.migrate()");

            unmigrated.migrate();
            execute("DELETE FROM " + prefix + "schema_version WHERE version > 3");
            assertThatThrownBy(() -> pipelineOn(unmigrated))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("schema version 3")
                    .hasMessageContaining("store.migrate()");

            unmigrated.migrate();
            pipelineOn(unmigrated).close();
        } finally {
            TestDatabases.dropTables(db.dataSource, prefix);
        }
    }

    private static ActionPipeline pipelineOn(JdbcActionStateStore store) {
        return ActionPipeline.builder()
                .store(store)
                .definitions(new InMemoryDefinitionSource())
                .startWorkers(false)
                .build();
    }

    // ---- fidelity --------------------------------------------------------------------------------------------

    @Test
    void everyFieldOfARunAndTriggerSurvivesTheRoundTrip() {
        String bigResult = "licence-✓-".repeat(60_000);
        String payload = "{\"customer\":\"Åsa Öberg – 🎉\",\"notes\":\"" + "x".repeat(300_000) + "\"}";
        ActionDefinition definition = ActionDefinition.builder("webhook")
                .id("def-unicode")
                .name("Kiitos tilauksesta – “quoted” ✓")
                .checkout("checkout-1")
                .configJson("{\"url\":\"https://example.com/hook?ä=1\",\"secret\":\"whsec_abc\"}")
                .build();
        RetryPolicy policy = RetryPolicy.onStatusCodes(Set.of(429, 503), Duration.ofSeconds(30), 3);
        ActionRun created = ActionRun.create(TriggerKind.EVENT, "evt-1", definition, policy, T0);
        Trigger trigger = new Trigger(TriggerKind.EVENT, "evt-1", payload, T0, null);
        ActionRun stored = store.create(trigger, List.of(created)).runs().get(0);

        assertThat(stored.snapshot())
                .usingRecursiveComparison()
                .ignoringFields("createdAt")
                .isEqualTo(created.snapshot());
        ActionRun claimed = store.claim(ClaimRequest.due("node-ä", 1, Set.of("webhook"), T0))
                .get(0);
        RecordedOutcomes retrying = store.recordOutcomes(
                List.of(AttemptResult.retry(claimed, Duration.ZERO, "HTTP 503: \"busy\"\nline two", 503, bigResult)),
                T0);

        assertThat(store.run(created.id()))
                .contains(claimed.with(retrying.states().get(created.id())));
        assertThat(store.run(created.id()).orElseThrow().result()).isEqualTo(bigResult);
        assertThat(store.trigger(TriggerKind.EVENT, "evt-1")).hasValueSatisfying(t -> {
            assertThat(t.payloadJson()).isEqualTo(payload);
            assertThat(t.createdAt()).isEqualTo(stored.createdAt());
        });
        ActionRun again = store.claim(ClaimRequest.due("node-b", 1, Set.of("webhook"), T0))
                .get(0);
        RecordedOutcomes skipped =
                store.recordOutcomes(List.of(AttemptResult.succeeded(again, null, "no content in any language")), T0);
        ActionRun done = again.with(skipped.states().get(created.id()));
        assertThat(store.run(created.id())).contains(done);
        assertThat(done.skipReason()).isEqualTo("no content in any language");
        assertThat(done.result()).isNull();
        assertThat(store.runs(TriggerKind.EVENT, "evt-1")).containsExactly(done);
        assertThat(skipped.completed()).extracting(c -> c.key()).containsExactly("event:evt-1");
    }

    // ---- transactional outbox ----------------------------------------------------------------------------

    @Test
    void runsCreatedInTheCallersTransactionAppearWhenItCommits() throws SQLException {
        ActionRun run = run("outbox-1", "def-1", T0);
        try (Connection c = db.dataSource.getConnection()) {
            c.setAutoCommit(false);
            markPaid(c, "outbox-1");

            CreateResult result = store.createInTransaction(c, trigger("outbox-1"), List.of(run));

            assertThat(result.created()).isTrue();
            assertThat(store.run(run.id())).as("invisible before the commit").isEmpty();
            assertThat(store.untilNextDue(T0)).isEmpty();
            c.commit();
            assertThat(store.run(run.id())).contains(result.runs().get(0));
        }
        assertThat(orderStatus("outbox-1")).isEqualTo("PAID");
    }

    @Test
    void runsCreatedInTheCallersTransactionVanishWhenItRollsBack() throws SQLException {
        ActionRun run = run("outbox-2", "def-1", T0);
        try (Connection c = db.dataSource.getConnection()) {
            c.setAutoCommit(false);
            markPaid(c, "outbox-2");
            assertThat(store.createInTransaction(c, trigger("outbox-2"), List.of(run))
                            .created())
                    .isTrue();
            c.rollback();
            assertThat(c.getAutoCommit())
                    .as("the caller's connection is left as it was")
                    .isFalse();
        }

        assertThat(store.run(run.id())).isEmpty();
        assertThat(store.trigger(TriggerKind.ORDER, "outbox-2")).isEmpty();
        assertThat(orderStatus("outbox-2")).isNull();
        assertThat(store.create(trigger("outbox-2"), List.of(run)).created())
                .as("the order can be submitted again")
                .isTrue();
    }

    @Test
    void aTriggerStoredBeforeIsNotCreatedAgainInTheCallersTransactionWhichStaysUsable() throws SQLException {
        ActionRun run = run("outbox-3", "def-1", T0);
        store.create(trigger("outbox-3"), List.of(run));
        try (Connection c = db.dataSource.getConnection()) {
            c.setAutoCommit(false);

            CreateResult again = store.createInTransaction(c, trigger("outbox-3"), List.of(run("outbox-3", "d2", T0)));

            assertThat(again.created()).isFalse();
            assertThat(again.runs()).extracting(ActionRun::id).containsExactly(run.id());
            markPaid(c, "outbox-3");
            c.commit();
        }
        assertThat(orderStatus("outbox-3")).isEqualTo("PAID");
        assertThat(store.runs(TriggerKind.ORDER, "outbox-3"))
                .extracting(ActionRun::id)
                .containsExactly(run.id());
    }

    @Test
    void aConnectionInAutoCommitModeIsRefusedForTheOutbox() throws SQLException {
        try (Connection c = db.dataSource.getConnection()) {
            c.setAutoCommit(true);
            assertThatThrownBy(() -> store.createInTransaction(c, trigger("outbox-4"), List.of()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("setAutoCommit(false)");
        }
        assertThat(store.trigger(TriggerKind.ORDER, "outbox-4")).isEmpty();
    }

    @Test
    void thePipelineSubmitsAnOrderInsideTheCallersTransactionWhenJoined() throws SQLException {
        InMemoryDefinitionSource definitions = new InMemoryDefinitionSource();
        definitions.save(TestDefinitions.definition("receipt", "counted", ActionLevel.CHECKOUT, "checkout-1"));
        definitions.save(TestDefinitions.definition("grant", "counted", ActionLevel.PRODUCT, "product-1"));
        try (ActionPipeline pipeline =
                countedPipeline(definitions).startWorkers(false).build()) {
            try (Connection c = db.dataSource.getConnection()) {
                c.setAutoCommit(false);
                markPaid(c, "joined-1");
                SubmitResult rolledBack = store.joinTransaction(
                        c,
                        () -> pipeline.submit(TestOrders.paidOrder("joined-1").build()));
                assertThat(rolledBack.created()).isTrue();
                c.rollback();

                assertThat(pipeline.runsOfOrder("joined-1")).isEmpty();

                markPaid(c, "joined-1");
                SubmitResult committed =
                        pipeline.submit(c, TestOrders.paidOrder("joined-1").build());
                assertThat(committed.runs()).hasSize(2);
                assertThat(pipeline.runsOfOrder("joined-1"))
                        .as("not yet committed")
                        .isEmpty();
                c.commit();
            }
            assertThat(pipeline.runsOfOrder("joined-1")).hasSize(2).allSatisfy(r -> assertThat(r.status())
                    .isEqualTo(RunStatus.PENDING));
            assertThat(orderStatus("joined-1")).isEqualTo("PAID");
            assertThat(pipeline.submit(TestOrders.paidOrder("joined-1").build()).created())
                    .as("outside the join the store commits on its own again")
                    .isFalse();
        }
    }

    @Test
    void listenersHearOfWhatIsSubmittedInTheCallersTransactionOnlyOnceItCommitsAndNeverAfterARollback()
            throws Exception {
        InMemoryDefinitionSource definitions = new InMemoryDefinitionSource();
        definitions.save(TestDefinitions.definition("receipt", "counted", ActionLevel.CHECKOUT, "checkout-1"));
        definitions.save(TestDefinitions.definition("grant", "counted", ActionLevel.PRODUCT, "product-1"));
        RecordingListener heard = new RecordingListener();
        try (ActionPipeline pipeline = countedPipeline(definitions)
                .workers(2)
                .pollInterval(Duration.ofMillis(100))
                .listener(heard)
                .build()) {
            SubmitResult withRuns;
            try (Connection c = db.dataSource.getConnection()) {
                c.setAutoCommit(false);
                markPaid(c, "heard-rolled-back");
                pipeline.submit(c, TestOrders.paidOrder("heard-rolled-back").build());
                c.rollback();

                markPaid(c, "heard-1");
                withRuns = pipeline.submit(c, TestOrders.paidOrder("heard-1").build());
                // no definition for this checkout: no runs, so the order is complete as soon as it is written
                markPaid(c, "heard-none");
                pipeline.submit(
                        c,
                        TestOrders.singleItemOrder("heard-none", "product-9")
                                .checkoutId("checkout-2")
                                .build());
                Thread.sleep(300); // three poll intervals: the workers look, and find nothing committed
                assertThat(heard.events())
                        .as("nothing is reported before the commit")
                        .isEmpty();
                c.commit();
            }

            assertThat(heard.awaitCompletions(2, Duration.ofSeconds(10))).isTrue();
            assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();
            List<String> events = heard.events();
            assertThat(events)
                    .filteredOn(e -> e.startsWith("heard-rolled-back"))
                    .isEmpty();
            assertThat(events)
                    .filteredOn(e -> e.endsWith("completed"))
                    .containsExactlyInAnyOrder("heard-1 completed", "heard-none completed");
            assertThat(withRuns.runs()).hasSize(2).allSatisfy(run -> {
                List<String> about =
                        events.stream().filter(e -> e.contains(run.id())).toList();
                // the claim's report and the outcome's come from two threads and may interleave (see
                // PipelineListener); the creation's comes before both
                assertThat(about)
                        .as("run %s is reported created first, then claimed and done", run.id())
                        .startsWith("heard-1 " + run.id() + " PENDING")
                        .containsExactlyInAnyOrder(
                                "heard-1 " + run.id() + " PENDING",
                                "heard-1 " + run.id() + " RUNNING",
                                "heard-1 " + run.id() + " SUCCEEDED");
            });
        }
    }

    @Test
    void anOrderRolledBackAndThenSubmittedAgainIsReportedOnceWhetherTheSecondSubmitJoinsATransactionOrNot()
            throws Exception {
        InMemoryDefinitionSource definitions = new InMemoryDefinitionSource();
        definitions.save(TestDefinitions.definition("receipt", "counted", ActionLevel.CHECKOUT, "checkout-1"));
        RecordingListener heard = new RecordingListener();
        try (ActionPipeline pipeline = countedPipeline(definitions)
                .workers(2)
                .pollInterval(Duration.ofMillis(50))
                .listener(heard)
                .build()) {
            try (Connection c = db.dataSource.getConnection()) {
                c.setAutoCommit(false);
                pipeline.submit(c, TestOrders.paidOrder("again-joined").build());
                pipeline.submit(c, TestOrders.paidOrder("again-plain").build());
                c.rollback();
                pipeline.submit(c, TestOrders.paidOrder("again-joined").build());
                c.commit();
            }
            pipeline.submit(TestOrders.paidOrder("again-plain").build());

            assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();
            Thread.sleep(500); // the rolled-back submits' read-back checks come due meanwhile
            for (String order : List.of("again-joined", "again-plain")) {
                assertThat(heard.events())
                        .as(order)
                        .filteredOn(e -> e.startsWith(order + " "))
                        .map(e -> e.replaceAll(" [0-9a-f-]{36} ", " "))
                        .containsExactlyInAnyOrder(
                                order + " PENDING", order + " RUNNING", order + " SUCCEEDED", order + " completed");
            }
        }
    }

    @Test
    void aRetryBroughtForwardInTheCallersTransactionIsReportedOnlyIfItCommits() throws Exception {
        List<ActionRun> heard = java.util.Collections.synchronizedList(new ArrayList<>());
        store.create(trigger("forward-1"), List.of(run("forward-1", "def-1", T0)));
        store.create(trigger("forward-2"), List.of(run("forward-2", "def-1", T0)));
        for (ActionRun claimed : store.claim(ClaimRequest.due("node", 2, Set.of("counted"), T0))) {
            store.recordOutcomes(List.of(AttemptResult.retry(claimed, Duration.ofHours(1), "later", null, null)), T0);
        }
        try (ActionPipeline pipeline = countedPipeline(new InMemoryDefinitionSource())
                .startWorkers(false)
                .pollInterval(Duration.ofMillis(50))
                .listener(new PipelineListener() {
                    @Override
                    public void runChanged(ActionRun run) {
                        heard.add(run);
                    }
                })
                .build()) {
            String rolledBack = pipeline.runsOfOrder("forward-1").get(0).id();
            String committed = pipeline.runsOfOrder("forward-2").get(0).id();
            try (Connection c = db.dataSource.getConnection()) {
                c.setAutoCommit(false);
                store.joinTransaction(c, () -> pipeline.retryNow(rolledBack));
                c.rollback();
                ActionRun due = store.joinTransaction(c, () -> pipeline.retryNow(committed));
                assertThat(heard).as("nothing before the commit").isEmpty();
                c.commit();

                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (heard.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                Thread.sleep(500); // the rolled-back change's read-back checks come due meanwhile
                assertThat(heard).singleElement().satisfies(run -> {
                    assertThat(run.id()).isEqualTo(committed);
                    assertThat(run.version()).isEqualTo(due.version());
                });
            }
        }
    }

    @Test
    void aRetryRolledBackAndThenBroughtForwardAgainIsReportedOnceBeforeItsClaimAndExecution() throws Exception {
        store.create(trigger("forward-again"), List.of(run("forward-again", "def-1", T0)));
        ActionRun claimed =
                store.claim(ClaimRequest.due("node", 1, Set.of("counted"), T0)).get(0);
        store.recordOutcomes(List.of(AttemptResult.retry(claimed, Duration.ofHours(1), "later", null, null)), T0);
        RecordingListener heard = new RecordingListener();
        try (ActionPipeline pipeline = countedPipeline(new InMemoryDefinitionSource())
                .workers(1)
                .pollInterval(Duration.ofMillis(50))
                .listener(heard)
                .build()) {
            try (Connection c = db.dataSource.getConnection()) {
                c.setAutoCommit(false);
                store.joinTransaction(c, () -> pipeline.retryNow(claimed.id()));
                c.rollback();
            }
            // committed on its own: the claim that follows writes the version after this one, which the rolled-back
            // change would take for proof of its own commit
            pipeline.retryNow(claimed.id());

            assertThat(heard.awaitCompletions(1, Duration.ofSeconds(10))).isTrue();
            Thread.sleep(500); // the rolled-back change's read-back checks come due meanwhile
            assertThat(heard.about("forward-again"))
                    .map(e -> e.replace(claimed.id() + " ", ""))
                    .containsExactlyInAnyOrder(
                            "forward-again PENDING",
                            "forward-again RUNNING",
                            "forward-again SUCCEEDED",
                            "forward-again completed");
        }
    }

    @Test
    void aNodeReadsAnOrderOnceForAllItsRunsThoughItClaimsThemOneAtATime() throws Exception {
        InMemoryDefinitionSource definitions = new InMemoryDefinitionSource();
        definitions.save(TestDefinitions.definition("receipt", "counted", ActionLevel.CHECKOUT, "checkout-1"));
        definitions.save(TestDefinitions.definition("grant", "counted", ActionLevel.OFFER, "offer-1"));
        definitions.save(TestDefinitions.definition("tag", "counted", ActionLevel.PRODUCT, "product-1"));
        CountingExecutor executor = new CountingExecutor(
                "counted", true, "n", CountingExecutor.newCounts(), new ConcurrentHashMap<>(), null);
        try (ActionPipeline submitter = ActionPipeline.builder()
                .store(store)
                .definitions(definitions)
                .executor(executor)
                .startWorkers(false)
                .build()) {
            assertThat(submitter
                            .submit(TestOrders.paidOrder("read-once").build())
                            .runs())
                    .hasSize(3);
        }
        // another node: it did not submit the order, so it must read it from the store
        List<String> triggersRead = java.util.Collections.synchronizedList(new ArrayList<>());
        ActionStateStore counting = (ActionStateStore) java.lang.reflect.Proxy.newProxyInstance(
                ActionStateStore.class.getClassLoader(), new Class<?>[] {ActionStateStore.class}, (proxy, m, args) -> {
                    if (m.getName().equals("triggersOf")) {
                        ((java.util.Collection<?>) args[0])
                                .forEach(r -> triggersRead.add(((ActionRun) r).triggerKey()));
                    } else if (m.getName().equals("trigger")) {
                        triggersRead.add(Trigger.key((TriggerKind) args[0], (String) args[1]));
                    }
                    try {
                        return m.invoke(store, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        try (ActionPipeline node = ActionPipeline.builder()
                .store(counting)
                .definitions(definitions)
                .executor(executor)
                .workers(1)
                .claimBatch(1)
                .build()) {
            assertThat(node.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(node.progressOfOrder("read-once").completed()).isTrue();
        }
        assertThat(triggersRead).filteredOn("order:read-once"::equals).hasSize(1);
    }

    @Test
    void aNulCharacterInARecordedReasonResultOrExcerptIsKeptAsAReplacementCharacter() {
        ActionRun invalid = run("nul-created", "def-1", T0);
        invalid = invalid.with(RunState.failedAtCreation("the config is invalid: url 'x\u0000y'", T0));
        store.create(trigger("nul-created"), List.of(invalid));
        ActionRun pending = run("nul-attempted", "def-1", T0);
        store.create(trigger("nul-attempted"), List.of(pending));
        ActionRun claimed = store.claim(ClaimRequest.due("n", 1, Set.of(pending.type()), T0))
                .get(0);
        AttemptResult failed = AttemptResult.failed(claimed, "peer said \u0000", 500, "partial\u0000")
                .withAttempt(new AttemptRecord(T0, 5, AttemptRecord.Outcome.FAILED, 500, "peer said \u0000", "n"));

        RecordedOutcomes recorded = store.recordOutcomes(List.of(failed), T0);

        assertThat(store.run(invalid.id()).orElseThrow().lastError())
                .isEqualTo("the config is invalid: url 'x\uFFFDy'");
        assertThat(recorded.states()).containsOnlyKeys(claimed.id());
        ActionRun stored = store.run(claimed.id()).orElseThrow();
        assertThat(stored.lastError()).isEqualTo("peer said \uFFFD");
        assertThat(stored.result()).isEqualTo("partial\uFFFD");
        assertThat(store.attemptsOf(claimed.id()))
                .extracting(AttemptRecord::excerpt)
                .containsExactly("peer said \uFFFD");
    }

    // ---- claiming ------------------------------------------------------------------------------------------

    @Test
    void claimingStaysCorrectAndIndexedWithTwentyThousandFinishedRuns() throws SQLException {
        List<ActionRun> history = new ArrayList<>();
        Instant past = T0.minus(Duration.ofDays(30));
        for (int i = 0; i < 20_000; i++) {
            ActionRun created = run("history", "def-" + i, past);
            history.add(created.with(
                    i % 10 == 0 ? RunState.failedAtCreation("gone", past) : succeededState(created.state(), past)));
        }
        store.create(trigger("history"), history);
        store.create(trigger("future"), List.of(run("future", "def-1", T0)));
        ActionRun future =
                store.claim(ClaimRequest.due("node", 1, Set.of("counted"), T0)).get(0);
        store.recordOutcomes(List.of(AttemptResult.retry(future, Duration.ofHours(1), "later", null, null)), T0);
        List<ActionRun> due = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ActionRun run = run("due-" + i, "def-1", T0);
            store.create(trigger("due-" + i), List.of(run));
            due.add(run);
        }
        analyze();

        assertThat(explainClaim()).containsIgnoringCase(db.prefix + "run_due_idx");
        assertThat(store.claim(ClaimRequest.due("node", 10, Set.of("counted"), T0)))
                .extracting(ActionRun::id)
                .containsExactlyInAnyOrderElementsOf(
                        due.stream().map(ActionRun::id).toList());
        assertThat(store.untilNextDue(T0))
                .hasValueSatisfying(d -> assertThat(d).isBetween(Duration.ofMinutes(59), Duration.ofMinutes(61)));
    }

    @Test
    void failedRunsArePagedThroughAnIndexWithTwentyThousandSucceededRuns() throws SQLException {
        List<ActionRun> history = new ArrayList<>();
        Instant past = T0.minus(Duration.ofDays(30));
        for (int i = 0; i < 20_000; i++) {
            ActionRun created = run("staff-history", "def-" + i, past);
            history.add(created.with(
                    i % 1000 == 0 ? RunState.failedAtCreation("gone", past) : succeededState(created.state(), past)));
        }
        store.create(trigger("staff-history"), history);
        analyze();

        assertThat(explainFailedRuns()).containsIgnoringCase(db.prefix + failedRunsIndex());
        List<String> seen = new ArrayList<>();
        RunQuery query =
                RunQuery.builder().status(RunQuery.Status.FAILED).limit(7).build();
        RunPage page;
        do {
            page = store.findRuns(query);
            seen.addAll(page.runs().stream().map(ActionRun::id).toList());
            query = query.after(page.next());
        } while (page.next() != null);
        assertThat(seen).hasSize(20).doesNotHaveDuplicates().allSatisfy(id -> assertThat(
                        store.run(id).orElseThrow().status())
                .isEqualTo(RunStatus.FAILED));
        assertThat(store.countRuns(Duration.ofMinutes(5), T0).failed()).isEqualTo(20);
    }

    @Test
    void storesOnSeparatePoolsClaimingAtOnceNeverShareARun() throws Exception {
        int runCount = 240;
        List<ActionRun> runs = new ArrayList<>();
        for (int i = 0; i < runCount; i++) {
            runs.add(run("pools", "def-" + i, T0.minusSeconds(i % 7)));
        }
        store.create(trigger("pools"), runs);
        List<HikariDataSource> pools = new ArrayList<>();
        try {
            List<JdbcActionStateStore> nodes = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                HikariDataSource pool = db.separatePool("node-" + i, 2);
                pools.add(pool);
                nodes.add(db.storeOn(pool));
            }
            Map<String, String> ownerByRun = new ConcurrentHashMap<>();
            AtomicInteger duplicates = new AtomicInteger();
            AtomicInteger next = new AtomicInteger();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            race(4, () -> {
                int n = next.getAndIncrement();
                JdbcActionStateStore node = nodes.get(n);
                int claimed = 0;
                while (ownerByRun.size() < runCount && System.nanoTime() < deadline) {
                    for (ActionRun r : node.claim(ClaimRequest.due("node-" + n, 7, Set.of("counted"), T0))) {
                        claimed++;
                        if (ownerByRun.putIfAbsent(r.id(), r.owner()) != null) {
                            duplicates.incrementAndGet();
                        }
                    }
                }
                return claimed;
            });

            assertThat(duplicates).hasValue(0);
            assertThat(ownerByRun).hasSize(runCount);
            assertThat(store.runs(TriggerKind.ORDER, "pools"))
                    .allSatisfy(r -> assertThat(r.owner()).isEqualTo(ownerByRun.get(r.id())));
        } finally {
            pools.forEach(HikariDataSource::close);
        }
    }

    // ---- retention -----------------------------------------------------------------------------------------

    @Test
    void retentionDeletesOldFinishedTriggersInBoundedBatchesAndKeepsReRunOnes() {
        for (int i = 0; i < 25; i++) {
            finish(run(String.format("old-%02d", i), "def-1", T0));
        }
        ActionRun failed = finish(run("rerun", "def-1", T0));
        ActionRun rerun = store.requeue(new Requeue(failed, null, false), T0).orElseThrow();

        Instant cutoff = Instant.now().plus(Duration.ofMinutes(1));
        List<Integer> batches = new ArrayList<>();
        int deleted;
        do {
            deleted = store.deleteFinishedBefore(cutoff, 10);
            batches.add(deleted);
        } while (deleted > 0);

        assertThat(batches).as("triggers and runs deleted per batch").containsExactly(20, 20, 10, 0);
        assertThat(store.run(rerun.id())).contains(rerun);
        assertThat(store.trigger(TriggerKind.ORDER, "rerun")).isPresent();
        assertThat(store.trigger(TriggerKind.ORDER, "old-00")).isEmpty();
    }

    // ---- failures ------------------------------------------------------------------------------------------

    @Test
    void sqlFailuresBecomeStoreExceptionsNamingTheOperationAndSqlState() {
        JdbcActionStateStore noTables = JdbcActionStateStore.builder()
                .dataSource(db.dataSource)
                .secretCodec(TestCodecs.aesGcm())
                .dialect(dialect())
                .tablePrefix(TestDatabases.uniquePrefix())
                .build();

        assertThatThrownBy(() -> noTables.run("run-1"))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("reading run run-1 failed (SQLState ")
                .hasCauseInstanceOf(SQLException.class);
    }

    @Test
    void anUnreachableDatabaseIsAStoreExceptionWithoutTheCredentials() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(unreachableUrl());
        config.setUsername("someone");
        config.setPassword("hunter2-secret");
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(250);
        try (HikariDataSource unreachable = new HikariDataSource(config)) {
            JdbcActionStateStore down = JdbcActionStateStore.builder()
                    .dataSource(unreachable)
                    .secretCodec(TestCodecs.aesGcm())
                    .dialect(dialect())
                    .build();

            assertThatThrownBy(() -> down.claim(ClaimRequest.due("n", 5, Set.of("counted"), T0)))
                    .isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("claiming runs failed (SQLState ")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
        }
    }

    /** A URL of this dialect on which nothing answers. */
    abstract String unreachableUrl();

    /** The plan of the claim query, as text. */
    String explainClaim() throws SQLException {
        return explain(
                "SELECT id FROM " + db.prefix + "run WHERE status = 'PENDING'"
                        + " AND next_attempt_at <= ? AND action_type IN ('counted') ORDER BY next_attempt_at, id LIMIT 10",
                T0);
    }

    /** The plan of the staff page's query for failed runs (as {@code findRuns} issues it), as text. */
    String explainFailedRuns() throws SQLException {
        return explain(
                "SELECT id FROM " + db.prefix + "run WHERE (status = 'FAILED') AND (created_at < ? OR (created_at = ?"
                        + " AND id < 'zzz')) ORDER BY created_at DESC, id DESC LIMIT 51",
                T0.plusSeconds(3600),
                T0.plusSeconds(3600));
    }

    /** The index through which this database finds failed runs newest first. */
    abstract String failedRunsIndex();

    private String explain(String query, Instant... times) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (Connection c = db.dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("EXPLAIN " + query)) {
            for (int i = 0; i < times.length; i++) {
                bindTime(ps, i + 1, times[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int i = 1; i <= columns; i++) {
                        plan.append(rs.getString(i)).append(' ');
                    }
                    plan.append('\n');
                }
            }
        }
        return plan.toString();
    }

    abstract void bindTime(PreparedStatement ps, int index, Instant value) throws SQLException;

    /** Refreshes the planner's statistics. */
    abstract void analyze() throws SQLException;

    // ---- helpers -------------------------------------------------------------------------------------------

    static ActionRun run(String triggerId, String definitionId, Instant dueAt) {
        ActionDefinition definition = ActionDefinition.builder("counted")
                .id(definitionId)
                .name("Definition " + definitionId)
                .checkout("checkout-1")
                .configJson("{}")
                .build();
        return ActionRun.create(
                TriggerKind.ORDER, triggerId, definition, RetryPolicy.fixed(Duration.ofMinutes(1), 2), dueAt);
    }

    static Trigger trigger(String id) {
        return new Trigger(TriggerKind.ORDER, id, "{\"id\":\"" + id + "\"}", T0, null);
    }

    /** Creates the run's trigger and takes the run to FAILED. */
    ActionRun finish(ActionRun run) {
        store.create(trigger(run.triggerId()), List.of(run));
        ActionRun claimed =
                store.claim(ClaimRequest.due("n", 1, Set.of(run.type()), T0)).get(0);
        RecordedOutcomes failed = store.recordOutcomes(List.of(AttemptResult.failed(claimed, "gone", 410, null)), T0);
        return claimed.with(failed.states().get(claimed.id()));
    }

    /** A state as if the run had succeeded at {@code at}. */
    static RunState succeededState(RunState s, Instant at) {
        return new RunState(RunStatus.SUCCEEDED, 2, 1, 1, null, null, null, null, null, null, null, 0, 0, at);
    }

    /** A pipeline builder on this store with {@code definitions} and an executor of the type "counted". */
    ActionPipeline.Builder countedPipeline(DefinitionSource definitions) {
        return ActionPipeline.builder()
                .store(store)
                .definitions(definitions)
                .executor(new CountingExecutor(
                        "counted", true, "n", CountingExecutor.newCounts(), new ConcurrentHashMap<>(), null));
    }

    void markPaid(Connection c, String orderId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO " + db.prefix + "orders (id, status) VALUES (?, 'PAID')")) {
            ps.setString(1, orderId);
            ps.executeUpdate();
        }
    }

    String orderStatus(String orderId) throws SQLException {
        try (Connection c = db.dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT status FROM " + db.prefix + "orders WHERE id = ?")) {
            ps.setString(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    void execute(String sql) throws SQLException {
        execute(db.dataSource, sql);
    }

    static void execute(DataSource dataSource, String sql) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    long queryLong(String sql) throws SQLException {
        try (Connection c = db.dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static <T> List<T> race(int threads, java.util.concurrent.Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
