package dev.postpurchase.email.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A forgiving HTML tokenizer for untrusted fragments: yields text (entities decoded), start tags (lower-case names,
 * decoded attributes) and end tags. Comments, doctypes, processing instructions and CDATA are dropped; the content of
 * raw-text elements ({@code script}, {@code style}, {@code textarea}, {@code title}...) is returned as one
 * {@link RawText} token the caller is expected to drop. An unterminated tag at the end of input is dropped.
 */
public final class HtmlTokenizer {
    /** A token of the input. */
    public sealed interface Token {}

    /** Decoded character data. */
    public record Text(String text) implements Token {}

    /** A start tag; {@code attributes} keeps the first occurrence of each (lower-case) name. */
    public record StartTag(String name, Map<String, String> attributes, boolean selfClosing) implements Token {}

    /** An end tag. */
    public record EndTag(String name) implements Token {}

    /** The content of a raw-text element, not parsed. */
    public record RawText(String element, String content) implements Token {}

    private static final java.util.Set<String> RAW_TEXT = java.util.Set.of(
            "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext");

    private final String in;
    private int pos;
    private final StringBuilder text = new StringBuilder();
    private final List<Token> tokens = new ArrayList<>();

    private HtmlTokenizer(String in) {
        this.in = in;
    }

    /** Tokenizes a fragment. */
    public static List<Token> tokenize(String html) {
        HtmlTokenizer t = new HtmlTokenizer(html);
        t.run();
        return t.tokens;
    }

    private void run() {
        while (pos < in.length()) {
            char c = in.charAt(pos);
            if (c != '<') {
                int next = in.indexOf('<', pos);
                int end = next < 0 ? in.length() : next;
                text.append(Entities.decode(in.substring(pos, end)));
                pos = end;
                continue;
            }
            if (in.startsWith("<!--", pos)) {
                int close = in.indexOf("-->", pos + 4);
                pos = close < 0 ? in.length() : close + 3;
            } else if (pos + 1 < in.length() && (in.charAt(pos + 1) == '!' || in.charAt(pos + 1) == '?')) {
                int close = in.indexOf('>', pos + 2);
                pos = close < 0 ? in.length() : close + 1;
            } else if (pos + 1 < in.length() && in.charAt(pos + 1) == '/') {
                if (pos + 2 < in.length() && isAsciiLetter(in.charAt(pos + 2))) {
                    endTag();
                } else {
                    int close = in.indexOf('>', pos + 2);
                    pos = close < 0 ? in.length() : close + 1;
                }
            } else if (pos + 1 < in.length() && isAsciiLetter(in.charAt(pos + 1))) {
                startTag();
            } else {
                text.append('<');
                pos++;
            }
        }
        flushText();
    }

    private void flushText() {
        if (text.length() > 0) {
            tokens.add(new Text(text.toString()));
            text.setLength(0);
        }
    }

    private void endTag() {
        int start = pos + 2;
        int i = start;
        while (i < in.length() && isNameChar(in.charAt(i))) {
            i++;
        }
        String name = in.substring(start, i).toLowerCase(Locale.ROOT);
        int close = in.indexOf('>', i);
        if (close < 0) {
            pos = in.length();
            return;
        }
        pos = close + 1;
        flushText();
        tokens.add(new EndTag(name));
    }

    private void startTag() {
        int i = pos + 1;
        int nameStart = i;
        while (i < in.length() && isNameChar(in.charAt(i))) {
            i++;
        }
        String name = in.substring(nameStart, i).toLowerCase(Locale.ROOT);
        Map<String, String> attributes = new LinkedHashMap<>();
        boolean selfClosing = false;
        while (true) {
            while (i < in.length() && (Character.isWhitespace(in.charAt(i)) || in.charAt(i) == '/')) {
                if (in.charAt(i) == '/') {
                    selfClosing = i + 1 < in.length() && in.charAt(i + 1) == '>';
                }
                i++;
            }
            if (i >= in.length()) {
                pos = in.length();
                return;
            }
            if (in.charAt(i) == '>') {
                i++;
                break;
            }
            selfClosing = false;
            int attrStart = i;
            while (i < in.length()
                    && !Character.isWhitespace(in.charAt(i))
                    && in.charAt(i) != '='
                    && in.charAt(i) != '>'
                    && in.charAt(i) != '/') {
                i++;
            }
            if (i == attrStart) {
                i++;
                continue;
            }
            String attrName = in.substring(attrStart, i).toLowerCase(Locale.ROOT);
            while (i < in.length() && Character.isWhitespace(in.charAt(i))) {
                i++;
            }
            String value = "";
            if (i < in.length() && in.charAt(i) == '=') {
                i++;
                while (i < in.length() && Character.isWhitespace(in.charAt(i))) {
                    i++;
                }
                if (i < in.length() && (in.charAt(i) == '"' || in.charAt(i) == '\'')) {
                    char quote = in.charAt(i);
                    int end = in.indexOf(quote, i + 1);
                    if (end < 0) {
                        pos = in.length();
                        return;
                    }
                    value = in.substring(i + 1, end);
                    i = end + 1;
                } else {
                    int valueStart = i;
                    while (i < in.length() && !Character.isWhitespace(in.charAt(i)) && in.charAt(i) != '>') {
                        i++;
                    }
                    value = in.substring(valueStart, i);
                }
            }
            attributes.putIfAbsent(attrName, Entities.decode(value));
        }
        pos = i;
        flushText();
        tokens.add(new StartTag(name, attributes, selfClosing));
        if (RAW_TEXT.contains(name)) {
            rawText(name);
        }
    }

    private void rawText(String name) {
        String lower = in.toLowerCase(Locale.ROOT);
        int search = pos;
        while (true) {
            int close = lower.indexOf("</" + name, search);
            if (close < 0) {
                tokens.add(new RawText(name, in.substring(pos)));
                pos = in.length();
                return;
            }
            int after = close + 2 + name.length();
            if (after >= in.length() || !isNameChar(in.charAt(after))) {
                tokens.add(new RawText(name, in.substring(pos, close)));
                int gt = in.indexOf('>', after);
                pos = gt < 0 ? in.length() : gt + 1;
                tokens.add(new EndTag(name));
                return;
            }
            search = after;
        }
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isNameChar(char c) {
        return isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '-' || c == ':' || c == '_';
    }
}
