package dev.postpurchase.http;

import java.util.Objects;
import okhttp3.HttpUrl;

/**
 * A URL one {@link GuardedHttpClient} has already checked against its static policy ({@link
 * GuardedHttpClient#checkUrl(String)}): parsed once, when a config is resolved, so a request built from it ({@link
 * HttpRequestSpec#builder(String, CheckedUrl)}) is not parsed and checked again by that client. The address it
 * resolves to is still checked when the client connects (DNS and socket guards). Immutable and thread-safe; {@link
 * #toString()} is redacted.
 */
public final class CheckedUrl {
    private final HttpUrl url;
    private final GuardedHttpClient checkedBy;
    private final String redacted;

    CheckedUrl(HttpUrl url, GuardedHttpClient checkedBy) {
        this.url = Objects.requireNonNull(url, "url");
        this.checkedBy = Objects.requireNonNull(checkedBy, "checkedBy");
        this.redacted = SafeUrls.redact(url);
    }

    /** The parsed URL; it may hold secrets, never log it. */
    public HttpUrl url() {
        return url;
    }

    /** A checked copy with the query parameter {@code name=value} added (the policy does not look at queries). */
    public CheckedUrl withQueryParameter(String name, String value) {
        return new CheckedUrl(url.newBuilder().addQueryParameter(name, value).build(), checkedBy);
    }

    /** Whether {@code client} checked it. */
    boolean checkedBy(GuardedHttpClient client) {
        return checkedBy == client;
    }

    /** The URL as {@link SafeUrls#redact(HttpUrl)} gives it, worked out once. */
    String redacted() {
        return redacted;
    }

    @Override
    public String toString() {
        return redacted;
    }
}
