package dev.postpurchase.core;

/** A run, trigger or definition named by the caller does not exist. */
public class NotFoundException extends PostpurchaseException {
    public NotFoundException(String message) {
        super(message);
    }
}
