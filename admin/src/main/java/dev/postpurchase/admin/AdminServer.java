package dev.postpurchase.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.postpurchase.admin.internal.Bodies;
import dev.postpurchase.admin.internal.Exchange;
import dev.postpurchase.admin.internal.QueryStrings;
import dev.postpurchase.admin.internal.Response;
import dev.postpurchase.core.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves an {@link AdminPage} on its own port with the JDK's HTTP server, for applications without a servlet
 * container. The page is at {@code http://host:port/} (or under {@link #start(AdminPage, InetSocketAddress, String)}'s
 * base path). Plain HTTP: bind it to a loopback or internal address, or put a TLS-terminating proxy in front (and
 * set {@link AdminPage.Builder#secureCookies(boolean)}).
 *
 * <pre>{@code
 * try (AdminServer server = AdminServer.start(page, new InetSocketAddress("127.0.0.1", 8089))) { ... }
 * }</pre>
 */
public final class AdminServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService threads;
    private final String basePath;

    private AdminServer(HttpServer server, ExecutorService threads, String basePath) {
        this.server = server;
        this.threads = threads;
        this.basePath = basePath;
    }

    /** Starts serving {@code page} at the root of {@code address} (port 0: any free port). */
    public static AdminServer start(AdminPage page, InetSocketAddress address) {
        return start(page, address, "");
    }

    /**
     * Starts serving {@code page} under {@code basePath} (for example {@code /admin}, or empty for the root).
     *
     * @throws UncheckedIOException when the address cannot be bound
     */
    public static AdminServer start(AdminPage page, InetSocketAddress address, String basePath) {
        Objects.requireNonNull(page, "page");
        String base = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
        if (!base.isEmpty() && !base.startsWith("/")) {
            throw new IllegalArgumentException("basePath must start with /");
        }
        HttpServer server;
        try {
            server = HttpServer.create(address, 50);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the admin server to " + address, e);
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "postpurchase-admin-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext(base.isEmpty() ? "/" : base, exchange -> serve(page, exchange, base));
        server.start();
        return new AdminServer(server, threads, base);
    }

    private static void serve(AdminPage page, HttpExchange exchange, String base) throws IOException {
        try (exchange) {
            String fullPath = exchange.getRequestURI().getRawPath();
            String path = fullPath.substring(Math.min(base.length(), fullPath.length()));
            if (path.isEmpty()) {
                exchange.getResponseHeaders().add("Location", base + "/");
                exchange.sendResponseHeaders(302, -1);
                return;
            }
            Response answer = page.handle(new ServerExchange(exchange, path, base));
            for (Map.Entry<String, String> header : answer.headers()) {
                exchange.getResponseHeaders().add(header.getKey(), header.getValue());
            }
            boolean head = exchange.getRequestMethod().equalsIgnoreCase("HEAD");
            exchange.sendResponseHeaders(
                    answer.status(), head || answer.body().length == 0 ? -1 : answer.body().length);
            if (!head && answer.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer.body());
                }
            }
        }
    }

    /** The port the server listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The page's address on this server, for example {@code http://127.0.0.1:8089/admin/}. */
    public String url() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().isAnyLocalAddress()
                ? "127.0.0.1"
                : a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + a.getPort() + basePath + "/";
    }

    /** Stops serving at once. */
    @Override
    public void close() {
        server.stop(0);
        threads.shutdown();
        try {
            if (!threads.awaitTermination(2, TimeUnit.SECONDS)) {
                threads.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while stopping the admin server", e);
        }
    }

    @Override
    public String toString() {
        return "AdminServer[" + url() + "]";
    }

    private static final class ServerExchange implements Exchange {
        private final HttpExchange exchange;
        private final String path;
        private final String base;

        ServerExchange(HttpExchange exchange, String path, String base) {
            this.exchange = exchange;
            this.path = path;
            this.base = base;
        }

        @Override
        public String method() {
            return exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        }

        @Override
        public String path() {
            return path;
        }

        @Override
        public Optional<String> header(String name) {
            return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
        }

        @Override
        public Optional<String> cookie(String name) {
            List<String> headers = exchange.getRequestHeaders().get("Cookie");
            if (headers == null) {
                return Optional.empty();
            }
            for (String header : headers) {
                for (String part : header.split(";")) {
                    String p = part.trim();
                    int eq = p.indexOf('=');
                    if (eq > 0 && p.substring(0, eq).trim().equals(name)) {
                        String value = p.substring(eq + 1).trim();
                        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                            value = value.substring(1, value.length() - 1);
                        }
                        return Optional.of(value);
                    }
                }
            }
            return Optional.empty();
        }

        @Override
        public String remoteAddress() {
            return exchange.getRemoteAddress().getAddress().getHostAddress();
        }

        @Override
        public <T> Optional<T> unwrap(Class<T> type) {
            return type.isInstance(exchange) ? Optional.of(type.cast(exchange)) : Optional.empty();
        }

        @Override
        public Map<String, List<String>> query() {
            return QueryStrings.parse(exchange.getRequestURI().getRawQuery());
        }

        @Override
        public byte[] body(int limit) throws IOException {
            try (InputStream in = exchange.getRequestBody()) {
                return Bodies.read(in, limit);
            }
        }

        @Override
        public String basePath() {
            return base;
        }

        @Override
        public boolean secure() {
            return false;
        }
    }
}
