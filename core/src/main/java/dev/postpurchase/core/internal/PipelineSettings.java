package dev.postpurchase.core.internal;

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
        Clock clock) {}
