/** Retry policies: when a failed attempt is tried again, and when a run gives up. */
@NullMarked
package dev.postpurchase.core.retry;

import org.jspecify.annotations.NullMarked;
