package dev.postpurchase.email.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * Turns an HTML fragment into readable plain text for the text/plain alternative: paragraphs and headings on their
 * own lines, list items with a dash, links followed by their URL in parentheses, images by their alt text, table
 * cells separated by spaces, {@code pre} kept verbatim. Scripts and styles are dropped.
 */
public final class HtmlToText {
    private static final Set<String> BLOCK = Set.of(
            "p",
            "div",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "blockquote",
            "pre",
            "table",
            "tr",
            "ul",
            "ol",
            "hr",
            "thead",
            "tbody",
            "tfoot");

    private HtmlToText() {}

    /** The plain text of a fragment. */
    public static String convert(String html) {
        StringBuilder out = new StringBuilder(html.length());
        Deque<String> hrefs = new ArrayDeque<>();
        Deque<Integer> linkStarts = new ArrayDeque<>();
        int pre = 0;
        for (HtmlTokenizer.Token token : HtmlTokenizer.tokenize(html)) {
            if (token instanceof HtmlTokenizer.Text t) {
                if (pre > 0) {
                    out.append(t.text());
                } else {
                    appendCollapsed(out, t.text());
                }
            } else if (token instanceof HtmlTokenizer.StartTag s) {
                switch (s.name()) {
                    case "br" -> newline(out, 1);
                    case "li" -> {
                        newline(out, 1);
                        out.append("- ");
                    }
                    case "td", "th" -> {
                        if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
                            out.append("  ");
                        }
                    }
                    case "img" -> {
                        String alt = s.attributes().getOrDefault("alt", "");
                        if (!alt.isBlank()) {
                            appendCollapsed(out, "[" + alt.strip() + "]");
                        }
                    }
                    case "a" -> {
                        hrefs.push(s.attributes().getOrDefault("href", ""));
                        linkStarts.push(out.length());
                    }
                    case "pre" -> {
                        newline(out, 2);
                        pre++;
                    }
                    default -> {
                        if (BLOCK.contains(s.name())) {
                            newline(out, s.name().equals("tr") ? 1 : 2);
                        }
                    }
                }
            } else if (token instanceof HtmlTokenizer.EndTag e) {
                if (e.name().equals("a") && !hrefs.isEmpty()) {
                    String href = hrefs.pop();
                    int start = linkStarts.pop();
                    String label = out.substring(Math.min(start, out.length())).strip();
                    String target = href.regionMatches(true, 0, "mailto:", 0, 7) ? href.substring(7) : href;
                    if (!href.isEmpty() && !label.equals(target) && !label.equals(href)) {
                        out.append(" (").append(href).append(')');
                    }
                } else if (e.name().equals("pre")) {
                    pre = Math.max(0, pre - 1);
                    newline(out, 2);
                } else if (BLOCK.contains(e.name())) {
                    newline(out, e.name().equals("tr") ? 1 : 2);
                }
            }
        }
        return tidy(out.toString());
    }

    private static void appendCollapsed(StringBuilder out, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || c == '\u00a0') {
                if (out.length() > 0) {
                    char last = out.charAt(out.length() - 1);
                    if (last != ' ' && last != '\n') {
                        out.append(' ');
                    }
                }
            } else if (!Character.isISOControl(c)) {
                out.append(c);
            }
        }
    }

    private static void newline(StringBuilder out, int count) {
        while (out.length() > 0 && out.charAt(out.length() - 1) == ' ') {
            out.setLength(out.length() - 1);
        }
        if (out.length() == 0) {
            return;
        }
        int have = 0;
        for (int i = out.length() - 1; i >= 0 && out.charAt(i) == '\n'; i--) {
            have++;
        }
        for (int i = have; i < count; i++) {
            out.append('\n');
        }
    }

    private static String tidy(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (String line : text.split("\n", -1)) {
            out.append(line.stripTrailing()).append('\n');
        }
        return out.toString().replaceAll("\n{3,}", "\n\n").strip();
    }
}
