package dev.postpurchase.jdbc.internal;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A node's cache of configuration lookups, emptied whenever the configuration may have changed: by this node's own
 * writes, by a notification from another node, and when a read finds the shared version counter moved on (checked
 * at most once per refresh interval, by one reader while the others keep reading the cache).
 *
 * <p>A lookup that started before an invalidation is never cached after it: each invalidation bumps a generation,
 * and a loaded value is kept only if the generation did not move while it was read (checked again after it was
 * put, so an invalidation racing the put removes it). So once an invalidation returns, every later read sees data at
 * least as new as the write that caused it. The cache holds at most {@code maxEntries} lookups; when full it is
 * emptied rather than evicting one by one, which keeps the hot path a single map lookup.
 */
public final class ConfigCache {
    private final ConcurrentHashMap<Object, Object> entries = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final AtomicBoolean checking = new AtomicBoolean();
    private final LongSupplier version;
    private final long refreshNanos;
    private final int maxEntries;
    private volatile long nextCheckNanos = System.nanoTime();
    private volatile long seenVersion = Long.MIN_VALUE;

    /**
     * @param version reads the shared version counter
     * @param refresh how often a read checks it
     * @param maxEntries how many lookups are kept at most
     */
    public ConfigCache(LongSupplier version, Duration refresh, int maxEntries) {
        this.version = version;
        this.refreshNanos = refresh.toNanos();
        this.maxEntries = maxEntries;
    }

    /** The cached value of {@code key}, or what {@code loader} reads (non-null), cached when still current. */
    @SuppressWarnings("unchecked")
    public <T> T get(Object key, Supplier<T> loader) {
        checkVersionIfDue();
        Object cached = entries.get(key);
        if (cached != null) {
            return (T) cached;
        }
        long before = generation.get();
        T loaded = loader.get();
        if (generation.get() == before) {
            if (entries.size() >= maxEntries) {
                entries.clear();
            }
            entries.put(key, loaded);
            if (generation.get() != before) {
                entries.remove(key, loaded);
            }
        }
        return loaded;
    }

    /** Forgets everything; lookups in flight are not cached. */
    public void invalidate() {
        generation.incrementAndGet();
        entries.clear();
    }

    /** How many lookups are cached now; for tests. */
    public int size() {
        return entries.size();
    }

    private void checkVersionIfDue() {
        if (System.nanoTime() - nextCheckNanos < 0 || !checking.compareAndSet(false, true)) {
            return;
        }
        try {
            long current = version.getAsLong();
            if (current != seenVersion) {
                seenVersion = current;
                invalidate();
            }
        } finally {
            nextCheckNanos = System.nanoTime() + refreshNanos;
            checking.set(false);
        }
    }
}
