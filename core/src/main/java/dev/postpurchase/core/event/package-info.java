/** Shop events (refunds, declined transactions, ...) and the subscriptions that route them to actions. */
@NullMarked
package dev.postpurchase.core.event;

import org.jspecify.annotations.NullMarked;
