package dev.postpurchase.core;

import org.jspecify.annotations.Nullable;

/** The state store could not be read or written (database down, I/O error). The operation may be retried. */
public class StoreException extends PostpurchaseException {
    public StoreException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
