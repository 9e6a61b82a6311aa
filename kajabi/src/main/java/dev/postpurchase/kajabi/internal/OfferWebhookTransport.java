package dev.postpurchase.kajabi.internal;

import dev.postpurchase.core.Secret;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.Violation;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.ExecutionContext;
import dev.postpurchase.core.spi.ExecutionOutcome;
import dev.postpurchase.core.spi.IntegrationSettings;
import dev.postpurchase.core.spi.RequiredIntegration;
import dev.postpurchase.http.CheckedUrl;
import dev.postpurchase.http.GuardedHttpClient;
import dev.postpurchase.http.HttpCallException;
import dev.postpurchase.http.HttpOutcomes;
import dev.postpurchase.http.HttpRequestSpec;
import dev.postpurchase.http.HttpResult;
import dev.postpurchase.http.SafeUrls;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import okhttp3.HttpUrl;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the grant and the revoke executor share: the integration switch, URL rules and the call itself. */
public final class OfferWebhookTransport {
    /** The integration id in the backend's integration settings. */
    public static final String INTEGRATION = "kajabi";

    private static final Logger LOG = LoggerFactory.getLogger(OfferWebhookTransport.class);

    private final IntegrationSettings settings;
    private final GuardedHttpClient client;
    private final @Nullable HttpUrl developmentBase;
    private final RequiredIntegration integration;

    public OfferWebhookTransport(
            IntegrationSettings settings, GuardedHttpClient client, @Nullable String developmentBaseUrl) {
        this.settings = Objects.requireNonNull(settings, "integrationSettings");
        this.client = Objects.requireNonNull(client, "httpClient");
        this.integration = new RequiredIntegration(
                INTEGRATION, "Kajabi", "Settings → Integrations → Course Platforms", false, settings);
        if (developmentBaseUrl == null) {
            this.developmentBase = null;
        } else {
            HttpUrl base = HttpUrl.parse(developmentBaseUrl);
            if (base == null) {
                throw new ValidationException("developmentBaseUrl", "must be an http or https URL");
            }
            this.developmentBase = base;
            LOG.warn(
                    "Kajabi offer URLs on {} are accepted for development; never configure this in production",
                    SafeUrls.redact(base));
        }
    }

    /**
     * The transport a grant or revoke builder builds: {@code client} defaults to {@link
     * GuardedHttpClient#createDefault()}.
     *
     * @throws ValidationException on {@code integrationSettings} when it is missing
     */
    public static OfferWebhookTransport fromBuilder(
            @Nullable IntegrationSettings settings,
            @Nullable GuardedHttpClient client,
            @Nullable String developmentBaseUrl) {
        if (settings == null) {
            throw new ValidationException("integrationSettings", "is required");
        }
        GuardedHttpClient http = client != null ? client : GuardedHttpClient.createDefault();
        return new OfferWebhookTransport(settings, http, developmentBaseUrl);
    }

    /** The policy of both executors: exponential from 30 s to 1 h, at most 10 retries; {@code Retry-After} honoured. */
    public static RetryPolicy defaultRetryPolicy() {
        return RetryPolicy.exponential(Duration.ofSeconds(30), Duration.ofHours(1), 10);
    }

    /** Kajabi, which must be enabled; the pipeline checks it for both executors. */
    public RequiredIntegration integration() {
        return integration;
    }

    /**
     * The offer URL as the client checked it, once per config.
     *
     * @throws ValidationException on {@code field} when the client refuses it (a development base the client does not
     *     allow, for example)
     */
    public CheckedUrl resolve(String field, Secret url) {
        try {
            return client.checkUrl(url.reveal());
        } catch (HttpCallException e) {
            throw new ValidationException(field, String.valueOf(e.getMessage()));
        }
    }

    /** The violations of an offer URL for {@code action}, honouring the development base. */
    public List<Violation> checkUrl(String field, @Nullable Secret url, String action) {
        return OfferUrls.check(field, url, action, developmentBase);
    }

    /**
     * POSTs the member details as JSON to the run's offer URL (the {@link CheckedUrl} its config resolved to), with
     * {@code send_offer_grant_email=true} when asked and the run's key as {@code Idempotency-Key}, and returns the
     * mapped outcome: 2xx or {@code acceptedAsDone} succeeded (with {@code doneResult}), 429, 5xx and network failures
     * retryable, Kajabi's documented input errors permanent with Kajabi's message, anything else as {@link
     * HttpOutcomes}.
     */
    public ExecutionOutcome post(
            ExecutionContext<?> context,
            MemberDetails member,
            boolean sendGrantEmail,
            String what,
            Function<HttpResult, @Nullable String> acceptedAsDone) {
        CheckedUrl url = context.resolved(CheckedUrl.class);
        CheckedUrl target = sendGrantEmail ? url.withQueryParameter("send_offer_grant_email", "true") : url;
        HttpRequestSpec spec = HttpRequestSpec.builder("POST", target)
                .header("Accept", "application/json")
                .header("Idempotency-Key", context.idempotencyKey())
                .body(member.json(), "application/json")
                .build();
        HttpResult result;
        try {
            result = client.execute(spec);
        } catch (HttpCallException e) {
            return HttpOutcomes.of(e);
        }
        String message = KajabiReplies.message(result);
        String kajabiSaid = message.isEmpty() ? "" : ": " + message;
        if (result.isSuccessful()) {
            return ExecutionOutcome.succeeded(what + " accepted by Kajabi (HTTP " + result.status() + ")" + kajabiSaid);
        }
        String done = acceptedAsDone.apply(result);
        if (done != null) {
            return ExecutionOutcome.succeeded(done + " (Kajabi answered HTTP " + result.status() + kajabiSaid + ")");
        }
        int status = result.status();
        if (status == 429 || status >= 500) {
            return HttpOutcomes.of(result, context.clock());
        }
        if (status >= 400 && KajabiReplies.rejectedInput(result)) {
            return ExecutionOutcome.permanent(
                    "Kajabi refused the " + what + " (HTTP " + status + ")" + kajabiSaid, status);
        }
        return HttpOutcomes.of(result, context.clock());
    }

    @Override
    public String toString() {
        return "OfferWebhookTransport[client=" + client + ", development=" + (developmentBase != null) + "]";
    }
}
