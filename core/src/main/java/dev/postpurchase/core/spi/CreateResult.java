package dev.postpurchase.core.spi;

import dev.postpurchase.core.action.ActionRun;
import java.util.List;

/**
 * What {@link ActionStateStore#create} did.
 *
 * @param created false when the trigger already existed and nothing was written
 * @param runs the trigger's runs as stored (the existing ones when {@code created} is false)
 */
public record CreateResult(boolean created, List<ActionRun> runs) {
    public CreateResult {
        runs = List.copyOf(runs);
    }
}
