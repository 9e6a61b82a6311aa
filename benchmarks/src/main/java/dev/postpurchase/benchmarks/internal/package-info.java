/** Workloads, peers and measuring instruments of the harness; nothing here is API. */
@org.jspecify.annotations.NullMarked
package dev.postpurchase.benchmarks.internal;
