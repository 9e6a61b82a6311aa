package dev.postpurchase.opentelemetry;

import dev.postpurchase.core.action.ActionRun;
import dev.postpurchase.core.action.AttemptRecord;
import dev.postpurchase.core.spi.PipelineObserver;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Traces a pipeline with OpenTelemetry, as a {@link PipelineObserver}: give it to the pipeline's builder (the Spring
 * Boot starter picks up a bean of it).
 *
 * <ul>
 *   <li>{@code pipeline.submit} (and {@code publish}) stores the W3C {@code traceparent} of the submitting thread's
 *       current span with the order, so an attempt minutes later, on another node, still knows the request that
 *       caused it.
 *   <li>Each attempt runs in a span of its own, {@code postpurchase <type>} (kind {@code CONSUMER}), the root of a new
 *       trace with a <em>link</em> to that stored span (the messaging convention: the attempt is not part of the
 *       request's latency). Attributes: {@value #TYPE}, {@value #RUN_ID}, {@value #TRIGGER}, {@value #ATTEMPT} and, at
 *       the end, {@value #OUTCOME}; a failed or retried attempt has status {@code ERROR}.
 *   <li>While the executor runs, the span is current (so its own instrumented calls are children of it), the MDC
 *       holds {@value #MDC_TRACE_ID} and {@value #MDC_SPAN_ID}, and {@code TraceContext.traceParent()} gives the
 *       span's {@code traceparent}, which the webhook executors send as a header.
 * </ul>
 *
 * <p>Without this observer nothing is traced and nothing changes. Thread-safe.
 */
public final class OpenTelemetryTracing implements PipelineObserver {
    /** The instrumentation scope name of the spans. */
    public static final String INSTRUMENTATION = "dev.postpurchase";

    public static final String TYPE = "postpurchase.action.type";
    public static final String RUN_ID = "postpurchase.run.id";
    public static final String TRIGGER = "postpurchase.trigger";
    public static final String ATTEMPT = "postpurchase.attempt";
    public static final String OUTCOME = "postpurchase.outcome";
    public static final String MDC_TRACE_ID = "trace_id";
    public static final String MDC_SPAN_ID = "span_id";

    private static final AttributeKey<String> TYPE_KEY = AttributeKey.stringKey(TYPE);
    private static final AttributeKey<String> RUN_KEY = AttributeKey.stringKey(RUN_ID);
    private static final AttributeKey<String> TRIGGER_KEY = AttributeKey.stringKey(TRIGGER);
    private static final AttributeKey<Long> ATTEMPT_KEY = AttributeKey.longKey(ATTEMPT);
    private static final AttributeKey<String> OUTCOME_KEY = AttributeKey.stringKey(OUTCOME);
    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public @Nullable String get(@Nullable Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final Tracer tracer;

    public OpenTelemetryTracing(OpenTelemetry openTelemetry) {
        this.tracer = Objects.requireNonNull(openTelemetry, "openTelemetry").getTracer(INSTRUMENTATION);
    }

    /** The {@code traceparent} of the calling thread's current span, or null when it has none. */
    @Override
    public @Nullable String traceParent() {
        if (!Span.current().getSpanContext().isValid()) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>();
        W3C.inject(Context.current(), carrier, Map::put);
        return carrier.get("traceparent");
    }

    @Override
    public boolean tracesAttempts() {
        return true;
    }

    @Override
    @SuppressWarnings("MustBeClosedChecker") // the scope spans the attempt: closed by finished(), on the same thread
    public AttemptObservation attemptStarted(ActionRun run, Instant startedAt, @Nullable String traceParent) {
        SpanBuilder builder = tracer.spanBuilder("postpurchase " + run.type())
                .setSpanKind(SpanKind.CONSUMER)
                .setNoParent()
                .setStartTimestamp(startedAt)
                .setAttribute(TYPE_KEY, run.type())
                .setAttribute(RUN_KEY, run.id())
                .setAttribute(TRIGGER_KEY, run.triggerKey())
                .setAttribute(ATTEMPT_KEY, (long) run.totalAttempts());
        SpanContext submitted = parse(traceParent);
        if (submitted != null) {
            builder.addLink(submitted);
        }
        Span span = builder.startSpan();
        Scope scope = span.makeCurrent();
        SpanContext context = span.getSpanContext();
        MDC.put(MDC_TRACE_ID, context.getTraceId());
        MDC.put(MDC_SPAN_ID, context.getSpanId());
        String own = context.isValid()
                ? "00-" + context.getTraceId() + "-" + context.getSpanId() + "-"
                        + context.getTraceFlags().asHex()
                : null;
        return new AttemptObservation() {
            @Override
            public void finished(AttemptRecord attempt, Duration took) {
                try {
                    span.setAttribute(OUTCOME_KEY, attempt.outcome().name().toLowerCase(Locale.ROOT));
                    if (attempt.outcome() == AttemptRecord.Outcome.FAILED
                            || attempt.outcome() == AttemptRecord.Outcome.RETRY_SCHEDULED) {
                        span.setStatus(StatusCode.ERROR, attempt.excerpt() == null ? "" : attempt.excerpt());
                    }
                } finally {
                    scope.close();
                    MDC.remove(MDC_TRACE_ID);
                    MDC.remove(MDC_SPAN_ID);
                    span.end();
                }
            }

            @Override
            public @Nullable String traceParent() {
                return own;
            }
        };
    }

    private static @Nullable SpanContext parse(@Nullable String traceParent) {
        if (traceParent == null) {
            return null;
        }
        Context extracted = W3C.extract(Context.root(), Map.of("traceparent", traceParent), GETTER);
        SpanContext context = Span.fromContext(extracted).getSpanContext();
        return context.isValid() ? context : null;
    }
}
