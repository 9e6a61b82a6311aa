package dev.postpurchase.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.RunStatus;
import dev.postpurchase.core.action.Trigger;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.ActionStateStore;
import dev.postpurchase.core.spi.CreateResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ActionStateStore} keeps: the invariants of the design, one final test each. Prove a
 * store by a subclass that creates it:
 *
 * <pre>{@code
 * class MyStoreContractTest extends AbstractActionStateStoreContractTest {
 *     @Override
 *     protected ActionStateStore createStore() {
 *         return new MyStore(...);
 *     }
 * }
 * }</pre>
 *
 * Each test gets a fresh, empty store from {@link #createStore()} (a database-backed store should truncate its
 * tables there) and closes it afterwards (override {@link #destroyStore(ActionStateStore)} to drop tables).
 */
public abstract class AbstractActionStateStoreContractTest {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final String IDEMPOTENT = "idempotent-type";
    private static final String NON_IDEMPOTENT = "non-idempotent-type";

    protected ActionStateStore store;
    private final String prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + "-";

    /** A new, empty store. */
    protected abstract ActionStateStore createStore();

    /** Releases a store after a test; closes it by default. */
    protected void destroyStore(ActionStateStore store) {
        store.close();
    }

    @BeforeEach
    final void setUpStore() {
        store = createStore();
    }

    @AfterEach
    final void tearDownStore() {
        destroyStore(store);
    }

    // ---- Invariant 1: idempotent creation -------------------------------------------------------------

    @Test
    @DisplayName("creating a trigger stores it with all its runs, pending and due")
    public final void createStoresTheTriggerAndAllItsRuns() {
        List<ActionRun> runs = newRuns("order-1", 3, IDEMPOTENT);
        CreateResult result = store.create(trigger("order-1"), runs);

        assertThat(result.created()).isTrue();
        assertThat(store.runs(TriggerKind.ORDER, id("order-1")))
                .extracting(ActionRun::id)
                .containsExactlyInAnyOrderElementsOf(
                        runs.stream().map(ActionRun::id).toList());
        assertThat(store.runs(TriggerKind.ORDER, id("order-1")))
                .allSatisfy(r -> assertThat(r.status()).isEqualTo(RunStatus.PENDING));
        assertThat(store.trigger(TriggerKind.ORDER, id("order-1"))).hasValueSatisfying(t -> {
            assertThat(t.payloadJson()).isEqualTo("{\"id\":\"" + id("order-1") + "\"}");
            assertThat(t.completedAt()).isNull();
        });
        assertThat(store.run(runs.get(0).id())).contains(runs.get(0));
    }

    @Test
    @DisplayName("submitting the same trigger twice creates its runs once")
    public final void createIsIdempotentOnTheTriggerKey() {
        List<ActionRun> runs = newRuns("order-2", 2, IDEMPOTENT);
        store.create(trigger("order-2"), runs);

        CreateResult second = store.create(trigger("order-2"), newRuns("order-2", 3, IDEMPOTENT));

        assertThat(second.created()).isFalse();
        assertThat(second.runs())
                .extracting(ActionRun::id)
                .containsExactlyInAnyOrderElementsOf(
                        runs.stream().map(ActionRun::id).toList());
        assertThat(store.runs(TriggerKind.ORDER, id("order-2"))).hasSize(2);
    }

    @Test
    @DisplayName("an order and an event with the same id are different triggers")
    public final void orderAndEventTriggersAreSeparate() {
        store.create(trigger("same-id"), newRuns("same-id", 1, IDEMPOTENT));
        ActionRun eventRun = ActionRun.create(
                TriggerKind.EVENT, id("same-id"), definition("event-def", IDEMPOTENT), RetryPolicy.none(), T0);
        CreateResult result =
                store.create(new Trigger(TriggerKind.EVENT, id("same-id"), "{}", T0, null), List.of(eventRun));

        assertThat(result.created()).isTrue();
        assertThat(store.runs(TriggerKind.EVENT, id("same-id")))
                .extracting(ActionRun::id)
                .containsExactly(eventRun.id());
        assertThat(store.runs(TriggerKind.ORDER, id("same-id"))).hasSize(1);
    }

    @Test
    @DisplayName("many threads creating the same trigger at once create its runs exactly once")
    public final void concurrentCreatesOfOneTriggerCreateItsRunsOnce() throws Exception {
        int threads = 8;
        List<Boolean> created =
                race(threads, () -> store.create(trigger("order-race"), newRuns("order-race", 3, IDEMPOTENT))
                        .created());

        assertThat(created.stream().filter(c -> c).count()).isEqualTo(1);
        assertThat(store.runs(TriggerKind.ORDER, id("order-race"))).hasSize(3);
    }

    @Test
    @DisplayName("a trigger without runs can be created and completed")
    public final void triggerWithoutRunsCanBeCreated() {
        CreateResult result = store.create(trigger("empty"), List.of());

        assertThat(result.created()).isTrue();
        assertThat(store.runs(TriggerKind.ORDER, id("empty"))).isEmpty();
        assertThat(store.markCompleted(TriggerKind.ORDER, id("empty"), T0)).isTrue();
    }

    // ---- Invariant 2: compare-and-set, one worker at a time -------------------------------------------

    @Test
    @DisplayName("a state change applies only on the expected status and version")
    public final void compareAndSetAppliesOnlyOnTheExpectedStatusAndVersion() {
        ActionRun run = single("order-cas");
        ActionRun claimed = run.claim("node-a", T0);

        assertThat(store.compareAndSet(run, claimed)).isTrue();
        assertThat(store.compareAndSet(run, run.claim("node-b", T0)))
                .as("stale version")
                .isFalse();

        ActionRun succeeded = claimed.succeed("result", null, T0.plusSeconds(1));
        assertThat(store.compareAndSet(claimed, succeeded)).isTrue();
        ActionRun stored = store.run(run.id()).orElseThrow();
        assertThat(stored.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(stored.version()).isEqualTo(run.version() + 2);
        assertThat(stored.result()).isEqualTo("result");
        assertThat(stored.owner()).isNull();
    }

    @Test
    @DisplayName("a replacement that does not follow the expected version is refused as a programming error")
    public final void compareAndSetRefusesAReplacementThatSkipsAVersion() {
        ActionRun run = single("order-skip");
        ActionRun skipping = run.claim("a", T0).succeed(null, null, T0);

        assertThatThrownBy(() -> store.compareAndSet(run, skipping)).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.run(run.id()).orElseThrow().status()).isEqualTo(RunStatus.PENDING);
    }

    @Test
    @DisplayName("of many threads changing the same run from the same version, exactly one wins")
    public final void concurrentCompareAndSetHasExactlyOneWinner() throws Exception {
        ActionRun run = single("order-cas-race");
        AtomicInteger n = new AtomicInteger();
        List<Boolean> wins = race(8, () -> store.compareAndSet(run, run.claim("node-" + n.incrementAndGet(), T0)));

        assertThat(wins.stream().filter(w -> w).count()).isEqualTo(1);
        assertThat(store.run(run.id()).orElseThrow().version()).isEqualTo(run.version() + 1);
    }

    @Test
    @DisplayName("claiming takes due pending runs only, earliest first, up to the limit")
    public final void claimTakesDueRunsEarliestFirst() {
        ActionRun early = single("order-early", T0.minusSeconds(30));
        ActionRun late = single("order-late", T0.minusSeconds(10));
        ActionRun future = single("order-future", T0.plusSeconds(60));

        List<ActionRun> first = claimOurs("node-a", T0, 1);
        List<ActionRun> second = claimOurs("node-a", T0, 10);

        assertThat(first).extracting(ActionRun::id).containsExactly(early.id());
        assertThat(second).extracting(ActionRun::id).containsExactly(late.id());
        assertThat(store.run(future.id()).orElseThrow().status()).isEqualTo(RunStatus.PENDING);
        ActionRun claimed = store.run(early.id()).orElseThrow();
        assertThat(claimed.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(claimed.owner()).isEqualTo("node-a");
        assertThat(claimed.attempts()).isEqualTo(1);
        assertThat(claimed.heartbeatAt()).isEqualTo(T0);
        assertThat(claimed.version()).isEqualTo(early.version() + 1);
    }

    @Test
    @DisplayName("many workers racing to claim the same runs never get the same run twice")
    public final void concurrentClaimsNeverHandOneRunToTwoOwners() throws Exception {
        int runCount = 60;
        store.create(trigger("order-claim-race"), newRuns("order-claim-race", runCount, IDEMPOTENT));
        Map<String, String> ownerByRun = new ConcurrentHashMap<>();
        AtomicInteger duplicates = new AtomicInteger();
        AtomicInteger worker = new AtomicInteger();

        race(6, () -> {
            String owner = "worker-" + worker.incrementAndGet();
            for (int i = 0; i < 40; i++) {
                for (ActionRun r : store.claim(owner, T0, 3, T0.minus(Duration.ofHours(1)), Set.of())) {
                    if (r.triggerId().equals(id("order-claim-race")) && ownerByRun.putIfAbsent(r.id(), owner) != null) {
                        duplicates.incrementAndGet();
                    }
                }
            }
            return true;
        });

        assertThat(duplicates).hasValue(0);
        assertThat(ownerByRun).hasSize(runCount);
        assertThat(store.runs(TriggerKind.ORDER, id("order-claim-race"))).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(RunStatus.RUNNING);
            assertThat(r.owner()).isEqualTo(ownerByRun.get(r.id()));
            assertThat(r.attempts()).isEqualTo(1);
        });
    }

    // ---- Invariant 7: leases, heartbeats, recovery ----------------------------------------------------

    @Test
    @DisplayName("a heartbeat renews the lease only for the run's owner and keeps the version")
    public final void heartbeatRenewsOnlyTheOwnersLease() {
        ActionRun run = single("order-hb");
        ActionRun claimed = claimOne("node-a", T0);

        assertThat(store.heartbeat(run.id(), "node-b", T0.plusSeconds(5))).isFalse();
        assertThat(store.heartbeat(run.id(), "node-a", T0.plusSeconds(5))).isTrue();

        ActionRun stored = store.run(run.id()).orElseThrow();
        assertThat(stored.heartbeatAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(stored.version()).isEqualTo(claimed.version());
        assertThat(store.compareAndSet(claimed, claimed.succeed(null, null, T0.plusSeconds(6))))
                .isTrue();
        assertThat(store.heartbeat(run.id(), "node-a", T0.plusSeconds(7)))
                .as("no lease once finished")
                .isFalse();
    }

    @Test
    @DisplayName("the store lists running runs whose heartbeat is older than a threshold as stale")
    public final void staleRunsAreThoseWithOldHeartbeats() {
        ActionRun old = single("order-stale");
        ActionRun fresh = single("order-fresh");
        claimOne("node-a", T0);
        claimOne("node-b", T0);
        store.heartbeat(fresh.id(), ownerOf(fresh), T0.plusSeconds(100));

        List<ActionRun> stale = ours(store.staleRuns(T0.plusSeconds(50), 100));

        assertThat(stale).extracting(ActionRun::id).containsExactly(old.id());
    }

    @Test
    @DisplayName("an abandoned run is recovered by claiming only when its type is idempotent")
    public final void claimRecoversStaleRunsOfIdempotentTypesOnly() {
        ActionRun idempotent = single("order-rec-1", T0, IDEMPOTENT);
        ActionRun other = single("order-rec-2", T0, NON_IDEMPOTENT);
        claimOurs("dead-node", T0, 10);

        Instant later = T0.plus(Duration.ofMinutes(5));
        List<ActionRun> recovered =
                claimOurs("node-b", later, 10, later.minus(Duration.ofMinutes(1)), Set.of(IDEMPOTENT));

        assertThat(recovered).extracting(ActionRun::id).containsExactly(idempotent.id());
        ActionRun taken = store.run(idempotent.id()).orElseThrow();
        assertThat(taken.owner()).isEqualTo("node-b");
        assertThat(taken.attempts()).isEqualTo(2);
        ActionRun left = store.run(other.id()).orElseThrow();
        assertThat(left.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(left.owner()).isEqualTo("dead-node");
        assertThat(ours(store.staleRuns(later.minus(Duration.ofMinutes(1)), 100)))
                .extracting(ActionRun::id)
                .containsExactly(other.id());
    }

    @Test
    @DisplayName("a run whose lease was taken over cannot be finished by its former owner")
    public final void formerOwnerCannotFinishARecoveredRun() {
        ActionRun run = single("order-takeover");
        ActionRun byA = claimOne("node-a", T0);
        Instant later = T0.plus(Duration.ofMinutes(5));
        claimOurs("node-b", later, 10, later.minusSeconds(60), Set.of(IDEMPOTENT));

        assertThat(store.compareAndSet(byA, byA.succeed(null, null, later))).isFalse();
        assertThat(store.heartbeat(run.id(), "node-a", later)).isFalse();
        assertThat(store.run(run.id()).orElseThrow().owner()).isEqualTo("node-b");
    }

    // ---- Invariants 3, 4, 5: snapshot, re-run, retries --------------------------------------------------

    @Test
    @DisplayName("a scheduled retry keeps the run pending with its error and next attempt time, and is not due early")
    public final void retryKeepsTheRunPendingWithItsErrorAndDueTime() {
        ActionRun run = single("order-retry");
        ActionRun claimed = claimOne("node-a", T0);
        Instant next = T0.plus(Duration.ofMinutes(10));

        assertThat(store.compareAndSet(claimed, claimed.retryAt(next, "HTTP 503", 503, "partial", T0)))
                .isTrue();

        ActionRun stored = store.run(run.id()).orElseThrow();
        assertThat(stored.awaitingRetry()).isTrue();
        assertThat(stored.lastError()).isEqualTo("HTTP 503");
        assertThat(stored.lastStatusCode()).isEqualTo(503);
        assertThat(stored.nextAttemptAt()).isEqualTo(next);
        assertThat(stored.result()).isEqualTo("partial");
        assertThat(claimOurs("node-a", next.minusSeconds(1), 10)).isEmpty();
        assertThat(store.nextDueAt()).hasValueSatisfying(due -> assertThat(due).isBeforeOrEqualTo(next));
        assertThat(claimOurs("node-a", next, 10))
                .extracting(ActionRun::attempts)
                .containsExactly(2);
    }

    @Test
    @DisplayName("a failed run keeps its reason and is never claimed again")
    public final void failedRunKeepsItsReasonAndIsNotClaimed() {
        ActionRun run = single("order-fail");
        ActionRun claimed = claimOne("node-a", T0);

        store.compareAndSet(claimed, claimed.fail("gave up after 5 attempts: HTTP 500", 500, null, T0));

        ActionRun stored = store.run(run.id()).orElseThrow();
        assertThat(stored.status()).isEqualTo(RunStatus.FAILED);
        assertThat(stored.lastError()).isEqualTo("gave up after 5 attempts: HTTP 500");
        assertThat(stored.nextAttemptAt()).isNull();
        assertThat(claimOurs("node-a", T0.plus(Duration.ofDays(1)), 10)).isEmpty();
    }

    @Test
    @DisplayName("a re-run with the latest template replaces the snapshot for good and starts a fresh budget")
    public final void rerunWithLatestTemplateReplacesTheSnapshotForGood() {
        ActionRun run = single("order-rerun");
        ActionRun claimed = claimOne("node-a", T0);
        ActionRun failed = claimed.fail("bad url", 404, null, T0);
        store.compareAndSet(claimed, failed);
        ActionDefinition latest = ActionDefinition.builder(IDEMPOTENT)
                .id(run.definitionId())
                .name("renamed")
                .checkout("checkout-1")
                .configJson("{\"url\":\"https://new.example.com\"}")
                .build();

        ActionRun rerun = failed.rerun(latest, RetryPolicy.fixed(Duration.ofMinutes(1), 2), T0.plusSeconds(1));
        assertThat(store.compareAndSet(failed, rerun)).isTrue();

        ActionRun stored = store.run(run.id()).orElseThrow();
        assertThat(stored.configJson()).isEqualTo("{\"url\":\"https://new.example.com\"}");
        assertThat(stored.name()).isEqualTo("renamed");
        assertThat(stored.retryPolicy()).isEqualTo(RetryPolicy.fixed(Duration.ofMinutes(1), 2));
        assertThat(stored.attempts()).isZero();
        assertThat(stored.totalAttempts()).isEqualTo(1);
        assertThat(stored.rerunCount()).isEqualTo(1);
        assertThat(stored.status()).isEqualTo(RunStatus.PENDING);
        assertThat(stored.lastError()).isNull();
    }

    @Test
    @DisplayName("changing one run never changes the other runs of the trigger")
    public final void changingOneRunLeavesItsSiblingsAlone() {
        List<ActionRun> runs = newRuns("order-siblings", 3, IDEMPOTENT);
        store.create(trigger("order-siblings"), runs);
        ActionRun first = runs.get(0);

        store.compareAndSet(first, first.claim("node-a", T0));

        for (ActionRun sibling : runs.subList(1, 3)) {
            assertThat(store.run(sibling.id())).contains(sibling);
        }
    }

    // ---- Invariant 6: completion reported once -------------------------------------------------------------

    @Test
    @DisplayName("a trigger is marked completed exactly once, even when many threads see it finish")
    public final void markCompletedAnswersTrueToExactlyOneCaller() throws Exception {
        store.create(trigger("order-complete"), newRuns("order-complete", 1, IDEMPOTENT));

        List<Boolean> answers = race(8, () -> store.markCompleted(TriggerKind.ORDER, id("order-complete"), T0));

        assertThat(answers.stream().filter(a -> a).count()).isEqualTo(1);
        assertThat(store.trigger(TriggerKind.ORDER, id("order-complete"))
                        .orElseThrow()
                        .completedAt())
                .isEqualTo(T0);
        assertThat(store.markCompleted(TriggerKind.ORDER, id("order-complete"), T0.plusSeconds(1)))
                .isFalse();
    }

    @Test
    @DisplayName("a trigger whose runs all succeeded but that was never marked completed is found for the sweep")
    public final void finishedButNotCompletedTriggersAreFound() {
        ActionRun run = single("order-unmarked");
        ActionRun other = single("order-still-running");
        ActionRun claimed = claimOurs("a", T0, 10).stream()
                .filter(r -> r.id().equals(run.id()))
                .findFirst()
                .orElseThrow();
        store.compareAndSet(claimed, claimed.succeed(null, null, T0));

        assertThat(ourTriggers(store.finishedButNotCompleted(1000)).stream().map(Trigger::id))
                .containsExactly(id("order-unmarked"))
                .doesNotContain(other.triggerId());
        store.markCompleted(TriggerKind.ORDER, id("order-unmarked"), T0);
        assertThat(ourTriggers(store.finishedButNotCompleted(1000))).isEmpty();
    }

    // ---- Invariant 7: nothing lost; retention -------------------------------------------------------------

    @Test
    @DisplayName("a run is never lost through any sequence of transitions")
    public final void runsSurviveEveryTransition() {
        ActionRun run = single("order-lifecycle");
        ActionRun c1 = claimOne("a", T0);
        ActionRun r1 = c1.retryAt(T0.plusSeconds(1), "x", null, null, T0);
        store.compareAndSet(c1, r1);
        ActionRun c2 = claimOurs("b", T0.plusSeconds(1), 1).get(0);
        ActionRun f = c2.fail("y", null, null, T0.plusSeconds(2));
        store.compareAndSet(c2, f);
        ActionRun re = f.rerun(null, null, T0.plusSeconds(3));
        store.compareAndSet(f, re);
        ActionRun c3 = claimOurs("c", T0.plusSeconds(3), 1).get(0);
        store.compareAndSet(c3, c3.succeed("ok", null, T0.plusSeconds(4)));

        ActionRun stored = store.run(run.id()).orElseThrow();
        assertThat(stored.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(stored.totalAttempts()).isEqualTo(3);
        assertThat(stored.attempts()).isEqualTo(1);
        assertThat(stored.rerunCount()).isEqualTo(1);
        assertThat(store.runs(TriggerKind.ORDER, id("order-lifecycle"))).hasSize(1);
    }

    @Test
    @DisplayName("retention deletes only triggers whose runs all finished before the cutoff, in bounded batches")
    public final void deleteFinishedBeforeRemovesOnlyOldFinishedTriggers() {
        for (int i = 0; i < 3; i++) {
            ActionRun r = single("old-" + i);
            ActionRun c = claimOne("a", T0);
            store.compareAndSet(c, c.succeed(null, null, T0));
            assertThat(r.id()).isEqualTo(c.id());
        }
        ActionRun pending = single("still-pending", T0.plus(Duration.ofDays(30)));
        ActionRun recent = single("recent");
        ActionRun rc = claimOurs("a", T0.plus(Duration.ofDays(2)), 1).get(0);
        store.compareAndSet(rc, rc.succeed(null, null, T0.plus(Duration.ofDays(2))));

        Instant cutoff = T0.plus(Duration.ofDays(1));
        int total = 0;
        int batch;
        do {
            batch = store.deleteFinishedBefore(cutoff, 2);
            assertThat(batch).as("two triggers of one run each").isLessThanOrEqualTo(2 * (1 + 1));
            total += batch;
        } while (batch > 0);

        assertThat(total).isGreaterThanOrEqualTo(3 * 2);
        for (int i = 0; i < 3; i++) {
            assertThat(store.trigger(TriggerKind.ORDER, id("old-" + i))).isEmpty();
            assertThat(store.runs(TriggerKind.ORDER, id("old-" + i))).isEmpty();
        }
        assertThat(store.run(pending.id())).isPresent();
        assertThat(store.run(recent.id())).isPresent();
    }

    @Test
    @DisplayName("the runs of a trigger come back oldest first")
    public final void runsOfATriggerComeOldestFirst() {
        ActionDefinition d1 = definition("z-def", IDEMPOTENT);
        ActionDefinition d2 = definition("a-def", IDEMPOTENT);
        ActionRun first = ActionRun.create(TriggerKind.ORDER, id("order-order"), d1, RetryPolicy.none(), T0);
        ActionRun second =
                ActionRun.create(TriggerKind.ORDER, id("order-order"), d2, RetryPolicy.none(), T0.plusSeconds(1));
        store.create(trigger("order-order"), List.of(second, first));

        assertThat(store.runs(TriggerKind.ORDER, id("order-order")))
                .extracting(ActionRun::id)
                .containsExactly(first.id(), second.id());
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    /** Trigger ids are prefixed per test instance so stores on a shared database do not see each other's data. */
    protected final String id(String name) {
        return prefix + name;
    }

    private Trigger trigger(String name) {
        return new Trigger(TriggerKind.ORDER, id(name), "{\"id\":\"" + id(name) + "\"}", T0, null);
    }

    private static ActionDefinition definition(String id, String type) {
        return ActionDefinition.builder(type)
                .id(id)
                .name(id)
                .checkout("checkout-1")
                .configJson("{}")
                .build();
    }

    private List<ActionRun> newRuns(String name, int count, String type) {
        List<ActionRun> runs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            runs.add(ActionRun.create(
                    TriggerKind.ORDER,
                    id(name),
                    definition("def-" + i, type),
                    RetryPolicy.fixed(Duration.ofMinutes(10), 4),
                    T0.minusSeconds(60)));
        }
        return runs;
    }

    private ActionRun single(String name) {
        return single(name, T0.minusSeconds(60), IDEMPOTENT);
    }

    private ActionRun single(String name, Instant dueAt) {
        return single(name, dueAt, IDEMPOTENT);
    }

    private ActionRun single(String name, Instant dueAt, String type) {
        ActionRun run = ActionRun.create(
                TriggerKind.ORDER,
                id(name),
                definition("def-0", type),
                RetryPolicy.fixed(Duration.ofMinutes(10), 4),
                dueAt);
        store.create(trigger(name), List.of(run));
        return run;
    }

    private ActionRun claimOne(String owner, Instant now) {
        List<ActionRun> claimed = claimOurs(owner, now, 1);
        assertThat(claimed).hasSize(1);
        return claimed.get(0);
    }

    private List<ActionRun> claimOurs(String owner, Instant now, int limit) {
        return claimOurs(owner, now, limit, now.minus(Duration.ofDays(365)), Set.of());
    }

    /** Claims, keeping only this test's runs. */
    private List<ActionRun> claimOurs(
            String owner, Instant now, int limit, Instant staleBefore, Set<String> recoverable) {
        List<ActionRun> result = new ArrayList<>();
        for (ActionRun run : store.claim(owner, now, limit, staleBefore, recoverable)) {
            if (run.triggerId().startsWith(prefix)) {
                result.add(run);
            }
        }
        return result;
    }

    private String ownerOf(ActionRun run) {
        return store.run(run.id()).orElseThrow().owner();
    }

    private List<ActionRun> ours(List<ActionRun> runs) {
        return runs.stream().filter(r -> r.triggerId().startsWith(prefix)).toList();
    }

    private List<Trigger> ourTriggers(List<Trigger> triggers) {
        return triggers.stream().filter(t -> t.id().startsWith(prefix)).toList();
    }

    private static <T> List<T> race(int threads, Callable<T> task) throws Exception {
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
            List<T> results = Collections.synchronizedList(new ArrayList<>());
            for (Future<T> f : futures) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
