package dev.postpurchase.webhook;

import dev.postpurchase.core.ValidationException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * A Standard Webhooks signing secret: 24 to 64 random bytes, shown to merchants as {@code whsec_} followed by their
 * standard base64. The HMAC key is the decoded bytes, not the string. Immutable and thread-safe.
 *
 * <p>{@link #toString()} never reveals the secret; only {@link #encoded()} and {@link #keyBytes()} do, and what they
 * return must never be logged.
 */
public final class WebhookSecret {
    /** The prefix of the encoded form. */
    public static final String PREFIX = "whsec_";

    /** How many random bytes {@link #generate()} draws. */
    public static final int GENERATED_BYTES = 32;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;

    private WebhookSecret(byte[] key) {
        this.key = key.clone();
    }

    /** A new secret of 32 bytes from a shared {@link SecureRandom}. */
    public static WebhookSecret generate() {
        return generate(RANDOM);
    }

    /** A new secret of 32 bytes from {@code random}. */
    public static WebhookSecret generate(SecureRandom random) {
        byte[] bytes = new byte[GENERATED_BYTES];
        random.nextBytes(bytes);
        return new WebhookSecret(bytes);
    }

    /**
     * Reads a secret given with or without the {@code whsec_} prefix.
     *
     * @throws ValidationException on field {@code secret} if it is not standard base64 of 24 to 64 bytes; the
     *     message never repeats the input
     */
    public static WebhookSecret parse(String encoded) {
        return parse(encoded, "secret");
    }

    /** As {@link #parse(String)}, naming {@code field} in the validation error. */
    public static WebhookSecret parse(String encoded, String field) {
        Objects.requireNonNull(encoded, field);
        String text = encoded.strip();
        if (text.startsWith(PREFIX)) {
            text = text.substring(PREFIX.length());
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new ValidationException(field, "must be whsec_ followed by standard base64");
        }
        if (bytes.length < 24 || bytes.length > 64) {
            throw new ValidationException(field, "must decode to 24 to 64 bytes, got " + bytes.length);
        }
        return new WebhookSecret(bytes);
    }

    /** Wraps raw key bytes (24 to 64). */
    public static WebhookSecret ofBytes(byte[] key) {
        if (key.length < 24 || key.length > 64) {
            throw new ValidationException("secret", "must be 24 to 64 bytes, got " + key.length);
        }
        return new WebhookSecret(key);
    }

    /** {@code whsec_} and the base64 of the key: what the merchant copies into the receiver. Never log it. */
    public String encoded() {
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** A copy of the HMAC key. Never log it. */
    public byte[] keyBytes() {
        return key.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WebhookSecret other && MessageDigest.isEqual(key, other.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return "WebhookSecret[whsec_***]";
    }
}
