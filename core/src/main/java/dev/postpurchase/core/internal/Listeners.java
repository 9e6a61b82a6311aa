package dev.postpurchase.core.internal;

import dev.postpurchase.core.PipelineListener;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.TriggerCompletion;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Fans out to the registered listeners; a failing listener is logged and never breaks the pipeline. */
public final class Listeners implements PipelineListener {
    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);
    private final List<PipelineListener> listeners;

    public Listeners(List<PipelineListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public void runChanged(ActionRun run) {
        for (PipelineListener l : listeners) {
            try {
                l.runChanged(run);
            } catch (RuntimeException e) {
                LOG.warn("listener {} failed on run {}", l.getClass().getName(), run.id(), e);
            }
        }
    }

    @Override
    public void triggerCompleted(TriggerCompletion completion) {
        for (PipelineListener l : listeners) {
            try {
                l.triggerCompleted(completion);
            } catch (RuntimeException e) {
                LOG.warn("listener {} failed on completion of {}", l.getClass().getName(), completion.key(), e);
            }
        }
    }
}
