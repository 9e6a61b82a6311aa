package dev.postpurchase.systemeio.internal;

import dev.postpurchase.core.Secret;
import dev.postpurchase.http.GuardedHttpClient;
import dev.postpurchase.http.HttpRequestSpec;
import dev.postpurchase.http.HttpResult;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * {@link ApiTransport} over the guarded HTTP client: the base URL plus the request's path, the API key in
 * {@code X-API-Key}, {@code Accept: application/json}, and the body with its content type. The key only ever
 * travels in that header; the guarded client never logs header values.
 */
public final class GuardedTransport implements ApiTransport {
    private final GuardedHttpClient http;
    private final String baseUrl;
    private final Secret apiKey;

    /** @param baseUrl scheme, host, optional port and path prefix, without trailing slash */
    public GuardedTransport(GuardedHttpClient http, String baseUrl, Secret apiKey) {
        this.http = Objects.requireNonNull(http, "http");
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
    }

    @Override
    public ApiResponse send(ApiRequest request) {
        HttpRequestSpec.Builder spec = HttpRequestSpec.builder(request.method(), baseUrl + request.pathAndQuery())
                .header("X-API-Key", apiKey.reveal())
                .header("Accept", "application/json");
        String body = request.body();
        String contentType = request.contentType();
        if (body != null && contentType != null) {
            spec.body(body.getBytes(StandardCharsets.UTF_8), contentType);
        }
        HttpResult result = http.execute(spec.build());
        Map<String, String> headers = new HashMap<>();
        result.headers().forEach((name, values) -> {
            if (!values.isEmpty()) {
                headers.put(name, values.get(0));
            }
        });
        return new ApiResponse(result.status(), headers, result.bodyAsString());
    }

    @Override
    public String toString() {
        return "GuardedTransport[apiKey=***]";
    }
}
