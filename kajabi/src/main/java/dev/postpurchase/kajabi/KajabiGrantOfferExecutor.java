package dev.postpurchase.kajabi;

import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.Violation;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.order.Formats;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.ActionExecutor;
import dev.postpurchase.core.spi.ExecutionContext;
import dev.postpurchase.core.spi.ExecutionOutcome;
import dev.postpurchase.core.spi.IntegrationSettings;
import dev.postpurchase.core.spi.RequiredIntegration;
import dev.postpurchase.http.CheckedUrl;
import dev.postpurchase.http.GuardedHttpClient;
import dev.postpurchase.kajabi.internal.KajabiReplies;
import dev.postpurchase.kajabi.internal.MemberDetails;
import dev.postpurchase.kajabi.internal.OfferWebhookTransport;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * "Grant Kajabi Offer" ({@value #TYPE}): activates a Kajabi offer for the order's customer by POSTing {@code
 * {"name", "email", "external_user_id"}} as JSON to the offer's activation webhook URL ({@link
 * KajabiGrantOfferConfig}). Kajabi then grants every product of the offer.
 *
 * <ul>
 *   <li><b>Name</b>: first and last name; with {@code hideLastName} only the first letter of the last name ({@code
 *       Jane S}); with no name at all, the part of the email before the {@code @}.
 *   <li><b>external_user_id</b>: by the config's {@link KajabiExternalUserId} policy (default the normalised email),
 *       the same for a customer on every order, which is what lets the revoke find the grant.
 *   <li><b>Grant email</b>: with {@code sendOfferGrantEmail} the URL gets {@code ?send_offer_grant_email=true};
 *       without it Kajabi sends none.
 *   <li>Every request also carries an {@code Idempotency-Key} header with the run's key, for tracing (Kajabi does not
 *       deduplicate by it).
 * </ul>
 *
 * <p><b>Outcomes.</b> 2xx succeeded. An answer saying the offer "has already been granted" succeeded too, whatever
 * its status, which makes the action {@link #idempotent()}. 429, 5xx, timeouts and network failures are retried by
 * the policy ({@code Retry-After} honoured). Kajabi's input errors ("can't be blank", "is invalid", "is already
 * taken", "not found") fail permanently with Kajabi's message recorded; a redirect, 410 and other 4xx fail
 * permanently as well.
 *
 * <p><b>Availability.</b> Only while the Kajabi integration is enabled in the backend's {@link IntegrationSettings}
 * ({@value #INTEGRATION}): {@link #validate} throws {@link dev.postpurchase.core.IntegrationNotEnabledException} when
 * it is off, so the action cannot be defined; an attempt made after it was switched off fails permanently, saying so
 * (through the pipeline, whose trigger-time validation reports the same).
 *
 * <p><b>Security.</b> The activation URL is the offer's only credential: it must be https on {@code
 * checkout.kajabi.com} or {@code checkout.newkajabi.com} with the path {@code /webhooks/offers/…/activate}, it is
 * called through the {@link GuardedHttpClient} (SSRF filtering, no redirects, bounded reads), and it only ever
 * appears redacted in logs, reasons and {@code toString}. {@link Builder#allowDevelopmentBaseUrl} exempts one base
 * URL (for example a local mock of Kajabi) from the scheme and host rules, for tests only; it is off by default.
 *
 * <p>Thread-safe.
 */
public final class KajabiGrantOfferExecutor implements ActionExecutor<KajabiGrantOfferConfig> {
    /** The action type. */
    public static final String TYPE = "kajabi-grant-offer";

    /** The integration that must be enabled: {@value}. */
    public static final String INTEGRATION = OfferWebhookTransport.INTEGRATION;

    private final OfferWebhookTransport transport;

    private KajabiGrantOfferExecutor(OfferWebhookTransport transport) {
        this.transport = transport;
    }

    /** Starts a builder; {@link Builder#integrationSettings} is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Class<KajabiGrantOfferConfig> configType() {
        return KajabiGrantOfferConfig.class;
    }

    /**
     * Checks every field: {@code name} present without control characters, {@code activationUrl} a
     * Kajabi activation URL. Makes no call.
     */
    @Override
    public void validate(KajabiGrantOfferConfig config) {
        List<Violation> v = new ArrayList<>();
        checkName(v, config.name());
        v.addAll(transport.checkUrl("activationUrl", config.activationUrl(), "activate"));
        if (!v.isEmpty()) {
            throw new ValidationException(v);
        }
    }

    /** Validates, then has the client check the offer URL once for every attempt of this config. */
    @Override
    public CheckedUrl resolve(KajabiGrantOfferConfig config) {
        validate(config);
        return transport.resolve("activationUrl", config.activationUrl());
    }

    /** Kajabi: the pipeline refuses definitions and fails attempts while it is switched off. */
    @Override
    public RequiredIntegration integration() {
        return transport.integration();
    }

    /** Paid orders only: granting access on a refund or a cancellation would be the opposite of what they mean. */
    @Override
    public Set<TriggerKind> triggerKinds() {
        return EnumSet.of(TriggerKind.ORDER);
    }

    @Override
    public boolean needsOrder() {
        return true;
    }

    @Override
    public ExecutionOutcome execute(ExecutionContext<KajabiGrantOfferConfig> context) {
        Order order = context.requireOrder();
        KajabiGrantOfferConfig config = context.config();
        MemberDetails member = MemberDetails.of(order.customer(), config.hideLastName(), config.externalUserId());
        return transport.post(
                context,
                member,
                config.sendOfferGrantEmail(),
                "offer grant",
                result -> KajabiReplies.alreadyGranted(result)
                        ? "the offer had already been granted to this member"
                        : null);
    }

    /** True: a repeated grant is answered "already granted", which counts as success. */
    @Override
    public boolean idempotent() {
        return true;
    }

    /** Exponential from 30 s to 1 h, at most 10 retries; {@code Retry-After} honoured. */
    @Override
    public RetryPolicy defaultRetryPolicy() {
        return OfferWebhookTransport.defaultRetryPolicy();
    }

    @Override
    public String toString() {
        return "KajabiGrantOfferExecutor[" + transport + "]";
    }

    static void checkName(List<Violation> v, @Nullable String name) {
        if (name == null || name.isBlank()) {
            v.add(new Violation("name", "is required"));
        } else if (Formats.hasControlCharacters(name)) {
            v.add(new Violation("name", "must not contain control characters"));
        } else if (name.length() > 200) {
            v.add(new Violation("name", "must be at most 200 characters"));
        }
    }

    /** Mutable, not thread-safe builder of {@link KajabiGrantOfferExecutor}. */
    public static final class Builder {
        private @Nullable IntegrationSettings settings;
        private @Nullable GuardedHttpClient client;
        private @Nullable String developmentBaseUrl;

        private Builder() {}

        /** Required: the backend's integration settings, read on every validation and attempt. */
        public Builder integrationSettings(IntegrationSettings value) {
            this.settings = value;
            return this;
        }

        /**
         * The HTTP client; default {@link GuardedHttpClient#createDefault()} (https only, strict SSRF filtering).
         * Pass a shared one to reuse its connections; the caller closes it.
         */
        public Builder httpClient(GuardedHttpClient value) {
            this.client = value;
            return this;
        }

        /**
         * <b>Tests and local development only.</b> Also accepts offer URLs on this base (same scheme, host and port,
         * for example {@code http://127.0.0.1:8089}), exempt from the https and Kajabi-host rules; the path rules
         * still apply. The HTTP client must allow the base too ({@code allowHttp}, {@code
         * allowLoopbackForDevelopment}). Off by default; a warning is logged when set.
         */
        public Builder allowDevelopmentBaseUrl(String baseUrl) {
            this.developmentBaseUrl = baseUrl;
            return this;
        }

        /** Builds the executor; throws {@link ValidationException} on {@code integrationSettings} when missing. */
        public KajabiGrantOfferExecutor build() {
            return new KajabiGrantOfferExecutor(
                    OfferWebhookTransport.fromBuilder(settings, client, developmentBaseUrl));
        }
    }
}
