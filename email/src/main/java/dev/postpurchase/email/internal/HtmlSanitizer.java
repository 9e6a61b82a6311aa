package dev.postpurchase.email.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reduces untrusted HTML to a fixed allow-list of tags and attributes. Everything else is removed: disallowed tags
 * (their text is kept), the whole content of script-like and embedding elements, comments, every attribute that is
 * not listed (event handlers, {@code style}, {@code class}, {@code id}), and links or images whose URL is not
 * absolute http(s)/mailto (images: https only). Text is re-escaped, so the output is well-formed: every element
 * opened is closed, in order. Instances are immutable and thread-safe.
 */
public final class HtmlSanitizer {
    private static final Set<String> RICH_TEXT_TAGS = Set.of(
            "a",
            "b",
            "blockquote",
            "br",
            "code",
            "em",
            "h1",
            "h2",
            "h3",
            "i",
            "li",
            "ol",
            "p",
            "pre",
            "s",
            "strong",
            "u",
            "ul");
    private static final Set<String> TABLE_TAGS =
            Set.of("table", "thead", "tbody", "tfoot", "tr", "td", "th", "img", "div", "span", "hr");
    private static final Set<String> VOID = Set.of("br", "img", "hr");
    private static final Set<String> DROP_WITH_CONTENT = Set.of(
            "script",
            "style",
            "textarea",
            "title",
            "xmp",
            "iframe",
            "noembed",
            "noframes",
            "noscript",
            "plaintext",
            "svg",
            "math",
            "object",
            "embed",
            "applet",
            "template",
            "head",
            "select",
            "audio",
            "video",
            "canvas",
            "map",
            "frameset",
            "frame");
    private static final Pattern NUMBER = Pattern.compile("^[0-9]{1,4}%?$");
    private static final Set<String> ALIGN = Set.of("left", "center", "right");

    /** The tags merchant rich text and fulfillment instructions may use. */
    public static final HtmlSanitizer RICH_TEXT = new HtmlSanitizer(RICH_TEXT_TAGS, EmailStyles.TAGS);

    /** Rich text plus simple tables, images and dividers: for merchant templates. */
    public static final HtmlSanitizer TEMPLATE = new HtmlSanitizer(union(RICH_TEXT_TAGS, TABLE_TAGS), EmailStyles.TAGS);

    /** The same allow-list as {@link #RICH_TEXT} without added styles, for checks and plain-text conversion. */
    public static final HtmlSanitizer RICH_TEXT_UNSTYLED = new HtmlSanitizer(RICH_TEXT_TAGS, Map.of());

    private final Set<String> allowed;
    private final Map<String, String> styles;

    private HtmlSanitizer(Set<String> allowed, Map<String, String> styles) {
        this.allowed = allowed;
        this.styles = styles;
    }

    /** The tags this policy keeps. */
    public Set<String> allowedTags() {
        return allowed;
    }

    /** The sanitised fragment. */
    public String sanitize(String html) {
        StringBuilder out = new StringBuilder(html.length());
        Deque<String> open = new ArrayDeque<>();
        Deque<String> dropping = new ArrayDeque<>();
        for (HtmlTokenizer.Token token : HtmlTokenizer.tokenize(html)) {
            if (!dropping.isEmpty()) {
                if (token instanceof HtmlTokenizer.StartTag s
                        && DROP_WITH_CONTENT.contains(s.name())
                        && !s.selfClosing()) {
                    dropping.push(s.name());
                } else if (token instanceof HtmlTokenizer.EndTag e && e.name().equals(dropping.peek())) {
                    dropping.pop();
                }
                continue;
            }
            if (token instanceof HtmlTokenizer.Text t) {
                out.append(Html.escape(t.text()));
            } else if (token instanceof HtmlTokenizer.RawText) {
                continue;
            } else if (token instanceof HtmlTokenizer.StartTag s) {
                if (DROP_WITH_CONTENT.contains(s.name())) {
                    if (!s.selfClosing()) {
                        dropping.push(s.name());
                    }
                } else if (allowed.contains(s.name())) {
                    startTag(out, s);
                    if (!VOID.contains(s.name())) {
                        open.push(s.name());
                    }
                }
            } else if (token instanceof HtmlTokenizer.EndTag e) {
                if (allowed.contains(e.name()) && open.contains(e.name())) {
                    while (!open.isEmpty()) {
                        String name = open.pop();
                        out.append("</").append(name).append('>');
                        if (name.equals(e.name())) {
                            break;
                        }
                    }
                }
            }
        }
        Iterator<String> unclosed = open.iterator();
        while (unclosed.hasNext()) {
            out.append("</").append(unclosed.next()).append('>');
        }
        return out.toString();
    }

    private void startTag(StringBuilder out, HtmlTokenizer.StartTag tag) {
        Map<String, String> attrs = new HashMap<>();
        Map<String, String> in = tag.attributes();
        switch (tag.name()) {
            case "a" -> {
                String href = Urls.safeLink(in.get("href"), true, true);
                if (href != null) {
                    attrs.put("href", href);
                    if (!href.regionMatches(true, 0, "mailto:", 0, 7)) {
                        attrs.put("target", "_blank");
                        attrs.put("rel", "noopener noreferrer");
                    }
                }
            }
            case "img" -> {
                String src = Urls.safeImage(in.get("src"));
                if (src == null) {
                    return;
                }
                attrs.put("src", src);
                attrs.put("alt", in.getOrDefault("alt", ""));
                copyNumber(in, attrs, "width");
                copyNumber(in, attrs, "height");
            }
            case "td", "th" -> {
                copyNumber(in, attrs, "colspan");
                copyNumber(in, attrs, "width");
                copyAlign(in, attrs);
            }
            case "table" -> {
                copyNumber(in, attrs, "width");
                attrs.put("role", "presentation");
                attrs.put("cellpadding", "0");
                attrs.put("cellspacing", "0");
                attrs.put("border", "0");
            }
            case "p", "div", "h1", "h2", "h3" -> copyAlign(in, attrs);
            default -> {}
        }
        out.append('<').append(tag.name());
        for (String name : List.of(
                "href",
                "target",
                "rel",
                "src",
                "alt",
                "width",
                "height",
                "colspan",
                "align",
                "role",
                "cellpadding",
                "cellspacing",
                "border")) {
            String value = attrs.get(name);
            if (value != null) {
                out.append(' ')
                        .append(name)
                        .append("=\"")
                        .append(Html.escape(value))
                        .append('"');
            }
        }
        String style = styles.get(tag.name());
        if (style != null) {
            out.append(" style=\"").append(style).append('"');
        }
        out.append('>');
    }

    private static void copyNumber(Map<String, String> in, Map<String, String> out, String name) {
        String value = in.get(name);
        if (value != null && NUMBER.matcher(value.strip()).matches()) {
            out.put(name, value.strip());
        }
    }

    private static void copyAlign(Map<String, String> in, Map<String, String> out) {
        String value = in.get("align");
        if (value != null && ALIGN.contains(value.strip().toLowerCase(java.util.Locale.ROOT))) {
            out.put("align", value.strip().toLowerCase(java.util.Locale.ROOT));
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        java.util.Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
