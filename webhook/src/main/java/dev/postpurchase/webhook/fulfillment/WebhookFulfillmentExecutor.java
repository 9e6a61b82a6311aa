package dev.postpurchase.webhook.fulfillment;

import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.Violations;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.order.LineItem;
import dev.postpurchase.core.order.Money;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.retry.Failure;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.ActionExecutor;
import dev.postpurchase.core.spi.DeliveryException;
import dev.postpurchase.core.spi.ExecutionContext;
import dev.postpurchase.core.spi.ExecutionOutcome;
import dev.postpurchase.core.spi.FulfilledUnit;
import dev.postpurchase.core.spi.FulfillmentDelivery;
import dev.postpurchase.core.spi.FulfillmentMessage;
import dev.postpurchase.core.spi.TraceContext;
import dev.postpurchase.http.GuardedHttpClient;
import dev.postpurchase.http.HttpCallException;
import dev.postpurchase.http.HttpOutcomes;
import dev.postpurchase.http.HttpRequestSpec;
import dev.postpurchase.http.HttpResult;
import dev.postpurchase.http.HttpTimeoutException;
import dev.postpurchase.webhook.CanonicalQuery;
import dev.postpurchase.webhook.StandardWebhookSigner;
import dev.postpurchase.webhook.internal.SampleOrders;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code fulfillment-webhook} action: asks the merchant's server for order-specific data (typically a licence
 * key) and hands every answer, with the merchant's instructions, to the customer through the
 * {@link FulfillmentDelivery} SPI (implemented by the email module; this module never depends on it).
 *
 * <p><b>Lines.</b> A run fulfils the lines of what its definition hangs on: a product-level action the lines of its
 * product, an offer-level action the lines sold through its offer (an order bump has its own offer), a
 * checkout-level action every line; the config's {@code productId} narrows any level to one product. The run's
 * result lists every fulfilled unit with its line and product. An order without such a line is skipped, with the
 * reason recorded. Definitions run on the first payment of a purchase only unless they say otherwise (the seed: for
 * subscription plans the fulfillment is a one-off).
 *
 * <p><b>Requests.</b> One request per order line with the line's quantity, or, with
 * {@link FulfillmentWebhookConfig#separateMultibuy() separate multibuy}, one per unit. Every request carries the
 * standard fields of {@link FulfillmentFields} plus the config's custom fields, in the {@link CanonicalQuery canonical
 * form}: as the query string of a GET (merged with the URL's own query parameters), or as an
 * {@code application/x-www-form-urlencoded} POST body. Requests are sent one after the other, in line and unit order.
 *
 * <p><b>Signing.</b> Every request, GET included, carries the Standard Webhooks headers: {@code webhook-id}, a fresh
 * {@code webhook-timestamp} from the pipeline's clock and {@code webhook-signature} over {@code id.timestamp.}
 * followed by the canonical form of the fields (for a POST that is exactly the body; for a GET the canonical query
 * string, which is exactly the query sent). Receivers check a GET with
 * {@link dev.postpurchase.webhook.StandardWebhookVerifier#verifyQuery(String, java.util.Map)} and a POST with
 * {@code verify(rawBody, headers)} or any Standard Webhooks library. The {@code webhook-id} is the run's
 * {@link ExecutionContext#idempotencyKey() idempotency key} when the run makes one request, and the key followed by
 * {@code _} and the request's 1-based number (the unit index with separate multibuy of one line) when it makes
 * several; it is the same on every retry and re-run, so receivers deduplicate on it. When the attempt is traced
 * ({@link TraceContext#traceParent()}), every request also carries the W3C {@code traceparent} header of the
 * attempt's span, outside the signed content, as order webhooks and postbacks do.
 *
 * <p><b>Contract</b> ({@link FulfillmentContract}, configurable per executor): a request is fulfilled when the server
 * answers exactly {@code HTTP 200} within 30 seconds with a string body of at most 600 KB; the body (text, decoded as
 * UTF-8) is kept as received. An empty (or blank) body fulfils nothing and is retried like any other failure. Anything else, a timeout, a connection failure, a larger body (only the limit
 * plus one byte is read) or another status, fails the attempt; it is retried every 10 minutes, at most 4 times
 * ({@link #defaultRetryPolicy()}, which a definition may override). A blocked or invalid URL fails for good.
 *
 * <p><b>Units are tracked one by one.</b> After each failed attempt the units fulfilled so far are recorded as the
 * run's partial result and read back from {@link ExecutionContext#previousResult()} by the next attempt (automatic
 * retry or manual re-run), which requests only the missing units; the first failing request ends the attempt. Once
 * every unit is fulfilled, one {@link FulfillmentMessage} with every unit's body (in order) and the merchant's
 * instructions goes to the delivery. If the delivery throws a retryable {@link DeliveryException} (or any other
 * runtime exception) the attempt is retried without requesting any unit again; a non-retryable one fails the run,
 * keeping the units. The run's result on success is the same JSON document with {@code "delivered": true}.
 *
 * <p><b>Customer-facing text.</b> Response bodies go to the delivery exactly as received: the email module renders
 * them with Markdown semantics, so a receiver that wants a Markdown special character shown literally escapes it
 * with a backslash or marks it as code, as the product documentation tells merchants. Instructions go as the
 * merchant wrote them, untrusted HTML: the delivery sanitises them (the email module with the same allow-list as a
 * custom email's rich text).
 *
 * <p>Idempotent (receivers deduplicate by {@code webhook-id}, the delivery by the idempotency key), so runs of a dead
 * worker are recovered automatically. Thread-safe.
 */
public final class WebhookFulfillmentExecutor implements ActionExecutor<FulfillmentWebhookConfig> {
    /** The action type. */
    public static final String TYPE = "fulfillment-webhook";

    /** The content type of a POST body. */
    public static final String FORM_CONTENT_TYPE = "application/x-www-form-urlencoded";

    private static final Logger LOG = LoggerFactory.getLogger(WebhookFulfillmentExecutor.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final GuardedHttpClient client;
    private final FulfillmentDelivery delivery;
    private final FulfillmentContract contract;
    private final Clock clock;

    private WebhookFulfillmentExecutor(Builder b) {
        this.client = Objects.requireNonNull(b.client);
        this.delivery = Objects.requireNonNull(b.delivery);
        this.contract = b.contract;
        this.clock = b.clock;
    }

    /** A builder; the client and the delivery are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The contract requests are judged by. */
    public FulfillmentContract contract() {
        return contract;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Class<FulfillmentWebhookConfig> configType() {
        return FulfillmentWebhookConfig.class;
    }

    @Override
    public void validate(FulfillmentWebhookConfig config) {
        config.validate(client);
    }

    /** Validates, then parses the signing secrets once for every attempt of this config. */
    @Override
    public StandardWebhookSigner resolve(FulfillmentWebhookConfig config) {
        validate(config);
        return StandardWebhookSigner.of(config.signingSecrets());
    }

    /** Paid orders only: fulfilling a refund or a cancellation would be the opposite of what they mean. */
    @Override
    public Set<TriggerKind> triggerKinds() {
        return EnumSet.of(TriggerKind.ORDER);
    }

    @Override
    public boolean needsOrder() {
        return true;
    }

    @Override
    public boolean idempotent() {
        return true;
    }

    /** {@code RetryPolicy.fixed(retryInterval, maxRetries)} of the contract: every 10 minutes, 4 times by default. */
    @Override
    public RetryPolicy defaultRetryPolicy() {
        return contract.retryPolicy();
    }

    @Override
    public ExecutionOutcome execute(ExecutionContext<FulfillmentWebhookConfig> context) {
        Order order = context.requireOrder();
        FulfillmentWebhookConfig config = context.config();
        StandardWebhookSigner signer = context.resolved(StandardWebhookSigner.class);
        FulfilledLines lines = FulfilledLines.of(config, context.run());
        List<UnitRequest> plan = UnitRequest.plan(order, lines, config.separateMultibuy());
        if (plan.isEmpty()) {
            return ExecutionOutcome.skipped("the order has none of " + lines.describe() + " to fulfil");
        }
        Map<String, FulfillmentProgress.Done> earlier = FulfillmentProgress.read(context.previousResult());
        Map<String, FulfillmentProgress.Done> done = new LinkedHashMap<>();
        for (UnitRequest request : plan) {
            FulfillmentProgress.Done previous = earlier.get(request.key());
            if (previous != null) {
                done.put(request.key(), previous);
            }
        }
        for (UnitRequest request : plan) {
            if (done.containsKey(request.key())) {
                continue;
            }
            String webhookId = webhookId(context.idempotencyKey(), request, plan.size());
            Exchange exchange = send(config, signer, order, request, webhookId, context.now(), false);
            String label = "request " + request.number() + " of " + plan.size() + " (line " + request.line() + ", unit "
                    + request.unitIndex() + ")";
            ExecutionOutcome failure = judge(exchange, label, context.clock(), () -> partial(plan, done, false));
            if (failure != null) {
                return failure;
            }
            HttpResult result = Objects.requireNonNull(exchange.result);
            done.put(
                    request.key(),
                    new FulfillmentProgress.Done(
                            request.line(),
                            request.unitIndex(),
                            request.quantity(),
                            request.item().productId(),
                            request.item().title(),
                            result.bodyAsString()));
        }
        List<FulfilledUnit> units = new ArrayList<>(plan.size());
        for (UnitRequest request : plan) {
            // the loop above either found or fulfilled every unit of the plan
            units.add(Objects.requireNonNull(done.get(request.key()), request.key())
                    .toUnit());
        }
        String partial = partial(plan, done, false);
        FulfillmentMessage message = new FulfillmentMessage(
                context.run().id(), context.idempotencyKey(), order, config.instructions(), units);
        try {
            delivery.deliver(message);
        } catch (DeliveryException e) {
            return ExecutionOutcome.failed(
                    e, "all " + plan.size() + " request(s) fulfilled; handing them to the customer failed: ", partial);
        } catch (RuntimeException e) {
            LOG.warn(
                    "fulfillment delivery of run {} threw {}",
                    context.run().id(),
                    e.getClass().getName());
            return ExecutionOutcome.retry(
                    Failure.of("all " + plan.size() + " request(s) fulfilled; handing them to the customer failed: "
                            + e.getClass().getSimpleName()),
                    partial);
        }
        return ExecutionOutcome.succeeded(partial(plan, done, true));
    }

    /**
     * Sends one request of a sample order with {@code config} exactly as a run would (same method, fields, custom
     * fields and signing), with {@code test=true} and a fresh {@code webhook-id}, and reports what the server
     * answered. Creates no run and hands nothing to a customer. The sample order has one unit of the config's
     * product (or {@code sample-product}) for a customer named Test Customer.
     *
     * @throws ValidationException if the config is invalid, exactly as when it is saved
     */
    public FulfillmentTestResult testWebhook(FulfillmentWebhookConfig config) {
        return testWebhook(config, SampleOrders.sample(config.productId(), clock.instant()));
    }

    /**
     * As {@link #testWebhook(FulfillmentWebhookConfig)} with a sample order of the caller's choice; only its first
     * request is sent.
     *
     * @throws ValidationException if the config is invalid or has no request for this order
     */
    public FulfillmentTestResult testWebhook(FulfillmentWebhookConfig config, Order sample) {
        validate(config);
        List<UnitRequest> plan = UnitRequest.plan(sample, FulfilledLines.of(config), config.separateMultibuy());
        if (plan.isEmpty()) {
            throw new ValidationException("productId", "the sample order has no line of this product");
        }
        byte[] random = new byte[8];
        RANDOM.nextBytes(random);
        String webhookId = "msg_test_" + HexFormat.of().formatHex(random);
        StandardWebhookSigner signer = StandardWebhookSigner.of(config.signingSecrets());
        Exchange exchange = send(config, signer, sample, plan.get(0), webhookId, clock.instant(), true);
        ExecutionOutcome failure = judge(exchange, "the test request", clock, () -> null);
        HttpResult result = exchange.result;
        String problem = null;
        if (failure instanceof ExecutionOutcome.RetryableFailure r) {
            problem = r.failure().reason();
        } else if (failure instanceof ExecutionOutcome.PermanentFailure p) {
            problem = p.reason();
        }
        return new FulfillmentTestResult(
                webhookId,
                result == null ? null : result.status(),
                result == null ? "" : result.bodyPrefix(HttpOutcomes.BODY_PREFIX_CHARS),
                result == null ? 0 : result.bodyLength(),
                exchange.elapsed,
                failure == null,
                problem);
    }

    @Override
    public String toString() {
        return "WebhookFulfillmentExecutor[" + contract + ", " + client + "]";
    }

    /**
     * The outcome when the exchange broke the contract, or null when the unit is fulfilled; {@code partial} gives the
     * progress to record, only computed on failure. Client failures map as every executor's do ({@link
     * HttpOutcomes#of(HttpCallException)}); every answer but a non-empty HTTP 200 is retried.
     */
    private @Nullable ExecutionOutcome judge(
            Exchange exchange, String label, Clock clock, Supplier<@Nullable String> partial) {
        HttpResult result = exchange.result;
        if (exchange.error == null
                && result != null
                && result.status() == 200
                && !result.bodyTruncated()
                && !result.bodyAsString().isBlank()) {
            return null;
        }
        String partialResult = partial.get();
        HttpCallException error = exchange.error;
        if (error != null) {
            String prefix = error instanceof HttpTimeoutException
                    ? label + ": no answer within " + contract.responseTimeout().toMillis() + " ms: "
                    : label + ": ";
            return ExecutionOutcome.failed(error, prefix, partialResult);
        }
        Objects.requireNonNull(result);
        String reason;
        if (result.status() != 200) {
            reason = label + ": " + HttpOutcomes.describe(result) + " (the contract asks for HTTP 200)";
        } else if (!result.bodyTruncated()) {
            reason = label + ": HTTP 200 with an empty body (the contract asks for a string, such as a licence key)";
        } else {
            reason = tooLargeReason(label, 200);
        }
        return HttpOutcomes.retryable(result, clock, reason, partialResult);
    }

    private String tooLargeReason(String label, int status) {
        return label + ": HTTP " + status + " with a body larger than " + contract.maxResponseBytes() + " bytes";
    }

    private Exchange send(
            FulfillmentWebhookConfig config,
            StandardWebhookSigner signer,
            Order order,
            UnitRequest request,
            String webhookId,
            Instant now,
            boolean test) {
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        fields(order, request, test).forEach((k, v) -> pairs.add(new SimpleImmutableEntry<>(k, v)));
        for (CustomField field : config.customFields()) {
            pairs.add(new SimpleImmutableEntry<>(field.name(), field.valueFor(order)));
        }
        String url = config.url();
        if (config.method() == FulfillmentMethod.GET) {
            pairs.addAll(CanonicalQuery.parse(FulfillmentWebhookConfig.rawQuery(url)));
        }
        String canonical = CanonicalQuery.ofPairs(pairs);
        byte[] signed = canonical.getBytes(StandardCharsets.UTF_8);
        long start = System.nanoTime();
        try {
            HttpRequestSpec.Builder spec;
            if (config.method() == FulfillmentMethod.GET) {
                spec = HttpRequestSpec.builder("GET", FulfillmentWebhookConfig.withoutQuery(url) + "?" + canonical);
            } else {
                spec = HttpRequestSpec.builder("POST", url).body(signed, FORM_CONTENT_TYPE);
            }
            signer.headers(webhookId, now.getEpochSecond(), signed).forEach(spec::header);
            // the attempt's trace, when the application traces (W3C Trace Context); not part of the signature
            TraceContext.traceParent().ifPresent(traceParent -> spec.header("traceparent", traceParent));
            spec.header("Accept", "text/plain, */*")
                    .callTimeout(contract.responseTimeout())
                    .maxResponseBytes(contract.maxResponseBytes());
            HttpResult result = client.execute(spec.build());
            return new Exchange(result, null, result.elapsed());
        } catch (HttpCallException e) {
            return new Exchange(null, e, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private static Map<String, String> fields(Order order, UnitRequest request, boolean test) {
        LineItem item = request.item();
        String currency = order.currency();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(FulfillmentFields.TEST, Boolean.toString(test));
        fields.put(FulfillmentFields.ORDER_ID, order.id());
        fields.put(FulfillmentFields.LINE, Integer.toString(request.line()));
        fields.put(FulfillmentFields.PRODUCT_ID, item.productId());
        fields.put(FulfillmentFields.PRODUCT_TITLE, item.title());
        fields.put(FulfillmentFields.OFFER_ID, item.offerId() == null ? "" : item.offerId());
        fields.put(FulfillmentFields.QUANTITY, Integer.toString(request.quantity()));
        fields.put(FulfillmentFields.UNIT_INDEX, Integer.toString(request.unitIndex()));
        fields.put(FulfillmentFields.UNIT_COUNT, Integer.toString(item.quantity()));
        fields.put(FulfillmentFields.CURRENCY, currency);
        fields.put(FulfillmentFields.UNIT_PRICE, decimal(item.unitPrice(), currency));
        fields.put(FulfillmentFields.LINE_TOTAL, decimal(item.total(), currency));
        fields.put(FulfillmentFields.LANGUAGE, order.language());
        fields.put(
                FulfillmentFields.PAID_AT,
                DateTimeFormatter.ISO_INSTANT.format(order.transaction().paidAt()));
        return fields;
    }

    /** The amount as a decimal string; empty when the line's amounts are unknown (never a made-up price). */
    private static String decimal(@Nullable Long minor, String currency) {
        return minor == null ? "" : Money.toDecimalString(minor, currency);
    }

    private static String webhookId(String idempotencyKey, UnitRequest request, int requests) {
        return requests == 1 ? idempotencyKey : idempotencyKey + "_" + request.number();
    }

    private static String partial(
            List<UnitRequest> plan, Map<String, FulfillmentProgress.Done> done, boolean delivered) {
        List<FulfillmentProgress.Done> units = new ArrayList<>(done.size());
        for (UnitRequest request : plan) {
            FulfillmentProgress.Done d = done.get(request.key());
            if (d != null) {
                units.add(d);
            }
        }
        return FulfillmentProgress.write(units, delivered);
    }

    /** What one request gave: a result or an error, and how long it took. */
    private static final class Exchange {
        final @Nullable HttpResult result;
        final @Nullable HttpCallException error;
        final Duration elapsed;

        Exchange(@Nullable HttpResult result, @Nullable HttpCallException error, Duration elapsed) {
            this.result = result;
            this.error = error;
            this.elapsed = elapsed;
        }
    }

    /** Mutable, not thread-safe builder. */
    public static final class Builder {
        private @Nullable GuardedHttpClient client;
        private @Nullable FulfillmentDelivery delivery;
        private FulfillmentContract contract = FulfillmentContract.defaults();
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /**
         * Required: the client requests go through; its URL policy (https only, development allow-list) also
         * validates configs. Its connect and read timeouts still apply within the contract's response timeout, so
         * they should not be shorter (the defaults, 10 s and 30 s, fit the default contract).
         */
        public Builder httpClient(GuardedHttpClient value) {
            this.client = value;
            return this;
        }

        /** Required: where fulfilled units go to reach the customer (the email module's implementation). */
        public Builder delivery(FulfillmentDelivery value) {
            this.delivery = Objects.requireNonNull(value, "delivery");
            return this;
        }

        /** The contract; default {@link FulfillmentContract#defaults()}. */
        public Builder contract(FulfillmentContract value) {
            this.contract = Objects.requireNonNull(value, "contract");
            return this;
        }

        /** The clock of {@link #testWebhook} timestamps (runs use the pipeline's); default the UTC system clock. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * Builds.
         *
         * @throws ValidationException naming {@code httpClient} and {@code delivery} when missing
         */
        public WebhookFulfillmentExecutor build() {
            Violations v = new Violations();
            v.require("httpClient", client);
            v.require("delivery", delivery);
            v.throwIfAny();
            return new WebhookFulfillmentExecutor(this);
        }
    }
}
