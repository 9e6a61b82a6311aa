package dev.postpurchase.email;

import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.Violation;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.action.PaymentScope;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.ActionExecutor;
import dev.postpurchase.core.spi.ExecutionContext;
import dev.postpurchase.core.spi.ExecutionOutcome;
import dev.postpurchase.email.internal.ConfigChecks;
import dev.postpurchase.email.internal.EmailSending;
import dev.postpurchase.email.internal.HtmlSanitizer;
import dev.postpurchase.email.internal.Languages;
import dev.postpurchase.email.internal.OrderValues;
import dev.postpurchase.email.internal.ReceiptRenderer;
import dev.postpurchase.email.internal.Rendered;
import dev.postpurchase.email.spi.EmailTransport;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Sends the customer a receipt generated from the order alone (type {@value #TYPE}, checkout level only): items with
 * quantities, unit prices, discounts and taxes, the totals, order and transaction ids and the payment date. Money is
 * formatted for the order's language with the currency's own minor units (JPY none, KWD three); texts are in
 * English, Finnish or Swedish, other languages fall back to English. A merchant can override the subject, body and
 * text per language with {@link ReceiptTemplate}s.
 *
 * <p>Every attempt of a run sends with the same Message-ID ({@code <key.receipt@domain>}), so a resend is
 * recognisable. Not {@link #idempotent()}: SMTP cannot deduplicate, so a run abandoned mid-send waits for a force
 * re-run rather than risking a second receipt. As the seed says, the action is added to every new checkout
 * disabled: {@link #definitionsForNewCheckout} gives it to {@code DefinitionStore#checkoutCreated}, which the shop
 * calls when it creates a checkout.
 *
 * <p>Thread-safe when its transport is.
 */
public final class EmailReceiptExecutor implements ActionExecutor<ReceiptEmailConfig> {
    /** The action type. */
    public static final String TYPE = "receipt-email";

    /** The placeholders receipt templates may use. */
    public static final Set<String> PLACEHOLDERS = ReceiptRenderer.PLACEHOLDERS;

    private final EmailTransport transport;
    private final String messageIdDomain;
    private final ZoneId defaultZone;
    private final RetryPolicy retryPolicy;

    private EmailReceiptExecutor(Builder b) {
        this.transport = Objects.requireNonNull(b.transport);
        this.messageIdDomain = java.util.Objects.requireNonNull(b.messageIdDomain);
        this.defaultZone = b.defaultZone;
        this.retryPolicy = b.retryPolicy;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The receipt action every new checkout gets: checkout level, <b>disabled</b> until the merchant activates it,
     * built-in receipt. Its id is {@code receipt-email-<checkoutId>}.
     */
    public static ActionDefinition definitionForNewCheckout(String checkoutId) {
        return ActionDefinition.builder(TYPE)
                .id(TYPE + "-" + checkoutId)
                .name("Send receipt by email")
                .checkout(checkoutId)
                .enabled(false)
                .config(ReceiptEmailConfig.defaults())
                .build();
    }

    /** The disabled receipt of {@link #definitionForNewCheckout}, added when the shop creates a checkout. */
    @Override
    public List<ActionDefinition> definitionsForNewCheckout(String checkoutId) {
        return List.of(definitionForNewCheckout(checkoutId));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Class<ReceiptEmailConfig> configType() {
        return ReceiptEmailConfig.class;
    }

    /** Checkout level only. */
    @Override
    public Set<ActionLevel> levels() {
        return EnumSet.of(ActionLevel.CHECKOUT);
    }

    /** Paid orders only: a receipt is never sent for a shop event. */
    @Override
    public Set<TriggerKind> triggerKinds() {
        return EnumSet.of(TriggerKind.ORDER);
    }

    @Override
    public boolean needsOrder() {
        return true;
    }

    /** Every payment: each renewal and instalment gets its own receipt. */
    @Override
    public PaymentScope defaultPaymentScope() {
        return PaymentScope.EVERY_PAYMENT;
    }

    /**
     * Checks the shop name (one line, at most 200 characters), the time zone, the template languages and every
     * template: well-formed placeholders from {@link #PLACEHOLDERS} only, subjects on one line. Fields are named
     * like {@code templates.fi.subject}.
     */
    @Override
    public void validate(ReceiptEmailConfig config) {
        List<Violation> v = new ArrayList<>();
        ConfigChecks.line(v, "shopName", config.shopName(), 200);
        ConfigChecks.timeZone(v, "timeZone", config.timeZone());
        Set<String> prefixes = Set.of(OrderValues.CUSTOM_FIELD_PREFIX);
        for (Map.Entry<String, ReceiptTemplate> entry : config.templates().entrySet()) {
            String field = "templates." + entry.getKey();
            ConfigChecks.languageKey(v, field, entry.getKey(), ReceiptEmailConfig.ANY_LANGUAGE);
            ReceiptTemplate t = entry.getValue();
            if (t == null) {
                v.add(new Violation(field, "is required"));
                continue;
            }
            ConfigChecks.subject(v, field + ".subject", t.subject(), PLACEHOLDERS);
            if (t.html() != null) {
                ConfigChecks.template(
                        v, field + ".html", HtmlSanitizer.TEMPLATE.sanitize(t.html()), PLACEHOLDERS, prefixes);
            }
            ConfigChecks.template(v, field + ".text", t.text(), PLACEHOLDERS, prefixes);
        }
        if (!v.isEmpty()) {
            throw new ValidationException(v);
        }
    }

    @Override
    public ExecutionOutcome execute(ExecutionContext<ReceiptEmailConfig> context) {
        EmailMessage message =
                render(context.requireOrder(), context.config(), context.idempotencyKey(), context.now());
        return EmailSending.send(transport, message, "receipt sent as {messageId}");
    }

    /**
     * The receipt exactly as {@link #execute} would send it, without sending: for previews and tests.
     *
     * @param idempotencyKey the run's key the Message-ID is derived from
     * @param date the Date header
     * @throws ValidationException when the config or the resulting message is invalid
     */
    public EmailMessage render(Order order, ReceiptEmailConfig config, String idempotencyKey, Instant date) {
        ReceiptTemplate template = pick(config, order.language());
        ZoneId zone = config.timeZone() == null ? defaultZone : ZoneId.of(config.timeZone());
        Rendered rendered = ReceiptRenderer.render(
                order,
                config.shopName(),
                zone,
                template == null ? null : template.subject(),
                template == null ? null : template.html(),
                template == null ? null : template.text());
        String messageId = MessageIds.forRun(idempotencyKey, "receipt", messageIdDomain);
        return EmailSending.message(order, rendered, messageId, date);
    }

    private static @Nullable ReceiptTemplate pick(ReceiptEmailConfig config, String language) {
        String key = Languages.find(config.templates(), language);
        if (key == null) {
            key = config.templates().containsKey(ReceiptEmailConfig.ANY_LANGUAGE)
                    ? ReceiptEmailConfig.ANY_LANGUAGE
                    : null;
        }
        return key == null ? null : config.templates().get(key);
    }

    /** False: an SMTP send cannot be deduplicated by the server. */
    @Override
    public boolean idempotent() {
        return false;
    }

    @Override
    public RetryPolicy defaultRetryPolicy() {
        return retryPolicy;
    }

    @Override
    public String toString() {
        return "EmailReceiptExecutor[" + transport + "]";
    }

    /** Mutable, not thread-safe builder of {@link EmailReceiptExecutor}. */
    public static final class Builder {
        private @Nullable EmailTransport transport;
        private @Nullable String messageIdDomain;
        private ZoneId defaultZone = ZoneOffset.UTC;
        private RetryPolicy retryPolicy = defaultPolicy();

        private Builder() {}

        /** Required: where messages go. */
        public Builder transport(EmailTransport value) {
            this.transport = value;
            return this;
        }

        /**
         * The domain of Message-IDs, for example the shop's; default the transport's {@link
         * EmailTransport#messageIdDomain()} (set it once there, for example {@code SmtpMailer.Builder.messageIdDomain}),
         * else {@link MessageIds#DEFAULT_DOMAIN}.
         */
        public Builder messageIdDomain(String value) {
            this.messageIdDomain = value;
            return this;
        }

        /** The zone dates are shown in when the config sets none; default UTC. */
        public Builder defaultZone(ZoneId value) {
            this.defaultZone = value;
            return this;
        }

        /** The policy for definitions without their own; default exponential from 1 min to 1 h, 8 retries. */
        public Builder retryPolicy(RetryPolicy value) {
            this.retryPolicy = value;
            return this;
        }

        /** Validates and builds; throws {@link ValidationException} naming every bad setting. */
        public EmailReceiptExecutor build() {
            messageIdDomain = MessageIds.domainFor(messageIdDomain, transport);
            ConfigChecks.senderSettings(transport, messageIdDomain, "defaultZone", defaultZone, true, retryPolicy);
            return new EmailReceiptExecutor(this);
        }
    }

    /** The retry policy of the email executors: exponential from 1 minute to 1 hour, at most 8 retries. */
    static RetryPolicy defaultPolicy() {
        return RetryPolicy.exponential(Duration.ofMinutes(1), Duration.ofHours(1), 8);
    }
}
