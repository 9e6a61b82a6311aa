package dev.postpurchase.core.internal;

import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.retry.Failure;
import dev.postpurchase.core.retry.StatusCodeRetry;
import dev.postpurchase.core.spi.ExecutionOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Turns an attempt's outcome into the run's next state, following the run's retry policy. */
public final class OutcomeApplier {
    private static final int MAX_ERROR_LENGTH = 2000;

    private OutcomeApplier() {}

    public static ActionRun apply(ActionRun run, ExecutionOutcome outcome, Instant now) {
        if (outcome instanceof ExecutionOutcome.Succeeded s) {
            return run.succeed(s.result(), null, now);
        }
        if (outcome instanceof ExecutionOutcome.Skipped s) {
            return run.succeed(null, truncate(s.reason()), now);
        }
        if (outcome instanceof ExecutionOutcome.PermanentFailure p) {
            return run.fail(truncate(p.reason()), p.statusCode(), keep(run, p.partialResult()), now);
        }
        ExecutionOutcome.RetryableFailure r = (ExecutionOutcome.RetryableFailure) outcome;
        Failure failure = r.failure();
        Optional<Duration> delay = run.retryPolicy().nextDelay(run.attempts(), failure);
        String partial = keep(run, r.partialResult());
        if (delay.isPresent()) {
            return run.retryAt(now.plus(delay.get()), truncate(failure.reason()), failure.statusCode(), partial, now);
        }
        boolean timeoutsNeverRetried = run.retryPolicy() instanceof StatusCodeRetry;
        String reason = failure.timedOut() && timeoutsNeverRetried
                ? "timed out, not retried automatically: " + failure.reason()
                : "gave up after " + run.attempts() + (run.attempts() == 1 ? " attempt: " : " attempts: ")
                        + failure.reason();
        return run.fail(truncate(reason), failure.statusCode(), partial, now);
    }

    private static @Nullable String keep(ActionRun run, @Nullable String partialResult) {
        return partialResult != null ? partialResult : run.result();
    }

    private static String truncate(String value) {
        return value.length() <= MAX_ERROR_LENGTH ? value : value.substring(0, MAX_ERROR_LENGTH) + "…";
    }
}
