package dev.postpurchase.email.internal;

/**
 * A value for a template placeholder, in both renderings: {@code html} is safe to insert into HTML as is (escaped
 * text, or markup the SDK built itself), {@code text} is for the plain-text part and subjects.
 */
public record TemplateValue(String html, String text) {
    public static final TemplateValue EMPTY = new TemplateValue("", "");

    /** Plain text: escaped for HTML. */
    public static TemplateValue text(String value) {
        return new TemplateValue(Html.escape(value), value);
    }

    /** Trusted markup with its plain-text rendering. */
    public static TemplateValue html(String trustedHtml, String text) {
        return new TemplateValue(trustedHtml, text);
    }
}
