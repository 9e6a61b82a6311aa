package dev.postpurchase.core.memory;

import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.RunStatus;
import dev.postpurchase.core.action.Trigger;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.spi.ActionStateStore;
import dev.postpurchase.core.spi.CreateResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * {@link ActionStateStore} in this JVM's memory. Thread-safe through one monitor; due runs are indexed by due time
 * so claiming stays cheap however many finished runs are kept. Everything is lost when the JVM exits: use the JDBC
 * store where that matters.
 */
public final class InMemoryActionStateStore implements ActionStateStore {
    private record DueKey(Instant dueAt, String runId) {}

    private static final Comparator<DueKey> DUE_ORDER =
            Comparator.comparing(DueKey::dueAt).thenComparing(DueKey::runId);

    private final Map<String, Trigger> triggers = new HashMap<>();
    private final Map<String, List<String>> runIdsByTrigger = new HashMap<>();
    private final Map<String, ActionRun> runs = new HashMap<>();
    private final TreeSet<DueKey> due = new TreeSet<>(DUE_ORDER);
    private final Set<String> running = new LinkedHashSet<>();

    @Override
    public synchronized CreateResult create(Trigger trigger, List<ActionRun> newRuns) {
        Trigger existing = triggers.get(trigger.key());
        if (existing != null) {
            return new CreateResult(false, runs(trigger.kind(), trigger.id()));
        }
        for (ActionRun run : newRuns) {
            if (!run.triggerKey().equals(trigger.key())) {
                throw new IllegalArgumentException("run " + run.id() + " belongs to another trigger");
            }
            if (runs.containsKey(run.id())) {
                throw new IllegalArgumentException("run " + run.id() + " exists already");
            }
        }
        triggers.put(trigger.key(), trigger);
        List<String> ids = new ArrayList<>();
        for (ActionRun run : newRuns) {
            ids.add(run.id());
            put(null, run);
        }
        runIdsByTrigger.put(trigger.key(), ids);
        return new CreateResult(true, newRuns);
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
        result.sort(Comparator.comparing(ActionRun::createdAt).thenComparing(ActionRun::id));
        return result;
    }

    @Override
    public synchronized List<ActionRun> claim(
            String owner, Instant now, int limit, Instant staleBefore, Set<String> recoverableTypes) {
        List<ActionRun> claimed = new ArrayList<>();
        Iterator<DueKey> it = due.iterator();
        while (claimed.size() < limit && it.hasNext()) {
            DueKey key = it.next();
            if (key.dueAt().isAfter(now)) {
                break;
            }
            ActionRun run = runs.get(key.runId());
            ActionRun taken = run.claim(owner, now);
            it.remove();
            runs.put(taken.id(), taken);
            running.add(taken.id());
            claimed.add(taken);
        }
        if (claimed.size() < limit && !recoverableTypes.isEmpty()) {
            for (String id : List.copyOf(running)) {
                if (claimed.size() >= limit) {
                    break;
                }
                ActionRun run = runs.get(id);
                if (run.isStale(staleBefore) && recoverableTypes.contains(run.type()) && !claimed.contains(run)) {
                    ActionRun taken = run.claim(owner, now);
                    runs.put(taken.id(), taken);
                    claimed.add(taken);
                }
            }
        }
        return claimed;
    }

    @Override
    public synchronized boolean compareAndSet(ActionRun expected, ActionRun replacement) {
        if (!expected.id().equals(replacement.id()) || replacement.version() != expected.version() + 1) {
            throw new IllegalArgumentException("replacement must be the same run with the next version");
        }
        ActionRun current = runs.get(expected.id());
        if (current == null || current.status() != expected.status() || current.version() != expected.version()) {
            return false;
        }
        put(current, replacement);
        return true;
    }

    @Override
    public synchronized boolean heartbeat(String runId, String owner, Instant now) {
        ActionRun current = runs.get(runId);
        if (current == null || current.status() != RunStatus.RUNNING || !owner.equals(current.owner())) {
            return false;
        }
        runs.put(runId, current.heartbeat(now));
        return true;
    }

    @Override
    public synchronized List<ActionRun> staleRuns(Instant heartbeatBefore, int limit) {
        List<ActionRun> stale = new ArrayList<>();
        for (String id : running) {
            ActionRun run = runs.get(id);
            if (run.isStale(heartbeatBefore)) {
                stale.add(run);
                if (stale.size() >= limit) {
                    break;
                }
            }
        }
        return stale;
    }

    @Override
    public synchronized Optional<Instant> nextDueAt() {
        return due.isEmpty() ? Optional.empty() : Optional.of(due.first().dueAt());
    }

    @Override
    public synchronized boolean markCompleted(TriggerKind kind, String triggerId, Instant now) {
        String key = Trigger.key(kind, triggerId);
        Trigger trigger = triggers.get(key);
        if (trigger == null || trigger.completedAt() != null) {
            return false;
        }
        triggers.put(key, new Trigger(trigger.kind(), trigger.id(), trigger.payloadJson(), trigger.createdAt(), now));
        return true;
    }

    @Override
    public synchronized List<Trigger> finishedButNotCompleted(int limit) {
        List<Trigger> result = new ArrayList<>();
        for (Map.Entry<String, List<String>> entry : runIdsByTrigger.entrySet()) {
            if (result.size() >= limit) {
                break;
            }
            Trigger trigger = triggers.get(entry.getKey());
            if (trigger.completedAt() == null
                    && entry.getValue().stream().allMatch(id -> runs.get(id).status() == RunStatus.SUCCEEDED)) {
                result.add(trigger);
            }
        }
        return result;
    }

    @Override
    public synchronized int deleteFinishedBefore(Instant cutoff, int batchSize) {
        int deleted = 0;
        int triggersDeleted = 0;
        Iterator<Map.Entry<String, List<String>>> it =
                runIdsByTrigger.entrySet().iterator();
        while (it.hasNext() && triggersDeleted < batchSize) {
            Map.Entry<String, List<String>> entry = it.next();
            boolean finished = triggers.get(entry.getKey()).createdAt().isBefore(cutoff)
                    && entry.getValue().stream()
                            .map(runs::get)
                            .allMatch(r ->
                                    r.status().isTerminal() && r.updatedAt().isBefore(cutoff));
            if (finished) {
                for (String id : entry.getValue()) {
                    runs.remove(id);
                    deleted++;
                }
                triggers.remove(entry.getKey());
                it.remove();
                triggersDeleted++;
                deleted++;
            }
        }
        return deleted;
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
