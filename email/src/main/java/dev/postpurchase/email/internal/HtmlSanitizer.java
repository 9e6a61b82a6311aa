package dev.postpurchase.email.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeFilter;

/**
 * The one policy for untrusted HTML in emails: merchant rich text, merchant templates and fulfillment instructions.
 * jsoup parses the input as a browser would (HTML5 tokenizer, character references, tree construction); this class
 * then writes back only a fixed allow-list of tags and attributes. Everything else is removed: disallowed tags (their
 * text is kept), the whole content of script-like and embedding elements, comments, every attribute that is not
 * listed (event handlers, {@code style}, {@code class}, {@code id}), and links or images whose URL is not absolute
 * http(s)/mailto (images: https only), see {@link Urls}. Text is re-escaped, so the output is well-formed: every
 * element opened is closed, in order. Instances are immutable and thread-safe.
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
    /** The order attributes are written in. */
    private static final List<String> ATTRIBUTES = List.of(
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
            "border");

    private static final Pattern NUMBER = Pattern.compile("^[0-9]{1,4}%?$");
    private static final Set<String> ALIGN = Set.of("left", "center", "right");

    /** The tags merchant rich text and fulfillment instructions may use. */
    public static final HtmlSanitizer RICH_TEXT = new HtmlSanitizer(RICH_TEXT_TAGS, EmailStyles.TAGS);

    /** Rich text plus simple tables, images and dividers: for merchant templates. */
    public static final HtmlSanitizer TEMPLATE = new HtmlSanitizer(
            Stream.concat(RICH_TEXT_TAGS.stream(), TABLE_TAGS.stream()).collect(Collectors.toUnmodifiableSet()),
            EmailStyles.TAGS);

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

    /** Whether every policy drops {@code element} together with everything inside it. */
    static boolean dropsWithContent(Element element) {
        return DROP_WITH_CONTENT.contains(element.normalName());
    }

    /** The sanitised fragment. */
    public String sanitize(String html) {
        StringBuilder out = new StringBuilder(html.length());
        Element body = Jsoup.parseBodyFragment(html).body();
        new NodeFilter() {
            @Override
            public FilterResult head(Node node, int depth) {
                if (node instanceof TextNode text) {
                    out.append(Html.escape(text.getWholeText()));
                    return FilterResult.CONTINUE;
                }
                if (!(node instanceof Element element) || dropsWithContent(element)) {
                    return FilterResult.SKIP_ENTIRELY; // comments, data of scripts and styles, dropped elements
                }
                if (node != body && allowed.contains(element.normalName())) {
                    startTag(out, element);
                }
                return FilterResult.CONTINUE;
            }

            @Override
            public FilterResult tail(Node node, int depth) {
                if (node != body
                        && node instanceof Element element
                        && allowed.contains(element.normalName())
                        && !VOID.contains(element.normalName())) {
                    out.append("</").append(element.normalName()).append('>');
                }
                return FilterResult.CONTINUE;
            }
        }.traverse(body);
        return out.toString();
    }

    private void startTag(StringBuilder out, Element tag) {
        String name = tag.normalName();
        Map<String, String> attrs = new LinkedHashMap<>();
        switch (name) {
            case "a" -> {
                String href = Urls.safeLink(tag.attr("href"), true, true);
                if (href != null) {
                    attrs.put("href", href);
                    if (!href.regionMatches(true, 0, "mailto:", 0, 7)) {
                        attrs.put("target", "_blank");
                        attrs.put("rel", "noopener noreferrer");
                    }
                }
            }
            case "img" -> {
                String src = Urls.safeImage(tag.attr("src"));
                if (src == null) {
                    return;
                }
                attrs.put("src", src);
                attrs.put("alt", tag.attr("alt"));
                copyNumber(tag, attrs, "width");
                copyNumber(tag, attrs, "height");
            }
            case "td", "th" -> {
                copyNumber(tag, attrs, "colspan");
                copyNumber(tag, attrs, "width");
                copyAlign(tag, attrs);
            }
            case "table" -> {
                copyNumber(tag, attrs, "width");
                attrs.putAll(Map.of("role", "presentation", "cellpadding", "0", "cellspacing", "0", "border", "0"));
            }
            case "p", "div", "h1", "h2", "h3" -> copyAlign(tag, attrs);
            default -> {}
        }
        out.append('<').append(name);
        for (String attribute : ATTRIBUTES) {
            String value = attrs.get(attribute);
            if (value != null) {
                out.append(' ')
                        .append(attribute)
                        .append("=\"")
                        .append(Html.escape(value))
                        .append('"');
            }
        }
        String style = styles.get(name);
        if (style != null) {
            out.append(" style=\"").append(style).append('"');
        }
        out.append('>');
        if (name.equals("pre")
                && tag.firstChild() instanceof TextNode text
                && text.getWholeText().startsWith("\n")) {
            out.append('\n'); // a parser drops the first newline after <pre>: keep the one the text starts with
        }
    }

    private static void copyNumber(Element in, Map<String, String> out, String name) {
        String value = in.attr(name).strip();
        if (NUMBER.matcher(value).matches()) {
            out.put(name, value);
        }
    }

    private static void copyAlign(Element in, Map<String, String> out) {
        String value = in.attr("align").strip().toLowerCase(Locale.ROOT);
        if (ALIGN.contains(value)) {
            out.put("align", value);
        }
    }
}
