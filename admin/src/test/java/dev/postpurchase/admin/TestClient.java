package dev.postpurchase.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** A staff member's browser, as far as the JSON API sees it: cookies kept, headers chosen per call. */
final class TestClient {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient http;
    private final String base;
    private final @Nullable String user;

    @Nullable
    String csrfToken;

    TestClient(String base, @Nullable String user) {
        this.base = base;
        this.user = user;
        this.http = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** Signs in: reads the session, keeping its CSRF cookie and token. */
    TestClient login() {
        Reply r = get("api/session");
        if (r.status() != 200) {
            throw new AssertionError("session refused: " + r);
        }
        csrfToken = r.json().path("csrfToken").asText();
        return this;
    }

    Reply get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    Reply post(String path, String json) {
        return send("POST", path, json, csrfToken);
    }

    Reply put(String path, String json) {
        return send("PUT", path, json, csrfToken);
    }

    Reply send(String method, String path, String json, @Nullable String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("X-CSRF-Token", token);
        }
        return send(b);
    }

    /** A call with a cookie of the caller's choosing and no CSRF header. */
    Reply sendWithCookie(String method, String path, String json, String cookie) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .method(method, HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json")
                .header("Cookie", cookie));
    }

    private Reply send(HttpRequest.Builder b) {
        if (user != null) {
            b.header("X-Test-User", user);
        }
        try {
            HttpResponse<String> r =
                    http.send(b.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body(), r);
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    record Reply(int status, String body, HttpResponse<String> response) {
        JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
