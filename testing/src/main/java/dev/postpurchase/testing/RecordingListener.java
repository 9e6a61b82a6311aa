package dev.postpurchase.testing;

import dev.postpurchase.core.PipelineListener;
import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.TriggerCompletion;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A {@link PipelineListener} that records what it hears, as text, in the order heard: {@code "<triggerId> <runId>
 * <STATUS>"} for each run change and {@code "<triggerId> completed"} for each completion. Thread-safe.
 */
public final class RecordingListener implements PipelineListener {
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final Semaphore completions = new Semaphore(0);

    @Override
    public void runChanged(ActionRun run) {
        events.add(run.triggerId() + " " + run.id() + " " + run.status());
    }

    @Override
    public void triggerCompleted(TriggerCompletion completion) {
        events.add(completion.id() + " completed");
        completions.release();
    }

    /** Everything heard so far. */
    public List<String> events() {
        return List.copyOf(events);
    }

    /** What was heard about one trigger (an order's or an event's id). */
    public List<String> about(String triggerId) {
        return events.stream().filter(e -> e.startsWith(triggerId + " ")).toList();
    }

    /** Waits until {@code count} more completions have been heard; false when {@code timeout} passed first. */
    public boolean awaitCompletions(int count, Duration timeout) throws InterruptedException {
        return completions.tryAcquire(count, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}
