/** Ready-made {@link dev.postpurchase.core.spi.SecretCodec}s: AES-GCM with keys the application supplies. */
@NullMarked
package dev.postpurchase.core.crypto;

import org.jspecify.annotations.NullMarked;
