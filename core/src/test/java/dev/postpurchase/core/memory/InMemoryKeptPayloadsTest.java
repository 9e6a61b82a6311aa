package dev.postpurchase.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpurchase.core.action.Trigger;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.internal.ParsedPayloadKeeper;
import dev.postpurchase.core.internal.TriggerPayloads;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryKeptPayloadsTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final InMemoryActionStateStore store = new InMemoryActionStateStore();
    private final ParsedPayloadKeeper.Kept kept =
            new ParsedPayloadKeeper.Kept(new TriggerPayloads.Payload(null, null), "00-trace-parent");

    @Test
    void aKeptPayloadIsTheSameObjectUntilRetentionDeletesItsTrigger() {
        Trigger trigger = new Trigger(TriggerKind.ORDER, "o-1", "{}", T0, null);
        store.create(trigger, List.of()); // no runs: completed at once, so retention may delete it

        store.keepParsed(trigger.key(), kept);

        assertThat(store.parsed(trigger.key())).isSameAs(kept);
        assertThat(store.deleteFinishedBefore(T0.plusSeconds(1), 100)).isPositive();
        assertThat(store.parsed(trigger.key())).isNull();
    }

    @Test
    void aPayloadOfATriggerThatIsNotStoredIsNotKept() {
        store.keepParsed("order:missing", kept);

        assertThat(store.parsed("order:missing")).isNull();
    }
}
