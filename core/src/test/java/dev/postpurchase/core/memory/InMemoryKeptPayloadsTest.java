package dev.postpurchase.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpurchase.core.action.ActionDefinition;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.Trigger;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.internal.ParsedPayloadKeeper;
import dev.postpurchase.core.internal.TriggerPayloads;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.AttemptResult;
import dev.postpurchase.core.spi.ClaimRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InMemoryKeptPayloadsTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final InMemoryActionStateStore store = new InMemoryActionStateStore();
    private final ParsedPayloadKeeper.Kept kept =
            new ParsedPayloadKeeper.Kept(new TriggerPayloads.Payload(null, null), "00-trace-parent");

    @Test
    void aKeptPayloadIsTheSameObjectUntilItsTriggerCompletes() {
        ActionDefinition definition = ActionDefinition.builder("record")
                .id("d-1")
                .checkout("c-1")
                .config(Map.of())
                .build();
        ActionRun run = ActionRun.create(TriggerKind.ORDER, "o-1", definition, RetryPolicy.none(), T0);
        Trigger trigger = new Trigger(TriggerKind.ORDER, "o-1", "{}", T0, null);
        store.create(trigger, List.of(run));

        store.keepParsed(trigger.key(), kept);
        assertThat(store.parsed(trigger.key())).isSameAs(kept);

        ActionRun claimed = store.claim(
                        new ClaimRequest("node-1", 1, Set.of("record"), Set.of(), Duration.ofMinutes(1), false, T0))
                .get(0);
        assertThat(store.parsed(trigger.key()))
                .as("kept while its run is running")
                .isSameAs(kept);
        store.recordOutcomes(List.of(AttemptResult.succeeded(claimed, "ok", null)), T0);

        assertThat(store.parsed(trigger.key()))
                .as("dropped once the trigger completed")
                .isNull();
    }

    @Test
    void noPayloadIsKeptForATriggerThatIsMissingOrAlreadyCompleted() {
        Trigger withoutRuns = new Trigger(TriggerKind.ORDER, "o-2", "{}", T0, null);
        store.create(withoutRuns, List.of()); // no runs: completed at once

        store.keepParsed(withoutRuns.key(), kept);
        store.keepParsed("order:missing", kept);

        assertThat(store.parsed(withoutRuns.key())).isNull();
        assertThat(store.parsed("order:missing")).isNull();
    }
}
