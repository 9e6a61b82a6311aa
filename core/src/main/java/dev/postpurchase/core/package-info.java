/** Postpurchase core API. */
@NullMarked
package dev.postpurchase.core;

import org.jspecify.annotations.NullMarked;
