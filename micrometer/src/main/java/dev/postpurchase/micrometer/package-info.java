/**
 * Micrometer metrics of a Postpurchase pipeline: {@link dev.postpurchase.micrometer.PipelineMetrics} observes
 * attempts, claims and outcome batches; {@link dev.postpurchase.micrometer.RunCountGauges} publishes the runs by
 * status as gauges.
 */
@NullMarked
package dev.postpurchase.micrometer;

import org.jspecify.annotations.NullMarked;
