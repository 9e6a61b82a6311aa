package dev.postpurchase.core;

/**
 * A state change lost a race or was not allowed in the current state: another worker changed the run first, or a
 * re-run needs an acknowledgement or force that was not given. Re-read the state and decide again.
 */
public class ConflictException extends PostpurchaseException {
    public ConflictException(String message) {
        super(message);
    }
}
