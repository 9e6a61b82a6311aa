package dev.postpurchase.core.internal;

import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.retry.Failure;
import dev.postpurchase.core.retry.StatusCodeRetry;
import dev.postpurchase.core.spi.AttemptResult;
import dev.postpurchase.core.spi.ExecutionOutcome;
import java.time.Duration;
import java.util.Optional;

/** Turns an attempt's outcome into what the store records, following the run's retry policy. */
public final class OutcomeApplier {
    private static final int MAX_ERROR_LENGTH = 2000;

    private OutcomeApplier() {}

    public static AttemptResult apply(ActionRun run, ExecutionOutcome outcome) {
        if (outcome instanceof ExecutionOutcome.Succeeded s) {
            return AttemptResult.succeeded(run, s.result(), null);
        }
        if (outcome instanceof ExecutionOutcome.Skipped s) {
            return AttemptResult.succeeded(run, null, truncate(s.reason()));
        }
        if (outcome instanceof ExecutionOutcome.PermanentFailure p) {
            return AttemptResult.failed(run, truncate(p.reason()), p.statusCode(), p.partialResult());
        }
        ExecutionOutcome.RetryableFailure r = (ExecutionOutcome.RetryableFailure) outcome;
        Failure failure = r.failure();
        Optional<Duration> delay = run.retryPolicy().nextDelay(run.attempts(), failure);
        if (delay.isPresent()) {
            return AttemptResult.retry(
                    run, delay.get(), truncate(failure.reason()), failure.statusCode(), r.partialResult());
        }
        boolean timeoutsNeverRetried = run.retryPolicy() instanceof StatusCodeRetry;
        String reason = failure.timedOut() && timeoutsNeverRetried
                ? "timed out, not retried automatically: " + failure.reason()
                : "gave up after " + run.attempts() + (run.attempts() == 1 ? " attempt: " : " attempts: ")
                        + failure.reason();
        return AttemptResult.failed(run, truncate(reason), failure.statusCode(), r.partialResult());
    }

    static String truncate(String value) {
        return value.length() <= MAX_ERROR_LENGTH ? value : value.substring(0, MAX_ERROR_LENGTH) + "…";
    }
}
