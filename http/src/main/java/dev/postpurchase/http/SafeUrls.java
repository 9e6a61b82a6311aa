package dev.postpurchase.http;

import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import org.jspecify.annotations.Nullable;

/**
 * Turns a URL into a form that is safe to log, put in an exception message, or record as a run's last error.
 *
 * <p>Merchant-configured URLs often carry secrets (Kajabi activation tokens in the path, API keys in the query). The
 * redacted form keeps the scheme, host and a non-default port; drops user info and fragment; replaces the whole query
 * with {@code ?***}; and replaces every path segment that does not look like a plain lower-case word (letters,
 * {@code -} and {@code _}, at most 20 characters) with {@code ***}. An unparseable input gives
 * {@code <invalid url>} and is never echoed.
 *
 * <p>Example: {@code https://user:pw@app.example.com/webhooks/offers/9f3Kd81?key=abc} becomes
 * {@code https://app.example.com/webhooks/offers/***?***}.
 */
public final class SafeUrls {
    /** What {@link #redact(String)} returns for input that is not an http(s) URL. */
    public static final String INVALID = "<invalid url>";

    private static final Pattern PLAIN_WORD = Pattern.compile("[a-z][a-z_-]{0,19}");

    private SafeUrls() {}

    /** The redacted form of {@code url}; never throws, never returns the secret parts. */
    public static String redact(@Nullable String url) {
        if (url == null || url.isEmpty()) {
            return INVALID;
        }
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return INVALID;
            }
        }
        HttpUrl parsed = HttpUrl.parse(url);
        if (parsed == null) {
            return INVALID;
        }
        return redact(parsed);
    }

    /** The redacted form of an already parsed URL. */
    public static String redact(HttpUrl url) {
        StringBuilder out = new StringBuilder(64);
        out.append(url.scheme()).append("://");
        String host = url.host();
        out.append(host.indexOf(':') >= 0 ? "[" + host + "]" : host);
        if (url.port() != HttpUrl.defaultPort(url.scheme())) {
            out.append(':').append(url.port());
        }
        for (String segment : url.pathSegments()) {
            out.append('/');
            if (segment.isEmpty() || PLAIN_WORD.matcher(segment).matches()) {
                out.append(segment);
            } else {
                out.append("***");
            }
        }
        if (url.encodedQuery() != null) {
            out.append("?***");
        }
        return out.toString();
    }
}
