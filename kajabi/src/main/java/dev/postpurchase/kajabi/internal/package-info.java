/** Implementation details of the Kajabi module: JSON field lookup, amount allocation. Not an API. */
@NullMarked
package dev.postpurchase.kajabi.internal;

import org.jspecify.annotations.NullMarked;
