package dev.postpurchase.spring;

import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.spi.ActionStateStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * Ties the pipeline to the application's lifecycle: on stop (the application shutting down, after the web server
 * stopped taking requests) the pipeline stops claiming and lets in-flight runs finish within {@code
 * postpurchase.shutdown-deadline}; and, when {@code postpurchase.retention.keep} is set, deletes finished orders older
 * than that every {@code postpurchase.retention.interval} while the application runs.
 */
public final class PipelineLifecycle implements SmartLifecycle, DisposableBean {
    /** Stops after the web server (which stops at {@code DEFAULT_PHASE - 2048}), before the DataSource closes. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Logger LOG = LoggerFactory.getLogger(PipelineLifecycle.class);

    private final ActionPipeline pipeline;
    private final ActionStateStore store;
    private final PostpurchaseProperties properties;
    private final Clock clock;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile boolean running;
    private @Nullable ScheduledExecutorService retention;

    public PipelineLifecycle(
            ActionPipeline pipeline, ActionStateStore store, PostpurchaseProperties properties, Clock clock) {
        this.pipeline = pipeline;
        this.store = store;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public void start() {
        Duration keep = properties.getRetention().getKeep();
        if (keep != null) {
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "postpurchase-retention");
                t.setDaemon(true);
                return t;
            });
            long every = properties.getRetention().getInterval().toMillis();
            scheduler.scheduleWithFixedDelay(() -> deleteFinished(keep), every, every, TimeUnit.MILLISECONDS);
            retention = scheduler;
        }
        running = true;
    }

    /** Deletes finished orders (and events) older than {@code keep}, batch by batch; returns the runs deleted. */
    public int deleteFinished(Duration keep) {
        int total = 0;
        try {
            int deleted;
            do {
                deleted = store.deleteFinishedBefore(
                        clock.instant().minus(keep), properties.getRetention().getBatchSize());
                total += deleted;
            } while (deleted > 0 && !Thread.currentThread().isInterrupted());
            if (total > 0) {
                LOG.info("retention deleted {} finished run(s) and trigger(s) older than {}", total, keep);
            }
        } catch (RuntimeException e) {
            LOG.warn(
                    "retention failed; it runs again in {}",
                    properties.getRetention().getInterval(),
                    e);
        }
        return total;
    }

    @Override
    public void stop() {
        running = false;
        ScheduledExecutorService scheduler = retention;
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (stopped.compareAndSet(false, true)) {
            boolean finished = pipeline.shutdown(properties.getShutdownDeadline());
            LOG.info(
                    "Postpurchase pipeline stopped{}",
                    finished ? "" : " (runs still executing stay RUNNING and recoverable)");
        }
    }

    /** Stops the pipeline also when the application fails before it started (its workers must not linger). */
    @Override
    public void destroy() {
        stop();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
