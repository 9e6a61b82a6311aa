package dev.postpurchase.core;

import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.TriggerCompletion;

/**
 * Hears what a pipeline does on this node. Called synchronously on the thread that made the change: keep it quick
 * and never throw (a thrown exception is logged and ignored). Each change this node writes is reported once, after
 * it is durable (its transaction committed); changes written by other nodes are reported there. Reports about one
 * run may come from different threads (the submitting thread, a worker) and so may interleave: order them by
 * {@code ActionRun#version}, which every change increases.
 */
public interface PipelineListener {

    /** A run was created or changed status (PENDING, RUNNING, SUCCEEDED, FAILED, or PENDING awaiting a retry). */
    default void runChanged(ActionRun run) {}

    /**
     * Every run of an order (or event) has succeeded: the order is COMPLETED. Reported exactly once across all
     * nodes, by the node whose write completed it, also when the last failing run succeeds through a re-run. The
     * completion is recorded in the same transaction as that last success ({@code Trigger#completedAt}); a node that
     * dies between that commit and this call does not call it, so an application that must act on every completion
     * even across crashes also checks {@code ActionPipeline#progressOfOrder} (or the trigger's {@code completedAt})
     * for orders it has not seen complete.
     */
    default void triggerCompleted(TriggerCompletion completion) {}
}
