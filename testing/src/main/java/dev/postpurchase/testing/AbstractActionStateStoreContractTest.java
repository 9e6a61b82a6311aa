package dev.postpurchase.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.AttemptRecord;
import dev.postpurchase.core.action.RunCounts;
import dev.postpurchase.core.action.RunPage;
import dev.postpurchase.core.action.RunQuery;
import dev.postpurchase.core.action.RunSnapshot;
import dev.postpurchase.core.action.RunState;
import dev.postpurchase.core.action.RunStatus;
import dev.postpurchase.core.action.Trigger;
import dev.postpurchase.core.action.TriggerCompletion;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.ActionStateStore;
import dev.postpurchase.core.spi.AttemptResult;
import dev.postpurchase.core.spi.ClaimRequest;
import dev.postpurchase.core.spi.CreateResult;
import dev.postpurchase.core.spi.RecordedOutcomes;
import dev.postpurchase.core.spi.Requeue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ActionStateStore} keeps: the invariants of the design, grouped by invariant, one final
 * test per rule. Prove a store by a subclass that creates it:
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
 * tables there) and closes it afterwards (override {@link #destroyStore(ActionStateStore)} to drop tables). Tests
 * pass this JVM's clock as {@code now} and move time with durations and short waits, so a store that judges time by
 * its own clock (a database's) passes as long as that clock agrees with this JVM's to within a second.
 */
public abstract class AbstractActionStateStoreContractTest {
    private static final String IDEMPOTENT = "idempotent-type";
    private static final String NON_IDEMPOTENT = "non-idempotent-type";
    private static final Set<String> BOTH = Set.of(IDEMPOTENT, NON_IDEMPOTENT);
    private static final Duration LONG_LEASE = Duration.ofHours(1);

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

    @Nested
    @DisplayName("Invariant 1: submitting the same trigger twice creates its runs once")
    public class Creation {

        @Test
        @DisplayName("creating a trigger stores it with all its runs, pending and due at once")
        public final void createStoresTheTriggerAndAllItsRunsPendingAndDue() {
            List<ActionRun> runs = newRuns("order-1", 3, IDEMPOTENT);
            CreateResult result = store.create(trigger("order-1"), runs);

            assertThat(result.created()).isTrue();
            assertThat(result.completion()).isNull();
            List<ActionRun> stored = store.runs(TriggerKind.ORDER, id("order-1"));
            assertThat(stored).extracting(ActionRun::id).containsExactlyInAnyOrderElementsOf(ids(runs));
            assertThat(stored).allSatisfy(r -> {
                assertThat(r.status()).isEqualTo(RunStatus.PENDING);
                assertThat(r.attempts()).isZero();
            });
            assertThat(store.trigger(TriggerKind.ORDER, id("order-1"))).hasValueSatisfying(t -> {
                assertThat(t.payloadJson()).isEqualTo("{\"id\":\"" + id("order-1") + "\"}");
                assertThat(t.completedAt()).isNull();
            });
            assertThat(store.run(runs.get(0).id()).orElseThrow().snapshot())
                    .as("the snapshot as given, but for the store's clock")
                    .usingRecursiveComparison()
                    .ignoringFields("createdAt")
                    .isEqualTo(runs.get(0).snapshot());
            assertThat(result.runs())
                    .as("what create returns is what is stored, to the store's precision")
                    .containsExactlyInAnyOrderElementsOf(stored);
            List<ActionRun> claimed = claim("node-a", 10, IDEMPOTENT);
            assertThat(claimed).extracting(ActionRun::id).containsExactlyInAnyOrderElementsOf(ids(runs));
            assertThat(claimed)
                    .as("a claim reads the creation time create returned")
                    .allSatisfy(run -> assertThat(run.createdAt())
                            .isEqualTo(result.runs().stream()
                                    .filter(r -> r.id().equals(run.id()))
                                    .findFirst()
                                    .orElseThrow()
                                    .createdAt()));
        }

        @Test
        @DisplayName("a trigger created with nothing to run is complete at once, at the time it was stored")
        public final void aTriggerWithNothingToRunIsCompleteAtOnce() {
            CreateResult result = store.create(trigger("order-empty"), List.of());

            assertThat(result.created()).isTrue();
            TriggerCompletion completion = Objects.requireNonNull(result.completion(), "completion");
            assertThat(store.trigger(TriggerKind.ORDER, id("order-empty"))
                            .orElseThrow()
                            .completedAt())
                    .isEqualTo(completion.completedAt());
        }

        @Test
        @DisplayName("submitting the same trigger twice creates its runs once and returns the stored ones")
        public final void createIsIdempotentOnTheTriggerKey() {
            List<ActionRun> runs = newRuns("order-2", 2, IDEMPOTENT);
            store.create(trigger("order-2"), runs);

            CreateResult second = store.create(trigger("order-2"), newRuns("order-2", 3, IDEMPOTENT));

            assertThat(second.created()).isFalse();
            assertThat(second.completion()).isNull();
            assertThat(second.runs()).extracting(ActionRun::id).containsExactlyInAnyOrderElementsOf(ids(runs));
            assertThat(store.runs(TriggerKind.ORDER, id("order-2"))).hasSize(2);
        }

        @Test
        @DisplayName("an order and an event with the same id are different triggers")
        public final void orderAndEventTriggersAreSeparate() {
            store.create(trigger("same-id"), newRuns("same-id", 1, IDEMPOTENT));
            ActionRun eventRun = ActionRun.create(
                    TriggerKind.EVENT, id("same-id"), definition("event-def", IDEMPOTENT), RetryPolicy.none(), now());
            CreateResult result =
                    store.create(new Trigger(TriggerKind.EVENT, id("same-id"), "{}", now(), null), List.of(eventRun));

            assertThat(result.created()).isTrue();
            assertThat(store.runs(TriggerKind.EVENT, id("same-id")))
                    .extracting(ActionRun::id)
                    .containsExactly(eventRun.id());
            assertThat(store.runs(TriggerKind.ORDER, id("same-id"))).hasSize(1);
        }

        @Test
        @DisplayName("a trigger keeps the trace parent of its submitter, read singly and with others")
        public final void aTriggerKeepsItsTraceParent() {
            String traceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
            Trigger traced = new Trigger(TriggerKind.ORDER, id("traced"), "{}", now(), null, id("traced"), traceParent);
            List<ActionRun> runs = newRuns("traced", 1, IDEMPOTENT);
            store.create(traced, runs);
            store.create(trigger("untraced"), newRuns("untraced", 1, IDEMPOTENT));

            assertThat(store.trigger(TriggerKind.ORDER, id("traced"))
                            .orElseThrow()
                            .traceParent())
                    .isEqualTo(traceParent);
            assertThat(store.trigger(TriggerKind.ORDER, id("untraced"))
                            .orElseThrow()
                            .traceParent())
                    .isNull();
            assertThat(store.triggersOf(runs))
                    .singleElement()
                    .extracting(Trigger::traceParent)
                    .isEqualTo(traceParent);
        }

        @Test
        @DisplayName("the triggers of runs are read once each, and runs of unknown triggers are left out")
        public final void triggersOfReadsEachTriggerOnceAndLeavesOutUnknownOnes() {
            List<ActionRun> first = newRuns("order-tof-1", 2, IDEMPOTENT);
            store.create(trigger("order-tof-1"), first);
            List<ActionRun> second = newRuns("order-tof-2", 1, IDEMPOTENT);
            store.create(trigger("order-tof-2"), second);
            List<ActionRun> asked = new ArrayList<>(first);
            asked.addAll(second);
            asked.addAll(newRuns("order-tof-never-created", 1, IDEMPOTENT));

            assertThat(store.triggersOf(asked))
                    .extracting(Trigger::id)
                    .containsExactlyInAnyOrder(id("order-tof-1"), id("order-tof-2"));
            assertThat(store.triggersOf(List.of())).isEmpty();
        }

        @Test
        @DisplayName("many threads creating the same trigger at once create its runs exactly once")
        public final void concurrentCreatesOfOneTriggerCreateItsRunsOnce() throws Exception {
            List<Boolean> created =
                    race(8, () -> store.create(trigger("order-race"), newRuns("order-race", 3, IDEMPOTENT))
                            .created());

            assertThat(created.stream().filter(c -> c).count()).isEqualTo(1);
            assertThat(store.runs(TriggerKind.ORDER, id("order-race"))).hasSize(3);
        }

        @Test
        @DisplayName("a trigger without runs is completed on creation, and only that call says so")
        public final void triggerWithoutRunsIsCompletedOnCreation() {
            CreateResult result = store.create(trigger("empty"), List.of());
            CreateResult again = store.create(trigger("empty"), List.of());

            assertThat(result.created()).isTrue();
            assertThat(result.completion())
                    .isNotNull()
                    .extracting(TriggerCompletion::key)
                    .isEqualTo(Trigger.key(TriggerKind.ORDER, id("empty")));
            assertThat(again.completion()).isNull();
            assertThat(store.trigger(TriggerKind.ORDER, id("empty"))
                            .orElseThrow()
                            .completedAt())
                    .isNotNull();
        }

        @Test
        @DisplayName("a run may be created FAILED with its reason: it is never claimed and keeps the trigger open")
        public final void aRunCreatedFailedIsNeverClaimedAndKeepsTheTriggerOpen() {
            ActionDefinition good = definition("def-good", IDEMPOTENT);
            ActionDefinition bad = definition("def-bad", IDEMPOTENT);
            ActionRun pending = ActionRun.create(TriggerKind.ORDER, id("order-bad"), good, RetryPolicy.none(), now());
            ActionRun failed = new ActionRun(
                    RunSnapshot.of(TriggerKind.ORDER, id("order-bad"), bad, RetryPolicy.none(), now()),
                    RunState.failedAtCreation("config.url: must use https", now()));
            store.create(trigger("order-bad"), List.of(pending, failed));

            List<ActionRun> claimed = claim("node-a", 10, IDEMPOTENT);
            RecordedOutcomes outcomes = record(AttemptResult.succeeded(claimed.get(0), null, null));

            assertThat(claimed).extracting(ActionRun::id).containsExactly(pending.id());
            assertThat(outcomes.completed()).isEmpty();
            ActionRun stored = store.run(failed.id()).orElseThrow();
            assertThat(stored.status()).isEqualTo(RunStatus.FAILED);
            assertThat(stored.lastError()).isEqualTo("config.url: must use https");
        }

        @Test
        @DisplayName("a run of another trigger or a run id given twice is refused and nothing is stored")
        public final void createRefusesRunsThatDoNotBelong() {
            ActionRun foreign = newRuns("order-other", 1, IDEMPOTENT).get(0);
            ActionRun twice = newRuns("order-twice", 1, IDEMPOTENT).get(0);

            assertThatThrownBy(() -> store.create(trigger("order-x"), List.of(foreign)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.create(trigger("order-twice"), List.of(twice, twice)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(store.trigger(TriggerKind.ORDER, id("order-x"))).isEmpty();
            assertThat(store.trigger(TriggerKind.ORDER, id("order-twice"))).isEmpty();
        }

        @Test
        @DisplayName("the runs of a trigger come back oldest first")
        public final void runsOfATriggerComeOldestFirst() {
            Instant t0 = now();
            ActionRun first = ActionRun.create(
                    TriggerKind.ORDER, id("order-order"), definition("z-def", IDEMPOTENT), RetryPolicy.none(), t0);
            ActionRun second = ActionRun.create(
                    TriggerKind.ORDER,
                    id("order-order"),
                    definition("a-def", IDEMPOTENT),
                    RetryPolicy.none(),
                    t0.plusMillis(1));
            store.create(trigger("order-order"), List.of(second, first));

            List<ActionRun> stored = store.runs(TriggerKind.ORDER, id("order-order"));
            assertThat(stored).hasSize(2);
            assertThat(stored)
                    .isSortedAccordingTo(
                            java.util.Comparator.comparing(ActionRun::createdAt).thenComparing(ActionRun::id));
        }
    }

    @Nested
    @DisplayName("Invariant 2: every change is a compare-and-set; one owner at a time")
    public class ClaimsAndOutcomes {

        @Test
        @DisplayName("claiming takes due pending runs only, earliest first, up to the limit")
        public final void claimTakesDueRunsEarliestFirst() throws Exception {
            ActionRun early = single("order-early");
            pause();
            ActionRun late = single("order-late");

            List<ActionRun> first = claim("node-a", 1, IDEMPOTENT);
            List<ActionRun> second = claim("node-a", 10, IDEMPOTENT);

            assertThat(first).extracting(ActionRun::id).containsExactly(early.id());
            assertThat(second).extracting(ActionRun::id).containsExactly(late.id());
            ActionRun claimed = store.run(early.id()).orElseThrow();
            assertThat(claimed.status()).isEqualTo(RunStatus.RUNNING);
            assertThat(claimed.owner()).isEqualTo("node-a");
            assertThat(claimed.attempts()).isEqualTo(1);
            assertThat(claimed.heartbeatAt()).isNotNull();
            assertThat(claimed.nextAttemptAt()).isNull();
            assertThat(claimed.version()).isEqualTo(early.version() + 1);
            assertThat(first.get(0).state()).isEqualTo(claimed.state());
        }

        @Test
        @DisplayName("a node claims only runs of the types it can execute; others wait for a node that can")
        public final void claimTakesOnlyTheRequestedTypes() {
            ActionRun mine = single("order-mine", IDEMPOTENT);
            ActionRun other = single("order-other", NON_IDEMPOTENT);

            assertThat(claim("node-a", 10, IDEMPOTENT))
                    .extracting(ActionRun::id)
                    .containsExactly(mine.id());
            assertThat(store.run(other.id()).orElseThrow().status()).isEqualTo(RunStatus.PENDING);
            assertThat(claim("node-b", 10, NON_IDEMPOTENT))
                    .extracting(ActionRun::id)
                    .containsExactly(other.id());
        }

        @Test
        @DisplayName("many nodes racing to claim the same runs never get the same run twice")
        public final void concurrentClaimsNeverHandOneRunToTwoOwners() throws Exception {
            int runCount = 60;
            store.create(trigger("order-claim-race"), newRuns("order-claim-race", runCount, IDEMPOTENT));
            Map<String, String> ownerByRun = new ConcurrentHashMap<>();
            AtomicInteger duplicates = new AtomicInteger();
            AtomicInteger worker = new AtomicInteger();

            race(6, () -> {
                String owner = "worker-" + worker.incrementAndGet();
                for (int i = 0; i < 40; i++) {
                    for (ActionRun r : claim(owner, 3, IDEMPOTENT)) {
                        if (ownerByRun.putIfAbsent(r.id(), owner) != null) {
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

        @Test
        @DisplayName("an outcome applies only to the claimed version held by its owner")
        public final void anOutcomeAppliesOnlyOnTheClaimedVersionAndOwner() {
            ActionRun run = single("order-cas");
            ActionRun claimed = claimOne("node-a");
            AttemptResult wrongOwner = new AttemptResult(
                    claimed.id(), "node-b", claimed.version(), RunStatus.SUCCEEDED, null, null, null, null, null, null);
            AttemptResult staleVersion = new AttemptResult(
                    claimed.id(),
                    "node-a",
                    claimed.version() - 1,
                    RunStatus.SUCCEEDED,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null);

            assertThat(record(wrongOwner, staleVersion).states()).isEmpty();
            assertThat(store.run(run.id()).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);

            RecordedOutcomes ok = record(AttemptResult.succeeded(claimed, "licence-1", null));
            assertThat(ok.states()).containsOnlyKeys(run.id());
            ActionRun stored = store.run(run.id()).orElseThrow();
            assertThat(stored.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(stored.version()).isEqualTo(run.version() + 2);
            assertThat(stored.result()).isEqualTo("licence-1");
            assertThat(stored.owner()).isNull();
            assertThat(stored.state()).isEqualTo(ok.states().get(run.id()));
            assertThat(record(AttemptResult.succeeded(claimed, "again", null)).states())
                    .as("the same outcome twice")
                    .isEmpty();
        }

        @Test
        @DisplayName("claims and outcomes change only the run's state, never its snapshot")
        public final void transitionsWriteOnlyTheState() {
            ActionRun run = single("order-narrow");
            RunSnapshot before = store.run(run.id()).orElseThrow().snapshot();

            ActionRun claimed = claimOne("node-a");
            record(AttemptResult.retry(claimed, Duration.ZERO, "HTTP 503", 503, null));
            ActionRun again = claimOne("node-a");
            record(AttemptResult.failed(again, "HTTP 410", 410, null));

            assertThat(claimed.snapshot()).isEqualTo(before);
            assertThat(store.run(run.id()).orElseThrow().snapshot()).isEqualTo(before);
        }

        @Test
        @DisplayName("one batch records several outcomes together, leaving out those whose run changed")
        public final void aBatchRecordsTogetherAndLeavesOutChangedRuns() {
            List<ActionRun> runs = newRuns("order-batch", 3, IDEMPOTENT);
            store.create(trigger("order-batch"), runs);
            List<ActionRun> claimed = claim("node-a", 3, IDEMPOTENT);
            ActionRun taken = claimed.get(2);
            store.requeue(new Requeue(taken, null, true), now());

            RecordedOutcomes outcomes = record(
                    AttemptResult.succeeded(claimed.get(0), null, null),
                    AttemptResult.failed(claimed.get(1), "boom", null, null),
                    AttemptResult.succeeded(taken, null, null));

            assertThat(outcomes.states())
                    .containsOnlyKeys(claimed.get(0).id(), claimed.get(1).id());
            assertThat(outcomes.states().get(claimed.get(1).id()))
                    .extracting(RunState::status)
                    .isEqualTo(RunStatus.FAILED);
            assertThat(store.run(taken.id()).orElseThrow().status()).isEqualTo(RunStatus.PENDING);
            assertThat(outcomes.completed()).isEmpty();
        }

        @Test
        @DisplayName("two nodes claiming and recording in concurrent batches record every run once and complete each"
                + " trigger once")
        public final void batchesOfTwoNodesRaceWithoutLosingOrDoublingAnything() throws Exception {
            int triggers = 20;
            for (int i = 0; i < triggers; i++) {
                store.create(trigger("order-nodes-" + i), newRuns("order-nodes-" + i, 3, IDEMPOTENT));
            }
            Map<String, AtomicInteger> recorded = new ConcurrentHashMap<>();
            Map<String, AtomicInteger> completions = new ConcurrentHashMap<>();
            AtomicInteger node = new AtomicInteger();

            race(2, () -> {
                String owner = "node-" + node.incrementAndGet();
                for (int idle = 0; idle < 3; ) {
                    List<ActionRun> claimed = claim(owner, 4, IDEMPOTENT);
                    if (claimed.isEmpty()) {
                        idle++;
                        continue;
                    }
                    List<AttemptResult> results = new ArrayList<>();
                    claimed.forEach(r -> results.add(AttemptResult.succeeded(r, owner, null)));
                    RecordedOutcomes outcomes = store.recordOutcomes(results, now());
                    outcomes.states().keySet().forEach(id -> recorded.computeIfAbsent(id, k -> new AtomicInteger())
                            .incrementAndGet());
                    outcomes.completed().forEach(c -> completions
                            .computeIfAbsent(c.key(), k -> new AtomicInteger())
                            .incrementAndGet());
                }
                return true;
            });

            assertThat(recorded).hasSize(triggers * 3).allSatisfy((id, n) -> assertThat(n)
                    .hasValue(1));
            assertThat(completions).hasSize(triggers).allSatisfy((key, n) -> assertThat(n)
                    .hasValue(1));
            for (int i = 0; i < triggers; i++) {
                assertThat(store.trigger(TriggerKind.ORDER, id("order-nodes-" + i))
                                .orElseThrow()
                                .completedAt())
                        .isNotNull();
            }
        }

        @Test
        @DisplayName("changing one run never changes the other runs of the trigger")
        public final void changingOneRunLeavesItsSiblingsAlone() {
            List<ActionRun> runs = newRuns("order-siblings", 3, IDEMPOTENT);
            store.create(trigger("order-siblings"), runs);
            List<ActionRun> before = store.runs(TriggerKind.ORDER, id("order-siblings"));

            ActionRun claimed = claim("node-a", 1, IDEMPOTENT).get(0);
            record(AttemptResult.failed(claimed, "no", null, null));

            for (ActionRun sibling : before) {
                if (!sibling.id().equals(claimed.id())) {
                    assertThat(store.run(sibling.id())).contains(sibling);
                }
            }
        }
    }

    @Nested
    @DisplayName("Invariant 6: a trigger is completed exactly when all its runs succeeded, reported once")
    public class Completion {

        @Test
        @DisplayName("the batch that records the last success completes the trigger and says so")
        public final void theLastSuccessCompletesTheTriggerInTheSameCall() {
            store.create(trigger("order-complete"), newRuns("order-complete", 2, IDEMPOTENT));
            List<ActionRun> claimed = claim("node-a", 2, IDEMPOTENT);

            RecordedOutcomes first = record(AttemptResult.succeeded(claimed.get(0), null, null));
            assertThat(first.completed()).isEmpty();
            assertThat(store.trigger(TriggerKind.ORDER, id("order-complete"))
                            .orElseThrow()
                            .completedAt())
                    .isNull();

            RecordedOutcomes last = record(AttemptResult.succeeded(claimed.get(1), null, null));
            assertThat(last.completed())
                    .extracting(TriggerCompletion::key)
                    .containsExactly(Trigger.key(TriggerKind.ORDER, id("order-complete")));
            assertThat(store.trigger(TriggerKind.ORDER, id("order-complete"))
                            .orElseThrow()
                            .completedAt())
                    .isEqualTo(last.completed().get(0).completedAt());
        }

        @Test
        @DisplayName("siblings succeeding in concurrent batches complete their trigger exactly once")
        public final void siblingsInConcurrentBatchesCompleteOnce() throws Exception {
            int triggers = 15;
            List<ActionRun> claimed = new ArrayList<>();
            for (int i = 0; i < triggers; i++) {
                store.create(trigger("order-sib-" + i), newRuns("order-sib-" + i, 2, IDEMPOTENT));
            }
            claimed.addAll(claim("node-a", triggers * 2, IDEMPOTENT));
            assertThat(claimed).hasSize(triggers * 2);
            List<AttemptResult> even = new ArrayList<>();
            List<AttemptResult> odd = new ArrayList<>();
            for (ActionRun run : claimed) {
                (run.definitionId().endsWith("0") ? even : odd).add(AttemptResult.succeeded(run, null, null));
            }
            AtomicInteger turn = new AtomicInteger();

            List<RecordedOutcomes> answers =
                    race(2, () -> store.recordOutcomes(turn.getAndIncrement() == 0 ? even : odd, now()));

            List<String> completed = new ArrayList<>();
            answers.forEach(a -> a.completed().forEach(c -> completed.add(c.key())));
            assertThat(completed).hasSize(triggers).doesNotHaveDuplicates();
        }

        @Test
        @DisplayName("a failed run keeps its trigger open; its successful re-run completes it")
        public final void aFailedRunsSuccessfulRerunCompletesTheTrigger() {
            store.create(trigger("order-fix"), newRuns("order-fix", 2, IDEMPOTENT));
            List<ActionRun> claimed = claim("node-a", 2, IDEMPOTENT);
            record(AttemptResult.succeeded(claimed.get(0), null, null));
            RecordedOutcomes failed = record(AttemptResult.failed(claimed.get(1), "HTTP 404", 404, null));
            assertThat(failed.completed()).isEmpty();

            ActionRun stored = store.run(claimed.get(1).id()).orElseThrow();
            assertThat(store.requeue(new Requeue(stored, null, false), now())).isPresent();
            ActionRun again = claimOne("node-b");
            RecordedOutcomes fixed = record(AttemptResult.succeeded(again, null, null));

            assertThat(fixed.completed())
                    .extracting(TriggerCompletion::key)
                    .containsExactly(Trigger.key(TriggerKind.ORDER, id("order-fix")));
        }

        @Test
        @DisplayName("re-running a succeeded run of a completed trigger never reports the completion again")
        public final void aRerunOfACompletedTriggerIsNotReportedAgain() {
            ActionRun run = single("order-again");
            ActionRun claimed = claimOne("node-a");
            Instant completedAt = record(AttemptResult.succeeded(claimed, null, null))
                    .completed()
                    .get(0)
                    .completedAt();

            assertThat(store.requeue(new Requeue(store.run(run.id()).orElseThrow(), null, true), now()))
                    .isPresent();
            ActionRun again = claimOne("node-a");
            RecordedOutcomes second = record(AttemptResult.succeeded(again, null, null));

            assertThat(second.completed()).isEmpty();
            assertThat(store.trigger(TriggerKind.ORDER, id("order-again"))
                            .orElseThrow()
                            .completedAt())
                    .isEqualTo(completedAt);
        }
    }

    @Nested
    @DisplayName("Invariants 3, 4, 5: snapshots, re-runs and retries")
    public class RerunsAndRetries {

        @Test
        @DisplayName("a re-run with the latest template replaces the snapshot for good and starts a fresh budget")
        public final void requeueWithANewSnapshotReplacesItForGood() {
            ActionRun run = single("order-rerun");
            ActionRun claimed = claimOne("node-a");
            record(AttemptResult.failed(claimed, "bad url", 404, "unit-1"));
            ActionRun failed = store.run(run.id()).orElseThrow();
            ActionDefinition latest = ActionDefinition.builder(IDEMPOTENT)
                    .id(run.definitionId())
                    .name("renamed")
                    .offer("offer-9")
                    .configJson("{\"url\":\"https://new.example.com\"}")
                    .build();
            RunSnapshot newSnapshot =
                    failed.snapshot().withTemplate(latest, RetryPolicy.fixed(Duration.ofMinutes(1), 2));

            ActionRun requeued = store.requeue(new Requeue(failed, newSnapshot, false), now())
                    .orElseThrow();

            ActionRun stored = store.run(run.id()).orElseThrow();
            assertThat(stored).isEqualTo(requeued);
            assertThat(stored.configJson()).isEqualTo("{\"url\":\"https://new.example.com\"}");
            assertThat(stored.name()).isEqualTo("renamed");
            assertThat(stored.level()).isEqualTo(latest.level());
            assertThat(stored.targetId()).isEqualTo("offer-9");
            assertThat(stored.retryPolicy()).isEqualTo(RetryPolicy.fixed(Duration.ofMinutes(1), 2));
            assertThat(stored.attempts()).isZero();
            assertThat(stored.totalAttempts()).isEqualTo(1);
            assertThat(stored.rerunCount()).isEqualTo(1);
            assertThat(stored.status()).isEqualTo(RunStatus.PENDING);
            assertThat(stored.lastError()).isNull();
            assertThat(stored.result()).as("partial result kept").isEqualTo("unit-1");
            assertThat(claim("node-a", 10, IDEMPOTENT))
                    .extracting(ActionRun::id)
                    .containsExactly(run.id());
        }

        @Test
        @DisplayName("a re-run applies only on the expected status and version")
        public final void requeueAppliesOnlyOnTheExpectedStatusAndVersion() {
            ActionRun run = single("order-requeue-cas");
            ActionRun claimed = claimOne("node-a");

            assertThat(store.requeue(new Requeue(run, null, false), now()))
                    .as("stale")
                    .isEmpty();
            ActionRun forced =
                    store.requeue(new Requeue(claimed, null, true), now()).orElseThrow();
            assertThat(store.run(run.id()).orElseThrow().state())
                    .as("what requeue returns is what is stored")
                    .isEqualTo(forced.state());
            assertThat(store.requeue(new Requeue(claimed, null, true), now()))
                    .as("the same again")
                    .isEmpty();
        }

        @Test
        @DisplayName("a redelivery gets a new idempotency key; a plain re-run and retries keep it")
        public final void aRedeliveryGetsANewIdempotencyKey() {
            ActionRun run = single("order-key");
            ActionRun claimed = claimOne("node-a");
            record(AttemptResult.retry(claimed, Duration.ZERO, "HTTP 503", 503, null));
            ActionRun retried = claimOne("node-a");
            assertThat(retried.idempotencyKey()).isEqualTo(run.idempotencyKey());
            record(AttemptResult.failed(retried, "HTTP 500", 500, null));

            ActionRun plain = store.requeue(new Requeue(store.run(run.id()).orElseThrow(), null, false), now())
                    .orElseThrow();
            assertThat(plain.idempotencyKey()).isEqualTo(run.idempotencyKey());
            record(AttemptResult.succeeded(claimOne("node-a"), null, null));

            ActionRun redelivery = store.requeue(new Requeue(store.run(run.id()).orElseThrow(), null, true), now())
                    .orElseThrow();
            assertThat(redelivery.idempotencyKey()).isNotEqualTo(run.idempotencyKey());
            assertThat(store.run(run.id()).orElseThrow().idempotencyKey()).isEqualTo(redelivery.idempotencyKey());
        }

        @Test
        @DisplayName("a scheduled retry keeps the run pending with its error and next attempt time, and is not due"
                + " early")
        public final void retryKeepsTheRunPendingWithItsErrorAndDueTime() throws Exception {
            ActionRun run = single("order-retry");
            ActionRun claimed = claimOne("node-a");
            Instant before = now();

            RecordedOutcomes outcome = record(AttemptResult.retry(claimed, Duration.ofHours(1), "HTTP 503", 503, "p"));

            ActionRun stored = store.run(run.id()).orElseThrow();
            assertThat(stored.state()).isEqualTo(outcome.states().get(run.id()));
            assertThat(stored.awaitingRetry()).isTrue();
            assertThat(stored.lastError()).isEqualTo("HTTP 503");
            assertThat(stored.lastStatusCode()).isEqualTo(503);
            assertThat(stored.result()).isEqualTo("p");
            assertThat(stored.nextAttemptAt())
                    .isBetween(before.plus(Duration.ofMinutes(59)), before.plus(Duration.ofMinutes(61)));
            assertThat(claim("node-a", 10, IDEMPOTENT)).isEmpty();
            assertThat(store.untilNextDue(now()))
                    .hasValueSatisfying(d -> assertThat(d).isBetween(Duration.ZERO, Duration.ofHours(1)));

            ActionRun soon = single("order-retry-soon");
            ActionRun soonClaimed = claim("node-a", 1, IDEMPOTENT).get(0);
            record(AttemptResult.retry(soonClaimed, Duration.ofMillis(5), "HTTP 429", 429, null));
            pause();
            assertThat(claim("node-a", 10, IDEMPOTENT))
                    .extracting(ActionRun::id, ActionRun::attempts)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(soon.id(), 2));
        }

        @Test
        @DisplayName("a failed run keeps its reason and is never claimed again")
        public final void failedRunKeepsItsReasonAndIsNotClaimed() {
            ActionRun run = single("order-fail");
            ActionRun claimed = claimOne("node-a");

            record(AttemptResult.failed(claimed, "gave up after 5 attempts: HTTP 500", 500, null));

            ActionRun stored = store.run(run.id()).orElseThrow();
            assertThat(stored.status()).isEqualTo(RunStatus.FAILED);
            assertThat(stored.lastError()).isEqualTo("gave up after 5 attempts: HTTP 500");
            assertThat(stored.nextAttemptAt()).isNull();
            assertThat(claim("node-a", 10, IDEMPOTENT)).isEmpty();
        }
    }

    @Nested
    @DisplayName("Invariant 7: leases, recovery and retention; nothing is lost")
    public class LeasesAndRecovery {

        @Test
        @DisplayName("renewing leases renews only the owner's running runs and keeps their versions")
        public final void renewLeasesRenewsOnlyTheOwnersRuns() throws Exception {
            ActionRun a = single("order-hb-a");
            ActionRun b = single("order-hb-b");
            ActionRun byA = claim("node-a", 1, IDEMPOTENT).get(0);
            ActionRun byB = claim("node-b", 1, IDEMPOTENT).get(0);
            pause();

            Set<String> renewed = store.renewLeases("node-a", List.of(a.id(), b.id()), now());

            assertThat(renewed).containsExactly(byA.id());
            ActionRun stored = store.run(byA.id()).orElseThrow();
            assertThat(stored.heartbeatAt()).isAfter(byA.heartbeatAt());
            assertThat(stored.version()).isEqualTo(byA.version());
            assertThat(store.run(byB.id()).orElseThrow().heartbeatAt()).isEqualTo(byB.heartbeatAt());
            record(AttemptResult.succeeded(stored, null, null));
            assertThat(store.renewLeases("node-a", List.of(byA.id()), now()))
                    .as("no lease once finished")
                    .isEmpty();
        }

        @Test
        @DisplayName("one call renews every lease a node holds")
        public final void oneCallRenewsEveryLeaseTheNodeHolds() throws Exception {
            for (int i = 0; i < 5; i++) {
                single("order-hb-many-" + i);
            }
            List<ActionRun> held = claim("node-a", 5, IDEMPOTENT);
            assertThat(held).hasSize(5);
            pause();

            Set<String> renewed =
                    store.renewLeases("node-a", held.stream().map(ActionRun::id).toList(), now());

            assertThat(renewed)
                    .containsExactlyInAnyOrderElementsOf(
                            held.stream().map(ActionRun::id).toList());
            for (ActionRun run : held) {
                assertThat(store.run(run.id()).orElseThrow().heartbeatAt())
                        .as("lease of %s", run.id())
                        .isAfter(run.heartbeatAt());
            }
        }

        @Test
        @DisplayName("running runs whose heartbeat is older than a threshold are listed as stale, oldest first")
        public final void staleRunsAreThoseWithOldHeartbeats() throws Exception {
            ActionRun old = single("order-stale");
            claimOne("node-a");
            pause();
            ActionRun fresh = single("order-fresh");
            claimOne("node-b");
            pause();

            assertThat(ours(store.staleRuns(Duration.ofMillis(1), now(), 100)))
                    .extracting(ActionRun::id)
                    .containsExactly(old.id(), fresh.id());
            assertThat(ours(store.staleRuns(LONG_LEASE, now(), 100))).isEmpty();
            store.renewLeases("node-a", List.of(old.id()), now());
            pause();
            assertThat(ours(store.staleRuns(Duration.ofMillis(1), now(), 100)))
                    .extracting(ActionRun::id)
                    .as("renewed last, so now the newest heartbeat")
                    .containsExactly(fresh.id(), old.id());
        }

        @Test
        @DisplayName("an abandoned run is recovered by a claim that asks for it, only when its type is recoverable")
        public final void claimRecoversStaleRunsOfRecoverableTypesOnly() throws Exception {
            ActionRun idempotent = single("order-rec-1", IDEMPOTENT);
            ActionRun other = single("order-rec-2", NON_IDEMPOTENT);
            claim("dead-node", 10, IDEMPOTENT, NON_IDEMPOTENT);
            pause();

            List<ActionRun> notAsked = claimWith(
                    new ClaimRequest("node-b", 10, BOTH, Set.of(IDEMPOTENT), Duration.ofMillis(1), false, now()));
            List<ActionRun> recovered = claimWith(
                    new ClaimRequest("node-b", 10, BOTH, Set.of(IDEMPOTENT), Duration.ofMillis(1), true, now()));

            assertThat(notAsked).isEmpty();
            assertThat(recovered).extracting(ActionRun::id).containsExactly(idempotent.id());
            ActionRun taken = store.run(idempotent.id()).orElseThrow();
            assertThat(taken.owner()).isEqualTo("node-b");
            assertThat(taken.attempts()).isEqualTo(2);
            ActionRun left = store.run(other.id()).orElseThrow();
            assertThat(left.status()).isEqualTo(RunStatus.RUNNING);
            assertThat(left.owner()).isEqualTo("dead-node");
            assertThat(ours(store.staleRuns(Duration.ofMillis(1), now(), 100)))
                    .extracting(ActionRun::id)
                    .contains(other.id());
        }

        @Test
        @DisplayName("a run whose lease was taken over cannot be finished or renewed by its former owner")
        public final void formerOwnerCannotFinishARecoveredRun() throws Exception {
            ActionRun run = single("order-takeover");
            ActionRun byA = claimOne("node-a");
            pause();
            claimWith(new ClaimRequest("node-b", 10, BOTH, Set.of(IDEMPOTENT), Duration.ofMillis(1), true, now()));

            assertThat(record(AttemptResult.succeeded(byA, null, null)).states())
                    .isEmpty();
            assertThat(store.renewLeases("node-a", List.of(run.id()), now())).isEmpty();
            assertThat(store.run(run.id()).orElseThrow().owner()).isEqualTo("node-b");
        }

        @Test
        @DisplayName("runs claimed but never started are given back pending and due, their attempt undone")
        public final void releaseGivesBackUnstartedRuns() {
            ActionRun run = single("order-release");
            ActionRun claimed = claimOne("node-a");

            store.release("node-b", List.of(claimed), now());
            assertThat(store.run(run.id()).orElseThrow().status())
                    .as("not the owner")
                    .isEqualTo(RunStatus.RUNNING);
            store.release("node-a", List.of(claimed), now());

            ActionRun stored = store.run(run.id()).orElseThrow();
            assertThat(stored.status()).isEqualTo(RunStatus.PENDING);
            assertThat(stored.attempts()).isZero();
            assertThat(stored.owner()).isNull();
            assertThat(claim("node-b", 10, IDEMPOTENT))
                    .extracting(ActionRun::attempts)
                    .containsExactly(1);
        }

        @Test
        @DisplayName("pending runs of a type no live node can execute are listed as unclaimable")
        public final void unclaimableRunsAreThoseNoLiveNodeCanTake() throws Exception {
            ActionRun known = single("order-known", IDEMPOTENT);
            ActionRun orphan = single("order-orphan", NON_IDEMPOTENT);
            store.nodeAlive("node-a", Set.of(IDEMPOTENT), now());

            assertThat(ours(store.unclaimableRuns(LONG_LEASE, now(), 100)))
                    .extracting(ActionRun::id)
                    .containsExactly(orphan.id());

            store.nodeAlive("node-new", Set.of(NON_IDEMPOTENT), now());
            assertThat(ours(store.unclaimableRuns(LONG_LEASE, now(), 100))).isEmpty();

            pause();
            assertThat(ours(store.unclaimableRuns(Duration.ofMillis(1), now(), 100)))
                    .as("nodes not seen within the timeout are gone")
                    .extracting(ActionRun::id)
                    .containsExactlyInAnyOrder(known.id(), orphan.id());
        }

        @Test
        @DisplayName("a run is never lost through any sequence of transitions")
        public final void runsSurviveEveryTransition() {
            ActionRun run = single("order-lifecycle");
            record(AttemptResult.retry(claimOne("a"), Duration.ZERO, "x", null, null));
            record(AttemptResult.failed(claimOne("b"), "y", null, null));
            store.requeue(new Requeue(store.run(run.id()).orElseThrow(), null, false), now());
            ActionRun c3 = claimOne("c");
            store.release("c", List.of(c3), now());
            record(AttemptResult.succeeded(claimOne("d"), "ok", null));

            ActionRun stored = store.run(run.id()).orElseThrow();
            assertThat(stored.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(stored.totalAttempts()).isEqualTo(3);
            assertThat(stored.attempts()).isEqualTo(1);
            assertThat(stored.rerunCount()).isEqualTo(1);
            assertThat(store.runs(TriggerKind.ORDER, id("order-lifecycle"))).hasSize(1);
        }

        @Test
        @DisplayName("retention deletes only triggers whose runs all finished before the cutoff, in bounded batches")
        public final void deleteFinishedBeforeRemovesOnlyOldFinishedTriggers() throws Exception {
            for (int i = 0; i < 3; i++) {
                single("old-" + i);
                record(AttemptResult.succeeded(claimOne("a"), null, null));
            }
            Instant lastOld = Instant.MIN;
            for (int i = 0; i < 3; i++) {
                Instant updated =
                        store.runs(TriggerKind.ORDER, id("old-" + i)).get(0).updatedAt();
                lastOld = updated.isAfter(lastOld) ? updated : lastOld;
            }
            pause();
            ActionRun pending = single("still-pending");
            ActionRun recent = single("recent");
            pause();
            record(AttemptResult.succeeded(
                    claim("a", 10, IDEMPOTENT).stream()
                            .filter(r -> r.id().equals(recent.id()))
                            .findFirst()
                            .orElseThrow(),
                    null,
                    null));

            Instant cutoff = lastOld.plusNanos(1000);
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
    }

    /**
     * Staff queries: pages of runs by status and other filters, an order with the events about it, and the bounded
     * attempt history. A store may stamp creation with its own clock, so expectations read the stored times.
     */
    @Nested
    @DisplayName("staff find runs, follow an order and read attempts")
    public class StaffQueries {
        private final String type = prefix + "staff";

        @Test
        @DisplayName("runs come newest first in pages that neither repeat nor skip a run, ties broken by id")
        public final void pagesAreNewestFirstWithoutRepeatsOrGaps() throws InterruptedException {
            for (int t = 0; t < 3; t++) {
                List<ActionRun> runs = new ArrayList<>();
                for (int d = 0; d < 3; d++) {
                    runs.add(ActionRun.create(
                            TriggerKind.ORDER,
                            id("page-" + t),
                            definition("def-" + d, type),
                            RetryPolicy.none(),
                            now()));
                }
                store.create(trigger("page-" + t), runs);
                pause();
            }
            List<String> expected = newestFirst(IntStream.range(0, 3)
                    .mapToObj(t -> store.runs(TriggerKind.ORDER, id("page-" + t)))
                    .flatMap(List::stream)
                    .toList());

            List<String> seen = new ArrayList<>();
            RunQuery query = RunQuery.builder().type(type).limit(4).build();
            int pages = 0;
            RunPage page;
            do {
                page = store.findRuns(query);
                seen.addAll(ids(page.runs()));
                query = query.after(page.next());
                pages++;
            } while (page.next() != null && pages < 10);

            assertThat(seen).hasSize(9).containsExactlyElementsOf(expected);
            assertThat(pages).isEqualTo(3);
        }

        @Test
        @DisplayName("each status filter lists only its runs, with waiting for a retry told apart from not yet tried")
        public final void statusFiltersTellWaitingForARetryApart() {
            List<ActionRun> runs = new ArrayList<>();
            for (int d = 0; d < 4; d++) {
                runs.add(ActionRun.create(
                        TriggerKind.ORDER, id("statuses"), definition("def-" + d, type), RetryPolicy.none(), now()));
            }
            store.create(trigger("statuses"), runs);
            List<ActionRun> claimed = claim("node-a", 10, type).stream()
                    .sorted(Comparator.comparing(ActionRun::definitionId))
                    .toList();
            assertThat(claimed).extracting(ActionRun::definitionId).containsExactly("def-0", "def-1", "def-2", "def-3");
            record(
                    AttemptResult.succeeded(claimed.get(0), "ok", null),
                    AttemptResult.failed(claimed.get(1), "HTTP 410", 410, null),
                    AttemptResult.retry(claimed.get(2), Duration.ofHours(1), "HTTP 503", 503, null));
            ActionRun fresh = ActionRun.create(
                    TriggerKind.ORDER, id("statuses-2"), definition("def-9", type), RetryPolicy.none(), now());
            store.create(trigger("statuses-2"), List.of(fresh));

            assertThat(idsWith(RunQuery.Status.SUCCEEDED))
                    .containsExactly(claimed.get(0).id());
            assertThat(idsWith(RunQuery.Status.FAILED))
                    .containsExactly(claimed.get(1).id());
            assertThat(idsWith(RunQuery.Status.AWAITING_RETRY))
                    .containsExactly(claimed.get(2).id());
            assertThat(idsWith(RunQuery.Status.RUNNING))
                    .containsExactly(claimed.get(3).id());
            assertThat(idsWith(RunQuery.Status.PENDING)).containsExactly(fresh.id());
            assertThat(idsWith(RunQuery.Status.FAILED, RunQuery.Status.AWAITING_RETRY))
                    .containsExactlyInAnyOrder(
                            claimed.get(1).id(), claimed.get(2).id());
        }

        @Test
        @DisplayName("filters by definition, level and target, order, and creation time all hold together")
        public final void filtersCombine() throws InterruptedException {
            ActionDefinition onProduct = ActionDefinition.builder(type)
                    .id("def-product")
                    .name("product")
                    .product("product-7")
                    .configJson("{}")
                    .build();
            ActionRun onCheckout = ActionRun.create(
                    TriggerKind.ORDER, id("filters-a"), definition("def-0", type), RetryPolicy.none(), now());
            ActionRun onProductA =
                    ActionRun.create(TriggerKind.ORDER, id("filters-a"), onProduct, RetryPolicy.none(), now());
            store.create(trigger("filters-a"), List.of(onCheckout, onProductA));
            pause();
            ActionRun onProductB =
                    ActionRun.create(TriggerKind.ORDER, id("filters-b"), onProduct, RetryPolicy.none(), now());
            store.create(trigger("filters-b"), List.of(onProductB));
            List<ActionRun> storedA = store.runs(TriggerKind.ORDER, id("filters-a"));
            Instant createdB = store.run(onProductB.id()).orElseThrow().createdAt();

            assertThat(ids(find(RunQuery.builder().type(type).definition("def-product"))))
                    .containsExactly(onProductB.id(), onProductA.id());
            assertThat(ids(find(RunQuery.builder().type(type).target(ActionLevel.PRODUCT, "product-7"))))
                    .containsExactly(onProductB.id(), onProductA.id());
            assertThat(ids(find(RunQuery.builder().type(type).order(id("filters-a")))))
                    .containsExactlyElementsOf(newestFirst(storedA));
            assertThat(ids(find(
                            RunQuery.builder().type(type).created(storedA.get(0).createdAt(), createdB))))
                    .as("from is inclusive, before is exclusive")
                    .containsExactlyElementsOf(newestFirst(storedA));
            assertThat(ids(find(RunQuery.builder().type(type).created(createdB, null))))
                    .containsExactly(onProductB.id());
            assertThat(ids(find(RunQuery.builder()
                            .type(type)
                            .definition("def-product")
                            .order(id("filters-a")))))
                    .containsExactly(onProductA.id());
            assertThat(ids(find(RunQuery.builder().type(type + "-other").order(id("filters-b")))))
                    .isEmpty();
        }

        @Test
        @DisplayName("an order leads to its own runs and to the runs of every event about it, and to no other")
        public final void anOrderLeadsToTheRunsOfEventsAboutIt() {
            ActionRun paid = ActionRun.create(
                    TriggerKind.ORDER, id("about"), definition("receipt", type), RetryPolicy.none(), now());
            store.create(trigger("about"), List.of(paid));
            ActionRun refunded = ActionRun.create(
                    TriggerKind.EVENT, id("refund-of-about"), definition("postback", type), RetryPolicy.none(), now());
            store.create(
                    new Trigger(TriggerKind.EVENT, id("refund-of-about"), "{}", now(), null, id("about")),
                    List.of(refunded));
            ActionRun unrelated = ActionRun.create(
                    TriggerKind.EVENT, id("refund-of-other"), definition("postback", type), RetryPolicy.none(), now());
            store.create(
                    new Trigger(TriggerKind.EVENT, id("refund-of-other"), "{}", now(), null, id("other")),
                    List.of(unrelated));

            assertThat(ids(store.runsAbout(id("about")))).containsExactlyInAnyOrder(paid.id(), refunded.id());
            assertThat(ids(store.runsAbout(id("nobody")))).isEmpty();
            assertThat(ids(find(RunQuery.builder().type(type).event(id("refund-of-about")))))
                    .containsExactly(refunded.id());
        }

        @Test
        @DisplayName("a run keeps its latest attempts, oldest first, and retention removes them with the run")
        public final void attemptHistoryIsBoundedAndRemovedWithTheRun() throws InterruptedException {
            ActionRun run = ActionRun.create(
                    TriggerKind.ORDER,
                    id("history"),
                    definition("def-0", type),
                    RetryPolicy.fixed(Duration.ofMillis(1), 100),
                    now());
            store.create(trigger("history"), List.of(run));
            int attempts = AttemptRecord.KEPT + 3;
            Instant firstStart = now();
            for (int i = 0; i < attempts; i++) {
                ActionRun claimed = waitForClaim();
                AttemptRecord attempt = new AttemptRecord(
                        firstStart.plusSeconds(i),
                        i,
                        AttemptRecord.Outcome.RETRY_SCHEDULED,
                        503,
                        "busy " + i,
                        "node-a");
                AttemptResult result = i == attempts - 1
                        ? AttemptResult.succeeded(claimed, "ok", null)
                                .withAttempt(new AttemptRecord(
                                        firstStart.plusSeconds(i),
                                        i,
                                        AttemptRecord.Outcome.SUCCEEDED,
                                        200,
                                        "ok",
                                        "node-a"))
                        : AttemptResult.retry(claimed, Duration.ZERO, "busy", 503, null)
                                .withAttempt(attempt);
                assertThat(record(result).states()).containsKey(run.id());
            }

            List<AttemptRecord> history = store.attemptsOf(run.id());
            assertThat(history).hasSize(AttemptRecord.KEPT);
            assertThat(history.get(0).excerpt()).isEqualTo("busy 3");
            assertThat(history.get(0).startedAt()).isEqualTo(firstStart.plusSeconds(3));
            assertThat(history.get(AttemptRecord.KEPT - 1).outcome()).isEqualTo(AttemptRecord.Outcome.SUCCEEDED);
            assertThat(history.get(AttemptRecord.KEPT - 1).statusCode()).isEqualTo(200);
            assertThat(history).extracting(AttemptRecord::node).containsOnly("node-a");

            pause();
            int deleted = 0;
            for (int round = 0; round < 100 && store.run(run.id()).isPresent(); round++) {
                deleted += store.deleteFinishedBefore(now().plusSeconds(1), 100);
            }
            assertThat(deleted).isPositive();
            assertThat(store.run(run.id())).isEmpty();
            assertThat(store.attemptsOf(run.id())).isEmpty();
        }

        @Test
        @DisplayName("retry now makes a run waiting for a retry due at once, and refuses one that changed meanwhile")
        public final void retryNowBringsAWaitingRunForward() {
            ActionRun run = ActionRun.create(
                    TriggerKind.ORDER, id("retry-now"), definition("def-0", type), RetryPolicy.none(), now());
            store.create(trigger("retry-now"), List.of(run));
            ActionRun claimed = claim("node-a", 1, type).get(0);
            record(AttemptResult.retry(claimed, Duration.ofHours(1), "HTTP 503", 503, null));
            ActionRun waiting = store.run(run.id()).orElseThrow();
            assertThat(claim("node-a", 1, type)).isEmpty();

            ActionRun due = store.retryNow(waiting, now()).orElseThrow();
            assertThat(due.status()).isEqualTo(RunStatus.PENDING);
            assertThat(due.version()).isGreaterThan(waiting.version());
            assertThat(store.run(run.id()).orElseThrow().state())
                    .as("what retryNow returns is what is stored")
                    .isEqualTo(due.state());
            assertThat(store.retryNow(waiting, now())).as("stale version").isEmpty();
            assertThat(ids(claim("node-a", 1, type))).containsExactly(run.id());
        }

        @Test
        @DisplayName("counts tell pending, waiting for a retry, running, stale and failed runs apart")
        public final void countsTellTheStatusesApart() throws InterruptedException {
            RunCounts before = store.countRuns(Duration.ofMillis(10), now());
            List<ActionRun> runs = new ArrayList<>();
            for (int d = 0; d < 5; d++) {
                runs.add(ActionRun.create(
                        TriggerKind.ORDER, id("counts"), definition("def-" + d, type), RetryPolicy.none(), now()));
            }
            store.create(trigger("counts"), runs);
            List<ActionRun> claimed = claim("node-a", 4, type);
            assertThat(claimed).hasSize(4);
            record(
                    AttemptResult.succeeded(claimed.get(0), "ok", null),
                    AttemptResult.failed(claimed.get(1), "HTTP 410", 410, null),
                    AttemptResult.retry(claimed.get(2), Duration.ofHours(1), "HTTP 503", 503, null));
            pause();
            RunCounts counts = store.countRuns(Duration.ofMillis(10), now());

            assertThat(counts.pending() - before.pending()).isEqualTo(1);
            assertThat(counts.awaitingRetry() - before.awaitingRetry()).isEqualTo(1);
            assertThat(counts.running() - before.running()).isEqualTo(1);
            assertThat(counts.stale() - before.stale())
                    .as("a lease not renewed for 25 ms")
                    .isEqualTo(1);
            assertThat(counts.failed() - before.failed()).isEqualTo(1);
            assertThat(store.countRuns(LONG_LEASE, now()).stale()).isEqualTo(before.stale());
        }

        private ActionRun waitForClaim() throws InterruptedException {
            for (int i = 0; i < 200; i++) {
                List<ActionRun> claimed = claim("node-a", 1, type);
                if (!claimed.isEmpty()) {
                    return claimed.get(0);
                }
                Thread.sleep(5);
            }
            throw new AssertionError("the run never came due again");
        }

        private List<String> idsWith(RunQuery.Status... statuses) {
            return ids(find(RunQuery.builder().type(type).status(statuses)));
        }

        private List<ActionRun> find(RunQuery.Builder query) {
            return store.findRuns(query.limit(RunQuery.MAX_LIMIT).build()).runs();
        }

        private List<String> newestFirst(List<ActionRun> runs) {
            return runs.stream()
                    .sorted(Comparator.comparing(ActionRun::createdAt)
                            .thenComparing(ActionRun::id)
                            .reversed())
                    .map(ActionRun::id)
                    .toList();
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    /** Trigger ids are prefixed per test instance so stores on a shared database do not see each other's data. */
    protected final String id(String name) {
        return prefix + name;
    }

    private static Instant now() {
        return Instant.now();
    }

    /** Lets the store's clock move on by a few milliseconds (a lower bound; nothing depends on speed). */
    private static void pause() throws InterruptedException {
        Thread.sleep(25);
    }

    private Trigger trigger(String name) {
        return new Trigger(TriggerKind.ORDER, id(name), "{\"id\":\"" + id(name) + "\"}", now(), null);
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
                    now()));
        }
        return runs;
    }

    private ActionRun single(String name) {
        return single(name, IDEMPOTENT);
    }

    private ActionRun single(String name, String type) {
        ActionRun run = newRuns(name, 1, type).get(0);
        store.create(trigger(name), List.of(run));
        return run;
    }

    private ActionRun claimOne(String owner) {
        List<ActionRun> claimed = claim(owner, 1, IDEMPOTENT);
        assertThat(claimed).hasSize(1);
        return claimed.get(0);
    }

    /** Claims due runs of {@code types}, keeping only this test's runs. */
    private List<ActionRun> claim(String owner, int limit, String... types) {
        return claimWith(ClaimRequest.due(owner, limit, Set.of(types), now()));
    }

    private List<ActionRun> claimWith(ClaimRequest request) {
        return ours(store.claim(request));
    }

    private RecordedOutcomes record(AttemptResult... results) {
        return store.recordOutcomes(List.of(results), now());
    }

    private List<ActionRun> ours(List<ActionRun> runs) {
        return runs.stream().filter(r -> r.triggerId().startsWith(prefix)).toList();
    }

    private static List<String> ids(List<ActionRun> runs) {
        return runs.stream().map(ActionRun::id).toList();
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
