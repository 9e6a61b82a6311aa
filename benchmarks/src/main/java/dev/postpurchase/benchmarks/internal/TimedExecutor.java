package dev.postpurchase.benchmarks.internal;

import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.action.PaymentScope;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.ActionExecutor;
import dev.postpurchase.core.spi.ExecutionContext;
import dev.postpurchase.core.spi.ExecutionOutcome;
import dev.postpurchase.core.spi.RequiredIntegration;
import java.util.Set;
import org.jspecify.annotations.Nullable;

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
    public Set<TriggerKind> triggerKinds() {
        return delegate.triggerKinds();
    }

    @Override
    public boolean needsOrder() {
        return delegate.needsOrder();
    }

    @Override
    public boolean needsEvent() {
        return delegate.needsEvent();
    }

    @Override
    public @Nullable RequiredIntegration integration() {
        return delegate.integration();
    }

    @Override
    public PaymentScope defaultPaymentScope() {
        return delegate.defaultPaymentScope();
    }

    @Override
    public void validate(C config) {
        delegate.validate(config);
    }

    /** The delegate's resolved config (a decorator that does not pass it on hands the executor the bare config). */
    @Override
    public Object resolve(C config) {
        return delegate.resolve(config);
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
