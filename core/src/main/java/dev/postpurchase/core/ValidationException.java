package dev.postpurchase.core;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Input was rejected. Carries every violation found, not only the first, each naming its field. Nothing was stored
 * when this is thrown.
 */
public class ValidationException extends PostpurchaseException {
    private final List<Violation> violations;

    public ValidationException(List<Violation> violations) {
        super(describe(violations));
        this.violations = List.copyOf(violations);
    }

    public ValidationException(String field, String message) {
        this(List.of(new Violation(field, message)));
    }

    /** Every violation found, in the order they were detected; never empty. */
    public List<Violation> violations() {
        return violations;
    }

    /** The field paths of every violation. */
    public List<String> fields() {
        return violations.stream().map(Violation::field).toList();
    }

    private static String describe(List<Violation> violations) {
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("a ValidationException needs at least one violation");
        }
        return "invalid input: " + violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
    }
}
