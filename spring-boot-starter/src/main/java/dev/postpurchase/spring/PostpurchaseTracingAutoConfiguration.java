package dev.postpurchase.spring;

import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.opentelemetry.OpenTelemetryTracing;
import io.opentelemetry.api.OpenTelemetry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Traces the pipeline with {@link OpenTelemetryTracing} when {@code postpurchase-opentelemetry} is on the classpath
 * and the application has an {@link OpenTelemetry} bean (Spring Boot's OpenTelemetry support, or its own). Switch
 * off with {@code postpurchase.tracing.enabled=false}.
 */
@AutoConfiguration(
        afterName = {
            "org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration",
            "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration"
        })
@ConditionalOnClass({OpenTelemetry.class, OpenTelemetryTracing.class, ActionPipeline.class})
@ConditionalOnBean(OpenTelemetry.class)
@ConditionalOnProperty(prefix = "postpurchase", name = "enabled", matchIfMissing = true)
public class PostpurchaseTracingAutoConfiguration {

    /** The observer that traces every attempt; the pipeline picks it up as a {@code PipelineObserver} bean. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "postpurchase.tracing", name = "enabled", matchIfMissing = true)
    public OpenTelemetryTracing postpurchaseTracing(OpenTelemetry openTelemetry) {
        return new OpenTelemetryTracing(openTelemetry);
    }
}
