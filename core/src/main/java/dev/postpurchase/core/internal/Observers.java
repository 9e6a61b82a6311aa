package dev.postpurchase.core.internal;

import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.spi.PipelineObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Fans out to the registered observers; a failing observer is logged and never breaks the pipeline. */
public final class Observers implements PipelineObserver {
    private static final Logger LOG = LoggerFactory.getLogger(Observers.class);

    /** No observer at all. */
    public static final PipelineObserver NONE = new PipelineObserver() {};

    private final List<PipelineObserver> observers;

    private Observers(List<PipelineObserver> observers) {
        this.observers = List.copyOf(observers);
    }

    /** One observer for all of them ({@link #NONE} when there are none). */
    public static PipelineObserver of(List<PipelineObserver> observers) {
        return observers.isEmpty() ? NONE : new Observers(observers);
    }

    @Override
    public void claimed(int asked, int claimed, Duration latency) {
        for (PipelineObserver o : observers) {
            try {
                o.claimed(asked, claimed, latency);
            } catch (RuntimeException e) {
                LOG.warn("observer {} failed on a claim", o.getClass().getName(), e);
            }
        }
    }

    @Override
    public AttemptObservation attemptStarted(ActionRun run, Instant startedAt) {
        AttemptObservation[] each = new AttemptObservation[observers.size()];
        for (int i = 0; i < each.length; i++) {
            PipelineObserver o = observers.get(i);
            try {
                each[i] = o.attemptStarted(run, startedAt);
            } catch (RuntimeException e) {
                LOG.warn(
                        "observer {} failed on the start of run {}",
                        o.getClass().getName(),
                        run.id(),
                        e);
                each[i] = AttemptObservation.NONE;
            }
        }
        return (attempt, took) -> {
            for (int i = each.length - 1; i >= 0; i--) {
                try {
                    each[i].finished(attempt, took);
                } catch (RuntimeException e) {
                    LOG.warn(
                            "observer {} failed on the end of run {}",
                            observers.get(i).getClass().getName(),
                            run.id(),
                            e);
                }
            }
        };
    }

    @Override
    public void outcomesRecorded(int size, Duration latency) {
        for (PipelineObserver o : observers) {
            try {
                o.outcomesRecorded(size, latency);
            } catch (RuntimeException e) {
                LOG.warn("observer {} failed on an outcome batch", o.getClass().getName(), e);
            }
        }
    }
}
