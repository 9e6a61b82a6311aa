/** Implementation details of the Systeme.io integration; not part of the API and subject to change. */
@NullMarked
package dev.postpurchase.systemeio.internal;

import org.jspecify.annotations.NullMarked;
