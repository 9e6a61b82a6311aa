package dev.postpurchase.benchmarks.internal;

import org.jspecify.annotations.Nullable;

/**
 * The no-op job JobRunr runs: JobRunr stores a job as a reference to a public static method and its arguments, so the
 * clock and probe it reports to live in static fields set by {@link JobRunrContender}.
 */
public final class JobRunrJobs {
    static volatile @Nullable DrainClock clock;
    static volatile @Nullable StartProbe probe;

    private JobRunrJobs() {}

    /** The job: reports its start and returns. */
    public static void noop(String key) {
        DrainClock c = clock;
        if (c != null) {
            c.started();
        }
        StartProbe p = probe;
        if (p != null) {
            p.started(key);
        }
    }
}
