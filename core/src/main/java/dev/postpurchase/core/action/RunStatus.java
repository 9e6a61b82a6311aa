package dev.postpurchase.core.action;

/**
 * The four statuses of the dashboard. A run waiting for an automatic retry is {@link #PENDING} with at least one
 * attempt made, a last error and a next attempt time; see {@link ActionRun#awaitingRetry()}.
 */
public enum RunStatus {
    PENDING,
    RUNNING,
    SUCCEEDED,
    FAILED;

    /** SUCCEEDED or FAILED. */
    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED;
    }
}
