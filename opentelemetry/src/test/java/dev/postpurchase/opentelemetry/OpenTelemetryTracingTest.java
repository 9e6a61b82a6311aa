package dev.postpurchase.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpurchase.core.ActionPipeline;
import dev.postpurchase.core.action.ActionLevel;
import dev.postpurchase.core.action.TriggerKind;
import dev.postpurchase.core.memory.InMemoryDefinitionSource;
import dev.postpurchase.core.retry.RetryPolicy;
import dev.postpurchase.core.spi.ActionStateStore;
import dev.postpurchase.core.spi.ExecutionOutcome;
import dev.postpurchase.core.spi.TraceContext;
import dev.postpurchase.testing.ScriptedExecutor;
import dev.postpurchase.testing.TestDefinitions;
import dev.postpurchase.testing.TestOrders;
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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class OpenTelemetryTracingTest {
    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                    .build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    private final InMemoryDefinitionSource definitions = new InMemoryDefinitionSource();
    private final ActionStateStore store = ActionStateStore.inMemory();
    /** What the executor saw while it ran, by run attempt. */
    private final Map<String, String> seen = new ConcurrentHashMap<>();

    private ActionPipeline pipeline;

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        otel.close();
    }

    @Test
    void anAttemptRunsInASpanLinkedToTheSubmittingRequestAndPassesItsTraceOn() {
        start(new ScriptedExecutor("grant", true, RetryPolicy.none()).otherwise(ExecutionOutcome.succeeded()));
        Span request = otel.getTracer("shop").spanBuilder("POST /orders/paid").startSpan();
        Scope scope = request.makeCurrent();
        try {
            pipeline.submit(TestOrders.paidOrder("order-1").build());
        } finally {
            scope.close();
            request.end();
        }
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();

        SpanContext requestContext = request.getSpanContext();
        String requestParent = "00-" + requestContext.getTraceId() + "-" + requestContext.getSpanId() + "-01";
        assertThat(store.trigger(TriggerKind.ORDER, "order-1").orElseThrow().traceParent())
                .isEqualTo(requestParent);

        SpanData attempt = attemptSpan("grant");
        assertThat(attempt.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(attempt.getTraceId()).isNotEqualTo(requestContext.getTraceId());
        assertThat(attempt.getParentSpanContext().isValid()).isFalse();
        assertThat(attempt.getLinks()).singleElement().satisfies(link -> {
            assertThat(link.getSpanContext().getTraceId()).isEqualTo(requestContext.getTraceId());
            assertThat(link.getSpanContext().getSpanId()).isEqualTo(requestContext.getSpanId());
        });
        assertThat(attempt.getAttributes().get(AttributeKey.stringKey(OpenTelemetryTracing.TYPE)))
                .isEqualTo("grant");
        assertThat(attempt.getAttributes().get(AttributeKey.stringKey(OpenTelemetryTracing.TRIGGER)))
                .isEqualTo("order:order-1");
        assertThat(attempt.getAttributes().get(AttributeKey.longKey(OpenTelemetryTracing.ATTEMPT)))
                .isEqualTo(1L);
        assertThat(attempt.getAttributes().get(AttributeKey.stringKey(OpenTelemetryTracing.OUTCOME)))
                .isEqualTo("succeeded");
        assertThat(attempt.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        // while the executor ran: the span was current, its traceparent was offered to outgoing calls, the MDC had it
        assertThat(seen)
                .containsEntry("traceparent", "00-" + attempt.getTraceId() + "-" + attempt.getSpanId() + "-01")
                .containsEntry("current", attempt.getSpanId())
                .containsEntry("mdc", attempt.getTraceId());
        assertThat(MDC.get(OpenTelemetryTracing.MDC_TRACE_ID)).isNull();
    }

    @Test
    void aFailedAttemptIsAnErrorSpanAndAnUntracedSubmitLinksNothing() {
        start(new ScriptedExecutor("grant", true, RetryPolicy.none())
                .otherwise(ExecutionOutcome.permanent("HTTP 404", 404)));

        pipeline.submit(TestOrders.paidOrder("order-2").build());
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();

        assertThat(store.trigger(TriggerKind.ORDER, "order-2").orElseThrow().traceParent())
                .isNull();
        SpanData attempt = attemptSpan("grant");
        assertThat(attempt.getLinks()).isEmpty();
        assertThat(attempt.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(attempt.getStatus().getDescription()).isEqualTo("HTTP 404");
        assertThat(attempt.getAttributes().get(AttributeKey.stringKey(OpenTelemetryTracing.OUTCOME)))
                .isEqualTo("failed");
    }

    @Test
    void withoutTheObserverNothingIsTracedOrStored() {
        ScriptedExecutor grant = new ScriptedExecutor("grant", true, RetryPolicy.none());
        definitions.save(TestDefinitions.definition("grant", "grant", ActionLevel.CHECKOUT, "checkout-1"));
        pipeline = ActionPipeline.builder()
                .store(store)
                .definitions(definitions)
                .executor(grant)
                .pollInterval(Duration.ofMillis(20))
                .build();
        Span request = otel.getTracer("shop").spanBuilder("POST /orders/paid").startSpan();
        Scope scope = request.makeCurrent();
        try {
            pipeline.submit(TestOrders.paidOrder("order-3").build());
        } finally {
            scope.close();
            request.end();
        }
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();

        assertThat(store.trigger(TriggerKind.ORDER, "order-3").orElseThrow().traceParent())
                .isNull();
        assertThat(exporter.getFinishedSpanItems())
                .extracting(SpanData::getName)
                .containsExactly("POST /orders/paid");
    }

    private void start(ScriptedExecutor scripted) {
        definitions.save(TestDefinitions.definition("grant", "grant", ActionLevel.CHECKOUT, "checkout-1"));
        pipeline = ActionPipeline.builder()
                .store(store)
                .definitions(definitions)
                .executor(new Watching(scripted))
                .observer(new OpenTelemetryTracing(otel))
                .pollInterval(Duration.ofMillis(20))
                .build();
    }

    private SpanData attemptSpan(String type) {
        List<SpanData> spans = exporter.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals("postpurchase " + type))
                .toList();
        assertThat(spans).hasSize(1);
        return spans.get(0);
    }

    /** The scripted executor, noting the trace it runs in. */
    private final class Watching
            implements dev.postpurchase.core.spi.ActionExecutor<dev.postpurchase.testing.NoConfig> {
        private final ScriptedExecutor delegate;

        Watching(ScriptedExecutor delegate) {
            this.delegate = delegate;
        }

        @Override
        public String type() {
            return delegate.type();
        }

        @Override
        public Class<dev.postpurchase.testing.NoConfig> configType() {
            return delegate.configType();
        }

        @Override
        public ExecutionOutcome execute(
                dev.postpurchase.core.spi.ExecutionContext<dev.postpurchase.testing.NoConfig> context) {
            TraceContext.traceParent().ifPresent(t -> seen.put("traceparent", t));
            seen.put("current", Span.current().getSpanContext().getSpanId());
            String mdc = MDC.get(OpenTelemetryTracing.MDC_TRACE_ID);
            if (mdc != null) {
                seen.put("mdc", mdc);
            }
            return delegate.execute(context);
        }

        @Override
        public boolean idempotent() {
            return true;
        }

        @Override
        public RetryPolicy defaultRetryPolicy() {
            return RetryPolicy.none();
        }
    }
}
