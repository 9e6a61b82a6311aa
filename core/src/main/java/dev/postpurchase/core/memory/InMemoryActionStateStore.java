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
import java.util.Collections;
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

    /**
     * A stored trigger with what changes about it in place: a transition finds its trigger without a lookup, and
     * writes a field of an object made when the trigger was (the collector then rescans fewer old objects than
     * after a write into a map's node).
     */
    private static final class TriggerEntry {
        Trigger trigger;
        int unfinished;
        final List<RunEntry> runs;

        TriggerEntry(Trigger trigger, int unfinished, List<RunEntry> runs) {
            this.trigger = trigger;
            this.unfinished = unfinished;
            this.runs = runs;
        }
    }

    /** A stored run, its trigger and its attempt history (immutable, oldest first, at most {@link AttemptRecord#KEPT}). */
    private static final class RunEntry {
        ActionRun run;
        final TriggerEntry trigger;
        List<AttemptRecord> history = List.of();

        RunEntry(ActionRun run, TriggerEntry trigger) {
            this.run = run;
            this.trigger = trigger;
        }
    }

    private static final Comparator<DueKey> DUE_ORDER =
            Comparator.comparing(DueKey::dueAt).thenComparing(DueKey::runId);
    private static final Comparator<ActionRun> OLDEST_FIRST =
            Comparator.comparing(ActionRun::createdAt).thenComparing(ActionRun::id);

    // in insertion order, which retention deletes in
    private final Map<String, TriggerEntry> triggers = new LinkedHashMap<>();
    private final Map<String, RunEntry> runs = new HashMap<>();
    private final TreeSet<DueKey> due = new TreeSet<>(DUE_ORDER);
    private final Set<String> running = new LinkedHashSet<>();
    private final Map<String, Node> nodes = new HashMap<>();
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
        for (ActionRun run : newRuns) {
            if (run.status() != RunStatus.SUCCEEDED) {
                open++;
            }
        }
        TriggerCompletion completion = null;
        Trigger stored = trigger;
        if (open == 0) {
            completion = new TriggerCompletion(trigger.kind(), trigger.id(), trigger.createdAt());
            stored = trigger.completedAt(trigger.createdAt());
        }
        TriggerEntry entry = new TriggerEntry(stored, open, new ArrayList<>(newRuns.size()));
        for (ActionRun run : newRuns) {
            RunEntry runEntry = new RunEntry(run, entry);
            entry.runs.add(runEntry);
            runs.put(run.id(), runEntry);
            indexAdd(run);
        }
        triggers.put(trigger.key(), entry);
        return new CreateResult(true, newRuns, completion);
    }

    @Override
    public synchronized Optional<Trigger> trigger(TriggerKind kind, String triggerId) {
        TriggerEntry entry = triggers.get(Trigger.key(kind, triggerId));
        return entry == null ? Optional.empty() : Optional.of(entry.trigger);
    }

    @Override
    public synchronized Optional<ActionRun> run(String runId) {
        RunEntry entry = runs.get(runId);
        return entry == null ? Optional.empty() : Optional.of(entry.run);
    }

    @Override
    public synchronized List<ActionRun> runs(TriggerKind kind, String triggerId) {
        TriggerEntry entry = triggers.get(Trigger.key(kind, triggerId));
        return entry == null ? new ArrayList<>() : runsOf(entry);
    }

    private static List<ActionRun> runsOf(TriggerEntry entry) {
        List<ActionRun> result = new ArrayList<>(entry.runs.size());
        for (RunEntry run : entry.runs) {
            result.add(run.run);
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
            RunEntry entry = indexed(key.runId());
            ActionRun run = entry.run;
            if (!request.types().contains(run.type())) {
                continue;
            }
            it.remove();
            ActionRun taken = run.with(RunTransitions.claimed(run.state(), request.owner(), now));
            entry.run = taken;
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
                RunEntry entry = indexed(id);
                ActionRun run = entry.run;
                if (!taken.contains(id)
                        && run.isStale(cutoff)
                        && request.recoverableTypes().contains(run.type())) {
                    ActionRun recovered = run.with(RunTransitions.claimed(run.state(), request.owner(), now));
                    entry.run = recovered;
                    claimed.add(recovered);
                }
            }
        }
        return claimed;
    }

    @Override
    public synchronized RecordedOutcomes recordOutcomes(List<AttemptResult> outcomes, Instant now) {
        Map<String, RunState> states = new HashMap<>();
        List<TriggerCompletion> completed = new ArrayList<>();
        for (AttemptResult outcome : outcomes) {
            RunEntry entry = runs.get(outcome.runId());
            if (entry == null) {
                continue;
            }
            ActionRun current = entry.run;
            if (current.status() != RunStatus.RUNNING
                    || current.version() != outcome.claimedVersion()
                    || !outcome.owner().equals(current.owner())) {
                continue;
            }
            ActionRun next = current.with(RunTransitions.finished(current.state(), outcome, now));
            update(entry, next);
            AttemptRecord attempt = outcome.attempt();
            if (attempt != null) {
                entry.history = appended(entry.history, attempt);
            }
            states.put(next.id(), next.state());
            if (next.status() == RunStatus.SUCCEEDED) {
                TriggerEntry trigger = entry.trigger;
                trigger.unfinished--;
                if (trigger.unfinished <= 0 && trigger.trigger.completedAt() == null) {
                    Trigger done = trigger.trigger;
                    trigger.trigger = done.completedAt(now);
                    parsed.remove(done.key()); // only a re-run needs it again, and parses it
                    completed.add(new TriggerCompletion(done.kind(), done.id(), now));
                }
            }
        }
        return new RecordedOutcomes(states, completed);
    }

    /** {@code history} with {@code attempt} added, its oldest dropped beyond {@link AttemptRecord#KEPT}. */
    private static List<AttemptRecord> appended(List<AttemptRecord> history, AttemptRecord attempt) {
        if (history.isEmpty()) {
            return List.of(attempt);
        }
        int from = history.size() >= AttemptRecord.KEPT ? 1 : 0;
        List<AttemptRecord> longer = new ArrayList<>(history.size() - from + 1);
        longer.addAll(history.subList(from, history.size()));
        longer.add(attempt);
        return Collections.unmodifiableList(longer);
    }

    @Override
    public synchronized Set<String> renewLeases(String owner, Collection<String> runIds, Instant now) {
        Set<String> renewed = new HashSet<>();
        for (String id : runIds) {
            RunEntry entry = runs.get(id);
            if (entry != null && entry.run.status() == RunStatus.RUNNING && owner.equals(entry.run.owner())) {
                entry.run = entry.run.with(RunTransitions.heartbeat(entry.run.state(), now));
                renewed.add(id);
            }
        }
        return renewed;
    }

    @Override
    public synchronized void release(String owner, Collection<ActionRun> claimed, Instant now) {
        for (ActionRun run : claimed) {
            RunEntry entry = runs.get(run.id());
            if (entry == null) {
                continue;
            }
            ActionRun current = entry.run;
            if (current.status() == RunStatus.RUNNING
                    && current.version() == run.version()
                    && owner.equals(current.owner())) {
                update(entry, current.with(RunTransitions.released(current.state(), now)));
            }
        }
    }

    @Override
    public synchronized Optional<ActionRun> requeue(Requeue requeue, Instant now) {
        ActionRun expected = requeue.expected();
        RunEntry entry = runs.get(expected.id());
        if (entry == null || entry.run.status() != expected.status() || entry.run.version() != expected.version()) {
            return Optional.empty();
        }
        ActionRun current = entry.run;
        ActionRun next = new ActionRun(
                requeue.newSnapshot() == null ? current.snapshot() : requeue.newSnapshot(),
                RunTransitions.requeued(current.state(), requeue.redeliver(), now));
        update(entry, next);
        if (current.status() == RunStatus.SUCCEEDED) {
            entry.trigger.unfinished++;
        }
        return Optional.of(next);
    }

    @Override
    public synchronized Optional<ActionRun> retryNow(ActionRun expected, Instant now) {
        RunEntry entry = runs.get(expected.id());
        if (entry == null || entry.run.status() != RunStatus.PENDING || entry.run.version() != expected.version()) {
            return Optional.empty();
        }
        ActionRun next = entry.run.with(RunTransitions.dueNow(entry.run.state(), now));
        update(entry, next);
        return Optional.of(next);
    }

    @Override
    public synchronized RunPage findRuns(RunQuery query) {
        RunPage.Cursor after = RunPage.Cursor.parse(query.after());
        List<ActionRun> matching = new ArrayList<>();
        for (RunEntry entry : runs.values()) {
            ActionRun run = entry.run;
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
        for (TriggerEntry entry : triggers.values()) {
            if (orderId.equals(entry.trigger.orderId())) {
                result.addAll(runsOf(entry));
            }
        }
        result.sort(OLDEST_FIRST);
        return result;
    }

    @Override
    public synchronized List<AttemptRecord> attemptsOf(String runId) {
        RunEntry entry = runs.get(runId);
        return entry == null ? List.of() : List.copyOf(entry.history);
    }

    /** The run an index entry names: every entry of the due and running indexes has its run. */
    private RunEntry indexed(String runId) {
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
        for (RunEntry entry : runs.values()) {
            ActionRun run = entry.run;
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
            ActionRun run = indexed(id).run;
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
            ActionRun run = indexed(key.runId()).run;
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
        Iterator<Map.Entry<String, TriggerEntry>> it = triggers.entrySet().iterator();
        while (it.hasNext() && triggersDeleted < batchSize) {
            Map.Entry<String, TriggerEntry> entry = it.next();
            TriggerEntry trigger = entry.getValue();
            boolean finished = trigger.trigger.createdAt().isBefore(cutoff)
                    && trigger.runs.stream()
                            .allMatch(r -> r.run.status().isTerminal()
                                    && r.run.updatedAt().isBefore(cutoff));
            if (finished) {
                for (RunEntry run : trigger.runs) {
                    runs.remove(run.run.id());
                    deleted++;
                }
                parsed.remove(entry.getKey());
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
        TriggerEntry entry = triggers.get(triggerKey);
        if (entry != null && entry.trigger.completedAt() == null) {
            parsed.put(triggerKey, kept);
        }
    }

    /** Internal: see {@link ParsedPayloadKeeper}. */
    @Override
    public ParsedPayloadKeeper.@Nullable Kept parsed(String triggerKey) {
        return parsed.get(triggerKey);
    }

    /** Moves {@code entry} to {@code after}, keeping the due and running indexes in step. */
    private void update(RunEntry entry, ActionRun after) {
        ActionRun before = entry.run;
        if (before.status() == RunStatus.PENDING && before.nextAttemptAt() != null) {
            due.remove(new DueKey(before.nextAttemptAt(), before.id()));
        }
        if (before.status() == RunStatus.RUNNING) {
            running.remove(before.id());
        }
        entry.run = after;
        indexAdd(after);
    }

    private void indexAdd(ActionRun run) {
        if (run.status() == RunStatus.PENDING && run.nextAttemptAt() != null) {
            due.add(new DueKey(run.nextAttemptAt(), run.id()));
        }
        if (run.status() == RunStatus.RUNNING) {
            running.add(run.id());
        }
    }
}
