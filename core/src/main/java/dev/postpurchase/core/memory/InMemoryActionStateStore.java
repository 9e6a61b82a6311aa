package dev.postpurchase.core.memory;

import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.AttemptRecord;
import dev.postpurchase.core.action.RunCounts;
import dev.postpurchase.core.action.RunPage;
import dev.postpurchase.core.action.RunQuery;
import dev.postpurchase.core.action.RunState;
import dev.postpurchase.core.action.RunStatus;
import dev.postpurchase.core.action.Trigger;
import dev.postpurchase.core.action.TriggerCompletion;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.internal.ParsedPayloadKeeper;
import dev.postpurchase.core.spi.ActionStateStore;
import dev.postpurchase.core.spi.AttemptResult;
import dev.postpurchase.core.spi.ClaimRequest;
import dev.postpurchase.core.spi.CreateResult;
import dev.postpurchase.core.spi.RecordedOutcomes;
import dev.postpurchase.core.spi.Requeue;
import dev.postpurchase.core.spi.RunTransitions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * {@link ActionStateStore} in this JVM's memory. Thread-safe through one monitor; due runs are indexed by due time
 * so claiming stays cheap however many finished runs are kept. Judges time by the {@code now} its callers pass (the
 * pipeline's clock). Everything is lost when the JVM exits: use the JDBC store where that matters.
 */
public final class InMemoryActionStateStore implements ActionStateStore, ParsedPayloadKeeper {
    private record DueKey(Instant dueAt, String runId) {}

    private record Node(Set<String> types, Instant seenAt) {}

    private static final Comparator<DueKey> DUE_ORDER =
            Comparator.comparing(DueKey::dueAt).thenComparing(DueKey::runId);
    private static final Comparator<ActionRun> OLDEST_FIRST =
            Comparator.comparing(ActionRun::createdAt).thenComparing(ActionRun::id);

    private final Map<String, Trigger> triggers = new HashMap<>();
    private final Map<String, Integer> unfinished = new HashMap<>();
    private final Map<String, List<String>> runIdsByTrigger = new LinkedHashMap<>();
    private final Map<String, ActionRun> runs = new HashMap<>();
    private final TreeSet<DueKey> due = new TreeSet<>(DUE_ORDER);
    private final Set<String> running = new LinkedHashSet<>();
    private final Map<String, Node> nodes = new HashMap<>();
    private final Map<String, List<AttemptRecord>> histories = new HashMap<>();
    // the parsed payloads of triggers not completed yet (a completed one's is dropped: memory stays bounded by the
    // open work); read by workers without the monitor, written under it, so an entry never outlives its trigger
    private final Map<String, ParsedPayloadKeeper.Kept> parsed = new ConcurrentHashMap<>();

    @Override
    public synchronized CreateResult create(Trigger trigger, List<ActionRun> newRuns) {
        if (triggers.containsKey(trigger.key())) {
            return CreateResult.existing(runs(trigger.kind(), trigger.id()));
        }
        Set<String> ids = new HashSet<>();
        for (ActionRun run : newRuns) {
            if (!run.triggerKey().equals(trigger.key())) {
                throw new IllegalArgumentException("run " + run.id() + " belongs to another trigger");
            }
            if (runs.containsKey(run.id()) || !ids.add(run.id())) {
                throw new IllegalArgumentException("run " + run.id() + " exists already");
            }
        }
        int open = 0;
        List<String> runIds = new ArrayList<>();
        for (ActionRun run : newRuns) {
            runIds.add(run.id());
            put(null, run);
            if (run.status() != RunStatus.SUCCEEDED) {
                open++;
            }
        }
        TriggerCompletion completion = null;
        Trigger stored = trigger;
        if (open == 0) {
            completion = new TriggerCompletion(trigger.kind(), trigger.id(), trigger.createdAt());
            stored = completed(trigger, trigger.createdAt());
        }
        triggers.put(trigger.key(), stored);
        unfinished.put(trigger.key(), open);
        runIdsByTrigger.put(trigger.key(), runIds);
        return new CreateResult(true, newRuns, completion);
    }

    @Override
    public synchronized Optional<Trigger> trigger(TriggerKind kind, String triggerId) {
        return Optional.ofNullable(triggers.get(Trigger.key(kind, triggerId)));
    }

    @Override
    public synchronized Optional<ActionRun> run(String runId) {
        return Optional.ofNullable(runs.get(runId));
    }

    @Override
    public synchronized List<ActionRun> runs(TriggerKind kind, String triggerId) {
        List<String> ids = runIdsByTrigger.getOrDefault(Trigger.key(kind, triggerId), List.of());
        List<ActionRun> result = new ArrayList<>(ids.size());
        for (String id : ids) {
            result.add(runs.get(id));
        }
        result.sort(OLDEST_FIRST);
        return result;
    }

    @Override
    public synchronized List<ActionRun> claim(ClaimRequest request) {
        Instant now = request.now();
        List<ActionRun> claimed = new ArrayList<>();
        Iterator<DueKey> it = due.iterator();
        while (claimed.size() < request.limit() && it.hasNext()) {
            DueKey key = it.next();
            if (key.dueAt().isAfter(now)) {
                break;
            }
            ActionRun run = indexed(key.runId());
            if (!request.types().contains(run.type())) {
                continue;
            }
            it.remove();
            ActionRun taken = run.with(RunTransitions.claimed(run.state(), request.owner(), now));
            runs.put(taken.id(), taken);
            running.add(taken.id());
            claimed.add(taken);
        }
        if (request.recoverStale() && claimed.size() < request.limit()) {
            Instant cutoff = now.minus(request.leaseDuration());
            Set<String> taken = new HashSet<>();
            claimed.forEach(r -> taken.add(r.id()));
            for (String id : List.copyOf(running)) {
                if (claimed.size() >= request.limit()) {
                    break;
                }
                ActionRun run = indexed(id);
                if (!taken.contains(id)
                        && run.isStale(cutoff)
                        && request.recoverableTypes().contains(run.type())) {
                    ActionRun recovered = run.with(RunTransitions.claimed(run.state(), request.owner(), now));
                    runs.put(id, recovered);
                    claimed.add(recovered);
                }
            }
        }
        return claimed;
    }

    @Override
    public synchronized RecordedOutcomes recordOutcomes(List<AttemptResult> outcomes, Instant now) {
        Map<String, RunState> states = new LinkedHashMap<>();
        List<TriggerCompletion> completed = new ArrayList<>();
        for (AttemptResult outcome : outcomes) {
            ActionRun current = runs.get(outcome.runId());
            if (current == null
                    || current.status() != RunStatus.RUNNING
                    || current.version() != outcome.claimedVersion()
                    || !outcome.owner().equals(current.owner())) {
                continue;
            }
            ActionRun next = current.with(RunTransitions.finished(current.state(), outcome, now));
            put(current, next);
            AttemptRecord attempt = outcome.attempt();
            if (attempt != null) {
                List<AttemptRecord> history = histories.computeIfAbsent(next.id(), k -> new ArrayList<>());
                history.add(attempt);
                if (history.size() > AttemptRecord.KEPT) {
                    history.remove(0);
                }
            }
            states.put(next.id(), next.state());
            if (next.status() == RunStatus.SUCCEEDED) {
                String key = next.triggerKey();
                int open = unfinished.merge(key, -1, Integer::sum);
                Trigger trigger = Objects.requireNonNull(triggers.get(key), key);
                if (open <= 0 && trigger.completedAt() == null) {
                    triggers.put(key, completed(trigger, now));
                    parsed.remove(key); // only a re-run needs it again, and parses it
                    completed.add(new TriggerCompletion(trigger.kind(), trigger.id(), now));
                }
            }
        }
        return new RecordedOutcomes(states, completed);
    }

    @Override
    public synchronized Set<String> renewLeases(String owner, Collection<String> runIds, Instant now) {
        Set<String> renewed = new HashSet<>();
        for (String id : runIds) {
            ActionRun current = runs.get(id);
            if (current != null && current.status() == RunStatus.RUNNING && owner.equals(current.owner())) {
                runs.put(id, current.with(RunTransitions.heartbeat(current.state(), now)));
                renewed.add(id);
            }
        }
        return renewed;
    }

    @Override
    public synchronized void release(String owner, Collection<ActionRun> claimed, Instant now) {
        for (ActionRun run : claimed) {
            ActionRun current = runs.get(run.id());
            if (current != null
                    && current.status() == RunStatus.RUNNING
                    && current.version() == run.version()
                    && owner.equals(current.owner())) {
                put(current, current.with(RunTransitions.released(current.state(), now)));
            }
        }
    }

    @Override
    public synchronized Optional<ActionRun> requeue(Requeue requeue, Instant now) {
        ActionRun expected = requeue.expected();
        ActionRun current = runs.get(expected.id());
        if (current == null || current.status() != expected.status() || current.version() != expected.version()) {
            return Optional.empty();
        }
        ActionRun next = new ActionRun(
                requeue.newSnapshot() == null ? current.snapshot() : requeue.newSnapshot(),
                RunTransitions.requeued(current.state(), requeue.redeliver(), now));
        put(current, next);
        if (current.status() == RunStatus.SUCCEEDED) {
            unfinished.merge(current.triggerKey(), 1, Integer::sum);
        }
        return Optional.of(next);
    }

    @Override
    public synchronized Optional<ActionRun> retryNow(ActionRun expected, Instant now) {
        ActionRun current = runs.get(expected.id());
        if (current == null || current.status() != RunStatus.PENDING || current.version() != expected.version()) {
            return Optional.empty();
        }
        ActionRun next = current.with(RunTransitions.dueNow(current.state(), now));
        put(current, next);
        return Optional.of(next);
    }

    @Override
    public synchronized RunPage findRuns(RunQuery query) {
        RunPage.Cursor after = RunPage.Cursor.parse(query.after());
        List<ActionRun> matching = new ArrayList<>();
        for (ActionRun run : runs.values()) {
            if (query.matches(run) && (after == null || after.isBefore(run))) {
                matching.add(run);
            }
        }
        matching.sort(OLDEST_FIRST.reversed());
        return RunPage.of(
                matching.size() > query.limit() ? matching.subList(0, query.limit() + 1) : matching, query.limit());
    }

    @Override
    public synchronized List<ActionRun> runsAbout(String orderId) {
        List<ActionRun> result = new ArrayList<>();
        for (Trigger trigger : triggers.values()) {
            if (orderId.equals(trigger.orderId())) {
                result.addAll(runs(trigger.kind(), trigger.id()));
            }
        }
        result.sort(OLDEST_FIRST);
        return result;
    }

    @Override
    public synchronized List<AttemptRecord> attemptsOf(String runId) {
        return List.copyOf(histories.getOrDefault(runId, List.of()));
    }

    /** The run an index entry names: every entry of the due, running and trigger indexes has its run. */
    private ActionRun indexed(String runId) {
        return Objects.requireNonNull(runs.get(runId), runId);
    }

    @Override
    public synchronized RunCounts countRuns(Duration staleAfter, Instant now) {
        Instant cutoff = now.minus(staleAfter);
        long pending = 0;
        long awaitingRetry = 0;
        long running = 0;
        long stale = 0;
        long failed = 0;
        for (ActionRun run : runs.values()) {
            switch (run.status()) {
                case PENDING -> {
                    if (run.awaitingRetry()) {
                        awaitingRetry++;
                    } else {
                        pending++;
                    }
                }
                case RUNNING -> {
                    running++;
                    if (run.isStale(cutoff)) {
                        stale++;
                    }
                }
                case FAILED -> failed++;
                default -> {}
            }
        }
        return new RunCounts(pending, awaitingRetry, running, stale, failed);
    }

    @Override
    public synchronized List<ActionRun> staleRuns(Duration olderThan, Instant now, int limit) {
        Instant cutoff = now.minus(olderThan);
        List<ActionRun> stale = new ArrayList<>();
        for (String id : running) {
            ActionRun run = indexed(id);
            if (run.isStale(cutoff)) {
                stale.add(run);
            }
        }
        stale.sort(
                Comparator.comparing((ActionRun r) -> r.heartbeatAt(), Comparator.nullsFirst(Comparator.naturalOrder()))
                        .thenComparing(ActionRun::id));
        return stale.size() > limit ? List.copyOf(stale.subList(0, limit)) : stale;
    }

    @Override
    public synchronized void nodeAlive(String nodeId, Set<String> types, Instant now) {
        nodes.put(nodeId, new Node(Set.copyOf(types), now));
    }

    @Override
    public synchronized List<ActionRun> unclaimableRuns(Duration nodeTimeout, Instant now, int limit) {
        Instant cutoff = now.minus(nodeTimeout);
        Set<String> live = new HashSet<>();
        for (Node node : nodes.values()) {
            if (!node.seenAt().isBefore(cutoff)) {
                live.addAll(node.types());
            }
        }
        List<ActionRun> result = new ArrayList<>();
        for (DueKey key : due) {
            ActionRun run = indexed(key.runId());
            if (!live.contains(run.type())) {
                result.add(run);
            }
        }
        result.sort(OLDEST_FIRST);
        return result.size() > limit ? List.copyOf(result.subList(0, limit)) : result;
    }

    @Override
    public synchronized Optional<Duration> untilNextDue(Instant now) {
        return due.isEmpty()
                ? Optional.empty()
                : Optional.of(Duration.between(now, due.first().dueAt()));
    }

    @Override
    public synchronized int deleteFinishedBefore(Instant cutoff, int batchSize) {
        int deleted = 0;
        int triggersDeleted = 0;
        Iterator<Map.Entry<String, List<String>>> it =
                runIdsByTrigger.entrySet().iterator();
        while (it.hasNext() && triggersDeleted < batchSize) {
            Map.Entry<String, List<String>> entry = it.next();
            boolean finished = Objects.requireNonNull(triggers.get(entry.getKey()))
                            .createdAt()
                            .isBefore(cutoff)
                    && entry.getValue().stream()
                            .map(runs::get)
                            .allMatch(r ->
                                    r.status().isTerminal() && r.updatedAt().isBefore(cutoff));
            if (finished) {
                for (String id : entry.getValue()) {
                    runs.remove(id);
                    histories.remove(id);
                    deleted++;
                }
                triggers.remove(entry.getKey());
                parsed.remove(entry.getKey());
                unfinished.remove(entry.getKey());
                it.remove();
                triggersDeleted++;
                deleted++;
            }
        }
        return deleted;
    }

    /** Internal: see {@link ParsedPayloadKeeper}. */
    @Override
    public synchronized void keepParsed(String triggerKey, ParsedPayloadKeeper.Kept kept) {
        Trigger trigger = triggers.get(triggerKey);
        if (trigger != null && trigger.completedAt() == null) {
            parsed.put(triggerKey, kept);
        }
    }

    /** Internal: see {@link ParsedPayloadKeeper}. */
    @Override
    public ParsedPayloadKeeper.@Nullable Kept parsed(String triggerKey) {
        return parsed.get(triggerKey);
    }

    private static Trigger completed(Trigger trigger, Instant at) {
        return trigger.completedAt(at);
    }

    private void put(@Nullable ActionRun before, ActionRun after) {
        if (before != null) {
            if (before.status() == RunStatus.PENDING && before.nextAttemptAt() != null) {
                due.remove(new DueKey(before.nextAttemptAt(), before.id()));
            }
            if (before.status() == RunStatus.RUNNING) {
                running.remove(before.id());
            }
        }
        runs.put(after.id(), after);
        if (after.status() == RunStatus.PENDING && after.nextAttemptAt() != null) {
            due.add(new DueKey(after.nextAttemptAt(), after.id()));
        }
        if (after.status() == RunStatus.RUNNING) {
            running.add(after.id());
        }
    }
}
