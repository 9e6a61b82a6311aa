package dev.postpurchase.webhook;

import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.action.PaymentScope;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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
public final class WebhookActionExecutor implements ActionExecutor<WebhookConfig> {
    /** The action type. */
    public static final String TYPE = "webhook";

    /** The default retry policy described above. */
    public static final RetryPolicy DEFAULT_RETRY_POLICY =
            new ExponentialBackoffRetry(Duration.ofSeconds(5), 4.0, Duration.ofHours(12), 9, 0.2);

    private final GuardedHttpClient client;

    /** An executor sending through {@code client}, whose policy (https only, allow-list...) also validates URLs. */
    public WebhookActionExecutor(GuardedHttpClient client) {
        this.client = Objects.requireNonNull(client, "client");
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

    @Override
    public ExecutionOutcome execute(ExecutionContext<WebhookConfig> context) {
        Order order = context.order();
        if (order == null) {
            return ExecutionOutcome.permanent("the webhook action needs an order, but this trigger has none");
        }
        List<WebhookSecret> secrets;
        try {
            secrets = context.config().signingSecrets();
        } catch (ValidationException e) {
            return ExecutionOutcome.permanent(e.getMessage());
        }
        String webhookId = context.idempotencyKey();
        byte[] body = OrderWebhookPayload.orderPaid(order, webhookId).toBytes();
        long timestamp = context.now().getEpochSecond();
        Map<String, String> signed = StandardWebhookSigner.of(secrets).headers(webhookId, timestamp, body);
        HttpRequestSpec spec;
        try {
            HttpRequestSpec.Builder builder =
                    HttpRequestSpec.builder("POST", context.config().url());
            signed.forEach(builder::header);
            // the attempt's trace, when the application traces (W3C Trace Context); not part of the signature
            TraceContext.traceParent().ifPresent(traceParent -> builder.header("traceparent", traceParent));
            spec = builder.body(body, "application/json").build();
        } catch (HttpCallException e) {
            return HttpOutcomes.of(e);
        }
        return HttpOutcomes.call(client, spec, context.clock());
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
        return "WebhookActionExecutor[" + client + "]";
    }
}
