package dev.postpurchase.core;

/** The state store could not be read or written (database down, I/O error). The operation may be retried. */
public class StoreException extends PostpurchaseException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
