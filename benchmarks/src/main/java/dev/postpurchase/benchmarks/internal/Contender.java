package dev.postpurchase.benchmarks.internal;

import java.time.Duration;
import java.util.List;

/**
 * A job system under test on PostgreSQL: ours or a peer. The harness resets it, preloads jobs, starts its workers
 * and waits until every job is done; each step uses its own connection pools so the database's counters can be
 * attributed to the drain alone.
 */
public interface Contender {
    /** The name used in results, for example {@code dbscheduler}. */
    String name();

    /** The settings this contender runs with, for the report. */
    String describe();

    /** Empties the contender's tables (creating them first when missing). */
    void reset();

    /** Preloads {@code jobs} due jobs and closes the pools it used; returns when they are committed. */
    void enqueue(int jobs);

    /** Starts the workers; jobs start right away. Records starts and completions on {@code clock}. */
    void start(DrainClock clock);

    /**
     * Waits until {@code jobs} jobs are done as the database sees them, and records that moment on the clock.
     *
     * @return false on timeout
     */
    boolean awaitDone(int jobs, DrainClock clock, Duration timeout);

    /** Stops the workers and closes their pools. */
    void stop();

    /** The application names of the worker pools, whose backends must be gone before counters are read. */
    List<String> workerPoolNames();

    /**
     * Starts the workers for a latency test, in which {@link #submitOne} submits single jobs through the same node
     * (or a submit-only node, as the contender documents) while {@code probe} hears of each start.
     */
    void startForLatency(StartProbe probe);

    /** Submits one job keyed {@code key}; the probe hears of its start. */
    void submitOne(String key);
}
