package dev.postpurchase.reliability;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.postpurchase.webhook.StandardWebhookVerifier;
import dev.postpurchase.webhook.WebhookSecret;
import dev.postpurchase.webhook.WebhookVerificationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A webhook receiver on loopback (JDK HttpServer) that verifies each delivery's Standard Webhooks signature and
 * counts deliveries by {@code webhook-id} and by sending node ({@code User-Agent}). Answers 200 after a random delay
 * of up to {@code maxDelayMillis}, so that a node killed at a random moment has deliveries in flight.
 */
final class DeliveryReceiver implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService threads;
    private final StandardWebhookVerifier verifier;
    private final int maxDelayMillis;
    private final Map<String, AtomicInteger> byId = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> byNode = new ConcurrentHashMap<>();
    private final AtomicLong deliveries = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();

    DeliveryReceiver(WebhookSecret secret, int maxDelayMillis) throws IOException {
        this.verifier = StandardWebhookVerifier.of(secret);
        this.maxDelayMillis = maxDelayMillis;
        this.threads = Executors.newFixedThreadPool(32, r -> {
            Thread t = new Thread(r, "receiver");
            t.setDaemon(true);
            return t;
        });
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        server.setExecutor(threads);
        server.createContext("/hooks", this::handle);
        server.start();
    }

    /** The delivery URL. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/orders";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String id;
            try {
                id = verifier.verify(body, exchange.getRequestHeaders()).id();
            } catch (WebhookVerificationException e) {
                rejected.incrementAndGet();
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            byId.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            String agent = exchange.getRequestHeaders().getFirst("User-Agent");
            byNode.computeIfAbsent(agent == null ? "?" : agent, k -> new AtomicInteger())
                    .incrementAndGet();
            deliveries.incrementAndGet();
            if (maxDelayMillis > 0) {
                int delay = new Random().nextInt(maxDelayMillis + 1);
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] answer = "{\"ok\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        }
    }

    /** Deliveries with a valid signature, by webhook-id. */
    Map<String, Integer> countsById() {
        Map<String, Integer> out = new java.util.HashMap<>();
        byId.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** Deliveries by the User-Agent of the sending node. */
    Map<String, Integer> countsByNode() {
        Map<String, Integer> out = new java.util.TreeMap<>();
        byNode.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    long deliveries() {
        return deliveries.get();
    }

    /** Requests whose signature did not verify. */
    long rejected() {
        return rejected.get();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
