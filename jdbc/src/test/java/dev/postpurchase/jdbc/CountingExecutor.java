package dev.postpurchase.jdbc;

import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.ActionExecutor;
import dev.postpurchase.core.spi.ExecutionContext;
import dev.postpurchase.core.spi.ExecutionOutcome;
import dev.postpurchase.testing.NoConfig;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A no-op executor that counts how often each run is executed, in a map several nodes share, and remembers which
 * node executed it. With a gate it blocks every execution until the gate opens: a node "hanging" mid-run.
 */
final class CountingExecutor implements ActionExecutor<NoConfig> {
    private final String type;
    private final boolean idempotent;
    private final String node;
    private final ConcurrentMap<String, AtomicInteger> counts;
    private final ConcurrentMap<String, String> lastNode;
    private final @Nullable CountDownLatch gate;
    private final Duration work;
    private final AtomicInteger started = new AtomicInteger();

    CountingExecutor(
            String type,
            boolean idempotent,
            String node,
            ConcurrentMap<String, AtomicInteger> counts,
            ConcurrentMap<String, String> lastNode,
            @Nullable CountDownLatch gate) {
        this(type, idempotent, node, counts, lastNode, gate, Duration.ZERO);
    }

    /** An executor whose every execution takes {@code work} (sleeping), as real work would. */
    CountingExecutor(
            String type,
            boolean idempotent,
            String node,
            ConcurrentMap<String, AtomicInteger> counts,
            ConcurrentMap<String, String> lastNode,
            @Nullable CountDownLatch gate,
            Duration work) {
        this.work = work;
        this.type = type;
        this.idempotent = idempotent;
        this.node = node;
        this.counts = counts;
        this.lastNode = lastNode;
        this.gate = gate;
    }

    /** A shared map of execution counts by run id. */
    static ConcurrentMap<String, AtomicInteger> newCounts() {
        return new ConcurrentHashMap<>();
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public Class<NoConfig> configType() {
        return NoConfig.class;
    }

    @Override
    public ExecutionOutcome execute(ExecutionContext<NoConfig> context) {
        String runId = context.run().id();
        counts.computeIfAbsent(runId, id -> new AtomicInteger()).incrementAndGet();
        lastNode.put(runId, node);
        started.incrementAndGet();
        try {
            if (!work.isZero()) {
                Thread.sleep(work.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExecutionOutcome.retry("interrupted on " + node);
        }
        if (gate != null) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ExecutionOutcome.retry("interrupted on " + node);
            }
        }
        return ExecutionOutcome.succeeded("done by " + node);
    }

    /** Executions started on this node. */
    int started() {
        return started.get();
    }

    @Override
    public boolean idempotent() {
        return idempotent;
    }

    @Override
    public RetryPolicy defaultRetryPolicy() {
        return RetryPolicy.fixed(Duration.ofMillis(200), 3);
    }

    static int total(Map<String, AtomicInteger> counts) {
        return counts.values().stream().mapToInt(AtomicInteger::get).sum();
    }
}
