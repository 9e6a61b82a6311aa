package dev.postpurchase.email.internal;

import dev.postpurchase.email.EmailBlock;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** Renders custom email blocks to table rows and plain text. Merchant HTML is sanitised, values escaped. */
public final class BlockRenderer {
    private static final String DEFAULT_BANNER_BACKGROUND = "#1e3a8a";
    private static final String DEFAULT_BANNER_TEXT = "#ffffff";

    private BlockRenderer() {}

    /** A rendered block: one {@code <tr>} and its plain text. */
    public record Block(String row, String text) {}

    public static Block render(EmailBlock block, Function<String, TemplateValue> values) {
        if (block instanceof EmailBlock.RichText r) {
            return richText(r, values);
        }
        if (block instanceof EmailBlock.Image i) {
            return image(i, values);
        }
        return banner((EmailBlock.Banner) block, values);
    }

    private static Block richText(EmailBlock.RichText block, Function<String, TemplateValue> values) {
        String sanitized = HtmlSanitizer.RICH_TEXT.sanitize(block.html());
        String html = Template.parse(sanitized, "html").renderHtml(values);
        String text = Template.parse(HtmlToText.convert(sanitized), "html").renderText(values);
        return new Block(EmailLayout.row(html), text);
    }

    private static Block image(EmailBlock.Image block, Function<String, TemplateValue> values) {
        String src = Urls.safeImage(block.url());
        String alt = block.alt() == null ? "" : renderText(block.alt(), values);
        String link = Urls.safeLink(block.link(), true, true);
        if (src == null) {
            return new Block("", alt);
        }
        int width = block.width() == null ? 600 : Math.min(600, Math.max(1, block.width()));
        String img = "<img src=\"" + Html.escape(src) + "\" alt=\"" + Html.escape(alt) + "\" width=\"" + width
                + "\" style=\"display:block;border:0;outline:none;text-decoration:none;width:100%;max-width:" + width
                + "px;height:auto;margin:0 auto;\">";
        if (link != null) {
            img = "<a href=\"" + Html.escape(link) + "\" target=\"_blank\" rel=\"noopener noreferrer\">" + img + "</a>";
        }
        String padding = block.width() == null ? "padding:0;" : "padding:16px 32px;";
        String row = "<tr>\n<td align=\"center\" style=\"" + padding + "\">\n" + img + "\n</td>\n</tr>";
        String text = alt.isBlank() ? "" : "[" + alt + "]";
        if (link != null) {
            text = (text + " " + link).strip();
        }
        return new Block(row, text);
    }

    private static Block banner(EmailBlock.Banner block, Function<String, TemplateValue> values) {
        String background = color(block.backgroundColor(), DEFAULT_BANNER_BACKGROUND);
        String foreground = color(block.textColor(), DEFAULT_BANNER_TEXT);
        String title = renderText(block.title(), values);
        String body = block.text() == null ? "" : renderText(block.text(), values);
        String link = Urls.safeLink(block.link(), true, true);
        String linkText = block.linkText() == null ? "" : renderText(block.linkText(), values);
        StringBuilder html = new StringBuilder();
        html.append("<tr>\n<td style=\"padding:16px 32px;\">\n")
                .append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\"")
                .append(" bgcolor=\"")
                .append(background)
                .append("\" style=\"width:100%;background-color:")
                .append(background)
                .append(";\">\n<tr>\n<td align=\"center\" style=\"padding:28px 24px;")
                .append(EmailStyles.FONT)
                .append("color:")
                .append(foreground)
                .append(";\">\n<div style=\"font-size:24px;line-height:30px;font-weight:700;color:")
                .append(foreground)
                .append(";\">")
                .append(Html.escape(title))
                .append("</div>\n");
        if (!body.isBlank()) {
            html.append("<div style=\"font-size:16px;line-height:24px;margin-top:8px;color:")
                    .append(foreground)
                    .append(";\">")
                    .append(Html.escapeMultiline(body))
                    .append("</div>\n");
        }
        if (link != null && !linkText.isBlank()) {
            html.append("<table role=\"presentation\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\"")
                    .append(" style=\"margin:20px auto 0 auto;\">\n<tr>\n<td bgcolor=\"")
                    .append(foreground)
                    .append("\" style=\"background-color:")
                    .append(foreground)
                    .append(";\">\n<a href=\"")
                    .append(Html.escape(link))
                    .append("\" target=\"_blank\" rel=\"noopener noreferrer\" style=\"display:inline-block;")
                    .append("padding:12px 24px;")
                    .append(EmailStyles.FONT)
                    .append("font-size:16px;font-weight:700;text-decoration:none;color:")
                    .append(background)
                    .append(";\">")
                    .append(Html.escape(linkText))
                    .append("</a>\n</td>\n</tr>\n</table>\n");
        }
        html.append("</td>\n</tr>\n</table>\n</td>\n</tr>");
        StringBuilder text = new StringBuilder(title.toUpperCase(java.util.Locale.ROOT));
        if (!body.isBlank()) {
            text.append('\n').append(body);
        }
        if (link != null && !linkText.isBlank()) {
            text.append('\n').append(linkText).append(": ").append(link);
        }
        return new Block(html.toString(), text.toString());
    }

    /** A text field rendered as plain text; escaped by the caller where it goes into HTML. */
    private static String renderText(String source, Function<String, TemplateValue> values) {
        return Template.parse(source, "text").renderText(values);
    }

    /** A valid colour or the default: colours reach a style attribute, so nothing else is let through. */
    public static String color(@Nullable String value, String fallback) {
        return value != null && isColor(value) ? value : fallback;
    }

    public static boolean isColor(String value) {
        return value.matches("^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$");
    }
}
