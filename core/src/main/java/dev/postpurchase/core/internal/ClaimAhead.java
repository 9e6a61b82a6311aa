package dev.postpurchase.core.internal;

/**
 * How many runs the dispatcher keeps claimed beyond its busy workers: enough that a worker finishing never waits for
 * a claim's round trip, and no more, so that a node does not hoard runs that idle nodes could take. A run spends one
 * claim and one outcome write in the store besides its execution (a recorded batch leads to the next claim, made
 * by the worker that recorded it or by the dispatcher thread, and a busy machine may deschedule either for a
 * while); the node keeps four times the runs it finishes in that time (plus
 * one) claimed ahead, measured as it goes: so the batches grow while the store's round trips and the
 * hand-offs are what limits the pace (no-op actions on a local database, webhooks to a fast receiver: up to
 * {@code max}), and stay at one run for actions that take seconds. Thread-safe.
 */
final class ClaimAhead {
    private static final long WINDOW_NANOS = 250_000_000L;
    /**
     * Slack for the scheduling between a finished run and the claim it frees on a busy machine: a fast in-memory
     * store claims in microseconds, and without this term the node keeps one run ahead, so its workers wait instead.
     */
    private static final long HAND_OFF_NANOS = 1_000_000L;

    private final int max;
    private final int initial;
    private long windowStart = System.nanoTime();
    private int finishedInWindow;
    private double runsPerNano;
    private double claimNanos;
    private double writeNanos;
    private boolean measured;

    ClaimAhead(int initial, int max) {
        this.initial = Math.min(initial, max);
        this.max = max;
    }

    /** A claim round trip took {@code nanos}. */
    synchronized void claimTook(long nanos) {
        claimNanos = claimNanos == 0 ? nanos : 0.7 * claimNanos + 0.3 * nanos;
    }

    /** An outcome batch's write took {@code nanos}. */
    synchronized void writeTook(long nanos) {
        writeNanos = writeNanos == 0 ? nanos : 0.7 * writeNanos + 0.3 * nanos;
    }

    /** {@code count} runs finished on this node. */
    synchronized void finished(int count) {
        finishedInWindow += count;
        long now = System.nanoTime();
        long elapsed = now - windowStart;
        if (elapsed >= WINDOW_NANOS) {
            double rate = finishedInWindow / (double) elapsed;
            runsPerNano = measured ? 0.5 * runsPerNano + 0.5 * rate : rate;
            measured = true;
            finishedInWindow = 0;
            windowStart = now;
        }
    }

    /** The runs to keep claimed beyond the busy workers now. */
    synchronized int ahead() {
        if (!measured || claimNanos == 0) {
            return initial;
        }
        long wanted = Math.round(runsPerNano * (claimNanos + writeNanos + HAND_OFF_NANOS) * 4) + 1;
        return (int) Math.max(1, Math.min(max, wanted));
    }
}
