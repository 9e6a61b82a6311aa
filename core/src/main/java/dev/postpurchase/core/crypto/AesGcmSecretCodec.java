package dev.postpurchase.core.crypto;

import dev.postpurchase.core.SecretKeyException;
import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.Violation;
import dev.postpurchase.core.spi.SecretCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * {@link SecretCodec} with AES-256 in GCM mode (the JDK's {@code javax.crypto}, no extra dependency). Keys come from
 * the application (an environment variable, a secret manager, a KMS-unwrapped data key), each under a short key id
 * that is stored with every value:
 *
 * <pre>{@code
 * SecretCodec codec = AesGcmSecretCodec.builder()
 *         .currentKey("2026-03", Base64.getDecoder().decode(System.getenv("PP_CONFIG_KEY")))
 *         .previousKey("2025-09", Base64.getDecoder().decode(System.getenv("PP_CONFIG_KEY_2025_09")))
 *         .build();
 * }</pre>
 *
 * <p><b>Stored form</b>: {@code aesgcm:<keyId>:<base64url(nonce ‖ ciphertext ‖ tag)>}, a fresh random 96-bit nonce
 * per value, a 128-bit tag, and the key id and the caller's context as associated data: a value altered, or copied
 * to another row, does not decrypt. <b>Rotation</b>: make the new key current and keep the old one as a previous
 * key; values are read with either, new writes use the current one, and a store's re-encrypt operation rewrites the
 * old values, after which the previous key can be dropped. With random nonces, rotate before a key has encrypted
 * about four billion values.
 *
 * <p>Immutable and thread-safe. {@link #toString()} shows key ids only. Errors are {@link SecretKeyException}s
 * naming the key id, never containing key material or values.
 */
public final class AesGcmSecretCodec implements SecretCodec {
    /** The scheme at the start of every stored value. */
    public static final String SCHEME = "aesgcm";

    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    /** A cipher per thread: looking one up costs more than the encryption (each use re-initialises it). */
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance(TRANSFORMATION);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(TRANSFORMATION + " is part of every JDK", e);
        }
    });

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String currentKeyId;
    private final Map<String, SecretKey> keys;

    private AesGcmSecretCodec(String currentKeyId, Map<String, SecretKey> keys) {
        this.currentKeyId = currentKeyId;
        this.keys = Map.copyOf(keys);
    }

    /** Starts a codec; {@link Builder#currentKey} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A new random 256-bit key, for example to print once and keep in a secret manager. */
    public static byte[] generateKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    @Override
    public String encrypt(String plaintext, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = CIPHERS.get();
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentKeyId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(currentKeyId, context));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] payload = ByteBuffer.allocate(nonce.length + sealed.length)
                    .put(nonce)
                    .put(sealed)
                    .array();
            return SCHEME + ":" + currentKeyId + ":"
                    + Base64.getUrlEncoder().withoutPadding().encodeToString(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    @Override
    public String decrypt(String stored, String context) {
        String keyId = keyIdOf(stored);
        SecretKey key = keys.get(keyId);
        if (key == null) {
            throw new SecretKeyException(
                    keyId,
                    "the value was encrypted with key '" + keyId + "', which this application does not have (known"
                            + " keys: " + keys.keySet().stream().sorted().toList() + "); configure it as a previous"
                            + " key");
        }
        byte[] payload;
        try {
            payload = Base64.getUrlDecoder().decode(stored.substring(SCHEME.length() + keyId.length() + 2));
        } catch (IllegalArgumentException e) {
            throw new SecretKeyException(keyId, "the value encrypted with key '" + keyId + "' is malformed");
        }
        if (payload.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new SecretKeyException(keyId, "the value encrypted with key '" + keyId + "' is truncated");
        }
        try {
            Cipher cipher = CIPHERS.get();
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, payload, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData(keyId, context));
            byte[] plain = cipher.doFinal(payload, NONCE_BYTES, payload.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new SecretKeyException(
                    keyId,
                    "the value encrypted with key '" + keyId + "' does not decrypt with this application's key '"
                            + keyId + "': the key material differs, or the value was altered or copied from"
                            + " another row");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    @Override
    public String currentKeyId() {
        return currentKeyId;
    }

    @Override
    public String keyIdOf(String stored) {
        if (stored.startsWith("plain:")) {
            throw new SecretKeyException(
                    "-",
                    "the value is stored in plain text (SecretCodec.plainTextForDevelopmentOnly()); this application"
                            + " encrypts configuration, so save it again through the store");
        }
        int end = stored.indexOf(':', SCHEME.length() + 1);
        if (!stored.startsWith(SCHEME + ":") || end < 0) {
            throw new SecretKeyException("?", "the value is not in the " + SCHEME + ":<keyId>:<payload> form");
        }
        return stored.substring(SCHEME.length() + 1, end);
    }

    @Override
    public String toString() {
        List<String> previous = new ArrayList<>(keys.keySet());
        previous.remove(currentKeyId);
        previous.sort(null);
        return "AesGcmSecretCodec[current=" + currentKeyId + ", previous=" + previous + "]";
    }

    private static byte[] associatedData(String keyId, String context) {
        return ("postpurchase/" + SCHEME + "/v1\n" + keyId + "\n" + context).getBytes(StandardCharsets.UTF_8);
    }

    /** Mutable, not thread-safe builder of {@link AesGcmSecretCodec}. */
    public static final class Builder {
        private @Nullable String currentKeyId;
        private byte @Nullable [] currentKey;
        private final Map<String, byte[]> previousKeys = new LinkedHashMap<>();

        private Builder() {}

        /** Required: the key new values are encrypted with, 32 bytes, under an id of 1 to 64 of {@code A-Za-z0-9._-}. */
        public Builder currentKey(String keyId, byte[] key) {
            this.currentKeyId = keyId;
            this.currentKey = key == null ? null : key.clone();
            return this;
        }

        /** A key values written before a rotation were encrypted with; read only. */
        public Builder previousKey(String keyId, byte[] key) {
            previousKeys.put(keyId, key == null ? null : key.clone());
            return this;
        }

        /**
         * Validates the keys and builds the codec.
         *
         * @throws ValidationException naming {@code currentKey} or {@code previousKeys[<id>]}: a missing key, an
         *     invalid id, a key that is not 32 bytes, or an id given twice
         */
        public AesGcmSecretCodec build() {
            List<Violation> v = new ArrayList<>();
            Map<String, SecretKey> keys = new LinkedHashMap<>();
            String current = currentKeyId;
            if (current == null || currentKey == null) {
                v.add(new Violation("currentKey", "is required"));
            } else {
                check(v, "currentKey", current, currentKey, keys);
            }
            previousKeys.forEach((id, key) -> {
                String field = "previousKeys[" + id + "]";
                if (keys.containsKey(id)) {
                    v.add(new Violation(field, "the key id is given twice"));
                } else {
                    check(v, field, id, key, keys);
                }
            });
            if (!v.isEmpty() || current == null) {
                throw new ValidationException(v);
            }
            return new AesGcmSecretCodec(current, keys);
        }

        private static void check(
                List<Violation> v,
                String field,
                @Nullable String id,
                byte @Nullable [] key,
                Map<String, SecretKey> keys) {
            boolean ok = true;
            if (id == null || !KEY_ID.matcher(id).matches()) {
                v.add(new Violation(field, "the key id must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_', '-'"));
                ok = false;
            }
            if (key == null || key.length != KEY_BYTES) {
                v.add(new Violation(field, "must be a 256-bit key (32 bytes)"));
                ok = false;
            } else if (Arrays.equals(key, new byte[KEY_BYTES])) {
                v.add(new Violation(field, "must not be all zeros"));
                ok = false;
            }
            if (ok) {
                keys.put(id, new SecretKeySpec(key, "AES"));
            }
        }
    }
}
