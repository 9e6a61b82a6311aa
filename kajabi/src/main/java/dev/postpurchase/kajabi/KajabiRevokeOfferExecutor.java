package dev.postpurchase.kajabi;

import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.Violation;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.event.ShopEvent;
import dev.postpurchase.core.event.TransactionInfo;
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
 * "Revoke Kajabi Offer" ({@value #TYPE}): deactivates a Kajabi offer for the customer of a refunded order by POSTing
 * the same {@code {"name", "email", "external_user_id"}} as the grant to the offer's deactivation webhook URL.
 * Kajabi then revokes every product of the offer.
 *
 * <p><b>Wiring.</b> Save a definition with a {@link KajabiRevokeOfferConfig} (best built by {@link
 * KajabiRevokeOfferConfig#forGrant} from the grant's definition) and subscribe it to {@link
 * dev.postpurchase.core.event.ShopEventType#REFUND_APPLIED}; publish refund events carrying the refunded order:
 *
 * <pre>{@code
 * definitions.save(revokeDefinition);
 * definitions.subscribe(Subscription.of("kajabi-revoke-on-refund", ShopEventType.REFUND_APPLIED,
 *         List.of(revokeDefinition.id())));
 * pipeline.publish(ShopEvent.builder(refundId, ShopEventType.REFUND_APPLIED, EventSource.SHOP, now)
 *         .order(order).transaction(new TransactionInfo(refundId, amount, currency, null, null)).build());
 * }</pre>
 *
 * <p>The revoke definition itself needs a level and target like every definition; hang it where no paid order
 * finds it (for example a checkout id reserved for event-only definitions). Should a paid order reach it anyway, the
 * run is skipped: a revoke only ever acts on an event.
 *
 * <p><b>What is revoked.</b> Nothing, and the run is skipped with the reason recorded, when the refunded order does
 * not match the grant's level and target (see {@link KajabiRevokeOfferConfig}), or when the event's transaction
 * refunds less than the order's total and {@code revokeOnPartialRefund} is off. An event without an order fails
 * permanently.
 *
 * <p><b>Outcomes.</b> 2xx succeeded. "Offer grant not found" (the member never had the offer, or it was revoked
 * already) counts as done, which makes the action {@link #idempotent()}. 429, 5xx and network failures are retried;
 * Kajabi's input errors and other 4xx fail permanently with Kajabi's message recorded. Availability, URL rules and
 * secrecy as for {@link KajabiGrantOfferExecutor}, with {@code /deactivate} in place of {@code /activate}.
 *
 * <p>Thread-safe.
 */
public final class KajabiRevokeOfferExecutor implements ActionExecutor<KajabiRevokeOfferConfig> {
    /** The action type. */
    public static final String TYPE = "kajabi-revoke-offer";

    private final OfferWebhookTransport transport;

    private KajabiRevokeOfferExecutor(OfferWebhookTransport transport) {
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
    public Class<KajabiRevokeOfferConfig> configType() {
        return KajabiRevokeOfferConfig.class;
    }

    /**
     * Checks {@code name}, {@code deactivationUrl} (a Kajabi deactivation URL), and that {@code
     * grantLevel} and {@code grantTargetId} are set together. Makes no call.
     */
    @Override
    public void validate(KajabiRevokeOfferConfig config) {
        List<Violation> v = new ArrayList<>();
        KajabiGrantOfferExecutor.checkName(v, config.name());
        v.addAll(transport.checkUrl("deactivationUrl", config.deactivationUrl(), "deactivate"));
        String target = config.grantTargetId();
        if ((config.grantLevel() == null) != (target == null || target.isBlank())) {
            v.add(new Violation("grantTargetId", "must be set exactly when grantLevel is set"));
        } else if (target != null && Formats.hasControlCharacters(target)) {
            v.add(new Violation("grantTargetId", "must not contain control characters"));
        }
        if (!v.isEmpty()) {
            throw new ValidationException(v);
        }
    }

    /** Validates, then has the client check the offer URL once for every attempt of this config. */
    @Override
    public CheckedUrl resolve(KajabiRevokeOfferConfig config) {
        validate(config);
        return transport.resolve("deactivationUrl", config.deactivationUrl());
    }

    /** Kajabi: the pipeline refuses definitions and fails attempts while it is switched off. */
    @Override
    public RequiredIntegration integration() {
        return transport.integration();
    }

    @Override
    public boolean needsOrder() {
        return true;
    }

    @Override
    public ExecutionOutcome execute(ExecutionContext<KajabiRevokeOfferConfig> context) {
        Order order = context.requireOrder();
        KajabiRevokeOfferConfig config = context.config();
        String mismatch = mismatch(config, order);
        if (mismatch != null) {
            return ExecutionOutcome.skipped(mismatch);
        }
        String partial = partialRefund(config, order, context.event());
        if (partial != null) {
            return ExecutionOutcome.skipped(partial);
        }
        MemberDetails member = MemberDetails.of(order.customer(), config.hideLastName(), config.externalUserId());
        return transport.post(
                context,
                member,
                false,
                "offer revoke",
                result -> KajabiReplies.grantNotFound(result)
                        ? "nothing to revoke: Kajabi has no grant of this offer for the member"
                        : null);
    }

    private static @Nullable String mismatch(KajabiRevokeOfferConfig config, Order order) {
        if (config.grantLevel() == null || config.grantTargetId() == null) {
            return null;
        }
        String target = config.grantTargetId();
        boolean matches =
                switch (config.grantLevel()) {
                    case PRODUCT -> order.productIds().contains(target);
                    case OFFER -> order.offerIds().contains(target);
                    case CHECKOUT -> order.checkoutId().equals(target);
                };
        return matches
                ? null
                : "the refunded order " + order.id() + " has no "
                        + config.grantLevel().name().toLowerCase(java.util.Locale.ROOT) + " " + target
                        + ", so this grant was not part of it; nothing revoked";
    }

    private static @Nullable String partialRefund(
            KajabiRevokeOfferConfig config, Order order, @Nullable ShopEvent event) {
        if (config.revokeOnPartialRefund() || event == null || event.transaction() == null) {
            return null;
        }
        TransactionInfo refund = event.transaction();
        if (refund.amount() >= order.totals().total()) {
            return null;
        }
        return "partial refund (" + refund.amount() + " of " + order.totals().total() + " " + order.currency()
                + " minor units); access kept because revokeOnPartialRefund is off";
    }

    /** Events only (a refund): the pipeline never creates this action's run for a paid order. */
    @Override
    public Set<TriggerKind> triggerKinds() {
        return EnumSet.of(TriggerKind.EVENT);
    }

    /** True: revoking what is not granted is answered "grant not found", which counts as done. */
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
        return "KajabiRevokeOfferExecutor[" + transport + "]";
    }

    /** Mutable, not thread-safe builder of {@link KajabiRevokeOfferExecutor}; the same options as the grant's. */
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

        /** The HTTP client; default {@link GuardedHttpClient#createDefault()}. The caller closes a client it passes. */
        public Builder httpClient(GuardedHttpClient value) {
            this.client = value;
            return this;
        }

        /**
         * <b>Tests and local development only</b>, off by default: also accepts offer URLs on this base; see {@link
         * KajabiGrantOfferExecutor.Builder#allowDevelopmentBaseUrl}.
         */
        public Builder allowDevelopmentBaseUrl(String baseUrl) {
            this.developmentBaseUrl = baseUrl;
            return this;
        }

        /** Builds the executor; throws {@link ValidationException} on {@code integrationSettings} when missing. */
        public KajabiRevokeOfferExecutor build() {
            return new KajabiRevokeOfferExecutor(
                    OfferWebhookTransport.fromBuilder(settings, client, developmentBaseUrl));
        }
    }
}
