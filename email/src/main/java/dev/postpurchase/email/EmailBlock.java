package dev.postpurchase.email;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import org.jspecify.annotations.Nullable;

/**
 * One block of a custom email's content. In JSON a block carries its kind in {@code type}: {@code image}, {@code
 * rich-text} or {@code banner}. Text fields may use the placeholders of {@link EmailCustomExecutor#PLACEHOLDERS};
 * values are always HTML-escaped. URLs are never fetched by the SDK (the recipient's mail client loads them), and must
 * be absolute https ({@code mailto:} is also allowed for links).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = EmailBlock.Image.class, name = "image"),
    @JsonSubTypes.Type(value = EmailBlock.RichText.class, name = "rich-text"),
    @JsonSubTypes.Type(value = EmailBlock.Banner.class, name = "banner")
})
public sealed interface EmailBlock {

    /**
     * An image, full width unless {@code width} is set.
     *
     * @param url an absolute https URL
     * @param alt the text shown when images are off, and in the plain-text part
     * @param link where a click on the image goes, if anywhere
     * @param width the display width in pixels, 1 to 600
     */
    record Image(String url, @Nullable String alt, @Nullable String link, @Nullable Integer width)
            implements EmailBlock {}

    /**
     * Merchant-written formatted text. Sanitised to the allowed tags when rendered: {@code p br strong b em i u s
     * h1 h2 h3 ul ol li blockquote code pre a}; links keep an http(s) or mailto {@code href} only; every other tag is
     * removed (its text kept), scripts and styles with their content, every other attribute.
     */
    record RichText(String html) implements EmailBlock {}

    /**
     * A coloured band with a heading, optional text and an optional button.
     *
     * @param title the heading
     * @param text the text under the heading; line breaks are kept
     * @param link the button's target; the button is shown only with a link
     * @param linkText the button's label, required with a link
     * @param backgroundColor {@code #rrggbb} or {@code #rgb}; default a dark blue
     * @param textColor {@code #rrggbb} or {@code #rgb}; default white
     */
    record Banner(
            String title,
            @Nullable String text,
            @Nullable String link,
            @Nullable String linkText,
            @Nullable String backgroundColor,
            @Nullable String textColor)
            implements EmailBlock {}
}
