package dev.postpurchase.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.ConflictException;
import dev.postpurchase.core.IntegrationNotEnabledException;
import dev.postpurchase.core.PipelineListener;
import dev.postpurchase.core.SubmitResult;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.RerunOptions;
import dev.postpurchase.core.action.RunStatus;
import dev.postpurchase.core.action.TriggerCompletion;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.action.TriggerProgress;
import dev.postpurchase.core.memory.InMemoryDefinitionSource;
import dev.postpurchase.core.memory.InMemoryIntegrationSettings;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.retry.Failure;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.retry.StatusCodeRetry;
import dev.postpurchase.core.spi.ActionExecutor;
import dev.postpurchase.core.spi.ActionStateStore;
import dev.postpurchase.core.spi.AttemptResult;
import dev.postpurchase.core.spi.ClaimRequest;
import dev.postpurchase.core.spi.ExecutionContext;
import dev.postpurchase.core.spi.ExecutionOutcome;
import dev.postpurchase.core.spi.IntegrationSettings;
import dev.postpurchase.core.spi.RecordedOutcomes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pipeline's behaviour end to end, with the in-memory store, fake executors and a controllable clock. */
class PipelineScenariosTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final MutableClock clock = MutableClock.atDefaultStart();
    private final ActionStateStore store = ActionStateStore.inMemory();
    private final InMemoryDefinitionSource definitions = new InMemoryDefinitionSource();
    private final List<ActionRun> changes = new CopyOnWriteArrayList<>();
    private final List<TriggerCompletion> completions = new CopyOnWriteArrayList<>();
    private final List<ActionPipeline> pipelines = new ArrayList<>();

    @AfterEach
    void stop() {
        pipelines.forEach(p -> p.shutdown(Duration.ofSeconds(5)));
    }

    private ActionPipeline pipeline(ActionExecutor<?>... executors) {
        ActionPipeline.Builder builder = ActionPipeline.builder()
                .store(store)
                .definitions(definitions)
                .clock(clock)
                .pollInterval(Duration.ofMillis(20))
                .leaseDuration(Duration.ofSeconds(30))
                .listener(new PipelineListener() {
                    @Override
                    public void runChanged(ActionRun run) {
                        changes.add(run);
                    }

                    @Override
                    public void triggerCompleted(TriggerCompletion completion) {
                        completions.add(completion);
                    }
                });
        for (ActionExecutor<?> e : executors) {
            builder.executor(e);
        }
        ActionPipeline p = builder.build();
        pipelines.add(p);
        return p;
    }

    /** A pipeline on {@code on} that only submits (no workers), on the test clock. */
    private ActionPipeline submitOnly(ActionStateStore on, ActionExecutor<?>... executors) {
        ActionPipeline.Builder builder = ActionPipeline.builder()
                .store(on)
                .definitions(definitions)
                .clock(clock)
                .startWorkers(false);
        for (ActionExecutor<?> e : executors) {
            builder.executor(e);
        }
        return builder.build();
    }

    private ActionDefinition save(String id, String type, ActionLevel level, String target) {
        return definitions.save(TestDefinitions.definition(id, type, level, target));
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + WAIT);
            }
            Thread.sleep(5);
        }
    }

    /** The worker threads of every pipeline of this JVM. */
    private static Set<Thread> workerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("postpurchase-worker-"))
                .collect(java.util.stream.Collectors.toSet());
    }

    /** Worker threads waiting for a run, other than the calling thread and those in {@code others}. */
    private static long idleWorkersBesidesThisOne(Set<Thread> others) {
        return workerThreads().stream()
                .filter(t -> t != Thread.currentThread() && !others.contains(t))
                .filter(t -> t.getState() == Thread.State.WAITING)
                .count();
    }

    private ActionRun awaitStatus(ActionPipeline p, String runId, RunStatus status) throws InterruptedException {
        await(() -> p.run(runId).orElseThrow().status() == status);
        return p.run(runId).orElseThrow();
    }

    private ActionRun awaitRetryScheduled(ActionPipeline p, String runId, int attempts) throws InterruptedException {
        await(() -> {
            ActionRun r = p.run(runId).orElseThrow();
            return r.awaitingRetry() && r.attempts() == attempts;
        });
        return p.run(runId).orElseThrow();
    }

    @Test
    void submittingInTheCallersTransactionNeedsAStoreThatCanJoinOne() {
        ActionPipeline p = pipeline(new RecordingExecutor("record"));
        save("checkout-action", "record", ActionLevel.CHECKOUT, "checkout-1");

        java.sql.Connection untouchable = (java.sql.Connection) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {java.sql.Connection.class}, (proxy, method, args) -> {
                    throw new AssertionError("the connection must not be used: " + method.getName());
                });

        assertThatThrownBy(
                        () -> p.submit(untouchable, TestOrders.paidOrder("o-tx").build()))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("store")
                .hasMessageContaining("cannot join a JDBC transaction");
        assertThat(p.runsOfOrder("o-tx")).isEmpty();
    }

    @Test
    void anOrderGetsOneRunPerEnabledDefinitionFromAllThreeLevels() throws Exception {
        RecordingExecutor recorder = new RecordingExecutor("record");
        save("checkout-action", "record", ActionLevel.CHECKOUT, "checkout-1");
        save("offer-action", "record", ActionLevel.OFFER, "offer-1");
        save("product-1-action", "record", ActionLevel.PRODUCT, "product-1");
        save("product-2-action", "record", ActionLevel.PRODUCT, "product-2");
        save("other-product-action", "record", ActionLevel.PRODUCT, "product-9");
        definitions.save(TestDefinitions.definition("disabled", "record", ActionLevel.CHECKOUT, "checkout-1")
                .withEnabled(false));
        ActionPipeline p = pipeline(recorder);

        SubmitResult result = p.submit(TestOrders.paidOrder("order-1").build());

        assertThat(result.created()).isTrue();
        assertThat(result.runs())
                .extracting(ActionRun::definitionId)
                .containsExactly("checkout-action", "offer-action", "product-1-action", "product-2-action");
        assertThat(result.runs())
                .extracting(ActionRun::level)
                .containsExactly(ActionLevel.CHECKOUT, ActionLevel.OFFER, ActionLevel.PRODUCT, ActionLevel.PRODUCT);
        assertThat(recorder.awaitExecutions(4, WAIT)).isTrue();
        await(() -> p.progressOfOrder("order-1").completed());
        assertThat(recorder.executions()).allSatisfy(ctx -> {
            assertThat(ctx.order()).isEqualTo(TestOrders.paidOrder("order-1").build());
            assertThat(ctx.idempotencyKey()).isEqualTo(ctx.run().idempotencyKey());
        });
        await(() -> !completions.isEmpty()); // listeners hear of it after the store committed it
        assertThat(completions).extracting(TriggerCompletion::key).containsExactly("order:order-1");
    }

    @Test
    void submittingTheSameOrderFromTwoThreadsCreatesOneSetOfRuns() throws Exception {
        RecordingExecutor recorder = new RecordingExecutor("record");
        save("a", "record", ActionLevel.CHECKOUT, "checkout-1");
        save("b", "record", ActionLevel.PRODUCT, "product-1");
        ActionPipeline p = pipeline(recorder);
        Order order = TestOrders.paidOrder("order-twice").build();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<SubmitResult>> results = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            results.add(threads.submit(() -> {
                start.await();
                return p.submit(order);
            }));
        }
        start.countDown();
        List<Boolean> created = new ArrayList<>();
        for (Future<SubmitResult> f : results) {
            created.add(f.get(10, TimeUnit.SECONDS).created());
        }
        threads.shutdown();

        assertThat(created).containsExactlyInAnyOrder(true, false);
        await(() -> p.progressOfOrder("order-twice").completed());
        assertThat(p.runsOfOrder("order-twice")).hasSize(2);
        assertThat(recorder.counts().values()).containsExactly(1, 1);
        assertThat(p.submit(order).created()).isFalse();
        await(() -> !completions.isEmpty());
        assertThat(completions).hasSize(1);
    }

    @Test
    void retriesFollowTheFixedPolicyToTheAttemptThenFailWithTheReason() throws Exception {
        ScriptedExecutor flaky = new ScriptedExecutor("flaky", true, RetryPolicy.fixed(Duration.ofMinutes(10), 4))
                .otherwise(ExecutionOutcome.retry(new Failure("HTTP 503", 503, false, null), null));
        save("f", "flaky", ActionLevel.CHECKOUT, "checkout-1");
        ActionPipeline p = pipeline(flaky);
        String runId = p.submit(TestOrders.paidOrder("order-retry").build())
                .runs()
                .get(0)
                .id();

        for (int attempt = 1; attempt <= 4; attempt++) {
            ActionRun waiting = awaitRetryScheduled(p, runId, attempt);
            assertThat(waiting.status()).isEqualTo(RunStatus.PENDING);
            assertThat(waiting.lastError()).isEqualTo("HTTP 503");
            assertThat(waiting.lastStatusCode()).isEqualTo(503);
            assertThat(waiting.nextAttemptAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(10)));
            clock.advance(Duration.ofMinutes(9));
            p.wakeUp();
            Thread.sleep(60);
            assertThat(flaky.calls()).as("not before the interval").isEqualTo(attempt);
            clock.advance(Duration.ofMinutes(1));
            p.wakeUp();
        }
        ActionRun failed = awaitStatus(p, runId, RunStatus.FAILED);

        assertThat(flaky.calls()).isEqualTo(5);
        assertThat(failed.attempts()).isEqualTo(5);
        assertThat(failed.lastError()).isEqualTo("gave up after 5 attempts: HTTP 503");
        assertThat(failed.nextAttemptAt()).isNull();
        assertThat(p.progressOfOrder("order-retry").failed()).isEqualTo(1);
        assertThat(completions).isEmpty();
    }

    @Test
    void theStatusCodePolicyRetriesListedCodesButNeverATimeout() throws Exception {
        ScriptedExecutor postback = new ScriptedExecutor(
                        "postback",
                        true,
                        RetryPolicy.onStatusCodes(StatusCodeRetry.DEFAULT_CODES, Duration.ofSeconds(30), 3))
                .thenReturn(ExecutionOutcome.retry(new Failure("HTTP 502", 502, false, null), null))
                .otherwise(ExecutionOutcome.retry(new Failure("no answer within 30 s", null, true, null), null));
        save("pb", "postback", ActionLevel.CHECKOUT, "checkout-1");
        ActionPipeline p = pipeline(postback);
        String runId = p.submit(TestOrders.paidOrder("order-postback").build())
                .runs()
                .get(0)
                .id();

        awaitRetryScheduled(p, runId, 1);
        clock.advance(Duration.ofSeconds(30));
        p.wakeUp();
        ActionRun failed = awaitStatus(p, runId, RunStatus.FAILED);

        assertThat(postback.calls()).isEqualTo(2);
        assertThat(failed.lastError()).startsWith("timed out, not retried automatically");
    }

    @Test
    void aRetryAfterFromTheExecutorDelaysTheNextAttempt() throws Exception {
        ScriptedExecutor limited = new ScriptedExecutor("limited", true, RetryPolicy.fixed(Duration.ofSeconds(5), 3))
                .thenReturn(ExecutionOutcome.retryAfter("HTTP 429", Duration.ofMinutes(2)));
        save("l", "limited", ActionLevel.CHECKOUT, "checkout-1");
        ActionPipeline p = pipeline(limited);
        String runId = p.submit(TestOrders.paidOrder("order-429").build())
                .runs()
                .get(0)
                .id();

        ActionRun waiting = awaitRetryScheduled(p, runId, 1);

        assertThat(waiting.nextAttemptAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(2)));
        clock.advance(Duration.ofMinutes(2));
        p.wakeUp();
        awaitStatus(p, runId, RunStatus.SUCCEEDED);
    }

    @Test
    void aPermanentFailureEndsTheRunAtOnceAndAnExceptionIsRetried() throws Exception {
        ScriptedExecutor broken = new ScriptedExecutor("broken", true, RetryPolicy.fixed(Duration.ofSeconds(1), 3))
                .thenThrow(new IllegalStateException("socket closed"))
                .otherwise(ExecutionOutcome.permanent("HTTP 400: email is invalid", 400));
        save("b", "broken", ActionLevel.CHECKOUT, "checkout-1");
        ActionPipeline p = pipeline(broken);
        String runId = p.submit(TestOrders.paidOrder("order-perm").build())
                .runs()
                .get(0)
                .id();

        ActionRun waiting = awaitRetryScheduled(p, runId, 1);
        assertThat(waiting.lastError()).isEqualTo("IllegalStateException: socket closed");
        clock.advance(Duration.ofSeconds(1));
        p.wakeUp();
        ActionRun failed = awaitStatus(p, runId, RunStatus.FAILED);

        assertThat(failed.lastError()).isEqualTo("HTTP 400: email is invalid");
        assertThat(failed.lastStatusCode()).isEqualTo(400);
        assertThat(broken.calls()).isEqualTo(2);
    }

    @Test
    void aSkippedActionCountsAsSucceededWithTheReasonRecorded() throws Exception {
        ScriptedExecutor skipper = new ScriptedExecutor("skipper", true, RetryPolicy.none())
                .otherwise(ExecutionOutcome.skipped("no content for fi or the checkout's first language"));
        save("s", "skipper", ActionLevel.CHECKOUT, "checkout-1");
        ActionPipeline p = pipeline(skipper);
        String runId = p.submit(TestOrders.paidOrder("order-skip").build())
                .runs()
                .get(0)
                .id();

        ActionRun done = awaitStatus(p, runId, RunStatus.SUCCEEDED);

        assertThat(done.skipReason()).isEqualTo("no content for fi or the checkout's first language");
        await(() -> p.progressOfOrder("order-skip").completed());
    }

    @Test
    void aRerunThatFixesTheLastFailureCompletesTheOrderAndReportsItOnce() throws Exception {
        RecordingExecutor ok = new RecordingExecutor("ok");
        ScriptedExecutor failing = new ScriptedExecutor("failing", true, RetryPolicy.none())
                .thenReturn(ExecutionOutcome.permanent("endpoint said 404", 404));
        save("ok-action", "ok", ActionLevel.CHECKOUT, "checkout-1");
        save("failing-action", "failing", ActionLevel.PRODUCT, "product-1");
        ActionPipeline p = pipeline(ok, failing);
        SubmitResult submitted = p.submit(TestOrders.paidOrder("order-fix").build());
        String failingRun = submitted.runs().stream()
                .filter(r -> r.type().equals("failing"))
                .findFirst()
                .orElseThrow()
                .id();
        awaitStatus(p, failingRun, RunStatus.FAILED);
        await(() -> p.progressOfOrder("order-fix").succeeded() == 1);
        assertThat(p.progressOfOrder("order-fix").completed()).isFalse();

        ActionRun requeued = p.rerun(failingRun, RerunOptions.defaults());
        assertThat(requeued.status()).isEqualTo(RunStatus.PENDING);
        assertThat(requeued.attempts()).isZero();
        awaitStatus(p, failingRun, RunStatus.SUCCEEDED);
        await(() -> p.progressOfOrder("order-fix").completed());
        String okRun = submitted.runs().stream()
                .filter(r -> r.type().equals("ok"))
                .findFirst()
                .orElseThrow()
                .id();

        assertThat(ok.count(okRun)).as("a re-run never changes other runs").isEqualTo(1);
        assertThat(p.run(okRun).orElseThrow().version()).isEqualTo(2);
        await(() -> !completions.isEmpty()); // listeners hear of it after the store committed it
        assertThat(completions).extracting(TriggerCompletion::key).containsExactly("order:order-fix");
        p.rerun(failingRun, RerunOptions.defaults().acknowledgeSucceeded(true));
        awaitStatus(p, failingRun, RunStatus.SUCCEEDED);
        Thread.sleep(50);
        assertThat(completions).as("completion is reported once").hasSize(1);
    }

    @Test
    void reRunningASucceededActionNeedsAnAcknowledgement() throws Exception {
        RecordingExecutor recorder = new RecordingExecutor("record");
        save("r", "record", ActionLevel.CHECKOUT, "checkout-1");
        ActionPipeline p = pipeline(recorder);
        String runId = p.submit(TestOrders.paidOrder("order-ack").build())
                .runs()
                .get(0)
                .id();
        awaitStatus(p, runId, RunStatus.SUCCEEDED);

        assertThatThrownBy(() -> p.rerun(runId, RerunOptions.defaults()))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("acknowledgeSucceeded");
        p.rerun(runId, RerunOptions.defaults().acknowledgeSucceeded(true));
        await(() -> recorder.count(runId) == 2);

        ActionRun again = awaitStatus(p, runId, RunStatus.SUCCEEDED);
        assertThat(again.rerunCount()).isEqualTo(1);
        assertThat(again.totalAttempts()).isEqualTo(2);
    }

    @Test
    void reRunningARunningActionNeedsForceAndTheFormerExecutionIsDiscarded() throws Exception {
        ScriptedExecutor slow = new ScriptedExecutor("slow", false, RetryPolicy.none()).holdExecutions();
        save("s", "slow", ActionLevel.CHECKOUT, "checkout-1");
        ActionPipeline p = pipeline(slow);
        String runId = p.submit(TestOrders.paidOrder("order-force").build())
                .runs()
                .get(0)
                .id();
        assertThat(slow.awaitEntered(WAIT)).isTrue();
        ActionRun running = p.run(runId).orElseThrow();
        assertThat(running.status()).isEqualTo(RunStatus.RUNNING);

        assertThatThrownBy(() -> p.rerun(runId, RerunOptions.defaults()))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("force");
        ActionRun forced = p.rerun(runId, RerunOptions.defaults().force(true));
        assertThat(forced.version()).isGreaterThan(running.version());
        slow.release();

        await(() -> slow.calls() == 2);
        ActionRun done = awaitStatus(p, runId, RunStatus.SUCCEEDED);
        assertThat(done.rerunCount()).isEqualTo(1);
        assertThat(done.attempts()).isEqualTo(1);
    }

    @Test
    void useLatestTemplateReplacesTheSnapshotForGoodWhileAPlainRerunKeepsIt() throws Exception {
        ScriptedExecutor executor = new ScriptedExecutor("hook", true, RetryPolicy.none())
                .thenReturn(
                        ExecutionOutcome.permanent("404 from the old url"), ExecutionOutcome.permanent("still old"));
        definitions.save(TestDefinitions.definition(
                "hook", "hook", ActionLevel.CHECKOUT, "checkout-1", Map.of("url", "https://old.example.com")));
        ActionPipeline p = pipeline(executor);
        String runId = p.submit(TestOrders.paidOrder("order-template").build())
                .runs()
                .get(0)
                .id();
        awaitStatus(p, runId, RunStatus.FAILED);
        definitions.save(TestDefinitions.definition(
                "hook", "hook", ActionLevel.CHECKOUT, "checkout-1", Map.of("url", "https://new.example.com")));

        p.rerun(runId, RerunOptions.defaults());
        ActionRun plain = awaitStatus(p, runId, RunStatus.FAILED);
        assertThat(plain.configJson()).contains("old.example.com");
        p.rerun(runId, RerunOptions.defaults().useLatestTemplate(true));
        ActionRun latest = awaitStatus(p, runId, RunStatus.SUCCEEDED);

        assertThat(latest.configJson()).contains("new.example.com").doesNotContain("old.example.com");
        assertThat(p.run(runId).orElseThrow().configJson()).contains("new.example.com");
    }

    @Test
    void anAbandonedIdempotentRunIsRecoveredAndANonIdempotentOneIsReportedStale() throws Exception {
        save("idem", "idem", ActionLevel.CHECKOUT, "checkout-1");
        save("once", "once", ActionLevel.PRODUCT, "product-1");
        ActionPipeline submitter =
                submitOnly(store, new RecordingExecutor("idem", true), new RecordingExecutor("once", false));
        SubmitResult submitted =
                submitter.submit(TestOrders.paidOrder("order-abandoned").build());
        List<ActionRun> dead = store.claim(ClaimRequest.due("dead-node", 10, Set.of("idem", "once"), clock.instant()));
        assertThat(dead).hasSize(2);
        clock.advance(Duration.ofMinutes(5));

        RecordingExecutor idem = new RecordingExecutor("idem", true);
        RecordingExecutor once = new RecordingExecutor("once", false);
        ActionPipeline p = pipeline(idem, once);
        String idemRun = submitted.runs().stream()
                .filter(r -> r.type().equals("idem"))
                .findFirst()
                .orElseThrow()
                .id();
        String onceRun = submitted.runs().stream()
                .filter(r -> r.type().equals("once"))
                .findFirst()
                .orElseThrow()
                .id();

        awaitStatus(p, idemRun, RunStatus.SUCCEEDED);
        Thread.sleep(60);
        assertThat(once.count(onceRun)).isZero();
        assertThat(p.staleRuns()).extracting(ActionRun::id).containsExactly(onceRun);
        assertThat(p.run(onceRun).orElseThrow().owner()).isEqualTo("dead-node");

        p.rerun(onceRun, RerunOptions.defaults().force(true));
        awaitStatus(p, onceRun, RunStatus.SUCCEEDED);
        assertThat(p.staleRuns()).isEmpty();
        await(() -> p.progressOfOrder("order-abandoned").completed());
    }

    @Test
    void aLongRunningActionKeepsItsLeaseSoNoOtherNodeTakesItOver() throws Exception {
        ScriptedExecutor slow = new ScriptedExecutor("slow", true, RetryPolicy.none()).holdExecutions();
        save("s", "slow", ActionLevel.CHECKOUT, "checkout-1");
        ActionPipeline owner = ActionPipeline.builder()
                .store(store)
                .definitions(definitions)
                .clock(clock)
                .executor(slow)
                .nodeId("owner-node")
                .pollInterval(Duration.ofMillis(20))
                .leaseDuration(Duration.ofSeconds(30))
                .heartbeatInterval(Duration.ofMillis(20))
                .build();
        pipelines.add(owner);
        String runId = owner.submit(TestOrders.paidOrder("order-lease").build())
                .runs()
                .get(0)
                .id();
        assertThat(slow.awaitEntered(WAIT)).isTrue();

        for (int step = 0; step < 3; step++) { // 60 s in all: twice the lease, renewed on the way
            clock.advance(Duration.ofSeconds(20));
            await(() -> clock.instant().equals(store.run(runId).orElseThrow().heartbeatAt()));
        }
        ScriptedExecutor other = new ScriptedExecutor("slow", true, RetryPolicy.none());
        ActionPipeline otherNode = pipeline(other);
        otherNode.wakeUp();
        Thread.sleep(60);

        assertThat(other.calls()).isZero();
        assertThat(owner.staleRuns()).isEmpty();
        assertThat(store.run(runId).orElseThrow().owner()).isEqualTo("owner-node");
        slow.release();
        awaitStatus(owner, runId, RunStatus.SUCCEEDED);
        assertThat(slow.calls()).isEqualTo(1);
    }

    @Test
    void theCompletionIsRecordedWithTheLastSuccessSoNoCrashCanSeparateThem() throws Exception {
        save("r", "record", ActionLevel.CHECKOUT, "checkout-1");
        ActionPipeline submitter = submitOnly(store, new RecordingExecutor("record"));
        submitter.submit(TestOrders.paidOrder("order-crashed").build());
        // A node records the success and dies at once: there is no later step that could be cut short.
        ActionRun claimed = store.claim(ClaimRequest.due("dead-node", 1, Set.of("record"), clock.instant()))
                .get(0);
        RecordedOutcomes recorded =
                store.recordOutcomes(List.of(AttemptResult.succeeded(claimed, "done", null)), clock.instant());

        assertThat(recorded.completed()).extracting(TriggerCompletion::key).containsExactly("order:order-crashed");
        assertThat(submitter.progressOfOrder("order-crashed").completed()).isTrue();
        assertThat(store.trigger(TriggerKind.ORDER, "order-crashed")
                        .orElseThrow()
                        .completedAt())
                .isEqualTo(recorded.completed().get(0).completedAt());
    }

    @Test
    void aSubmittedRunStartsAtOnceWithoutWaitingForThePollInterval() throws Exception {
        RecordingExecutor recorder = new RecordingExecutor("record");
        save("r", "record", ActionLevel.CHECKOUT, "checkout-1");
        ActionPipeline p = ActionPipeline.builder()
                .store(store)
                .definitions(definitions)
                .executor(recorder)
                .pollInterval(Duration.ofHours(1))
                .build();
        pipelines.add(p);
        p.awaitIdle(WAIT); // the dispatcher is now asleep for up to an hour

        p.submit(TestOrders.paidOrder("order-no-poll").build());

        assertThat(recorder.awaitExecutions(1, WAIT))
                .as("woken by the submit, not by the hourly poll")
                .isTrue();
    }

    @Test
    void aDefinitionOfAnUnknownTypeGivesAFailedRunWithTheReasonAndTheOtherActionsStillRun() throws Exception {
        save("ok", "record", ActionLevel.CHECKOUT, "checkout-1");
        save("mystery", "no-such-type", ActionLevel.PRODUCT, "product-1");
        RecordingExecutor recorder = new RecordingExecutor("record");
        ActionPipeline p = pipeline(recorder);

        SubmitResult result = p.submit(TestOrders.paidOrder("order-bad").build());

        ActionRun mystery = result.runs().stream()
                .filter(r -> r.definitionId().equals("mystery"))
                .findFirst()
                .orElseThrow();
        assertThat(mystery.status()).isEqualTo(RunStatus.FAILED);
        assertThat(mystery.lastError()).contains("type: unknown action type 'no-such-type'");
        assertThat(recorder.awaitExecutions(1, WAIT)).isTrue();
        ActionRun ok = result.runs().stream()
                .filter(r -> r.definitionId().equals("ok"))
                .findFirst()
                .orElseThrow();
        awaitStatus(p, ok.id(), RunStatus.SUCCEEDED);
        assertThat(p.progressOfOrder("order-bad").completed()).isFalse();
        assertThat(p.run(mystery.id()).orElseThrow().status()).isEqualTo(RunStatus.FAILED);
    }

    @Test
    void anInvalidConfigIsRefusedWhenSavedAndGivesAFailedRunFixedByUseLatestTemplate() throws Exception {
        UrlExecutor executor = new UrlExecutor();
        ActionPipeline p = pipeline(executor);
        InMemoryDefinitionSource validated = new InMemoryDefinitionSource(p.executors()::validate);
        ActionDefinition bad = TestDefinitions.definition(
                "u", "url", ActionLevel.CHECKOUT, "checkout-1", Map.of("url", "http://insecure.example.com"));

        ValidationException onSave = catchThrowableOfType(ValidationException.class, () -> validated.save(bad));
        assertThat(onSave.fields()).containsExactly("config.url");
        assertThat(validated.byId("u")).isEmpty();

        definitions.save(bad); // saved around the validation, as a merchant's typo in an older build would be
        SubmitResult result = p.submit(TestOrders.paidOrder("order-bad-config").build());
        ActionRun failed = result.runs().get(0);
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.lastError()).contains("config.url: must be an https URL");
        assertThat(store.trigger(TriggerKind.ORDER, "order-bad-config")).isPresent();

        definitions.save(TestDefinitions.definition(
                "u", "url", ActionLevel.CHECKOUT, "checkout-1", Map.of("url", "https://fixed.example.com")));
        p.rerun(failed.id(), RerunOptions.defaults().useLatestTemplate(true));
        ActionRun fixed = awaitStatus(p, failed.id(), RunStatus.SUCCEEDED);
        assertThat(fixed.result()).isEqualTo("https://fixed.example.com");
        await(() -> p.progressOfOrder("order-bad-config").completed());
    }

    @Test
    void anIntegrationSwitchedOffAfterSavingDoesNotBlockTheOrderAndItsRunFailsWithTheReason() throws Exception {
        InMemoryIntegrationSettings settings = IntegrationSettings.inMemory().enable("crm");
        NeedsIntegrationExecutor crm = new NeedsIntegrationExecutor(settings);
        RecordingExecutor receipt = new RecordingExecutor("receipt");
        ActionPipeline p = pipeline(crm, receipt);
        InMemoryDefinitionSource validated = new InMemoryDefinitionSource(p.executors()::validate);
        validated.save(TestDefinitions.definition("crm-sync", "crm", ActionLevel.CHECKOUT, "checkout-1"));
        definitions.save(validated.byId("crm-sync").orElseThrow());
        save("receipt", "receipt", ActionLevel.CHECKOUT, "checkout-1");
        settings.disable("crm");

        SubmitResult result = p.submit(TestOrders.paidOrder("order-crm-off").build());

        assertThat(result.runs()).hasSize(2);
        String crmRun = result.runs().stream()
                .filter(r -> r.type().equals("crm"))
                .findFirst()
                .orElseThrow()
                .id();
        ActionRun failed = awaitStatus(p, crmRun, RunStatus.FAILED);
        assertThat(failed.lastError()).contains("the crm integration is not enabled");
        String receiptRun = result.runs().stream()
                .filter(r -> r.type().equals("receipt"))
                .findFirst()
                .orElseThrow()
                .id();
        awaitStatus(p, receiptRun, RunStatus.SUCCEEDED);
        settings.enable("crm");
        p.rerun(crmRun, RerunOptions.defaults());
        awaitStatus(p, crmRun, RunStatus.SUCCEEDED);
        await(() -> p.progressOfOrder("order-crm-off").completed());
    }

    /** An executor that needs the "crm" integration, to test the integration switch. */
    static final class NeedsIntegrationExecutor implements ActionExecutor<NoConfig> {
        private final IntegrationSettings settings;

        NeedsIntegrationExecutor(IntegrationSettings settings) {
            this.settings = settings;
        }

        @Override
        public String type() {
            return "crm";
        }

        @Override
        public Class<NoConfig> configType() {
            return NoConfig.class;
        }

        @Override
        public void validate(NoConfig config) {
            if (!settings.isEnabled("crm")) {
                throw new IntegrationNotEnabledException("crm", "type");
            }
        }

        @Override
        public ExecutionOutcome execute(ExecutionContext<NoConfig> context) {
            return ExecutionOutcome.succeeded();
        }

        @Override
        public boolean idempotent() {
            return true;
        }

        @Override
        public RetryPolicy defaultRetryPolicy() {
            return RetryPolicy.none();
        }
    }

    @Test
    void anActionAtALevelItsExecutorDoesNotAllowIsRefused() {
        ActionPipeline p = pipeline(new UrlExecutor());
        ActionDefinition atProduct = TestDefinitions.definition(
                "u", "url", ActionLevel.PRODUCT, "product-1", Map.of("url", "https://ok.example.com"));

        assertThat(catchThrowableOfType(
                                ValidationException.class, () -> p.executors().validate(atProduct))
                        .fields())
                .containsExactly("level");
    }

    @Test
    void anOrderWithoutActionsIsCompletedAtOnce() {
        ActionPipeline p = pipeline(new RecordingExecutor("record"));

        SubmitResult result = p.submit(TestOrders.paidOrder("order-empty").build());

        assertThat(result.runs()).isEmpty();
        TriggerProgress progress = p.progressOfOrder("order-empty");
        assertThat(progress.completed()).isTrue();
        assertThat(completions).hasSize(1);
    }

    @Test
    void gracefulShutdownLetsInFlightRunsFinishOrLeavesThemRecoverable() throws Exception {
        ScriptedExecutor slow = new ScriptedExecutor("slow", true, RetryPolicy.none()).holdExecutions();
        save("s", "slow", ActionLevel.CHECKOUT, "checkout-1");
        ActionPipeline p = pipeline(slow);
        String runId = p.submit(TestOrders.paidOrder("order-shutdown").build())
                .runs()
                .get(0)
                .id();
        assertThat(slow.awaitEntered(WAIT)).isTrue();

        boolean finished = p.shutdown(Duration.ofMillis(100));

        assertThat(finished).isFalse();
        ActionRun left = store.run(runId).orElseThrow();
        assertThat(left.status()).isEqualTo(RunStatus.RUNNING);
        clock.advance(Duration.ofMinutes(5));
        ScriptedExecutor again = new ScriptedExecutor("slow", true, RetryPolicy.none());
        ActionPipeline next = pipeline(again);
        awaitStatus(next, runId, RunStatus.SUCCEEDED);
        assertThat(again.calls()).isEqualTo(1);
    }

    @Test
    void listenersHearEveryStatusChangeOnceWithIncreasingVersions() throws Exception {
        save("r", "record", ActionLevel.CHECKOUT, "checkout-1");
        ActionPipeline p = pipeline(new RecordingExecutor("record"));
        String runId = p.submit(TestOrders.paidOrder("order-listen").build())
                .runs()
                .get(0)
                .id();
        awaitStatus(p, runId, RunStatus.SUCCEEDED);
        await(() -> completions.size() == 1);

        // the submitting thread and the worker report concurrently; the version gives the order of the changes
        List<RunStatus> statuses = changes.stream()
                .filter(r -> r.id().equals(runId))
                .sorted(Comparator.comparingLong(ActionRun::version))
                .map(ActionRun::status)
                .toList();
        assertThat(statuses).containsExactly(RunStatus.PENDING, RunStatus.RUNNING, RunStatus.SUCCEEDED);
    }

    @Test
    void badPipelineSettingsAreNamed() {
        ValidationException e = catchThrowableOfType(ValidationException.class, () -> ActionPipeline.builder()
                .workers(0)
                .pollInterval(Duration.ZERO)
                .build());

        assertThat(e.fields()).containsExactlyInAnyOrder("store", "definitions", "workers", "pollInterval");
    }

    @Test
    void anIdleNodeMakesNoStoreCallBetweenItsPollTicks() throws Exception {
        ClaimCountingStore counting = new ClaimCountingStore();
        save("r", "record", ActionLevel.CHECKOUT, "checkout-1");
        ActionPipeline p = ActionPipeline.builder()
                .store(counting)
                .definitions(definitions)
                .executor(new RecordingExecutor("record"))
                .pollInterval(Duration.ofHours(1))
                .leaseDuration(Duration.ofHours(3)) // heartbeats (and liveness writes) every hour
                .build();
        pipelines.add(p);
        await(() -> counting.claims.get() >= 1); // the claim at start
        int before = counting.calls.get();

        Thread.sleep(300);

        assertThat(counting.calls.get()).as("store calls while idle").isEqualTo(before);
    }

    @Test
    void aNodeDrainingABacklogClaimsInBatchesWithoutEmptyClaims() throws Exception {
        ClaimCountingStore counting = new ClaimCountingStore();
        save("r", "record", ActionLevel.CHECKOUT, "checkout-1");
        ActionPipeline submitter = submitOnly(counting, new RecordingExecutor("record"));
        int orders = 300;
        for (int i = 0; i < orders; i++) {
            submitter.submit(TestOrders.paidOrder("backlog-" + i).build());
        }
        RecordingExecutor recorder = new RecordingExecutor("record");

        ActionPipeline p = ActionPipeline.builder()
                .store(counting)
                .definitions(definitions)
                .executor(recorder)
                .pollInterval(Duration.ofHours(1))
                .build();
        pipelines.add(p);

        assertThat(recorder.awaitExecutions(orders, WAIT)).isTrue();
        assertThat(p.awaitIdle(WAIT)).isTrue();
        assertThat(counting.claims.get()).as("claims for %d runs", orders).isLessThan(orders / 2);
        assertThat(counting.emptyClaims.get())
                .as("a finished run causes no claim once the backlog is drained")
                .isLessThanOrEqualTo(1);
    }

    @Test
    void workersGoOnWithNewRunsWhileAnOutcomeWriteIsSlowButHoldAtMostTwiceTheirCapacity() throws Exception {
        ClaimCountingStore counting = new ClaimCountingStore();
        save("r", "record", ActionLevel.CHECKOUT, "checkout-1");
        ActionPipeline submitter = submitOnly(counting, new RecordingExecutor("record"));
        for (int i = 0; i < 30; i++) {
            submitter.submit(TestOrders.paidOrder("slow-write-" + i).build());
        }
        int workers = 2;
        int claimBatch = 4;
        // runs a node may have queued or executing: its workers, and as many ahead as it keeps, which is one per
        // worker until it has measured its pace (it has not before its first write completes)
        int capacity = workers + Math.min(workers, claimBatch);
        RecordingExecutor recorder = new RecordingExecutor("record");
        AtomicInteger executedDuringFirstWrite = new AtomicInteger();
        counting.beforeOutcomes = () -> {
            if (counting.outcomeWrites.get() == 1) {
                // the first write stalls until the workers ran twice the runs a node may have queued or executing
                try {
                    await(() -> recorder.executions().size() >= 2 * capacity);
                    Thread.sleep(200); // time for any run beyond the bound to be claimed and executed
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                executedDuringFirstWrite.set(recorder.executions().size());
            }
        };
        ActionPipeline p = ActionPipeline.builder()
                .store(counting)
                .definitions(definitions)
                .executor(recorder)
                .workers(workers)
                .claimBatch(claimBatch)
                .pollInterval(Duration.ofHours(1))
                .build();
        pipelines.add(p);

        assertThat(recorder.awaitExecutions(30, WAIT)).isTrue();
        assertThat(p.awaitIdle(WAIT)).isTrue();
        assertThat(executedDuringFirstWrite.get())
                .as("runs executed while the first outcome write was in flight: finished runs waiting for their write"
                        + " need no worker, but a node holds at most twice its capacity unrecorded")
                .isEqualTo(2 * capacity);
        assertThat(counting.outcomesRecorded.get()).isEqualTo(30);
    }

    @Test
    void outcomesThatFinishWhileAnotherIsBeingWrittenShareTheNextWrite() throws Exception {
        ClaimCountingStore counting = new ClaimCountingStore();
        save("r", "record", ActionLevel.CHECKOUT, "checkout-1");
        int runs = 8;
        RecordingExecutor recorder = new RecordingExecutor("record");
        Set<Thread> otherPipelines = workerThreads();
        counting.beforeOutcomes = () -> {
            // the first write waits until the seven other workers have queued their outcome and gone idle
            if (counting.outcomeWrites.get() == 1) {
                try {
                    recorder.awaitExecutions(runs, WAIT);
                    await(() -> idleWorkersBesidesThisOne(otherPipelines) >= runs - 1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        ActionPipeline submitter = submitOnly(counting, new RecordingExecutor("record"));
        for (int i = 0; i < runs; i++) {
            submitter.submit(TestOrders.paidOrder("together-" + i).build());
        }
        ActionPipeline p = ActionPipeline.builder()
                .store(counting)
                .definitions(definitions)
                .executor(recorder)
                .workers(runs)
                .build();
        pipelines.add(p);

        assertThat(recorder.awaitExecutions(runs, WAIT)).isTrue();
        assertThat(p.awaitIdle(WAIT)).isTrue();
        assertThat(counting.outcomesRecorded.get()).isEqualTo(runs);
        assertThat(counting.outcomeWrites.get())
                .as("one write for the first outcome, then the seven queued behind it together")
                .isEqualTo(2);
        for (int i = 0; i < runs; i++) {
            assertThat(p.progressOfOrder("together-" + i).completed()).isTrue();
        }
    }

    @Test
    void anExecutorOnTheInMemoryStoreGetsTheOrderObjectThatWasSubmittedEvenThroughAnotherPipeline() throws Exception {
        save("c", "capture", ActionLevel.CHECKOUT, "checkout-1");
        // a second action that the running pipeline cannot run keeps the order open, and so kept, while we look
        save("l", "later", ActionLevel.CHECKOUT, "checkout-1");
        RecordingExecutor recorder = new RecordingExecutor("capture");
        Order order = TestOrders.paidOrder("kept-1").build();
        ActionPipeline submitter = submitOnly(store, new RecordingExecutor("capture"), new RecordingExecutor("later"));
        submitter.submit(order);

        pipeline(recorder);

        assertThat(recorder.awaitExecutions(1, WAIT)).isTrue();
        assertThat(recorder.executions().get(0).requireOrder())
                .as("kept by the store, never parsed again")
                .isSameAs(order);
    }

    @Test
    void aNodeClaimsOnlyTheTypesItCanRunAndRunsNoLiveNodeCanTakeWaitAsUnclaimable() throws Exception {
        save("known", "record", ActionLevel.CHECKOUT, "checkout-1");
        save("newer", "newer-type", ActionLevel.PRODUCT, "product-1");
        ActionPipeline submitter =
                submitOnly(store, new RecordingExecutor("record"), new RecordingExecutor("newer-type"));
        SubmitResult result =
                submitter.submit(TestOrders.paidOrder("order-rolling").build());
        String newerRun = result.runs().stream()
                .filter(r -> r.type().equals("newer-type"))
                .findFirst()
                .orElseThrow()
                .id();
        ActionPipeline older = pipeline(new RecordingExecutor("record")); // an older build: no newer-type

        await(() -> older.progressOfOrder("order-rolling").succeeded() == 1);
        older.wakeUp();
        Thread.sleep(100);
        assertThat(store.run(newerRun).orElseThrow().status())
                .as("left alone, not failed")
                .isEqualTo(RunStatus.PENDING);
        await(() -> older.unclaimableRuns().stream().anyMatch(r -> r.id().equals(newerRun)));

        RecordingExecutor newer = new RecordingExecutor("newer-type");
        ActionPipeline upgraded = pipeline(newer);
        awaitStatus(upgraded, newerRun, RunStatus.SUCCEEDED);
        assertThat(newer.count(newerRun)).isEqualTo(1);
        await(() -> older.progressOfOrder("order-rolling").completed());
    }

    /** An executor with a validated config, to test validation at save and at submit. */
    record UrlConfig(String url) {}

    static final class UrlExecutor implements ActionExecutor<UrlConfig> {
        @Override
        public String type() {
            return "url";
        }

        @Override
        public Class<UrlConfig> configType() {
            return UrlConfig.class;
        }

        @Override
        public Set<ActionLevel> levels() {
            return Set.of(ActionLevel.CHECKOUT, ActionLevel.OFFER);
        }

        @Override
        public void validate(UrlConfig config) {
            if (config.url() == null || !config.url().startsWith("https://")) {
                throw new ValidationException("url", "must be an https URL");
            }
        }

        @Override
        public ExecutionOutcome execute(ExecutionContext<UrlConfig> context) {
            return ExecutionOutcome.succeeded(context.config().url());
        }

        @Override
        public boolean idempotent() {
            return true;
        }

        @Override
        public RetryPolicy defaultRetryPolicy() {
            return RetryPolicy.none();
        }
    }
}
