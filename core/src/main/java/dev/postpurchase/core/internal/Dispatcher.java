package dev.postpurchase.core.internal;

import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.spi.ActionStateStore;
import dev.postpurchase.core.spi.ClaimRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims due runs for the workers, one statement per claim, ahead of need: it keeps runs queued beyond the busy
 * workers ({@link ClaimAhead}: sized by the node's pace and the store's round trips, at most {@code claimBatch}), so a
 * worker that finishes takes its next run without waiting for the store. Runs that finished and wait for their
 * outcome's batch do not count against that (no worker needs them), so claims and outcome writes overlap.
 *
 * <p>It claims when there is reason to expect work: at start, on every poll tick, when woken (a local submit or
 * re-run, another node's notification, a retry of this node coming due), and, after a claim that came back full, each
 * time outcomes are recorded and half the runs kept ahead have room: that claim is made by the worker that recorded
 * them when nothing more waits to be written (so a busy node passes no run through a wake-up of this thread), or by
 * this thread when outcomes wait, its own or those of a worker that queued one behind a write in flight (so the
 * waiting outcomes are not held up, and a slow write does not delay the claim). A claim that comes back short
 * means the queue is drained: then a finished run does not cause another claim. One claim runs at a time. Runs of
 * non-idempotent types are claimed only for free workers, never ahead (a crash would leave a claimed-ahead run
 * RUNNING, and such runs are not recovered automatically). Abandoned runs of idempotent types are recovered at start
 * and then on a cadence of their own (half a lease), not in every claim.
 */
final class Dispatcher implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final ActionStateStore store;
    private final PipelineSettings settings;
    private final Set<String> types;
    private final Set<String> recoverableTypes;
    private final boolean allRecoverable;
    private final WorkSlots slots;
    private final Signal signal;
    private final Listeners listeners;
    private final AwaitingCommit awaiting;
    private final PriorityBlockingQueue<Instant> localRetries = new PriorityBlockingQueue<>();
    private final Outage outage = new Outage(LOG, "claiming runs");
    private final ClaimAhead ahead;
    private final long recoveryIntervalNanos;
    private final ReentrantLock claiming = new ReentrantLock();
    private volatile boolean running = true;
    /** The last claim came back full (or could ask for nothing): claim again once there is room for a batch. */
    private volatile boolean moreLikely;

    Dispatcher(
            ActionStateStore store,
            PipelineSettings settings,
            Set<String> types,
            Set<String> recoverableTypes,
            WorkSlots slots,
            Signal signal,
            Listeners listeners,
            AwaitingCommit awaiting) {
        this.store = store;
        this.settings = settings;
        this.types = Set.copyOf(types);
        this.recoverableTypes = Set.copyOf(recoverableTypes);
        this.allRecoverable = recoverableTypes.containsAll(types);
        this.slots = slots;
        this.signal = signal;
        this.listeners = listeners;
        this.awaiting = awaiting;
        this.ahead = new ClaimAhead(settings.workers(), settings.claimBatch());
        Duration recovery = settings.leaseDuration().dividedBy(2);
        this.recoveryIntervalNanos =
                Math.max(recovery.toNanos(), settings.pollInterval().toNanos());
    }

    /** A retry this node recorded comes due at {@code dueAt} (by the pipeline's clock): claim then. */
    void retryDueAt(Instant dueAt) {
        localRetries.add(dueAt);
    }

    void stop() {
        running = false;
        signal.workAdded();
    }

    /**
     * After {@link #stop}: waits (until {@code deadlineNanos} at most) for a claim a worker may still be making, so
     * that no run is handed over after the queue is given back.
     */
    void awaitClaimsEnded(long deadlineNanos) throws InterruptedException {
        if (claiming.tryLock(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            claiming.unlock();
        }
    }

    @Override
    public void run() {
        long nextPoll = System.nanoTime();
        long nextRecovery = System.nanoTime(); // a (re)started node recovers abandoned runs at once
        boolean demand = true;
        while (running) {
            try {
                long nanos = System.nanoTime();
                boolean recover = nanos - nextRecovery >= 0;
                if (recover) {
                    nextRecovery = nanos + recoveryIntervalNanos;
                }
                if (nanos - nextPoll >= 0) {
                    demand = true;
                    nextPoll = nanos + settings.pollInterval().toNanos();
                }
                if (retryCameDue()) {
                    demand = true;
                }
                // a claim made only because the last one came back full waits for room worth a batch
                if (((demand || recover) && room() > 0) || (moreLikely && roomForABatch())) {
                    int[] askedAndGot = claimAndJudge(recover, !demand && !recover);
                    outage.succeeded();
                    demand = false;
                    if (moreLikely && askedAndGot[0] > 0 && roomForABatch()) {
                        continue;
                    }
                } else if (demand) {
                    // full: claim as soon as a slot frees. Set under the claim lock, so that a worker's claim in
                    // flight (which judges moreLikely when it returns) cannot overwrite it with an older verdict
                    demand = false;
                    claiming.lock();
                    try {
                        moreLikely = true;
                    } finally {
                        claiming.unlock();
                    }
                    if (room() > 0) {
                        continue; // room appeared meanwhile
                    }
                }
                long wait = Math.min(nextPoll - System.nanoTime(), untilLocalRetry());
                if (moreLikely) {
                    wait = Math.min(wait, nextRecovery - System.nanoTime());
                }
                Signal.Wake wake = signal.await(Math.max(0, wait), moreLikely);
                if (wake.work()) {
                    demand = true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | LinkageError | AssertionError e) {
                RuntimeException failure = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                Duration backoff = outage.failed(failure, settings.pollInterval());
                demand = true;
                try {
                    signal.sleep(backoff.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Runs finished on the calling thread (their outcomes are recorded, or queued to be), so they no longer count
     * against the node. When the last claim came back full, claims again, but only once half the runs kept ahead have
     * room (or the node runs nothing), so that a busy node claims in batches, not one run per finished run: the runs
     * still queued keep its workers busy meanwhile. The claim is made on this thread when it has nothing more to write
     * and no claim is under way (which then sees the room); when {@code moreToWrite} (outcomes wait for a write, its
     * own or another worker's), the dispatcher makes it instead, so that claiming and recording overlap rather than
     * take turns. When the last claim came back short, the freed room is only remembered for the dispatcher. A failing
     * claim is left to the dispatcher, which backs off and reports the outage.
     */
    void capacityFreed(boolean moreToWrite) {
        if (!running || !roomForABatch()) {
            return; // later outcomes free more; the last of them finds the node empty
        }
        if (!moreLikely || moreToWrite || !claiming.tryLock()) {
            signal.capacityFreed();
            return;
        }
        try {
            if (running && moreLikely && roomForABatch()) {
                claimAndJudge(false, true);
            }
        } catch (RuntimeException | LinkageError | AssertionError e) {
            // never out of the worker: it must go on executing and recording what it holds
            LOG.debug("claiming on a freed slot failed; the dispatcher retries", e);
            signal.capacityFreed();
        } finally {
            claiming.unlock();
        }
    }

    /**
     * Claims once and judges from the answer whether more is likely waiting. With {@code onlyIfMoreLikely} (the only
     * reason to claim is that the last claim came back full), nothing is claimed when a claim that ended meanwhile
     * (a worker's, or this thread's) came back short: the queue is drained.
     */
    private int[] claimAndJudge(boolean recover, boolean onlyIfMoreLikely) {
        claiming.lock();
        try {
            if (onlyIfMoreLikely && !moreLikely) {
                return new int[] {0, 0};
            }
            int[] askedAndGot = claim(recover);
            // nothing could be asked (workers busy, only non-idempotent work allowed): wait for a slot
            moreLikely = askedAndGot[0] == 0 || askedAndGot[1] == askedAndGot[0];
            return askedAndGot;
        } finally {
            claiming.unlock();
        }
    }

    /** A batch of {@code count} outcomes took {@code nanos} to record: the pace that sizes how far ahead to claim. */
    void recorded(int count, long nanos) {
        ahead.writeTook(nanos);
        ahead.finished(count);
    }

    /**
     * The runs a claim may take now: the capacity (one run per worker and as many more as {@link ClaimAhead} keeps)
     * less the runs queued or executing. Runs that finished and wait for their outcome's batch do not count, as no
     * worker is needed for them, so a slow write does not leave workers without runs; but a node never holds more than
     * twice its capacity, so that finished runs cannot pile up unrecorded while the store refuses their outcomes.
     */
    private int room() {
        return room(ahead.ahead(), slots.busy());
    }

    private int room(int kept, int busy) {
        int capacity = settings.workers() + kept;
        return Math.min(capacity - busy, 2 * capacity - slots.held());
    }

    /** Whether a claim now takes a batch worth its round trip: half the runs kept ahead, or the node runs nothing. */
    private boolean roomForABatch() {
        int kept = ahead.ahead();
        int busy = slots.busy();
        int room = room(kept, busy);
        return room > 0 && (busy == 0 || room >= Math.max(1, kept / 2));
    }

    /** Claims once; returns what was asked for and what was taken. */
    private int[] claim(boolean recover) {
        int room = room();
        int free = settings.workers() - slots.busy();
        Set<String> claimTypes = types;
        int limit = Math.min(settings.claimBatch(), room);
        if (!allRecoverable) {
            if (free > 0) {
                limit = Math.min(limit, free);
            } else {
                claimTypes = recoverableTypes; // ahead of need: only runs that are safe to recover after a crash
            }
        }
        if (limit <= 0 || claimTypes.isEmpty()) {
            return new int[] {0, 0};
        }
        ClaimRequest request = new ClaimRequest(
                settings.nodeId(),
                limit,
                claimTypes,
                recover ? recoverableTypes : Set.of(),
                settings.leaseDuration(),
                recover && !recoverableTypes.isEmpty(),
                settings.clock().instant());
        List<ActionRun> claimed;
        slots.claimStarted();
        long started = System.nanoTime();
        try {
            claimed = store.claim(request);
            if (!running) {
                // stopped meanwhile: the queue may already have been given back, so give these back too
                giveBack(claimed);
                return new int[] {limit, 0};
            }
            long took = System.nanoTime() - started;
            ahead.claimTook(took);
            // a run written in a caller's transaction and claimed now was committed: report it before its execution
            awaiting.claimed(claimed);
            slots.hand(claimed);
            settings.observer().claimed(limit, claimed.size(), Duration.ofNanos(took));
        } finally {
            slots.claimEnded();
        }
        for (ActionRun run : claimed) {
            listeners.runChanged(run);
        }
        return new int[] {limit, claimed.size()};
    }

    /**
     * Gives runs claimed but never started back to the store (at shutdown), so that another node takes them at once;
     * when that fails they stay RUNNING until their lease expires.
     */
    void giveBack(List<ActionRun> claimed) {
        if (claimed.isEmpty()) {
            return;
        }
        try {
            store.release(settings.nodeId(), claimed, settings.clock().instant());
            LOG.info("gave back {} claimed run(s) that had not started", claimed.size());
        } catch (RuntimeException e) {
            LOG.warn(
                    "could not give back {} claimed run(s) that had not started; they stay RUNNING until their lease"
                            + " expires",
                    claimed.size(),
                    e);
        }
    }

    private boolean retryCameDue() {
        Instant now = settings.clock().instant();
        boolean due = false;
        Instant head;
        while ((head = localRetries.peek()) != null && !head.isAfter(now)) {
            localRetries.poll();
            due = true;
        }
        return due;
    }

    private long untilLocalRetry() {
        Instant head = localRetries.peek();
        if (head == null) {
            return Long.MAX_VALUE;
        }
        Duration until = Duration.between(settings.clock().instant(), head);
        return until.isNegative() ? 0 : saturatedNanos(until);
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
