package dev.postpurchase.core.retry;

import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.Violations;
import java.time.Duration;

final class PolicyArguments {
    private PolicyArguments() {}

    static void requirePositive(String field, Duration value) {
        Violations.check(v -> v.requirePositive(field, value));
    }

    static void requireRetries(int maxRetries) {
        if (maxRetries < 0 || maxRetries > 1000) {
            throw new ValidationException("maxRetries", "must be between 0 and 1000");
        }
    }
}
