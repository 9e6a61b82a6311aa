package dev.postpurchase.core.internal;

import dev.postpurchase.core.ActionExecutors;
import dev.postpurchase.core.PostpurchaseException;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.RunStatus;
import dev.postpurchase.core.action.Trigger;
import dev.postpurchase.core.retry.Failure;
import dev.postpurchase.core.spi.ActionExecutor;
import dev.postpurchase.core.spi.ActionStateStore;
import dev.postpurchase.core.spi.ExecutionContext;
import dev.postpurchase.core.spi.ExecutionOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Claims due runs from the store and executes them on a bounded worker pool: one dispatcher thread, {@code workers}
 * worker threads, one lease thread renewing heartbeats. The dispatcher is woken at once by local submits and by the
 * store's work notifications, and otherwise polls at the configured interval or when the next retry is due.
 */
public final class RunEngine {
    private static final Logger LOG = LoggerFactory.getLogger(RunEngine.class);
    public static final String MDC_TRIGGER = "postpurchase.trigger";
    public static final String MDC_RUN = "postpurchase.run";

    private final ActionStateStore store;
    private final ActionExecutors executors;
    private final Set<String> recoverableTypes;
    private final PipelineSettings settings;
    private final Listeners listeners;
    private final TriggerPayloads payloads;
    private final ExecutorService workers;
    private final ScheduledExecutorService leases;
    private final Thread dispatcher;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private boolean signalled;
    private volatile boolean running = true;
    private volatile boolean abandoning;
    private final AutoCloseable notification;

    public RunEngine(
            ActionStateStore store,
            ActionExecutors executors,
            PipelineSettings settings,
            Listeners listeners,
            TriggerPayloads payloads) {
        this.store = store;
        this.executors = executors;
        this.recoverableTypes = executors.idempotentTypes();
        this.settings = settings;
        this.listeners = listeners;
        this.payloads = payloads;
        this.workers = Executors.newFixedThreadPool(settings.workers(), named("postpurchase-worker-", false));
        ScheduledThreadPoolExecutor leaseThread =
                new ScheduledThreadPoolExecutor(1, named("postpurchase-lease-", true));
        leaseThread.setRemoveOnCancelPolicy(true); // a finished run's heartbeat must not linger in the queue
        this.leases = leaseThread;
        this.dispatcher = named("postpurchase-dispatcher-", true).newThread(this::dispatchLoop);
        this.notification = store.onWorkAdded(this::wakeUp);
        dispatcher.start();
    }

    /** Makes the dispatcher look for work now. */
    public void wakeUp() {
        lock.lock();
        try {
            signalled = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Runs being executed on this node right now. */
    public int inFlight() {
        return inFlight.get();
    }

    private void dispatchLoop() {
        long nextSweep = System.nanoTime();
        while (running) {
            try {
                if (System.nanoTime() - nextSweep >= 0) {
                    nextSweep = System.nanoTime() + settings.leaseDuration().toNanos();
                    sweepCompletions();
                }
                int free = settings.workers() - inFlight.get();
                int claimed = 0;
                int asked = Math.min(free, settings.claimBatch());
                if (asked > 0) {
                    // Reserve the slots before claiming, so nobody sees this node idle while it holds claimed runs.
                    inFlight.addAndGet(asked);
                    List<ActionRun> runs;
                    try {
                        Instant now = settings.clock().instant();
                        runs = store.claim(
                                settings.nodeId(), now, asked, now.minus(settings.leaseDuration()), recoverableTypes);
                    } catch (RuntimeException e) {
                        inFlight.addAndGet(-asked);
                        throw e;
                    }
                    claimed = runs.size();
                    inFlight.addAndGet(claimed - asked);
                    for (ActionRun run : runs) {
                        listeners.runChanged(run);
                        try {
                            workers.execute(() -> execute(run));
                        } catch (java.util.concurrent.RejectedExecutionException e) {
                            inFlight.decrementAndGet();
                            LOG.warn("run {} claimed during shutdown stays RUNNING and will be recoverable", run.id());
                        }
                    }
                }
                if (claimed == 0 || claimed < asked) {
                    awaitWork();
                }
            } catch (RuntimeException | LinkageError | AssertionError e) {
                LOG.error("dispatcher could not claim runs; retrying in {}", settings.pollInterval(), e);
                sleepQuietly(settings.pollInterval());
            }
        }
    }

    private void awaitWork() {
        Duration wait = settings.pollInterval();
        if (settings.workers() > inFlight.get()) {
            Optional<Instant> next = store.nextDueAt();
            if (next.isPresent()) {
                Duration untilDue = Duration.between(settings.clock().instant(), next.get());
                if (untilDue.isNegative() || untilDue.isZero()) {
                    return;
                }
                if (untilDue.compareTo(wait) < 0) {
                    wait = untilDue;
                }
            }
        }
        lock.lock();
        try {
            long nanos = wait.toNanos();
            while (!signalled && running && nanos > 0) {
                nanos = wake.awaitNanos(nanos);
            }
            signalled = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    private void execute(ActionRun run) {
        MDC.put(MDC_TRIGGER, run.triggerKey());
        MDC.put(MDC_RUN, run.id());
        long heartbeatMillis = Math.max(1, settings.heartbeatInterval().toMillis());
        ScheduledFuture<?> heartbeat = null;
        try {
            heartbeat = leases.scheduleAtFixedRate(
                    () -> renewLease(run), heartbeatMillis, heartbeatMillis, TimeUnit.MILLISECONDS);
            ExecutionOutcome outcome = attempt(run);
            heartbeat.cancel(false);
            if (abandoning && Thread.currentThread().isInterrupted()) {
                LOG.warn("run {} was interrupted by shutdown; it stays RUNNING and recoverable", run.id());
                return;
            }
            ActionRun next = OutcomeApplier.apply(run, outcome, settings.clock().instant());
            if (!store.compareAndSet(run, next)) {
                LOG.warn(
                        "run {} was changed while it executed (forced re-run or lease lost); outcome {} discarded",
                        run.id(),
                        next.status());
                return;
            }
            log(next);
            listeners.runChanged(next);
            if (next.status() == RunStatus.SUCCEEDED) {
                completeIfDone(next);
            }
        } catch (RuntimeException e) {
            LOG.error("run {} failed to record its outcome or report completion", run.id(), e);
        } finally {
            if (heartbeat != null) {
                heartbeat.cancel(false);
            }
            inFlight.decrementAndGet();
            MDC.remove(MDC_TRIGGER);
            MDC.remove(MDC_RUN);
            wakeUp();
        }
    }

    private ExecutionOutcome attempt(ActionRun run) {
        Optional<ActionExecutor<?>> executor = executors.find(run.type());
        if (executor.isEmpty()) {
            return ExecutionOutcome.permanent(
                    "no executor for type '" + run.type() + "' is registered on node " + settings.nodeId());
        }
        try {
            TriggerPayloads.Payload payload = payloads.of(run);
            return attemptTyped(executor.get(), run, payload);
        } catch (ValidationException e) {
            return ExecutionOutcome.permanent(e.getMessage());
        } catch (PostpurchaseException e) {
            return ExecutionOutcome.retry(Failure.of(e.getMessage()), null);
        } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError e) {
            LOG.warn("executor {} threw on run {}", run.type(), run.id(), e);
            return ExecutionOutcome.retry(Failure.of(e.getClass().getSimpleName() + ": " + e.getMessage()), null);
        }
    }

    private <C> ExecutionOutcome attemptTyped(
            ActionExecutor<C> executor, ActionRun run, TriggerPayloads.Payload payload) {
        C config = ActionExecutors.readAndValidate(executor, run.configJson());
        ExecutionContext<C> context =
                new ExecutionContext<>(run, config, payload.order(), payload.event(), settings.clock());
        ExecutionOutcome outcome = executor.execute(context);
        if (outcome == null) {
            return ExecutionOutcome.retry("executor " + run.type() + " returned no outcome");
        }
        return outcome;
    }

    private void renewLease(ActionRun run) {
        try {
            if (!store.heartbeat(run.id(), settings.nodeId(), settings.clock().instant())) {
                LOG.warn("run {} is no longer held by this node; its outcome will be discarded", run.id());
            }
        } catch (RuntimeException e) {
            LOG.warn("could not renew the lease of run {}", run.id(), e);
        }
    }

    /** Reports the trigger completed if every run has succeeded; only the first node to see it reports. */
    public void completeIfDone(ActionRun succeeded) {
        List<ActionRun> siblings = store.runs(succeeded.triggerKind(), succeeded.triggerId());
        for (ActionRun sibling : siblings) {
            if (sibling.status() != RunStatus.SUCCEEDED) {
                return;
            }
        }
        Instant now = settings.clock().instant();
        if (store.markCompleted(succeeded.triggerKind(), succeeded.triggerId(), now)) {
            store.trigger(succeeded.triggerKind(), succeeded.triggerId()).ifPresent(this::reportCompleted);
        }
    }

    /** Completes triggers whose last success was recorded but whose completion was not (crash, storage error). */
    private void sweepCompletions() {
        for (Trigger trigger : store.finishedButNotCompleted(100)) {
            if (store.markCompleted(
                    trigger.kind(), trigger.id(), settings.clock().instant())) {
                store.trigger(trigger.kind(), trigger.id()).ifPresent(this::reportCompleted);
            }
        }
    }

    public void reportCompleted(Trigger trigger) {
        LOG.info("{} completed: every action succeeded", trigger.key());
        listeners.triggerCompleted(trigger);
    }

    private static void log(ActionRun run) {
        switch (run.status()) {
            case SUCCEEDED -> LOG.info(
                    "run {} ({}) succeeded after {} attempt(s){}",
                    run.id(),
                    run.type(),
                    run.attempts(),
                    run.skipReason() == null ? "" : ", skipped: " + run.skipReason());
            case FAILED -> LOG.warn("run {} ({}) failed: {}", run.id(), run.type(), run.lastError());
            case PENDING -> LOG.info(
                    "run {} ({}) will retry at {}: {}", run.id(), run.type(), run.nextAttemptAt(), run.lastError());
            case RUNNING -> LOG.debug("run {} running", run.id());
        }
    }

    /**
     * Stops claiming, lets in-flight runs finish until {@code deadline}, then interrupts them. Interrupted runs stay
     * RUNNING and are recovered by another node (idempotent ones) or offered for a force re-run.
     *
     * @return true when every in-flight run finished in time
     */
    public boolean shutdown(Duration deadline) {
        long deadlineNanos = System.nanoTime() + Math.max(1, deadline.toNanos());
        running = false;
        wakeUp();
        try {
            notification.close();
        } catch (Exception e) {
            LOG.debug("closing the store notification failed", e);
        }
        boolean finished;
        try {
            // The dispatcher stops first, so no run is claimed after the pool stops taking work.
            dispatcher.join(Math.max(1, remainingMillis(deadlineNanos)));
            workers.shutdown();
            finished = workers.awaitTermination(Math.max(1, remainingMillis(deadlineNanos)), TimeUnit.MILLISECONDS);
            if (!finished) {
                LOG.warn("{} run(s) still executing at shutdown; they stay RUNNING and recoverable", inFlight.get());
                abandoning = true;
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandoning = true;
            workers.shutdownNow();
            finished = false;
        }
        leases.shutdownNow();
        return finished && !dispatcher.isAlive();
    }

    private static long remainingMillis(long deadlineNanos) {
        return TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(Math.max(1, duration.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory named(String prefix, boolean daemon) {
        AtomicInteger counter = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + counter.incrementAndGet());
            t.setDaemon(daemon);
            return t;
        };
    }
}
