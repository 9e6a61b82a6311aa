package dev.postpurchase.core.action;

/**
 * The three options of the re-run dialog. Each flag has one name, used by the record component and by the copy
 * method that sets it: {@code RerunOptions.defaults().useLatestTemplate(true).acknowledgeSucceeded(true)}.
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

    /** A copy with {@link #useLatestTemplate()} set: the snapshot is replaced by the definition's current one. */
    public RerunOptions useLatestTemplate(boolean value) {
        return new RerunOptions(value, acknowledgeSucceeded, force);
    }

    /** A copy with {@link #acknowledgeSucceeded()} set: a SUCCEEDED run may be re-run, its side effects fire again. */
    public RerunOptions acknowledgeSucceeded(boolean value) {
        return new RerunOptions(useLatestTemplate, value, force);
    }

    /** A copy with {@link #force()} set: a RUNNING run may be re-run, two executions may overlap. */
    public RerunOptions force(boolean value) {
        return new RerunOptions(useLatestTemplate, acknowledgeSucceeded, value);
    }
}
