/** JMH microbenchmarks of the hot pieces: signing, payload serialisation, order validation, receipt rendering. */
@org.jspecify.annotations.NullMarked
package dev.postpurchase.benchmarks.jmh;
