package dev.postpurchase.benchmarks.internal;

import java.util.List;

/**
 * One figure measured in several repetitions: its median, min and max are what the report shows.
 *
 * @param name what was measured, for example {@code postgres.ours.1node.throughput}
 * @param unit for example {@code runs/s}, {@code ms}, {@code MB}
 * @param values one value per repetition, in order
 */
public record Measurement(String name, String unit, List<Double> values) {
    public Measurement {
        values = List.copyOf(values);
    }

    public double median() {
        return Stats.median(values);
    }

    public double min() {
        return Stats.min(values);
    }

    public double max() {
        return Stats.max(values);
    }
}
