package dev.postpurchase.core.internal;

import dev.postpurchase.core.action.ActionRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a pipeline does after writes made in a caller's transaction on a plain JDBC connection (reporting them to its
 * listeners, keeping the parsed order, waking the workers), held until that transaction is seen committed: a rollback
 * takes the rows back, and listeners must never hear of rows that were not durable. The pipeline cannot see such a
 * commit, so:
 *
 * <ul>
 *   <li>an entry is done as soon as this node claims one of its runs as written (the claim proves the commit),
 *       before that run is handed to a worker: its creation is reported before its execution;
 *   <li>otherwise a thread of its own, running while entries wait, checks each by reading the written rows back on
 *       the pipeline's own connections, first after the poll interval and then backing off to a minute;
 *   <li>an entry is dropped, its action never done, when it is not seen committed within {@link #GIVE_UP_AFTER},
 *       when a later write of the same key supersedes it (the same order submitted again, which the store allows
 *       only once the first transaction rolled back), or when its run is claimed as written by another transaction.
 * </ul>
 *
 * A write this node then makes of the same key in its own transaction supersedes the entry too ({@link #supersede}).
 * Each entry's action runs at most once, and one at a time under a lock of their own, which a claim takes too: a claim
 * never overtakes an action under way, and {@link #add}, called inside a caller's open transaction, never waits for
 * one (an action runs listener code, which might wait for a row that transaction holds). Thread-safe.
 */
public final class AwaitingCommit implements AutoCloseable {
    /** How long a caller's transaction may stay open before its writes are taken as rolled back. */
    public static final Duration GIVE_UP_AFTER = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(AwaitingCommit.class);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.MINUTES.toNanos(1);

    private static final class Entry {
        final String key;
        final Set<String> runIds;
        final Predicate<ActionRun> written;
        final BooleanSupplier committed;
        final Runnable action;
        final long givesUpAt;
        long delay;
        long nextCheck;

        Entry(
                String key,
                Set<String> runIds,
                Predicate<ActionRun> written,
                BooleanSupplier committed,
                Runnable action,
                long now,
                long delay) {
            this.key = key;
            this.runIds = runIds;
            this.written = written;
            this.committed = committed;
            this.action = action;
            this.givesUpAt = now + GIVE_UP_AFTER.toNanos();
            this.delay = delay;
            this.nextCheck = now + delay;
        }
    }

    private final long firstDelayNanos;
    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, Entry> byRun = new HashMap<>();
    private final Map<String, Entry> byKey = new HashMap<>();
    private final ReentrantLock performing = new ReentrantLock();
    private final boolean watch;
    private @Nullable Thread watcher;
    private boolean closed;
    private volatile boolean empty = true;

    /** @param firstCheck how long after the write it is first looked for (the pipeline's poll interval) */
    public AwaitingCommit(Duration firstCheck) {
        this(firstCheck, true);
    }

    /** With {@code watch} false no thread of its own checks the entries: {@link #check} is left to the caller. */
    AwaitingCommit(Duration firstCheck, boolean watch) {
        this.firstDelayNanos = Math.max(1, firstCheck.toNanos());
        this.watch = watch;
    }

    /**
     * Holds {@code action} until the write of {@code key} (a trigger's key, or a run's) is seen committed: one of
     * {@code runIds} is claimed and {@code written} says the claimed run is the one this write made, or {@code
     * committed} (called on another thread, outside the caller's transaction) answers true. An entry of the same key
     * still waiting is dropped: the store lets the same key be written again only once the first write rolled back.
     */
    public void add(
            String key,
            Collection<String> runIds,
            Predicate<ActionRun> written,
            BooleanSupplier committed,
            Runnable action) {
        synchronized (this) {
            if (closed) {
                return;
            }
            Entry previous = byKey.get(key);
            if (previous != null) {
                remove(previous);
            }
            Entry entry = new Entry(
                    key, new LinkedHashSet<>(runIds), written, committed, action, System.nanoTime(), firstDelayNanos);
            entries.add(entry);
            byKey.put(key, entry);
            entry.runIds.forEach(id -> byRun.put(id, entry));
            empty = false;
            if (watch && watcher == null) {
                Thread thread = new Thread(this::watch, "postpurchase-commit-watch");
                thread.setDaemon(true);
                watcher = thread;
                thread.start();
            }
            notifyAll(); // a watcher asleep until a later check looks at this one in time
        }
    }

    /** Whether nothing waits. */
    public boolean isEmpty() {
        return empty;
    }

    /** Drops the entry of {@code key}: this node wrote it again, committed, and reports that write instead. */
    public void supersede(String key) {
        if (empty) {
            return;
        }
        synchronized (this) {
            Entry entry = byKey.get(key);
            if (entry != null) {
                remove(entry);
            }
        }
    }

    /**
     * Does the entries whose runs were just claimed as written, and so committed; drops those whose run was claimed
     * as written by another transaction (theirs rolled back).
     */
    public void claimed(List<ActionRun> runs) {
        if (empty) {
            return;
        }
        performing.lock();
        try {
            List<Entry> done = new ArrayList<>();
            synchronized (this) {
                for (ActionRun run : runs) {
                    Entry entry = byRun.get(run.id());
                    if (entry == null || !remove(entry)) {
                        continue;
                    }
                    if (entry.written.test(run)) {
                        done.add(entry);
                    } else {
                        LOG.debug("{} was written again by another transaction: its own rolled back", entry.key);
                    }
                }
            }
            done.forEach(AwaitingCommit::perform);
        } finally {
            performing.unlock();
        }
    }

    /**
     * Checks the entries whose check is due at {@code now} (by {@link System#nanoTime}) and does those found
     * committed; returns the nanoseconds until the next check, or {@link Long#MAX_VALUE} when nothing waits.
     */
    long check(long now) {
        List<Entry> due = new ArrayList<>();
        synchronized (this) {
            for (Entry entry : entries) {
                if (now - entry.nextCheck >= 0) {
                    due.add(entry);
                }
            }
        }
        for (Entry entry : due) {
            boolean committed;
            try {
                committed = entry.committed.getAsBoolean();
            } catch (RuntimeException e) {
                LOG.debug("could not check whether {} was committed; checking again later", entry.key, e);
                committed = false;
            }
            if (committed) {
                performing.lock();
                try {
                    boolean mine;
                    synchronized (this) {
                        mine = remove(entry);
                    }
                    if (mine) {
                        perform(entry);
                    }
                } finally {
                    performing.unlock();
                }
                continue;
            }
            synchronized (this) {
                if (now - entry.givesUpAt >= 0) {
                    if (remove(entry)) {
                        LOG.debug("{} not seen committed within {}; taken as rolled back", entry.key, GIVE_UP_AFTER);
                    }
                } else {
                    entry.delay = Math.min(entry.delay * 2, MAX_BACKOFF_NANOS);
                    entry.nextCheck = now + entry.delay;
                }
            }
        }
        synchronized (this) {
            return untilNextCheck(now);
        }
    }

    private long untilNextCheck(long now) {
        long next = Long.MAX_VALUE;
        for (Entry entry : entries) {
            next = Math.min(next, Math.max(0, entry.nextCheck - now));
        }
        return next;
    }

    private boolean remove(Entry entry) {
        if (!entries.remove(entry)) {
            return false;
        }
        entry.runIds.forEach(id -> byRun.remove(id, entry));
        byKey.remove(entry.key, entry);
        empty = entries.isEmpty();
        return true;
    }

    private static void perform(Entry entry) {
        try {
            entry.action.run();
        } catch (RuntimeException | LinkageError | AssertionError e) {
            // listener code: it must not stop the claim that proved the commit, nor the watcher
            LOG.warn("what follows the commit of {} failed", entry.key, e);
        }
    }

    private void watch() {
        try {
            while (true) {
                check(System.nanoTime());
                synchronized (this) {
                    while (true) {
                        if (closed || entries.isEmpty()) {
                            watcher = null; // in the lock add takes: an add after this starts another
                            return;
                        }
                        long wait = untilNextCheck(System.nanoTime());
                        if (wait == 0) {
                            break;
                        }
                        // woken early by add (a new entry's first check may come sooner) and by close
                        TimeUnit.NANOSECONDS.timedWait(this, wait);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            synchronized (this) {
                if (watcher == Thread.currentThread()) {
                    watcher = null; // the next add starts another, also after an unexpected error
                }
            }
        }
    }

    /** Stops checking; entries still waiting are dropped (their rows, if committed, are executed all the same). */
    @Override
    public synchronized void close() {
        closed = true;
        if (!entries.isEmpty()) {
            LOG.debug("{} write(s) in callers' transactions not seen committed at shutdown", entries.size());
        }
        entries.clear();
        byRun.clear();
        byKey.clear();
        empty = true;
        notifyAll();
    }
}
