package dev.postpurchase.examples.readme;

import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.memory.InMemoryDefinitionSource;
import dev.postpurchase.core.spi.ActionStateStore;
import dev.postpurchase.micrometer.PipelineMetrics;
import dev.postpurchase.micrometer.RunCountGauges;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;

/** The README's "Metrics" sample: a pipeline observed by Micrometer without the starter. */
public final class MetricsSample {
    private MetricsSample() {}

    /** Builds a pipeline whose attempts, claims and run counts appear in {@code registry}. */
    public static RunCountGauges observe(MeterRegistry registry) {
        // README:start metrics
        PipelineMetrics metrics = new PipelineMetrics(registry);
        ActionPipeline pipeline = ActionPipeline.builder()
                .store(ActionStateStore.inMemory())
                .definitions(new InMemoryDefinitionSource())
                .observer(metrics)
                .build();
        RunCountGauges gauges = RunCountGauges.start(registry, pipeline::countRuns, Duration.ofSeconds(30));
        // README:end
        pipeline.close();
        return gauges;
    }
}
