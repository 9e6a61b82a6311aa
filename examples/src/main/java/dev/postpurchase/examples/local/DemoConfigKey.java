package dev.postpurchase.examples.local;

import dev.postpurchase.core.ValidationException;
import dev.postpurchase.core.crypto.AesGcmSecretCodec;
import dev.postpurchase.core.spi.SecretCodec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The key the examples encrypt the merchant's configuration with. Production reads it from a secret manager or
 * the environment, as here: {@code PP_CONFIG_KEY} holds 32 bytes in base64 (make one with {@code head -c 32
 * /dev/urandom | base64}). Without it the examples use a demo key derived from a phrase in this file: it is
 * public, so it protects nothing and must never guard real data.
 */
public final class DemoConfigKey {
    public static final String VARIABLE = "PP_CONFIG_KEY";

    private DemoConfigKey() {}

    /** The codec of {@code PP_CONFIG_KEY}, or of the public demo key when the variable is not set. */
    public static SecretCodec codec() {
        String configured = System.getenv(VARIABLE);
        if (configured != null && !configured.isBlank()) {
            try {
                return AesGcmSecretCodec.builder()
                        .currentKey("env", Base64.getDecoder().decode(configured.strip()))
                        .build();
            } catch (IllegalArgumentException e) {
                throw new ValidationException(VARIABLE, "must be 32 bytes in base64");
            }
        }
        return AesGcmSecretCodec.builder()
                .currentKey("quickstart-demo", demoKey())
                .build();
    }

    /** Where the key came from, for an example's output. */
    public static String describe() {
        String configured = System.getenv(VARIABLE);
        return configured != null && !configured.isBlank()
                ? "AES-256-GCM with the key in " + VARIABLE
                : "AES-256-GCM with the public demo key (set " + VARIABLE + " to use your own)";
    }

    private static byte[] demoKey() {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest("postpurchase quick start demo key, public, never for real data"
                            .getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
