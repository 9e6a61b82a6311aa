package dev.postpurchase.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postpurchase.core.crypto.AesGcmSecretCodec;
import dev.postpurchase.core.spi.SecretCodec;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AesGcmSecretCodecTest {
    private static final byte[] KEY_1 = AesGcmSecretCodec.generateKey();
    private static final byte[] KEY_2 = AesGcmSecretCodec.generateKey();
    private static final String SECRET_JSON = "{\"url\":\"https://checkout.kajabi.com/webhooks/offers/abc/activate\"}";

    private final AesGcmSecretCodec codec =
            AesGcmSecretCodec.builder().currentKey("k1", KEY_1).build();

    @Test
    void aValueDecryptsToWhatWasEncryptedAndTheStoredFormNamesTheKeyButHidesTheValue() {
        String stored = codec.encrypt(SECRET_JSON, "definition:d1");

        assertThat(stored).startsWith("aesgcm:k1:").doesNotContain("kajabi").doesNotContain("abc");
        assertThat(codec.keyIdOf(stored)).isEqualTo("k1");
        assertThat(codec.decrypt(stored, "definition:d1")).isEqualTo(SECRET_JSON);
    }

    @Test
    void encryptingTheSameValueTwiceGivesDifferentStoredForms() {
        assertThat(codec.encrypt(SECRET_JSON, "c")).isNotEqualTo(codec.encrypt(SECRET_JSON, "c"));
    }

    @Test
    void unicodeAndEmptyValuesRoundTrip() {
        for (String value : new String[] {"", "Tervetuloa kurssille, Äänekoski! 🎓", "x".repeat(100_000)}) {
            assertThat(codec.decrypt(codec.encrypt(value, "c"), "c")).isEqualTo(value);
        }
    }

    @Test
    void aValueOfAnUnknownKeyIdIsATypedErrorNamingTheKeyId() {
        String stored =
                AesGcmSecretCodec.builder().currentKey("2025-09", KEY_2).build().encrypt(SECRET_JSON, "c");

        assertThatThrownBy(() -> codec.decrypt(stored, "c"))
                .isInstanceOfSatisfying(
                        SecretKeyException.class, e -> assertThat(e.keyId()).isEqualTo("2025-09"))
                .hasMessageContaining("'2025-09'")
                .hasMessageContaining("[k1]");
    }

    @Test
    void theWrongKeyUnderAKnownKeyIdIsATypedErrorNotGarbage() {
        String stored =
                AesGcmSecretCodec.builder().currentKey("k1", KEY_2).build().encrypt(SECRET_JSON, "c");

        assertThatThrownBy(() -> codec.decrypt(stored, "c"))
                .isInstanceOfSatisfying(
                        SecretKeyException.class, e -> assertThat(e.keyId()).isEqualTo("k1"))
                .hasMessageContaining("key material differs")
                .message()
                .doesNotContain(SECRET_JSON);
    }

    @Test
    void aValueMovedToAnotherContextOrAlteredDoesNotDecrypt() {
        String stored = codec.encrypt(SECRET_JSON, "definition:d1");
        char[] chars = stored.toCharArray();
        int last = chars.length - 5;
        chars[last] = chars[last] == 'A' ? 'B' : 'A';

        assertThatThrownBy(() -> codec.decrypt(stored, "definition:d2")).isInstanceOf(SecretKeyException.class);
        assertThatThrownBy(() -> codec.decrypt(new String(chars), "definition:d1"))
                .isInstanceOf(SecretKeyException.class);
        assertThatThrownBy(() -> codec.decrypt("aesgcm:k1:@@@", "c"))
                .isInstanceOf(SecretKeyException.class)
                .hasMessageContaining("malformed");
        assertThatThrownBy(() -> codec.decrypt("aesgcm:k1:AAAA", "c"))
                .isInstanceOf(SecretKeyException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void afterARotationOldValuesAreReadWithThePreviousKeyAndNamedForReEncryption() {
        String old = codec.encrypt(SECRET_JSON, "c");
        AesGcmSecretCodec rotated = AesGcmSecretCodec.builder()
                .currentKey("k2", KEY_2)
                .previousKey("k1", KEY_1)
                .build();

        assertThat(rotated.decrypt(old, "c")).isEqualTo(SECRET_JSON);
        assertThat(rotated.needsReEncryption(old)).isTrue();
        String fresh = rotated.encrypt(SECRET_JSON, "c");
        assertThat(rotated.keyIdOf(fresh)).isEqualTo("k2");
        assertThat(rotated.needsReEncryption(fresh)).isFalse();
        assertThat(rotated.toString()).isEqualTo("AesGcmSecretCodec[current=k2, previous=[k1]]");
    }

    @Test
    void plainTextValuesAreRefusedByTheEncryptingCodecAndTheOtherWayRound() {
        SecretCodec plain = SecretCodec.plainTextForDevelopmentOnly();
        String stored = plain.encrypt(SECRET_JSON, "c");

        assertThat(stored).isEqualTo("plain:-:" + SECRET_JSON);
        assertThat(plain.decrypt(stored, "c")).isEqualTo(SECRET_JSON);
        assertThatThrownBy(() -> codec.decrypt(stored, "c"))
                .isInstanceOfSatisfying(
                        SecretKeyException.class, e -> assertThat(e.keyId()).isEqualTo("-"))
                .hasMessageContaining("plain text");
        assertThat(codec.needsReEncryption(stored)).isTrue();
        assertThatThrownBy(() -> plain.decrypt(codec.encrypt(SECRET_JSON, "c"), "c"))
                .isInstanceOfSatisfying(
                        SecretKeyException.class, e -> assertThat(e.keyId()).isEqualTo("k1"));
    }

    @Test
    void badKeysAreRefusedNamingTheField() {
        assertThatThrownBy(() -> AesGcmSecretCodec.builder().build())
                .isInstanceOfSatisfying(
                        ValidationException.class, e -> assertThat(e.fields()).containsExactly("currentKey"));
        assertThatThrownBy(() -> AesGcmSecretCodec.builder()
                        .currentKey("bad id", new byte[16])
                        .previousKey("k0", new byte[32])
                        .build())
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fields())
                        .containsExactly("currentKey", "currentKey", "previousKeys[k0]"));
        assertThatThrownBy(() -> AesGcmSecretCodec.builder()
                        .currentKey("k1", KEY_1)
                        .previousKey("k1", KEY_2)
                        .build())
                .isInstanceOfSatisfying(
                        ValidationException.class, e -> assertThat(e.fields()).containsExactly("previousKeys[k1]"));
    }

    @Test
    void theBuilderCopiesTheKeySoLaterChangesToTheCallersArrayDoNotMatter() {
        byte[] key = AesGcmSecretCodec.generateKey();
        byte[] copy = key.clone();
        AesGcmSecretCodec built =
                AesGcmSecretCodec.builder().currentKey("k", key).build();
        Arrays.fill(key, (byte) 7);

        String stored = built.encrypt("v", "c");
        assertThat(AesGcmSecretCodec.builder().currentKey("k", copy).build().decrypt(stored, "c"))
                .isEqualTo("v");
    }
}
