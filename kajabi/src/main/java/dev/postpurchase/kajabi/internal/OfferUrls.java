package dev.postpurchase.kajabi.internal;

import dev.postpurchase.core.Secret;
import dev.postpurchase.core.Violation;
import dev.postpurchase.http.SafeUrls;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import org.jspecify.annotations.Nullable;

/**
 * The rules for a Kajabi offer activation or deactivation URL. Violation messages never contain the URL: it is the
 * offer's only credential.
 */
public final class OfferUrls {
    /** The hosts Kajabi serves offer webhooks from. */
    public static final Set<String> KAJABI_HOSTS = Set.of("checkout.kajabi.com", "checkout.newkajabi.com");

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-]+");

    private OfferUrls() {}

    /**
     * The violations of {@code url} as the {@code action} ({@code activate} or {@code deactivate}) URL of an offer:
     * https on a Kajabi checkout host without port, user info, query or fragment, path {@code
     * /webhooks/offers/<segment>/.../<action>}. A URL on {@code developmentBase} (same scheme, host and port) is
     * exempt from the scheme, host and port rules.
     */
    public static List<Violation> check(
            String field, @Nullable Secret url, String action, @Nullable HttpUrl developmentBase) {
        if (url == null || url.isBlank()) {
            return List.of(new Violation(field, "is required: copy it from the offer's webhook settings in Kajabi"));
        }
        String value = url.reveal();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= 0x20 || c == 0x7f || Character.isWhitespace(c) || Character.isISOControl(c)) {
                return List.of(new Violation(field, "must not contain whitespace or control characters"));
            }
        }
        HttpUrl parsed = HttpUrl.parse(value);
        if (parsed == null) {
            return List.of(new Violation(
                    field, "must be a URL such as https://checkout.kajabi.com/webhooks/offers/…/" + action));
        }
        List<Violation> v = new java.util.ArrayList<>();
        boolean development = developmentBase != null
                && parsed.scheme().equals(developmentBase.scheme())
                && parsed.host().equals(developmentBase.host())
                && parsed.port() == developmentBase.port();
        if (!development) {
            if (!parsed.isHttps()) {
                v.add(new Violation(field, "must use https"));
            }
            if (!KAJABI_HOSTS.contains(parsed.host().toLowerCase(Locale.ROOT))) {
                v.add(new Violation(
                        field, "must be on " + String.join(" or ", sortedHosts()) + ", Kajabi's checkout hosts"));
            }
            if (parsed.port() != HttpUrl.defaultPort(parsed.scheme())) {
                v.add(new Violation(field, "must not name a port"));
            }
        }
        if (!parsed.username().isEmpty() || !parsed.password().isEmpty()) {
            v.add(new Violation(field, "must not contain user info"));
        }
        if (parsed.encodedQuery() != null) {
            v.add(new Violation(
                    field,
                    "must not have a query; use the sendOfferGrantEmail setting instead of ?send_offer_grant_email"));
        }
        if (parsed.encodedFragment() != null) {
            v.add(new Violation(field, "must not have a fragment"));
        }
        List<String> segments = parsed.pathSegments();
        int n = segments.size();
        boolean shape = n >= 4 && "webhooks".equals(segments.get(0)) && "offers".equals(segments.get(1));
        for (int i = 2; shape && i < n - 1; i++) {
            shape = SEGMENT.matcher(segments.get(i)).matches();
        }
        String other = "activate".equals(action) ? "deactivate" : "activate";
        if (shape && other.equals(segments.get(n - 1))) {
            v.add(new Violation(field, "is the offer's " + other + " URL; use its " + action + " URL"));
        } else if (!shape || !action.equals(segments.get(n - 1))) {
            v.add(new Violation(
                    field,
                    "must have the shape /webhooks/offers/<token>/<offer id>/" + action
                            + ", as shown in the offer's webhook settings in Kajabi"));
        }
        return v;
    }

    /**
     * The URL with its last path segment {@code from} replaced by {@code to}, query and fragment dropped; null when
     * the URL does not parse or does not end in {@code from}.
     */
    public static @Nullable String replaceAction(String url, String from, String to) {
        HttpUrl parsed = HttpUrl.parse(url);
        if (parsed == null || !from.equals(parsed.pathSegments().get(parsed.pathSize() - 1))) {
            return null;
        }
        return parsed.newBuilder()
                .setPathSegment(parsed.pathSize() - 1, to)
                .query(null)
                .fragment(null)
                .build()
                .toString();
    }

    /** The URL's redacted form for logs and messages. */
    public static String redact(@Nullable Secret url) {
        return url == null ? "null" : SafeUrls.redact(url.reveal());
    }

    private static List<String> sortedHosts() {
        return KAJABI_HOSTS.stream().sorted().toList();
    }
}
