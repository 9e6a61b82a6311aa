package dev.postpurchase.core;

/**
 * A value stored encrypted cannot be decrypted with the keys this application has: it was written under a key id the
 * application does not know, or under a known key id with other key material (a wrong key), or it was altered in
 * the database. Never returns garbage instead: the value stays unreadable until the right key is configured. The
 * message names the key id and never contains key material or the value.
 */
public class SecretKeyException extends PostpurchaseException {
    private final String keyId;

    public SecretKeyException(String keyId, String message) {
        super(message);
        this.keyId = keyId;
    }

    public SecretKeyException(String keyId, String message, Throwable cause) {
        super(message, cause);
        this.keyId = keyId;
    }

    /** The key id the value was stored with, as read from the stored value. */
    public String keyId() {
        return keyId;
    }
}
