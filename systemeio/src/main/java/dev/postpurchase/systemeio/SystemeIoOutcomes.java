package dev.postpurchase.systemeio;

import dev.postpurchase.core.retry.Failure;
import dev.postpurchase.core.spi.ExecutionOutcome;
import dev.postpurchase.http.HttpCallException;
import dev.postpurchase.http.HttpOutcomes;
import org.jspecify.annotations.Nullable;

/**
 * Maps what a Systeme.io call threw onto an outcome: a rate limit is retried after its wait, a server error is
 * retried by the policy, transport failures as {@link HttpOutcomes} says, everything else (refused key, rejected
 * data, unknown contact or tag) fails for good. Reasons carry the API's messages, never the key.
 */
final class SystemeIoOutcomes {
    private SystemeIoOutcomes() {}

    static ExecutionOutcome of(RuntimeException e, @Nullable String partialResult) {
        if (e instanceof SystemeIoRateLimitedException limited) {
            Integer status = limited.fromServer() ? 429 : null;
            return ExecutionOutcome.retry(new Failure(message(e), status, false, limited.retryAfter()), partialResult);
        }
        if (e instanceof SystemeIoException api) {
            if (api.retryable()) {
                return ExecutionOutcome.retry(new Failure(message(e), api.statusCode(), false, null), partialResult);
            }
            return new ExecutionOutcome.PermanentFailure(message(e), api.statusCode(), partialResult);
        }
        if (e instanceof HttpCallException call) {
            ExecutionOutcome mapped = HttpOutcomes.of(call);
            if (mapped instanceof ExecutionOutcome.RetryableFailure r) {
                return ExecutionOutcome.retry(r.failure(), partialResult);
            }
            if (mapped instanceof ExecutionOutcome.PermanentFailure p) {
                return new ExecutionOutcome.PermanentFailure(p.reason(), p.statusCode(), partialResult);
            }
            return mapped;
        }
        throw e;
    }

    private static String message(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
