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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records finished attempts with group commit: one thread writes whatever outcomes are waiting as one batch, in one
 * store transaction; outcomes that arrive while a batch is being written go into the next one. A lone outcome is
 * written at once, so an outcome waits at most for the batch in flight before it (a few milliseconds on a healthy
 * database). Only after its batch committed is an outcome reported to listeners, its slot freed and, when it was
 * the last unfinished run of its trigger, the completion reported. When the store fails, the batch is retried with
 * backoff until it commits; until then the runs stay RUNNING under this node's lease, and a node that dies meanwhile
 * leaves them to recovery (idempotent types) or to a force re-run.
 */
final class OutcomeWriter implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(OutcomeWriter.class);
    private static final Logger RUNS = LoggerFactory.getLogger(RunEngine.class);
    private static final int MAX_BATCH = 256;

    /** An attempt's end waiting to be written. */
    record Finished(ActionRun claimed, AttemptResult result) {}

    private final ActionStateStore store;
    private final PipelineSettings settings;
    private final WorkSlots slots;
    private final Signal signal;
    private final Listeners listeners;
    private final Dispatcher dispatcher;
    private final LinkedBlockingQueue<Finished> queue = new LinkedBlockingQueue<>();
    private final Outage outage = new Outage(LOG, "recording run outcomes");
    private volatile boolean running = true;
    private volatile long giveUpAtNanos = Long.MAX_VALUE;

    OutcomeWriter(
            ActionStateStore store,
            PipelineSettings settings,
            WorkSlots slots,
            Signal signal,
            Listeners listeners,
            Dispatcher dispatcher) {
        this.store = store;
        this.settings = settings;
        this.slots = slots;
        this.signal = signal;
        this.listeners = listeners;
        this.dispatcher = dispatcher;
    }

    void submit(ActionRun claimed, AttemptResult result) {
        queue.add(new Finished(claimed, result));
    }

    /** Writes what is queued, then stops; gives up on a failing store at {@code deadlineNanos}. */
    void stop(long deadlineNanos) {
        giveUpAtNanos = deadlineNanos;
        running = false;
    }

    @Override
    public void run() {
        List<Finished> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Finished first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Finished> batch) throws InterruptedException {
        List<AttemptResult> results = new ArrayList<>(batch.size());
        for (Finished f : batch) {
            results.add(f.result());
        }
        RecordedOutcomes recorded;
        long started = System.nanoTime();
        while (true) {
            try {
                recorded = store.recordOutcomes(results, settings.clock().instant());
                outage.succeeded();
                break;
            } catch (RuntimeException e) {
                Duration backoff = outage.failed(e, Duration.ofMillis(100));
                if (System.nanoTime() - giveUpAtNanos >= 0) {
                    LOG.warn(
                            "shutting down with {} outcome(s) unrecorded; their runs stay RUNNING and recoverable",
                            batch.size());
                    batch.forEach(f -> slots.done(f.claimed().id()));
                    return;
                }
                Thread.sleep(Math.max(1, backoff.toMillis()));
            }
        }
        for (Finished f : batch) {
            ActionRun claimed = f.claimed();
            RunState state = recorded.states().get(claimed.id());
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
        signal.capacityFreed();
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
