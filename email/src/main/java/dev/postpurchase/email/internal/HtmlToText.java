package dev.postpurchase.email.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeFilter;

/**
 * Turns an HTML fragment into readable plain text for the text/plain alternative: paragraphs and headings on their
 * own lines, list items with a dash, links followed by their URL in parentheses, images by their alt text, table
 * cells separated by spaces, {@code pre} kept verbatim. What {@link HtmlSanitizer} drops with its content (scripts,
 * styles...) is dropped here too. Parsed by jsoup, as {@link HtmlSanitizer} does.
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
        new NodeFilter() {
            private final Deque<Integer> linkStarts = new ArrayDeque<>();
            private int pre;

            @Override
            public FilterResult head(Node node, int depth) {
                if (node instanceof TextNode t) {
                    if (pre > 0) {
                        out.append(t.getWholeText());
                    } else {
                        appendCollapsed(out, t.getWholeText());
                    }
                    return FilterResult.CONTINUE;
                }
                if (!(node instanceof Element e) || HtmlSanitizer.dropsWithContent(e)) {
                    return FilterResult.SKIP_ENTIRELY;
                }
                switch (e.normalName()) {
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
                        if (!e.attr("alt").isBlank()) {
                            appendCollapsed(out, "[" + e.attr("alt").strip() + "]");
                        }
                    }
                    case "a" -> linkStarts.push(out.length());
                    case "pre" -> {
                        newline(out, 2);
                        pre++;
                    }
                    default -> block(e);
                }
                return FilterResult.CONTINUE;
            }

            @Override
            public FilterResult tail(Node node, int depth) {
                if (!(node instanceof Element e)) {
                    return FilterResult.CONTINUE;
                }
                if (e.normalName().equals("a")) {
                    String href = e.attr("href");
                    String label = out.substring(Math.min(linkStarts.pop(), out.length()))
                            .strip();
                    String target = href.regionMatches(true, 0, "mailto:", 0, 7) ? href.substring(7) : href;
                    if (!href.isEmpty() && !label.equals(target) && !label.equals(href)) {
                        out.append(" (").append(href).append(')');
                    }
                } else if (e.normalName().equals("pre")) {
                    pre = Math.max(0, pre - 1);
                    newline(out, 2);
                } else {
                    block(e);
                }
                return FilterResult.CONTINUE;
            }

            private void block(Element e) {
                if (BLOCK.contains(e.normalName())) {
                    newline(out, e.normalName().equals("tr") ? 1 : 2);
                }
            }
        }.traverse(Jsoup.parseBodyFragment(html).body());
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
