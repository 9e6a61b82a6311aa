package dev.postpurchase.testing;

import dev.postpurchase.core.crypto.AesGcmSecretCodec;
import dev.postpurchase.core.spi.SecretCodec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Secret codecs for tests: real encryption, so tests exercise what production does, with a fixed, public key (never
 * use it for real data), so that test processes sharing a database read each other's values.
 */
public final class TestCodecs {
    private static final SecretCodec AES = AesGcmSecretCodec.builder()
            .currentKey("test-key", sha256("postpurchase public test key: never for real data"))
            .build();

    private TestCodecs() {}

    /** An AES-GCM codec with the fixed test key (id {@code test-key}). */
    public static SecretCodec aesGcm() {
        return AES;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
