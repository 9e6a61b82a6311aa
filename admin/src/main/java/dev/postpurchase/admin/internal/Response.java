package dev.postpurchase.admin.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** What the handler answers: status, headers (repeatable, in order) and body. */
public record Response(int status, List<Map.Entry<String, String>> headers, byte[] body) {

    public Response {
        headers = List.copyOf(headers);
    }

    static Response of(int status, String contentType, byte[] body) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry("Content-Type", contentType));
        return new Response(status, headers, body);
    }

    static Response text(int status, String text) {
        return of(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    Response with(String name, String value) {
        List<Map.Entry<String, String>> more = new ArrayList<>(headers);
        more.add(Map.entry(name, value));
        return new Response(status, more, body);
    }

    /** The first value of a header, or null. */
    public @Nullable String header(String name) {
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }
}
