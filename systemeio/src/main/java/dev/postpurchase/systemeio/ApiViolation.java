package dev.postpurchase.systemeio;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One validation message of a Systeme.io error response ({@code violations[]} of an API Platform problem), for
 * example {@code email: This value is already used.}
 *
 * @param propertyPath the offending property as the API names it ({@code email}, {@code fields[0].value}); empty
 *     when the API named none
 * @param message the API's message
 * @param code the API's violation code, if any
 */
public record ApiViolation(String propertyPath, String message, @Nullable String code) {
    public ApiViolation {
        Objects.requireNonNull(propertyPath, "propertyPath");
        Objects.requireNonNull(message, "message");
    }

    /** Whether this violation is about {@code property} or one of its sub-paths ({@code fields} matches {@code fields[0].value}). */
    public boolean concerns(String property) {
        return propertyPath.equals(property)
                || propertyPath.startsWith(property + ".")
                || propertyPath.startsWith(property + "[");
    }

    @Override
    public String toString() {
        return propertyPath.isEmpty() ? message : propertyPath + ": " + message;
    }
}
