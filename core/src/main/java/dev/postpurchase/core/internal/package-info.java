/** Implementation of the pipeline. Not API: may change in any release. */
@NullMarked
package dev.postpurchase.core.internal;

import org.jspecify.annotations.NullMarked;
