package dev.postpurchase.core.internal;

import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.spi.ActionExecutor;
import dev.postpurchase.core.spi.ExecutionContext;
import dev.postpurchase.core.spi.ExecutionOutcome;
import dev.postpurchase.core.spi.RequiredIntegration;
import org.jspecify.annotations.Nullable;

/**
 * Applies what an executor declares it needs ({@link ActionExecutor#triggerKinds()}, {@link
 * ActionExecutor#needsOrder()}, {@link ActionExecutor#needsEvent()}, {@link ActionExecutor#integration()}), once per
 * attempt and with one wording for every executor, so no executor checks them itself.
 */
public final class ExecutorNeeds {
    private ExecutorNeeds() {}

    /**
     * Checks a config as saving a definition does: the executor's integration must be on, and the config must read
     * into the executor's type and resolve ({@link ActionExecutor#resolve}, which validates).
     *
     * @throws ValidationException (or {@link dev.postpurchase.core.IntegrationNotEnabledException}) naming every bad
     *     field
     */
    public static <C> C validateForSave(ActionExecutor<C> executor, String configJson) {
        C config = PostpurchaseJson.read(configJson, executor.configType(), "config");
        validateForSave(executor, config);
        return config;
    }

    /** As {@link #validateForSave(ActionExecutor, String)}, for a config already read. */
    public static <C> void validateForSave(ActionExecutor<C> executor, C config) {
        RequiredIntegration integration = executor.integration();
        if (integration != null) {
            integration.check();
        }
        resolve(executor, config);
    }

    /**
     * Reads a config snapshot into the executor's type and resolves it ({@link ActionExecutor#resolve}, which
     * validates). The integration switch is not looked at: an attempt reads it every time ({@link #unmet}).
     *
     * @throws ValidationException naming every bad field
     */
    public static <C> Resolved<C> read(ActionExecutor<C> executor, String configJson) {
        C config = PostpurchaseJson.read(configJson, executor.configType(), "config");
        return resolve(executor, config);
    }

    /** As {@link #read}, for a config already read. */
    public static <C> Resolved<C> resolve(ActionExecutor<C> executor, C config) {
        Object resolved = executor.resolve(config);
        if (resolved == null) {
            throw new ValidationException("config", "the " + executor.type() + " executor resolved it to nothing");
        }
        return new Resolved<>(config, resolved);
    }

    /** A config and what its executor resolved it to. */
    public record Resolved<C>(C config, Object resolved) {}

    /**
     * Why the attempt cannot run, or null when the executor's needs are met: a permanent failure when its integration
     * is off or the order or event it needs is missing, a skip when the trigger is of a kind it does not take (a revoke
     * definition reached by a paid order has nothing to do). Checked: the trigger
     * kind is one it takes, its integration is on, and the order or event it needs is there (checked in this order:
     * integration, order, event, trigger kind).
     */
    public static <C> @Nullable ExecutionOutcome unmet(ActionExecutor<C> executor, ExecutionContext<C> context) {
        ActionRun run = context.run();
        String action = "the " + executor.type() + " action";
        RequiredIntegration integration = executor.integration();
        if (integration != null) {
            String reason = integration.unavailableReason(executor.type());
            if (reason != null) {
                return ExecutionOutcome.permanent(reason);
            }
        }
        if (executor.needsOrder() && context.order() == null) {
            return ExecutionOutcome.permanent(
                    action + " needs an order, but the " + run.triggerKey() + " trigger has none");
        }
        if (executor.needsEvent() && context.event() == null) {
            return ExecutionOutcome.permanent(
                    action + " needs a shop event, but the " + run.triggerKey() + " trigger has none");
        }
        if (!executor.triggerKinds().contains(run.triggerKind())) {
            return ExecutionOutcome.skipped(action + " runs for " + executor.triggerKinds() + " triggers only; the "
                    + run.triggerKey() + " trigger is not one, so nothing was done");
        }
        return null;
    }

    /**
     * Makes one attempt with a resolved context: the needs first, then {@link ActionExecutor#execute}; a {@link
     * ValidationException} from the executor fails for good with its message.
     */
    public static <C> ExecutionOutcome execute(ActionExecutor<C> executor, ExecutionContext<C> context) {
        ExecutionOutcome unmet = unmet(executor, context);
        if (unmet != null) {
            return unmet;
        }
        try {
            ExecutionOutcome outcome = executor.execute(context);
            if (outcome == null) {
                return ExecutionOutcome.retry("executor " + executor.type() + " returned no outcome");
            }
            return outcome;
        } catch (ValidationException e) {
            return ExecutionOutcome.permanent(String.valueOf(e.getMessage()));
        }
    }
}
