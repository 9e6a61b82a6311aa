package dev.postpurchase.benchmarks.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Times a drain: when the first job started, when the last one was done, and how many are done. Thread-safe.
 */
public final class DrainClock {
    private final AtomicLong firstStart = new AtomicLong();
    private final AtomicLong lastDone = new AtomicLong();
    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger done = new AtomicInteger();

    /** A job starts now. */
    public void started() {
        started.incrementAndGet();
        firstStart.compareAndSet(0, System.nanoTime());
    }

    /** A job is done now (its completion is recorded where the system records it). */
    public void done() {
        done.incrementAndGet();
        lastDone.accumulateAndGet(System.nanoTime(), Math::max);
    }

    /** Marks the moment all jobs were seen done by an outside check. */
    public void doneAt(long nanos) {
        lastDone.accumulateAndGet(nanos, Math::max);
    }

    public int startedCount() {
        return started.get();
    }

    public int doneCount() {
        return done.get();
    }

    public long firstStartNanos() {
        return firstStart.get();
    }

    public long lastDoneNanos() {
        return lastDone.get();
    }
}
