/**
 * The guarded HTTP client every integration uses to call a merchant-configured URL, and the mapping of its results
 * onto {@link dev.postpurchase.core.spi.ExecutionOutcome}. See {@link dev.postpurchase.http.GuardedHttpClient}.
 */
@NullMarked
package dev.postpurchase.http;

import org.jspecify.annotations.NullMarked;
