package dev.postpurchase.core;

import java.util.Objects;

/**
 * One problem found while validating input: the path of the offending field (for example {@code items[1].quantity})
 * and a human-readable message. The message never contains secret values.
 *
 * @param field dotted path of the field, never blank
 * @param message what is wrong, never blank
 */
public record Violation(String field, String message) {
    public Violation {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
