package dev.postpurchase.core.internal;

import dev.postpurchase.core.ActionExecutors;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.AttemptRecord;
import dev.postpurchase.core.action.RunSnapshot;
import dev.postpurchase.core.action.RunState;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.ActionStateStore;
import dev.postpurchase.core.spi.AttemptResult;
import dev.postpurchase.core.spi.PipelineObserver;
import dev.postpurchase.core.spi.TraceContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Executes runs on this node: a dispatcher thread claims due runs ahead of need ({@link Dispatcher}), {@code workers}
 * worker threads execute them ({@link AttemptRunner}) and record their outcomes in batches, the worker that finds no
 * write in flight writing for all ({@link OutcomeWriter}), and a lease thread renews every held lease with one call
 * per interval ({@link LeaseKeeper}).
 */
public final class RunEngine {
    private static final Logger LOG = LoggerFactory.getLogger(RunEngine.class);
    public static final String MDC_TRIGGER = "postpurchase.trigger";
    public static final String MDC_RUN = "postpurchase.run";

    /** The marker that stops a worker. */
    private static final ActionRun STOP = new ActionRun(
            new RunSnapshot(
                    "stop",
                    TriggerKind.ORDER,
                    "stop",
                    "stop",
                    "stop",
                    "stop",
                    ActionLevel.CHECKOUT,
                    "stop",
                    "{}",
                    RetryPolicy.none(),
                    Instant.EPOCH),
            RunState.pending(Instant.EPOCH));

    private final ActionStateStore store;
    private final PipelineSettings settings;
    private final AttemptRunner runner;
    private final TriggerPayloads payloads;
    private final WorkSlots slots = new WorkSlots();
    private final Signal signal = new Signal();
    private final Dispatcher dispatcher;
    private final OutcomeWriter writer;
    private final LeaseKeeper leases;
    private final Thread dispatcherThread;
    private final List<Thread> workerThreads = new ArrayList<>();
    private final AutoCloseable notification;
    private volatile boolean abandoning;

    public RunEngine(
            ActionStateStore store,
            ActionExecutors executors,
            PipelineSettings settings,
            Listeners listeners,
            TriggerPayloads payloads,
            AwaitingCommit awaiting) {
        this.store = store;
        this.settings = settings;
        this.payloads = payloads;
        this.runner = new AttemptRunner(executors, new ResolvedConfigs(), payloads, settings, slots::heldRuns);
        this.dispatcher = new Dispatcher(
                store, settings, executors.types(), executors.idempotentTypes(), slots, signal, listeners, awaiting);
        this.writer = new OutcomeWriter(store, settings, slots, listeners, dispatcher);
        this.leases = new LeaseKeeper(store, settings, executors.types(), slots);
        this.dispatcherThread = threads("postpurchase-dispatcher-", true).newThread(dispatcher);
        ThreadFactory workerFactory = threads("postpurchase-worker-", false);
        for (int i = 0; i < settings.workers(); i++) {
            workerThreads.add(workerFactory.newThread(this::workLoop));
        }
        this.notification = store.onWorkAdded(signal::workAdded);
        leases.start();
        workerThreads.forEach(Thread::start);
        dispatcherThread.start();
    }

    /** Makes the dispatcher look for work now. */
    public void wakeUp() {
        signal.workAdded();
    }

    /** Runs this node holds (claimed and not yet recorded) or is claiming right now. */
    public int inFlight() {
        return slots.inFlight();
    }

    private void workLoop() {
        while (true) {
            ActionRun run;
            try {
                run = slots.take();
            } catch (InterruptedException e) {
                return;
            }
            if (run == STOP) {
                slots.stopped();
                return;
            }
            OutcomeWriter.Finished finished = execute(run);
            if (finished != null) {
                writer.submit(finished.claimed(), finished.result());
            }
        }
    }

    /**
     * Executes one attempt of a run just taken (it counts as executing since {@link WorkSlots#take}); returns its
     * outcome to record, or null when shutdown abandoned it.
     */
    private OutcomeWriter.@Nullable Finished execute(ActionRun run) {
        try {
            MDC.put(MDC_TRIGGER, run.triggerKey());
            MDC.put(MDC_RUN, run.id());
            Instant startedAt = settings.clock().instant();
            PipelineObserver observer = settings.observer();
            PipelineObserver.AttemptObservation observation =
                    observer.attemptStarted(run, startedAt, observer.tracesAttempts() ? traceParentOf(run) : null);
            long t0 = System.nanoTime();
            AttemptResult result = TraceContext.with(observation.traceParent(), () -> runner.attempt(run));
            long took = System.nanoTime() - t0;
            AttemptRecord attempt = history(result, startedAt, took / 1_000_000);
            observation.finished(attempt, Duration.ofNanos(took));
            result = result.withAttempt(attempt);
            if (abandoning && Thread.currentThread().isInterrupted()) {
                LOG.warn("run {} was interrupted by shutdown; it stays RUNNING and recoverable", run.id());
                slots.done(run.id());
                return null;
            }
            return new OutcomeWriter.Finished(run, result);
        } finally {
            slots.stopped();
            MDC.remove(MDC_TRIGGER);
            MDC.remove(MDC_RUN);
        }
    }

    /** The trace parent stored with the run's trigger (read with the other held runs' triggers), or null. */
    private @Nullable String traceParentOf(ActionRun run) {
        try {
            return payloads.traceParentOf(run, slots.heldRuns());
        } catch (RuntimeException e) {
            LOG.debug("no trace parent for run {}: {}", run.id(), e.toString());
            return null;
        }
    }

    /** The attempt as the run's history keeps it. */
    private AttemptRecord history(AttemptResult result, Instant startedAt, long millis) {
        AttemptRecord.Outcome outcome =
                switch (result.status()) {
                    case SUCCEEDED -> result.skipReason() != null
                            ? AttemptRecord.Outcome.SKIPPED
                            : AttemptRecord.Outcome.SUCCEEDED;
                    case PENDING -> AttemptRecord.Outcome.RETRY_SCHEDULED;
                    default -> AttemptRecord.Outcome.FAILED;
                };
        String excerpt = result.error() != null
                ? result.error()
                : result.skipReason() != null ? result.skipReason() : result.result();
        return new AttemptRecord(
                startedAt, millis, outcome, result.statusCode(), ExcerptRedaction.redact(excerpt), settings.nodeId());
    }

    /**
     * Stops claiming, gives back runs claimed but not started, lets running ones finish and their outcomes be
     * recorded within {@code deadline}, then interrupts what is left. Interrupted runs stay RUNNING and are recovered
     * by another node (idempotent ones) or offered for a force re-run.
     *
     * @return true when every in-flight run finished and was recorded in time
     */
    public boolean shutdown(Duration deadline) {
        long deadlineNanos = System.nanoTime() + Math.max(1, deadline.toNanos());
        dispatcher.stop();
        writer.giveUpAt(deadlineNanos);
        try {
            notification.close();
        } catch (Exception e) {
            LOG.debug("closing the store notification failed", e);
        }
        boolean finished = true;
        try {
            // The dispatcher stops first, so no run is claimed after the workers stop taking work.
            dispatcherThread.join(Math.max(1, remainingMillis(deadlineNanos)));
            dispatcher.awaitClaimsEnded(deadlineNanos);
            releaseQueued();
            for (int i = 0; i < workerThreads.size(); i++) {
                slots.stopOneWorker(STOP);
            }
            for (Thread worker : workerThreads) {
                worker.join(Math.max(1, remainingMillis(deadlineNanos)));
            }
            if (workerThreads.stream().anyMatch(Thread::isAlive)) {
                LOG.warn("run(s) still executing at shutdown; they stay RUNNING and recoverable");
                abandoning = true;
                workerThreads.forEach(Thread::interrupt);
                finished = false;
            }
            writer.flush(deadlineNanos);
            finished = finished && writer.idle() && slots.held() == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandoning = true;
            workerThreads.forEach(Thread::interrupt);
            finished = false;
        }
        leases.stop();
        return finished && !dispatcherThread.isAlive();
    }

    private void releaseQueued() {
        List<ActionRun> queued = slots.drainQueued();
        dispatcher.giveBack(queued);
        queued.forEach(run -> slots.done(run.id()));
    }

    private static long remainingMillis(long deadlineNanos) {
        return TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    }

    static ThreadFactory threads(String prefix, boolean daemon) {
        AtomicInteger counter = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + counter.incrementAndGet());
            t.setDaemon(daemon);
            return t;
        };
    }
}
