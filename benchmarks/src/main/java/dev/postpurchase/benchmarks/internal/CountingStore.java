package dev.postpurchase.benchmarks.internal;

import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.AttemptRecord;
import dev.postpurchase.core.action.RunPage;
import dev.postpurchase.core.action.RunQuery;
import dev.postpurchase.core.action.Trigger;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.spi.ActionStateStore;
import dev.postpurchase.core.spi.AttemptResult;
import dev.postpurchase.core.spi.ClaimRequest;
import dev.postpurchase.core.spi.CreateResult;
import dev.postpurchase.core.spi.RecordedOutcomes;
import dev.postpurchase.core.spi.Requeue;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * A store that forwards every call to another and counts, per SPI method, the calls and the wall time spent in them,
 * plus the runs each claim returned: how many store round trips a run costs and which ones take the time. Used in
 * the profiling run only. Thread-safe.
 */
public final class CountingStore implements ActionStateStore {
    private final ActionStateStore delegate;
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> nanos = new ConcurrentHashMap<>();
    private final LongAdder claimed = new LongAdder();
    private final LongAdder recorded = new LongAdder();

    public CountingStore(ActionStateStore delegate) {
        this.delegate = delegate;
    }

    private <T> T timed(String method, Supplier<T> call) {
        long t = System.nanoTime();
        try {
            return call.get();
        } finally {
            nanos.computeIfAbsent(method, m -> new LongAdder()).add(System.nanoTime() - t);
            calls.computeIfAbsent(method, m -> new LongAdder()).increment();
        }
    }

    @Override
    public CreateResult create(Trigger trigger, List<ActionRun> runs) {
        return timed("create", () -> delegate.create(trigger, runs));
    }

    @Override
    public Optional<Trigger> trigger(TriggerKind kind, String triggerId) {
        return timed("trigger", () -> delegate.trigger(kind, triggerId));
    }

    @Override
    public List<Trigger> triggersOf(Collection<ActionRun> runs) {
        return timed("triggersOf", () -> delegate.triggersOf(runs));
    }

    @Override
    public Optional<ActionRun> run(String runId) {
        return timed("run", () -> delegate.run(runId));
    }

    @Override
    public List<ActionRun> runs(TriggerKind kind, String triggerId) {
        return timed("runs", () -> delegate.runs(kind, triggerId));
    }

    @Override
    public List<ActionRun> claim(ClaimRequest request) {
        List<ActionRun> result = timed("claim", () -> delegate.claim(request));
        claimed.add(result.size());
        return result;
    }

    @Override
    public RecordedOutcomes recordOutcomes(List<AttemptResult> outcomes, Instant now) {
        RecordedOutcomes result = timed("recordOutcomes", () -> delegate.recordOutcomes(outcomes, now));
        recorded.add(outcomes.size());
        return result;
    }

    @Override
    public Set<String> renewLeases(String owner, Collection<String> runIds, Instant now) {
        return timed("renewLeases", () -> delegate.renewLeases(owner, runIds, now));
    }

    @Override
    public void release(String owner, Collection<ActionRun> runs, Instant now) {
        timed("release", () -> {
            delegate.release(owner, runs, now);
            return null;
        });
    }

    @Override
    public Optional<ActionRun> requeue(Requeue requeue, Instant now) {
        return timed("requeue", () -> delegate.requeue(requeue, now));
    }

    @Override
    public Optional<ActionRun> retryNow(ActionRun expected, Instant now) {
        return timed("retryNow", () -> delegate.retryNow(expected, now));
    }

    @Override
    public RunPage findRuns(RunQuery query) {
        return timed("findRuns", () -> delegate.findRuns(query));
    }

    @Override
    public List<ActionRun> runsAbout(String orderId) {
        return timed("runsAbout", () -> delegate.runsAbout(orderId));
    }

    @Override
    public List<AttemptRecord> attemptsOf(String runId) {
        return timed("attemptsOf", () -> delegate.attemptsOf(runId));
    }

    @Override
    public dev.postpurchase.core.action.RunCounts countRuns(Duration staleAfter, Instant now) {
        return timed("countRuns", () -> delegate.countRuns(staleAfter, now));
    }

    @Override
    public List<ActionRun> staleRuns(Duration olderThan, Instant now, int limit) {
        return timed("staleRuns", () -> delegate.staleRuns(olderThan, now, limit));
    }

    @Override
    public void nodeAlive(String nodeId, Set<String> types, Instant now) {
        timed("nodeAlive", () -> {
            delegate.nodeAlive(nodeId, types, now);
            return null;
        });
    }

    @Override
    public List<ActionRun> unclaimableRuns(Duration nodeTimeout, Instant now, int limit) {
        return timed("unclaimableRuns", () -> delegate.unclaimableRuns(nodeTimeout, now, limit));
    }

    @Override
    public Optional<Duration> untilNextDue(Instant now) {
        return timed("untilNextDue", () -> delegate.untilNextDue(now));
    }

    @Override
    public void checkReady() {
        delegate.checkReady();
    }

    @Override
    public int deleteFinishedBefore(Instant cutoff, int batchSize) {
        return timed("deleteFinishedBefore", () -> delegate.deleteFinishedBefore(cutoff, batchSize));
    }

    @Override
    public AutoCloseable onWorkAdded(Runnable wakeUp) {
        return delegate.onWorkAdded(wakeUp);
    }

    @Override
    public void close() {
        delegate.close();
    }

    /** The counts so far, per {@code jobs} jobs: calls per job, mean milliseconds per call, and the claim batch size. */
    public String report(int jobs) {
        StringBuilder s = new StringBuilder("## Store calls during the drain (" + jobs + " jobs)\n\n");
        s.append("| method | calls per job | mean ms per call | total s (all threads) |\n|---|---:|---:|---:|\n");
        for (Map.Entry<String, LongAdder> e : new TreeMap<>(calls).entrySet()) {
            long n = e.getValue().sum();
            long ns = nanos.get(e.getKey()).sum();
            s.append(String.format(
                    Locale.ROOT,
                    "| %s | %.2f | %.2f | %.1f |%n",
                    e.getKey(),
                    n / (double) jobs,
                    ns / 1e6 / Math.max(1, n),
                    ns / 1e9));
        }
        long claims = calls.getOrDefault("claim", new LongAdder()).sum();
        s.append(String.format(
                Locale.ROOT,
                "%nRuns per claim call: %.2f (claim calls returning nothing included)%n",
                claimed.sum() / (double) Math.max(1, claims)));
        long batches = calls.getOrDefault("recordOutcomes", new LongAdder()).sum();
        s.append(String.format(
                Locale.ROOT,
                "Outcomes per recordOutcomes call (batch size): %.2f%n",
                recorded.sum() / (double) Math.max(1, batches)));
        return s.toString();
    }
}
