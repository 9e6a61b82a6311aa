package dev.postpurchase.core.action;

/**
 * How many runs need attention or are under way, for an overview page and for gauges. Succeeded runs are not
 * counted: they grow without bound, and listing them is {@link RunQuery}'s job.
 *
 * @param pending PENDING runs not attempted yet
 * @param awaitingRetry PENDING runs that failed at least once and wait for their next attempt
 * @param running RUNNING runs, stale ones included
 * @param stale RUNNING runs whose lease holder has not renewed it within the threshold asked for
 * @param failed FAILED runs, waiting for a manual re-run
 */
public record RunCounts(long pending, long awaitingRetry, long running, long stale, long failed) {
    public RunCounts {
        if (pending < 0 || awaitingRetry < 0 || running < 0 || stale < 0 || failed < 0) {
            throw new IllegalArgumentException("run counts must not be negative");
        }
        if (stale > running) {
            throw new IllegalArgumentException("stale runs are among the running ones");
        }
    }
}
