package dev.postpurchase.email.internal;

import java.util.Map;

/**
 * Decodes HTML character references: numeric ones ({@code &#233;}, {@code &#xE9;}) and the named ones merchants
 * commonly type. Unknown names stay as typed (and are escaped again on output). Invalid code points become U+FFFD.
 */
final class Entities {
    private static final Map<String, String> NAMED = Map.ofEntries(
            Map.entry("amp", "&"),
            Map.entry("lt", "<"),
            Map.entry("gt", ">"),
            Map.entry("quot", "\""),
            Map.entry("apos", "'"),
            Map.entry("nbsp", "\u00a0"),
            Map.entry("shy", "\u00ad"),
            Map.entry("copy", "\u00a9"),
            Map.entry("reg", "\u00ae"),
            Map.entry("trade", "\u2122"),
            Map.entry("euro", "\u20ac"),
            Map.entry("pound", "\u00a3"),
            Map.entry("yen", "\u00a5"),
            Map.entry("cent", "\u00a2"),
            Map.entry("sect", "\u00a7"),
            Map.entry("deg", "\u00b0"),
            Map.entry("plusmn", "\u00b1"),
            Map.entry("times", "\u00d7"),
            Map.entry("divide", "\u00f7"),
            Map.entry("middot", "\u00b7"),
            Map.entry("bull", "\u2022"),
            Map.entry("hellip", "\u2026"),
            Map.entry("ndash", "\u2013"),
            Map.entry("mdash", "\u2014"),
            Map.entry("lsquo", "\u2018"),
            Map.entry("rsquo", "\u2019"),
            Map.entry("ldquo", "\u201c"),
            Map.entry("rdquo", "\u201d"),
            Map.entry("laquo", "\u00ab"),
            Map.entry("raquo", "\u00bb"),
            Map.entry("iexcl", "\u00a1"),
            Map.entry("iquest", "\u00bf"),
            Map.entry("auml", "\u00e4"),
            Map.entry("Auml", "\u00c4"),
            Map.entry("ouml", "\u00f6"),
            Map.entry("Ouml", "\u00d6"),
            Map.entry("aring", "\u00e5"),
            Map.entry("Aring", "\u00c5"),
            Map.entry("uuml", "\u00fc"),
            Map.entry("Uuml", "\u00dc"),
            Map.entry("eacute", "\u00e9"),
            Map.entry("Eacute", "\u00c9"),
            Map.entry("egrave", "\u00e8"),
            Map.entry("aacute", "\u00e1"),
            Map.entry("agrave", "\u00e0"),
            Map.entry("ccedil", "\u00e7"),
            Map.entry("ntilde", "\u00f1"),
            Map.entry("szlig", "\u00df"),
            Map.entry("oslash", "\u00f8"),
            Map.entry("Oslash", "\u00d8"),
            Map.entry("aelig", "\u00e6"),
            Map.entry("AElig", "\u00c6"));

    private Entities() {}

    static String decode(String s) {
        int amp = s.indexOf('&');
        if (amp < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != '&') {
                out.append(c);
                i++;
                continue;
            }
            int consumed = decodeAt(s, i, out);
            if (consumed == 0) {
                out.append('&');
                i++;
            } else {
                i += consumed;
            }
        }
        return out.toString();
    }

    /** Appends the reference at {@code i} and returns its length, or 0 when there is none. */
    private static int decodeAt(String s, int i, StringBuilder out) {
        if (i + 1 < s.length() && s.charAt(i + 1) == '#') {
            int j = i + 2;
            boolean hex = j < s.length() && (s.charAt(j) == 'x' || s.charAt(j) == 'X');
            if (hex) {
                j++;
            }
            int digitsStart = j;
            while (j < s.length() && j - digitsStart < 8 && Character.digit(s.charAt(j), hex ? 16 : 10) >= 0) {
                j++;
            }
            if (j == digitsStart) {
                return 0;
            }
            int code = Integer.parseInt(s.substring(digitsStart, j), hex ? 16 : 10);
            if (j < s.length() && s.charAt(j) == ';') {
                j++;
            }
            boolean valid = code > 0 && code <= 0x10FFFF && (code < 0xD800 || code > 0xDFFF);
            out.appendCodePoint(valid ? code : 0xFFFD);
            return j - i;
        }
        int semi = s.indexOf(';', i + 1);
        if (semi < 0 || semi - i > 10) {
            return 0;
        }
        String value = NAMED.get(s.substring(i + 1, semi));
        if (value == null) {
            return 0;
        }
        out.append(value);
        return semi - i + 1;
    }
}
