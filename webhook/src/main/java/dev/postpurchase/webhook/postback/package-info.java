/**
 * Postbacks (event notifications): the {@code postback} action POSTs a signed JSON document describing a
 * {@link dev.postpurchase.core.event.ShopEvent} to a merchant's channel URL. Events reach channels through core
 * {@link dev.postpurchase.core.event.Subscription}s (event type, source filter, on/off switch). See
 * {@code POSTBACKS.md} in the module for every payload.
 */
@NullMarked
package dev.postpurchase.webhook.postback;

import org.jspecify.annotations.NullMarked;
