/**
 * The benchmark harness: entry points that run one workload per JVM, write its figures to {@code results/}, and
 * turn the results into a summary and a chart. Run through {@code scripts/run-benchmarks.sh}, never by the test
 * build. Not published.
 */
@org.jspecify.annotations.NullMarked
package dev.postpurchase.benchmarks;
