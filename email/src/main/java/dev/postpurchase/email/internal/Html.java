package dev.postpurchase.email.internal;

/** HTML escaping for text and attribute values. */
public final class Html {
    private Html() {}

    /**
     * Escapes {@code & < > " '} so the value is inert both as element text and inside a quoted attribute, and drops
     * C0 control characters other than tab, CR and LF (they have no business in HTML and some clients choke on
     * them).
     */
    public static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
                        if (c != 0x7f) {
                            out.append(c);
                        }
                    }
                }
            }
        }
        return out.toString();
    }

    /** {@link #escape} with line breaks turned into {@code <br>}. */
    public static String escapeMultiline(String value) {
        return escape(value.replace("\r\n", "\n").replace('\r', '\n')).replace("\n", "<br>\n");
    }
}
