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
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a pipeline does after writes made in a caller's transaction on a plain JDBC connection (reporting them to its
 * listeners, keeping the parsed order), held until that transaction is seen committed: a rollback takes the rows
 * back, and listeners must never hear of rows that were not durable. The pipeline cannot see such a commit, so:
 *
 * <ul>
 *   <li>an entry is done as soon as one of its runs is claimed on this node (the claim proves the commit), before
 *       that run is handed to a worker, so that its creation is reported before its execution;
 *   <li>otherwise a thread of its own, started while entries wait, checks each with a read on the pipeline's own
 *       connections, first after the poll interval and then backing off to a minute;
 *   <li>an entry not seen committed within {@link #GIVE_UP_AFTER} is taken as rolled back and dropped.
 * </ul>
 *
 * Each entry's action runs at most once. Thread-safe.
 */
public final class AwaitingCommit implements AutoCloseable {
    /** How long a caller's transaction may stay open before its writes are taken as rolled back. */
    public static final Duration GIVE_UP_AFTER = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(AwaitingCommit.class);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.MINUTES.toNanos(1);

    private static final class Entry {
        final String what;
        final Set<String> runIds;
        final BooleanSupplier committed;
        final Runnable action;
        final long givesUpAt;
        long delay;
        long nextCheck;

        Entry(String what, Set<String> runIds, BooleanSupplier committed, Runnable action, long now, long delay) {
            this.what = what;
            this.runIds = runIds;
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
    private @Nullable Thread watcher;
    private boolean closed;
    private volatile boolean empty = true;

    /** @param firstCheck how long after the write it is first looked for (the pipeline's poll interval) */
    public AwaitingCommit(Duration firstCheck) {
        this.firstDelayNanos = Math.max(1, firstCheck.toNanos());
    }

    /**
     * Holds {@code action} until the write described by {@code what} is seen committed: one of {@code runIds} is
     * claimed, or {@code committed} (called on another thread, outside the caller's transaction) answers true.
     */
    public void add(String what, Collection<String> runIds, BooleanSupplier committed, Runnable action) {
        synchronized (this) {
            if (closed) {
                return;
            }
            Entry entry =
                    new Entry(what, new LinkedHashSet<>(runIds), committed, action, System.nanoTime(), firstDelayNanos);
            entries.add(entry);
            entry.runIds.forEach(id -> byRun.put(id, entry));
            empty = false;
            if (watcher == null) {
                Thread thread = new Thread(this::watch, "postpurchase-commit-watch");
                thread.setDaemon(true);
                watcher = thread;
                thread.start();
            }
        }
    }

    /** Whether nothing waits. */
    public boolean isEmpty() {
        return empty;
    }

    /** Does the entries holding any of these runs, which were just claimed, and so committed. */
    public void claimed(List<ActionRun> runs) {
        if (empty) {
            return;
        }
        List<Entry> done = new ArrayList<>();
        synchronized (this) {
            for (ActionRun run : runs) {
                Entry entry = byRun.get(run.id());
                if (entry != null && remove(entry)) {
                    done.add(entry);
                }
            }
        }
        done.forEach(AwaitingCommit::perform);
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
                LOG.debug("could not check whether {} was committed; checking again later", entry.what, e);
                committed = false;
            }
            boolean perform = false;
            synchronized (this) {
                if (committed) {
                    perform = remove(entry);
                } else if (now - entry.givesUpAt >= 0) {
                    if (remove(entry)) {
                        LOG.debug("{} not seen committed within {}; taken as rolled back", entry.what, GIVE_UP_AFTER);
                    }
                } else {
                    entry.delay = Math.min(entry.delay * 2, MAX_BACKOFF_NANOS);
                    entry.nextCheck = now + entry.delay;
                }
            }
            if (perform) {
                perform(entry);
            }
        }
        synchronized (this) {
            long next = Long.MAX_VALUE;
            for (Entry entry : entries) {
                next = Math.min(next, Math.max(0, entry.nextCheck - now));
            }
            return next;
        }
    }

    private boolean remove(Entry entry) {
        if (!entries.remove(entry)) {
            return false;
        }
        entry.runIds.forEach(id -> byRun.remove(id, entry));
        empty = entries.isEmpty();
        return true;
    }

    private static void perform(Entry entry) {
        try {
            entry.action.run();
        } catch (RuntimeException e) {
            LOG.warn("what follows the commit of {} failed", entry.what, e);
        }
    }

    private void watch() {
        while (true) {
            long wait = check(System.nanoTime());
            synchronized (this) {
                if (closed || entries.isEmpty()) {
                    watcher = null;
                    return;
                }
            }
            try {
                TimeUnit.NANOSECONDS.sleep(Math.max(TimeUnit.MILLISECONDS.toNanos(1), wait));
            } catch (InterruptedException e) {
                synchronized (this) {
                    watcher = null;
                }
                return;
            }
        }
    }

    /** Stops checking; entries still waiting are dropped (their rows, if committed, are executed all the same). */
    @Override
    public void close() {
        Thread thread;
        synchronized (this) {
            closed = true;
            if (!entries.isEmpty()) {
                LOG.debug("{} write(s) in callers' transactions not seen committed at shutdown", entries.size());
            }
            entries.clear();
            byRun.clear();
            empty = true;
            thread = watcher;
        }
        if (thread != null) {
            thread.interrupt();
        }
    }
}
