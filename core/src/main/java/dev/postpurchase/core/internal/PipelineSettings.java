package dev.postpurchase.core.internal;

import dev.postpurchase.core.spi.PipelineObserver;
import java.time.Clock;
import java.time.Duration;

/** The validated settings a pipeline runs with. */
public record PipelineSettings(
        String nodeId,
        int workers,
        int claimBatch,
        Duration pollInterval,
        Duration leaseDuration,
        Duration heartbeatInterval,
        Clock clock,
        PipelineObserver observer) {

    /** Settings without an observer. */
    public PipelineSettings(
            String nodeId,
            int workers,
            int claimBatch,
            Duration pollInterval,
            Duration leaseDuration,
            Duration heartbeatInterval,
            Clock clock) {
        this(nodeId, workers, claimBatch, pollInterval, leaseDuration, heartbeatInterval, clock, Observers.NONE);
    }
}
