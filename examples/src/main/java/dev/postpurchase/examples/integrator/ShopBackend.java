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
import dev.postpurchase.core.StoreException;
import dev.postpurchase.core.SubmitResult;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.Violation;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.RerunOptions;
import dev.postpurchase.core.action.RunStatus;
import dev.postpurchase.core.action.Trigger;
import dev.postpurchase.core.action.TriggerCompletion;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.event.EventSource;
import dev.postpurchase.core.event.ShopEvent;
import dev.postpurchase.core.event.ShopEventType;
import dev.postpurchase.core.event.TransactionInfo;
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
import dev.postpurchase.webhook.fulfillment.FulfillmentTestResult;
import dev.postpurchase.webhook.fulfillment.FulfillmentWebhookConfig;
import dev.postpurchase.webhook.fulfillment.WebhookFulfillmentExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A shop backend as an integrator would write it, over the JDK's HTTP server.
 *
 * <ul>
 *   <li>{@code POST /orders} (an {@link Order} as JSON): marks the order paid in the shop's own table and records
 *       its actions in the <b>same transaction</b> ({@link ActionPipeline#submit(Connection, Order)}): both or neither.
 *       201 with the runs; 422 with every violation; 200 when the order was recorded before.
 *   <li>{@code GET /orders/<id>}: the shop's view of the order: {@code PAID}, then {@code COMPLETED} once the
 *       pipeline reports that every action succeeded ({@link ShopOrders}), or {@code REFUNDED}.
 *   <li>{@code POST /orders/<id>/refunds} with {@code {"id"?, "amount"?}}: refunds the order and publishes a
 *       {@code refund.applied} {@link ShopEvent} in the same transaction; its subscriptions revoke access and notify
 *       the postback channels. 202 with the event's actions; 200 when that refund was recorded before.
 *   <li>{@code GET /events/<id>/actions}: an event's actions.
 *   <li>{@code POST /kajabi/webhooks/<token>}: Kajabi's outbound webhooks as an order source. Kajabi does not sign
 *       its webhooks, so the URL carries an unguessable token, compared in constant time; a wrong token is a 404. The
 *       Purchase Created events of one transaction are gathered by a {@link KajabiPurchaseCollector}; a transaction
 *       whose other events never arrive is recorded by a scheduled expiry ({@link Builder#kajabiMaxWait}).
 *   <li>{@code GET /orders/<id>/actions}: the order's actions with status, attempts, last error, next attempt.
 *   <li>{@code POST /runs/<id>/rerun} with {@code {"useLatestTemplate", "acknowledgeSucceeded", "force"}}: 200 with
 *       the re-queued run; 409 when an acknowledgement or force is missing; 404 for an unknown run.
 *   <li>{@code GET /runs/stale[?olderThanSeconds=N]}: RUNNING runs whose node stopped renewing their lease (by
 *       default for longer than the pipeline's lease); those the pipeline does not recover by itself (not
 *       idempotent, such as emails) carry the request that force re-runs them.
 *   <li>{@code POST /incoming/webhooks}: receives a Standard Webhooks delivery and verifies its signature on the raw
 *       body before reading it; 204, or 401 with the reason.
 *   <li>{@code POST /checkouts} with {@code {"id"}}: the shop created a checkout; it gets the actions every new
 *       checkout gets (the receipt, disabled) through {@link DefinitionStore#checkoutCreated}. 201 with them.
 *   <li>{@code GET /checkouts/<id>/actions}, {@code GET /offers/<id>/actions}, {@code GET /products/<id>/actions}:
 *       the action definitions on it with their versions (never their configs, which hold secrets); a fulfillment
 *       webhook lists its "Test webhook" request.
 *   <li>{@code POST /definitions/<id>/enabled} with {@code {"enabled", "version"}}: the merchant switches an action
 *       on or off; 200 with the new version, 409 when someone saved it since {@code version}, 404 when it is gone.
 *   <li>{@code POST /definitions/<id>/test-webhook}: "Test webhook" for a fulfillment webhook definition: one
 *       request of a sample order with the definition's current config, exactly as a run sends it, and what the
 *       merchant's server answered ({@link WebhookFulfillmentExecutor#testWebhook}); no run is created.
 * </ul>
 *
 * <p>The merchant's configuration lives in the shop's database too ({@code JdbcDefinitionSource}), so a restarted
 * backend finds it where it was. {@link IntegratorApp} starts it with the real executors against local stand-ins.
 */
public final class ShopBackend implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ShopBackend.class);
    private static final Pattern ORDER = Pattern.compile("^/orders/([^/]+)$");
    private static final Pattern ORDER_ACTIONS = Pattern.compile("^/orders/([^/]+)/actions$");
    private static final Pattern REFUNDS = Pattern.compile("^/orders/([^/]+)/refunds$");
    private static final Pattern EVENT_ACTIONS = Pattern.compile("^/events/([^/]+)/actions$");
    private static final Pattern RERUN = Pattern.compile("^/runs/([^/]+)/rerun$");
    private static final Pattern KAJABI = Pattern.compile("^/kajabi/webhooks/([^/]+)$");
    private static final Pattern TARGET_ACTIONS = Pattern.compile("^/(checkouts|offers|products)/([^/]+)/actions$");
    private static final Pattern DEFINITION_ENABLED = Pattern.compile("^/definitions/([^/]+)/enabled$");
    private static final Pattern OLDER_THAN = Pattern.compile("(?:^|&)olderThanSeconds=(\\d{1,9})(?:&|$)");
    private static final Pattern REFUND_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern TEST_WEBHOOK = Pattern.compile("^/definitions/([^/]+)/test-webhook$");

    private final DataSource dataSource;
    private final JdbcActionStateStore store;
    private final ActionPipeline pipeline;
    private final DefinitionStore definitions;
    private final ShopOrders orders;
    private final KajabiWebhookToken kajabiToken;
    private final KajabiOrderConverter kajabiConverter;
    private final KajabiPurchaseCollector kajabiCollector;
    private final StandardWebhookVerifier incomingVerifier;
    private final List<VerifiedWebhook> received = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "shop-kajabi-expiry");
        t.setDaemon(true);
        return t;
    });

    private ShopBackend(Builder b) {
        this.dataSource = Objects.requireNonNull(b.dataSource, "dataSource");
        this.store = Objects.requireNonNull(b.store, "store");
        this.pipeline = Objects.requireNonNull(b.pipeline, "pipeline");
        this.definitions = Objects.requireNonNull(b.definitions, "definitions");
        this.orders = Objects.requireNonNull(b.orders, "orders");
        this.kajabiToken = Objects.requireNonNull(b.kajabiToken, "kajabiToken");
        this.kajabiConverter = b.kajabiConverter;
        this.kajabiCollector = KajabiPurchaseCollector.builder()
                .converter(kajabiConverter)
                .maxWait(b.kajabiMaxWait)
                .build();
        this.incomingVerifier = Objects.requireNonNull(b.incomingVerifier, "incomingVerifier");
        int caughtUp = orders.catchUp(this::completedInStore, 1000);
        if (caughtUp > 0) {
            LOG.info("{} order(s) completed while no node could report it; marked completed now", caughtUp);
        }
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), b.port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
        long every = b.kajabiExpiryInterval.toMillis();
        schedule.scheduleWithFixedDelay(this::expireKajabiTransactions, every, every, TimeUnit.MILLISECONDS);
    }

    /** A builder; the database, store, pipeline, definitions, shop orders, Kajabi token and verifier are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Where the backend listens, for example {@code http://127.0.0.1:8080}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The webhooks accepted by {@code POST /incoming/webhooks}, in order. */
    public List<VerifiedWebhook> receivedWebhooks() {
        return List.copyOf(received);
    }

    /** The shop's own view of an order: PAID, COMPLETED or REFUNDED, if recorded. */
    public Optional<String> shopOrderStatus(String orderId) {
        return orders.status(orderId);
    }

    /** Kajabi transactions waiting for the rest of their Purchase Created events. */
    public int kajabiPendingTransactions() {
        return kajabiCollector.pendingTransactions();
    }

    /**
     * Records the Kajabi transactions that waited longer than the collector's maximum as orders of the offers that
     * arrived; runs on a schedule, and may be called at any time.
     *
     * @return how many orders were recorded
     */
    public int expireKajabiTransactions() {
        int recorded = 0;
        try {
            for (Order order : kajabiCollector.expire()) {
                try {
                    recordPaidOrder(order);
                    recorded++;
                    LOG.info("Kajabi transaction of order {} was incomplete; recorded what arrived", order.id());
                } catch (RuntimeException e) {
                    LOG.warn("cannot record the expired Kajabi order {}", order.id(), e);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("expiring Kajabi transactions failed", e);
        }
        return recorded;
    }

    private boolean completedInStore(String orderId) {
        return store.trigger(TriggerKind.ORDER, orderId)
                .map(t -> t.completedAt() != null)
                .orElse(false);
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
        if (method.equals("GET") && (m = ORDER.matcher(path)).matches()) {
            return shopOrder(m.group(1));
        }
        if (method.equals("GET") && (m = ORDER_ACTIONS.matcher(path)).matches()) {
            List<ActionRun> runs = pipeline.runsOfOrder(m.group(1));
            if (runs.isEmpty() && store.trigger(TriggerKind.ORDER, m.group(1)).isEmpty()) {
                return new Reply(404, message("no order " + m.group(1)));
            }
            return new Reply(200, runsJson(runs));
        }
        if (method.equals("POST") && (m = REFUNDS.matcher(path)).matches()) {
            return refund(m.group(1), readJson(body));
        }
        if (method.equals("GET") && (m = EVENT_ACTIONS.matcher(path)).matches()) {
            List<ActionRun> runs = pipeline.runsOfEvent(m.group(1));
            if (runs.isEmpty() && store.trigger(TriggerKind.EVENT, m.group(1)).isEmpty()) {
                return new Reply(404, message("no event " + m.group(1)));
            }
            return new Reply(200, runsJson(runs));
        }
        if (method.equals("GET") && path.equals("/runs/stale")) {
            return staleRuns(exchange.getRequestURI().getQuery());
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
        if (method.equals("GET") && (m = TARGET_ACTIONS.matcher(path)).matches()) {
            ActionLevel level =
                    switch (m.group(1)) {
                        case "checkouts" -> ActionLevel.CHECKOUT;
                        case "offers" -> ActionLevel.OFFER;
                        default -> ActionLevel.PRODUCT;
                    };
            DefinitionQuery query = DefinitionQuery.on(level, m.group(2)).limit(DefinitionQuery.MAX_LIMIT);
            return new Reply(200, definitionsJson(definitions.definitions(query).items()));
        }
        if (method.equals("POST") && (m = TEST_WEBHOOK.matcher(path)).matches()) {
            return testWebhook(m.group(1));
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
                SubmitResult result = pipeline.submit(c, order);
                boolean inserted = orders.insertPaid(c, order);
                c.commit();
                pipeline.wakeUp();
                if (result.runs().stream().allMatch(r -> r.status() == RunStatus.SUCCEEDED)) {
                    // no action to run (or none left): completed at once, reported before our row was committed
                    orders.triggerCompleted(new TriggerCompletion(TriggerKind.ORDER, order.id(), Instant.now()));
                }
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
                throw new StoreException("cannot record order " + order.id(), e);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot record order " + order.id(), e);
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

    private Reply shopOrder(String orderId) {
        Optional<String> status = orders.status(orderId);
        if (status.isEmpty()) {
            return new Reply(404, message("no order " + orderId));
        }
        ObjectNode json = PostpurchaseJson.mapper().createObjectNode();
        json.put("id", orderId);
        json.put("status", status.get());
        return new Reply(200, PostpurchaseJson.write(json));
    }

    /**
     * The shop refunds an order: its row becomes REFUNDED and the refund event is published in the same transaction,
     * so the subscribed actions (revoking access, notifying postback channels) exist exactly when the refund does.
     */
    private Reply refund(String orderId, JsonNode request) throws IOException {
        Trigger paid = store.trigger(TriggerKind.ORDER, orderId)
                .orElseThrow(() -> new NotFoundException("no order " + orderId));
        Order order = PostpurchaseJson.read(paid.payloadJson(), Order.class, "order");
        String refundId = request.path("id").asText("full");
        if (!REFUND_ID.matcher(refundId).matches()) {
            throw new ValidationException("id", "must be 1 to 64 letters, digits, '-' or '_'");
        }
        long amount = request.path("amount").asLong(order.totals().total());
        if (amount <= 0 || amount > order.totals().total()) {
            throw new ValidationException("amount", "must be between 1 and the order's total");
        }
        String transactionId =
                order.transaction() == null ? null : order.transaction().id();
        ShopEvent event = ShopEvent.builder(
                        "refund-" + orderId + "-" + refundId,
                        ShopEventType.REFUND_APPLIED,
                        EventSource.SHOP,
                        Instant.now())
                .order(order)
                .transaction(new TransactionInfo(
                        "rf-" + (transactionId == null ? orderId : transactionId) + "-" + refundId,
                        amount,
                        order.currency(),
                        order.transaction() == null ? null : order.transaction().processor(),
                        null))
                .build();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                SubmitResult result = pipeline.publish(c, event);
                orders.markRefunded(c, orderId);
                c.commit();
                pipeline.wakeUp();
                ObjectNode json = PostpurchaseJson.mapper().createObjectNode();
                json.put("eventId", event.id());
                json.put("created", result.created());
                json.set("actions", PostpurchaseJson.mapper().readTree(runsJson(result.runs())));
                return new Reply(result.created() ? 202 : 200, PostpurchaseJson.write(json));
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                if (e instanceof RuntimeException re) {
                    throw re;
                }
                throw new StoreException("cannot refund order " + orderId, e);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot refund order " + orderId, e);
        }
    }

    /** Runs whose node died mid-run, which only staff can decide to run again: each with its force re-run. */
    private Reply staleRuns(@Nullable String query) {
        List<ActionRun> stale;
        Matcher m = query == null ? null : OLDER_THAN.matcher(query);
        if (m != null && m.find()) {
            stale = pipeline.staleRuns(Duration.ofSeconds(Long.parseLong(m.group(1))));
        } else {
            stale = pipeline.staleRuns();
        }
        Set<String> recoverable = pipeline.executors().idempotentTypes();
        ArrayNode array = PostpurchaseJson.mapper().createArrayNode();
        for (ActionRun run : stale) {
            ObjectNode json = runJson(run);
            json.put("trigger", run.triggerKey());
            boolean automatic = recoverable.contains(run.type());
            // idempotent runs are taken again by a node once their lease expires; the others wait for staff
            json.put("recoveredAutomatically", automatic);
            if (!automatic) {
                ObjectNode rerun = json.putObject("forceRerun");
                rerun.put("method", "POST");
                rerun.put("path", "/runs/" + run.id() + "/rerun");
                rerun.putObject("body").put("force", true);
            }
            array.add(json);
        }
        return new Reply(200, PostpurchaseJson.write(array));
    }

    /** "Test webhook" of a fulfillment definition: its current config, one request of a sample order, no run. */
    private Reply testWebhook(String definitionId) {
        ActionDefinition definition = definitions
                .byId(definitionId)
                .orElseThrow(() -> new NotFoundException("no definition " + definitionId));
        if (!definition.type().equals(WebhookFulfillmentExecutor.TYPE)) {
            throw new ValidationException("type", "\"Test webhook\" is offered for fulfillment webhooks only");
        }
        WebhookFulfillmentExecutor executor = pipeline.executors()
                .find(WebhookFulfillmentExecutor.TYPE)
                .map(WebhookFulfillmentExecutor.class::cast)
                .orElseThrow(() -> new NotFoundException("this node has no fulfillment webhook executor"));
        FulfillmentTestResult result = executor.testWebhook(definition.config(FulfillmentWebhookConfig.class));
        ObjectNode json = PostpurchaseJson.mapper().createObjectNode();
        json.put("definitionId", definitionId);
        json.put("webhookId", result.webhookId());
        json.put("status", result.status());
        json.put("metContract", result.metContract());
        json.put("problem", result.problem());
        json.put("bodyPrefix", result.bodyPrefix());
        json.put("bodyBytes", result.bodyBytes());
        json.put("elapsedMillis", result.elapsed().toMillis());
        return new Reply(200, PostpurchaseJson.write(json));
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
        if (d.type().equals(WebhookFulfillmentExecutor.TYPE)) {
            ObjectNode test = json.putObject("testWebhook");
            test.put("method", "POST");
            test.put("path", "/definitions/" + d.id() + "/test-webhook");
        }
        return json;
    }

    private static String violations(List<Violation> violations) {
        ObjectNode json = PostpurchaseJson.mapper().createObjectNode();
        ArrayNode list = json.putArray("violations");
        violations.forEach(v -> list.addObject().put("field", v.field()).put("message", v.message()));
        return PostpurchaseJson.write(json);
    }

    private static String message(@Nullable String text) {
        ObjectNode json = PostpurchaseJson.mapper().createObjectNode();
        json.put("message", text);
        return PostpurchaseJson.write(json);
    }

    @Override
    public void close() {
        schedule.shutdownNow();
        server.stop(0);
        threads.shutdownNow();
    }

    /** Mutable, not thread-safe builder of {@link ShopBackend}. */
    public static final class Builder {
        private @Nullable DataSource dataSource;
        private @Nullable JdbcActionStateStore store;
        private @Nullable ActionPipeline pipeline;
        private @Nullable DefinitionStore definitions;
        private @Nullable ShopOrders orders;
        private @Nullable KajabiWebhookToken kajabiToken;
        private KajabiOrderConverter kajabiConverter = KajabiOrderConverter.defaults();
        private Duration kajabiMaxWait = Duration.ofMinutes(15);
        private Duration kajabiExpiryInterval = Duration.ofMinutes(1);
        private @Nullable StandardWebhookVerifier incomingVerifier;
        private int port;

        private Builder() {}

        /** The shop's database; the SDK's tables live in it too. */
        public Builder dataSource(DataSource value) {
            this.dataSource = value;
            return this;
        }

        /** The SDK's store on the same database. */
        public Builder store(JdbcActionStateStore value) {
            this.store = value;
            return this;
        }

        /** The pipeline writing to the store, built with {@code listener(orders)}. */
        public Builder pipeline(ActionPipeline value) {
            this.pipeline = value;
            return this;
        }

        /** The merchant's configuration the pipeline reads, in the same database. */
        public Builder definitions(DefinitionStore value) {
            this.definitions = value;
            return this;
        }

        /** The shop's orders table, also the pipeline's listener. */
        public Builder orders(ShopOrders value) {
            this.orders = value;
            return this;
        }

        /** The secret in the URL of Kajabi's outbound webhooks. */
        public Builder kajabiToken(KajabiWebhookToken value) {
            this.kajabiToken = value;
            return this;
        }

        /** How Kajabi's webhooks become orders; default {@link KajabiOrderConverter#defaults()}. */
        public Builder kajabiConverter(KajabiOrderConverter value) {
            this.kajabiConverter = value;
            return this;
        }

        /** How long an incomplete Kajabi transaction waits for its other offers; default 15 minutes. */
        public Builder kajabiMaxWait(Duration value) {
            this.kajabiMaxWait = value;
            return this;
        }

        /** How often incomplete Kajabi transactions are checked; default every minute. */
        public Builder kajabiExpiryInterval(Duration value) {
            this.kajabiExpiryInterval = value;
            return this;
        }

        /** Verifies the signed webhooks {@code POST /incoming/webhooks} receives. */
        public Builder incomingVerifier(StandardWebhookVerifier value) {
            this.incomingVerifier = value;
            return this;
        }

        /** The loopback port; 0 (the default) for a free one. */
        public Builder port(int value) {
            this.port = value;
            return this;
        }

        /** Starts the backend. */
        public ShopBackend start() {
            if (kajabiExpiryInterval.isNegative() || kajabiExpiryInterval.isZero()) {
                throw new ValidationException("kajabiExpiryInterval", "must be positive");
            }
            return new ShopBackend(this);
        }
    }
}
