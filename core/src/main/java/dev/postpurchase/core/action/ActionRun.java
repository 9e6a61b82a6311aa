package dev.postpurchase.core.action;

import dev.postpurchase.core.retry.RetryPolicy;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One action for one trigger, as stored: the {@link RunSnapshot} taken when the trigger was submitted and the
 * {@link RunState} that every transition replaces. An immutable value read from the store; runs change only through
 * the pipeline ({@code submit}, the workers, {@code rerun}), never by changing a copy. The accessors below read
 * through to the two parts. {@code toString} never shows the config or the result.
 */
public record ActionRun(RunSnapshot snapshot, RunState state) {

    public ActionRun {
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(state, "state");
    }

    /** A new PENDING run of {@code definition} for a trigger, due at {@code now}, with its snapshot taken now. */
    public static ActionRun create(
            TriggerKind kind, String triggerId, ActionDefinition definition, RetryPolicy policy, Instant now) {
        return new ActionRun(RunSnapshot.of(kind, triggerId, definition, policy, now), RunState.pending(now));
    }

    /** The run id for a definition on a trigger; see {@link RunSnapshot#idFor}. */
    public static String idFor(TriggerKind kind, String triggerId, String definitionId) {
        return RunSnapshot.idFor(kind, triggerId, definitionId);
    }

    /** This run with another state (the snapshot unchanged). */
    public ActionRun with(RunState newState) {
        return new ActionRun(snapshot, newState);
    }

    public String id() {
        return snapshot.id();
    }

    public TriggerKind triggerKind() {
        return snapshot.triggerKind();
    }

    public String triggerId() {
        return snapshot.triggerId();
    }

    public String definitionId() {
        return snapshot.definitionId();
    }

    public String type() {
        return snapshot.type();
    }

    public String name() {
        return snapshot.name();
    }

    public ActionLevel level() {
        return snapshot.level();
    }

    public String targetId() {
        return snapshot.targetId();
    }

    public String configJson() {
        return snapshot.configJson();
    }

    public RetryPolicy retryPolicy() {
        return snapshot.retryPolicy();
    }

    public Instant createdAt() {
        return snapshot.createdAt();
    }

    public RunStatus status() {
        return state.status();
    }

    public long version() {
        return state.version();
    }

    public int attempts() {
        return state.attempts();
    }

    public int totalAttempts() {
        return state.totalAttempts();
    }

    public @Nullable Instant nextAttemptAt() {
        return state.nextAttemptAt();
    }

    public @Nullable String lastError() {
        return state.lastError();
    }

    public @Nullable Integer lastStatusCode() {
        return state.lastStatusCode();
    }

    public @Nullable String result() {
        return state.result();
    }

    public @Nullable String skipReason() {
        return state.skipReason();
    }

    public @Nullable String owner() {
        return state.owner();
    }

    public @Nullable Instant heartbeatAt() {
        return state.heartbeatAt();
    }

    public int rerunCount() {
        return state.rerunCount();
    }

    public Instant updatedAt() {
        return state.updatedAt();
    }

    /** The store key of this run's trigger, see {@link Trigger#key()}. */
    public String triggerKey() {
        return snapshot.triggerKey();
    }

    /**
     * The key every outside call of this run carries so the peer can deduplicate ({@code webhook-id}, Message-ID,
     * ...): the same on every automatic retry and on crash recovery, different for every other run. A re-run that
     * staff chose to deliver again (a SUCCEEDED run re-run with acknowledgement, or a RUNNING one forced) is a new
     * delivery: from then on the key carries the count of such re-runs ({@code msg_<id>_r<n>}), so receivers that
     * deduplicate do not drop it. A re-run of a FAILED or waiting run keeps the key: the peer never confirmed it.
     */
    public String idempotencyKey() {
        String base = "msg_" + snapshot.id().replace("-", "");
        return state.redeliveries() == 0 ? base : base + "_r" + state.redeliveries();
    }

    /** PENDING after at least one failed attempt: an automatic retry is scheduled at {@link #nextAttemptAt}. */
    public boolean awaitingRetry() {
        return state.status() == RunStatus.PENDING && state.attempts() > 0;
    }

    /** PENDING and due at or before {@code now}. */
    public boolean isDue(Instant now) {
        Instant next = state.nextAttemptAt();
        return state.status() == RunStatus.PENDING && next != null && !next.isAfter(now);
    }

    /** RUNNING with a heartbeat older than {@code cutoff}: its node has probably died. */
    public boolean isStale(Instant cutoff) {
        Instant heartbeat = state.heartbeatAt();
        return state.status() == RunStatus.RUNNING && (heartbeat == null || heartbeat.isBefore(cutoff));
    }

    @Override
    public String toString() {
        return "ActionRun[id=" + id() + ", trigger=" + triggerKey() + ", definition=" + definitionId() + ", type="
                + type() + ", status=" + status() + ", attempts=" + attempts() + ", nextAttemptAt=" + nextAttemptAt()
                + ", version=" + version() + "]";
    }
}
