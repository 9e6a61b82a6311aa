package dev.postpurchase.spring;

import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.micrometer.PipelineMetrics;
import dev.postpurchase.micrometer.RunCountGauges;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Registers the pipeline's meters when Micrometer, {@code postpurchase-micrometer} and a {@link MeterRegistry} are
 * present (Spring Boot Actuator provides one): {@link PipelineMetrics} as the pipeline's observer, and the
 * runs-by-status gauges ({@link RunCountGauges}), counted every {@code postpurchase.metrics.run-counts-refresh}.
 * Switch off with {@code postpurchase.metrics.enabled=false}.
 */
@AutoConfiguration(
        afterName = {
            "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"
        })
@ConditionalOnClass({MeterRegistry.class, PipelineMetrics.class, ActionPipeline.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnProperty(prefix = "postpurchase", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(PostpurchaseProperties.class)
public class PostpurchaseMetricsAutoConfiguration {

    /** The observer that feeds the meters; the pipeline picks it up as a {@code PipelineObserver} bean. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "postpurchase.metrics", name = "enabled", matchIfMissing = true)
    public PipelineMetrics postpurchasePipelineMetrics(MeterRegistry registry) {
        return new PipelineMetrics(registry);
    }

    /** The runs-by-status gauges of the application's pipeline, once it exists. */
    @Bean
    @ConditionalOnProperty(prefix = "postpurchase.metrics", name = "enabled", matchIfMissing = true)
    public RunGauges postpurchaseRunGauges(
            MeterRegistry registry, ObjectProvider<ActionPipeline> pipeline, PostpurchaseProperties properties) {
        return new RunGauges(registry, pipeline, properties);
    }

    /** Starts {@link RunCountGauges} after every singleton exists, when there is a pipeline; closes them on stop. */
    public static final class RunGauges implements SmartInitializingSingleton, DisposableBean {
        private final MeterRegistry registry;
        private final ObjectProvider<ActionPipeline> pipeline;
        private final PostpurchaseProperties properties;
        private volatile @Nullable RunCountGauges gauges;

        RunGauges(MeterRegistry registry, ObjectProvider<ActionPipeline> pipeline, PostpurchaseProperties properties) {
            this.registry = registry;
            this.pipeline = pipeline;
            this.properties = properties;
        }

        @Override
        public void afterSingletonsInstantiated() {
            ActionPipeline found = pipeline.getIfUnique();
            if (found != null) {
                gauges = RunCountGauges.start(
                        registry, found::countRuns, properties.getMetrics().getRunCountsRefresh());
            }
        }

        /** Counts the runs now (the gauges otherwise count every refresh interval). */
        public void refresh() {
            RunCountGauges current = gauges;
            if (current != null) {
                current.refresh();
            }
        }

        @Override
        public void destroy() {
            RunCountGauges current = gauges;
            if (current != null) {
                current.close();
            }
        }
    }
}
