package dev.postpurchase.systemeio.internal;

import dev.postpurchase.core.ValidationException;
import dev.postpurchase.http.GuardedHttpClient;
import dev.postpurchase.http.HttpCallException;
import okhttp3.HttpUrl;
import org.jspecify.annotations.Nullable;

/** Checks and normalises the API base URL against the guarded client's URL policy. */
public final class BaseUrls {
    private BaseUrls() {}

    /**
     * The base URL without trailing slash.
     *
     * @throws ValidationException on {@code baseUrl} when it is missing, breaks the client's policy (https unless
     *     allowed, no blocked IP literal, no user info), or has a query or fragment
     */
    public static String normalise(@Nullable String baseUrl, GuardedHttpClient http) {
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new ValidationException("baseUrl", "is required");
        }
        HttpUrl url;
        try {
            url = http.validateUrl(baseUrl);
        } catch (HttpCallException e) {
            throw new ValidationException("baseUrl", String.valueOf(e.getMessage()));
        }
        if (url.encodedQuery() != null || url.encodedFragment() != null) {
            throw new ValidationException("baseUrl", "must not have a query or fragment");
        }
        String text = url.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return text;
    }
}
