package dev.postpurchase.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Collects every problem of a builder or config before failing, so one {@link ValidationException} names every bad
 * field instead of the first. Not thread-safe; use one per check.
 *
 * <pre>{@code
 * Violations v = new Violations();
 * v.require("transport", transport);
 * v.requirePositive("timeout", timeout);
 * v.throwIfAny();
 * }</pre>
 */
public final class Violations {
    private final List<Violation> found = new ArrayList<>();

    /** Runs {@code checks} on a fresh collector and throws when they found anything. */
    public static void check(Consumer<Violations> checks) {
        Violations v = new Violations();
        checks.accept(v);
        v.throwIfAny();
    }

    /** Records a problem of {@code field}. */
    public Violations add(String field, String message) {
        found.add(new Violation(field, message));
        return this;
    }

    /** Records every violation of {@code e} (for example of a nested config), their fields prefixed by {@code prefix}. */
    public Violations addAll(String prefix, ValidationException e) {
        for (Violation violation : e.violations()) {
            found.add(new Violation(
                    prefix.isEmpty() ? violation.field() : prefix + "." + violation.field(), violation.message()));
        }
        return this;
    }

    /** Records {@code violations} as they are. */
    public Violations addAll(List<Violation> violations) {
        found.addAll(violations);
        return this;
    }

    /** "is required" when {@code value} is null; true when it was present. */
    public boolean require(String field, @Nullable Object value) {
        if (value == null) {
            add(field, "is required");
            return false;
        }
        return true;
    }

    /** "is required" when {@code value} is null or blank; true when it has text. */
    public boolean requireText(String field, @Nullable String value) {
        if (value == null || value.isBlank()) {
            add(field, "is required");
            return false;
        }
        return true;
    }

    /** "must be a positive duration" when null, zero or negative; true when it is positive. */
    public boolean requirePositive(String field, @Nullable Duration value) {
        int before = found.size();
        positiveDuration(found, field, value);
        return found.size() == before;
    }

    /** "must be positive" when zero or negative. */
    public void requirePositive(String field, long value) {
        if (value <= 0) {
            add(field, "must be positive");
        }
    }

    /**
     * Adds "must be a positive duration" to {@code violations} when {@code value} is null, zero or negative: the one
     * duration check of every builder that collects its violations in a list.
     */
    public static void positiveDuration(List<Violation> violations, String field, @Nullable Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            violations.add(new Violation(field, "must be a positive duration"));
        }
    }

    /** "must not be negative" when below zero. */
    public void requireNotNegative(String field, long value) {
        if (value < 0) {
            add(field, "must not be negative");
        }
    }

    /** Records {@code message} on {@code field} when {@code condition} is false. */
    public void check(boolean condition, String field, String message) {
        if (!condition) {
            add(field, message);
        }
    }

    /** Whether nothing was found so far. */
    public boolean isEmpty() {
        return found.isEmpty();
    }

    /** What was found so far, in order. */
    public List<Violation> list() {
        return List.copyOf(found);
    }

    /** Throws a {@link ValidationException} naming everything found, if anything was. */
    public void throwIfAny() {
        if (!found.isEmpty()) {
            throw new ValidationException(found);
        }
    }
}
