package dev.postpurchase.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.retry.RetryPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitingCommitTest {
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    // no watcher thread: these tests call check themselves, at times of their choosing
    private final AwaitingCommit awaiting = new AwaitingCommit(Duration.ofSeconds(1), false);

    @Test
    void anEntryIsDoneOnceWhenOneOfItsRunsIsClaimed() {
        ActionRun first = run("o-1");
        ActionRun second = run("o-1");
        AtomicInteger done = new AtomicInteger();
        awaiting.add("order:o-1", List.of(first.id(), second.id()), run -> true, () -> false, done::incrementAndGet);

        awaiting.claimed(List.of(run("o-2")));
        assertThat(done).as("another order's run proves nothing").hasValue(0);

        awaiting.claimed(List.of(second));
        awaiting.claimed(List.of(first, second));

        assertThat(done).hasValue(1);
        assertThat(awaiting.isEmpty()).isTrue();
        awaiting.close();
    }

    @Test
    void anEntryIsCheckedAfterTheFirstDelayThenLessOftenAndDoneWhenFoundCommitted() {
        AtomicInteger checks = new AtomicInteger();
        AtomicBoolean committed = new AtomicBoolean();
        AtomicInteger done = new AtomicInteger();
        awaiting.add(
                "order:o-1",
                List.of(),
                run -> true,
                () -> {
                    checks.incrementAndGet();
                    return committed.get();
                },
                done::incrementAndGet);
        long start = System.nanoTime(); // after the add: its first check is due by then

        assertThat(awaiting.check(start - 1))
                .as("nothing checked before the first delay")
                .isPositive();
        assertThat(checks).hasValue(0);

        long untilNext = awaiting.check(start + SECOND);
        assertThat(checks).hasValue(1);
        assertThat(untilNext).as("backs off: twice the first delay").isEqualTo(2 * SECOND);

        committed.set(true);
        assertThat(awaiting.check(start + SECOND + 2 * SECOND)).isEqualTo(Long.MAX_VALUE);
        assertThat(checks).hasValue(2);
        assertThat(done).hasValue(1);
        assertThat(awaiting.isEmpty()).isTrue();
        awaiting.close();
    }

    @Test
    void anEntryNeverSeenCommittedIsDroppedAsRolledBackWithoutItsAction() {
        AtomicInteger done = new AtomicInteger();
        awaiting.add("order:o-1", List.of(), run -> true, () -> false, done::incrementAndGet);
        long start = System.nanoTime(); // after the add: its first check is due by then

        awaiting.check(start + AwaitingCommit.GIVE_UP_AFTER.toNanos() + SECOND);

        assertThat(awaiting.isEmpty()).isTrue();
        assertThat(done).hasValue(0);
        awaiting.close();
    }

    @Test
    void aCheckThatFailsIsRetriedLater() {
        AtomicInteger done = new AtomicInteger();
        awaiting.add(
                "order:o-1",
                List.of(),
                run -> true,
                () -> {
                    throw new IllegalStateException("database down");
                },
                done::incrementAndGet);
        long start = System.nanoTime(); // after the add: its first check is due by then

        assertThat(awaiting.check(start + SECOND)).isEqualTo(2 * SECOND);
        assertThat(awaiting.isEmpty()).isFalse();
        assertThat(done).hasValue(0);
        awaiting.close();
    }

    @Test
    void itsOwnThreadDoesAnEntryOnceItIsCommittedAndStopsWhenNothingWaits() throws InterruptedException {
        AwaitingCommit quick = new AwaitingCommit(Duration.ofMillis(5));
        AtomicBoolean committed = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        quick.add("order:o-1", List.of(), run -> true, committed::get, done::countDown);

        committed.set(true);

        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(quick.isEmpty()).isTrue();
        quick.close();
    }

    @Test
    void closingDropsWhatWaitsAndLaterEntriesAreIgnored() {
        AtomicInteger done = new AtomicInteger();
        ActionRun run = run("o-1");
        awaiting.add("order:o-1", List.of(run.id()), r -> true, () -> true, done::incrementAndGet);

        awaiting.close();
        awaiting.add("order:o-2", List.of(), r -> true, () -> true, done::incrementAndGet);
        awaiting.claimed(List.of(run));

        assertThat(done).hasValue(0);
        assertThat(awaiting.isEmpty()).isTrue();
    }

    @Test
    void aLaterWriteOfTheSameKeySupersedesAnEntryWhoseTransactionRolledBack() {
        ActionRun run = run("o-1");
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        awaiting.add("order:o-1", List.of(run.id()), r -> true, () -> true, first::incrementAndGet);

        awaiting.add("order:o-1", List.of(run.id()), r -> true, () -> true, second::incrementAndGet);
        awaiting.claimed(List.of(run));

        assertThat(first).as("rolled back: never reported").hasValue(0);
        assertThat(second).hasValue(1);
        awaiting.close();
    }

    @Test
    void aWriteOfTheSameKeyThatThisNodeCommittedItselfSupersedesTheEntry() {
        AtomicInteger done = new AtomicInteger();
        awaiting.add("run:r-1", List.of(), r -> true, () -> true, done::incrementAndGet);

        awaiting.supersede("run:r-2");
        assertThat(awaiting.isEmpty()).isFalse();
        awaiting.supersede("run:r-1");

        assertThat(awaiting.isEmpty()).isTrue();
        assertThat(done).hasValue(0);
        awaiting.close();
    }

    @Test
    void aClaimOfTheRunAsAnotherTransactionWroteItDropsTheEntry() {
        ActionRun run = run("o-1");
        AtomicInteger done = new AtomicInteger();
        awaiting.add("order:o-1", List.of(run.id()), r -> false, () -> true, done::incrementAndGet);

        awaiting.claimed(List.of(run));

        assertThat(done).hasValue(0);
        assertThat(awaiting.isEmpty()).isTrue();
        awaiting.close();
    }

    @Test
    void entriesAddedJustAsTheWatcherRunsOutOfWorkAreStillDone() throws InterruptedException {
        AwaitingCommit quick = new AwaitingCommit(Duration.ofMillis(1));
        for (int i = 0; i < 50; i++) {
            CountDownLatch done = new CountDownLatch(1);
            quick.add("order:o-" + i, List.of(), r -> true, () -> true, done::countDown);
            assertThat(done.await(10, TimeUnit.SECONDS)).as("entry %s", i).isTrue();
        }
        quick.close();
    }

    private static ActionRun run(String orderId) {
        ActionDefinition definition = ActionDefinition.builder("record")
                .id("d-1")
                .checkout("c-1")
                .config(Map.of())
                .build();
        return ActionRun.create(TriggerKind.ORDER, orderId, definition, RetryPolicy.none(), T0);
    }
}
