package dev.postpurchase.email.internal;

/**
 * A rendered email body: subject, complete HTML document and plain text, and the language of the texts.
 *
 * @param language the language the content is in (for a fallback, the language fallen back to)
 */
public record Rendered(String subject, String html, String text, String language) {}
