package dev.postpurchase.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.RerunOptions;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.event.EventSource;
import dev.postpurchase.core.event.ShopEvent;
import dev.postpurchase.core.event.ShopEventType;
import dev.postpurchase.core.internal.ResolvedConfigs;
import dev.postpurchase.core.memory.InMemoryIntegrationSettings;
import dev.postpurchase.core.retry.Failure;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.ActionExecutor;
import dev.postpurchase.core.spi.DeliveryException;
import dev.postpurchase.core.spi.ExecutionContext;
import dev.postpurchase.core.spi.ExecutionOutcome;
import dev.postpurchase.core.spi.IntegrationSettings;
import dev.postpurchase.core.spi.RequiredIntegration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** What executors declare is applied by the engine once, with one wording; the shared outcome mapping. */
class ExecutorSpiTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    /** A config with one "secret" field that resolves to its upper-case form. */
    public record Config(String secret) {}

    /** An executor whose needs are set by the test; counts resolutions and executions. */
    static final class Declaring implements ActionExecutor<Config> {
        boolean needsOrder;
        boolean needsEvent;

        @Nullable
        RequiredIntegration integration;

        final AtomicInteger resolved = new AtomicInteger();
        final List<String> seen = new ArrayList<>();

        @Override
        public String type() {
            return "declaring";
        }

        @Override
        public Class<Config> configType() {
            return Config.class;
        }

        @Override
        public void validate(Config config) {
            if (config.secret().isBlank()) {
                throw new ValidationException("secret", "is required");
            }
        }

        @Override
        public Object resolve(Config config) {
            validate(config);
            resolved.incrementAndGet();
            return config.secret().toUpperCase(java.util.Locale.ROOT);
        }

        @Override
        public boolean needsOrder() {
            return needsOrder;
        }

        @Override
        public boolean needsEvent() {
            return needsEvent;
        }

        @Override
        public @Nullable RequiredIntegration integration() {
            return integration;
        }

        @Override
        public ExecutionOutcome execute(ExecutionContext<Config> context) {
            seen.add(context.resolved(String.class));
            return ExecutionOutcome.succeeded();
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

    private static ExecutionContext<Config> orderlessContext(Config config) {
        ActionDefinition definition = ActionDefinition.builder("declaring")
                .id("d-1")
                .checkout("c-1")
                .config(config)
                .build();
        ActionRun run = ActionRun.create(TriggerKind.EVENT, "evt-1", definition, RetryPolicy.none(), NOW);
        ShopEvent event = ShopEvent.builder("evt-1", ShopEventType.REFUND_APPLIED, EventSource.SHOP, NOW)
                .build();
        return new ExecutionContext<>(run, config, null, event, CLOCK);
    }

    @Nested
    class DeclaredNeeds {
        @Test
        void anExecutorThatNeedsAnOrderIsNotCalledForATriggerWithoutOne() {
            Declaring executor = new Declaring();
            executor.needsOrder = true;

            ExecutionOutcome outcome = ActionExecutors.attempt(executor, orderlessContext(new Config("s")));

            assertThat(outcome)
                    .isEqualTo(ExecutionOutcome.permanent(
                            "the declaring action needs an order, but the event:evt-1 trigger has none"));
            assertThat(executor.seen).isEmpty();
        }

        @Test
        void anIntegrationSwitchedOffFailsTheAttemptWithOneWordingAndRefusesTheSave() {
            InMemoryIntegrationSettings settings = IntegrationSettings.inMemory();
            Declaring executor = new Declaring();
            executor.integration = new RequiredIntegration("crm", "CRM", "Settings → Integrations", false, settings);

            ExecutionOutcome outcome = ActionExecutors.attempt(executor, orderlessContext(new Config("s")));

            assertThat(outcome)
                    .isEqualTo(ExecutionOutcome.permanent("the CRM integration is disabled in the integration settings,"
                            + " so the declaring action did not run; enable CRM under Settings → Integrations and"
                            + " re-run"));
            assertThatThrownBy(() -> ActionExecutors.validateConfig(executor, new Config("s")))
                    .isInstanceOfSatisfying(IntegrationNotEnabledException.class, e -> assertThat(e.fields())
                            .containsExactly("integration"));
            settings.enable("crm");
            assertThat(ActionExecutors.attempt(executor, orderlessContext(new Config("s"))))
                    .isEqualTo(ExecutionOutcome.succeeded());
        }

        @Test
        void theExecutorReceivesItsResolvedConfig() {
            Declaring executor = new Declaring();

            ExecutionOutcome outcome = ActionExecutors.attempt(executor, orderlessContext(new Config("key")));

            assertThat(outcome).isEqualTo(ExecutionOutcome.succeeded());
            assertThat(executor.seen).containsExactly("KEY");
        }

        @Test
        void aConfigThatDoesNotResolveFailsForGood() {
            Declaring executor = new Declaring();

            ExecutionOutcome outcome = ActionExecutors.attempt(executor, orderlessContext(new Config(" ")));

            assertThat(outcome).isInstanceOf(ExecutionOutcome.PermanentFailure.class);
            assertThat(executor.seen).isEmpty();
        }
    }

    @Nested
    class ResolvedOncePerSnapshot {
        @Test
        void eachDistinctConfigSnapshotIsResolvedOnce() {
            Declaring executor = new Declaring();
            ResolvedConfigs configs = new ResolvedConfigs();

            for (int i = 0; i < 5; i++) {
                assertThat(configs.resolve(executor, "{\"secret\":\"a\"}").resolved())
                        .isEqualTo("A");
            }
            configs.resolve(executor, "{\"secret\":\"b\"}");

            assertThat(executor.resolved).hasValue(2);
        }
    }

    @Nested
    class OneFailureMapping {
        @Test
        void aRetryableDeliveryFailureKeepsStatusTimeoutAndRetryAfter() {
            DeliveryException slow = new DeliveryException("peer slow", true) {
                @Override
                public Integer peerStatus() {
                    return 503;
                }

                @Override
                public Duration retryAfter() {
                    return Duration.ofSeconds(30);
                }
            };

            assertThat(ExecutionOutcome.failed(slow, "step 2: ", "{\"done\":1}"))
                    .isEqualTo(new ExecutionOutcome.RetryableFailure(
                            new Failure("step 2: peer slow", 503, false, Duration.ofSeconds(30)), "{\"done\":1}"));
        }

        @Test
        void aPermanentDeliveryFailureFailsForGood() {
            assertThat(ExecutionOutcome.failed(new DeliveryException("mailbox unknown", false)))
                    .isEqualTo(ExecutionOutcome.permanent("mailbox unknown"));
        }
    }

    @Nested
    class OneValidationStyle {
        @Test
        void violationsNameEveryBadFieldInOneException() {
            assertThatThrownBy(() -> Violations.check(v -> {
                        v.require("transport", null);
                        v.requirePositive("timeout", Duration.ZERO);
                        v.requireText("name", " ");
                    }))
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fields())
                            .containsExactly("transport", "timeout", "name"));
        }
    }

    @Nested
    class DefinitionsAndReruns {
        @Test
        void toBuilderCopiesEveryFieldSoOneCanBeChanged() {
            ActionDefinition receipt = ActionDefinition.builder("receipt-email")
                    .id("receipt-email-c-1")
                    .name("Send receipt by email")
                    .checkout("c-1")
                    .enabled(false)
                    .config(new Config("x"))
                    .retryPolicy(RetryPolicy.none())
                    .build();

            ActionDefinition enabled = receipt.toBuilder().enabled(true).build();

            assertThat(enabled).isEqualTo(receipt.withEnabled(true));
        }

        @Test
        void eachRerunFlagHasOneName() {
            RerunOptions options = RerunOptions.defaults()
                    .useLatestTemplate(true)
                    .acknowledgeSucceeded(true)
                    .force(true);

            assertThat(options).isEqualTo(new RerunOptions(true, true, true));
            assertThat(options.force(false).force()).isFalse();
        }
    }
}
