package dev.postpurchase.core;

import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.Trigger;

/**
 * Hears what a pipeline does on this node. Called synchronously on the thread that made the change: keep it quick
 * and never throw (a thrown exception is logged and ignored). Each state change written by this node is reported
 * once; changes written by other nodes are reported there.
 */
public interface PipelineListener {

    /** A run was created or changed status (PENDING, RUNNING, SUCCEEDED, FAILED, or PENDING awaiting a retry). */
    default void runChanged(ActionRun run) {}

    /**
     * Every run of an order (or event) has succeeded: the order is COMPLETED. Reported exactly once across all
     * nodes, also when the last failing run succeeds through a re-run.
     */
    default void triggerCompleted(Trigger trigger) {}
}
