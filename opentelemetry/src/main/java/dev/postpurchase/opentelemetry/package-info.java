/**
 * OpenTelemetry tracing of a Postpurchase pipeline: {@link dev.postpurchase.opentelemetry.OpenTelemetryTracing}.
 */
@NullMarked
package dev.postpurchase.opentelemetry;

import org.jspecify.annotations.NullMarked;
