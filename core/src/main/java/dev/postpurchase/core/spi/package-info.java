/**
 * Extension points: executors, the state store, the definition source, integration settings and the fulfillment
 * hand-over. Each interface documents its concurrency and failure contract; implementations are plugged in through
 * {@code ActionPipeline.builder()}, never found by classpath scanning.
 */
@NullMarked
package dev.postpurchase.core.spi;

import org.jspecify.annotations.NullMarked;
