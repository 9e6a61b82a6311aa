package dev.postpurchase.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.spi.ActionStateStore;
import dev.postpurchase.core.spi.DefinitionStore;
import dev.postpurchase.opentelemetry.OpenTelemetryTracing;
import dev.postpurchase.testing.RecordingExecutor;
import dev.postpurchase.testing.TestDefinitions;
import dev.postpurchase.testing.TestOrders;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * With an {@link OpenTelemetry} bean the starter traces the pipeline: an order submitted inside a span stores its
 * {@code traceparent}, and its attempt runs in a span linked to the submitting one.
 */
@SpringBootTest(classes = SpringTracingTest.TracedApp.class, properties = "postpurchase.poll-interval=30s")
class SpringTracingTest {
    static final String PREFIX = "sbtr_";

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestPostgres.reset(registry, PREFIX, "sbtr_shop_order");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class TracedApp {
        @Bean
        InMemorySpanExporter spanExporter() {
            return InMemorySpanExporter.create();
        }

        @Bean
        OpenTelemetrySdk openTelemetry(InMemorySpanExporter exporter) {
            return OpenTelemetrySdk.builder()
                    .setTracerProvider(SdkTracerProvider.builder()
                            .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                            .build())
                    .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                    .build();
        }

        @Bean
        RecordingExecutor grant() {
            return new RecordingExecutor("grant");
        }
    }

    @Autowired
    ActionPipeline pipeline;

    @Autowired
    ActionStateStore store;

    @Autowired
    DefinitionStore definitions;

    @Autowired
    OpenTelemetry openTelemetry;

    @Autowired
    InMemorySpanExporter exporter;

    @Test
    void anOrderSubmittedInsideASpanRunsItsAttemptInASpanLinkedToIt() throws Exception {
        if (definitions.findDefinition("grant-1").isEmpty()) {
            definitions.createDefinition(
                    TestDefinitions.definition("grant-1", "grant", ActionLevel.CHECKOUT, "checkout-1"));
        }
        String orderId = "sbtr-" + UUID.randomUUID();
        Span request =
                openTelemetry.getTracer("shop").spanBuilder("POST /orders/paid").startSpan();
        Scope scope = request.makeCurrent();
        try {
            pipeline.submit(TestOrders.paidOrder(orderId).build());
        } finally {
            scope.close();
            request.end();
        }
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();

        SpanContext requestContext = request.getSpanContext();
        assertThat(store.trigger(TriggerKind.ORDER, orderId).orElseThrow().traceParent())
                .isEqualTo("00-" + requestContext.getTraceId() + "-" + requestContext.getSpanId() + "-01");
        String runId = pipeline.runsOfOrder(orderId).get(0).id();

        SpanData attempt = attemptSpan(orderId);
        assertThat(attempt.getName()).isEqualTo("postpurchase grant");
        assertThat(attempt.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(attempt.getTraceId()).isNotEqualTo(requestContext.getTraceId());
        assertThat(attempt.getLinks()).singleElement().satisfies(link -> {
            assertThat(link.getSpanContext().getTraceId()).isEqualTo(requestContext.getTraceId());
            assertThat(link.getSpanContext().getSpanId()).isEqualTo(requestContext.getSpanId());
        });
        assertThat(attempt.getAttributes().get(AttributeKey.stringKey(OpenTelemetryTracing.TYPE)))
                .isEqualTo("grant");
        assertThat(attempt.getAttributes().get(AttributeKey.stringKey(OpenTelemetryTracing.RUN_ID)))
                .isEqualTo(runId);
        assertThat(attempt.getAttributes().get(AttributeKey.stringKey(OpenTelemetryTracing.TRIGGER)))
                .isEqualTo("order:" + orderId);
        assertThat(attempt.getAttributes().get(AttributeKey.longKey(OpenTelemetryTracing.ATTEMPT)))
                .isEqualTo(1L);
        assertThat(attempt.getAttributes().get(AttributeKey.stringKey(OpenTelemetryTracing.OUTCOME)))
                .isEqualTo("succeeded");
        assertThat(attempt.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    }

    /** The attempt span of the order, once exported (the span ends as the attempt's outcome is handed on). */
    private SpanData attemptSpan(String orderId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            List<SpanData> spans = exporter.getFinishedSpanItems().stream()
                    .filter(s -> ("order:" + orderId)
                            .equals(s.getAttributes().get(AttributeKey.stringKey(OpenTelemetryTracing.TRIGGER))))
                    .toList();
            if (!spans.isEmpty() || System.nanoTime() > deadline) {
                assertThat(spans).hasSize(1);
                return spans.get(0);
            }
            Thread.sleep(10);
        }
    }
}
