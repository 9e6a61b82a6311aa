package dev.postpurchase.core.action;

import java.util.Map;
import java.util.Objects;

/**
 * What a bulk operation over a query's runs did (or, for a dry run, would do).
 *
 * @param matched runs the query matched, up to the cap
 * @param capped whether more runs matched than the cap allowed to consider
 * @param done runs re-run (re-queued); 0 in a dry run
 * @param skipped runs left alone, by run id, with the reason
 * @param dryRun whether nothing was changed
 */
public record BulkResult(int matched, boolean capped, int done, Map<String, String> skipped, boolean dryRun) {
    public BulkResult {
        Objects.requireNonNull(skipped, "skipped");
        skipped = Map.copyOf(skipped);
    }
}
