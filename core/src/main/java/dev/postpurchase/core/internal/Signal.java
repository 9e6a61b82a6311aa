package dev.postpurchase.core.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes the dispatcher: for new work (a local submit or re-run, another node's notification, a retry coming due)
 * and for freed capacity (a run finished). The two are kept apart so that a finished run only causes a claim when
 * more work is likely waiting.
 */
final class Signal {
    /** What woke the waiter. */
    record Wake(boolean work, boolean capacity) {}

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean work;
    private boolean capacity;
    // what the one waiter (the dispatcher) waits for: a signal nobody waits for costs no wake-up
    private boolean waitingForWork;
    private boolean waitingForCapacity;

    void workAdded() {
        lock.lock();
        try {
            work = true;
            if (waitingForWork) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    void capacityFreed() {
        lock.lock();
        try {
            capacity = true;
            if (waitingForCapacity) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until woken for one of {@code interesting} reasons, or {@code nanos} pass; returns what happened and
     * forgets it. A capacity signal that is not interesting is kept for later.
     */
    Wake await(long nanos, boolean capacityInteresting) throws InterruptedException {
        lock.lock();
        try {
            long left = nanos;
            waitingForWork = true;
            waitingForCapacity = capacityInteresting;
            try {
                while (!work && !(capacity && capacityInteresting) && left > 0) {
                    left = changed.awaitNanos(left);
                }
            } finally {
                waitingForWork = false;
                waitingForCapacity = false;
            }
            Wake wake = new Wake(work, capacity && capacityInteresting);
            work = false;
            if (capacityInteresting) {
                capacity = false;
            }
            return wake;
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code millis} for any signal; used while backing off after a failure. */
    void sleep(long millis) throws InterruptedException {
        lock.lock();
        try {
            waitingForWork = true;
            waitingForCapacity = true;
            try {
                changed.await(Math.max(1, millis), TimeUnit.MILLISECONDS);
            } finally {
                waitingForWork = false;
                waitingForCapacity = false;
            }
        } finally {
            lock.unlock();
        }
    }
}
