package dev.postpurchase.systemeio.internal;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What the API answered: the status, the headers that matter (first value per name, names case-insensitive) and
 * the body as text (bounded by the transport).
 */
public record ApiResponse(int status, Map<String, String> headers, String body) {
    public ApiResponse {
        Objects.requireNonNull(body, "body");
        Map<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> copy.putIfAbsent(k.toLowerCase(Locale.ROOT), v));
        headers = java.util.Collections.unmodifiableMap(copy);
    }

    public @Nullable String header(String name) {
        return headers.get(name);
    }

    public boolean successful() {
        return status >= 200 && status < 300;
    }
}
