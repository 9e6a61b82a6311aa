package dev.postpurchase.webhook;

import dev.postpurchase.core.Violations;
import dev.postpurchase.core.action.PaymentScope;
import dev.postpurchase.core.event.ShopEvent;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.retry.ExponentialBackoffRetry;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.ActionExecutor;
import dev.postpurchase.core.spi.ExecutionContext;
import dev.postpurchase.core.spi.ExecutionOutcome;
import dev.postpurchase.core.spi.TraceContext;
import dev.postpurchase.http.GuardedHttpClient;
import dev.postpurchase.http.HttpCallException;
import dev.postpurchase.http.HttpOutcomes;
import dev.postpurchase.http.HttpRequestSpec;
import dev.postpurchase.http.HttpResult;
import dev.postpurchase.webhook.internal.SampleOrders;
import dev.postpurchase.webhook.internal.SigningTarget;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The {@code webhook} action: POSTs the {@link OrderWebhookPayload} of the paid order to the merchant's URL, signed
 * per Standard Webhooks.
 *
 * <p>Each attempt sends {@code webhook-id} = {@link ExecutionContext#idempotencyKey()} (the same on every retry and
 * re-run of the run, so receivers deduplicate on it), a fresh {@code webhook-timestamp} from the pipeline's clock
 * (re-signed per attempt, so a late retry still passes the receiver's 5-minute tolerance), {@code webhook-signature}
 * (two signatures while a secret is being rotated) and {@code Content-Type: application/json}. The body is identical
 * on every attempt. The outcome follows {@link HttpOutcomes}: 2xx succeeded; 410 and other 4xx, 3xx, blocked or
 * invalid URLs fail for good; 429, 5xx, timeouts and connection errors are retried, honouring {@code Retry-After}.
 *
 * <p>Idempotent (receivers deduplicate by {@code webhook-id}), so runs of a dead worker are recovered automatically.
 * Default retry: exponential from 5 s, times 4, capped at 12 h, 9 retries, 20% jitter (about 5 s, 20 s, 80 s, 5 min,
 * 21 min, 85 min, 6 h, 12 h, 12 h; close to the Standard Webhooks schedule). Thread-safe.
 */
public final class WebhookOrderExecutor implements ActionExecutor<WebhookConfig> {
    /** The action type. */
    public static final String TYPE = "webhook";

    /** The default retry policy described above. */
    public static final RetryPolicy DEFAULT_RETRY_POLICY =
            new ExponentialBackoffRetry(Duration.ofSeconds(5), 4.0, Duration.ofHours(12), 9, 0.2);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final GuardedHttpClient client;
    private final Clock clock;

    private WebhookOrderExecutor(GuardedHttpClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /** A builder; the HTTP client is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Class<WebhookConfig> configType() {
        return WebhookConfig.class;
    }

    @Override
    public void validate(WebhookConfig config) {
        config.validate(client);
    }

    /** Validates, then checks the URL and parses the secrets once for every attempt of this config. */
    @Override
    public SigningTarget resolve(WebhookConfig config) {
        validate(config);
        return new SigningTarget(client.checkUrl(config.url()), StandardWebhookSigner.of(config.signingSecrets()));
    }

    @Override
    public boolean needsOrder() {
        return true;
    }

    @Override
    public ExecutionOutcome execute(ExecutionContext<WebhookConfig> context) {
        Order order = context.requireOrder();
        SigningTarget target = context.resolved(SigningTarget.class);
        String webhookId = context.idempotencyKey();
        ShopEvent event = context.event();
        // fired by an event (a refund, a cancellation...): the payload says which, never order.paid
        byte[] body = (event == null
                        ? OrderWebhookPayload.orderPaid(order, webhookId)
                        : OrderWebhookPayload.of(event.type().wireName(), order, webhookId, event.occurredAt()))
                .toBytes();
        long timestamp = context.now().getEpochSecond();
        HttpRequestSpec.Builder builder = HttpRequestSpec.builder("POST", target.url());
        target.signer().headers(webhookId, timestamp, body).forEach(builder::header);
        // the attempt's trace, when the application traces (W3C Trace Context); not part of the signature
        TraceContext.traceParent().ifPresent(traceParent -> builder.header("traceparent", traceParent));
        return HttpOutcomes.call(client, builder.body(body, "application/json").build(), context.clock());
    }

    /**
     * The "Test webhook" button: sends one signed {@code order.paid} delivery of a sample order (ids {@code
     * test-order}, {@code test-transaction}; a {@code webhook-id} of {@code msg_test_...}) to the config's URL, as a
     * run would, and reports the answer. Creates no run; the receiver can tell the test by its ids.
     *
     * @throws dev.postpurchase.core.ValidationException if the config is invalid
     */
    public WebhookTestResult testWebhook(WebhookConfig config) {
        SigningTarget target = resolve(config);
        byte[] random = new byte[8];
        RANDOM.nextBytes(random);
        String webhookId = "msg_test_" + HexFormat.of().formatHex(random);
        byte[] body = OrderWebhookPayload.orderPaid(SampleOrders.sample(null, clock.instant()), webhookId)
                .toBytes();
        HttpRequestSpec.Builder builder = HttpRequestSpec.builder("POST", target.url());
        target.signer()
                .headers(webhookId, clock.instant().getEpochSecond(), body)
                .forEach(builder::header);
        HttpRequestSpec request = builder.body(body, "application/json").build();
        long started = System.nanoTime();
        HttpResult result = null;
        ExecutionOutcome outcome;
        try {
            result = client.execute(request);
            outcome = HttpOutcomes.of(result, clock);
        } catch (HttpCallException e) {
            outcome = HttpOutcomes.of(e);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        String problem = outcome instanceof ExecutionOutcome.RetryableFailure r
                ? r.failure().reason()
                : outcome instanceof ExecutionOutcome.PermanentFailure p ? p.reason() : null;
        return new WebhookTestResult(
                webhookId,
                result == null ? null : result.status(),
                result == null ? "" : result.bodyPrefix(HttpOutcomes.BODY_PREFIX_CHARS),
                elapsed,
                problem == null,
                problem);
    }

    @Override
    public boolean idempotent() {
        return true;
    }

    /** Every payment: a receiver that records revenue needs each renewal and instalment ({@code data.payment}). */
    @Override
    public PaymentScope defaultPaymentScope() {
        return PaymentScope.EVERY_PAYMENT;
    }

    @Override
    public RetryPolicy defaultRetryPolicy() {
        return DEFAULT_RETRY_POLICY;
    }

    @Override
    public String toString() {
        return "WebhookOrderExecutor[" + client + "]";
    }

    /** Mutable, not thread-safe builder of {@link WebhookOrderExecutor}. */
    public static final class Builder {
        private @Nullable GuardedHttpClient client;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** The clock of {@link #testWebhook} timestamps (runs use the pipeline's); default the UTC system clock. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** Required: the client deliveries go through; its URL policy (https only, allow-list...) also validates URLs. */
        public Builder httpClient(GuardedHttpClient value) {
            this.client = value;
            return this;
        }

        /**
         * Builds.
         *
         * @throws dev.postpurchase.core.ValidationException naming {@code httpClient} when it is missing
         */
        public WebhookOrderExecutor build() {
            Violations.check(v -> v.require("httpClient", client));
            return new WebhookOrderExecutor(Objects.requireNonNull(client), clock);
        }
    }
}
