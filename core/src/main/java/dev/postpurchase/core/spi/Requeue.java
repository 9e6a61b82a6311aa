package dev.postpurchase.core.spi;

import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.RunSnapshot;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A manual re-run as {@link ActionStateStore#requeue} writes it: a compare-and-set from {@code expected}'s status and
 * version to PENDING, due at once, with a fresh attempt budget.
 *
 * @param expected the run as the caller last read it
 * @param newSnapshot the definition's latest template ("use latest template"), replacing the snapshot for good; null
 *     keeps it
 * @param redeliver whether this re-run is a new delivery (staff acknowledged a SUCCEEDED run or forced a RUNNING one):
 *     the run then gets a new idempotency key
 */
public record Requeue(ActionRun expected, @Nullable RunSnapshot newSnapshot, boolean redeliver) {
    public Requeue {
        Objects.requireNonNull(expected, "expected");
        if (newSnapshot != null && !newSnapshot.id().equals(expected.id())) {
            throw new IllegalArgumentException("the new snapshot must be of run " + expected.id());
        }
    }
}
