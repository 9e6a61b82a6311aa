/**
 * Extension points: executors, the state store, the definition source and its writable {@code DefinitionStore},
 * integration settings and their writable store, the codec that keeps configuration secrets encrypted at rest, and
 * the fulfillment hand-over. Each interface documents its concurrency and failure contract; implementations are plugged in through
 * {@code ActionPipeline.builder()}, never found by classpath scanning.
 */
@NullMarked
package dev.postpurchase.core.spi;

import org.jspecify.annotations.NullMarked;
