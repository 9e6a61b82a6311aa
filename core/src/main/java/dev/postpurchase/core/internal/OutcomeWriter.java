package dev.postpurchase.core.internal;

import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.RunState;
import dev.postpurchase.core.action.RunStatus;
import dev.postpurchase.core.action.TriggerCompletion;
import dev.postpurchase.core.spi.ActionStateStore;
import dev.postpurchase.core.spi.AttemptResult;
import dev.postpurchase.core.spi.RecordedOutcomes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records finished attempts with group commit, led by the workers themselves: a worker whose run finished queues
 * the outcome and, when no write is in flight, writes whatever outcomes are waiting as one batch, in one store
 * transaction; outcomes that arrive while a batch is being written go into the next one, written by the same worker
 * right after (it checks the queue again once it lets go) or by their own. A lone outcome is written at once, so an
 * outcome waits at most for the batch in flight before it (a few milliseconds on a healthy database), and no thread
 * hand-off stands between a finished run and its write. Only after its batch committed is an outcome reported to
 * listeners, its slot freed and, when it was the last unfinished run of its trigger, the completion reported. When
 * the store fails, the writing worker retries the batch with backoff until it commits (the other workers go on
 * executing and queue their outcomes behind it); until then the runs stay RUNNING under this node's lease, and a
 * node that dies meanwhile leaves them to recovery (idempotent types) or to a force re-run.
 */
final class OutcomeWriter {
    private static final Logger LOG = LoggerFactory.getLogger(OutcomeWriter.class);
    private static final Logger RUNS = LoggerFactory.getLogger(RunEngine.class);
    private static final int MAX_BATCH = 256;

    /** An attempt's end waiting to be written. */
    record Finished(ActionRun claimed, AttemptResult result) {}

    private final ActionStateStore store;
    private final PipelineSettings settings;
    private final WorkSlots slots;
    private final Listeners listeners;
    private final Dispatcher dispatcher;
    private final ConcurrentLinkedQueue<Finished> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock writing = new ReentrantLock();
    private final Outage outage = new Outage(LOG, "recording run outcomes");
    private volatile long giveUpAtNanos = Long.MAX_VALUE;

    OutcomeWriter(
            ActionStateStore store,
            PipelineSettings settings,
            WorkSlots slots,
            Listeners listeners,
            Dispatcher dispatcher) {
        this.store = store;
        this.settings = settings;
        this.slots = slots;
        this.listeners = listeners;
        this.dispatcher = dispatcher;
    }

    /**
     * Queues a finished attempt and, unless another thread is writing (which then writes it next), writes what is
     * queued on the calling thread until the queue is empty.
     */
    void submit(ActionRun claimed, AttemptResult result) {
        queue.add(new Finished(claimed, result));
        writeQueued();
    }

    /**
     * Writes what is queued, on the calling thread, unless another thread is writing. Whoever lets go of the write
     * looks at the queue again, so an outcome queued while a write was in flight is never left behind. Each time a
     * writer lets go, the room its batches left may be claimed again: by the writer itself when nothing waits to be
     * written, or else by the dispatcher, so that the outcomes waiting are not held up by a claim.
     */
    void writeQueued() {
        List<Finished> batch = new ArrayList<>();
        while (!queue.isEmpty()) {
            if (!writing.tryLock()) {
                // the worker writing takes these outcomes next; their runs need no worker any more, so a claim for
                // the room they left need not wait for that write
                dispatcher.capacityFreed(true);
                return;
            }
            boolean wrote = false;
            // a worker writing is not free: no run is claimed for it meanwhile (see Dispatcher#claim)
            slots.started();
            try {
                Finished next;
                while ((next = queue.poll()) != null) {
                    batch.add(next);
                    if (batch.size() == MAX_BATCH) {
                        write(batch);
                        wrote = true;
                        batch.clear();
                    }
                }
                if (!batch.isEmpty()) {
                    write(batch);
                    wrote = true;
                }
            } catch (InterruptedException e) {
                // interrupted by a shutdown past its deadline: these runs stay RUNNING and recoverable
                Thread.currentThread().interrupt();
                abandon(batch, "interrupted", null);
                return;
            } catch (RuntimeException | LinkageError | AssertionError e) {
                // not the store (its failures are retried in write): a listener or observer bug must not kill the
                // worker, nor leave these slots held and their leases renewed for ever
                abandon(batch, "recording failed", e);
            } finally {
                batch.clear();
                slots.stopped();
                writing.unlock();
            }
            if (wrote) {
                // each time the lock is let go, not once the queue is empty: on a busy node outcomes keep arriving,
                // and the workers would run dry before the claim
                dispatcher.capacityFreed(!queue.isEmpty());
            }
        }
    }

    /** Frees the slots of outcomes that will not be recorded; their runs stay RUNNING and recoverable. */
    private void abandon(List<Finished> batch, String why, @Nullable Throwable bug) {
        String message = "{} with {} outcome(s) unrecorded; their runs stay RUNNING and recoverable";
        if (bug == null) {
            LOG.warn(message, why, batch.size());
        } else {
            LOG.error(message, why, batch.size(), bug);
        }
        batch.forEach(f -> slots.done(f.claimed().id()));
    }

    /**
     * At shutdown, once no worker runs: writes what is still queued (after a write in flight), on a thread of its
     * own so that a store that hangs cannot hold the shutdown past {@code deadlineNanos} plus a second; a batch the
     * store keeps refusing is given up at the deadline.
     */
    void flush(long deadlineNanos) throws InterruptedException {
        giveUpAt(deadlineNanos);
        long wait = Math.max(0, deadlineNanos - System.nanoTime()) + TimeUnit.SECONDS.toNanos(1);
        Thread flusher = RunEngine.threads("postpurchase-outcomes-flush-", true).newThread(() -> {
            try {
                if (writing.tryLock(wait, TimeUnit.NANOSECONDS)) {
                    writing.unlock();
                }
                writeQueued();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        flusher.start();
        flusher.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
        if (flusher.isAlive()) {
            LOG.warn("the store did not record the last outcomes by the shutdown deadline; their runs stay RUNNING"
                    + " and recoverable");
        }
    }

    /** From now on, a batch the store keeps refusing is given up at {@code deadlineNanos} (shutdown). */
    void giveUpAt(long deadlineNanos) {
        giveUpAtNanos = deadlineNanos;
    }

    /** Outcomes queued and not yet written. */
    boolean idle() {
        return queue.isEmpty() && !writing.isLocked();
    }

    private void write(List<Finished> batch) throws InterruptedException {
        List<AttemptResult> results = new ArrayList<>(batch.size());
        for (Finished f : batch) {
            results.add(f.result());
        }
        RecordedOutcomes recorded;
        long started = System.nanoTime();
        boolean retried = false;
        while (true) {
            try {
                recorded = store.recordOutcomes(results, settings.clock().instant());
                outage.succeeded();
                break;
            } catch (RuntimeException | LinkageError | AssertionError e) {
                retried = true;
                RuntimeException failure = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                Duration backoff = outage.failed(failure, Duration.ofMillis(100));
                if (System.nanoTime() - giveUpAtNanos >= 0) {
                    abandon(batch, "shutting down", null);
                    return;
                }
                Thread.sleep(Math.max(1, backoff.toMillis()));
            }
        }
        for (Finished f : batch) {
            ActionRun claimed = f.claimed();
            RunState state = recorded.states().get(claimed.id());
            if (state == null && retried) {
                // a failed attempt may have committed before its connection broke: the store then holds this
                // outcome, but this node cannot tell it from a change made elsewhere, so it reports neither
                LOG.warn(
                        "run {} was changed since its claim, perhaps by this node's own write whose commit was not"
                                + " acknowledged; outcome {} not reported here (the store holds the run's state)",
                        claimed.id(),
                        f.result().status());
                continue;
            }
            if (state == null) {
                LOG.warn(
                        "run {} was changed while it executed (forced re-run or lease lost); outcome {} discarded",
                        claimed.id(),
                        f.result().status());
                continue;
            }
            ActionRun next = claimed.with(state);
            log(next);
            listeners.runChanged(next);
            Duration delay = f.result().retryDelay();
            if (next.status() == RunStatus.PENDING && delay != null) {
                dispatcher.retryDueAt(settings.clock().instant().plus(delay));
            }
        }
        for (TriggerCompletion completion : recorded.completed()) {
            RUNS.info("{} completed: every action succeeded", completion.key());
            listeners.triggerCompleted(completion);
        }
        // freed only now, so a node that looks idle has also told its listeners everything
        batch.forEach(f -> slots.done(f.claimed().id()));
        long took = System.nanoTime() - started;
        dispatcher.recorded(batch.size(), took);
        settings.observer().outcomesRecorded(batch.size(), Duration.ofNanos(took));
    }

    private static void log(ActionRun run) {
        switch (run.status()) {
            case SUCCEEDED -> RUNS.info(
                    "run {} ({}) succeeded after {} attempt(s){}",
                    run.id(),
                    run.type(),
                    run.attempts(),
                    run.skipReason() == null ? "" : ", skipped: " + run.skipReason());
            case FAILED -> RUNS.warn("run {} ({}) failed: {}", run.id(), run.type(), run.lastError());
            case PENDING -> RUNS.info(
                    "run {} ({}) will retry at {}: {}", run.id(), run.type(), run.nextAttemptAt(), run.lastError());
            case RUNNING -> RUNS.debug("run {} running", run.id());
        }
    }
}
