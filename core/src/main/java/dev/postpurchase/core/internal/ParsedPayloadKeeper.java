package dev.postpurchase.core.internal;

import org.jspecify.annotations.Nullable;

/**
 * A store in this JVM's memory that keeps each trigger's parsed payload beside its JSON, so that no pipeline on it
 * parses again an order or event it was handed as an object (both are immutable). Internal: implemented by the
 * in-memory store; a store that serialises (JDBC) has no objects to keep and does not implement it.
 */
public interface ParsedPayloadKeeper {
    /** The parsed payload of one stored trigger and its trace parent. */
    record Kept(TriggerPayloads.Payload payload, @Nullable String traceParent) {}

    /**
     * Keeps the parsed payload of the stored trigger {@code triggerKey} until it completes or is deleted; ignored when
     * that trigger is not stored or already completed.
     */
    void keepParsed(String triggerKey, Kept kept);

    /** The kept payload of {@code triggerKey}; null when none was kept or the trigger was deleted. */
    @Nullable
    Kept parsed(String triggerKey);
}
