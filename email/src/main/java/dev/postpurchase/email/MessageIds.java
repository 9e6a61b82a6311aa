package dev.postpurchase.email;

import dev.postpurchase.core.ValidationException;
import dev.postpurchase.email.internal.HeaderChecks;
import dev.postpurchase.email.spi.EmailTransport;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Derives Message-IDs from a run's idempotency key, so every send of the same run (retries and re-runs) carries the
 * same Message-ID and a resend is recognisable: {@code forRun("msg_3f2a...", "receipt")} is
 * {@code <msg_3f2a....receipt@postpurchase.invalid>}. The default domain is under the reserved {@code .invalid}
 * TLD; pass the shop's own domain to make the ids look like the shop's. Pure functions, thread-safe.
 */
public final class MessageIds {
    /** The right-hand side used when none is configured. */
    public static final String DEFAULT_DOMAIN = "postpurchase.invalid";

    private static final Pattern SAFE_KEY = Pattern.compile("^[A-Za-z0-9_-]{1,120}$");
    private static final Pattern PURPOSE = Pattern.compile("^[a-z0-9-]{1,40}$");

    private MessageIds() {}

    /** The Message-ID of a run's email of {@code purpose} under {@link #DEFAULT_DOMAIN}. */
    public static String forRun(String idempotencyKey, String purpose) {
        return forRun(idempotencyKey, purpose, DEFAULT_DOMAIN);
    }

    /**
     * The Message-ID of a run's email of {@code purpose} under {@code domain}. A key with characters outside
     * {@code [A-Za-z0-9_-]} (or longer than 120) is replaced by a hash of it, still stable.
     *
     * @throws ValidationException when {@code purpose} is not lower-case letters, digits and hyphens or {@code
     *     domain} is not a DNS name of at least two labels
     */
    public static String forRun(String idempotencyKey, String purpose, String domain) {
        if (idempotencyKey == null || idempotencyKey.isEmpty()) {
            throw new ValidationException("idempotencyKey", "is required");
        }
        if (purpose == null || !PURPOSE.matcher(purpose).matches()) {
            throw new ValidationException("purpose", "must be 1 to 40 lower-case letters, digits or hyphens");
        }
        checkDomain("domain", domain);
        String local = SAFE_KEY.matcher(idempotencyKey).matches() ? idempotencyKey : "h" + sha256(idempotencyKey);
        return "<" + local + "." + purpose + "@" + domain + ">";
    }

    /**
     * The Message-ID domain a sender's builder uses: {@code configured} when set, else the transport's {@link
     * EmailTransport#messageIdDomain()}, else {@link #DEFAULT_DOMAIN}. Checked by the builder, not here.
     */
    static String domainFor(@Nullable String configured, @Nullable EmailTransport transport) {
        if (configured != null) {
            return configured;
        }
        String fromTransport = transport == null ? null : transport.messageIdDomain();
        return fromTransport != null ? fromTransport : DEFAULT_DOMAIN;
    }

    /** Throws {@link ValidationException} on {@code field} unless {@code domain} is usable in a Message-ID. */
    static void checkDomain(String field, String domain) {
        if (!HeaderChecks.isDomain(domain)) {
            throw new ValidationException(field, "must be a DNS name such as shop.example.com");
        }
    }

    private static String sha256(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }
}
