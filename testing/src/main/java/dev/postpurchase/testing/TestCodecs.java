package dev.postpurchase.testing;

import dev.postpurchase.core.crypto.AesGcmSecretCodec;
import dev.postpurchase.core.spi.SecretCodec;

/** Secret codecs for tests: real encryption with a key made for this JVM, so tests exercise what production does. */
public final class TestCodecs {
    private static final SecretCodec AES = AesGcmSecretCodec.builder()
            .currentKey("test-key", AesGcmSecretCodec.generateKey())
            .build();

    private TestCodecs() {}

    /** An AES-GCM codec whose key (id {@code test-key}) lives as long as this JVM. */
    public static SecretCodec aesGcm() {
        return AES;
    }
}
