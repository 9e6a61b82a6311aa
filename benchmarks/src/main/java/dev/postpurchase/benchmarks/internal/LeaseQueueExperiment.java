package dev.postpurchase.benchmarks.internal;

import dev.postpurchase.core.ActionPipeline;
import java.lang.reflect.Field;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * An experiment, not a fix: reaches into a pipeline by reflection and makes its heartbeat scheduler drop cancelled
 * heartbeats at once ({@link ScheduledThreadPoolExecutor#setRemoveOnCancelPolicy}). The engine schedules one
 * heartbeat per run and cancels it when the run ends; with the JDK's default policy a cancelled heartbeat stays
 * queued, holding its run, until its first due time (a third of the lease, 20 s by default). Measures what the
 * one-line change in core would bring. Needs {@code --add-opens java.base/java.util.concurrent=ALL-UNNAMED}.
 */
public final class LeaseQueueExperiment {
    private LeaseQueueExperiment() {}

    /** Switches the pipeline's heartbeat scheduler to remove cancelled tasks. */
    public static void removeCancelledHeartbeats(ActionPipeline pipeline) {
        try {
            Object engine = field(ActionPipeline.class, "engine").get(pipeline);
            Object leases = field(engine.getClass(), "leases").get(engine);
            Object inner = leases;
            if (!(inner instanceof ScheduledThreadPoolExecutor)) {
                // Executors.newSingleThreadScheduledExecutor wraps the pool in a delegating service
                for (Class<?> c = leases.getClass(); c != null; c = c.getSuperclass()) {
                    for (Field f : c.getDeclaredFields()) {
                        if (java.util.concurrent.ExecutorService.class.isAssignableFrom(f.getType())) {
                            f.setAccessible(true);
                            inner = f.get(leases);
                        }
                    }
                }
            }
            ((ScheduledThreadPoolExecutor) inner).setRemoveOnCancelPolicy(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("the lease-queue experiment cannot reach the pipeline's scheduler", e);
        }
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field f = type.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }
}
