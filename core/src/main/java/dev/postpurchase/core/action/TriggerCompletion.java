package dev.postpurchase.core.action;

import java.time.Instant;
import java.util.Objects;

/**
 * A trigger whose runs have all succeeded: the order (or event) is COMPLETED. Recorded by the store in the same
 * transaction as the last run's success.
 *
 * @param completedAt when the store recorded it, by the store's clock
 */
public record TriggerCompletion(TriggerKind kind, String id, Instant completedAt) {
    public TriggerCompletion {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(completedAt, "completedAt");
    }

    /** The store key of the trigger: {@code order:<id>} or {@code event:<id>}. */
    public String key() {
        return Trigger.key(kind, id);
    }
}
