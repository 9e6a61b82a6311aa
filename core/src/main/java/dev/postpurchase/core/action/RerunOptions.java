package dev.postpurchase.core.action;

/**
 * The three options of the re-run dialog.
 *
 * @param useLatestTemplate replace the run's snapshot, for good, with the definition's current configuration
 * @param acknowledgeSucceeded required to re-run a SUCCEEDED run: its side effects fire again
 * @param force required to re-run a RUNNING run: two executions may overlap
 */
public record RerunOptions(boolean useLatestTemplate, boolean acknowledgeSucceeded, boolean force) {
    /** Re-run with the stored snapshot, nothing acknowledged. */
    public static RerunOptions defaults() {
        return new RerunOptions(false, false, false);
    }

    public RerunOptions withLatestTemplate() {
        return new RerunOptions(true, acknowledgeSucceeded, force);
    }

    public RerunOptions acknowledgingSucceeded() {
        return new RerunOptions(useLatestTemplate, true, force);
    }

    public RerunOptions forced() {
        return new RerunOptions(useLatestTemplate, acknowledgeSucceeded, true);
    }
}
