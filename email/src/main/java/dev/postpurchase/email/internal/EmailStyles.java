package dev.postpurchase.email.internal;

import java.util.Map;

/** The inline styles of every email: mail clients drop {@code <style>} blocks, so each element carries its own. */
public final class EmailStyles {
    public static final String FONT = "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;";
    public static final String MONO =
            "font-family:'SFMono-Regular',Consolas,'Liberation Mono',Menlo,Courier,monospace;";
    public static final String TEXT_COLOR = "#1f2937";
    public static final String MUTED_COLOR = "#6b7280";
    public static final String BORDER_COLOR = "#e5e7eb";
    public static final String LINK_COLOR = "#1d4ed8";
    public static final String BODY = FONT + "font-size:16px;line-height:24px;color:" + TEXT_COLOR + ";";
    public static final String SMALL = FONT + "font-size:13px;line-height:20px;color:" + MUTED_COLOR + ";";

    /** Styles added to sanitised merchant HTML, by tag. */
    public static final Map<String, String> TAGS = Map.ofEntries(
            Map.entry("p", "margin:0 0 16px 0;"),
            Map.entry("h1", FONT + "font-size:26px;line-height:32px;margin:0 0 16px 0;color:" + TEXT_COLOR + ";"),
            Map.entry("h2", FONT + "font-size:21px;line-height:28px;margin:0 0 12px 0;color:" + TEXT_COLOR + ";"),
            Map.entry("h3", FONT + "font-size:18px;line-height:24px;margin:0 0 8px 0;color:" + TEXT_COLOR + ";"),
            Map.entry("a", "color:" + LINK_COLOR + ";text-decoration:underline;"),
            Map.entry("ul", "margin:0 0 16px 0;padding:0 0 0 24px;"),
            Map.entry("ol", "margin:0 0 16px 0;padding:0 0 0 24px;"),
            Map.entry("li", "margin:0 0 4px 0;"),
            Map.entry(
                    "blockquote",
                    "margin:0 0 16px 0;padding:0 0 0 12px;border-left:3px solid " + BORDER_COLOR + ";color:"
                            + MUTED_COLOR + ";"),
            Map.entry("code", MONO + "font-size:14px;background-color:#f3f4f6;padding:1px 4px;"),
            Map.entry(
                    "pre",
                    MONO + "font-size:14px;line-height:20px;background-color:#f3f4f6;padding:12px;margin:0 0 16px 0;"
                            + "white-space:pre-wrap;word-break:break-all;"),
            Map.entry("td", "padding:4px 8px;vertical-align:top;"),
            Map.entry("th", "padding:4px 8px;text-align:left;vertical-align:top;"),
            Map.entry("img", "display:block;border:0;max-width:100%;height:auto;"),
            Map.entry("hr", "border:0;border-top:1px solid " + BORDER_COLOR + ";margin:16px 0;"));

    private EmailStyles() {}
}
