package dev.postpurchase.core.spi;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The W3C {@code traceparent} of the attempt running on the current thread, set by the pipeline while an executor
 * runs when a tracing {@link PipelineObserver} gave one: executors that call other systems pass it on (the webhook
 * executors send it as the {@code traceparent} header). Empty without tracing.
 */
public final class TraceContext {
    private static final ThreadLocal<@Nullable String> CURRENT = new ThreadLocal<>();

    private TraceContext() {}

    /** The current attempt's {@code traceparent}, if it is traced. */
    public static Optional<String> traceParent() {
        return Optional.ofNullable(CURRENT.get());
    }

    /**
     * Runs {@code work} with {@code traceParent} as the current one (nothing is set when it is null); for the
     * pipeline, and for tests of executors.
     */
    public static <T> T with(@Nullable String traceParent, java.util.function.Supplier<T> work) {
        if (traceParent == null) {
            return work.get();
        }
        String previous = CURRENT.get();
        CURRENT.set(traceParent);
        try {
            return work.get();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }
}
