package dev.postpurchase.micrometer;

import dev.postpurchase.core.action.RunCounts;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gauges of the runs by status, across every node sharing the store: {@value #NAME} with the tag {@code status} =
 * {@code pending} (due or waiting for their first attempt), {@code awaiting_retry}, {@code running}, {@code stale}
 * (running with an expired lease) and {@code failed}. Succeeded runs are not counted (the store never reads them).
 *
 * <p>Counting is one store query, so it is not made per scrape: a daemon thread refreshes the counts every {@code
 * refresh} and the gauges read the last counts. Before the first count, and while the store fails, the gauges keep
 * their last value ({@code NaN} before any). {@link #close()} stops the thread and removes the gauges.
 */
public final class RunCountGauges implements AutoCloseable {
    /** The gauge name; one gauge per status tag. */
    public static final String NAME = "postpurchase.runs";

    private static final Logger LOG = LoggerFactory.getLogger(RunCountGauges.class);

    private final MeterRegistry registry;
    private final Supplier<RunCounts> counter;
    private final ScheduledExecutorService scheduler;
    private final List<Meter> meters = new ArrayList<>();
    private volatile @Nullable RunCounts last;
    private volatile boolean failing;

    private RunCountGauges(MeterRegistry registry, Supplier<RunCounts> counter, Iterable<Tag> tags) {
        this.registry = registry;
        this.counter = counter;
        Tags common = Tags.of(tags);
        gauge(common, "pending", RunCounts::pending);
        gauge(common, "awaiting_retry", RunCounts::awaitingRetry);
        gauge(common, "running", RunCounts::running);
        gauge(common, "stale", RunCounts::stale);
        gauge(common, "failed", RunCounts::failed);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "postpurchase-run-counts");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Registers the gauges and counts the runs now and then every {@code refresh}.
     *
     * @param counter usually {@code pipeline::countRuns}
     * @param refresh how often to count; at least one second
     */
    public static RunCountGauges start(MeterRegistry registry, Supplier<RunCounts> counter, Duration refresh) {
        return start(registry, counter, refresh, Tags.empty());
    }

    /** {@link #start(MeterRegistry, Supplier, Duration)} with common tags on every gauge. */
    public static RunCountGauges start(
            MeterRegistry registry, Supplier<RunCounts> counter, Duration refresh, Iterable<Tag> commonTags) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(counter, "counter");
        Objects.requireNonNull(refresh, "refresh");
        Objects.requireNonNull(commonTags, "commonTags");
        if (refresh.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("refresh must be at least one second");
        }
        RunCountGauges gauges = new RunCountGauges(registry, counter, commonTags);
        gauges.scheduler.scheduleWithFixedDelay(gauges::refresh, 0, refresh.toMillis(), TimeUnit.MILLISECONDS);
        return gauges;
    }

    /** Counts now (also what the thread does every interval); a failure is logged once and keeps the last counts. */
    public void refresh() {
        try {
            last = counter.get();
            if (failing) {
                LOG.info("counting runs works again");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warn("counting runs for the {} gauges failed; they keep their last value", NAME, e);
                failing = true;
            }
        }
    }

    private void gauge(Tags common, String status, ToLongFunction<RunCounts> value) {
        meters.add(Gauge.builder(NAME, this, g -> {
                    RunCounts counts = g.last;
                    return counts == null ? Double.NaN : value.applyAsLong(counts);
                })
                .description("Runs by status across all nodes (succeeded runs are not counted)")
                .baseUnit("runs")
                .tags(common)
                .tag("status", status)
                .strongReference(true)
                .register(registry));
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        meters.forEach(registry::remove);
    }
}
