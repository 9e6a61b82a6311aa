/** In-memory implementations of the SPIs, for tests, examples and single-node use. */
@NullMarked
package dev.postpurchase.core.memory;

import org.jspecify.annotations.NullMarked;
