package dev.postpurchase.core.action;

import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.Violation;
import dev.postpurchase.core.order.Formats;
import dev.postpurchase.core.retry.RetryPolicy;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The template a merchant configures: an action of {@code type} hanging on a product, offer or checkout
 * ({@code level} and {@code targetId}). The typed config is kept as JSON so it can be snapshotted into runs and
 * stored anywhere; the executor of {@code type} reads it back into its config type and validates it when the
 * definition is saved ({@code ActionExecutors#validate}). {@code toString} never shows the config, which may hold
 * secrets.
 *
 * @param id unique and stable; one run per definition per order
 * @param type the executor type, for example {@code webhook}
 * @param name internal name, shown only in the dashboard
 * @param retryPolicy overrides the executor's default policy when set
 * @param runsOn which payments of a purchase the action runs on; null: its executor's {@code
 *     ActionExecutor#defaultPaymentScope()} (every payment for receipts and webhooks, the first only for the rest)
 */
public record ActionDefinition(
        String id,
        String type,
        String name,
        ActionLevel level,
        String targetId,
        boolean enabled,
        String configJson,
        @Nullable RetryPolicy retryPolicy,
        @Nullable PaymentScope runsOn) {

    public ActionDefinition {
        List<Violation> v = new ArrayList<>();
        requireText(v, "id", id);
        requireText(v, "type", type);
        requireText(v, "name", name);
        requireText(v, "targetId", targetId);
        if (level == null) {
            v.add(new Violation("level", "is required"));
        }
        if (configJson == null || configJson.isBlank()) {
            v.add(new Violation("config", "is required"));
        }
        if (!v.isEmpty()) {
            throw new ValidationException(v);
        }
    }

    /** A definition that leaves the payment scope to its executor's default. */
    public ActionDefinition(
            String id,
            String type,
            String name,
            ActionLevel level,
            String targetId,
            boolean enabled,
            String configJson,
            @Nullable RetryPolicy retryPolicy) {
        this(id, type, name, level, targetId, enabled, configJson, retryPolicy, null);
    }

    /** Reads the config as {@code type}; a malformed config is a {@link ValidationException} on {@code config}. */
    public <C> C config(Class<C> type) {
        return PostpurchaseJson.read(configJson, type, "config");
    }

    /** A copy with another config and the same everything else. */
    public ActionDefinition withConfig(Object config) {
        return new ActionDefinition(
                id, type, name, level, targetId, enabled, PostpurchaseJson.write(config), retryPolicy, runsOn);
    }

    /**
     * A builder holding every field of this definition, to change some and build a copy: for example {@code
     * definition.toBuilder().enabled(true).build()} switches on the receipt a new checkout got disabled.
     */
    public Builder toBuilder() {
        Builder builder = new Builder(type);
        builder.id = id;
        builder.name = name;
        builder.level = level;
        builder.targetId = targetId;
        builder.enabled = enabled;
        builder.configJson = configJson;
        builder.retryPolicy = retryPolicy;
        builder.runsOn = runsOn;
        return builder;
    }

    /** A copy enabled or disabled. */
    public ActionDefinition withEnabled(boolean value) {
        return new ActionDefinition(id, type, name, level, targetId, value, configJson, retryPolicy, runsOn);
    }

    @Override
    public String toString() {
        return "ActionDefinition[id=" + id + ", type=" + type + ", name=" + name + ", level=" + level + ", targetId="
                + targetId + ", enabled=" + enabled + (runsOn == null ? "" : ", runsOn=" + runsOn) + "]";
    }

    private static void requireText(List<Violation> v, String field, @Nullable String value) {
        if (value == null || value.isBlank()) {
            v.add(new Violation(field, "is required"));
        } else if (Formats.hasControlCharacters(value)) {
            v.add(new Violation(field, "must not contain control characters"));
        }
    }

    /** Starts a definition of {@code type}. */
    public static Builder builder(String type) {
        return new Builder(type);
    }

    /**
     * Mutable, not thread-safe builder of {@link ActionDefinition}. Required: {@link #id}, where the action hangs
     * ({@link #product}, {@link #offer}, {@link #checkout} or {@link #on}) and its config ({@link #config} or {@link
     * #configJson}); the name defaults to the type, a definition is enabled unless {@link #enabled(boolean)} says
     * otherwise, the retry policy and payment scope default to the executor's. {@link #build()} throws one {@link
     * ValidationException} naming every missing or bad field; the config itself is checked by its executor when the
     * definition is saved.
     *
     * <pre>{@code
     * ActionDefinition notify = ActionDefinition.builder("webhook")
     *         .id("notify-crm")
     *         .name("Tell the CRM")
     *         .checkout("checkout-1")
     *         .config(WebhookConfig.create("https://crm.example.com/hooks/orders"))
     *         .build();
     * }</pre>
     */
    public static final class Builder {
        private final String type;
        private @Nullable String id;
        private @Nullable String name;
        private @Nullable ActionLevel level;
        private @Nullable String targetId;
        private boolean enabled = true;
        private @Nullable String configJson;
        private @Nullable RetryPolicy retryPolicy;
        private @Nullable PaymentScope runsOn;

        private Builder(String type) {
            this.type = type;
        }

        /** Required: unique and stable; one run per definition per order. */
        public Builder id(String value) {
            this.id = value;
            return this;
        }

        /** The internal name shown in the dashboard; default the type. */
        public Builder name(String value) {
            this.name = value;
            return this;
        }

        /** Hangs the action on a product. */
        public Builder product(String productId) {
            return on(ActionLevel.PRODUCT, productId);
        }

        /** Hangs the action on an offer. */
        public Builder offer(String offerId) {
            return on(ActionLevel.OFFER, offerId);
        }

        /** Hangs the action on a checkout. */
        public Builder checkout(String checkoutId) {
            return on(ActionLevel.CHECKOUT, checkoutId);
        }

        /** Hangs the action on the product, offer or checkout {@code targetId}. */
        public Builder on(ActionLevel level, String targetId) {
            this.level = level;
            this.targetId = targetId;
            return this;
        }

        /** Whether orders run it; default true. A disabled definition is kept but never creates runs. */
        public Builder enabled(boolean value) {
            this.enabled = value;
            return this;
        }

        /** The typed config, serialised to JSON with the SDK's mapper. */
        public Builder config(Object config) {
            this.configJson = PostpurchaseJson.write(config);
            return this;
        }

        /** The config as JSON, as stored; its executor reads and validates it when the definition is saved. */
        public Builder configJson(String json) {
            this.configJson = json;
            return this;
        }

        /** Overrides the executor's default retry policy; default null, the executor's. */
        public Builder retryPolicy(@Nullable RetryPolicy value) {
            this.retryPolicy = value;
            return this;
        }

        /**
         * Which payments of a purchase the action runs on (for example {@link PaymentScope#EVERY_PAYMENT} for a
         * custom email that thanks for each renewal); default null: the executor's default.
         */
        public Builder runsOn(@Nullable PaymentScope value) {
            this.runsOn = value;
            return this;
        }

        /**
         * Builds the definition.
         *
         * @throws ValidationException naming every missing or bad field ({@code id}, {@code name}, {@code level},
         *     {@code targetId}, {@code config})
         */
        @SuppressWarnings("NullAway")
        public ActionDefinition build() {
            String resolvedName = name != null ? name : type;
            return new ActionDefinition(
                    id, type, resolvedName, level, targetId, enabled, configJson, retryPolicy, runsOn);
        }
    }
}
