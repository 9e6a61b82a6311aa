package dev.postpurchase.systemeio.internal;

import dev.postpurchase.core.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A one-way SHA-256 fingerprint of an API key, used as the key of per-API-key state (throttles, caches) so that
 * no map holds the key itself and nothing printed from those maps could reveal it.
 */
public final class KeyFingerprint {
    private KeyFingerprint() {}

    public static String of(Secret apiKey) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] hash = digest.digest(apiKey.reveal().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
