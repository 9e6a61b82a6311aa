package dev.postpurchase.core.spi;

import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.TriggerCompletion;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What {@link ActionStateStore#create} did.
 *
 * @param created false when the trigger already existed and nothing was written
 * @param runs the trigger's runs as stored (the existing ones when {@code created} is false)
 * @param completion set when this call created the trigger already completed (it has no run left to do)
 */
public record CreateResult(boolean created, List<ActionRun> runs, @Nullable TriggerCompletion completion) {
    public CreateResult {
        runs = List.copyOf(runs);
    }

    /** A trigger that existed already: nothing written. */
    public static CreateResult existing(List<ActionRun> runs) {
        return new CreateResult(false, runs, null);
    }
}
