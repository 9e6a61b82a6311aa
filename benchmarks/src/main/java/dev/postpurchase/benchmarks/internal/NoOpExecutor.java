package dev.postpurchase.benchmarks.internal;

import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.ActionExecutor;
import dev.postpurchase.core.spi.ExecutionContext;
import dev.postpurchase.core.spi.ExecutionOutcome;
import dev.postpurchase.testing.NoConfig;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * An executor that does nothing and succeeds, so a benchmark measures only the pipeline and its store. When a probe
 * is set, it reports each run's start keyed by the run's trigger id (the order id). Thread-safe.
 */
public final class NoOpExecutor implements ActionExecutor<NoConfig> {
    /** The action type. */
    public static final String TYPE = "noop";

    private volatile @Nullable StartProbe probe;
    private volatile @Nullable Runnable onStart;

    /** Sets (or clears) the probe that hears of each start. */
    public void probe(@Nullable StartProbe value) {
        this.probe = value;
    }

    /** Sets (or clears) what runs first in every execution. */
    public void onStart(@Nullable Runnable value) {
        this.onStart = value;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Class<NoConfig> configType() {
        return NoConfig.class;
    }

    @Override
    public ExecutionOutcome execute(ExecutionContext<NoConfig> context) {
        Runnable r = onStart;
        if (r != null) {
            r.run();
        }
        StartProbe p = probe;
        if (p != null) {
            p.started(context.run().triggerId());
        }
        return ExecutionOutcome.succeeded();
    }

    @Override
    public boolean idempotent() {
        return true;
    }

    @Override
    public RetryPolicy defaultRetryPolicy() {
        return RetryPolicy.fixed(Duration.ofSeconds(1), 3);
    }
}
