package dev.postpurchase.testing;

import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.spi.AttemptResult;
import dev.postpurchase.core.spi.RunTransitions;
import java.time.Instant;

/**
 * Runs in the states an executor sees them, for calling an executor directly in a test without a pipeline or a
 * store: these only build values, they change nothing anywhere.
 */
public final class TestRuns {
    private TestRuns() {}

    /** The run as a worker holds it for an attempt: RUNNING, owned by {@code owner}, one more attempt counted. */
    public static ActionRun claimed(ActionRun run, String owner, Instant now) {
        return run.with(RunTransitions.claimed(run.state(), owner, now));
    }

    /** The run after an attempt ended as {@code result} says (for a retry: PENDING again, due after its delay). */
    public static ActionRun after(ActionRun claimed, AttemptResult result, Instant now) {
        return claimed.with(RunTransitions.finished(claimed.state(), result, now));
    }
}
