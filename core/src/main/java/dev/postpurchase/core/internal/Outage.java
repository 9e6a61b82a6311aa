package dev.postpurchase.core.internal;

import java.time.Duration;
import org.slf4j.Logger;

/**
 * Tracks failures of one recurring store operation so that an outage is logged once when it starts and once when
 * it ends, not on every attempt, and so that attempts back off while it lasts. Not thread-safe: one per thread.
 */
final class Outage {
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final Logger log;
    private final String operation;
    private int failures;
    private long startedNanos;

    Outage(Logger log, String operation) {
        this.log = log;
        this.operation = operation;
    }

    /** Records a failure; returns how long to wait before the next attempt. */
    Duration failed(RuntimeException e, Duration base) {
        if (failures == 0) {
            startedNanos = System.nanoTime();
            log.warn(
                    "{} failed; retrying with backoff, and logging again only when it works ({})",
                    operation,
                    e.toString(),
                    e);
        } else {
            log.debug("{} failed again ({} times): {}", operation, failures + 1, e.toString());
        }
        failures++;
        long factor = 1L << Math.min(failures - 1, 16);
        Duration wait = base.multipliedBy(factor);
        return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
    }

    /** Records a success; logs the end of an outage. */
    void succeeded() {
        if (failures > 0) {
            log.info(
                    "{} works again after {} failed attempt(s) over {} ms",
                    operation,
                    failures,
                    Duration.ofNanos(System.nanoTime() - startedNanos).toMillis());
            failures = 0;
        }
    }

    boolean ongoing() {
        return failures > 0;
    }
}
