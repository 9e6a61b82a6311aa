package dev.postpurchase.core.internal;

import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A second line of defence for the attempt history, which staff read in the admin page: executors already keep
 * secrets out of their errors and results, and this masks what still looks like one (a Standard Webhooks secret, a
 * bearer token, a {@code key=value} pair whose key names a secret, the user part of a URL).
 */
final class ExcerptRedaction {
    static final String MASK = "••••";

    private static final Pattern WEBHOOK_SECRET = Pattern.compile("whsec_[A-Za-z0-9+/=]+");
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]+");
    private static final Pattern NAMED = Pattern.compile(
            "(?i)((?:secret|password|passwd|token|api[_-]?key|apikey|authorization)\"?\\s*[:=]\\s*\"?)[^\\s\"&,;]+");
    private static final Pattern URL_USER_INFO = Pattern.compile("(?i)(https?://)[^/\\s@]+@");
    /** A literal every pattern above needs (case aside): text with none of them has nothing to mask. */
    private static final String[] CUES = {"whsec_", "bearer", "secret", "passw", "token", "api", "authorization", "://"
    };

    private ExcerptRedaction() {}

    static @Nullable String redact(@Nullable String text) {
        if (text == null || !mayHoldSecret(text)) {
            return text;
        }
        String out = WEBHOOK_SECRET.matcher(text).replaceAll("whsec_" + MASK);
        out = BEARER.matcher(out).replaceAll("$1" + MASK);
        out = NAMED.matcher(out).replaceAll("$1" + MASK);
        return URL_USER_INFO.matcher(out).replaceAll("$1" + MASK + "@");
    }

    /** Most answers ("HTTP 200", "delivered") hold none of the cues; four regular expressions cost more than this. */
    private static boolean mayHoldSecret(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        for (String cue : CUES) {
            if (lower.contains(cue)) {
                return true;
            }
        }
        return false;
    }
}
