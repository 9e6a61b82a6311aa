package dev.postpurchase.benchmarks.internal;

import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.ActionExecutor;
import dev.postpurchase.core.spi.ExecutionContext;
import dev.postpurchase.core.spi.ExecutionOutcome;
import java.util.Set;

/** Wraps an executor and reports each execution's start to a {@link DrainClock}; otherwise delegates everything. */
public final class TimedExecutor<C> implements ActionExecutor<C> {
    private final ActionExecutor<C> delegate;
    private final DrainClock clock;

    public TimedExecutor(ActionExecutor<C> delegate, DrainClock clock) {
        this.delegate = delegate;
        this.clock = clock;
    }

    @Override
    public String type() {
        return delegate.type();
    }

    @Override
    public Class<C> configType() {
        return delegate.configType();
    }

    @Override
    public Set<ActionLevel> levels() {
        return delegate.levels();
    }

    @Override
    public void validate(C config) {
        delegate.validate(config);
    }

    @Override
    public ExecutionOutcome execute(ExecutionContext<C> context) {
        clock.started();
        return delegate.execute(context);
    }

    @Override
    public boolean idempotent() {
        return delegate.idempotent();
    }

    @Override
    public RetryPolicy defaultRetryPolicy() {
        return delegate.defaultRetryPolicy();
    }
}
