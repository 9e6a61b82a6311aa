package dev.postpurchase.core.internal;

import dev.postpurchase.core.ActionExecutors;
import dev.postpurchase.core.PostpurchaseException;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.retry.Failure;
import dev.postpurchase.core.spi.ActionExecutor;
import dev.postpurchase.core.spi.AttemptResult;
import dev.postpurchase.core.spi.ExecutionContext;
import dev.postpurchase.core.spi.ExecutionOutcome;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one attempt of a claimed run: resolves its config (once per distinct snapshot on this node), hands the
 * executor a context whose order is loaded only if it asks, and turns whatever happens into the result to record.
 * An executor that throws never escapes: the throw becomes a failure with the exception's type and message.
 */
final class AttemptRunner {
    private static final Logger LOG = LoggerFactory.getLogger(AttemptRunner.class);

    private final ActionExecutors executors;
    private final ResolvedConfigs configs;
    private final TriggerPayloads payloads;
    private final PipelineSettings settings;
    private final Supplier<Collection<ActionRun>> held;

    /**
     * @param held the runs this node holds; their orders are read together with the first one an executor asks for
     */
    AttemptRunner(
            ActionExecutors executors,
            ResolvedConfigs configs,
            TriggerPayloads payloads,
            PipelineSettings settings,
            Supplier<Collection<ActionRun>> held) {
        this.executors = executors;
        this.configs = configs;
        this.payloads = payloads;
        this.settings = settings;
        this.held = held;
    }

    AttemptResult attempt(ActionRun run) {
        return OutcomeApplier.apply(run, outcome(run));
    }

    private ExecutionOutcome outcome(ActionRun run) {
        Optional<ActionExecutor<?>> executor = executors.find(run.type());
        if (executor.isEmpty()) {
            return ExecutionOutcome.permanent(
                    "no executor for type '" + run.type() + "' is registered on node " + settings.nodeId());
        }
        try {
            return attemptTyped(executor.get(), run);
        } catch (ValidationException e) {
            return ExecutionOutcome.permanent(String.valueOf(e.getMessage()));
        } catch (PostpurchaseException e) {
            return ExecutionOutcome.retry(Failure.of(String.valueOf(e.getMessage())), null);
        } catch (RuntimeException | LinkageError | AssertionError e) {
            LOG.warn("executor {} threw on run {}", run.type(), run.id(), e);
            return ExecutionOutcome.retry(Failure.of(e.getClass().getSimpleName() + ": " + e.getMessage()), null);
        }
    }

    private <C> ExecutionOutcome attemptTyped(ActionExecutor<C> executor, ActionRun run) {
        C config = configs.resolve(executor, run.configJson());
        ExecutionContext<C> context = ExecutionContext.deferred(
                run,
                config,
                settings.clock(),
                () -> payloads.of(run, held.get()).order(),
                () -> payloads.of(run, held.get()).event());
        ExecutionOutcome outcome = executor.execute(context);
        if (outcome == null) {
            return ExecutionOutcome.retry("executor " + run.type() + " returned no outcome");
        }
        return outcome;
    }
}
