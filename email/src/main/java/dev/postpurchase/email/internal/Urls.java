package dev.postpurchase.email.internal;

import dev.postpurchase.core.order.Formats;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Checks for URLs that end up in emails (links and images). The SDK never fetches them: the recipient's mail client
 * does, so the question is only whether they are safe to put in an {@code href} or {@code src}.
 */
public final class Urls {
    private Urls() {}

    /**
     * The URL, stripped, when it is an absolute {@code https} URL (or {@code http} when allowed) with a host and no
     * user info, or a {@code mailto:} with a valid address; otherwise null. Whitespace or control characters inside
     * the URL (a classic way to smuggle {@code java\tscript:}) make it unsafe.
     */
    public static @Nullable String safeLink(@Nullable String raw, boolean allowHttp, boolean allowMailto) {
        if (raw == null) {
            return null;
        }
        String url = raw.strip();
        if (url.isEmpty() || url.length() > 2000) {
            return null;
        }
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (Character.isISOControl(c) || Character.isWhitespace(c) || c == '\u2028' || c == '\u2029') {
                return null;
            }
        }
        int colon = url.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        String scheme = url.substring(0, colon).toLowerCase(Locale.ROOT);
        if (scheme.equals("mailto")) {
            if (!allowMailto) {
                return null;
            }
            String rest = url.substring(colon + 1);
            int query = rest.indexOf('?');
            String address = query < 0 ? rest : rest.substring(0, query);
            return Formats.isEmail(address) ? url : null;
        }
        if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
            return null;
        }
        try {
            URI uri = new URI(url);
            if (uri.getHost() == null || uri.getRawUserInfo() != null || !uri.isAbsolute()) {
                return null;
            }
        } catch (URISyntaxException e) {
            return null;
        }
        return url;
    }

    /** An absolute https URL with a host, for images. */
    public static @Nullable String safeImage(@Nullable String raw) {
        return safeLink(raw, false, false);
    }
}
