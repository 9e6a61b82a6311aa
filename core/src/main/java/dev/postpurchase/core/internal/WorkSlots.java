package dev.postpurchase.core.internal;

import dev.postpurchase.core.action.ActionRun;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The runs this node holds, from claim to recorded outcome: queued for a worker, executing, or waiting for their
 * outcome's batch to commit. The dispatcher claims only while fewer than {@code workers} plus the runs it keeps ahead
 * are queued or executing, and fewer than twice that are held: a node takes no more runs than its workers can soon
 * start, and holds a bounded number whose outcomes wait for the store. The lease keeper renews exactly the held
 * runs.
 */
final class WorkSlots {
    private final ConcurrentHashMap<String, ActionRun> held = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<ActionRun> ready = new LinkedBlockingQueue<>();
    private final AtomicInteger executing = new AtomicInteger();
    private final AtomicInteger claiming = new AtomicInteger();

    /** A claim is under way: until {@link #claimEnded}, the node counts as busy even if it holds nothing yet. */
    void claimStarted() {
        claiming.incrementAndGet();
    }

    void claimEnded() {
        claiming.decrementAndGet();
    }

    /** Runs held or possibly being claimed: zero only when this node has nothing in its hands. */
    int inFlight() {
        return held.size() + claiming.get();
    }

    /** Adds claimed runs for the workers. */
    void hand(List<ActionRun> claimed) {
        for (ActionRun run : claimed) {
            held.put(run.id(), run);
            ready.add(run);
        }
    }

    /**
     * The next run to execute, waiting for one; it counts as executing from here on (so that between the queue and the
     * attempt it is never counted as neither), until {@link #stopped}.
     */
    ActionRun take() throws InterruptedException {
        ActionRun run = ready.take();
        executing.incrementAndGet();
        return run;
    }

    void started() {
        executing.incrementAndGet();
    }

    void stopped() {
        executing.decrementAndGet();
    }

    /** The run's outcome is recorded (or abandoned): it no longer occupies a slot. */
    void done(String runId) {
        held.remove(runId);
    }

    /** Runs claimed and not yet recorded. */
    int held() {
        return held.size();
    }

    /** Runs queued or executing: how many workers are spoken for. */
    int busy() {
        return executing.get() + ready.size();
    }

    /** The runs held now (a snapshot view; may change while read). */
    Collection<ActionRun> heldRuns() {
        return held.values();
    }

    Set<String> heldIds() {
        return Set.copyOf(held.keySet());
    }

    /** Takes every run still queued (never started), for release at shutdown. */
    List<ActionRun> drainQueued() {
        List<ActionRun> queued = new ArrayList<>();
        ready.drainTo(queued);
        return queued;
    }

    /** Puts a marker that stops one worker once it reaches it. */
    void stopOneWorker(ActionRun marker) {
        ready.add(marker);
    }
}
