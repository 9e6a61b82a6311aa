package dev.postpurchase.http;

import dev.postpurchase.core.Violations;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One request for the {@link GuardedHttpClient}: method, URL, headers and an optional body with its content type.
 * Immutable and thread-safe. Building one already refuses CR, LF and other control characters in the URL
 * ({@link InvalidUrlException}) and in header names and values ({@link InvalidHeaderException}); the client then
 * applies its own URL policy (scheme, blocked addresses).
 *
 * <p>{@link #toString()} shows the redacted URL, the header names and the body size, never header values or the body.
 */
public final class HttpRequestSpec {
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");

    private final String method;
    private final String url;
    private final @Nullable CheckedUrl checkedUrl;
    private final Map<String, String> headers;
    private final byte @Nullable [] body;
    private final @Nullable String contentType;
    private final @Nullable Duration callTimeout;
    private final @Nullable Long maxResponseBytes;

    private HttpRequestSpec(Builder b) {
        this.method = b.method;
        this.url = b.url;
        this.checkedUrl = b.checkedUrl;
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
        this.body = b.body == null ? null : b.body.clone();
        this.contentType = b.contentType;
        this.callTimeout = b.callTimeout;
        this.maxResponseBytes = b.maxResponseBytes;
    }

    /** A builder for a request with {@code method} (GET, HEAD, POST, PUT, PATCH or DELETE) to {@code url}. */
    public static Builder builder(String method, String url) {
        return new Builder(method, url);
    }

    /**
     * A builder for a request to a URL its client has already checked ({@link GuardedHttpClient#checkUrl}); that
     * client does not parse or check it again before connecting.
     */
    public static Builder builder(String method, CheckedUrl url) {
        Builder builder = new Builder(method, url.url().toString());
        builder.checkedUrl = url;
        return builder;
    }

    /** A GET without extra headers. */
    public static HttpRequestSpec get(String url) {
        return builder("GET", url).build();
    }

    /** A POST of {@code body} with the given content type and no extra headers. */
    public static HttpRequestSpec post(String url, byte[] body, String contentType) {
        return builder("POST", url).body(body, contentType).build();
    }

    /** The upper-case method. */
    public String method() {
        return method;
    }

    /** The URL as given. It may contain secrets: never log it, use {@link SafeUrls#redact(String)}. */
    public String url() {
        return url;
    }

    /** The checked URL the request was built from, or null when it was built from a string. */
    public @Nullable CheckedUrl checkedUrl() {
        return checkedUrl;
    }

    /** The extra headers in insertion order; values may be secret. */
    public Map<String, String> headers() {
        return headers;
    }

    /** A copy of the body, or null for none. */
    public byte @Nullable [] body() {
        return body == null ? null : body.clone();
    }

    /** The body's content type, or null. */
    public @Nullable String contentType() {
        return contentType;
    }

    /**
     * The timeout for this whole exchange (DNS to the end of the body) replacing the client's call timeout, or null
     * to use the client's. The client's connect and read timeouts still apply.
     */
    public @Nullable Duration callTimeout() {
        return callTimeout;
    }

    /** The most body bytes to read for this request, replacing the client's limit, or null to use the client's. */
    public @Nullable Long maxResponseBytes() {
        return maxResponseBytes;
    }

    @Override
    public String toString() {
        return "HttpRequestSpec[" + method + " " + SafeUrls.redact(url) + ", headers=" + headers.keySet() + ", body="
                + (body == null ? "none" : body.length + " bytes") + "]";
    }

    /** Mutable, not thread-safe builder; {@link #build()} validates. */
    public static final class Builder {
        private final String method;
        private final String url;
        private @Nullable CheckedUrl checkedUrl;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private byte @Nullable [] body;
        private @Nullable String contentType;
        private @Nullable Duration callTimeout;
        private @Nullable Long maxResponseBytes;

        private Builder(String method, String url) {
            this.method = Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT);
            this.url = Objects.requireNonNull(url, "url");
        }

        /** Sets header {@code name} to {@code value}, replacing an earlier value of the same name. */
        public Builder header(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            headers.keySet().removeIf(existing -> existing.equalsIgnoreCase(name));
            headers.put(name, value);
            return this;
        }

        /** Sets the body and its content type (for example {@code application/json}). */
        public Builder body(byte[] body, String contentType) {
            this.body = Objects.requireNonNull(body, "body").clone();
            this.contentType = Objects.requireNonNull(contentType, "contentType");
            return this;
        }

        /**
         * Bounds this exchange, DNS to the end of the body, by {@code timeout} instead of the client's call timeout
         * (longer or shorter). The client's connect and read timeouts still apply, so a read timeout shorter than
         * this still ends a call whose peer stays silent that long.
         */
        public Builder callTimeout(Duration timeout) {
            this.callTimeout = Objects.requireNonNull(timeout, "callTimeout");
            return this;
        }

        /**
         * Reads at most {@code maxBytes} of this response's body instead of the client's limit (more or less); the
         * result says whether the peer sent more, and a client that rejects oversized responses throws.
         */
        public Builder maxResponseBytes(long maxBytes) {
            this.maxResponseBytes = maxBytes;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws InvalidUrlException if the URL is blank or contains whitespace or control characters
         * @throws InvalidHeaderException if a header name is not an HTTP token or a value (or the content type)
         *     contains CR, LF, another control character or a non-ASCII character
         * @throws dev.postpurchase.core.ValidationException naming every bad argument: an unsupported method, a call
         *     timeout that is not positive, a body limit not between 1 and 256 MiB
         */
        public HttpRequestSpec build() {
            Violations v = new Violations();
            v.check(METHODS.contains(method), "method", "unsupported HTTP method " + method);
            if (callTimeout != null) {
                v.requirePositive("callTimeout", callTimeout);
            }
            v.check(
                    maxResponseBytes == null || (maxResponseBytes >= 1 && maxResponseBytes <= 256L * 1024 * 1024),
                    "maxResponseBytes",
                    "must be between 1 and 268435456");
            v.throwIfAny();
            String urlProblem = url.isBlank()
                    ? "url: must not be blank"
                    : hasControlOrSpace(url) ? "url: contains CR, LF, whitespace or another control character" : null;
            String headerProblem = null;
            for (Map.Entry<String, String> h : headers.entrySet()) {
                headerProblem = headerProblem(h.getKey(), h.getValue());
                if (headerProblem != null) {
                    break;
                }
            }
            if (headerProblem == null && contentType != null) {
                headerProblem = headerProblem("Content-Type", contentType);
            }
            if (urlProblem == null && headerProblem == null) {
                return new HttpRequestSpec(this);
            }
            // redacting parses the URL, so it is done only for the message (a checked URL carries its redacted form)
            String safe = checkedUrl != null ? checkedUrl.redacted() : SafeUrls.redact(url);
            if (urlProblem != null) {
                throw new InvalidUrlException(safe, urlProblem);
            }
            throw new InvalidHeaderException(safe, Objects.requireNonNull(headerProblem));
        }

        private static boolean hasControlOrSpace(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c <= 0x20 || c == 0x7f || Character.isWhitespace(c) || Character.isISOControl(c)) {
                    return true;
                }
            }
            return false;
        }

        /** What is wrong with the header, or null when it may be sent. */
        private static @Nullable String headerProblem(String name, String value) {
            if (name.isEmpty() || !isToken(name)) {
                return "header name is not a valid HTTP token: " + printableName(name);
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '\r' || c == '\n') {
                    return "header " + name + ": value contains CR or LF";
                }
                if ((c < 0x20 && c != '\t') || c >= 0x7f) {
                    return "header " + name + ": value contains a control or non-ASCII character";
                }
            }
            return null;
        }

        private static boolean isToken(String name) {
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z')
                        || (c >= 'A' && c <= 'Z')
                        || (c >= '0' && c <= '9')
                        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
                if (!ok) {
                    return false;
                }
            }
            return true;
        }

        private static String printableName(String name) {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < name.length() && i < 64; i++) {
                char c = name.charAt(i);
                out.append(c < 0x20 || c >= 0x7f ? '?' : c);
            }
            return out.toString();
        }
    }
}
