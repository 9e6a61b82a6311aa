package dev.postpurchase.core;

import org.jspecify.annotations.Nullable;

/**
 * Root of every exception the SDK throws on purpose. All of them are unchecked; catch this type to handle any
 * SDK failure in one place, or one of its subclasses for a specific cause.
 */
public class PostpurchaseException extends RuntimeException {
    public PostpurchaseException(String message) {
        super(message);
    }

    public PostpurchaseException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
