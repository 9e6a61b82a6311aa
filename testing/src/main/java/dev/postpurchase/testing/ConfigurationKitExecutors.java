package dev.postpurchase.testing;

import dev.postpurchase.core.ActionExecutors;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.Violation;
import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.ActionExecutor;
import dev.postpurchase.core.spi.ExecutionContext;
import dev.postpurchase.core.spi.ExecutionOutcome;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The executors {@link AbstractDefinitionSourceContractTest} configures a store with: a webhook-like action on every
 * level for orders and events, a receipt-like action on checkouts for orders only that new checkouts get disabled,
 * and a postback-like action for events only. Each validates its config like a real one and succeeds when run.
 */
final class ConfigurationKitExecutors {
    static final String WEBHOOK = "kit-webhook";
    static final String RECEIPT = "kit-receipt";
    static final String POSTBACK = "kit-postback";

    private ConfigurationKitExecutors() {}

    /** A config with a URL and a secret, as webhook and Kajabi configs have. */
    record KitConfig(@Nullable String url, @Nullable String secret) {}

    static List<ActionExecutor<?>> all() {
        return List.of(
                new KitExecutor(WEBHOOK, EnumSet.allOf(ActionLevel.class), EnumSet.allOf(TriggerKind.class)),
                new KitExecutor(RECEIPT, EnumSet.of(ActionLevel.CHECKOUT), EnumSet.of(TriggerKind.ORDER)),
                new KitExecutor(POSTBACK, EnumSet.allOf(ActionLevel.class), EnumSet.of(TriggerKind.EVENT)));
    }

    static ActionExecutors registry() {
        return ActionExecutors.of(all());
    }

    /** The receipt-like definition every new checkout gets, disabled. */
    static ActionDefinition newCheckoutReceipt(String checkoutId) {
        return ActionDefinition.builder(RECEIPT)
                .id(RECEIPT + "-" + checkoutId)
                .name("Receipt")
                .checkout(checkoutId)
                .enabled(false)
                .config(new KitConfig("https://shop.example/receipts", "receipt-secret"))
                .build();
    }

    private static final class KitExecutor implements ActionExecutor<KitConfig> {
        private final String type;
        private final Set<ActionLevel> levels;
        private final Set<TriggerKind> triggers;

        KitExecutor(String type, Set<ActionLevel> levels, Set<TriggerKind> triggers) {
            this.type = type;
            this.levels = levels;
            this.triggers = triggers;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public Class<KitConfig> configType() {
            return KitConfig.class;
        }

        @Override
        public Set<ActionLevel> levels() {
            return levels;
        }

        @Override
        public Set<TriggerKind> triggerKinds() {
            return triggers;
        }

        @Override
        public void validate(KitConfig config) {
            List<Violation> v = new ArrayList<>();
            if (config.url() == null || !config.url().startsWith("https://")) {
                v.add(new Violation("url", "must be an https URL"));
            }
            if (config.secret() == null || config.secret().isBlank()) {
                v.add(new Violation("secret", "is required"));
            }
            if (!v.isEmpty()) {
                throw new ValidationException(v);
            }
        }

        @Override
        public List<ActionDefinition> definitionsForNewCheckout(String checkoutId) {
            return type.equals(RECEIPT) ? List.of(newCheckoutReceipt(checkoutId)) : List.of();
        }

        @Override
        public ExecutionOutcome execute(ExecutionContext<KitConfig> context) {
            return ExecutionOutcome.succeeded("sent to " + context.config().url());
        }

        @Override
        public boolean idempotent() {
            return true;
        }

        @Override
        public RetryPolicy defaultRetryPolicy() {
            return RetryPolicy.none();
        }
    }
}
