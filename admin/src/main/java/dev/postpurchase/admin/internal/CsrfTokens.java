package dev.postpurchase.admin.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Signed double-submit CSRF tokens: {@code nonce.mac}, where the MAC (HMAC-SHA256 under the page's key) binds the
 * nonce to the staff member's name. The page sends the token in an HttpOnly, SameSite=Strict cookie and in the
 * session answer; every state-changing call must carry it in the {@value #HEADER} header, equal to the cookie and
 * valid for the caller. A cookie planted by a sibling domain fails the MAC; a cross-site form cannot set the header.
 */
public final class CsrfTokens {
    public static final String HEADER = "X-CSRF-Token";
    public static final String COOKIE = "pp_admin_csrf";

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private final SecureRandom random = new SecureRandom();
    private final byte[] key;

    public CsrfTokens(byte[] key) {
        if (key.length < 32) {
            throw new IllegalArgumentException("the CSRF key must have at least 32 bytes");
        }
        this.key = key.clone();
    }

    /** A new token for {@code principal}. */
    public String issue(String principal) {
        byte[] nonce = new byte[18];
        random.nextBytes(nonce);
        String n = B64.encodeToString(nonce);
        return n + "." + mac(principal, n);
    }

    /** Whether {@code token} is one this page issued to {@code principal}. */
    public boolean valid(@Nullable String token, String principal) {
        if (token == null) {
            return false;
        }
        int dot = token.indexOf('.');
        if (dot < 1 || dot == token.length() - 1) {
            return false;
        }
        String expected = mac(principal, token.substring(0, dot));
        return MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII),
                token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII));
    }

    /** Whether the header and cookie carry the same valid token for {@code principal}. */
    public boolean matches(@Nullable String header, @Nullable String cookie, String principal) {
        return header != null
                && cookie != null
                && MessageDigest.isEqual(
                        header.getBytes(StandardCharsets.US_ASCII), cookie.getBytes(StandardCharsets.US_ASCII))
                && valid(header, principal);
    }

    private String mac(String principal, String nonce) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(principal.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            mac.update(nonce.getBytes(StandardCharsets.US_ASCII));
            return B64.encodeToString(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
