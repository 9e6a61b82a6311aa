package dev.postpurchase.core.spi;

import dev.postpurchase.core.action.RunState;
import dev.postpurchase.core.action.TriggerCompletion;
import java.util.List;
import java.util.Map;

/**
 * What {@link ActionStateStore#recordOutcomes} committed.
 *
 * @param states the new state of every run whose outcome was recorded, by run id; a run missing here had been
 *     changed by someone else (a forced re-run, a takeover after its lease expired) and its outcome was discarded
 * @param completed the triggers this batch completed (their last unfinished run succeeded here), each reported by
 *     exactly one batch over the trigger's lifetime
 */
public record RecordedOutcomes(Map<String, RunState> states, List<TriggerCompletion> completed) {
    public RecordedOutcomes {
        states = Map.copyOf(states);
        completed = List.copyOf(completed);
    }
}
