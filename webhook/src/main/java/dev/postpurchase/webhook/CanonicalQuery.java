package dev.postpurchase.webhook;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The canonical query string that signed GET requests (and form-encoded POST bodies) are signed over, so sender and
 * receiver agree on the exact bytes whatever a proxy or framework did to the encoding in between.
 *
 * <p>The canonical form of a list of name/value pairs:
 *
 * <ol>
 *   <li>every name and value is UTF-8 encoded and percent-encoded per RFC 3986: the unreserved characters
 *       {@code A-Z a-z 0-9 - . _ ~} stay as they are, every other byte becomes {@code %XX} with upper-case hex (a
 *       space is {@code %20}, never {@code +});
 *   <li>the pairs are sorted by encoded name, then by encoded value (plain ASCII order); duplicate names stay;
 *   <li>each pair is written {@code name=value} (also when the value is empty) and the pairs are joined by
 *       {@code &}.
 * </ol>
 *
 * Reading a received query ({@link #canonicalize(String)}) splits on {@code &}, ignores empty segments, takes a
 * segment without {@code =} as a name with an empty value, decodes {@code +} as a space and {@code %XX} in either
 * case, and then writes the canonical form. A sender that puts the canonical form itself on the wire (as the
 * fulfillment webhook does) gives receivers a query that is already canonical. Stateless and thread-safe.
 */
public final class CanonicalQuery {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private CanonicalQuery() {}

    /** The canonical form of {@code parameters}, each value once. */
    public static String of(Map<String, String> parameters) {
        List<Map.Entry<String, String>> pairs = new ArrayList<>(parameters.size());
        parameters.forEach((name, value) -> pairs.add(new SimpleImmutableEntry<>(name, value)));
        return ofPairs(pairs);
    }

    /** The canonical form of the given name/value pairs; a name may repeat. */
    public static String ofPairs(List<? extends Map.Entry<String, String>> pairs) {
        List<String[]> encoded = new ArrayList<>(pairs.size());
        for (Map.Entry<String, String> pair : pairs) {
            encoded.add(new String[] {
                encode(Objects.requireNonNull(pair.getKey(), "name")),
                encode(Objects.requireNonNull(pair.getValue(), "value"))
            });
        }
        encoded.sort(Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]));
        StringBuilder out = new StringBuilder();
        for (String[] p : encoded) {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(p[0]).append('=').append(p[1]);
        }
        return out.toString();
    }

    /**
     * The canonical form of decoded parameters as web frameworks hand them over: each value may be a {@code String},
     * a {@code Collection} or a {@code String[]} (every element counts).
     */
    public static String ofParameters(Map<String, ?> parameters) {
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        for (Map.Entry<String, ?> e : parameters.entrySet()) {
            String name = Objects.requireNonNull(e.getKey(), "name");
            Object value = e.getValue();
            if (value instanceof String s) {
                pairs.add(new SimpleImmutableEntry<>(name, s));
            } else if (value instanceof Collection<?> c) {
                for (Object element : c) {
                    pairs.add(new SimpleImmutableEntry<>(name, element == null ? "" : element.toString()));
                }
            } else if (value instanceof String[] a) {
                for (String element : a) {
                    pairs.add(new SimpleImmutableEntry<>(name, element == null ? "" : element));
                }
            } else {
                pairs.add(new SimpleImmutableEntry<>(name, value == null ? "" : value.toString()));
            }
        }
        return ofPairs(pairs);
    }

    /**
     * The canonical form of a raw query string as received (without the leading {@code ?}; null or empty gives the
     * empty string).
     *
     * @throws IllegalArgumentException if a {@code %} is not followed by two hex digits or the decoded bytes are not
     *     UTF-8; the message does not repeat the query
     */
    public static String canonicalize(@Nullable String rawQuery) {
        return ofPairs(parse(rawQuery));
    }

    /**
     * The decoded name/value pairs of a raw query string, in their order.
     *
     * @throws IllegalArgumentException as {@link #canonicalize(String)}
     */
    public static List<Map.Entry<String, String>> parse(@Nullable String rawQuery) {
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return pairs;
        }
        for (String segment : rawQuery.split("&", -1)) {
            if (segment.isEmpty()) {
                continue;
            }
            int eq = segment.indexOf('=');
            String name = eq < 0 ? segment : segment.substring(0, eq);
            String value = eq < 0 ? "" : segment.substring(eq + 1);
            pairs.add(new SimpleImmutableEntry<>(decode(name), decode(value)));
        }
        return pairs;
    }

    /** {@code text} as UTF-8, percent-encoded per RFC 3986 (only unreserved characters kept, upper-case hex). */
    public static String encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length + 8);
        for (byte b : bytes) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }

    /**
     * Decodes one query component: {@code +} is a space, {@code %XX} a byte, the bytes UTF-8.
     *
     * @throws IllegalArgumentException on a broken escape or bytes that are not UTF-8
     */
    public static String decode(String component) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(component.length());
        for (int i = 0; i < component.length(); i++) {
            char c = component.charAt(i);
            if (c == '+') {
                bytes.write(' ');
            } else if (c == '%') {
                if (i + 2 >= component.length()) {
                    throw new IllegalArgumentException("query: '%' must be followed by two hex digits");
                }
                int hi = Character.digit(component.charAt(i + 1), 16);
                int lo = Character.digit(component.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("query: '%' must be followed by two hex digits");
                }
                bytes.write((hi << 4) | lo);
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                byte[] raw = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < component.length()) {
                    raw = component.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.write(raw, 0, raw.length);
            }
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("query: percent-encoded bytes are not UTF-8");
        }
    }
}
