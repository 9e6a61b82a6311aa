package dev.postpurchase.core.internal;

import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.AttemptRecord;
import dev.postpurchase.core.spi.PipelineObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
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
    public @Nullable String traceParent() {
        for (PipelineObserver o : observers) {
            try {
                String found = o.traceParent();
                if (found != null) {
                    return found;
                }
            } catch (RuntimeException e) {
                LOG.warn(
                        "observer {} failed to give the trace parent",
                        o.getClass().getName(),
                        e);
            }
        }
        return null;
    }

    @Override
    public boolean tracesAttempts() {
        return observers.stream().anyMatch(PipelineObserver::tracesAttempts);
    }

    @Override
    public AttemptObservation attemptStarted(ActionRun run, Instant startedAt, @Nullable String traceParent) {
        AttemptObservation[] each = new AttemptObservation[observers.size()];
        for (int i = 0; i < each.length; i++) {
            PipelineObserver o = observers.get(i);
            try {
                each[i] = o.attemptStarted(run, startedAt, traceParent);
            } catch (RuntimeException e) {
                LOG.warn(
                        "observer {} failed on the start of run {}",
                        o.getClass().getName(),
                        run.id(),
                        e);
                each[i] = AttemptObservation.NONE;
            }
        }
        String attemptTraceParent = null;
        for (AttemptObservation observation : each) {
            if (attemptTraceParent == null) {
                attemptTraceParent = observation.traceParent();
            }
        }
        String traced = attemptTraceParent;
        return new AttemptObservation() {
            @Override
            public void finished(AttemptRecord attempt, Duration took) {
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
            }

            @Override
            public @Nullable String traceParent() {
                return traced;
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
