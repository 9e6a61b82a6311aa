package dev.postpurchase.core.spi;

/**
 * How merchant configuration is kept at rest: every stored action config, credential and (once the run store uses
 * it) run snapshot goes through {@link #encrypt} before it is written and {@link #decrypt} after it is read. The
 * ready-made implementation is {@link dev.postpurchase.core.crypto.AesGcmSecretCodec} (AES-256-GCM with keys the
 * application supplies); a KMS-backed codec implements this interface the same way.
 *
 * <p><b>Stored form.</b> Text safe for any text column: {@code <scheme>:<keyId>:<payload>}. The key id travels with
 * each value, so keys can rotate: a codec decrypts values of every key it knows, encrypts new ones with its {@link
 * #currentKeyId()}, and a store's re-encrypt operation rewrites the values {@link #needsReEncryption} names.
 *
 * <p><b>Context.</b> {@code context} binds a value to where it is stored (for example {@code definition:<id>}):
 * an authenticating codec refuses a value copied to another row or column, so someone who can write the database
 * but has no key cannot move one definition's secret URL into another. Pass the same context to both methods.
 *
 * <p><b>Contract.</b> Implementations are thread-safe and deterministic in what they accept: {@code
 * decrypt(encrypt(p, c), c)} returns {@code p}; a value that cannot be decrypted with the right key (unknown key id,
 * wrong key material, altered value, other context) throws {@link dev.postpurchase.core.SecretKeyException} naming
 * the key id, never returns garbage. Neither method logs or puts the plaintext or key material in messages.
 */
public interface SecretCodec {

    /**
     * A codec that stores values <b>in plain text</b>, for development databases only: anyone who can read the
     * database or a backup reads every webhook secret, API key and Kajabi offer URL. Logs a warning when created.
     * Its stored form is {@code plain:-:<value>}; an encrypting codec refuses such values.
     */
    static SecretCodec plainTextForDevelopmentOnly() {
        return new PlainTextSecretCodec();
    }

    /**
     * Encrypts {@code plaintext} under the current key, bound to {@code context}.
     *
     * @return the stored form, {@code <scheme>:<keyId>:<payload>}
     */
    String encrypt(String plaintext, String context);

    /**
     * Decrypts a value {@link #encrypt} returned, with whichever known key its key id names.
     *
     * @throws dev.postpurchase.core.SecretKeyException when the key id is unknown, the key does not fit, the value
     *     was altered or belongs to another context
     */
    String decrypt(String stored, String context);

    /** The key id new values are encrypted with. */
    String currentKeyId();

    /**
     * The key id a stored value was written with, read from its framing without decrypting it.
     *
     * @throws dev.postpurchase.core.SecretKeyException when the value is not in this codec's stored form
     */
    String keyIdOf(String stored);

    /** Whether a stored value was written under another key (or scheme) than the current one. */
    default boolean needsReEncryption(String stored) {
        try {
            return !keyIdOf(stored).equals(currentKeyId());
        } catch (dev.postpurchase.core.SecretKeyException e) {
            return true;
        }
    }
}
