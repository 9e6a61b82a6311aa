package dev.postpurchase.email.internal;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Renders a fulfillment response the way its sender expects: as literal text, where only Markdown's two ways of
 * saying "show this literally" are honoured. A backslash before ASCII punctuation shows the punctuation ({@code \*}
 * shows {@code *}); backtick code spans and fenced code blocks are shown as code, verbatim. Nothing else is
 * interpreted: {@code *}, {@code _}, {@code #}, links and raw HTML are shown as typed and HTML-escaped.
 *
 * <p>A response that is one or more bare tokens (licence keys: every non-blank line without spaces) is rendered as
 * one monospace block so it can be copied exactly.
 */
public final class MarkdownLiteral {
    private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    private sealed interface Block permits Prose, Fenced {}

    /** Text with code spans: {@code code[i]} says whether {@code pieces[i]} is a code span. */
    private record Prose(List<String> pieces, List<Boolean> code) implements Block {}

    private record Fenced(String content) implements Block {}

    private final List<Block> blocks;

    private MarkdownLiteral(List<Block> blocks) {
        this.blocks = blocks;
    }

    /** Parses a response body. */
    public static MarkdownLiteral parse(String body) {
        String normalized = body.replace("\r\n", "\n").replace('\r', '\n').strip();
        List<Block> blocks = new ArrayList<>();
        String[] lines = normalized.split("\n", -1);
        StringBuilder prose = new StringBuilder();
        int i = 0;
        while (i < lines.length) {
            String fence = fenceOf(lines[i]);
            if (fence == null) {
                prose.append(lines[i]).append('\n');
                i++;
                continue;
            }
            addProse(blocks, prose);
            StringBuilder content = new StringBuilder();
            i++;
            while (i < lines.length && !closes(lines[i], fence)) {
                content.append(lines[i]).append('\n');
                i++;
            }
            i++;
            blocks.add(new Fenced(stripLastNewline(content)));
        }
        addProse(blocks, prose);
        return new MarkdownLiteral(blocks);
    }

    /** Whether the response is only bare tokens (licence keys), one per non-blank line. */
    public boolean isKeyLike() {
        String literal = keys();
        if (literal.isBlank()) {
            return false;
        }
        for (String line : literal.split("\n")) {
            for (int c = 0; c < line.length(); c++) {
                if (Character.isWhitespace(line.charAt(c))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The text the reader should see, without any markup: escapes resolved, code spans without backticks. */
    public String literal() {
        StringBuilder out = new StringBuilder();
        for (Block block : blocks) {
            if (out.length() > 0) {
                out.append('\n');
            }
            if (block instanceof Fenced f) {
                out.append(f.content());
            } else {
                ((Prose) block).pieces().forEach(out::append);
            }
        }
        return out.toString();
    }

    /** {@link #literal()} without blank lines: the keys of a key-like response, one per line. */
    public String keys() {
        return stripBlankLines(literal());
    }

    /**
     * The response as HTML: a monospace block for key-like responses; otherwise paragraphs with line breaks, code
     * spans as {@code <code>} and fenced blocks as {@code <pre>}. Everything escaped.
     */
    public String toHtml() {
        if (isKeyLike()) {
            return keyBlock(keys());
        }
        StringBuilder out = new StringBuilder();
        for (Block block : blocks) {
            if (block instanceof Fenced f) {
                out.append("<pre style=\"")
                        .append(EmailStyles.TAGS.get("pre"))
                        .append("\">")
                        .append(Html.escape(f.content()))
                        .append("</pre>\n");
                continue;
            }
            Prose p = (Prose) block;
            StringBuilder para = new StringBuilder();
            for (int i = 0; i < p.pieces().size(); i++) {
                String piece = p.pieces().get(i);
                if (p.code().get(i)) {
                    para.append("<code style=\"")
                            .append(EmailStyles.TAGS.get("code"))
                            .append("\">")
                            .append(Html.escape(piece))
                            .append("</code>");
                } else {
                    para.append(Html.escapeMultiline(piece));
                }
            }
            String html = para.toString().strip();
            while (html.endsWith("<br>")) {
                html = html.substring(0, html.length() - 4).strip();
            }
            if (!html.isEmpty()) {
                out.append("<p style=\"margin:0 0 12px 0;\">").append(html).append("</p>\n");
            }
        }
        return out.toString();
    }

    /** A block that keeps every character and line as is, in a monospace font, selectable in one click. */
    public static String keyBlock(String literal) {
        return "<pre style=\"" + EmailStyles.MONO + "font-size:16px;line-height:24px;background-color:#f3f4f6;"
                + "border:1px dashed #9ca3af;padding:12px 16px;margin:0 0 12px 0;white-space:pre-wrap;"
                + "word-break:break-all;-webkit-user-select:all;user-select:all;color:#111827;\">"
                + Html.escape(literal) + "</pre>";
    }

    private static void addProse(List<Block> blocks, StringBuilder prose) {
        if (prose.length() == 0) {
            return;
        }
        String text = stripLastNewline(prose);
        prose.setLength(0);
        if (text.isBlank()) {
            return;
        }
        List<String> pieces = new ArrayList<>();
        List<Boolean> code = new ArrayList<>();
        StringBuilder plain = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length() && PUNCTUATION.indexOf(text.charAt(i + 1)) >= 0) {
                plain.append(text.charAt(i + 1));
                i += 2;
            } else if (c == '`') {
                int run = runLength(text, i);
                int close = findClosingRun(text, i + run, run);
                if (close < 0) {
                    plain.append(text, i, i + run);
                    i += run;
                } else {
                    if (plain.length() > 0) {
                        pieces.add(plain.toString());
                        code.add(false);
                        plain.setLength(0);
                    }
                    pieces.add(codeSpanContent(text.substring(i + run, close)));
                    code.add(true);
                    i = close + run;
                }
            } else {
                plain.append(c);
                i++;
            }
        }
        if (plain.length() > 0) {
            pieces.add(plain.toString());
            code.add(false);
        }
        blocks.add(new Prose(pieces, code));
    }

    private static int runLength(String text, int start) {
        int i = start;
        while (i < text.length() && text.charAt(i) == '`') {
            i++;
        }
        return i - start;
    }

    private static int findClosingRun(String text, int from, int length) {
        int i = from;
        while (i < text.length()) {
            if (text.charAt(i) == '`') {
                int run = runLength(text, i);
                if (run == length) {
                    return i;
                }
                i += run;
            } else {
                i++;
            }
        }
        return -1;
    }

    private static String codeSpanContent(String raw) {
        String content = raw.replace('\n', ' ');
        if (content.length() >= 2 && content.startsWith(" ") && content.endsWith(" ") && !content.isBlank()) {
            content = content.substring(1, content.length() - 1);
        }
        return content;
    }

    /** The fence of an opening fence line ({@code ```} or {@code ~~~}, three or more), or null. */
    private static @Nullable String fenceOf(String line) {
        String trimmed = stripUpToThreeSpaces(line);
        if (trimmed.startsWith("```") || trimmed.startsWith("~~~")) {
            char f = trimmed.charAt(0);
            int n = 0;
            while (n < trimmed.length() && trimmed.charAt(n) == f) {
                n++;
            }
            if (f == '`' && trimmed.indexOf('`', n) >= 0) {
                return null;
            }
            return String.valueOf(f).repeat(n);
        }
        return null;
    }

    private static boolean closes(String line, String fence) {
        String trimmed = stripUpToThreeSpaces(line).stripTrailing();
        if (trimmed.length() < fence.length()) {
            return false;
        }
        for (int i = 0; i < trimmed.length(); i++) {
            if (trimmed.charAt(i) != fence.charAt(0)) {
                return false;
            }
        }
        return true;
    }

    private static String stripUpToThreeSpaces(String line) {
        int i = 0;
        while (i < 3 && i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return line.substring(i);
    }

    private static String stripLastNewline(CharSequence text) {
        String s = text.toString();
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    private static String stripBlankLines(String text) {
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (!line.isBlank()) {
                out.append(line).append('\n');
            }
        }
        return stripLastNewline(out);
    }
}
