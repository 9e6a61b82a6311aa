package dev.postpurchase.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A secret value (API key, signing secret, secret URL). {@link #toString()} never reveals it; only {@link #reveal()}
 * does, and callers must never log what it returns. Serialises to JSON as the plain value, so configs that hold
 * secrets must themselves never be logged.
 */
public final class Secret {
    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    /** Wraps a secret value. */
    @JsonCreator
    public static Secret of(String value) {
        return new Secret(value);
    }

    /** The secret itself. Never log it. */
    @JsonValue
    public String reveal() {
        return value;
    }

    public boolean isBlank() {
        return value.isBlank();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other
                && MessageDigest.isEqual(
                        value.getBytes(StandardCharsets.UTF_8), other.value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "Secret[***]";
    }
}
