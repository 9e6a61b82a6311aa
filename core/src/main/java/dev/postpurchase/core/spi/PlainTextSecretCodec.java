package dev.postpurchase.core.spi;

import dev.postpurchase.core.SecretKeyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link SecretCodec#plainTextForDevelopmentOnly()}: values stored as they are, behind a {@code plain:-:} frame. */
final class PlainTextSecretCodec implements SecretCodec {
    private static final Logger LOG = LoggerFactory.getLogger(PlainTextSecretCodec.class);
    static final String KEY_ID = "-";
    private static final String PREFIX = "plain:" + KEY_ID + ":";

    PlainTextSecretCodec() {
        LOG.warn("merchant secrets (webhook secrets, API keys, Kajabi offer URLs) are stored IN PLAIN TEXT:"
                + " SecretCodec.plainTextForDevelopmentOnly() must never be used with a production database");
    }

    @Override
    public String encrypt(String plaintext, String context) {
        return PREFIX + plaintext;
    }

    @Override
    public String decrypt(String stored, String context) {
        if (!stored.startsWith(PREFIX)) {
            throw new SecretKeyException(
                    keyIdOf(stored),
                    "the value was stored encrypted under key '" + keyIdOf(stored)
                            + "', but this application stores configuration in plain text (development codec)");
        }
        return stored.substring(PREFIX.length());
    }

    @Override
    public String currentKeyId() {
        return KEY_ID;
    }

    @Override
    public String keyIdOf(String stored) {
        int first = stored.indexOf(':');
        int second = first < 0 ? -1 : stored.indexOf(':', first + 1);
        if (second < 0) {
            throw new SecretKeyException("?", "the stored value has no key id frame");
        }
        return stored.substring(first + 1, second);
    }

    @Override
    public boolean needsReEncryption(String stored) {
        return !stored.startsWith(PREFIX);
    }

    @Override
    public String toString() {
        return "SecretCodec[PLAIN TEXT, development only]";
    }
}
