package dev.postpurchase.email.internal;

import java.util.List;

/**
 * The HTML document around every email: a centred 600 px table with inline styles only, no {@code <style>}, no
 * scripts, no external resources of its own. Rows are {@code <tr>} elements built by {@link #row}.
 */
public final class EmailLayout {
    private EmailLayout() {}

    /**
     * A complete document.
     *
     * @param language the BCP 47 tag of the content, escaped into {@code lang}
     * @param title the document title (text, escaped)
     * @param preheader the preview text mail clients show after the subject (text, escaped; empty for none)
     * @param rows trusted {@code <tr>} rows
     * @param footer trusted HTML for the small print under the card, or empty
     */
    public static String document(String language, String title, String preheader, List<String> rows, String footer) {
        StringBuilder out = new StringBuilder(4096);
        out.append("<!DOCTYPE html>\n<html lang=\"")
                .append(Html.escape(language))
                .append("\" dir=\"auto\">\n<head>\n<meta charset=\"UTF-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"x-apple-disable-message-reformatting\">\n<title>")
                .append(Html.escape(title))
                .append("</title>\n</head>\n")
                .append("<body style=\"margin:0;padding:0;background-color:#f3f4f6;\">\n");
        if (!preheader.isEmpty()) {
            out.append("<div style=\"display:none;max-height:0;overflow:hidden;mso-hide:all;font-size:1px;"
                            + "line-height:1px;color:#f3f4f6;\">")
                    .append(Html.escape(preheader))
                    .append("</div>\n");
        }
        out.append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\""
                        + " style=\"background-color:#f3f4f6;\">\n<tr>\n<td align=\"center\""
                        + " style=\"padding:24px 12px;\">\n")
                .append("<table role=\"presentation\" width=\"600\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\""
                        + " style=\"width:100%;max-width:600px;background-color:#ffffff;border:1px solid ")
                .append(EmailStyles.BORDER_COLOR)
                .append(";\">\n");
        for (String row : rows) {
            out.append(row).append('\n');
        }
        out.append("</table>\n");
        if (!footer.isEmpty()) {
            out.append("<table role=\"presentation\" width=\"600\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\""
                            + " style=\"width:100%;max-width:600px;\">\n<tr>\n<td align=\"center\" style=\"padding:16px"
                            + " 24px;")
                    .append(EmailStyles.SMALL)
                    .append("\">")
                    .append(footer)
                    .append("</td>\n</tr>\n</table>\n");
        }
        out.append("</td>\n</tr>\n</table>\n</body>\n</html>\n");
        return out.toString();
    }

    /** A row with the default padding and body text style around trusted HTML. */
    public static String row(String html) {
        return row(html, "padding:16px 32px;");
    }

    /** A row with the given extra style (trusted) around trusted HTML. */
    public static String row(String html, String style) {
        return "<tr>\n<td style=\"" + style + EmailStyles.BODY + "\">\n" + html + "\n</td>\n</tr>";
    }
}
