package dev.postpurchase.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.action.RunCounts;
import dev.postpurchase.core.memory.InMemoryDefinitionSource;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.ActionExecutor;
import dev.postpurchase.core.spi.ActionStateStore;
import dev.postpurchase.core.spi.ExecutionContext;
import dev.postpurchase.core.spi.ExecutionOutcome;
import dev.postpurchase.testing.NoConfig;
import dev.postpurchase.testing.ScriptedExecutor;
import dev.postpurchase.testing.TestDefinitions;
import dev.postpurchase.testing.TestOrders;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PipelineMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final InMemoryDefinitionSource definitions = new InMemoryDefinitionSource();
    private ActionPipeline pipeline;

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void attemptsAreCountedAndTimedByTypeAndOutcome() {
        start(oneOfEachOutcome());

        pipeline.submit(TestOrders.paidOrder("order-1").build());
        awaitFinished("order-1");

        assertThat(attempts("grant", "retry_scheduled")).isEqualTo(1.0);
        assertThat(attempts("grant", "succeeded")).isEqualTo(1.0);
        assertThat(attempts("receipt", "skipped")).isEqualTo(1.0);
        assertThat(attempts("postback", "failed")).isEqualTo(1.0);
        assertThat(registry.get(PipelineMetrics.ATTEMPT_DURATION)
                        .tags("type", "grant", "outcome", "succeeded")
                        .timer()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get(PipelineMetrics.ATTEMPT_DURATION).timers())
                .allSatisfy(t -> assertThat(t.count()).isEqualTo(1));
        // one per run, on its first attempt only (the grant's retry is not a start)
        assertThat(registry.get(PipelineMetrics.SUBMIT_TO_START)
                        .tags("type", "grant")
                        .timer()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get(PipelineMetrics.SUBMIT_TO_START).timers()).hasSize(3);
    }

    @Test
    void attemptDurationIsAtLeastTheTimeTheExecutorTookAndAtMostTheWallTime() {
        long started = System.nanoTime();
        start(new SleepingExecutor("slow", Duration.ofMillis(20)));
        for (int i = 1; i <= 3; i++) {
            pipeline.submit(TestOrders.paidOrder("order-" + i).build());
        }
        for (int i = 1; i <= 3; i++) {
            awaitFinished("order-" + i);
        }
        double wallMillis = Duration.ofNanos(System.nanoTime() - started).toNanos() / 1e6;

        io.micrometer.core.instrument.Timer timer = registry.get(PipelineMetrics.ATTEMPT_DURATION)
                .tags("type", "slow", "outcome", "succeeded")
                .timer();
        assertThat(timer.count()).isEqualTo(3);
        // each attempt slept 20 ms inside the executor
        assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(60.0);
        assertThat(timer.max(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(20.0);
        assertThat(timer.mean(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(20.0);
        // and no attempt is timed longer than the whole test took
        assertThat(timer.max(TimeUnit.MILLISECONDS)).isLessThanOrEqualTo(wallMillis);
        io.micrometer.core.instrument.Timer wait = registry.get(PipelineMetrics.SUBMIT_TO_START)
                .tags("type", "slow")
                .timer();
        assertThat(wait.count()).isEqualTo(3);
        assertThat(wait.max(TimeUnit.MILLISECONDS)).isBetween(0.0, wallMillis);
    }

    @Test
    void everyMetersTagKeysAreTypeOutcomeStatusOrACommonTagAndNoTagNamesAnOrderOrRun() {
        startWith(new PipelineMetrics(registry, Tags.of("pipeline", "orders")), oneOfEachOutcome());
        java.util.List<String> orderIds = java.util.List.of("order-a", "order-b", "order-c", "order-d");
        for (String id : orderIds) {
            pipeline.submit(TestOrders.paidOrder(id).build());
        }
        for (String id : orderIds) {
            awaitFinished(id);
        }
        java.util.Set<String> ids = new java.util.HashSet<>(orderIds);
        for (String id : orderIds) {
            pipeline.runsOfOrder(id).forEach(run -> {
                ids.add(run.id());
                ids.add(run.idempotencyKey());
            });
        }
        assertThat(ids).as("order ids, run ids, idempotency keys").hasSize(4 + 4 * 3 * 2);

        try (RunCountGauges gauges = RunCountGauges.start(
                registry, pipeline::countRuns, Duration.ofHours(1), Tags.of("pipeline", "orders"))) {
            gauges.refresh();
            assertThat(registry.getMeters()).hasSizeGreaterThanOrEqualTo(10);
            for (io.micrometer.core.instrument.Meter meter : registry.getMeters()) {
                java.util.List<io.micrometer.core.instrument.Tag> tags =
                        meter.getId().getTags();
                assertThat(tags)
                        .as(meter.getId().getName())
                        .extracting(io.micrometer.core.instrument.Tag::getKey)
                        .isSubsetOf("type", "outcome", "status", "pipeline")
                        .contains("pipeline");
                assertThat(tags)
                        .as(meter.getId().getName())
                        .extracting(io.micrometer.core.instrument.Tag::getValue)
                        .doesNotContainAnyElementsOf(ids);
                String type = meter.getId().getTag("type");
                if (type != null) {
                    assertThat(type).isIn("grant", "receipt", "postback");
                }
                String outcome = meter.getId().getTag("outcome");
                if (outcome != null) {
                    assertThat(outcome).isIn("succeeded", "skipped", "retry_scheduled", "failed");
                }
                String status = meter.getId().getTag("status");
                if (status != null) {
                    assertThat(status).isIn("pending", "awaiting_retry", "running", "failed", "stale");
                }
            }
            // four orders, yet one series per type and outcome (one grant retried once, one receipt skipped)
            assertThat(attempts("grant", "succeeded")).isEqualTo(4.0);
            assertThat(attempts("grant", "retry_scheduled")).isEqualTo(1.0);
            assertThat(attempts("receipt", "succeeded")).isEqualTo(3.0);
            assertThat(attempts("receipt", "skipped")).isEqualTo(1.0);
            assertThat(attempts("postback", "failed")).isEqualTo(4.0);
            assertThat(registry.find(PipelineMetrics.ATTEMPTS).counters()).hasSize(5);
        }
    }

    @Test
    void claimsAndOutcomeBatchesAccountForEveryAttempt() {
        ScriptedExecutor grant = new ScriptedExecutor("grant", true, RetryPolicy.none());
        ScriptedExecutor receipt = new ScriptedExecutor("receipt", true, RetryPolicy.none());
        start(grant, receipt);

        pipeline.submit(TestOrders.paidOrder("order-1").build());
        pipeline.submit(TestOrders.paidOrder("order-2").build());
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();
        pipeline.close(); // no claim in flight while the meters are read

        // four runs: each claimed once and each outcome written in some batch
        assertThat(registry.get(PipelineMetrics.CLAIMED_RUNS).summary().totalAmount())
                .isEqualTo(4.0);
        assertThat(registry.get(PipelineMetrics.OUTCOME_BATCH_SIZE).summary().totalAmount())
                .isEqualTo(4.0);
        long batches =
                registry.get(PipelineMetrics.OUTCOME_BATCH_SIZE).summary().count();
        assertThat(batches).isBetween(1L, 4L);
        assertThat(registry.get(PipelineMetrics.OUTCOME_BATCH_DURATION).timer().count())
                .isEqualTo(batches);
        long claims = registry.get(PipelineMetrics.CLAIM_DURATION).timer().count();
        assertThat(claims).isPositive();
        assertThat(registry.get(PipelineMetrics.CLAIMED_RUNS).summary().count()).isEqualTo(claims);
        assertThat(registry.get(PipelineMetrics.CLAIM_DURATION).timer().totalTime(TimeUnit.NANOSECONDS))
                .isPositive();
    }

    @Test
    void commonTagsAreOnEveryMeter() {
        PipelineMetrics metrics = new PipelineMetrics(registry, Tags.of("pipeline", "orders"));
        metrics.outcomesRecorded(3, Duration.ofMillis(2));
        metrics.claimed(8, 2, Duration.ofMillis(1));

        assertThat(registry.get(PipelineMetrics.OUTCOME_BATCH_SIZE)
                        .tag("pipeline", "orders")
                        .summary()
                        .totalAmount())
                .isEqualTo(3.0);
        assertThat(registry.get(PipelineMetrics.CLAIM_DURATION)
                        .tag("pipeline", "orders")
                        .timer()
                        .totalTime(TimeUnit.MILLISECONDS))
                .isEqualTo(1.0);
        assertThat(registry.getMeters())
                .allSatisfy(m -> assertThat(m.getId().getTag("pipeline")).isEqualTo("orders"));
    }

    @Test
    void runGaugesShowTheCountsOfThePipeline() {
        ScriptedExecutor grant = new ScriptedExecutor("grant", true, RetryPolicy.none())
                .otherwise(ExecutionOutcome.permanent("HTTP 404", 404));
        ScriptedExecutor receipt = new ScriptedExecutor("receipt", true, RetryPolicy.none());
        start(grant, receipt);
        pipeline.submit(TestOrders.paidOrder("order-1").build());
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();

        try (RunCountGauges gauges = RunCountGauges.start(registry, pipeline::countRuns, Duration.ofHours(1))) {
            gauges.refresh();
            assertThat(runs("failed")).isEqualTo(1.0);
            assertThat(runs("pending")).isZero();
            assertThat(runs("awaiting_retry")).isZero();
            assertThat(runs("running")).isZero();
            assertThat(runs("stale")).isZero();
        }
        assertThat(registry.find(RunCountGauges.NAME).gauges()).isEmpty();
    }

    @Test
    void runGaugesAreNotCountedPerScrapeAndKeepTheirLastValueWhenCountingFails() {
        AtomicReference<RunCounts> counts = new AtomicReference<>(new RunCounts(5, 2, 1, 0, 3));
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        try (RunCountGauges gauges = RunCountGauges.start(
                registry,
                () -> {
                    calls.incrementAndGet();
                    RunCounts c = counts.get();
                    if (c == null) {
                        throw new IllegalStateException("database down");
                    }
                    return c;
                },
                Duration.ofHours(1))) {
            // the first count is made at start, on the gauges' thread; the next one only in an hour
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (Double.isNaN(runs("pending")) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(calls.get()).isOne();
            for (int i = 0; i < 10; i++) {
                assertThat(runs("pending")).isEqualTo(5.0);
            }
            assertThat(calls.get()).as("scrapes do not count").isOne();
            assertThat(runs("awaiting_retry")).isEqualTo(2.0);
            assertThat(runs("running")).isEqualTo(1.0);
            assertThat(runs("failed")).isEqualTo(3.0);

            counts.set(null);
            gauges.refresh();
            assertThat(runs("pending")).isEqualTo(5.0);

            counts.set(new RunCounts(0, 0, 7, 7, 0));
            gauges.refresh();
            assertThat(runs("stale")).isEqualTo(7.0);
        }
    }

    /** A grant that is retried once, a receipt skipped once, a postback refused for good every time. */
    private static ActionExecutor<?>[] oneOfEachOutcome() {
        return new ActionExecutor<?>[] {
            new ScriptedExecutor("grant", true, RetryPolicy.fixed(Duration.ofMillis(10), 3))
                    .thenReturn(ExecutionOutcome.retry("HTTP 503")),
            new ScriptedExecutor("receipt", true, RetryPolicy.none())
                    .thenReturn(ExecutionOutcome.skipped("no content")),
            new ScriptedExecutor("postback", true, RetryPolicy.none())
                    .otherwise(ExecutionOutcome.permanent("HTTP 410", 410))
        };
    }

    private void start(ActionExecutor<?>... executors) {
        startWith(new PipelineMetrics(registry), executors);
    }

    private void startWith(PipelineMetrics metrics, ActionExecutor<?>... executors) {
        ActionPipeline.Builder builder = ActionPipeline.builder()
                .store(ActionStateStore.inMemory())
                .definitions(definitions)
                .observer(metrics)
                .pollInterval(Duration.ofMillis(20));
        for (ActionExecutor<?> e : executors) {
            builder.executor(e);
            definitions.save(TestDefinitions.definition(e.type(), e.type(), ActionLevel.CHECKOUT, "checkout-1"));
        }
        pipeline = builder.build();
    }

    private void awaitFinished(String orderId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!pipeline.runsOfOrder(orderId).stream().allMatch(r -> r.status().isTerminal())) {
            assertThat(System.nanoTime()).as("order finished in time").isLessThan(deadline);
            pipeline.awaitIdle(Duration.ofMillis(50));
        }
        // its last outcome is heard by the observer before it is written: the meters are up to date now
    }

    /** Sleeps a fixed time in every attempt, then succeeds. */
    private static final class SleepingExecutor implements ActionExecutor<NoConfig> {
        private final String type;
        private final Duration sleep;

        SleepingExecutor(String type, Duration sleep) {
            this.type = type;
            this.sleep = sleep;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public Class<NoConfig> configType() {
            return NoConfig.class;
        }

        @Override
        public ExecutionOutcome execute(ExecutionContext<NoConfig> context) {
            try {
                Thread.sleep(sleep.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ExecutionOutcome.retry("interrupted");
            }
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

    private double attempts(String type, String outcome) {
        return registry.get(PipelineMetrics.ATTEMPTS)
                .tags("type", type, "outcome", outcome)
                .counter()
                .count();
    }

    private double runs(String status) {
        return registry.get(RunCountGauges.NAME).tag("status", status).gauge().value();
    }
}
