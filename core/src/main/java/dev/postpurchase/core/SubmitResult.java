package dev.postpurchase.core;

import dev.postpurchase.core.action.ActionRun;
import java.util.List;

/**
 * What a submit or publish did.
 *
 * @param triggerKey {@code order:<id>} or {@code event:<id>}
 * @param created false when the same order (or event) had been submitted before: nothing new was created and
 *     {@code runs} are the existing ones
 */
public record SubmitResult(String triggerKey, boolean created, List<ActionRun> runs) {
    public SubmitResult {
        runs = List.copyOf(runs);
    }
}
