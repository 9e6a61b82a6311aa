package dev.postpurchase.core.action;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One field of a run's snapshot that a "use latest template" re-run would change.
 *
 * @param field the field's path in the config, for example {@code url} or {@code customFields[1].value}, or a
 *     snapshot field ({@code name}, {@code level}, {@code targetId}, {@code retryPolicy})
 * @param before the snapshot's value as JSON text, null when the field is new; {@value #MASK} for a secret
 * @param after the template's value as JSON text, null when the field goes away; {@value #MASK} for a secret
 * @param secret whether the values are secrets (masked: only the fact that they change is shown)
 */
public record FieldChange(String field, @Nullable String before, @Nullable String after, boolean secret) {
    /** What a secret's value is shown as. */
    public static final String MASK = "••••••";

    public FieldChange {
        Objects.requireNonNull(field, "field");
    }
}
