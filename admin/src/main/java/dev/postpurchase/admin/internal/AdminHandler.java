package dev.postpurchase.admin.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postpurchase.admin.AdminAuthorizer;
import dev.postpurchase.admin.AdminPrincipal;
import dev.postpurchase.admin.DefinitionTester;
import dev.postpurchase.admin.TestOutcome;
import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.ConflictException;
import dev.postpurchase.core.NotFoundException;
import dev.postpurchase.core.PostpurchaseException;
import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.core.Secret;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.Violation;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.AttemptRecord;
import dev.postpurchase.core.action.BulkResult;
import dev.postpurchase.core.action.FieldChange;
import dev.postpurchase.core.action.PaymentScope;
import dev.postpurchase.core.action.RerunOptions;
import dev.postpurchase.core.action.RerunPreview;
import dev.postpurchase.core.action.RunCounts;
import dev.postpurchase.core.action.RunPage;
import dev.postpurchase.core.action.RunQuery;
import dev.postpurchase.core.action.TriggerProgress;
import dev.postpurchase.core.event.EventSource;
import dev.postpurchase.core.event.ShopEventType;
import dev.postpurchase.core.event.Subscription;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.ActionExecutor;
import dev.postpurchase.core.spi.DefinitionQuery;
import dev.postpurchase.core.spi.DefinitionStore;
import dev.postpurchase.core.spi.IntegrationSetting;
import dev.postpurchase.core.spi.IntegrationSettingsStore;
import dev.postpurchase.core.spi.Page;
import dev.postpurchase.core.spi.Versioned;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every request of the admin page: authorisation, CSRF, security headers, the static UI and the JSON API. Secrets
 * never leave: run snapshots are not sent, definition configs are masked by their schema, previews come masked from
 * the pipeline.
 */
public final class AdminHandler {
    private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);
    /** Every staff action, with who did it. */
    private static final Logger AUDIT = LoggerFactory.getLogger("dev.postpurchase.admin.audit");

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = PostpurchaseJson.mapper();
    private static final int MAX_BODY = 256 * 1024;
    private static final String JSON = "application/json; charset=utf-8";
    private static final Map<String, String> ASSETS = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/assets/app.js", "app.js",
            "/assets/app.css", "app.css");

    /** What the page is built from. */
    public record Settings(
            ActionPipeline pipeline,
            @Nullable DefinitionStore definitions,
            @Nullable IntegrationSettingsStore integrations,
            AdminAuthorizer authorizer,
            Map<String, DefinitionTester> testers,
            String frameAncestors,
            byte[] csrfKey,
            @Nullable Boolean secureCookies) {}

    private final Settings settings;
    private final ActionPipeline pipeline;
    private final @Nullable DefinitionStore definitions;
    private final CsrfTokens csrf;
    private final String csp;
    private final Map<String, byte[]> assetCache = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> schemas = new ConcurrentHashMap<>();

    public AdminHandler(Settings settings) {
        this.settings = settings;
        this.pipeline = settings.pipeline();
        this.definitions = settings.definitions();
        this.csrf = new CsrfTokens(settings.csrfKey());
        this.csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self';"
                + " font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors "
                + settings.frameAncestors();
    }

    /** Answers one request; never throws. */
    public Response handle(Exchange ex) {
        Response response;
        try {
            response = route(ex);
        } catch (RuntimeException e) {
            LOG.error("admin request {} {} failed", ex.method(), ex.path(), e);
            response = error(500, "internal error; see the server log", null);
        }
        return secure(response);
    }

    private Response secure(Response r) {
        r = r.with("Content-Security-Policy", csp)
                .with("X-Content-Type-Options", "nosniff")
                .with("Referrer-Policy", "no-referrer")
                .with("Cross-Origin-Opener-Policy", "same-origin")
                .with("Cache-Control", "no-store");
        if (settings.frameAncestors().equals("'none'")) {
            r = r.with("X-Frame-Options", "DENY");
        }
        return r;
    }

    private Response route(Exchange ex) {
        Optional<AdminPrincipal> who;
        try {
            who = settings.authorizer().authorize(ex);
        } catch (RuntimeException e) {
            LOG.warn("the admin authorizer failed; request refused", e);
            who = Optional.empty();
        }
        if (who == null || who.isEmpty()) {
            LOG.debug("unauthenticated admin request {} {} from {}", ex.method(), ex.path(), ex.remoteAddress());
            return error(401, "not signed in as staff", null);
        }
        AdminPrincipal principal = who.get();
        String path = ex.path();
        String method = ex.method();
        if (!path.startsWith("/api/")) {
            String asset = ASSETS.get(path);
            if (asset == null || !(method.equals("GET") || method.equals("HEAD"))) {
                return error(404, "no such page", null);
            }
            return asset(asset);
        }
        boolean changes = !(method.equals("GET") || method.equals("HEAD"));
        if (changes) {
            if (!csrf.matches(
                    ex.header(CsrfTokens.HEADER).orElse(null),
                    ex.cookie(CsrfTokens.COOKIE).orElse(null),
                    principal.name())) {
                LOG.warn("admin {} {} by {} refused: missing or invalid CSRF token", method, path, principal.name());
                return error(403, "missing or invalid CSRF token; reload the page", null);
            }
            if (!principal.role().canOperate()) {
                LOG.warn("admin {} {} by {} refused: read-only", method, path, principal.name());
                return error(403, "your role is read-only", null);
            }
            String type = ex.header("Content-Type").orElse("");
            if (!type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
                return error(415, "send application/json", null);
            }
        }
        try {
            return api(ex, principal, method, path.substring("/api".length()));
        } catch (ValidationException e) {
            return error(422, e.getMessage(), e.violations());
        } catch (NotFoundException e) {
            return error(404, e.getMessage(), null);
        } catch (ConflictException e) {
            return error(409, e.getMessage(), null);
        } catch (BadRequest e) {
            return error(400, e.getMessage(), null);
        } catch (PostpurchaseException e) {
            LOG.warn("admin {} {} failed", method, path, e);
            return error(500, e.getMessage(), null);
        }
    }

    private Response api(Exchange ex, AdminPrincipal who, String method, String path) {
        String route = method + " " + path;
        return switch (route) {
            case "GET /session" -> session(ex, who);
            case "GET /overview" -> overview();
            case "GET /runs" -> json(runPage(pipeline.findRuns(query(ex).build())));
            case "GET /stale" -> json(runList(pipeline.staleRuns()));
            case "GET /order" -> order(required(ex, "id"));
            case "GET /run" -> run(required(ex, "id"));
            case "POST /run/preview" -> preview(required(ex, "id"), options(body(ex)));
            case "POST /run/rerun" -> rerun(who, required(ex, "id"), options(body(ex)));
            case "POST /run/retry-now" -> retryNow(who, required(ex, "id"));
            case "POST /runs/rerun-all" -> rerunAll(who, ex);
            case "POST /runs/retry-now-all" -> retryNowAll(who, ex);
            case "GET /types" -> types();
            case "GET /definitions" -> listDefinitions(ex);
            case "GET /definition" -> definition(required(ex, "id"));
            case "POST /definition" -> createDefinition(who, body(ex));
            case "PUT /definition" -> updateDefinition(who, required(ex, "id"), body(ex));
            case "POST /definition/enabled" -> enableDefinition(who, required(ex, "id"), body(ex));
            case "POST /definition/test" -> testDefinition(who, required(ex, "id"));
            case "POST /definition/delete" -> deleteDefinition(who, required(ex, "id"), body(ex));
            case "GET /subscriptions" -> subscriptions();
            case "POST /subscription/enabled" -> enableSubscription(who, required(ex, "id"), body(ex));
            case "POST /subscription" -> saveSubscription(who, null, body(ex));
            case "PUT /subscription" -> saveSubscription(who, required(ex, "id"), body(ex));
            case "POST /subscription/delete" -> deleteSubscription(who, required(ex, "id"), body(ex));
            case "POST /event/enabled" -> enableEvent(who, required(ex, "type"), body(ex));
            case "GET /integrations" -> integrations();
            case "POST /integration" -> saveIntegration(who, required(ex, "id"), body(ex));
            default -> error(404, "no such API: " + route, null);
        };
    }

    // ---- session and overview

    private Response session(Exchange ex, AdminPrincipal who) {
        String token = ex.cookie(CsrfTokens.COOKIE)
                .filter(t -> csrf.valid(t, who.name()))
                .orElseGet(() -> csrf.issue(who.name()));
        ObjectNode body = F.objectNode();
        body.put("user", who.name());
        body.put("role", who.role().name());
        body.put("csrfToken", token);
        body.put("configuration", definitions != null);
        body.put("integrations", settings.integrations() != null);
        ArrayNode testable = body.putArray("testableTypes");
        settings.testers().keySet().forEach(testable::add);
        boolean tls = settings.secureCookies() != null ? settings.secureCookies() : ex.secure();
        String cookiePath = ex.basePath().isEmpty() ? "/" : ex.basePath() + "/";
        return json(body)
                .with(
                        "Set-Cookie",
                        CsrfTokens.COOKIE + "=" + token + "; Path=" + cookiePath + "; HttpOnly; SameSite=Strict"
                                + (tls ? "; Secure" : ""));
    }

    private Response overview() {
        RunCounts counts = pipeline.countRuns();
        ObjectNode body = F.objectNode();
        body.put("pending", counts.pending());
        body.put("awaitingRetry", counts.awaitingRetry());
        body.put("running", counts.running());
        body.put("stale", counts.stale());
        body.put("failed", counts.failed());
        return json(body);
    }

    // ---- runs

    private RunQuery.Builder query(Exchange ex) {
        RunQuery.Builder q = RunQuery.builder();
        for (String status : list(ex, "status")) {
            try {
                q.status(RunQuery.Status.valueOf(status.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new ValidationException("status", "unknown status '" + status + "'");
            }
        }
        for (String type : list(ex, "type")) {
            q.type(type.trim());
        }
        param(ex, "definition").ifPresent(q::definition);
        param(ex, "order").ifPresent(q::order);
        param(ex, "event").ifPresent(q::event);
        Instant from = param(ex, "from").map(v -> instant("from", v)).orElse(null);
        Instant before = param(ex, "before").map(v -> instant("before", v)).orElse(null);
        if (from != null || before != null) {
            q.created(from, before);
        }
        param(ex, "limit").ifPresent(v -> q.limit(integer("limit", v)));
        param(ex, "after").ifPresent(q::after);
        return q;
    }

    private Response order(String orderId) {
        List<ActionRun> runs = pipeline.runsAbout(orderId);
        ObjectNode body = F.objectNode();
        body.put("orderId", orderId);
        try {
            TriggerProgress progress = pipeline.progressOfOrder(orderId);
            body.put("completed", progress.completed());
        } catch (NotFoundException e) {
            if (runs.isEmpty()) {
                throw new NotFoundException("no order " + orderId + " was submitted");
            }
        }
        body.set("runs", runList(runs));
        return json(body);
    }

    private Response run(String runId) {
        ActionRun run = pipeline.run(runId).orElseThrow(() -> new NotFoundException("no run with id " + runId));
        ObjectNode body = runView(run);
        body.put("result", run.result());
        body.put("idempotencyKey", run.idempotencyKey());
        body.put("retryPolicy", describe(run.retryPolicy()));
        body.put("rerunCount", run.rerunCount());
        ArrayNode attempts = body.putArray("history");
        for (AttemptRecord a : pipeline.attemptsOf(runId)) {
            ObjectNode n = attempts.addObject();
            n.put("startedAt", a.startedAt().toString());
            n.put("durationMillis", a.durationMillis());
            n.put("outcome", a.outcome().name());
            if (a.statusCode() == null) {
                n.putNull("statusCode");
            } else {
                n.put("statusCode", a.statusCode());
            }
            n.put("excerpt", a.excerpt());
            n.put("node", a.node());
        }
        return json(body);
    }

    private static String describe(RetryPolicy policy) {
        try {
            return PostpurchaseJson.write(policy);
        } catch (PostpurchaseException e) {
            return policy.toString();
        }
    }

    private Response preview(String runId, RerunOptions options) {
        RerunPreview preview = pipeline.previewRerun(runId, options);
        ObjectNode body = F.objectNode();
        body.set("run", runView(preview.run()));
        body.put("allowed", preview.allowed());
        body.put("blockedBy", preview.blockedBy());
        ArrayNode warnings = body.putArray("warnings");
        preview.warnings().forEach(warnings::add);
        ArrayNode changes = body.putArray("templateChanges");
        for (FieldChange change : preview.templateChanges()) {
            ObjectNode c = changes.addObject();
            c.put("field", change.field());
            c.put("before", change.secret() ? FieldChange.MASK : change.before());
            c.put("after", change.secret() ? FieldChange.MASK : change.after());
            c.put("secret", change.secret());
        }
        body.put("newDelivery", preview.newDelivery());
        return json(body);
    }

    private Response rerun(AdminPrincipal who, String runId, RerunOptions options) {
        ActionRun run = pipeline.rerun(runId, options);
        AUDIT.info(
                "{} ({}) re-ran run {} (latest template: {}, acknowledged succeeded: {}, forced: {})",
                who.name(),
                who.role(),
                runId,
                options.useLatestTemplate(),
                options.acknowledgeSucceeded(),
                options.force());
        return json(runView(run));
    }

    private Response retryNow(AdminPrincipal who, String runId) {
        ActionRun run = pipeline.retryNow(runId);
        AUDIT.info("{} ({}) brought the retry of run {} forward to now", who.name(), who.role(), runId);
        return json(runView(run));
    }

    private Response rerunAll(AdminPrincipal who, Exchange ex) {
        JsonNode body = body(ex);
        RunQuery query = query(ex).build();
        BulkResult result =
                pipeline.rerunAll(query, options(body), body.path("cap").asInt(100), bulkDryRun(body));
        if (!result.dryRun()) {
            AUDIT.info(
                    "{} ({}) re-ran {} of {} run(s) matching {} ({} skipped)",
                    who.name(),
                    who.role(),
                    result.done(),
                    result.matched(),
                    describe(query),
                    result.skipped().size());
        }
        return json(bulk(result));
    }

    private Response retryNowAll(AdminPrincipal who, Exchange ex) {
        JsonNode body = body(ex);
        RunQuery query = query(ex).build();
        BulkResult result = pipeline.retryNowAll(query, body.path("cap").asInt(100), bulkDryRun(body));
        if (!result.dryRun()) {
            AUDIT.info(
                    "{} ({}) brought {} of {} waiting retries forward, matching {}",
                    who.name(),
                    who.role(),
                    result.done(),
                    result.matched(),
                    describe(query));
        }
        return json(bulk(result));
    }

    private static boolean bulkDryRun(JsonNode body) {
        return body.path("dryRun").asBoolean(true);
    }

    private static String describe(RunQuery q) {
        return "statuses=" + q.statuses() + ", types=" + q.types() + ", definition=" + q.definitionId() + ", trigger="
                + q.triggerKind() + ":" + q.triggerId() + ", created=[" + q.createdFrom() + ", " + q.createdBefore()
                + ")";
    }

    private static ObjectNode bulk(BulkResult result) {
        ObjectNode body = F.objectNode();
        body.put("matched", result.matched());
        body.put("capped", result.capped());
        body.put("done", result.done());
        body.put("dryRun", result.dryRun());
        ObjectNode skipped = body.putObject("skipped");
        result.skipped().forEach(skipped::put);
        return body;
    }

    private static RerunOptions options(JsonNode body) {
        return new RerunOptions(
                body.path("useLatestTemplate").asBoolean(false),
                body.path("acknowledgeSucceeded").asBoolean(false),
                body.path("force").asBoolean(false));
    }

    private ObjectNode runPage(RunPage page) {
        ObjectNode body = F.objectNode();
        body.set("runs", runList(page.runs()));
        body.put("next", page.next());
        return body;
    }

    private ArrayNode runList(List<ActionRun> runs) {
        ArrayNode list = F.arrayNode();
        runs.forEach(r -> list.add(runView(r)));
        return list;
    }

    /** A run without its config snapshot (which may hold secrets) and without its result. */
    private static ObjectNode runView(ActionRun run) {
        ObjectNode n = F.objectNode();
        n.put("id", run.id());
        n.put("triggerKind", run.triggerKind().name());
        n.put("triggerId", run.triggerId());
        n.put("definitionId", run.definitionId());
        n.put("type", run.type());
        n.put("name", run.name());
        n.put("level", run.level().name());
        n.put("targetId", run.targetId());
        n.put("status", run.status().name());
        n.put("awaitingRetry", run.awaitingRetry());
        n.put("attempts", run.attempts());
        n.put("totalAttempts", run.totalAttempts());
        n.put("nextAttemptAt", text(run.nextAttemptAt()));
        n.put("lastError", run.lastError());
        if (run.lastStatusCode() == null) {
            n.putNull("lastStatusCode");
        } else {
            n.put("lastStatusCode", run.lastStatusCode());
        }
        n.put("hasResult", run.result() != null);
        n.put("skipReason", run.skipReason());
        n.put("owner", run.owner());
        n.put("heartbeatAt", text(run.heartbeatAt()));
        n.put("createdAt", run.createdAt().toString());
        n.put("updatedAt", run.updatedAt().toString());
        return n;
    }

    // ---- configuration

    private DefinitionStore store() {
        if (definitions == null) {
            throw new NotFoundException("this page was built without a definitions store");
        }
        return definitions;
    }

    private ObjectNode schemaOf(String type) {
        ActionExecutor<?> executor = pipeline.executors().require(type);
        return schemas.computeIfAbsent(type, t -> ConfigSchemas.of(executor.configType()));
    }

    private Response types() {
        ArrayNode list = F.arrayNode();
        for (String type : pipeline.executors().types()) {
            ActionExecutor<?> executor = pipeline.executors().require(type);
            ObjectNode n = list.addObject();
            n.put("type", type);
            ArrayNode levels = n.putArray("levels");
            executor.levels().stream().sorted().forEach(l -> levels.add(l.name()));
            ArrayNode kinds = n.putArray("triggerKinds");
            executor.triggerKinds().stream().sorted().forEach(k -> kinds.add(k.name()));
            n.put("testable", settings.testers().containsKey(type));
            n.set("schema", schemaOf(type));
        }
        return json(list);
    }

    private Response listDefinitions(Exchange ex) {
        int limit = param(ex, "limit").map(v -> integer("limit", v)).orElse(100);
        DefinitionQuery query = DefinitionQuery.all().limit(limit);
        Optional<String> level = param(ex, "level");
        Optional<String> target = param(ex, "target");
        if (level.isPresent()) {
            ActionLevel l = enumValue(ActionLevel.class, "level", level.get());
            query = target.isPresent()
                    ? DefinitionQuery.on(l, target.get()).limit(limit)
                    : new DefinitionQuery(l, null, null, limit, null);
        }
        query = query.type(param(ex, "type").orElse(null))
                .after(param(ex, "after").orElse(null));
        Page<Versioned<ActionDefinition>> page = store().definitions(query);
        ObjectNode body = F.objectNode();
        ArrayNode items = body.putArray("definitions");
        for (Versioned<ActionDefinition> v : page.items()) {
            items.add(definitionSummary(v));
        }
        body.put("next", page.nextCursor());
        return json(body);
    }

    private static ObjectNode definitionSummary(Versioned<ActionDefinition> v) {
        ActionDefinition d = v.value();
        ObjectNode n = F.objectNode();
        n.put("id", d.id());
        n.put("type", d.type());
        n.put("name", d.name());
        n.put("level", d.level().name());
        n.put("targetId", d.targetId());
        n.put("enabled", d.enabled());
        n.put("runsOn", d.runsOn() == null ? null : d.runsOn().name());
        n.put("version", v.version());
        n.put("updatedAt", v.updatedAt().toString());
        return n;
    }

    private Response definition(String id) {
        Versioned<ActionDefinition> v =
                store().findDefinition(id).orElseThrow(() -> new NotFoundException("no definition " + id));
        return json(definitionView(v));
    }

    private ObjectNode definitionView(Versioned<ActionDefinition> v) {
        ObjectNode n = definitionSummary(v);
        JsonNode config = readTree(v.value().configJson());
        Set<String> set = SecretFields.mask(config, schemaFor(v.value().type()));
        n.set("config", config);
        ArrayNode secretsSet = n.putArray("secretsSet");
        set.forEach(secretsSet::add);
        n.put("customRetryPolicy", v.value().retryPolicy() != null);
        return n;
    }

    /** The schema of a type, or an empty one (everything masked by name only) for a type no executor knows. */
    private JsonNode schemaFor(String type) {
        return pipeline.executors().find(type).isPresent() ? schemaOf(type) : F.objectNode();
    }

    private Response createDefinition(AdminPrincipal who, JsonNode body) {
        ActionDefinition definition = definitionFrom(body, null);
        pipeline.executors().validate(definition);
        Versioned<ActionDefinition> saved = store().createDefinition(definition);
        AUDIT.info(
                "{} ({}) created definition {} of type {}", who.name(), who.role(), definition.id(), definition.type());
        return json(definitionView(saved));
    }

    private Response updateDefinition(AdminPrincipal who, String id, JsonNode body) {
        Versioned<ActionDefinition> stored =
                store().findDefinition(id).orElseThrow(() -> new NotFoundException("no definition " + id));
        long version = requiredVersion(body);
        ActionDefinition definition = definitionFrom(body, stored.value());
        if (!definition.id().equals(id)) {
            throw new ValidationException("id", "cannot change");
        }
        pipeline.executors().validate(definition);
        Versioned<ActionDefinition> saved = store().updateDefinition(definition, version);
        Set<String> cleared = stringSet(body.path("clearSecrets"));
        Set<String> setNow = new HashSet<>();
        collectGivenSecrets(body.path("config"), schemaFor(definition.type()), "", setNow);
        AUDIT.info(
                "{} ({}) updated definition {} to version {}{}{}",
                who.name(),
                who.role(),
                id,
                saved.version(),
                setNow.isEmpty() ? "" : "; set secrets " + setNow,
                cleared.isEmpty() ? "" : "; cleared secrets " + cleared);
        return json(definitionView(saved));
    }

    private static void collectGivenSecrets(JsonNode config, JsonNode schema, String path, Set<String> out) {
        JsonNode properties = schema.path("properties");
        properties.properties().forEach(e -> {
            String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            JsonNode given = config.get(e.getKey());
            if (ConfigSchemas.isSecret(e.getValue())) {
                if (given != null && !given.isNull() && !given.asText("").isEmpty()) {
                    out.add(p);
                }
            } else if (given != null && given.isObject()) {
                collectGivenSecrets(given, e.getValue(), p, out);
            }
        });
    }

    /** A definition from the editor's JSON; with {@code stored}, secrets left empty keep their stored values. */
    private ActionDefinition definitionFrom(JsonNode body, @Nullable ActionDefinition stored) {
        String type = stored != null ? stored.type() : body.path("type").asText("");
        if (stored != null
                && body.hasNonNull("type")
                && !body.get("type").asText().equals(type)) {
            throw new ValidationException("type", "cannot change; create a new definition instead");
        }
        JsonNode config = body.path("config");
        if (!config.isObject()) {
            throw new ValidationException("config", "must be a JSON object");
        }
        ObjectNode edited = config.deepCopy();
        if (stored != null && pipeline.executors().find(type).isPresent()) {
            SecretFields.merge(
                    edited, readTree(stored.configJson()), schemaOf(type), stringSet(body.path("clearSecrets")));
        }
        stripNulls(edited);
        String levelText = body.path("level").asText("");
        if (levelText.isEmpty()) {
            throw new ValidationException("level", "is required");
        }
        ActionLevel level = enumValue(ActionLevel.class, "level", levelText);
        String runsOnText = body.path("runsOn").asText("");
        PaymentScope runsOn = runsOnText.isEmpty() ? null : enumValue(PaymentScope.class, "runsOn", runsOnText);
        return ActionDefinition.builder(type)
                .id(stored != null ? stored.id() : body.path("id").asText(""))
                .name(body.path("name").asText(""))
                .on(level, body.path("targetId").asText(""))
                .enabled(body.path("enabled").asBoolean(true))
                .configJson(edited.toString())
                .retryPolicy(stored != null ? stored.retryPolicy() : null)
                .runsOn(runsOn)
                .build();
    }

    /** Drops null members so a config record's own defaults apply to fields the form left empty. */
    private static void stripNulls(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> nulls = new java.util.ArrayList<>();
            object.properties().forEach(e -> {
                if (e.getValue().isNull()) {
                    nulls.add(e.getKey());
                } else {
                    stripNulls(e.getValue());
                }
            });
            object.remove(nulls);
        } else if (node instanceof ArrayNode array) {
            array.forEach(AdminHandler::stripNulls);
        }
    }

    private Response enableDefinition(AdminPrincipal who, String id, JsonNode body) {
        boolean enabled = requiredBoolean(body, "enabled");
        long version = requiredVersion(body);
        Versioned<ActionDefinition> stored =
                store().findDefinition(id).orElseThrow(() -> new NotFoundException("no definition " + id));
        Versioned<ActionDefinition> saved =
                store().updateDefinition(stored.value().withEnabled(enabled), version);
        AUDIT.info("{} ({}) {} definition {}", who.name(), who.role(), enabled ? "enabled" : "disabled", id);
        return json(definitionView(saved));
    }

    private Response deleteDefinition(AdminPrincipal who, String id, JsonNode body) {
        store().deleteDefinition(id, requiredVersion(body));
        AUDIT.info("{} ({}) deleted definition {}", who.name(), who.role(), id);
        ObjectNode n = F.objectNode();
        n.put("deleted", id);
        return json(n);
    }

    private Response testDefinition(AdminPrincipal who, String id) {
        Versioned<ActionDefinition> stored =
                store().findDefinition(id).orElseThrow(() -> new NotFoundException("no definition " + id));
        DefinitionTester tester = settings.testers().get(stored.value().type());
        if (tester == null) {
            throw new NotFoundException("definitions of type " + stored.value().type() + " have no test");
        }
        AUDIT.info("{} ({}) sent a test request for definition {}", who.name(), who.role(), id);
        TestOutcome outcome = tester.test(stored.value());
        ObjectNode body = F.objectNode();
        body.put("ok", outcome.ok());
        if (outcome.status() == null) {
            body.putNull("status");
        } else {
            body.put("status", outcome.status());
        }
        body.put("body", outcome.body());
        body.put("elapsedMillis", outcome.elapsedMillis());
        body.put("problem", outcome.problem());
        return json(body);
    }

    private Response subscriptions() {
        DefinitionStore store = store();
        Map<ShopEventType, Boolean> switches = store.eventSwitches();
        ArrayNode events = F.arrayNode();
        for (ShopEventType type : ShopEventType.values()) {
            ObjectNode e = events.addObject();
            e.put("type", type.name());
            e.put("enabled", switches.getOrDefault(type, true));
            ArrayNode subs = e.putArray("subscriptions");
            for (Versioned<Subscription> v : store.subscriptionsOf(type)) {
                subs.add(subscriptionView(v));
            }
        }
        ObjectNode body = F.objectNode();
        body.set("events", events);
        return json(body);
    }

    private static ObjectNode subscriptionView(Versioned<Subscription> v) {
        Subscription s = v.value();
        ObjectNode n = F.objectNode();
        n.put("id", s.id());
        n.put("eventType", s.eventType().name());
        ArrayNode ids = n.putArray("definitionIds");
        s.definitionIds().forEach(ids::add);
        ArrayNode sources = n.putArray("sources");
        s.sources().forEach(src -> sources.add(src.name()));
        n.put("enabled", s.enabled());
        n.put("version", v.version());
        return n;
    }

    private Response enableSubscription(AdminPrincipal who, String id, JsonNode body) {
        boolean enabled = requiredBoolean(body, "enabled");
        long version = requiredVersion(body);
        Subscription s = store().findSubscription(id)
                .orElseThrow(() -> new NotFoundException("no subscription " + id))
                .value();
        Versioned<Subscription> saved = store().updateSubscription(
                        new Subscription(s.id(), s.eventType(), s.definitionIds(), s.sources(), enabled), version);
        AUDIT.info("{} ({}) {} subscription {}", who.name(), who.role(), enabled ? "enabled" : "disabled", id);
        return json(subscriptionView(saved));
    }

    private Response saveSubscription(AdminPrincipal who, @Nullable String id, JsonNode body) {
        List<dev.postpurchase.core.Violation> v = new java.util.ArrayList<>();
        String subscriptionId = id != null ? id : body.path("id").asText("");
        ShopEventType eventType = null;
        try {
            eventType = ShopEventType.valueOf(body.path("eventType").asText(""));
        } catch (IllegalArgumentException e) {
            v.add(new Violation("eventType", "must be one of " + java.util.Arrays.toString(ShopEventType.values())));
        }
        java.util.Set<EventSource> sources = java.util.EnumSet.noneOf(EventSource.class);
        for (JsonNode source : body.path("sources")) {
            try {
                sources.add(EventSource.valueOf(source.asText()));
            } catch (IllegalArgumentException e) {
                v.add(new Violation("sources", "unknown source '" + source.asText() + "'"));
            }
        }
        List<String> definitionIds = new java.util.ArrayList<>();
        body.path("definitionIds").forEach(n -> definitionIds.add(n.asText()));
        if (!v.isEmpty()) {
            throw new ValidationException(v);
        }
        Subscription subscription = new Subscription(
                subscriptionId,
                java.util.Objects.requireNonNull(eventType, "eventType"),
                definitionIds,
                sources,
                body.path("enabled").asBoolean(true));
        Versioned<Subscription> saved = id == null
                ? store().createSubscription(subscription)
                : store().updateSubscription(subscription, requiredVersion(body));
        AUDIT.info(
                "{} ({}) {} subscription {}: {} to {} from {}",
                who.name(),
                who.role(),
                id == null ? "created" : "updated",
                subscriptionId,
                eventType,
                definitionIds,
                sources);
        return json(subscriptionView(saved));
    }

    private Response deleteSubscription(AdminPrincipal who, String id, JsonNode body) {
        store().deleteSubscription(id, requiredVersion(body));
        AUDIT.info("{} ({}) deleted subscription {}", who.name(), who.role(), id);
        ObjectNode n = F.objectNode();
        n.put("deleted", id);
        return json(n);
    }

    private Response enableEvent(AdminPrincipal who, String type, JsonNode body) {
        ShopEventType eventType = enumValue(ShopEventType.class, "type", type);
        boolean enabled = requiredBoolean(body, "enabled");
        store().setEventEnabled(eventType, enabled);
        AUDIT.info("{} ({}) switched {} notifications {}", who.name(), who.role(), eventType, enabled ? "on" : "off");
        ObjectNode n = F.objectNode();
        n.put("type", eventType.name());
        n.put("enabled", enabled);
        return json(n);
    }

    // ---- integrations

    private IntegrationSettingsStore integrationStore() {
        IntegrationSettingsStore store = settings.integrations();
        if (store == null) {
            throw new NotFoundException("this page was built without integration settings");
        }
        return store;
    }

    private static ObjectNode integrationView(IntegrationSetting s) {
        ObjectNode n = F.objectNode();
        n.put("integration", s.integration());
        n.put("enabled", s.enabled());
        n.put("apiKeySet", s.apiKey() != null && !s.apiKey().isBlank());
        return n;
    }

    private Response integrations() {
        ArrayNode list = F.arrayNode();
        integrationStore().list().forEach(s -> list.add(integrationView(s)));
        ObjectNode body = F.objectNode();
        body.set("integrations", list);
        return json(body);
    }

    private Response saveIntegration(AdminPrincipal who, String id, JsonNode body) {
        IntegrationSettingsStore store = integrationStore();
        boolean enabled = requiredBoolean(body, "enabled");
        String given = body.path("apiKey").asText("");
        boolean clear = body.path("clearApiKey").asBoolean(false);
        @Nullable Secret key;
        String keyChange;
        if (!given.isEmpty()) {
            key = Secret.of(given);
            keyChange = "; API key set";
        } else if (clear) {
            key = null;
            keyChange = "; API key cleared";
        } else {
            key = store.find(id).map(IntegrationSetting::apiKey).orElse(null);
            keyChange = "";
        }
        IntegrationSetting setting = new IntegrationSetting(id, enabled, key);
        store.save(setting);
        AUDIT.info(
                "{} ({}) saved integration {}: {}{}",
                who.name(),
                who.role(),
                id,
                enabled ? "enabled" : "disabled",
                keyChange);
        return json(integrationView(setting));
    }

    // ---- helpers

    private static long requiredVersion(JsonNode body) {
        JsonNode v = body.get("version");
        if (v == null || !v.canConvertToLong() || v.asLong() < 1) {
            throw new ValidationException("version", "is required: the version the editor loaded");
        }
        return v.asLong();
    }

    private static boolean requiredBoolean(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || !v.isBoolean()) {
            throw new ValidationException(field, "must be true or false");
        }
        return v.asBoolean();
    }

    private static Set<String> stringSet(JsonNode array) {
        Set<String> out = new HashSet<>();
        if (array.isArray()) {
            array.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String field, String value) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ValidationException(field, "unknown value '" + value + "'");
        }
    }

    private static JsonNode readTree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ValidationException("config", "is not valid JSON");
        }
    }

    private static JsonNode body(Exchange ex) {
        byte[] bytes;
        try {
            bytes = ex.body(MAX_BODY);
        } catch (IOException e) {
            throw new BadRequest("the request body could not be read or is larger than " + MAX_BODY + " bytes");
        }
        if (bytes.length == 0) {
            return F.objectNode();
        }
        try {
            JsonNode node = MAPPER.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new BadRequest("the request body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new BadRequest("the request body is not valid JSON");
        }
    }

    private static Optional<String> param(Exchange ex, String name) {
        List<String> values = ex.query().get(name);
        if (values == null || values.isEmpty() || values.get(0).isBlank()) {
            return Optional.empty();
        }
        return Optional.of(values.get(0).trim());
    }

    private static List<String> list(Exchange ex, String name) {
        List<String> out = new java.util.ArrayList<>();
        for (String value : ex.query().getOrDefault(name, List.of())) {
            for (String part : value.split(",")) {
                if (!part.isBlank()) {
                    out.add(part);
                }
            }
        }
        return out;
    }

    private static String required(Exchange ex, String name) {
        return param(ex, name).orElseThrow(() -> new ValidationException(name, "is required"));
    }

    private static Instant instant(String field, String value) {
        try {
            if (value.length() == 10) {
                return Instant.parse(value + "T00:00:00Z");
            }
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new ValidationException(field, "must be a date (2026-01-31) or an instant (2026-01-31T10:00:00Z)");
        }
    }

    private static int integer(String field, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ValidationException(field, "must be a whole number");
        }
    }

    private static @Nullable String text(@Nullable Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static Response json(JsonNode body) {
        try {
            return Response.of(200, JSON, MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    private static Response error(int status, @Nullable String message, @Nullable List<Violation> violations) {
        ObjectNode body = F.objectNode();
        body.put("error", message == null ? "error" : message);
        if (violations != null) {
            ArrayNode list = body.putArray("violations");
            for (Violation v : violations) {
                ObjectNode n = list.addObject();
                n.put("field", v.field());
                n.put("message", v.message());
            }
        }
        try {
            return Response.of(status, JSON, MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            return Response.text(status, "error");
        }
    }

    private Response asset(String name) {
        byte[] bytes = assetCache.computeIfAbsent(name, AdminHandler::load);
        String type = name.endsWith(".js")
                ? "text/javascript; charset=utf-8"
                : name.endsWith(".css") ? "text/css; charset=utf-8" : "text/html; charset=utf-8";
        return Response.of(200, type, bytes);
    }

    private static byte[] load(String name) {
        try (InputStream in = AdminHandler.class.getResourceAsStream("/dev/postpurchase/admin/ui/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the admin page's " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the admin page's " + name, e);
        }
    }

    @Override
    public String toString() {
        return "AdminHandler[configuration=" + (definitions != null) + ", testers="
                + settings.testers().keySet() + ", frameAncestors=" + settings.frameAncestors() + "]";
    }

    static final class BadRequest extends PostpurchaseException {
        BadRequest(String message) {
            super(message);
        }
    }
}
