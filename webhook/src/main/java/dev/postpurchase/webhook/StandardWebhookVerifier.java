package dev.postpurchase.webhook;

import dev.postpurchase.core.Violations;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Verifies Standard Webhooks v1 messages for a receiver. Needs nothing else of the SDK (core only for the exception
 * root), so a merchant's backend can depend on it alone.
 *
 * <pre>{@code
 * StandardWebhookVerifier verifier = StandardWebhookVerifier.builder()
 *         .secret(WebhookSecret.parse(System.getenv("WEBHOOK_SECRET")))
 *         .build();
 * VerifiedWebhook message = verifier.verify(rawBodyBytes, requestHeaders); // throws on any problem
 * }</pre>
 *
 * <p>Pass the <b>raw</b> body exactly as received: a body parsed and re-serialised no longer matches. Header names
 * are matched case-insensitively; a header given as a list uses its first value. The signature header may carry
 * several space-separated signatures (secret rotation); the message is accepted when any {@code v1} signature matches
 * any of the verifier's secrets, compared in constant time. Other versions ({@code v1a}) and malformed entries are
 * ignored. The timestamp must lie within the tolerance (default 5 minutes) of the clock, both ways.
 *
 * <p><b>Signed GET requests</b> (the fulfillment webhook's GET method) carry the same three headers, signed over
 * {@code id.timestamp.} followed by the {@link CanonicalQuery canonical query string}; check them with
 * {@link #verifyQuery(String, Map)} given the raw query string, or {@link #verifyQueryParameters(Map, Map)} given the
 * decoded parameters of a framework:
 *
 * <pre>{@code
 * VerifiedWebhook message = verifier.verifyQuery(request.getQueryString(), requestHeaders);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class StandardWebhookVerifier {
    /** The default tolerance, as in the reference libraries. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private final List<WebhookSecret> secrets;
    private final Duration tolerance;
    private final Clock clock;

    private StandardWebhookVerifier(Builder b) {
        this.secrets = List.copyOf(b.secrets);
        this.tolerance = b.tolerance;
        this.clock = b.clock;
    }

    /** A builder; at least one secret is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A verifier with the default tolerance and the system clock. */
    public static StandardWebhookVerifier of(WebhookSecret secret, WebhookSecret... more) {
        Builder b = builder().secret(secret);
        for (WebhookSecret s : more) {
            b.secret(s);
        }
        return b.build();
    }

    /**
     * Verifies a message.
     *
     * @param body the raw body bytes as received
     * @param headers the request headers; values may be {@code String}, a {@code Collection} (first element used)
     *     or a {@code String[]}
     * @return the verified message id and timestamp
     * @throws MissingHeaderException if {@code webhook-id}, {@code webhook-timestamp} or {@code webhook-signature}
     *     is absent
     * @throws InvalidTimestampException if the timestamp is not a number or outside the tolerance
     * @throws SignatureMismatchException if no signature matches
     */
    public VerifiedWebhook verify(byte[] body, Map<String, ?> headers) {
        String id = header(headers, StandardWebhookSigner.ID_HEADER);
        String timestamp = header(headers, StandardWebhookSigner.TIMESTAMP_HEADER);
        String signature = header(headers, StandardWebhookSigner.SIGNATURE_HEADER);
        return verify(body, id, timestamp, signature);
    }

    /** As {@link #verify(byte[], Map)} for a body received as text; it is encoded as UTF-8. */
    public VerifiedWebhook verify(String body, Map<String, ?> headers) {
        return verify(body.getBytes(StandardCharsets.UTF_8), headers);
    }

    /**
     * Verifies a signed GET request from its raw query string, as received: it is brought into the
     * {@link CanonicalQuery canonical form} (pairs sorted, RFC 3986 encoding) and verified as the body would be, so a
     * proxy that re-encoded or reordered the parameters does not break the signature, while any change of a name or
     * value does.
     *
     * @param rawQuery the query string without {@code ?}, for example from {@code HttpServletRequest#getQueryString()};
     *     null or empty for none
     * @throws WebhookVerificationException if the query is not well-formed percent-encoded UTF-8
     * @throws MissingHeaderException if a signature header is absent
     * @throws InvalidTimestampException if the timestamp is not a number or outside the tolerance
     * @throws SignatureMismatchException if no signature matches
     */
    public VerifiedWebhook verifyQuery(@Nullable String rawQuery, Map<String, ?> headers) {
        String canonical;
        try {
            canonical = CanonicalQuery.canonicalize(rawQuery);
        } catch (IllegalArgumentException e) {
            throw new WebhookVerificationException("the query string is not well-formed: " + e.getMessage());
        }
        return verify(canonical.getBytes(StandardCharsets.UTF_8), headers);
    }

    /**
     * Verifies a signed GET request from its decoded query parameters, as web frameworks hand them over (each value a
     * {@code String}, a {@code Collection} or a {@code String[]}; every value counts). Only pass the parameters of
     * the query string, not form fields of a body.
     *
     * @throws MissingHeaderException if a signature header is absent
     * @throws InvalidTimestampException if the timestamp is not a number or outside the tolerance
     * @throws SignatureMismatchException if no signature matches
     */
    public VerifiedWebhook verifyQueryParameters(Map<String, ?> parameters, Map<String, ?> headers) {
        return verify(CanonicalQuery.ofParameters(parameters).getBytes(StandardCharsets.UTF_8), headers);
    }

    /**
     * Verifies a message from its three header values.
     *
     * @throws MissingHeaderException if a value is null or blank
     * @throws InvalidTimestampException if the timestamp is not a number or outside the tolerance
     * @throws SignatureMismatchException if no signature matches
     */
    public VerifiedWebhook verify(
            byte[] body, @Nullable String msgId, @Nullable String timestamp, @Nullable String signatureHeader) {
        String id = require(StandardWebhookSigner.ID_HEADER, msgId);
        String ts = require(StandardWebhookSigner.TIMESTAMP_HEADER, timestamp);
        String signatures = require(StandardWebhookSigner.SIGNATURE_HEADER, signatureHeader);
        Instant sentAt = checkTimestamp(ts);
        byte[] content = StandardWebhookSigner.signedContent(id, ts, body);
        List<byte[]> expected = new ArrayList<>(secrets.size());
        for (WebhookSecret secret : secrets) {
            expected.add(StandardWebhookSigner.hmac(secret.keyBytes(), content));
        }
        boolean matched = false;
        for (String entry : signatures.strip().split(" +")) {
            int comma = entry.indexOf(',');
            if (comma < 0 || !entry.substring(0, comma).equals("v1")) {
                continue;
            }
            byte[] given;
            try {
                given = Base64.getDecoder().decode(entry.substring(comma + 1));
            } catch (IllegalArgumentException e) {
                continue;
            }
            for (byte[] candidate : expected) {
                matched |= MessageDigest.isEqual(candidate, given);
            }
        }
        if (!matched) {
            throw new SignatureMismatchException(
                    "no v1 signature matches the body: pass the raw body as received and the right secret");
        }
        return new VerifiedWebhook(id, sentAt);
    }

    @Override
    public String toString() {
        return "StandardWebhookVerifier[" + secrets.size() + " secret(s), tolerance=" + tolerance + "]";
    }

    private Instant checkTimestamp(String ts) {
        if (ts.isEmpty() || ts.length() > 18 || !ts.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new InvalidTimestampException(
                    InvalidTimestampException.Problem.NOT_A_NUMBER, "webhook-timestamp is not a number of seconds");
        }
        Instant sentAt;
        try {
            sentAt = Instant.ofEpochSecond(Long.parseLong(ts));
        } catch (java.time.DateTimeException e) { // beyond the year one billion
            throw new InvalidTimestampException(
                    InvalidTimestampException.Problem.TOO_NEW,
                    "webhook-timestamp is too new: more than " + tolerance.toSeconds() + " s in the future");
        }
        Instant now = clock.instant();
        if (sentAt.isBefore(now.minus(tolerance))) {
            throw new InvalidTimestampException(
                    InvalidTimestampException.Problem.TOO_OLD,
                    "webhook-timestamp is too old: more than " + tolerance.toSeconds() + " s in the past");
        }
        if (sentAt.isAfter(now.plus(tolerance))) {
            throw new InvalidTimestampException(
                    InvalidTimestampException.Problem.TOO_NEW,
                    "webhook-timestamp is too new: more than " + tolerance.toSeconds() + " s in the future");
        }
        return sentAt;
    }

    private static String require(String name, @Nullable String value) {
        if (value == null || value.isBlank()) {
            throw new MissingHeaderException(name);
        }
        return value;
    }

    private static @Nullable String header(Map<String, ?> headers, String name) {
        for (Map.Entry<String, ?> e : headers.entrySet()) {
            if (e.getKey() != null && e.getKey().equalsIgnoreCase(name)) {
                Object value = e.getValue();
                if (value instanceof String s) {
                    return s;
                }
                if (value instanceof Collection<?> c && !c.isEmpty()) {
                    Object first = c.iterator().next();
                    return first == null ? null : first.toString();
                }
                if (value instanceof String[] a && a.length > 0) {
                    return a[0];
                }
                return null;
            }
        }
        return null;
    }

    /** Mutable, not thread-safe builder. */
    public static final class Builder {
        private final List<WebhookSecret> secrets = new ArrayList<>();
        private Duration tolerance = DEFAULT_TOLERANCE;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** Adds a secret; during rotation add both the new and the old one. */
        public Builder secret(WebhookSecret secret) {
            secrets.add(Objects.requireNonNull(secret, "secret"));
            return this;
        }

        /** How far the timestamp may be from the clock, either way; default 5 minutes. */
        public Builder tolerance(Duration tolerance) {
            this.tolerance = Objects.requireNonNull(tolerance, "tolerance");
            return this;
        }

        /** The clock the timestamp is compared with; default the UTC system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds.
         *
         * @throws dev.postpurchase.core.ValidationException naming every bad argument: no secret, a negative
         *     tolerance
         */
        public StandardWebhookVerifier build() {
            Violations v = new Violations();
            v.check(!secrets.isEmpty(), "secret", "at least one is required");
            v.check(!tolerance.isNegative(), "tolerance", "must not be negative");
            v.throwIfAny();
            return new StandardWebhookVerifier(this);
        }
    }
}
