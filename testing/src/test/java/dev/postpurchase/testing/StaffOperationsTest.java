package dev.postpurchase.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.AttemptRecord;
import dev.postpurchase.core.action.BulkResult;
import dev.postpurchase.core.action.FieldChange;
import dev.postpurchase.core.action.RerunOptions;
import dev.postpurchase.core.action.RerunPreview;
import dev.postpurchase.core.action.RunCounts;
import dev.postpurchase.core.action.RunQuery;
import dev.postpurchase.core.action.RunStatus;
import dev.postpurchase.core.memory.InMemoryDefinitionSource;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.ActionStateStore;
import dev.postpurchase.core.spi.ExecutionOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What staff do from the admin page, through the pipeline: preview and re-run, bulk re-run, retry now, counts. */
class StaffOperationsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final MutableClock clock = MutableClock.atDefaultStart();
    private final InMemoryDefinitionSource definitions = new InMemoryDefinitionSource();
    private ActionPipeline pipeline;

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.shutdown(Duration.ofSeconds(5));
        }
    }

    private ActionPipeline start(ScriptedExecutor executor) {
        pipeline = ActionPipeline.builder()
                .store(ActionStateStore.inMemory())
                .definitions(definitions)
                .executor(executor)
                .clock(clock)
                .pollInterval(Duration.ofMillis(20))
                .build();
        return pipeline;
    }

    private ActionDefinition save(String id, Map<String, ?> config) {
        return definitions.save(TestDefinitions.definition(id, "hook", ActionLevel.CHECKOUT, "checkout-1", config));
    }

    private ActionRun onlyRun(String orderId) {
        List<ActionRun> runs = pipeline.runsOfOrder(orderId);
        assertThat(runs).hasSize(1);
        return runs.get(0);
    }

    private void idle() {
        assertThat(pipeline.awaitIdle(WAIT)).isTrue();
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

    @Test
    void aPreviewWithTheLatestTemplateListsEachChangedFieldWithSecretsMaskedAndTheRerunUsesIt() {
        ScriptedExecutor hook = new ScriptedExecutor("hook", true, RetryPolicy.none())
                .thenReturn(ExecutionOutcome.permanent("HTTP 410"));
        start(hook);
        save("hook-1", Map.of("url", "https://old.example/hook", "secret", "whsec_old", "events", List.of("paid")));
        pipeline.submit(TestOrders.paidOrder("o-1").build());
        idle();
        ActionRun failed = onlyRun("o-1");
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        save("hook-1", Map.of("url", "https://new.example/hook", "secret", "whsec_new", "events", List.of("paid")));

        RerunPreview preview =
                pipeline.previewRerun(failed.id(), RerunOptions.defaults().withLatestTemplate());

        assertThat(preview.allowed()).isTrue();
        assertThat(preview.newDelivery())
                .as("a FAILED run never reached its receiver")
                .isFalse();
        assertThat(preview.templateChanges())
                .containsExactlyInAnyOrder(
                        new FieldChange("url", "https://old.example/hook", "https://new.example/hook", false),
                        new FieldChange("secret", FieldChange.MASK, FieldChange.MASK, true));
        assertThat(preview.toString()).doesNotContain("whsec_old", "whsec_new");
        assertThat(pipeline.previewRerun(failed.id(), RerunOptions.defaults()).templateChanges())
                .as("without the latest template nothing changes")
                .isEmpty();

        pipeline.rerun(failed.id(), RerunOptions.defaults().withLatestTemplate());
        idle();

        ActionRun rerun = onlyRun("o-1");
        assertThat(rerun.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(rerun.configJson()).contains("https://new.example/hook");
        assertThat(pipeline.attemptsOf(rerun.id()))
                .extracting(AttemptRecord::outcome)
                .containsExactly(AttemptRecord.Outcome.FAILED, AttemptRecord.Outcome.SUCCEEDED);
    }

    @Test
    void aPreviewOfASucceededRunWarnsOfItsSideEffectsAndNeedsTheAcknowledgement() {
        start(new ScriptedExecutor("hook", true, RetryPolicy.none()));
        save("hook-1", Map.of("url", "https://example.com/hook"));
        pipeline.submit(TestOrders.paidOrder("o-1").build());
        idle();
        ActionRun succeeded = onlyRun("o-1");
        assertThat(succeeded.status()).isEqualTo(RunStatus.SUCCEEDED);

        RerunPreview unacknowledged = pipeline.previewRerun(succeeded.id(), RerunOptions.defaults());
        RerunPreview acknowledged =
                pipeline.previewRerun(succeeded.id(), RerunOptions.defaults().acknowledgingSucceeded());

        assertThat(unacknowledged.allowed()).isFalse();
        assertThat(unacknowledged.blockedBy()).contains("acknowledgeSucceeded");
        assertThat(unacknowledged.warnings()).anyMatch(w -> w.contains("fires its side effects again"));
        assertThat(acknowledged.allowed()).isTrue();
        assertThat(acknowledged.newDelivery()).isTrue();
        assertThat(acknowledged.warnings()).anyMatch(w -> w.contains("new idempotency key"));
        assertThat(pipeline.run(succeeded.id()).orElseThrow().version())
                .as("a preview changes nothing")
                .isEqualTo(succeeded.version());
    }

    @Test
    void aPreviewOfARunningRunWarnsThatItMayStillBeRunningElsewhereAndNeedsForce() throws Exception {
        ScriptedExecutor hook = new ScriptedExecutor("hook", false, RetryPolicy.none()).holdExecutions();
        start(hook);
        save("hook-1", Map.of("url", "https://example.com/hook"));
        pipeline.submit(TestOrders.paidOrder("o-1").build());
        assertThat(hook.awaitEntered(WAIT)).isTrue();
        ActionRun running = onlyRun("o-1");
        assertThat(running.status()).isEqualTo(RunStatus.RUNNING);

        RerunPreview unforced = pipeline.previewRerun(running.id(), RerunOptions.defaults());
        RerunPreview forced =
                pipeline.previewRerun(running.id(), RerunOptions.defaults().forced());

        assertThat(unforced.blockedBy()).contains("needs force");
        assertThat(unforced.warnings())
                .anyMatch(w -> w.contains("may still be running there") && w.contains(running.owner()));
        assertThat(forced.allowed()).isTrue();
        hook.release();
    }

    @Test
    void aBulkRerunCountsFirstInADryRunStopsAtItsCapAndThenRerunsWhatItCounted() throws Exception {
        ScriptedExecutor hook = new ScriptedExecutor("hook", true, RetryPolicy.none());
        for (int i = 0; i < 5; i++) {
            hook.thenReturn(ExecutionOutcome.permanent("HTTP 410"));
        }
        start(hook);
        save("hook-1", Map.of("url", "https://example.com/hook"));
        for (int i = 0; i < 5; i++) {
            pipeline.submit(TestOrders.paidOrder("o-" + i).build());
        }
        idle();
        RunQuery failed = RunQuery.builder().status(RunQuery.Status.FAILED).build();
        assertThat(pipeline.countRuns().failed()).isEqualTo(5);

        BulkResult dryRun = pipeline.rerunAll(failed, RerunOptions.defaults(), 3, true);
        assertThat(dryRun.dryRun()).isTrue();
        assertThat(dryRun.matched()).isEqualTo(3);
        assertThat(dryRun.capped()).isTrue();
        assertThat(dryRun.skipped()).isEmpty();
        assertThat(dryRun.done()).isZero();
        assertThat(pipeline.countRuns().failed())
                .as("a dry run changes nothing")
                .isEqualTo(5);

        BulkResult done = pipeline.rerunAll(failed, RerunOptions.defaults(), 3, false);
        idle();
        assertThat(done.done()).isEqualTo(3);
        assertThat(pipeline.countRuns().failed()).isEqualTo(2);
        assertThat(hook.calls()).isEqualTo(8);

        BulkResult rest = pipeline.rerunAll(failed, RerunOptions.defaults(), 10, false);
        idle();
        assertThat(rest.matched()).isEqualTo(2);
        assertThat(rest.capped()).isFalse();
        assertThat(pipeline.countRuns().failed()).isZero();
        assertThatThrownBy(() -> pipeline.rerunAll(failed, RerunOptions.defaults(), 0, true))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("cap");
    }

    @Test
    void aBulkRerunSkipsSucceededRunsWithoutTheAcknowledgementAndSaysWhy() {
        start(new ScriptedExecutor("hook", true, RetryPolicy.none()));
        save("hook-1", Map.of("url", "https://example.com/hook"));
        pipeline.submit(TestOrders.paidOrder("o-1").build());
        idle();

        BulkResult result =
                pipeline.rerunAll(RunQuery.builder().order("o-1").build(), RerunOptions.defaults(), 10, false);

        assertThat(result.done()).isZero();
        assertThat(result.skipped()).containsOnlyKeys(onlyRun("o-1").id());
        assertThat(result.skipped().values()).allMatch(reason -> reason.contains("acknowledgeSucceeded"));
    }

    @Test
    void retryNowBringsEveryWaitingRetryForwardWithoutWaitingForTheBackoff() throws Exception {
        ScriptedExecutor hook = new ScriptedExecutor("hook", true, RetryPolicy.fixed(Duration.ofHours(1), 5))
                .thenReturn(ExecutionOutcome.retry("HTTP 503"), ExecutionOutcome.retry("HTTP 503"));
        start(hook);
        save("hook-1", Map.of("url", "https://example.com/hook"));
        pipeline.submit(TestOrders.paidOrder("o-1").build());
        pipeline.submit(TestOrders.paidOrder("o-2").build());
        await(() -> hook.calls() == 2 && pipeline.countRuns().awaitingRetry() == 2);
        RunCounts waiting = pipeline.countRuns();
        assertThat(waiting.awaitingRetry()).isEqualTo(2);
        assertThat(pipeline.findRuns(RunQuery.builder()
                                .status(RunQuery.Status.AWAITING_RETRY)
                                .build())
                        .runs())
                .hasSize(2);

        BulkResult dryRun = pipeline.retryNowAll(
                RunQuery.builder().status(RunQuery.Status.AWAITING_RETRY).build(), 10, true);
        assertThat(dryRun.matched()).isEqualTo(2);
        assertThat(pipeline.countRuns().awaitingRetry()).isEqualTo(2);

        pipeline.retryNowAll(
                RunQuery.builder().status(RunQuery.Status.AWAITING_RETRY).build(), 10, false);
        idle();

        assertThat(hook.calls())
                .as("both retried with the clock standing still")
                .isEqualTo(4);
        assertThat(onlyRun("o-1").status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(onlyRun("o-2").status()).isEqualTo(RunStatus.SUCCEEDED);
    }
}
