package dev.postpurchase.core.action;

import dev.postpurchase.core.retry.RetryPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * What a run was created with: its identity and the copy of its definition taken when the trigger was submitted.
 * Written once, when the trigger is stored, and replaced only by a re-run with "use latest template" ({@link
 * #withTemplate}). {@code toString} never shows the config, which may hold secrets.
 *
 * @param id stable and derived from the trigger and the definition ({@link #idFor}); used in idempotency keys
 * @param targetId the product, offer or checkout id the definition hangs on (with {@code level}): a product-level
 *     action can tell which of the order's lines are its own
 * @param configJson the definition's config at trigger time, as JSON
 * @param retryPolicy the definition's policy, or its executor's default, at trigger time
 */
public record RunSnapshot(
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
        Instant createdAt) {

    public RunSnapshot {
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
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** The run id for a definition on a trigger: the same on every node, so duplicate submissions collide. */
    public static String idFor(TriggerKind kind, String triggerId, String definitionId) {
        String name = kind.name() + '\u0000' + triggerId + '\u0000' + definitionId;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The snapshot of {@code definition} for a trigger, taken at {@code now}. */
    public static RunSnapshot of(
            TriggerKind kind, String triggerId, ActionDefinition definition, RetryPolicy policy, Instant now) {
        return new RunSnapshot(
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
                now);
    }

    /**
     * This run with the definition's current template: name, level, target, config and policy are taken from
     * {@code latest} together, so level and target always describe the same place; identity, trigger and creation
     * time stay.
     *
     * @throws IllegalArgumentException when {@code latest} is another definition or of another type
     */
    public RunSnapshot withTemplate(ActionDefinition latest, RetryPolicy policy) {
        if (!latest.id().equals(definitionId) || !latest.type().equals(type)) {
            throw new IllegalArgumentException("the template must be definition " + definitionId + " of type " + type);
        }
        return new RunSnapshot(
                id,
                triggerKind,
                triggerId,
                definitionId,
                type,
                latest.name(),
                latest.level(),
                latest.targetId(),
                latest.configJson(),
                policy,
                createdAt);
    }

    /** The store key of this run's trigger, see {@link Trigger#key()}. */
    public String triggerKey() {
        return Trigger.key(triggerKind, triggerId);
    }

    @Override
    public String toString() {
        return "RunSnapshot[id=" + id + ", trigger=" + triggerKey() + ", definition=" + definitionId + ", type=" + type
                + ", level=" + level + "]";
    }
}
