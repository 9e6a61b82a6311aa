package dev.postpurchase.core.internal;

import dev.postpurchase.core.spi.ActionStateStore;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once per heartbeat interval, renews the lease of every run this node holds with one store call, and records that
 * the node is alive with the types it can execute. A run whose lease could not be renewed was taken over (a forced
 * re-run, or recovery after this node stalled); its outcome will be discarded when it arrives.
 */
final class LeaseKeeper implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

    private final ActionStateStore store;
    private final PipelineSettings settings;
    private final Set<String> types;
    private final WorkSlots slots;
    private final ScheduledExecutorService timer;
    private final Outage outage = new Outage(LOG, "renewing leases");
    private final Set<String> reportedLost = new HashSet<>();

    LeaseKeeper(ActionStateStore store, PipelineSettings settings, Set<String> types, WorkSlots slots) {
        this.store = store;
        this.settings = settings;
        this.types = Set.copyOf(types);
        this.slots = slots;
        ScheduledThreadPoolExecutor executor =
                new ScheduledThreadPoolExecutor(1, RunEngine.threads("postpurchase-lease-", true));
        executor.setRemoveOnCancelPolicy(true);
        this.timer = executor;
    }

    void start() {
        long millis = Math.max(1, settings.heartbeatInterval().toMillis());
        timer.scheduleWithFixedDelay(this, 0, millis, TimeUnit.MILLISECONDS);
    }

    void stop() {
        timer.shutdownNow();
    }

    @Override
    public void run() {
        try {
            store.nodeAlive(settings.nodeId(), types, settings.clock().instant());
            Set<String> held = slots.heldIds();
            if (!held.isEmpty()) {
                Set<String> renewed = store.renewLeases(
                        settings.nodeId(), held, settings.clock().instant());
                Set<String> stillHeld = slots.heldIds();
                for (String id : held) {
                    if (!renewed.contains(id) && stillHeld.contains(id) && reportedLost.add(id)) {
                        LOG.warn("run {} is no longer held by this node; its outcome will be discarded", id);
                    }
                }
                reportedLost.retainAll(stillHeld);
            }
            outage.succeeded();
        } catch (RuntimeException e) {
            outage.failed(e, settings.heartbeatInterval());
        }
    }
}
