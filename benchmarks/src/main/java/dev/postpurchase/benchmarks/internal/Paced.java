package dev.postpurchase.benchmarks.internal;

import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/** Calls an action at a steady rate, on schedule (no coordinated omission: a late call does not delay the next). */
public final class Paced {
    private Paced() {}

    /** Calls {@code action} with 0 .. count-1 at {@code perSecond} calls per second, from this thread. */
    public static void run(int count, int perSecond, IntConsumer action) {
        long interval = 1_000_000_000L / perSecond;
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = t0 + i * interval;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            action.accept(i);
        }
    }
}
