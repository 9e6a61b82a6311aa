package dev.postpurchase.testing;

import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.PaymentScope;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.ActionExecutor;
import dev.postpurchase.core.spi.ExecutionContext;
import dev.postpurchase.core.spi.ExecutionOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Succeeds at once and records every execution: which runs ran, how often, and with which context. Thread-safe.
 * Its config type is {@link NoConfig}; any JSON object is accepted.
 */
public final class RecordingExecutor implements ActionExecutor<NoConfig> {
    private final String type;
    private final boolean idempotent;
    private final PaymentScope defaultPaymentScope;
    private final List<ExecutionContext<NoConfig>> executions = new ArrayList<>();
    private final Map<String, AtomicInteger> countByRun = new ConcurrentHashMap<>();

    public RecordingExecutor(String type) {
        this(type, true);
    }

    public RecordingExecutor(String type, boolean idempotent) {
        this(type, idempotent, PaymentScope.FIRST_PAYMENT_ONLY);
    }

    /** An executor whose definitions run on {@code defaultPaymentScope} unless they say otherwise. */
    public RecordingExecutor(String type, boolean idempotent, PaymentScope defaultPaymentScope) {
        this.type = type;
        this.idempotent = idempotent;
        this.defaultPaymentScope = defaultPaymentScope;
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
        synchronized (executions) {
            executions.add(context);
            executions.notifyAll();
        }
        countByRun
                .computeIfAbsent(context.run().id(), id -> new AtomicInteger())
                .incrementAndGet();
        return ExecutionOutcome.succeeded("done by " + type);
    }

    @Override
    public boolean idempotent() {
        return idempotent;
    }

    @Override
    public PaymentScope defaultPaymentScope() {
        return defaultPaymentScope;
    }

    @Override
    public RetryPolicy defaultRetryPolicy() {
        return RetryPolicy.fixed(Duration.ofSeconds(1), 3);
    }

    /** Every execution so far, oldest first. */
    public List<ExecutionContext<NoConfig>> executions() {
        synchronized (executions) {
            return List.copyOf(executions);
        }
    }

    /** How often the run was executed. */
    public int count(ActionRun run) {
        return count(run.id());
    }

    public int count(String runId) {
        AtomicInteger c = countByRun.get(runId);
        return c == null ? 0 : c.get();
    }

    /** Counts by run id. */
    public Map<String, Integer> counts() {
        Map<String, Integer> copy = new java.util.TreeMap<>();
        countByRun.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    /** Waits until at least {@code n} executions happened; false on timeout. */
    public boolean awaitExecutions(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (executions) {
            while (executions.size() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(executions, left);
            }
            return true;
        }
    }
}
