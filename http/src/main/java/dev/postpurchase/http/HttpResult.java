package dev.postpurchase.http;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The answer to one request, whatever its status: the client never follows redirects, so a 3xx arrives here too.
 * The body holds at most the client's limit; {@link #bodyTruncated()} says whether the peer sent more (the rest was
 * never read). Immutable and thread-safe. {@link #toString()} omits headers and body.
 */
public final class HttpResult {
    private final int status;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final boolean bodyTruncated;
    private final Duration elapsed;

    /**
     * @param status the HTTP status code
     * @param headers response headers; looked up case-insensitively
     * @param body the body bytes read (at most the limit)
     * @param bodyTruncated whether the peer sent more than {@code body}
     * @param elapsed time from sending the request to the end of reading the body
     */
    public HttpResult(
            int status, Map<String, List<String>> headers, byte[] body, boolean bodyTruncated, Duration elapsed) {
        this.status = status;
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) ->
                copy.computeIfAbsent(name, n -> new ArrayList<>()).addAll(values));
        copy.replaceAll((name, values) -> List.copyOf(values));
        this.headers = Collections.unmodifiableMap(copy);
        this.body = body.clone();
        this.bodyTruncated = bodyTruncated;
        this.elapsed = Objects.requireNonNull(elapsed, "elapsed");
    }

    /** The HTTP status code. */
    public int status() {
        return status;
    }

    /** Whether the status is 2xx. */
    public boolean isSuccessful() {
        return status >= 200 && status < 300;
    }

    /** All response headers, with case-insensitive keys. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The first value of header {@code name} (case-insensitive), or null. */
    public @Nullable String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** A copy of the body bytes that were read (at most the client's limit). */
    public byte[] body() {
        return body.clone();
    }

    /** How many body bytes were read. */
    public int bodyLength() {
        return body.length;
    }

    /** The body read, decoded as UTF-8 (malformed input replaced). */
    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * At most {@code maxChars} characters of the body, decoded as UTF-8, with CR, LF and other control characters
     * replaced by spaces so the text fits in one log line or run reason.
     */
    public String bodyPrefix(int maxChars) {
        int bytes = (int) Math.min(body.length, (long) maxChars * 4);
        String text = new String(body, 0, bytes, StandardCharsets.UTF_8);
        if (text.length() > maxChars) {
            text = text.substring(0, maxChars);
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? ' ' : c);
        }
        return out.toString().strip();
    }

    /** Whether the peer sent more body than the client's limit. */
    public boolean bodyTruncated() {
        return bodyTruncated;
    }

    /** How long the exchange took, body reading included. */
    public Duration elapsed() {
        return elapsed;
    }

    @Override
    public String toString() {
        return "HttpResult[status=" + status + ", body=" + body.length + " bytes"
                + (bodyTruncated ? " (truncated)" : "") + ", elapsed=" + elapsed.toMillis() + "ms]";
    }
}
