package dev.postpurchase.core.action;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a re-run would do, before it is done: the summary of the re-run dialog.
 *
 * @param run the run as it is now
 * @param options the options the preview is for
 * @param blockedBy why the re-run would be refused with these options (a missing acknowledgement or force, a
 *     deleted definition, a template that no longer validates, a manual retry the executor does not allow), or null
 *     when it would go ahead
 * @param warnings what staff should know before confirming: side effects firing again for a SUCCEEDED run, a
 *     RUNNING run that may still be running on another node, a new idempotency key
 * @param templateChanges with "use latest template": each snapshot field that would change, secrets masked
 * @param newDelivery whether the re-run is a new delivery with a new idempotency key ({@link
 *     ActionRun#idempotencyKey()})
 */
public record RerunPreview(
        ActionRun run,
        RerunOptions options,
        @Nullable String blockedBy,
        List<String> warnings,
        List<FieldChange> templateChanges,
        boolean newDelivery) {
    public RerunPreview {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(options, "options");
        warnings = List.copyOf(warnings);
        templateChanges = List.copyOf(templateChanges);
    }

    /** Whether the re-run would go ahead. */
    public boolean allowed() {
        return blockedBy == null;
    }
}
