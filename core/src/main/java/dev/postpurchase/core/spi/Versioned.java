package dev.postpurchase.core.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A stored piece of merchant configuration (an action definition or a subscription) with what optimistic locking
 * needs: the version an edit must name ({@link DefinitionStore#updateDefinition}), and when it was created and last
 * changed. Kept outside the value itself so definitions and subscriptions stay plain values that snapshot into runs.
 *
 * @param value the definition or subscription as stored
 * @param version 1 when created, one more with every update
 * @param createdAt when it was created
 * @param updatedAt when it was last changed; equals {@code createdAt} before the first update
 * @param <T> {@code ActionDefinition} or {@code Subscription}
 */
public record Versioned<T>(T value, long version, Instant createdAt, Instant updatedAt) {
    public Versioned {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1");
        }
    }
}
