package dev.postpurchase.core.spi;

import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.AttemptRecord;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Watches how a pipeline works on this node, for metrics and tracing: submits, claims, attempts and outcome batches.
 * Plugged in with {@code ActionPipeline.Builder#observer}; without one nothing is observed and nothing changes
 * ({@code postpurchase-micrometer} and {@code postpurchase-opentelemetry} implement it).
 *
 * <p><b>Tracing.</b> On submit, {@link #traceParent()} captures the W3C {@code traceparent} of the submitting thread;
 * it is stored with the trigger ({@code Trigger#traceParent}) and handed to {@link #attemptStarted} for each attempt
 * of its runs (read with the trigger, only when {@link #tracesAttempts()} says so). The observation returned may carry
 * the attempt's own {@code traceparent}; executors find it in {@link TraceContext#traceParent()} while they run and
 * pass it on (outgoing webhooks send it as the {@code traceparent} header).
 *
 * <p>Called synchronously on the pipeline's own threads (the dispatcher and the workers, which also record outcomes and claim): keep every
 * method quick and never block; an exception thrown is logged and ignored. All methods may be called concurrently.
 */
public interface PipelineObserver {

    /**
     * One claim statement came back.
     *
     * @param asked how many runs the node asked for
     * @param claimed how many it got
     * @param latency how long the store took
     */
    default void claimed(int asked, int claimed, Duration latency) {}

    /**
     * On the thread that submits an order or publishes an event: the W3C {@code traceparent} of its current trace,
     * stored with the trigger, or null when there is none (the default).
     */
    default @Nullable String traceParent() {
        return null;
    }

    /**
     * Whether {@link #attemptStarted} needs the trace parent stored with each run's trigger; false by default, so
     * attempts of executors that never read the order do not read their trigger for nothing.
     */
    default boolean tracesAttempts() {
        return false;
    }

    /**
     * A worker starts an attempt of {@code run} (RUNNING, its attempts already counting this one); the returned
     * observation hears the end of it on the same thread.
     *
     * @param startedAt when, by the pipeline's clock
     * @param traceParent the trace parent stored with the run's trigger, when {@link #tracesAttempts()} and there is
     *     one; else null
     */
    default AttemptObservation attemptStarted(ActionRun run, Instant startedAt, @Nullable String traceParent) {
        return AttemptObservation.NONE;
    }

    /**
     * A batch of outcomes was recorded in one store transaction.
     *
     * @param size how many outcomes the batch held
     * @param latency how long the store took, retries after failures included
     */
    default void outcomesRecorded(int size, Duration latency) {}

    /** The end of one attempt, heard on the worker thread that made it. */
    interface AttemptObservation {
        /** Observes nothing. */
        AttemptObservation NONE = (attempt, took) -> {};

        /**
         * The executor returned (or threw): {@code attempt} is what the run's history keeps, {@code took} the time
         * measured with {@link System#nanoTime()}. Called before the outcome is recorded.
         */
        void finished(AttemptRecord attempt, Duration took);

        /** The W3C {@code traceparent} of the attempt's span, for the calls the executor makes; null by default. */
        default @Nullable String traceParent() {
            return null;
        }
    }
}
