package dev.postpurchase.systemeio.internal;

import dev.postpurchase.core.Secret;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Serialises the work of runs on the same contact (API key and email) inside one process, so two orders of one
 * customer executed at the same moment cannot both see a tag missing and both assign it. Striped: unrelated contacts
 * rarely share a lock, and memory stays fixed. Runs in other processes are not covered; there the re-read after a
 * failed create keeps contacts single, and a tag may in the worst case be assigned twice. Thread-safe.
 */
public final class ContactLocks {
    private static final int STRIPES = 64;
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    public ContactLocks() {
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    public <T> T withLock(Secret apiKey, String email, Supplier<T> work) {
        String key = KeyFingerprint.of(apiKey) + '\u0000' + email.strip().toLowerCase(Locale.ROOT);
        ReentrantLock lock = locks[Math.floorMod(key.hashCode(), STRIPES)];
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }
}
