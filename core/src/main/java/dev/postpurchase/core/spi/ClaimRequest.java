package dev.postpurchase.core.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link ActionStateStore#claim} takes: due PENDING runs of {@code types}, earliest first, and, when {@code
 * recoverStale} is set, RUNNING runs of {@code recoverableTypes} whose lease expired ({@code heartbeatAt} older than
 * {@code leaseDuration}).
 *
 * @param owner the claiming node; recorded as the runs' owner
 * @param limit the most runs to take (at least 1)
 * @param types the action types the node can execute; runs of other types are left for nodes that can
 * @param recoverableTypes the idempotent types among {@code types}, whose abandoned runs may be taken over
 * @param leaseDuration how old a heartbeat must be for its run to count as abandoned
 * @param recoverStale whether to look for abandoned runs at all (the pipeline does so on its own cadence)
 * @param now the caller's clock; see {@link ActionStateStore} on clocks
 */
public record ClaimRequest(
        String owner,
        int limit,
        Set<String> types,
        Set<String> recoverableTypes,
        Duration leaseDuration,
        boolean recoverStale,
        Instant now) {

    public ClaimRequest {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(leaseDuration, "leaseDuration");
        Objects.requireNonNull(now, "now");
        types = Set.copyOf(types);
        recoverableTypes = Set.copyOf(recoverableTypes);
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        if (!types.containsAll(recoverableTypes)) {
            throw new IllegalArgumentException("recoverableTypes must be among types");
        }
    }

    /** Due runs only, no recovery. */
    public static ClaimRequest due(String owner, int limit, Set<String> types, Instant now) {
        return new ClaimRequest(owner, limit, types, Set.of(), Duration.ofDays(3650), false, now);
    }
}
