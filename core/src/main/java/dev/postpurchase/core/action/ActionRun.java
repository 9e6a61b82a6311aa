package dev.postpurchase.core.action;

import dev.postpurchase.core.retry.RetryPolicy;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One action for one trigger, as stored. Immutable: every transition method returns a copy with {@code version}
 * plus one, which a store writes with a compare-and-set on the old status and version.
 *
 * <p>{@code attempts} counts attempts in the current budget (a manual re-run starts a new one); {@code
 * totalAttempts} counts every attempt ever made. The snapshot ({@code configJson}, {@code retryPolicy}, {@code
 * name}) is taken when the trigger is submitted and only replaced by a re-run with "use latest template".
 * {@code toString} never shows the snapshot or the result, which may hold secrets or personal data.
 *
 * @param id stable and derived from the trigger and the definition ({@link #idFor}); used in idempotency keys
 * @param targetId the product, offer or checkout id the definition hangs on (with {@code level}), snapshotted: a
 *     product-level action can tell which of the order's lines are its own
 * @param nextAttemptAt when a PENDING run is due; null once terminal
 * @param lastError the reason of the last failure, kept while awaiting a retry and on FAILED
 * @param lastStatusCode the peer's status in the last failed attempt, if any
 * @param result what the last successful (or partly successful) attempt returned, for example a licence key
 * @param skipReason set when the executor skipped the action (still SUCCEEDED)
 * @param owner the worker holding a RUNNING run
 * @param heartbeatAt when the owner last renewed its lease
 */
public record ActionRun(
        String id,
        TriggerKind triggerKind,
        String triggerId,
        String definitionId,
        String type,
        String name,
        ActionLevel level,
        String targetId,
        String configJson,
        RetryPolicy retryPolicy,
        RunStatus status,
        int attempts,
        int totalAttempts,
        @Nullable Instant nextAttemptAt,
        @Nullable String lastError,
        @Nullable Integer lastStatusCode,
        @Nullable String result,
        @Nullable String skipReason,
        @Nullable String owner,
        @Nullable Instant heartbeatAt,
        int rerunCount,
        Instant createdAt,
        Instant updatedAt,
        long version) {

    public ActionRun {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(triggerKind, "triggerKind");
        Objects.requireNonNull(triggerId, "triggerId");
        Objects.requireNonNull(definitionId, "definitionId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(targetId, "targetId");
        Objects.requireNonNull(configJson, "configJson");
        Objects.requireNonNull(retryPolicy, "retryPolicy");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** The run id for a definition on a trigger: the same on every node, so duplicate submissions collide. */
    public static String idFor(TriggerKind kind, String triggerId, String definitionId) {
        String name = kind.name() + '\u0000' + triggerId + '\u0000' + definitionId;
        return UUID.nameUUIDFromBytes(name.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString();
    }

    /** A new PENDING run, due at {@code now}, with a snapshot of {@code definition}. */
    public static ActionRun create(
            TriggerKind kind, String triggerId, ActionDefinition definition, RetryPolicy policy, Instant now) {
        return new ActionRun(
                idFor(kind, triggerId, definition.id()),
                kind,
                triggerId,
                definition.id(),
                definition.type(),
                definition.name(),
                definition.level(),
                definition.targetId(),
                definition.configJson(),
                policy,
                RunStatus.PENDING,
                0,
                0,
                now,
                null,
                null,
                null,
                null,
                null,
                null,
                0,
                now,
                now,
                0);
    }

    /** The store key of this run's trigger, see {@link Trigger#key()}. */
    public String triggerKey() {
        return Trigger.key(triggerKind, triggerId);
    }

    /**
     * The key every outside call of this run carries so the peer can deduplicate: stable across retries and
     * re-runs of this run, different for every other run. For webhooks this is the {@code webhook-id}.
     */
    public String idempotencyKey() {
        return "msg_" + id.replace("-", "");
    }

    /** PENDING after at least one failed attempt: an automatic retry is scheduled at {@link #nextAttemptAt}. */
    public boolean awaitingRetry() {
        return status == RunStatus.PENDING && attempts > 0;
    }

    /** PENDING and due at or before {@code now}. */
    public boolean isDue(Instant now) {
        return status == RunStatus.PENDING && nextAttemptAt != null && !nextAttemptAt.isAfter(now);
    }

    /** RUNNING with a heartbeat older than {@code cutoff}: its worker has probably died. */
    public boolean isStale(Instant cutoff) {
        return status == RunStatus.RUNNING && (heartbeatAt == null || heartbeatAt.isBefore(cutoff));
    }

    /** Taken by {@code owner}: RUNNING, one more attempt. */
    public ActionRun claim(String owner, Instant now) {
        return new ActionRun(
                id,
                triggerKind,
                triggerId,
                definitionId,
                type,
                name,
                level,
                targetId,
                configJson,
                retryPolicy,
                RunStatus.RUNNING,
                attempts + 1,
                totalAttempts + 1,
                null,
                lastError,
                lastStatusCode,
                result,
                skipReason,
                owner,
                now,
                rerunCount,
                createdAt,
                now,
                version + 1);
    }

    /** SUCCEEDED with an optional result (a skip is a success with a reason). */
    public ActionRun succeed(@Nullable String resultValue, @Nullable String skip, Instant now) {
        return new ActionRun(
                id,
                triggerKind,
                triggerId,
                definitionId,
                type,
                name,
                level,
                targetId,
                configJson,
                retryPolicy,
                RunStatus.SUCCEEDED,
                attempts,
                totalAttempts,
                null,
                null,
                null,
                resultValue,
                skip,
                null,
                null,
                rerunCount,
                createdAt,
                now,
                version + 1);
    }

    /** Back to PENDING after a failed attempt, due at {@code nextAt}. */
    public ActionRun retryAt(
            Instant nextAt, String error, @Nullable Integer statusCode, @Nullable String partialResult, Instant now) {
        return new ActionRun(
                id,
                triggerKind,
                triggerId,
                definitionId,
                type,
                name,
                level,
                targetId,
                configJson,
                retryPolicy,
                RunStatus.PENDING,
                attempts,
                totalAttempts,
                nextAt,
                error,
                statusCode,
                partialResult,
                null,
                null,
                null,
                rerunCount,
                createdAt,
                now,
                version + 1);
    }

    /** FAILED for good (until a manual re-run). */
    public ActionRun fail(String error, @Nullable Integer statusCode, @Nullable String partialResult, Instant now) {
        return new ActionRun(
                id,
                triggerKind,
                triggerId,
                definitionId,
                type,
                name,
                level,
                targetId,
                configJson,
                retryPolicy,
                RunStatus.FAILED,
                attempts,
                totalAttempts,
                null,
                error,
                statusCode,
                partialResult,
                null,
                null,
                null,
                rerunCount,
                createdAt,
                now,
                version + 1);
    }

    /**
     * PENDING again by a manual re-run, due now, with a fresh attempt budget; the snapshot is replaced when
     * {@code latest} is given. The partial result is kept so a multi-unit executor does not repeat finished units.
     */
    public ActionRun rerun(@Nullable ActionDefinition latest, @Nullable RetryPolicy latestPolicy, Instant now) {
        String newConfig = latest == null ? configJson : latest.configJson();
        String newName = latest == null ? name : latest.name();
        String newTarget = latest == null ? targetId : latest.targetId();
        RetryPolicy newPolicy = latestPolicy == null ? retryPolicy : latestPolicy;
        String keptResult = status == RunStatus.SUCCEEDED ? null : result;
        return new ActionRun(
                id,
                triggerKind,
                triggerId,
                definitionId,
                type,
                newName,
                level,
                newTarget,
                newConfig,
                newPolicy,
                RunStatus.PENDING,
                0,
                totalAttempts,
                now,
                null,
                null,
                keptResult,
                null,
                null,
                null,
                rerunCount + 1,
                createdAt,
                now,
                version + 1);
    }

    /** Same state with a renewed heartbeat; the version is unchanged (a heartbeat is not a state change). */
    public ActionRun heartbeat(Instant now) {
        return new ActionRun(
                id,
                triggerKind,
                triggerId,
                definitionId,
                type,
                name,
                level,
                targetId,
                configJson,
                retryPolicy,
                status,
                attempts,
                totalAttempts,
                nextAttemptAt,
                lastError,
                lastStatusCode,
                result,
                skipReason,
                owner,
                now,
                rerunCount,
                createdAt,
                updatedAt,
                version);
    }

    @Override
    public String toString() {
        return "ActionRun[id=" + id + ", trigger=" + triggerKey() + ", definition=" + definitionId + ", type=" + type
                + ", status=" + status + ", attempts=" + attempts + ", nextAttemptAt=" + nextAttemptAt + ", version="
                + version + "]";
    }
}
