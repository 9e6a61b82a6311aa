package dev.postpurchase.http.internal;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Parses the lenient IPv4 forms that C resolvers ({@code inet_aton}) accept and many URL parsers pass through as
 * host names: one to four parts, each decimal, octal (leading {@code 0}) or hexadecimal ({@code 0x}), the last part
 * filling the remaining bytes. {@code 2130706433}, {@code 0x7f.1}, {@code 0177.0.0.1} and {@code 127.1} are all
 * 127.0.0.1. A trailing dot is ignored.
 */
public final class Ipv4Forms {
    private Ipv4Forms() {}

    /** The four address bytes if {@code host} is any numeric IPv4 form, else null. */
    public static byte @Nullable [] parse(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (h.isEmpty() || h.length() > 64) {
            return null;
        }
        String[] parts = h.split("\\.", -1);
        if (parts.length > 4) {
            return null;
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            Long v = parsePart(parts[i]);
            if (v == null) {
                return null;
            }
            values[i] = v;
        }
        long address = 0;
        for (int i = 0; i < values.length - 1; i++) {
            if (values[i] > 255) {
                return null;
            }
            address |= values[i] << (8 * (3 - i));
        }
        long last = values[values.length - 1];
        int lastBytes = 4 - (values.length - 1);
        if (last >= (1L << (8 * lastBytes))) {
            return null;
        }
        address |= last;
        return new byte[] {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
    }

    private static @Nullable Long parsePart(String part) {
        if (part.isEmpty()) {
            return null;
        }
        int radix = 10;
        String digits = part;
        if (part.startsWith("0x")) {
            radix = 16;
            digits = part.substring(2);
            if (digits.isEmpty()) {
                return 0L;
            }
        } else if (part.length() > 1 && part.startsWith("0")) {
            radix = 8;
            digits = part.substring(1);
        }
        if (digits.length() > 16) {
            return null;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (Character.digit(digits.charAt(i), radix) < 0) {
                return null;
            }
        }
        try {
            return Long.parseLong(digits, radix);
        } catch (NumberFormatException e) { // beyond a long: no IPv4 address, the host is not an IP literal
            return null;
        }
    }
}
