package dev.postpurchase.testing;

import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.ActionExecutor;
import dev.postpurchase.core.spi.ExecutionContext;
import dev.postpurchase.core.spi.ExecutionOutcome;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * An executor whose outcomes a test scripts: queued outcomes are returned in order, then {@code fallback} forever.
 * It can also hold executions until released, to simulate a slow peer or a worker that dies mid-call. Thread-safe.
 */
public final class ScriptedExecutor implements ActionExecutor<NoConfig> {
    private final String type;
    private final boolean idempotent;
    private final RetryPolicy policy;
    private final Deque<Function<ExecutionContext<NoConfig>, ExecutionOutcome>> script = new ArrayDeque<>();
    private volatile Function<ExecutionContext<NoConfig>, ExecutionOutcome> fallback =
            ctx -> ExecutionOutcome.succeeded();
    private final AtomicInteger calls = new AtomicInteger();
    private volatile @Nullable CountDownLatch gate;
    private final CountDownLatch entered = new CountDownLatch(1);
    private volatile Set<TriggerKind> triggerKinds = EnumSet.allOf(TriggerKind.class);

    public ScriptedExecutor(String type, boolean idempotent, RetryPolicy policy) {
        this.type = type;
        this.idempotent = idempotent;
        this.policy = policy;
    }

    /** Queues outcomes to return, in order. */
    public synchronized ScriptedExecutor thenReturn(ExecutionOutcome... outcomes) {
        for (ExecutionOutcome o : outcomes) {
            script.add(ctx -> o);
        }
        return this;
    }

    /** Queues an exception to throw. */
    public synchronized ScriptedExecutor thenThrow(RuntimeException e) {
        script.add(ctx -> {
            throw e;
        });
        return this;
    }

    /** What to return once the queue is empty (default: succeeded). */
    public ScriptedExecutor otherwise(ExecutionOutcome outcome) {
        this.fallback = ctx -> outcome;
        return this;
    }

    /** Makes the executor take only these triggers (for example only events). */
    public ScriptedExecutor onlyFor(TriggerKind first, TriggerKind... rest) {
        this.triggerKinds = EnumSet.of(first, rest);
        return this;
    }

    @Override
    public Set<TriggerKind> triggerKinds() {
        return triggerKinds;
    }

    /** Makes every execution wait until {@link #release()}. */
    public ScriptedExecutor holdExecutions() {
        this.gate = new CountDownLatch(1);
        return this;
    }

    /** Lets held executions continue. */
    public void release() {
        CountDownLatch g = gate;
        if (g != null) {
            g.countDown();
        }
    }

    /** Waits until an execution has started; false on timeout. */
    public boolean awaitEntered(Duration timeout) throws InterruptedException {
        return entered.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public int calls() {
        return calls.get();
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
        calls.incrementAndGet();
        entered.countDown();
        CountDownLatch g = gate;
        if (g != null) {
            try {
                g.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while held", e);
            }
        }
        Function<ExecutionContext<NoConfig>, ExecutionOutcome> next;
        synchronized (this) {
            next = script.isEmpty() ? fallback : script.poll();
        }
        return next.apply(context);
    }

    @Override
    public boolean idempotent() {
        return idempotent;
    }

    @Override
    public RetryPolicy defaultRetryPolicy() {
        return policy;
    }
}
