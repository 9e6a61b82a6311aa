package dev.postpurchase.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.micrometer.PipelineMetrics;
import dev.postpurchase.opentelemetry.OpenTelemetryTracing;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Which beans the starter adds, without a database: each needs what it observes or runs on. */
class AutoConfigurationConditionsTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    PostpurchaseMetricsAutoConfiguration.class,
                    PostpurchaseTracingAutoConfiguration.class,
                    PostpurchaseAutoConfiguration.class));

    @Test
    void withoutADataSourceThereIsNoPipeline() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ActionPipeline.class));
    }

    @Test
    void anOpenTelemetryBeanBringsTracingAndAMeterRegistryBringsMetrics() {
        runner.withBean(OpenTelemetry.class, OpenTelemetry::noop)
                .withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> assertThat(context)
                        .hasSingleBean(OpenTelemetryTracing.class)
                        .hasSingleBean(PipelineMetrics.class));
    }

    @Test
    void tracingAndMetricsCanBeSwitchedOff() {
        runner.withBean(OpenTelemetry.class, OpenTelemetry::noop)
                .withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("postpurchase.tracing.enabled=false", "postpurchase.metrics.enabled=false")
                .run(context -> assertThat(context)
                        .doesNotHaveBean(OpenTelemetryTracing.class)
                        .doesNotHaveBean(PipelineMetrics.class));
    }

    @Test
    void withoutOpenTelemetryThereIsNoTracing() {
        runner.run(context -> assertThat(context).doesNotHaveBean(OpenTelemetryTracing.class));
    }
}
