package dev.postpurchase.core;

import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.TriggerCompletion;

/**
 * Hears what a pipeline does on this node. Called synchronously on the thread that made the change: keep it quick
 * and never throw (a thrown exception is logged and ignored). Recorded outcomes are reported by the worker that wrote
 * their batch while it still holds the node's turn to write, so a slow listener delays the recording of the node's
 * other outcomes: hand slow work to an executor of your own. Each change this node writes is reported once, after
 * it is durable (its transaction committed); changes written by other nodes are reported there. A submit or re-run
 * made in the caller's own transaction ({@code ActionPipeline#submit(Connection, Order)}, or a Spring-managed
 * transaction the store joins) is reported only once that transaction commits, and never when it rolls back: under
 * Spring at the commit, on the committing thread; on a plain connection, which the pipeline cannot watch, when this
 * node claims one of its runs or finds it committed by reading it back (first after a poll interval, then less
 * often; a write not seen committed within ten minutes is taken as rolled back and not reported; a re-run overtaken
 * by later changes before it is seen is heard through those changes only). Reports about one
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
