package dev.postpurchase.email.internal;

import dev.postpurchase.core.Violation;
import dev.postpurchase.core.order.Formats;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Checks for values that end up in mail headers. */
public final class HeaderChecks {
    /** Longest subject accepted; longer ones are a sign of a broken template. */
    public static final int MAX_SUBJECT = 500;

    public static final int MAX_NAME = 200;

    private static final Pattern MESSAGE_ID = Pattern.compile(
            "^<[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                    + "@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*>$");
    private static final Pattern DOMAIN = Pattern.compile(
            "^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$");
    private static final Pattern HEADER_NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9-]{0,75}$");

    private HeaderChecks() {}

    /**
     * True when the value has a character that must never reach a header: ISO control characters (CR, LF, TAB,
     * NUL, DEL, C1) and the Unicode line and paragraph separators.
     */
    public static boolean hasUnsafeCharacters(String value) {
        if (Formats.hasControlCharacters(value)) {
            return true;
        }
        return value.indexOf('\u2028') >= 0 || value.indexOf('\u2029') >= 0;
    }

    /** Replaces every unsafe character by a space: for customer data interpolated into a subject or name. */
    public static String flatten(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            out.append(Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? ' ' : c);
        }
        return out.toString();
    }

    /** Adds violations when {@code address} is not a strictly valid single mailbox address. */
    public static void checkAddress(List<Violation> v, String field, @Nullable String address) {
        if (address == null || address.isBlank()) {
            v.add(new Violation(field, "is required"));
            return;
        }
        if (hasUnsafeCharacters(address)) {
            v.add(new Violation(field, "must not contain CR, LF or other control characters"));
            return;
        }
        if (!Formats.isEmail(address)) {
            v.add(new Violation(field, "is not a valid email address"));
            return;
        }
        try {
            InternetAddress parsed = new InternetAddress(address, true);
            parsed.validate();
            if (!address.equals(parsed.getAddress())) {
                v.add(new Violation(field, "is not a plain email address"));
            }
        } catch (AddressException e) {
            v.add(new Violation(field, "is not a valid email address"));
        }
    }

    /** Adds violations when a display name is unsafe; null means no name. */
    public static void checkName(List<Violation> v, String field, @Nullable String name) {
        if (name == null) {
            return;
        }
        if (hasUnsafeCharacters(name)) {
            v.add(new Violation(field, "must not contain CR, LF or other control characters"));
        } else if (name.length() > MAX_NAME) {
            v.add(new Violation(field, "must be at most " + MAX_NAME + " characters"));
        }
    }

    /** Adds violations when a subject is blank, too long or has unsafe characters. */
    public static void checkSubject(List<Violation> v, String field, @Nullable String subject) {
        if (subject == null || subject.isBlank()) {
            v.add(new Violation(field, "is required"));
        } else if (hasUnsafeCharacters(subject)) {
            v.add(new Violation(field, "must not contain CR, LF or other control characters"));
        } else if (subject.length() > MAX_SUBJECT) {
            v.add(new Violation(field, "must be at most " + MAX_SUBJECT + " characters"));
        }
    }

    /** A Message-ID of the form {@code <local@domain>}, dot-atoms only, at most 250 characters. */
    public static boolean isMessageId(@Nullable String value) {
        return value != null
                && value.length() <= 250
                && MESSAGE_ID.matcher(value).matches();
    }

    /** A DNS name of at least two labels, used on the right of generated Message-IDs. */
    public static boolean isDomain(@Nullable String value) {
        return value != null && value.length() <= 200 && DOMAIN.matcher(value).matches();
    }

    /** An extension header name: letters, digits and hyphens. */
    public static boolean isHeaderName(String value) {
        return HEADER_NAME.matcher(value).matches();
    }

    /** A header value of printable US-ASCII (space to tilde), at most 900 characters. */
    public static boolean isHeaderValue(String value) {
        if (value.length() > 900) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }
}
