package dev.postpurchase.examples.standins;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;

/** A loopback HTTP server hosting several stand-ins, each under its own path prefix. */
public final class StandInServer implements AutoCloseable {
    /** A request as a stand-in sees it. */
    public record Request(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public @Nullable String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    /** What a stand-in answers. */
    public record Response(int status, String contentType, String body, Map<String, String> headers) {
        public static Response json(int status, String body) {
            return new Response(status, "application/json", body, Map.of());
        }

        public static Response text(int status, String body) {
            return new Response(status, "text/plain; charset=utf-8", body, Map.of());
        }

        public static Response empty(int status) {
            return new Response(status, "text/plain", "", Map.of());
        }
    }

    /** One stand-in: answers the requests under its prefix. */
    @FunctionalInterface
    public interface Handler {
        Response handle(Request request) throws Exception;
    }

    private final HttpServer server;
    private final Map<String, Handler> handlers = new LinkedHashMap<>();

    public StandInServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "stand-in");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::dispatch);
        server.start();
    }

    /** Serves {@code handler} under {@code prefix} (for example {@code /kajabi}); returns its base URL. */
    public synchronized String mount(String prefix, Handler handler) {
        handlers.put(prefix, handler);
        return baseUrl() + prefix;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Handler handler = null;
            String prefix = "";
            synchronized (this) {
                for (Map.Entry<String, Handler> e : handlers.entrySet()) {
                    if (path.startsWith(e.getKey())
                            && (handler == null || e.getKey().length() > prefix.length())) {
                        handler = e.getValue();
                        prefix = e.getKey();
                    }
                }
            }
            Response response;
            if (handler == null) {
                response = Response.text(404, "no stand-in at " + path);
            } else {
                Request request = new Request(
                        exchange.getRequestMethod(),
                        path.substring(prefix.length()),
                        exchange.getRequestURI().getRawQuery() == null
                                ? ""
                                : exchange.getRequestURI().getRawQuery(),
                        Map.copyOf(exchange.getRequestHeaders()),
                        exchange.getRequestBody().readAllBytes());
                try {
                    response = handler.handle(request);
                } catch (Exception e) {
                    response = Response.text(500, "stand-in failed: " + e);
                }
            }
            byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
