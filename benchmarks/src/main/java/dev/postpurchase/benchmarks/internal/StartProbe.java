package dev.postpurchase.benchmarks.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records submit-to-start latency: the submitter notes {@link System#nanoTime()} just before it hands a job over,
 * each job of that key notes when it starts (an order's three actions each count). Thread-safe.
 */
public final class StartProbe {
    private final ConcurrentHashMap<String, Long> submitted = new ConcurrentHashMap<>();
    private final long[] latencies;
    private final AtomicInteger count = new AtomicInteger();

    /** A probe for at most {@code capacity} starts. */
    public StartProbe(int capacity) {
        this.latencies = new long[capacity];
    }

    /** Call right before submitting the job {@code key}. */
    public void submitting(String key) {
        submitted.put(key, System.nanoTime());
    }

    /** Call as the first thing the job {@code key} does. */
    public void started(String key) {
        long now = System.nanoTime();
        Long at = submitted.get(key);
        if (at != null) {
            int i = count.getAndIncrement();
            if (i < latencies.length) {
                latencies[i] = now - at;
            }
        }
    }

    public int count() {
        return Math.min(count.get(), latencies.length);
    }

    /** The latencies recorded so far, in nanoseconds (a copy). */
    public long[] latencies() {
        return java.util.Arrays.copyOf(latencies, count());
    }

    /** The percentile {@code p} of the recorded latencies, in milliseconds. */
    public double percentileMillis(double p) {
        return Stats.percentile(latencies(), p) / 1e6;
    }
}
