package dev.postpurchase.core.action;

import java.util.List;

/**
 * How far the runs of one order (or event) have come.
 *
 * @param completed true once every run has succeeded (the order is COMPLETED)
 */
public record TriggerProgress(
        String triggerKey,
        int total,
        int pending,
        int awaitingRetry,
        int running,
        int succeeded,
        int failed,
        boolean completed) {

    /** Counts the given runs; {@code completed} comes from the store's trigger record. */
    public static TriggerProgress of(String triggerKey, List<ActionRun> runs, boolean completed) {
        int pending = 0, awaitingRetry = 0, running = 0, succeeded = 0, failed = 0;
        for (ActionRun run : runs) {
            switch (run.status()) {
                case PENDING -> {
                    if (run.awaitingRetry()) {
                        awaitingRetry++;
                    } else {
                        pending++;
                    }
                }
                case RUNNING -> running++;
                case SUCCEEDED -> succeeded++;
                case FAILED -> failed++;
            }
        }
        return new TriggerProgress(
                triggerKey, runs.size(), pending, awaitingRetry, running, succeeded, failed, completed);
    }
}
