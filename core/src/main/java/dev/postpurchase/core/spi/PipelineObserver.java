package dev.postpurchase.core.spi;

import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.AttemptRecord;
import java.time.Duration;
import java.time.Instant;

/**
 * Watches how a pipeline works on this node, for metrics: claims, attempts and outcome batches. Plugged in with
 * {@code ActionPipeline.Builder#observer}; without one nothing is observed and nothing changes ({@code
 * postpurchase-micrometer} implements it).
 *
 * <p>Called synchronously on the pipeline's own threads (the dispatcher, the workers, the outcome writer): keep every
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
     * A worker starts an attempt of {@code run} (RUNNING, its attempts already counting this one); the returned
     * observation hears the end of it on the same thread.
     *
     * @param startedAt when, by the pipeline's clock
     */
    default AttemptObservation attemptStarted(ActionRun run, Instant startedAt) {
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
    }
}
