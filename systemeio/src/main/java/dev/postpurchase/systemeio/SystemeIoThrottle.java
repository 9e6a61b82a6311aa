package dev.postpurchase.systemeio;

import dev.postpurchase.core.PostpurchaseException;
import dev.postpurchase.core.Secret;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.Violation;
import dev.postpurchase.systemeio.internal.KeyFingerprint;
import dev.postpurchase.systemeio.internal.TokenBucket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Spaces the calls made with one API key so that a burst of orders does not trip Systeme.io's rate limit: one token
 * bucket per API key, {@link Builder#permitsPerSecond} tokens per second, at most {@link Builder#burst} saved up.
 * The defaults follow the Systeme.io reference: the limit is unpublished and shared by every key of the account, and
 * the community template spaces calls one second apart, so the default is one call per second with no burst.
 *
 * <p>{@link #acquire} blocks the calling thread while the wait is at most {@link Builder#maxWait}; a longer wait is
 * not taken and surfaces as a {@link SystemeIoRateLimitedException} carrying the wait, so an action is retried
 * later instead of holding a worker. After the API answered 429, {@link #pause} holds every call of that key back.
 *
 * <p>Share one instance between every client and executor of the same account. Thread-safe. Keys are held only as
 * one-way fingerprints.
 */
public final class SystemeIoThrottle {
    private final double permitsPerSecond;
    private final int burst;
    private final Duration maxWait;
    private final LongSupplier ticker;
    private final Sleeper sleeper;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    private SystemeIoThrottle(Builder b) {
        this.permitsPerSecond = b.permitsPerSecond;
        this.burst = b.burst;
        this.maxWait = b.maxWait;
        this.ticker = b.ticker;
        this.sleeper = b.sleeper;
    }

    /** One call per second per key, no burst, blocking at most 15 seconds. */
    public static SystemeIoThrottle defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Waits for a permit to call the API with {@code apiKey}.
     *
     * @throws SystemeIoRateLimitedException when the wait would exceed {@code maxWait}; no permit was taken
     * @throws PostpurchaseException when the thread was interrupted while waiting (its interrupt flag is set again)
     */
    public void acquire(Secret apiKey) {
        long wait = bucket(apiKey).reserve(maxWait.toNanos());
        if (wait < 0) {
            Duration needed = Duration.ofNanos(-wait);
            throw new SystemeIoRateLimitedException(
                    "Systeme.io calls for this API key are throttled; next free slot in " + roundUp(needed) + " s",
                    0,
                    List.of(),
                    needed,
                    true);
        }
        if (wait > 0) {
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PostpurchaseException("interrupted while waiting for the Systeme.io throttle", e);
            }
        }
    }

    /** Holds every call with {@code apiKey} back for {@code wait} (the API answered 429 or reported no quota left). */
    public void pause(Secret apiKey, Duration wait) {
        Objects.requireNonNull(wait, "wait");
        bucket(apiKey).pauseFor(wait.isNegative() ? 0 : wait.toNanos());
    }

    public double permitsPerSecond() {
        return permitsPerSecond;
    }

    public int burst() {
        return burst;
    }

    public Duration maxWait() {
        return maxWait;
    }

    private TokenBucket bucket(Secret apiKey) {
        return buckets.computeIfAbsent(
                KeyFingerprint.of(apiKey), k -> new TokenBucket(permitsPerSecond, burst, ticker));
    }

    private static long roundUp(Duration d) {
        long seconds = d.getSeconds();
        return d.getNano() > 0 ? seconds + 1 : seconds;
    }

    @Override
    public String toString() {
        return "SystemeIoThrottle[" + permitsPerSecond + "/s, burst=" + burst + ", maxWait=" + maxWait + "]";
    }

    /** Sleeps for a number of nanoseconds; replaceable in tests so no test waits on the wall clock. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    /** Mutable, not thread-safe builder of {@link SystemeIoThrottle}. */
    public static final class Builder {
        private double permitsPerSecond = 1.0;
        private int burst = 1;
        private Duration maxWait = Duration.ofSeconds(15);
        private LongSupplier ticker = System::nanoTime;
        private Sleeper sleeper = TimeUnit.NANOSECONDS::sleep;

        private Builder() {}

        /** Sustained calls per second per API key; default 1. */
        public Builder permitsPerSecond(double value) {
            this.permitsPerSecond = value;
            return this;
        }

        /** Calls that may go at once after a quiet period; default 1. */
        public Builder burst(int value) {
            this.burst = value;
            return this;
        }

        /** The longest {@link #acquire} blocks before giving up with the wait; default 15 s, zero never blocks. */
        public Builder maxWait(Duration value) {
            this.maxWait = value;
            return this;
        }

        Builder ticker(LongSupplier value) {
            this.ticker = value;
            return this;
        }

        Builder sleeper(Sleeper value) {
            this.sleeper = value;
            return this;
        }

        /** Validates and builds; throws {@link ValidationException} naming every bad setting. */
        public SystemeIoThrottle build() {
            List<Violation> v = new ArrayList<>();
            if (!(permitsPerSecond > 0) || permitsPerSecond > 10_000) {
                v.add(new Violation("permitsPerSecond", "must be above 0 and at most 10000"));
            }
            if (burst < 1 || burst > 10_000) {
                v.add(new Violation("burst", "must be between 1 and 10000"));
            }
            if (maxWait == null || maxWait.isNegative() || maxWait.compareTo(Duration.ofMinutes(5)) > 0) {
                v.add(new Violation("maxWait", "must be between 0 and 5 minutes"));
            }
            if (!v.isEmpty()) {
                throw new ValidationException(v);
            }
            return new SystemeIoThrottle(this);
        }
    }
}
