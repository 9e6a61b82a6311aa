package dev.postpurchase.examples.integrator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.ConflictException;
import dev.postpurchase.core.NotFoundException;
import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.core.SubmitResult;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.Violation;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.RerunOptions;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.spi.DefinitionQuery;
import dev.postpurchase.core.spi.DefinitionStore;
import dev.postpurchase.core.spi.Versioned;
import dev.postpurchase.jdbc.JdbcActionStateStore;
import dev.postpurchase.kajabi.KajabiCartPurchase;
import dev.postpurchase.kajabi.KajabiFormSubmission;
import dev.postpurchase.kajabi.KajabiOrderConverter;
import dev.postpurchase.kajabi.KajabiPaymentSucceeded;
import dev.postpurchase.kajabi.KajabiPurchaseCollector;
import dev.postpurchase.kajabi.KajabiPurchaseCreated;
import dev.postpurchase.kajabi.KajabiWebhook;
import dev.postpurchase.kajabi.KajabiWebhookToken;
import dev.postpurchase.kajabi.KajabiWebhooks;
import dev.postpurchase.webhook.StandardWebhookVerifier;
import dev.postpurchase.webhook.VerifiedWebhook;
import dev.postpurchase.webhook.WebhookVerificationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A shop backend as an integrator would write it, over the JDK's HTTP server.
 *
 * <ul>
 *   <li>{@code POST /orders} (an {@link Order} as JSON): marks the order paid in the shop's own table and records
 *       its actions in the <b>same transaction</b> ({@link JdbcActionStateStore#joinTransaction}): both or neither.
 *       201 with the runs; 422 with every violation; 200 when the order was recorded before.
 *   <li>{@code POST /kajabi/webhooks/<token>}: Kajabi's outbound webhooks as an order source. Kajabi does not sign
 *       its webhooks, so the URL carries an unguessable token, compared in constant time; a wrong token is a 404.
 *   <li>{@code GET /orders/<id>/actions}: the order's actions with status, attempts, last error, next attempt.
 *   <li>{@code POST /runs/<id>/rerun} with {@code {"useLatestTemplate", "acknowledgeSucceeded", "force"}}: 200 with
 *       the re-queued run; 409 when an acknowledgement or force is missing; 404 for an unknown run.
 *   <li>{@code POST /incoming/webhooks}: receives a Standard Webhooks delivery and verifies its signature on the raw
 *       body before reading it; 204, or 401 with the reason.
 *   <li>{@code POST /checkouts} with {@code {"id"}}: the shop created a checkout; it gets the actions every new
 *       checkout gets (the receipt, disabled) through {@link DefinitionStore#checkoutCreated}. 201 with them.
 *   <li>{@code GET /checkouts/<id>/actions}: the checkout's action definitions with their versions (never their
 *       configs, which hold secrets).
 *   <li>{@code POST /definitions/<id>/enabled} with {@code {"enabled", "version"}}: the merchant switches an action
 *       on or off; 200 with the new version, 409 when someone saved it since {@code version}, 404 when it is gone.
 * </ul>
 *
 * <p>The merchant's configuration lives in the shop's database too ({@code JdbcDefinitionSource}), so a restarted
 * backend finds it where it was.
 */
public final class ShopBackend implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ShopBackend.class);
    private static final Pattern ORDER_ACTIONS = Pattern.compile("^/orders/([^/]+)/actions$");
    private static final Pattern RERUN = Pattern.compile("^/runs/([^/]+)/rerun$");
    private static final Pattern KAJABI = Pattern.compile("^/kajabi/webhooks/([^/]+)$");
    private static final Pattern CHECKOUT_ACTIONS = Pattern.compile("^/checkouts/([^/]+)/actions$");
    private static final Pattern DEFINITION_ENABLED = Pattern.compile("^/definitions/([^/]+)/enabled$");

    private final DataSource dataSource;
    private final JdbcActionStateStore store;
    private final ActionPipeline pipeline;
    private final DefinitionStore definitions;
    private final KajabiWebhookToken kajabiToken;
    private final KajabiOrderConverter kajabiConverter;
    private final KajabiPurchaseCollector kajabiCollector;
    private final StandardWebhookVerifier incomingVerifier;
    private final List<VerifiedWebhook> received = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);

    /**
     * Starts the backend on a free loopback port.
     *
     * @param dataSource the shop's database; the SDK's tables live in it too
     * @param store the SDK's store on the same database
     * @param pipeline the pipeline writing to {@code store}
     * @param definitions the merchant's configuration the pipeline reads, in the same database
     */
    public ShopBackend(
            DataSource dataSource,
            JdbcActionStateStore store,
            ActionPipeline pipeline,
            DefinitionStore definitions,
            KajabiWebhookToken kajabiToken,
            KajabiOrderConverter kajabiConverter,
            StandardWebhookVerifier incomingVerifier) {
        this.dataSource = dataSource;
        this.store = store;
        this.pipeline = pipeline;
        this.definitions = definitions;
        this.kajabiToken = kajabiToken;
        this.kajabiConverter = kajabiConverter;
        this.kajabiCollector =
                KajabiPurchaseCollector.builder().converter(kajabiConverter).build();
        this.incomingVerifier = incomingVerifier;
        createShopTable();
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The webhooks accepted by {@code POST /incoming/webhooks}, in order. */
    public List<VerifiedWebhook> receivedWebhooks() {
        return List.copyOf(received);
    }

    /** The shop's own view of an order: its payment status, if recorded. */
    public Optional<String> shopOrderStatus(String orderId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT status FROM shop_orders WHERE id = ?")) {
            ps.setString(1, orderId);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read shop_orders", e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Reply reply;
            try {
                reply = route(exchange);
            } catch (ValidationException e) {
                reply = new Reply(422, violations(e.violations()));
            } catch (ConflictException e) {
                reply = new Reply(409, message(e.getMessage()));
            } catch (NotFoundException e) {
                reply = new Reply(404, message(e.getMessage()));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                reply = new Reply(400, message("the body is not valid JSON"));
            } catch (IOException | RuntimeException e) {
                LOG.warn(
                        "request {} {} failed",
                        exchange.getRequestMethod(),
                        exchange.getRequestURI().getPath(),
                        e);
                reply = new Reply(500, message("internal error"));
            }
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
        }
    }

    private record Reply(int status, String body) {}

    private Reply route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        byte[] body = exchange.getRequestBody().readAllBytes();
        Matcher m;
        if (method.equals("POST") && path.equals("/orders")) {
            return recordPaidOrder(
                    PostpurchaseJson.read(new String(body, StandardCharsets.UTF_8), Order.class, "order"));
        }
        if (method.equals("POST") && (m = KAJABI.matcher(path)).matches()) {
            if (!kajabiToken.matches(m.group(1))) {
                return new Reply(404, message("not found"));
            }
            return acceptKajabi(KajabiWebhooks.parse(body));
        }
        if (method.equals("GET") && (m = ORDER_ACTIONS.matcher(path)).matches()) {
            List<ActionRun> runs = pipeline.runsOfOrder(m.group(1));
            if (runs.isEmpty()
                    && store.trigger(dev.postpurchase.core.action.TriggerKind.ORDER, m.group(1))
                            .isEmpty()) {
                return new Reply(404, message("no order " + m.group(1)));
            }
            return new Reply(200, runsJson(runs));
        }
        if (method.equals("POST") && (m = RERUN.matcher(path)).matches()) {
            JsonNode options = readJson(body);
            RerunOptions rerun = new RerunOptions(
                    options.path("useLatestTemplate").asBoolean(false),
                    options.path("acknowledgeSucceeded").asBoolean(false),
                    options.path("force").asBoolean(false));
            return new Reply(200, PostpurchaseJson.write(runJson(pipeline.rerun(m.group(1), rerun))));
        }
        if (method.equals("POST") && path.equals("/checkouts")) {
            String checkoutId = readJson(body).path("id").asText("");
            if (checkoutId.isBlank()) {
                throw new ValidationException("id", "is required");
            }
            return new Reply(201, definitionsJson(definitions.checkoutCreated(checkoutId)));
        }
        if (method.equals("GET") && (m = CHECKOUT_ACTIONS.matcher(path)).matches()) {
            DefinitionQuery query =
                    DefinitionQuery.on(ActionLevel.CHECKOUT, m.group(1)).limit(DefinitionQuery.MAX_LIMIT);
            return new Reply(200, definitionsJson(definitions.definitions(query).items()));
        }
        if (method.equals("POST") && (m = DEFINITION_ENABLED.matcher(path)).matches()) {
            JsonNode edit = readJson(body);
            List<Violation> bad = new ArrayList<>();
            if (!edit.path("version").isIntegralNumber()) {
                bad.add(new Violation("version", "must be the version the merchant edited"));
            }
            if (!edit.path("enabled").isBoolean()) {
                bad.add(new Violation("enabled", "must be true or false"));
            }
            if (!bad.isEmpty()) {
                throw new ValidationException(bad);
            }
            String id = m.group(1);
            ActionDefinition current = definitions
                    .findDefinition(id)
                    .orElseThrow(() -> new NotFoundException("no definition " + id))
                    .value();
            Versioned<ActionDefinition> saved = definitions.updateDefinition(
                    current.withEnabled(edit.path("enabled").asBoolean()),
                    edit.path("version").asLong());
            return new Reply(200, PostpurchaseJson.write(definitionJson(saved)));
        }
        if (method.equals("POST") && path.equals("/incoming/webhooks")) {
            try {
                received.add(incomingVerifier.verify(body, exchange.getRequestHeaders()));
                return new Reply(204, "");
            } catch (WebhookVerificationException e) {
                return new Reply(401, message(e.getMessage()));
            }
        }
        return new Reply(404, message("no route for " + method + " " + path));
    }

    /**
     * The transactional outbox: the SDK's runs and the shop's "paid" row commit together or not at all. The runs are
     * written first, so a failure of the shop's own write rolls them back too.
     */
    private Reply recordPaidOrder(Order order) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                SubmitResult result = store.joinTransaction(c, () -> pipeline.submit(order));
                boolean inserted;
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO shop_orders (id, status, total_minor, currency) SELECT ?, 'PAID', ?, ?"
                                + " WHERE NOT EXISTS (SELECT 1 FROM shop_orders WHERE id = ?)")) {
                    ps.setString(1, order.id());
                    ps.setLong(2, order.totals().total());
                    ps.setString(3, order.currency());
                    ps.setString(4, order.id());
                    inserted = ps.executeUpdate() == 1;
                }
                c.commit();
                pipeline.wakeUp();
                ObjectNode json = PostpurchaseJson.mapper().createObjectNode();
                json.put("orderId", order.id());
                json.put("created", result.created());
                json.set("actions", PostpurchaseJson.mapper().readTree(runsJson(result.runs())));
                return new Reply(inserted || result.created() ? 201 : 200, PostpurchaseJson.write(json));
            } catch (SQLException | RuntimeException | IOException e) {
                c.rollback();
                if (e instanceof RuntimeException re) {
                    throw re;
                }
                throw new dev.postpurchase.core.StoreException("cannot record order " + order.id(), e);
            }
        } catch (SQLException e) {
            throw new dev.postpurchase.core.StoreException("cannot record order " + order.id(), e);
        }
    }

    private Reply acceptKajabi(KajabiWebhook webhook) throws IOException {
        Optional<Order> order;
        if (webhook instanceof KajabiPurchaseCreated purchase) {
            order = kajabiCollector.add(purchase); // one order once every offer of the transaction arrived
        } else if (webhook instanceof KajabiPaymentSucceeded payment) {
            order = Optional.of(kajabiConverter.fromPayment(payment));
        } else if (webhook instanceof KajabiCartPurchase cart) {
            order = Optional.of(kajabiConverter.fromCart(cart));
        } else if (webhook instanceof KajabiFormSubmission) {
            order = Optional.empty();
        } else {
            throw new IllegalStateException("unknown Kajabi webhook " + webhook.getClass());
        }
        if (order.isEmpty()) {
            return new Reply(202, message("accepted; no order yet"));
        }
        Reply reply = recordPaidOrder(order.get());
        return new Reply(reply.status() == 201 ? 202 : 200, reply.body());
    }

    private void createShopTable() {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute(
                    "CREATE TABLE IF NOT EXISTS shop_orders (id VARCHAR(200) PRIMARY KEY, status VARCHAR(20) NOT NULL,"
                            + " total_minor BIGINT NOT NULL, currency CHAR(3) NOT NULL)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create shop_orders", e);
        }
    }

    private static String runsJson(List<ActionRun> runs) {
        ArrayNode array = PostpurchaseJson.mapper().createArrayNode();
        runs.forEach(run -> array.add(runJson(run)));
        return PostpurchaseJson.write(array);
    }

    /** What a dashboard shows of a run; never its config snapshot, which may hold secrets. */
    private static ObjectNode runJson(ActionRun run) {
        ObjectNode json = PostpurchaseJson.mapper().createObjectNode();
        json.put("id", run.id());
        json.put("name", run.name());
        json.put("type", run.type());
        json.put("level", run.level().name());
        json.put("status", run.status().name());
        json.put("awaitingRetry", run.awaitingRetry());
        json.put("attempts", run.attempts());
        json.put("totalAttempts", run.totalAttempts());
        json.put("rerunCount", run.rerunCount());
        json.put(
                "nextAttemptAt",
                run.nextAttemptAt() == null ? null : run.nextAttemptAt().toString());
        json.put("lastError", run.lastError());
        json.put("skipReason", run.skipReason());
        json.put("result", run.result());
        return json;
    }

    private static JsonNode readJson(byte[] body) throws IOException {
        return body.length == 0
                ? PostpurchaseJson.mapper().createObjectNode()
                : PostpurchaseJson.mapper().readTree(body);
    }

    private static String definitionsJson(List<Versioned<ActionDefinition>> stored) {
        ArrayNode array = PostpurchaseJson.mapper().createArrayNode();
        stored.forEach(d -> array.add(definitionJson(d)));
        return PostpurchaseJson.write(array);
    }

    /** What the dashboard shows of a definition; never its config, which may hold secrets. */
    private static ObjectNode definitionJson(Versioned<ActionDefinition> stored) {
        ActionDefinition d = stored.value();
        ObjectNode json = PostpurchaseJson.mapper().createObjectNode();
        json.put("id", d.id());
        json.put("name", d.name());
        json.put("type", d.type());
        json.put("level", d.level().name());
        json.put("targetId", d.targetId());
        json.put("enabled", d.enabled());
        json.put("version", stored.version());
        json.put("updatedAt", stored.updatedAt().toString());
        return json;
    }

    private static String violations(List<Violation> violations) {
        ObjectNode json = PostpurchaseJson.mapper().createObjectNode();
        ArrayNode list = json.putArray("violations");
        violations.forEach(v -> list.addObject().put("field", v.field()).put("message", v.message()));
        return PostpurchaseJson.write(json);
    }

    private static String message(String text) {
        ObjectNode json = PostpurchaseJson.mapper().createObjectNode();
        json.put("message", text);
        return PostpurchaseJson.write(json);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
