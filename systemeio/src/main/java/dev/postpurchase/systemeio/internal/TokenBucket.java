package dev.postpurchase.systemeio.internal;

import java.util.function.LongSupplier;

/**
 * A token bucket measured on a nanosecond ticker: {@code permitsPerSecond} tokens flow in, at most {@code burst}
 * are kept. A caller that finds no token reserves one ahead (the bucket goes into debt) and is told how long to
 * wait, unless that wait exceeds its limit, in which case nothing is reserved. {@link #pauseFor} holds every
 * caller back until a point in time (after the peer answered 429). Thread-safe.
 */
public final class TokenBucket {
    private final double permitsPerNano;
    private final double burst;
    private final LongSupplier ticker;
    private double tokens;
    private long lastRefill;
    private long pausedUntil;

    public TokenBucket(double permitsPerSecond, int burst, LongSupplier ticker) {
        if (!(permitsPerSecond > 0) || Double.isInfinite(permitsPerSecond)) {
            throw new IllegalArgumentException("permitsPerSecond must be positive");
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be at least 1");
        }
        this.permitsPerNano = permitsPerSecond / 1e9;
        this.burst = burst;
        this.ticker = ticker;
        this.tokens = burst;
        this.lastRefill = ticker.getAsLong();
        this.pausedUntil = lastRefill;
    }

    /**
     * Takes a permit. Returns the nanoseconds the caller must wait before using it (0: at once), or, when that
     * wait would exceed {@code maxWaitNanos}, minus the wait needed and nothing is taken.
     */
    public synchronized long reserve(long maxWaitNanos) {
        long now = ticker.getAsLong();
        refill(now);
        long pauseLeft = Math.max(0, pausedUntil - now);
        long debtWait = tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / permitsPerNano);
        long wait = Math.max(pauseLeft, debtWait);
        if (wait > maxWaitNanos) {
            return -wait;
        }
        tokens -= 1;
        return wait;
    }

    /** Holds every caller back until {@code nanosFromNow} have passed; a shorter pause never shortens a longer one. */
    public synchronized void pauseFor(long nanosFromNow) {
        long now = ticker.getAsLong();
        refill(now);
        long until = now + Math.max(0, nanosFromNow);
        if (until - pausedUntil > 0) {
            pausedUntil = until;
        }
    }

    /** Tokens available now (negative while in debt); for tests and diagnostics. */
    public synchronized double available() {
        refill(ticker.getAsLong());
        return tokens;
    }

    private void refill(long now) {
        long elapsed = now - lastRefill;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * permitsPerNano);
            lastRefill = now;
        }
    }
}
