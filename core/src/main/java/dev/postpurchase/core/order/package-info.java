/** The immutable, validated order model handed to the SDK when a payment is confirmed. */
@NullMarked
package dev.postpurchase.core.order;

import org.jspecify.annotations.NullMarked;
