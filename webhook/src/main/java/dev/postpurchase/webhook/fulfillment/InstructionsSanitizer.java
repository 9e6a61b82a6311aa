package dev.postpurchase.webhook.fulfillment;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reduces the merchant's fulfillment instructions to a small allow-list of HTML, so they can be put into the
 * customer's email as they are. The output is well-formed, balanced HTML that contains only:
 *
 * <ul>
 *   <li>the tags {@link #ALLOWED_TAGS} ({@code p br b strong i em u ul ol li a code pre blockquote}), written in
 *       lower case and <b>without any attribute</b>, except
 *   <li>{@code <a href="...">} when the link is absolute {@code http}, {@code https} or {@code mailto} (after
 *       entity decoding and with whitespace and control characters removed, as browsers do); any other link
 *       ({@code javascript:}, {@code data:}, relative) leaves a plain {@code <a>};
 *   <li>text, in which {@code <} and {@code >} are escaped and a {@code &} is escaped unless it starts a
 *       well-formed character reference ({@code &amp;}, {@code &#169;}, {@code &#xA9;}, {@code &copy;}).
 * </ul>
 *
 * Any other tag is dropped and its text kept, except {@code script style iframe object embed template textarea
 * title noscript xmp noembed noframes plaintext svg math}, which are dropped with everything inside them. Comments,
 * doctype and processing instructions are dropped. End tags without a matching open tag are dropped; tags left open
 * are closed at the end; a link opened inside a link closes the outer one first. A {@code <} that does not start a
 * complete tag is text.
 *
 * <p>Sanitising is idempotent: sanitising the output again gives the same output. Stateless and thread-safe.
 */
public final class InstructionsSanitizer {
    /** The tags kept. */
    public static final Set<String> ALLOWED_TAGS =
            Set.of("p", "br", "b", "strong", "i", "em", "u", "ul", "ol", "li", "a", "code", "pre", "blockquote");

    private static final Set<String> VOID_TAGS = Set.of("br");

    private static final Set<String> DROPPED_WITH_CONTENT = Set.of(
            "script",
            "style",
            "iframe",
            "object",
            "embed",
            "template",
            "textarea",
            "title",
            "noscript",
            "xmp",
            "noembed",
            "noframes",
            "plaintext",
            "svg",
            "math");

    private static final Set<String> LINK_SCHEMES = Set.of("http", "https", "mailto");

    private InstructionsSanitizer() {}

    /** The sanitised form of {@code html}; null gives the empty string. */
    public static String sanitize(@Nullable String html) {
        if (html == null || html.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder(html.length());
        Deque<String> open = new ArrayDeque<>();
        int i = 0;
        int n = html.length();
        while (i < n) {
            char c = html.charAt(i);
            if (c != '<') {
                i = text(html, i, out);
                continue;
            }
            if (html.startsWith("<!--", i)) {
                int end = html.indexOf("-->", i + 4);
                i = end < 0 ? n : end + 3;
                continue;
            }
            if (i + 1 < n && (html.charAt(i + 1) == '!' || html.charAt(i + 1) == '?')) {
                int end = html.indexOf('>', i + 2);
                i = end < 0 ? n : end + 1;
                continue;
            }
            Tag tag = Tag.parse(html, i);
            if (tag == null) {
                out.append("&lt;");
                i++;
                continue;
            }
            i = tag.end;
            if (tag.closing) {
                close(tag.name, open, out);
            } else if (DROPPED_WITH_CONTENT.contains(tag.name)) {
                i = skipElement(html, i, tag.name);
            } else if (ALLOWED_TAGS.contains(tag.name)) {
                openTag(tag, open, out);
            }
        }
        while (!open.isEmpty()) {
            out.append("</").append(open.pop()).append('>');
        }
        return out.toString();
    }

    private static int text(String html, int start, StringBuilder out) {
        int i = start;
        int n = html.length();
        while (i < n && html.charAt(i) != '<') {
            char c = html.charAt(i);
            if (c == '>') {
                out.append("&gt;");
            } else if (c == '&') {
                int ref = characterReferenceEnd(html, i);
                if (ref > 0) {
                    out.append(html, i, ref);
                    i = ref;
                    continue;
                }
                out.append("&amp;");
            } else if (c == '\u0000') {
                out.append('\uFFFD');
            } else {
                out.append(c);
            }
            i++;
        }
        return i;
    }

    /** The index after a well-formed character reference starting at {@code amp}, or -1. */
    private static int characterReferenceEnd(String s, int amp) {
        int i = amp + 1;
        int n = s.length();
        if (i < n && s.charAt(i) == '#') {
            i++;
            boolean hex = i < n && (s.charAt(i) == 'x' || s.charAt(i) == 'X');
            if (hex) {
                i++;
            }
            int digits = 0;
            while (i < n && digits <= 8 && Character.digit(s.charAt(i), hex ? 16 : 10) >= 0) {
                i++;
                digits++;
            }
            return digits > 0 && digits <= 8 && i < n && s.charAt(i) == ';' ? i + 1 : -1;
        }
        int letters = 0;
        while (i < n && letters <= 32 && isAsciiLetterOrDigit(s.charAt(i))) {
            i++;
            letters++;
        }
        return letters > 0 && letters <= 32 && i < n && s.charAt(i) == ';' && Character.isLetter(s.charAt(amp + 1))
                ? i + 1
                : -1;
    }

    private static void openTag(Tag tag, Deque<String> open, StringBuilder out) {
        if (tag.name.equals("a")) {
            close("a", open, out); // links do not nest
        }
        out.append('<').append(tag.name);
        if (tag.name.equals("a") && tag.href != null) {
            String href = safeHref(tag.href);
            if (href != null) {
                out.append(" href=\"").append(escapeAttribute(href)).append('"');
            }
        }
        out.append('>');
        if (!VOID_TAGS.contains(tag.name)) {
            open.push(tag.name);
        }
    }

    private static void close(String name, Deque<String> open, StringBuilder out) {
        if (!open.contains(name)) {
            return;
        }
        while (!open.isEmpty()) {
            String top = open.pop();
            out.append("</").append(top).append('>');
            if (top.equals(name)) {
                return;
            }
        }
    }

    /** The index after the end tag of {@code name} (or the end of input), skipping everything before it. */
    private static int skipElement(String html, int from, String name) {
        String lower = html.toLowerCase(Locale.ROOT);
        int i = from;
        while (true) {
            int candidate = lower.indexOf("</" + name, i);
            if (candidate < 0) {
                return html.length();
            }
            int after = candidate + 2 + name.length();
            if (after >= html.length()) {
                return html.length();
            }
            char next = html.charAt(after);
            if (next == '>' || next == '/' || Character.isWhitespace(next)) {
                int end = html.indexOf('>', after);
                return end < 0 ? html.length() : end + 1;
            }
            i = after;
        }
    }

    private static @Nullable String safeHref(String raw) {
        String decoded = decodeEntities(raw);
        StringBuilder compact = new StringBuilder(decoded.length());
        for (int i = 0; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            if (c > 0x20 && c != 0x7f && !Character.isWhitespace(c) && !Character.isISOControl(c)) {
                compact.append(c);
            }
        }
        String href = compact.toString();
        int colon = href.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        for (int i = 0; i < colon; i++) {
            char c = href.charAt(i);
            if (c == '/' || c == '?' || c == '#') {
                return null;
            }
        }
        String scheme = href.substring(0, colon).toLowerCase(Locale.ROOT);
        if (!LINK_SCHEMES.contains(scheme)) {
            return null;
        }
        if (!scheme.equals("mailto") && !href.startsWith("//", colon + 1)) {
            return null;
        }
        return href;
    }

    /** Decodes the references that {@link #escapeAttribute} writes, plus numeric ones; others stay as they are. */
    private static String decodeEntities(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            int end = c == '&' ? characterReferenceEnd(s, i) : -1;
            if (end < 0) {
                out.append(c);
                i++;
                continue;
            }
            String ref = s.substring(i + 1, end - 1);
            String decoded = decodeReference(ref);
            out.append(decoded == null ? s.substring(i, end) : decoded);
            i = end;
        }
        return out.toString();
    }

    private static @Nullable String decodeReference(String ref) {
        switch (ref) {
            case "amp":
                return "&";
            case "lt":
                return "<";
            case "gt":
                return ">";
            case "quot":
                return "\"";
            case "apos":
                return "'";
            default:
                break;
        }
        if (!ref.startsWith("#")) {
            return null;
        }
        boolean hex = ref.length() > 1 && (ref.charAt(1) == 'x' || ref.charAt(1) == 'X');
        try {
            int cp = Integer.parseInt(ref.substring(hex ? 2 : 1), hex ? 16 : 10);
            return Character.isValidCodePoint(cp) && cp != 0 ? new String(Character.toChars(cp)) : "\uFFFD";
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String escapeAttribute(String value) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /** One parsed start or end tag. */
    private static final class Tag {
        final String name;
        final boolean closing;
        final @Nullable String href;
        final int end;

        private Tag(String name, boolean closing, @Nullable String href, int end) {
            this.name = name;
            this.closing = closing;
            this.href = href;
            this.end = end;
        }

        /** The tag starting at {@code lt} (a {@code <}), or null when no complete tag starts there. */
        static @Nullable Tag parse(String s, int lt) {
            int n = s.length();
            int i = lt + 1;
            boolean closing = i < n && s.charAt(i) == '/';
            if (closing) {
                i++;
            }
            if (i >= n || !isAsciiLetter(s.charAt(i))) {
                return null;
            }
            int nameStart = i;
            while (i < n && isAsciiLetterOrDigit(s.charAt(i))) {
                i++;
            }
            String name = s.substring(nameStart, i).toLowerCase(Locale.ROOT);
            if (i < n && !(s.charAt(i) == '>' || s.charAt(i) == '/' || Character.isWhitespace(s.charAt(i)))) {
                return null;
            }
            String href = null;
            while (i < n) {
                char c = s.charAt(i);
                if (c == '>') {
                    return new Tag(name, closing, href, i + 1);
                }
                if (c == '/' || Character.isWhitespace(c)) {
                    i++;
                    continue;
                }
                int attrStart = i;
                while (i < n && "=>/".indexOf(s.charAt(i)) < 0 && !Character.isWhitespace(s.charAt(i))) {
                    i++;
                }
                String attr = s.substring(attrStart, i).toLowerCase(Locale.ROOT);
                while (i < n && Character.isWhitespace(s.charAt(i))) {
                    i++;
                }
                String value = null;
                if (i < n && s.charAt(i) == '=') {
                    i++;
                    while (i < n && Character.isWhitespace(s.charAt(i))) {
                        i++;
                    }
                    if (i < n && (s.charAt(i) == '"' || s.charAt(i) == '\'')) {
                        char quote = s.charAt(i);
                        int close = s.indexOf(quote, i + 1);
                        if (close < 0) {
                            return null;
                        }
                        value = s.substring(i + 1, close);
                        i = close + 1;
                    } else {
                        int valueStart = i;
                        while (i < n && s.charAt(i) != '>' && !Character.isWhitespace(s.charAt(i))) {
                            i++;
                        }
                        value = s.substring(valueStart, i);
                    }
                }
                if (attr.equals("href") && href == null && value != null) {
                    href = value;
                }
            }
            return null;
        }

        private static boolean isAsciiLetter(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        }
    }
}
