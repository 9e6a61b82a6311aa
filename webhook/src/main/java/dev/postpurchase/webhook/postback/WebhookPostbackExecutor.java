package dev.postpurchase.webhook.postback;

import dev.postpurchase.core.Violations;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.event.ShopEvent;
import dev.postpurchase.core.event.ShopEventType;
import dev.postpurchase.core.retry.Failure;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.retry.StatusCodeRetry;
import dev.postpurchase.core.spi.ActionExecutor;
import dev.postpurchase.core.spi.ExecutionContext;
import dev.postpurchase.core.spi.ExecutionOutcome;
import dev.postpurchase.core.spi.TraceContext;
import dev.postpurchase.http.GuardedHttpClient;
import dev.postpurchase.http.HttpCallException;
import dev.postpurchase.http.HttpOutcomes;
import dev.postpurchase.http.HttpRequestSpec;
import dev.postpurchase.http.HttpResponseTooLargeException;
import dev.postpurchase.http.HttpResult;
import dev.postpurchase.http.HttpTimeoutException;
import dev.postpurchase.webhook.StandardWebhookSigner;
import dev.postpurchase.webhook.internal.SigningTarget;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The {@code postback} action: POSTs the {@link PostbackPayload} of the triggering {@link ShopEvent} to a channel's
 * URL, signed per Standard Webhooks like the order webhook ({@code webhook-id} = the run's idempotency key, fresh
 * {@code webhook-timestamp} per attempt, {@code webhook-signature}, {@code Content-Type: application/json}).
 *
 * <p><b>Routing</b> is the core's: a {@link dev.postpurchase.core.event.Subscription} names an event type, the
 * postback definitions (channels) to run, the sources to notify for (admin, shop, funnel) and an enabled switch;
 * the {@link dev.postpurchase.core.spi.DefinitionSource#eventEnabled per-event switch} turns an event type off for
 * every channel. {@code ActionPipeline.publish(event)} creates one run per matching channel.
 *
 * <p><b>Outcome.</b> Any 2xx succeeds. Any other status is a retryable failure carrying the status (and
 * {@code Retry-After}); whether it is retried is the run's policy's decision. The default policy,
 * {@code RetryPolicy.onStatusCodes(codes, delay, 3)}, retries at most 3 times and only on the listed codes (default
 * {@link StatusCodeRetry#DEFAULT_CODES}: 408, 429, 500, 502, 503, 504; configurable), so another status fails the
 * run at once. No answer within the timeout (default 30 s) fails the attempt with {@link Failure#timedOut()}, which
 * that policy never retries: the run is FAILED ("timed out, not retried automatically"); connection failures are
 * not retried automatically either. A manual retry is always possible with
 * {@code ActionPipeline.rerun(runId, RerunOptions.defaults())}, which sends the same body with the same
 * {@code webhook-id}, under the same timeout. A blocked or invalid URL fails for good.
 *
 * <p>Idempotent (receivers deduplicate by {@code webhook-id}), so runs of a dead worker are recovered
 * automatically. Thread-safe.
 */
public final class WebhookPostbackExecutor implements ActionExecutor<PostbackConfig> {
    /** The action type. */
    public static final String TYPE = "postback";

    /** The default timeout: 30 seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** The default delay before an automatic retry: 1 minute. */
    public static final Duration DEFAULT_RETRY_DELAY = Duration.ofMinutes(1);

    /** The default number of automatic retries: 3. */
    public static final int DEFAULT_MAX_RETRIES = 3;

    /**
     * The events whose postbacks staff may retry by hand, as the notifications seed lists them: order completed,
     * approved transaction, transaction declined, refund applied.
     */
    public static final Set<ShopEventType> DEFAULT_MANUAL_RETRY_EVENTS = Set.of(
            ShopEventType.ORDER_COMPLETED,
            ShopEventType.TRANSACTION_APPROVED,
            ShopEventType.TRANSACTION_DECLINED,
            ShopEventType.REFUND_APPLIED);

    private final GuardedHttpClient client;
    private final Duration timeout;
    private final RetryPolicy retryPolicy;
    private final Set<ShopEventType> manualRetryEvents;

    private WebhookPostbackExecutor(Builder b) {
        this.client = Objects.requireNonNull(b.client);
        this.timeout = b.timeout;
        this.manualRetryEvents = Set.copyOf(b.manualRetryEvents);
        this.retryPolicy = RetryPolicy.onStatusCodes(b.retryStatusCodes, b.retryDelay, b.maxRetries);
    }

    /** A builder; the client is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** How long one delivery may take, connecting to the end of the response. */
    public Duration timeout() {
        return timeout;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Class<PostbackConfig> configType() {
        return PostbackConfig.class;
    }

    @Override
    public void validate(PostbackConfig config) {
        config.validate(client);
    }

    @Override
    public boolean idempotent() {
        return true;
    }

    /** {@code RetryPolicy.onStatusCodes(codes, delay, maxRetries)} with the builder's figures. */
    @Override
    public RetryPolicy defaultRetryPolicy() {
        return retryPolicy;
    }

    /** Validates, then checks the URL and parses the secrets once for every attempt of this config. */
    @Override
    public SigningTarget resolve(PostbackConfig config) {
        validate(config);
        return new SigningTarget(client.checkUrl(config.url()), StandardWebhookSigner.of(config.signingSecrets()));
    }

    /** Shop events only: a postback definition is never run for a paid order, whatever it hangs on. */
    @Override
    public Set<TriggerKind> triggerKinds() {
        return EnumSet.of(TriggerKind.EVENT);
    }

    @Override
    public ExecutionOutcome execute(ExecutionContext<PostbackConfig> context) {
        ShopEvent event = context.requireEvent();
        SigningTarget target = context.resolved(SigningTarget.class);
        String webhookId = context.idempotencyKey();
        byte[] body = PostbackPayload.of(event, webhookId).toBytes();
        long timestamp = context.now().getEpochSecond();
        HttpResult result;
        try {
            HttpRequestSpec.Builder spec = HttpRequestSpec.builder("POST", target.url())
                    .body(body, "application/json")
                    .callTimeout(timeout);
            target.signer().headers(webhookId, timestamp, body).forEach(spec::header);
            // the attempt's trace, when the application traces (W3C Trace Context); not part of the signature
            TraceContext.traceParent().ifPresent(traceParent -> spec.header("traceparent", traceParent));
            result = client.execute(spec.build());
        } catch (HttpTimeoutException e) {
            return ExecutionOutcome.failed(e, "no answer within " + timeout.toMillis() + " ms: ", null);
        } catch (HttpResponseTooLargeException e) {
            if (e.statusCode() >= 200 && e.statusCode() < 300) {
                return ExecutionOutcome.succeeded("HTTP " + e.statusCode() + " (body over the client's limit)");
            }
            return HttpOutcomes.of(e);
        } catch (HttpCallException e) {
            return HttpOutcomes.of(e);
        }
        return HttpOutcomes.retryingEveryStatus(result, context.clock(), "", null);
    }

    /** Staff may retry a postback by hand only for the events of {@link Builder#manualRetryEvents}. */
    @Override
    public @Nullable String manualRerunRefusal(ActionRun run, @Nullable ShopEvent event) {
        if (event == null || manualRetryEvents.contains(event.type())) {
            return null;
        }
        return "postbacks of " + event.type().wireName() + " events cannot be retried by hand; manual retries are"
                + " allowed for "
                + manualRetryEvents.stream()
                        .map(ShopEventType::wireName)
                        .sorted()
                        .toList()
                + " (WebhookPostbackExecutor.Builder.manualRetryEvents)";
    }

    @Override
    public String toString() {
        return "WebhookPostbackExecutor[timeout=" + timeout + ", retry=" + retryPolicy + ", " + client + "]";
    }

    /** Mutable, not thread-safe builder. */
    public static final class Builder {
        private @Nullable GuardedHttpClient client;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Set<Integer> retryStatusCodes = StatusCodeRetry.DEFAULT_CODES;
        private Duration retryDelay = DEFAULT_RETRY_DELAY;
        private int maxRetries = DEFAULT_MAX_RETRIES;
        private Set<ShopEventType> manualRetryEvents = DEFAULT_MANUAL_RETRY_EVENTS;

        private Builder() {}

        /** The events whose postbacks staff may retry by hand; default {@link #DEFAULT_MANUAL_RETRY_EVENTS}. */
        public Builder manualRetryEvents(Set<ShopEventType> value) {
            this.manualRetryEvents = Set.copyOf(Objects.requireNonNull(value, "manualRetryEvents"));
            return this;
        }

        /**
         * Required: the client deliveries go through; its URL policy also validates configs. Its connect and read
         * timeouts still apply within {@link #timeout(Duration)} (its defaults, 10 s and 30 s, fit the default).
         */
        public Builder httpClient(GuardedHttpClient value) {
            this.client = value;
            return this;
        }

        /** How long one delivery may take before it fails as timed out (not retried); default 30 s. */
        public Builder timeout(Duration value) {
            this.timeout = Objects.requireNonNull(value, "timeout");
            return this;
        }

        /** The statuses retried automatically; default 408, 429, 500, 502, 503, 504. */
        public Builder retryStatusCodes(Set<Integer> value) {
            this.retryStatusCodes = Set.copyOf(Objects.requireNonNull(value, "retryStatusCodes"));
            return this;
        }

        /** The delay before each automatic retry (a longer {@code Retry-After} wins); default 1 minute. */
        public Builder retryDelay(Duration value) {
            this.retryDelay = Objects.requireNonNull(value, "retryDelay");
            return this;
        }

        /** The most automatic retries; default 3. */
        public Builder maxRetries(int value) {
            this.maxRetries = value;
            return this;
        }

        /**
         * Builds.
         *
         * @throws dev.postpurchase.core.ValidationException naming every bad setting: {@code httpClient} missing,
         *     {@code timeout} not positive, or the retry figures ({@code statusCodes}, {@code delay}, {@code
         *     maxRetries}) invalid
         */
        public WebhookPostbackExecutor build() {
            Violations v = new Violations();
            v.require("httpClient", client);
            v.requirePositive("timeout", timeout);
            v.throwIfAny();
            return new WebhookPostbackExecutor(this);
        }
    }
}
