package dev.postpurchase.kajabi;

import dev.postpurchase.core.Secret;
import dev.postpurchase.core.ValidationException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The secret that authenticates Kajabi's outbound webhook calls to a receiving endpoint.
 *
 * <p><b>Why a URL token.</b> Kajabi does not sign its outbound webhooks and sends no secret header; the only thing
 * a receiver controls is the URL it gives Kajabi. So the URL carries an unguessable token: {@code
 * https://shop.example/hooks/kajabi/<token>}. Anyone who knows the URL can post fake purchases, so treat it like a
 * password: {@link #generate()} it (256 random bits), paste it into Kajabi's webhook settings only, keep it out of
 * logs (log the route, not the path; most access logs record paths), and rotate it if it leaks.
 *
 * <p><b>Receiving.</b> Serve the endpoint over HTTPS only. Take the token from the path, call {@link #matches} and,
 * on a mismatch, answer 404 (as if the path did not exist) without parsing the body. The comparison is in constant
 * time: both sides are hashed with SHA-256 and compared with {@link MessageDigest#isEqual}, so neither the content
 * nor the length of the token leaks through timing. Then bound the body size and parse it with {@link
 * KajabiWebhooks}. To rotate, accept the old and the new token ({@link #matchesAny}) until Kajabi uses the new one.
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows the token.
 */
public final class KajabiWebhookToken {
    /** The shortest token accepted: 22 URL-safe characters, about 128 bits when random. */
    public static final int MIN_LENGTH = 22;

    private static final Pattern URL_SAFE = Pattern.compile("^[A-Za-z0-9_\\-.~]+$");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Secret token;
    private final byte[] digest;

    private KajabiWebhookToken(Secret token) {
        this.token = token;
        this.digest = sha256(token.reveal());
    }

    /** A new random token: 32 bytes from {@link SecureRandom}, URL-safe Base64 without padding (43 characters). */
    public static KajabiWebhookToken generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return new KajabiWebhookToken(
                Secret.of(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)));
    }

    /**
     * A configured token.
     *
     * @throws ValidationException on {@code token} when it is shorter than {@link #MIN_LENGTH} or has characters
     *     that are not URL-safe ({@code A-Z a-z 0-9 - _ . ~}); the message never contains the token
     */
    public static KajabiWebhookToken of(Secret token) {
        Objects.requireNonNull(token, "token");
        String value = token.reveal();
        if (value.length() < MIN_LENGTH) {
            throw new ValidationException("token", "must be at least " + MIN_LENGTH + " characters long");
        }
        if (!URL_SAFE.matcher(value).matches()) {
            throw new ValidationException("token", "must contain only URL-safe characters (A-Z a-z 0-9 - _ . ~)");
        }
        return new KajabiWebhookToken(token);
    }

    /** The token, to build the URL given to Kajabi. Never log it. */
    public Secret secret() {
        return token;
    }

    /**
     * Whether the token presented in a request equals this one, in constant time. A null or empty presented token
     * never matches.
     */
    public boolean matches(@Nullable String presented) {
        if (presented == null || presented.isEmpty()) {
            return false;
        }
        return MessageDigest.isEqual(digest, sha256(presented));
    }

    /** Whether the presented token matches any of {@code tokens} (for rotation); every token is compared. */
    public static boolean matchesAny(Iterable<KajabiWebhookToken> tokens, @Nullable String presented) {
        boolean any = false;
        for (KajabiWebhookToken token : tokens) {
            any |= token.matches(presented);
        }
        return any;
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    @Override
    public String toString() {
        return "KajabiWebhookToken[***]";
    }
}
