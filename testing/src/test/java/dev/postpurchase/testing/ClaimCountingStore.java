package dev.postpurchase.testing;

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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** The in-memory store, counting every call the pipeline makes and the claims that came back empty. */
final class ClaimCountingStore implements ActionStateStore {
    final ActionStateStore delegate = ActionStateStore.inMemory();
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger claims = new AtomicInteger();
    final AtomicInteger emptyClaims = new AtomicInteger();
    final AtomicInteger outcomeWrites = new AtomicInteger();
    final AtomicInteger outcomesRecorded = new AtomicInteger();
    /** Runs at the start of every outcome write, on the writing thread. */
    volatile Runnable beforeOutcomes = () -> {};

    @Override
    public CreateResult create(Trigger trigger, List<ActionRun> runs) {
        calls.incrementAndGet();
        return delegate.create(trigger, runs);
    }

    @Override
    public Optional<Trigger> trigger(TriggerKind kind, String triggerId) {
        calls.incrementAndGet();
        return delegate.trigger(kind, triggerId);
    }

    @Override
    public Optional<ActionRun> run(String runId) {
        return delegate.run(runId);
    }

    @Override
    public List<ActionRun> runs(TriggerKind kind, String triggerId) {
        return delegate.runs(kind, triggerId);
    }

    @Override
    public List<ActionRun> claim(ClaimRequest request) {
        calls.incrementAndGet();
        claims.incrementAndGet();
        List<ActionRun> claimed = delegate.claim(request);
        if (claimed.isEmpty()) {
            emptyClaims.incrementAndGet();
        }
        return claimed;
    }

    @Override
    public RecordedOutcomes recordOutcomes(List<AttemptResult> outcomes, Instant now) {
        calls.incrementAndGet();
        outcomeWrites.incrementAndGet();
        beforeOutcomes.run();
        outcomesRecorded.addAndGet(outcomes.size());
        return delegate.recordOutcomes(outcomes, now);
    }

    @Override
    public Set<String> renewLeases(String owner, Collection<String> runIds, Instant now) {
        calls.incrementAndGet();
        return delegate.renewLeases(owner, runIds, now);
    }

    @Override
    public void release(String owner, Collection<ActionRun> claimed, Instant now) {
        calls.incrementAndGet();
        delegate.release(owner, claimed, now);
    }

    @Override
    public Optional<ActionRun> requeue(Requeue requeue, Instant now) {
        calls.incrementAndGet();
        return delegate.requeue(requeue, now);
    }

    @Override
    public Optional<ActionRun> retryNow(ActionRun expected, Instant now) {
        calls.incrementAndGet();
        return delegate.retryNow(expected, now);
    }

    @Override
    public RunPage findRuns(RunQuery query) {
        return delegate.findRuns(query);
    }

    @Override
    public List<ActionRun> runsAbout(String orderId) {
        return delegate.runsAbout(orderId);
    }

    @Override
    public List<AttemptRecord> attemptsOf(String runId) {
        return delegate.attemptsOf(runId);
    }

    @Override
    public dev.postpurchase.core.action.RunCounts countRuns(Duration staleAfter, Instant now) {
        return delegate.countRuns(staleAfter, now);
    }

    @Override
    public List<ActionRun> staleRuns(Duration olderThan, Instant now, int limit) {
        return delegate.staleRuns(olderThan, now, limit);
    }

    @Override
    public void nodeAlive(String nodeId, Set<String> types, Instant now) {
        calls.incrementAndGet();
        delegate.nodeAlive(nodeId, types, now);
    }

    @Override
    public List<ActionRun> unclaimableRuns(Duration nodeTimeout, Instant now, int limit) {
        return delegate.unclaimableRuns(nodeTimeout, now, limit);
    }

    @Override
    public Optional<Duration> untilNextDue(Instant now) {
        return delegate.untilNextDue(now);
    }

    @Override
    public int deleteFinishedBefore(Instant cutoff, int batchSize) {
        return delegate.deleteFinishedBefore(cutoff, batchSize);
    }
}
