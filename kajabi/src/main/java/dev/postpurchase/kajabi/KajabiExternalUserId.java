package dev.postpurchase.kajabi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * How the {@code external_user_id} sent to Kajabi is derived from the customer. Kajabi matches a revoke to its grant
 * by this id, compares it case-sensitively, and refuses a grant when the email already belongs to a member with
 * another id: so it must be the same for a customer on every order, and the grant and the revoke of an offer must
 * use the same policy. Choose once and never change it for a live offer.
 */
public enum KajabiExternalUserId {
    /** The email, trimmed and lower-cased: {@code Jane@Example.com } becomes {@code jane@example.com}. The default. */
    NORMALISED_EMAIL,
    /**
     * The lower-case hex MD5 of the normalised email, as some checkout platforms send (for example Digistore24); use
     * it to continue members created by such a platform.
     */
    EMAIL_MD5,
    /** The lower-case hex SHA-256 of the normalised email: stable without putting the address in Kajabi's id. */
    EMAIL_SHA256;

    /** The external user id of a customer with {@code email}. */
    public String of(String email) {
        String normalised = normalise(email);
        return switch (this) {
            case NORMALISED_EMAIL -> normalised;
            case EMAIL_MD5 -> hex("MD5", normalised);
            case EMAIL_SHA256 -> hex("SHA-256", normalised);
        };
    }

    /** An email trimmed and lower-cased (root locale). */
    public static String normalise(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }

    private static String hex(String algorithm, String value) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance(algorithm).digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required by every Java platform", e);
        }
    }
}
