package dev.postpurchase.systemeio.internal;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One call to the Systeme.io API, relative to the base URL.
 *
 * @param operation a short human name of the call for messages, for example {@code create contact}
 * @param method the HTTP method
 * @param pathAndQuery the path starting with {@code /api/}, with its already encoded query
 * @param contentType the body's media type, null without body
 * @param body the JSON body, null without body
 */
public record ApiRequest(
        String operation, String method, String pathAndQuery, @Nullable String contentType, @Nullable String body) {
    public static final String JSON = "application/json";
    public static final String MERGE_PATCH_JSON = "application/merge-patch+json";

    public ApiRequest {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(pathAndQuery, "pathAndQuery");
        if ((contentType == null) != (body == null)) {
            throw new IllegalArgumentException("contentType and body go together");
        }
    }

    public static ApiRequest get(String operation, String pathAndQuery) {
        return new ApiRequest(operation, "GET", pathAndQuery, null, null);
    }

    public static ApiRequest delete(String operation, String pathAndQuery) {
        return new ApiRequest(operation, "DELETE", pathAndQuery, null, null);
    }

    public static ApiRequest post(String operation, String pathAndQuery, String json) {
        return new ApiRequest(operation, "POST", pathAndQuery, JSON, json);
    }

    public static ApiRequest patch(String operation, String pathAndQuery, String json) {
        return new ApiRequest(operation, "PATCH", pathAndQuery, MERGE_PATCH_JSON, json);
    }
}
