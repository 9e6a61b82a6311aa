package dev.postpurchase.email;

import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.order.Order;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.ExecutionContext;
import dev.postpurchase.testing.TestRuns;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** Real execution contexts for executor tests: a run created and claimed the way the pipeline does it. */
final class Contexts {
    static final Instant NOW = Instant.parse("2026-03-05T10:16:00Z");

    private Contexts() {}

    static <C> ExecutionContext<C> forOrder(ActionDefinition definition, C config, Order order) {
        ActionRun run = TestRuns.claimed(
                ActionRun.create(TriggerKind.ORDER, order.id(), definition, RetryPolicy.none(), NOW), "test-node", NOW);
        return new ExecutionContext<>(run, config, order, null, Clock.fixed(NOW, ZoneOffset.UTC));
    }
}
